"""Every odd value in a Telnyx or Plivo response is told, none is fatal: the parsers read each field leniently and
refuse only a record that cannot be an Attempt (ValueError, counted in a caveat); a whole fetch ends in a FetchResult
or a typed ProviderError, never another exception. Hypothesis drives tests/provider_fuzz_more.py's generators (a
few thousand cases here; bench/bench_fuzz_providers.py runs 100,000 of each parser)."""

from __future__ import annotations

import random
from datetime import timedelta

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_clock import FakeClock
from provider_fuzz import DEST, NOW
from provider_fuzz_more import HostilePlivo, HostileTelnyx, plivo_case, telnyx_leg_case
from sipsight.core.lookup import FetchResult, analyse
from sipsight.core.models import Query
from sipsight.providers.errors import ProviderError
from sipsight.providers.http import HttpConfig
from sipsight.providers.plivo import PlivoClient, call_to_attempt, read_call
from sipsight.providers.telnyx import TelnyxClient, leg_to_attempt, legs_of, read_event, read_record
from sipsight.providers.telnyx.records import NO_START, Event

QUERY = Query(destination=DEST, since=NOW - timedelta(days=7), until=NOW)


def telnyx_parse(events: list, records: list) -> list[str]:
    """What the parser made of one case: 'attempt' or 'refused' per leg. Only a leg without any time is refused."""
    read = [read_event(e) for e in events]
    kept = [r for r in (read_record(x) for x in records) if isinstance(r, dict)]
    outcomes = []
    for leg in legs_of([e for e in read if isinstance(e, Event)], kept):
        try:
            attempt = leg_to_attempt(leg)
        except ValueError as exc:
            assert NO_START in str(exc)
            outcomes.append("refused")
            continue
        attempt.to_json()
        assert attempt.duration_s is None or attempt.duration_s >= 0
        assert attempt.ring_s is None or 0 <= attempt.ring_s <= 24 * 3600
        assert attempt.sip_code is None or 100 <= attempt.sip_code <= 699
        outcomes.append("attempt")
    return outcomes


def plivo_parse(call: object, product: str) -> str:
    try:
        attempt = call_to_attempt(call, product=product)  # type: ignore[arg-type]
    except ValueError:
        assert isinstance(read_call(call), str), "only a call read_call refuses may be refused"
        return "refused"
    attempt.to_json()
    assert attempt.duration_s is None or attempt.duration_s >= 0
    assert attempt.sip_code is None or 100 <= attempt.sip_code <= 699
    return "attempt"


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, 2**32))
def test_the_telnyx_parser_reads_or_refuses_never_crashes(seed: int) -> None:
    telnyx_parse(*telnyx_leg_case(random.Random(seed)))


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, 2**32))
def test_the_plivo_parser_reads_or_refuses_never_crashes(seed: int) -> None:
    plivo_parse(*plivo_case(random.Random(seed)))


def _config() -> HttpConfig:
    return HttpConfig(max_retries=1, backoff_base=0.001, backoff_max=0.002, budget_s=30, clock=FakeClock())


def telnyx_fetch(rng: random.Random) -> FetchResult:
    fake = HostileTelnyx(rng, hostility=rng.choice([0.2, 0.5, 0.9]))
    client = TelnyxClient("KEY-fuzz", http_config=_config(), transport=httpx.MockTransport(fake))
    try:
        return client.fetch(QUERY)
    finally:
        client.close()


def plivo_fetch(rng: random.Random) -> FetchResult:
    fake = HostilePlivo(rng, hostility=rng.choice([0.2, 0.5, 0.9]))
    product = rng.choice(["voice", "zentrunk"])
    client = PlivoClient("MA-fuzz", "t", product=product, http_config=_config(), transport=httpx.MockTransport(fake))
    try:
        return client.fetch(QUERY)
    finally:
        client.close()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.sampled_from(["telnyx", "plivo"]))
def test_a_whole_fetch_ends_in_a_result_or_a_provider_error(seed: int, provider: str) -> None:
    rng = random.Random(seed)
    try:
        result = telnyx_fetch(rng) if provider == "telnyx" else plivo_fetch(rng)
    except ProviderError:
        return
    analyse(QUERY, result.attempts, result.caller_attempts, provider=provider, data=result.data)
