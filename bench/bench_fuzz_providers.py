"""Fuzzing each provider's response parsing: the Twilio, SignalWire, Telnyx and Plivo record parsers, and the whole
Twilio, Telnyx and Plivo fetches over a mock transport serving hostile bodies (tests/provider_fuzz.py and
tests/provider_fuzz_more.py build them).

The contract: a record either becomes an Attempt or is refused with ValueError (only when `read_call` refuses it);
a fetch ends in a FetchResult or a ProviderError. Anything else is an unexpected exception, and there must be none.
Each case is reproduced from its seed. Prints, per target: cases, outcomes, unexpected exceptions (with the first
seed of each kind), and the slowest input with its time.

    python bench/bench_fuzz_providers.py [--cases 100000] [--fetch-cases 100000] [--seed 0] [--only telnyx,plivo]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))

from test_telnyx_plivo_parsing import plivo_fetch, plivo_parse, telnyx_fetch, telnyx_parse

from fake_clock import FakeClock
from provider_fuzz import ACCOUNT, DEST, NOW, fetch_case, odd_record_case
from provider_fuzz_more import plivo_case, telnyx_leg_case
from sipsight.core.lookup import analyse
from sipsight.core.models import Query
from sipsight.providers.errors import ProviderError
from sipsight.providers.http import HttpConfig
from sipsight.providers.signalwire import SignalWireClient
from sipsight.providers.twilio import TwilioClient, TwilioCredentials, call_to_attempt
from sipsight.providers.twilio.records import read_call

QUERY = Query(destination=DEST, since=NOW - timedelta(days=7), until=NOW)


class Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.cases = 0
        self.outcomes: Counter[str] = Counter()
        self.unexpected: Counter[str] = Counter()
        self.first_seed: dict[str, int] = {}
        self.slowest = (0.0, -1)

    def run(self, seed: int, case: Callable[[random.Random], str]) -> None:
        started = time.perf_counter()
        try:
            outcome = case(random.Random(seed))
        except Exception as exc:  # the point of the bench: any exception the contract does not allow
            key = f"{type(exc).__name__}: {str(exc)[:90]}"
            self.unexpected[key] += 1
            self.first_seed.setdefault(key, seed)
            outcome = "UNEXPECTED"
        took = time.perf_counter() - started
        self.cases += 1
        self.outcomes[outcome] += 1
        if took > self.slowest[0]:
            self.slowest = (took, seed)

    def report(self, elapsed: float) -> None:
        total = sum(self.unexpected.values())
        print(f"\n{self.name}: {self.cases:,} cases in {elapsed:.1f} s")
        print("  outcomes: " + ", ".join(f"{k} {v:,}" for k, v in self.outcomes.most_common()))
        print(f"  unexpected exceptions: {total}")
        for key, count in self.unexpected.most_common(10):
            print(f"    {count:6,}  {key}  (first seed {self.first_seed[key]})")
        print(f"  slowest input: seed {self.slowest[1]}, {self.slowest[0] * 1000:.1f} ms")


def twilio_record(rng: random.Random) -> str:
    call, summary, notes = odd_record_case(rng)
    try:
        call_to_attempt(call, summary, notes, provider="twilio").to_json()
    except ValueError:
        if not isinstance(read_call(call), str):
            raise AssertionError("refused a call read_call accepts") from None
        return "refused"
    return "attempt"


_SIGNALWIRE = SignalWireClient.__new__(SignalWireClient)  # to_attempt needs no connection


def signalwire_record(rng: random.Random) -> str:
    call, _summary, notes = odd_record_case(rng)
    if isinstance(call, dict) and rng.random() < 0.7:
        call["sip_result_code"] = rng.choice(["486", 603, "x", None, [], 1e309, "-1", "699", "700", {"a": 1}])
    try:
        SignalWireClient.to_attempt(_SIGNALWIRE, call, None, notes).to_json()
    except ValueError:
        if not isinstance(read_call(call), str):
            raise AssertionError("refused a call read_call accepts") from None
        return "refused"
    return "attempt"


def whole_fetch(rng: random.Random) -> str:
    def factory(fake: Any) -> TwilioClient:
        config = HttpConfig(max_retries=1, backoff_base=0.001, backoff_max=0.002, budget_s=30, clock=FakeClock())
        return TwilioClient(
            TwilioCredentials.auth_token(ACCOUNT, "t"),
            http_config=config,
            transport=httpx.MockTransport(fake),
            line_type_lookup=rng.random() < 0.5,
            subaccounts=rng.choice(["this", "all"]),
        )

    try:
        result = fetch_case(rng, factory, QUERY)
    except ProviderError as err:
        return type(err).__name__
    # and the core reads what the provider handed over
    analyse(QUERY, result.attempts, result.caller_attempts, provider="twilio", data=result.data)
    return "result" + (" with caveats" if result.data.provider_caveats else "")


def telnyx_record(rng: random.Random) -> str:
    outcomes = telnyx_parse(*telnyx_leg_case(rng))
    return "refused" if "refused" in outcomes else ("attempt" if outcomes else "no leg")


def plivo_record(rng: random.Random) -> str:
    return plivo_parse(*plivo_case(rng))


def _whole(fetch: Callable[[random.Random], Any], provider: str) -> Callable[[random.Random], str]:
    def case(rng: random.Random) -> str:
        try:
            result = fetch(rng)
        except ProviderError as err:
            return type(err).__name__
        analyse(QUERY, result.attempts, result.caller_attempts, provider=provider, data=result.data)
        return "result" + (" with caveats" if result.data.provider_caveats else "")

    return case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases for each record parser")
    parser.add_argument("--fetch-cases", type=int, default=100_000, help="whole fetches over the mock transport")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated providers to run (twilio,signalwire,telnyx,plivo)")
    args = parser.parse_args()
    only = {p.strip() for p in args.only.split(",") if p.strip()}
    failed = False
    targets = (
        ("twilio", "Twilio record parser (call + summary + notifications -> Attempt)", twilio_record, args.cases),
        ("signalwire", "SignalWire record parser (call with sip_result_code -> Attempt)", signalwire_record,
         args.cases),
        ("telnyx", "Telnyx record parser (a leg's call events + detail record -> Attempt)", telnyx_record, args.cases),
        ("plivo", "Plivo record parser (Voice API or Zentrunk Call object -> Attempt)", plivo_record, args.cases),
        ("twilio", "Whole Twilio fetch over a hostile mock transport (+ core analyse)", whole_fetch, args.fetch_cases),
        ("telnyx", "Whole Telnyx fetch over a hostile mock transport (+ core analyse)",
         _whole(telnyx_fetch, "telnyx"), args.fetch_cases),
        ("plivo", "Whole Plivo fetch over a hostile mock transport (+ core analyse)",
         _whole(plivo_fetch, "plivo"), args.fetch_cases),
    )  # fmt: skip
    for provider, name, case, count in targets:
        if only and provider not in only:
            continue
        tally = Tally(name)
        started = time.perf_counter()
        for seed in range(args.seed, args.seed + count):
            tally.run(seed, case)
        tally.report(time.perf_counter() - started)
        failed = failed or bool(tally.unexpected)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
