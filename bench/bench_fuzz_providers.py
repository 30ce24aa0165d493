"""Fuzzing each provider's response parsing: the Twilio, SignalWire, Telnyx, Plivo, Vonage and Bandwidth record
parsers, and whole Twilio, Telnyx, Plivo, Vonage and Bandwidth fetches over a mock transport serving hostile bodies
(tests/provider_fuzz.py, tests/provider_fuzz_more.py and tests/provider_fuzz_vb.py build them).

The contract: a record either becomes an Attempt or is refused with ValueError (only when `read_call` refuses it);
a fetch ends in a FetchResult or a ProviderError. Anything else is an unexpected exception, and there must be none.
Each case is reproduced from its seed. Prints, per target: cases, outcomes, unexpected exceptions (with the first
seed of each kind), and the slowest input with its time.

    python bench/bench_fuzz_providers.py [--cases 100000] [--fetch-cases 100000] [--seed 0] [--only telnyx,vonage]
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
from provider_fuzz_vb import HostileBandwidth, HostileVonage, bandwidth_record_case, vonage_record_case
from sipsight.core.lookup import analyse
from sipsight.core.models import Query
from sipsight.providers.bandwidth import BandwidthClient, insights_to_attempt, read_insights
from sipsight.providers.bandwidth import call_to_attempt as bandwidth_attempt
from sipsight.providers.bandwidth import read_call as bandwidth_read_call
from sipsight.providers.errors import ProviderError
from sipsight.providers.http import HttpConfig
from sipsight.providers.signalwire import SignalWireClient
from sipsight.providers.twilio import TwilioClient, TwilioCredentials, call_to_attempt
from sipsight.providers.twilio.records import read_call
from sipsight.providers.vonage import VonageClient
from sipsight.providers.vonage import call_to_attempt as vonage_attempt
from sipsight.providers.vonage import read_call as vonage_read_call
from sipsight.simulator.flavours.vonage import demo_application

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


def vonage_record(rng: random.Random) -> str:
    record = vonage_record_case(rng)
    try:
        vonage_attempt(record).to_json()
    except ValueError:
        if not isinstance(vonage_read_call(record), str):
            raise AssertionError("refused a record read_call accepts") from None
        return "refused"
    return "attempt"


def bandwidth_record(rng: random.Random) -> str:
    call, insights = bandwidth_record_case(rng)
    try:
        bandwidth_attempt(call, insights).to_json()
        outcome = "attempt"
    except ValueError:
        if not isinstance(bandwidth_read_call(call), str):
            raise AssertionError("refused a call read_call accepts") from None
        outcome = "refused"
    try:
        insights_to_attempt(insights).to_json()
    except ValueError:
        if not isinstance(read_insights(insights), str):
            raise AssertionError("refused an Insights record read_insights accepts") from None
        return outcome + ", Insights record refused"
    return outcome + ", Insights record read"


def _fetch_config() -> HttpConfig:
    return HttpConfig(max_retries=1, backoff_base=0.001, backoff_max=0.002, budget_s=30, clock=FakeClock())


def _other_fetch(provider: str, client: Any) -> str:
    try:
        result = client.fetch(QUERY)
    except ProviderError as err:
        return type(err).__name__
    finally:
        client.close()
    analyse(QUERY, result.attempts, result.caller_attempts, provider=provider, data=result.data)
    return "result" + (" with caveats" if result.data.provider_caveats else "")


class _Current:
    """The hostile fake of the case being run: one Vonage client serves every case, as the desktop app keeps one
    session all day (reading the application's private key, with its RSA checks, takes about 60 ms)."""

    fake: Any = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return self.fake(request)


_VONAGE: tuple[_Current, VonageClient] | None = None


def vonage_fetch(rng: random.Random) -> str:
    global _VONAGE
    if _VONAGE is None:
        app = demo_application()
        current = _Current()
        client = VonageClient(
            app.application_id, app.private_key_pem, http_config=_fetch_config(), transport=httpx.MockTransport(current)
        )
        _VONAGE = (current, client)
    current, client = _VONAGE
    current.fake = HostileVonage(rng, hostility=rng.choice([0.2, 0.5, 0.9]))
    try:
        result = client.fetch(QUERY)
    except ProviderError as err:
        return type(err).__name__
    analyse(QUERY, result.attempts, result.caller_attempts, provider="vonage", data=result.data)
    return "result" + (" with caveats" if result.data.provider_caveats else "")


def bandwidth_fetch(rng: random.Random) -> str:
    fake = HostileBandwidth(rng, hostility=rng.choice([0.2, 0.5, 0.9]))
    client = BandwidthClient(
        "9900000", "u", "p", insights=rng.random() < 0.7, http_config=_fetch_config(),
        transport=httpx.MockTransport(fake),
    )  # fmt: skip
    return _other_fetch("bandwidth", client)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases for each record parser")
    parser.add_argument("--fetch-cases", type=int, default=100_000, help="whole fetches over the mock transport")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--only", default="", help="comma-separated providers to run (twilio,signalwire,telnyx,plivo,vonage,bandwidth)"
    )
    args = parser.parse_args()
    only = {p.strip() for p in args.only.split(",") if p.strip()}
    failed = False
    targets = (
        ("twilio", "Twilio record parser (call + summary + notifications -> Attempt)", twilio_record, args.cases),
        ("signalwire", "SignalWire record parser (call with sip_result_code -> Attempt)", signalwire_record,
         args.cases),
        ("telnyx", "Telnyx record parser (a leg's call events + detail record -> Attempt)", telnyx_record, args.cases),
        ("plivo", "Plivo record parser (Voice API or Zentrunk Call object -> Attempt)", plivo_record, args.cases),
        ("vonage", "Vonage record parser (a /v1/calls record -> Attempt)", vonage_record, args.cases),
        ("bandwidth", "Bandwidth record parsers (callState + Insights -> Attempt)", bandwidth_record, args.cases),
        ("twilio", "Whole Twilio fetch over a hostile mock transport (+ core analyse)", whole_fetch, args.fetch_cases),
        ("telnyx", "Whole Telnyx fetch over a hostile mock transport (+ core analyse)",
         _whole(telnyx_fetch, "telnyx"), args.fetch_cases),
        ("plivo", "Whole Plivo fetch over a hostile mock transport (+ core analyse)",
         _whole(plivo_fetch, "plivo"), args.fetch_cases),
        ("vonage", "Whole Vonage fetch over a hostile mock transport (+ core analyse)", vonage_fetch, args.fetch_cases),
        ("bandwidth", "Whole Bandwidth fetch over a hostile mock transport (+ core analyse)", bandwidth_fetch,
         args.fetch_cases),
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
