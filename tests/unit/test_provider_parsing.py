"""Every odd value in a provider response is told, none is fatal: the record parser reads each field leniently (a
field that cannot be read is None) and refuses only a call that cannot be an Attempt (ValueError, counted in a
caveat); a whole fetch ends in a FetchResult or a typed ProviderError, never another exception.

Hypothesis drives the generators of tests/provider_fuzz.py (a few thousand cases here; bench/bench_fuzz_providers.py
runs 100,000+ of each); the named cases below are the ones the issue reported.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_clock import FakeClock
from provider_fuzz import ACCOUNT, CALLER, DEST, NOW, fetch_case, good_call, good_summary, odd_record_case
from sipsight.core.lookup import FetchResult, analyse
from sipsight.core.models import Query
from sipsight.providers.errors import BadResponse, ProviderError
from sipsight.providers.http import HttpConfig
from sipsight.providers.signalwire import SignalWireClient
from sipsight.providers.twilio import TwilioClient, TwilioCredentials, call_to_attempt
from sipsight.providers.twilio.records import read_call

QUERY = Query(destination=DEST, since=NOW - timedelta(days=7), until=NOW)


def _config() -> HttpConfig:
    return HttpConfig(max_retries=1, backoff_base=0.001, backoff_max=0.002, budget_s=30, clock=FakeClock())


def _twilio(handler, **kw) -> TwilioClient:
    creds = TwilioCredentials.auth_token(ACCOUNT, "t")
    return TwilioClient(creds, http_config=_config(), transport=httpx.MockTransport(handler), **kw)


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, 2**32))
def test_the_record_parser_reads_or_refuses_never_crashes(seed: int) -> None:
    call, summary, notes = odd_record_case(random.Random(seed))
    for provider in ("twilio", "signalwire"):
        try:
            if provider == "signalwire":
                sw = SignalWireClient.__new__(SignalWireClient)  # to_attempt needs no connection
                attempt = SignalWireClient.to_attempt(sw, call, None, notes)
            else:
                attempt = call_to_attempt(call, summary, notes, provider=provider)
        except ValueError:
            assert isinstance(read_call(call), str), "only a call read_call refuses may be refused"
            continue
        attempt.to_json()
        assert attempt.duration_s is None or attempt.duration_s >= 0
        assert attempt.sip_code is None or 100 <= attempt.sip_code <= 699


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_a_whole_fetch_ends_in_a_result_or_a_provider_error(seed: int) -> None:
    rng = random.Random(seed)

    def factory(fake):
        return _twilio(fake, line_type_lookup=rng.random() < 0.5, subaccounts=rng.choice(["this", "all"]))

    try:
        result = fetch_case(rng, factory, QUERY)
    except ProviderError as err:
        assert err.message and "\n" not in err.one_line()
        return
    assert isinstance(result, FetchResult)
    analyse(QUERY, result.attempts, result.caller_attempts, provider="twilio", data=result.data)  # the core copes


# ----------------------------------------------------------------------------- the cases the issue named


def _body(data) -> httpx.Response:
    return httpx.Response(200, content=json.dumps(data).encode())  # Infinity and NaN as Python writes them


def _one_call_site(call=None, *, summaries=None, notes=None, next_uri=None, insights=True):
    call = call if call is not None else good_call(random.Random(1), 1) | {"status": "failed"}

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/Calls.json"):
            return _body({"calls": [call], "next_page_uri": next_uri})
        if path == "/v1/Voice/Summaries":
            if not insights:
                return httpx.Response(403, json={"code": 20403})
            return _body({"call_summaries": summaries or [], "meta": {"next_page_url": None}})
        if path.endswith("/Summary"):
            return httpx.Response(404, json={"code": 20404})
        if path.endswith("/Notifications.json"):
            return httpx.Response(200, json={"notifications": notes})
        return httpx.Response(404)

    return handler


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"status": ["failed"]}, "provider_status", None),
        ({"answered_by": {"x": 1}}, "answered_by", None),
        ({"duration": "inf"}, "duration_s", None),
        ({"duration": float("inf")}, "duration_s", None),
        ({"duration": -5}, "duration_s", None),
        ({"to": 13035550199}, "to", ""),
    ],
)
def test_odd_call_fields_are_read_as_unknown(change: dict, field: str, expected) -> None:
    call = good_call(random.Random(1), 1) | change
    with _closing(_twilio(_one_call_site(call))) as tw:
        result = tw.fetch(QUERY)
    [attempt] = result.attempts
    assert getattr(attempt, field) == expected


def test_odd_summary_fields_are_read_as_unknown() -> None:
    call = good_call(random.Random(1), 1) | {"status": "failed"}
    summary = good_summary(random.Random(1), call["sid"]) | {"properties": "603", "to": {"connection": ["mobile"]}}
    summary["duration"] = float("inf")
    with _closing(_twilio(_one_call_site(call, summaries=[summary]))) as tw:
        [attempt] = tw.fetch(QUERY).attempts
    assert attempt.sip_code is None and attempt.line_type is None and attempt.insights_state in ("complete", "partial")


@pytest.mark.parametrize("notes", [7, "x", [7, None], [{"error_code": {"a": 1}, "log": "0"}]])
def test_odd_notifications_are_no_error_code(notes) -> None:
    with _closing(_twilio(_one_call_site(notes=notes, insights=False))) as tw:
        [attempt] = tw.fetch(QUERY).attempts
    assert attempt.provider_error_code is None


def test_a_nul_byte_in_the_next_page_link_stops_the_list_with_a_caveat() -> None:
    with _closing(_twilio(_one_call_site(next_uri="/2010-04-01/Accounts/AC1/Calls.json?Page=1\x00"))) as tw:
        result = tw.fetch(QUERY)
    assert len(result.attempts) == 1
    assert any("stopped after 1 page" in c for c in result.data.provider_caveats), result.data.provider_caveats


def test_a_100000_deep_body_is_a_bad_response() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with _closing(_twilio(lambda request: httpx.Response(200, content=deep))) as tw, pytest.raises(BadResponse):
        tw.fetch(QUERY)


def test_a_non_string_line_type_is_no_line_type() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/v2/PhoneNumbers/"):
            return httpx.Response(200, json={"line_type_intelligence": {"type": 7}})
        return _one_call_site()(request)

    with _closing(_twilio(handler, line_type_lookup=True)) as tw:
        assert tw.fetch(QUERY).line_type is None


def test_calls_that_cannot_be_read_are_counted_not_hidden() -> None:
    """5 calls with unreadable times used to read as "No calls to this number in this window"."""
    rng = random.Random(3)
    calls = [good_call(rng, i) for i in range(40)]
    for c in calls[:3]:
        c["start_time"] = c["date_created"] = "yesterday"
    calls[3]["sid"] = None
    calls[4] = 7

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/Calls.json"):
            wanted = request.url.params.get("To")
            return httpx.Response(200, json={"calls": [c for c in calls if not wanted or not isinstance(c, dict)
                                                       or c["to"] == wanted], "next_page_uri": None})  # fmt: skip
        return httpx.Response(403, json={"code": 20403})

    with _closing(_twilio(handler)) as tw:
        result = tw.fetch(Query(destination=DEST, caller_id=CALLER, since=NOW - timedelta(days=30), until=NOW))
    caveat = next(c for c in result.data.provider_caveats if "calls to the number could not be read" in c)
    assert caveat.startswith("5 of 40 calls") and "start time was missing or invalid" in caveat
    assert "SID was missing" in caveat and "not call records" in caveat and caveat.endswith("left out.")


def test_a_failing_second_page_keeps_the_first_with_a_caveat() -> None:
    rng = random.Random(4)
    calls = [good_call(rng, i) for i in range(4)]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/Calls.json"):
            if request.url.params.get("Page") == "1":
                return httpx.Response(500, json={"code": 20500, "message": "oops"})
            link = f"{request.url.path}?{request.url.query.decode()}&Page=1&PageToken=PA1"
            return httpx.Response(200, json={"calls": calls[:2], "next_page_uri": link})
        return httpx.Response(403, json={"code": 20403})

    with _closing(_twilio(handler)) as tw:
        result = tw.fetch(Query(destination=DEST, caller_id=CALLER, since=NOW - timedelta(days=7), until=NOW))
    assert {a.id for a in result.attempts} <= {c["sid"] for c in calls[:2]} and result.attempts
    caveat = next(c for c in result.data.provider_caveats if "stopped after" in c)
    assert caveat.startswith("The list of calls to the number stopped after 1 page (") and "HTTP 500" in caveat


def test_unanswered_calls_get_their_ring_time_from_start_and_end_without_insights() -> None:
    start = NOW - timedelta(hours=1)
    end = start + timedelta(seconds=31)
    call = good_call(random.Random(1), 1) | {
        "status": "no-answer", "start_time": format_datetime(start), "end_time": format_datetime(end)
    }
    with _closing(_twilio(_one_call_site(call, insights=False))) as tw:
        result = tw.fetch(QUERY)
    [attempt] = result.attempts
    assert attempt.ring_s == 31.0 and attempt.raw["derived"] == ["ring_s"]
    assert any("worked out from each call's start and end time" in c for c in result.data.provider_caveats)


class _closing:
    def __init__(self, tw: TwilioClient) -> None:
        self.tw = tw

    def __enter__(self) -> TwilioClient:
        return self.tw

    def __exit__(self, *exc) -> None:
        self.tw.close()
