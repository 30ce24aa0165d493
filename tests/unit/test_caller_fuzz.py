"""Caller-first lookups of Telnyx, Plivo, Vonage and Bandwidth against hostile sites (the generators of
tests/provider_fuzz_more.py and tests/provider_fuzz_vb.py: random statuses, Retry-After values, bodies that are not
JSON, odd records): `run_caller_lookup` (fetch_caller, the ranking, the chosen number's diagnosis) ends in a
LookupResult or a ProviderError, never anything else; and every call it ranks is the caller ID's."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_clock import FakeClock
from provider_fuzz import NOW
from provider_fuzz_more import HostilePlivo, HostileTelnyx
from provider_fuzz_vb import HostileBandwidth, HostileVonage
from sipsight.core.lookup import run_caller_lookup
from sipsight.core.models import CallerQuery
from sipsight.providers.bandwidth import BandwidthClient
from sipsight.providers.errors import ProviderError
from sipsight.providers.http import HttpConfig
from sipsight.providers.plivo import PlivoClient
from sipsight.providers.telnyx import TelnyxClient
from sipsight.providers.vonage import VonageClient
from sipsight.simulator.flavours.vonage import demo_application

QUERY = CallerQuery(caller_id="+17205550100", since=NOW - timedelta(days=7), until=NOW)


def _config() -> HttpConfig:
    return HttpConfig(max_retries=1, backoff_base=0.001, backoff_max=0.002, budget_s=30, clock=FakeClock())


class _Current:
    """The hostile fake of the case being run, behind one Vonage client (reading its key costs about 60 ms)."""

    fake: Any = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return self.fake(request)


_VONAGE = _Current()
_VONAGE_CLIENT: list[VonageClient] = []


def _client(provider: str, rng: random.Random) -> Any:
    hostility = rng.choice([0.2, 0.5, 0.9])
    if provider == "telnyx":
        return TelnyxClient(
            "KEY-fuzz", http_config=_config(), transport=httpx.MockTransport(HostileTelnyx(rng, hostility=hostility))
        )
    if provider == "plivo":
        fake = HostilePlivo(rng, hostility=hostility)
        return PlivoClient("MA-fuzz", "t", http_config=_config(), transport=httpx.MockTransport(fake))
    if provider == "bandwidth":
        fake = HostileBandwidth(rng, hostility=hostility)
        return BandwidthClient("9900000", "u", "p", insights=rng.random() < 0.7, http_config=_config(),
                               transport=httpx.MockTransport(fake))  # fmt: skip
    if not _VONAGE_CLIENT:
        app = demo_application()
        _VONAGE_CLIENT.append(
            VonageClient(
                app.application_id, app.private_key_pem, http_config=_config(), transport=httpx.MockTransport(_VONAGE)
            )
        )
    _VONAGE.fake = HostileVonage(rng, hostility=hostility)
    return _VONAGE_CLIENT[0]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.sampled_from(["telnyx", "plivo", "vonage", "bandwidth"]))
def test_a_caller_first_lookup_ends_in_a_result_or_a_provider_error(seed: int, provider: str) -> None:
    rng = random.Random(seed)
    client = _client(provider, rng)
    try:
        result = run_caller_lookup(client, QUERY)
    except ProviderError:
        return
    finally:
        if provider != "vonage":
            client.close()
    assert result.provider == provider
    assert all(a.from_ in ("+17205550100", "") for a in [*result.attempts, *result.caller_attempts])
    assert (result.diagnosis is None) == (not result.query.destination)
