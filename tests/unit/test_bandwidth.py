"""Bandwidth: a Voice API call (with its Insights record) as an Attempt, realistic records (the specs' examples, to
555-01xx numbers) and odd values; the client against the simulator's Bandwidth flavour over a mock transport (2
requests, or 4 with Insights; Insights off or failing; a list past one page; Insights matched by call ID or by
numbers and time; errors with Retry-After), plus hypothesis fuzz of the parsers and of whole fetches."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_clock import FakeClock
from flavour_transport import FlavourServer
from provider_fuzz_vb import HostileBandwidth, bandwidth_record_case
from sipsight.core.knowledge import classify
from sipsight.core.lookup import FetchResult, analyse
from sipsight.core.models import OutcomeClass, Query
from sipsight.providers.bandwidth import (
    BandwidthClient,
    call_to_attempt,
    insights_to_attempt,
    read_call,
    read_insights,
)
from sipsight.providers.bandwidth import client as bw_client
from sipsight.providers.errors import (
    AuthFailed,
    NotConfigured,
    NotFound,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from sipsight.providers.http import HttpConfig
from sipsight.simulator.calls import materialize
from sipsight.simulator.flavours import bandwidth as fb

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEST = "+13035550199"
CALLER = "+17205550100"
CREDS = fb.demo_credentials()


def _config(**kw) -> HttpConfig:
    base = {"max_retries": 2, "backoff_base": 0.01, "backoff_max": 0.02, "budget_s": 60, "clock": FakeClock()}
    return HttpConfig(**(base | kw))


def _client(served: FlavourServer | httpx.MockTransport, **kw) -> BandwidthClient:
    config = kw.pop("http_config", None) or _config()
    transport = served.transport() if isinstance(served, FlavourServer) else served
    return BandwidthClient(
        CREDS["account_id"], CREDS["username"], CREDS["password"], base_url="http://127.0.0.1:9",
        transport=transport, http_config=config, **kw,
    )  # fmt: skip


def _query(**kw) -> Query:
    return Query(
        destination=kw.pop("destination", DEST), since=kw.pop("since", NOW - timedelta(days=6)), until=NOW, **kw
    )


# ----------------------------------------------------------------------------- records


def _call(**kw) -> dict:
    """bandwidth.yml's callState example, to 555-01xx numbers."""
    base = {
        "applicationId": "04e88489-df02-4e34-a0ee-27a91849555f",
        "accountId": "9900000",
        "callId": "c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85",
        "parentCallId": None,
        "to": DEST,
        "from": CALLER,
        "direction": "outbound",
        "state": "disconnected",
        "stirShaken": None,
        "identity": None,
        "enqueuedTime": "2022-06-16T13:15:07.160Z",
        "startTime": "2022-06-16T13:15:07.160Z",
        "answerTime": "2022-06-16T13:15:18.126Z",
        "endTime": "2022-06-16T13:15:18.314Z",
        "disconnectCause": "hangup",
        "errorMessage": None,
        "errorId": None,
        "lastUpdate": "2022-06-16T13:15:18.314Z",
    }
    return base | kw


def _insights(**kw) -> dict:
    """insights.yml's call example, to 555-01xx numbers and the call above."""
    base = {
        "accountId": "9900000",
        "callId": "c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85",
        "startTime": "2022-06-16T13:15:07.160Z",
        "endTime": "2022-06-16T13:15:18.314Z",
        "duration": 11154,
        "callingNumber": CALLER,
        "calledNumber": DEST,
        "callDirection": "OUTBOUND",
        "callType": "LOCAL",
        "callResult": "COMPLETE",
        "sipResponseCode": 200,
        "sipResponseDescription": "OK",
        "cost": 0.000123,
        "subAccount": "1234",
        "attestationIndicator": "A",
        "hangUpSource": "CALLED_PARTY",
        "postDialDelay": 0,
        "packetsSent": 0,
        "packetsReceived": 0,
    }
    return base | kw


def test_the_spec_s_call_maps_to_an_attempt() -> None:
    a = call_to_attempt(_call())
    assert (a.id, a.provider, a.provider_status) == (
        "c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85",
        "bandwidth",
        "hangup",
    )
    assert a.start_time == datetime(2022, 6, 16, 13, 15, 7, 160000, tzinfo=UTC)
    assert (a.from_, a.to) == (CALLER, DEST)
    assert a.ring_s == pytest.approx(10.966) and a.duration_s == pytest.approx(0.188)
    assert a.sip_code is None and a.disconnected_by is None and a.raw["derived"] == ["ring_s"]
    assert classify(a) is OutcomeClass.CONNECTED


def test_insights_adds_the_sip_code_who_hung_up_and_the_post_dial_delay() -> None:
    a = call_to_attempt(_call(), _insights(postDialDelay=1800))
    assert (a.sip_code, a.sip_reason, a.disconnected_by, a.pdd_ms) == (200, "OK", "callee", 1800)
    assert a.raw["insights"]["attestationIndicator"] == "A"


@pytest.mark.parametrize(
    ("cause", "sip", "description", "outcome"),
    [
        ("rejected", None, None, OutcomeClass.DECLINED),  # the cause alone: a decline and a block look the same
        ("rejected", 608, "Rejected", OutcomeClass.NETWORK_BLOCKED),
        ("rejected", 607, "Unwanted", OutcomeClass.DECLINED),  # the person marked it unwanted
        ("rejected", 603, "Network Blocked", OutcomeClass.NETWORK_BLOCKED),  # 603+
        ("rejected", 603, "Decline", OutcomeClass.DECLINED),
        ("busy", None, None, OutcomeClass.BUSY),
        ("timeout", None, None, OutcomeClass.NO_ANSWER),
        ("cancel", None, None, OutcomeClass.CALLER_CANCELED),
        ("error", None, None, OutcomeClass.UNKNOWN),
        ("error", 404, "Not Found", OutcomeClass.INVALID_NUMBER),
        ("account-limit", None, None, OutcomeClass.PLATFORM_REJECTED),
    ],
)
def test_causes_and_sip_codes_are_read_by_the_knowledge_base(cause, sip, description, outcome) -> None:
    ring = 40 if cause == "timeout" else 2  # a ring-out rings; a "timeout" after 2 s is a phone that never rang
    call = _call(
        disconnectCause=cause,
        answerTime=None,
        endTime=f"2022-06-16T13:{15 + (7 + ring) // 60:02d}:{(7 + ring) % 60:02d}.160Z",
    )
    insights = (
        _insights(sipResponseCode=sip, sipResponseDescription=description, callResult="INCOMPLETE") if sip else None
    )
    a = call_to_attempt(call, insights)
    assert a.provider_status == cause and a.sip_code == sip and a.duration_s is None
    assert a.ring_s == (ring if cause in ("rejected", "busy", "timeout", "cancel", "error") else None)
    assert classify(a) is outcome


def test_calls_still_going_on_read_as_such() -> None:
    queued = call_to_attempt(_call(state="queued", startTime=None, answerTime=None, endTime=None, disconnectCause=None))
    assert queued.provider_status == "queued" and queued.start_time == datetime(
        2022, 6, 16, 13, 15, 7, 160000, tzinfo=UTC
    )
    live = call_to_attempt(_call(state="answered", endTime=None, disconnectCause=None))
    assert live.provider_status == "in-progress" and live.duration_s is None
    assert classify(queued) is OutcomeClass.IN_PROGRESS and classify(live) is OutcomeClass.IN_PROGRESS


@pytest.mark.parametrize(
    ("insights", "check"),
    [
        (
            _insights(sipResponseCode=-1, sipResponseDescription="Unknown"),
            lambda a: a.sip_code is None and a.sip_reason is None,
        ),
        (_insights(sipResponseCode=700), lambda a: a.sip_code is None),
        (_insights(sipResponseCode="486"), lambda a: a.sip_code == 486),
        (_insights(sipResponseCode=float("inf")), lambda a: a.sip_code is None),
        (_insights(hangUpSource="BANDWIDTH_INTERNAL"), lambda a: a.disconnected_by == "caller"),
        (_insights(hangUpSource="SOMEWHERE"), lambda a: a.disconnected_by is None),
        (_insights(hangUpSource=None), lambda a: a.disconnected_by is None),
        (_insights(postDialDelay=-5), lambda a: a.pdd_ms is None),
        (_insights(sipResponseDescription="x" * 500), lambda a: a.sip_reason is None),
        ("not a record", lambda a: a.sip_code is None and "insights" not in a.raw),
    ],
)
def test_odd_insights_values_read_as_none(insights, check) -> None:
    assert check(call_to_attempt(_call(), insights))


@pytest.mark.parametrize(
    ("call", "check"),
    [
        (_call(to=None), lambda a: a.to == ""),
        (_call(to="sip:agent@example.com"), lambda a: a.to == "sip:agent@example.com"),
        (_call(answerTime="2022-06-16T13:15:00.000Z"), lambda a: a.ring_s is None),  # answered before it started
        (_call(endTime="9999-12-31T23:59:59Z"), lambda a: a.duration_s is None),
        (_call(disconnectCause=7), lambda a: a.provider_status == "disconnected"),
        (_call(state=None, disconnectCause="BUSY"), lambda a: a.provider_status == "busy"),
        (_call(sipResponseCode=603), lambda a: a.sip_code == 603),  # the disconnect webhook's field, if ever sent
    ],
)
def test_odd_call_values_read_as_none(call, check) -> None:
    assert check(call_to_attempt(call))


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ([], "they were not call records"),
        (_call(callId=None), "their call ID was missing or invalid"),
        (_call(callId="c-1/../x"), "their call ID was missing or invalid"),
        (_call(startTime=None, enqueuedTime=None), "their start time was missing or invalid"),
        (_call(startTime="0001-01-01T00:00:00Z", enqueuedTime="x"), "their start time was missing or invalid"),
    ],
)
def test_a_call_that_cannot_be_an_attempt_is_refused_with_its_reason(record, reason: str) -> None:
    assert read_call(record) == reason
    with pytest.raises(ValueError, match=reason):
        call_to_attempt(record)


def test_a_call_only_insights_knows_is_an_attempt_of_its_own() -> None:
    a = insights_to_attempt(_insights(sipResponseCode=608, sipResponseDescription="Rejected", callResult="INCOMPLETE"))
    assert (a.provider_status, a.sip_code, a.to, a.from_) == (None, 608, DEST, CALLER)
    assert a.duration_s is None and classify(a) is OutcomeClass.NETWORK_BLOCKED
    assert insights_to_attempt(_insights()).duration_s == pytest.approx(11.154)
    assert read_insights(_insights(startTime=None)) == "their start time was missing or invalid"
    with pytest.raises(ValueError):
        insights_to_attempt(_insights(callId=None))


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, 2**32))
def test_the_record_parsers_read_or_refuse_never_crash(seed: int) -> None:
    call, insights = bandwidth_record_case(random.Random(seed))
    try:
        attempt = call_to_attempt(call, insights)
    except ValueError:
        assert isinstance(read_call(call), str), "only a call read_call refuses may be refused"
    else:
        attempt.to_json()
        assert attempt.sip_code is None or 100 <= attempt.sip_code <= 699
        assert attempt.ring_s is None or attempt.ring_s >= 0
    try:
        insights_to_attempt(insights).to_json()
    except ValueError:
        assert isinstance(read_insights(insights), str)


# ----------------------------------------------------------------------------- the client against the flavour


def _served(scenario: str, **kw) -> tuple[FlavourServer, list]:
    dest, other = materialize(scenario, NOW)
    return FlavourServer.bandwidth(dest + other, now=NOW, **kw), dest


def test_a_lookup_with_insights_is_four_requests_and_carries_the_sip_codes() -> None:
    served, dest = _served("caller-id-608-redress")
    with _client(served) as client:
        result = client.fetch(_query(destination=dest[0].to))
    assert isinstance(result, FetchResult) and result.request_count == len(served.requests) == 4
    assert [a.id for a in result.attempts] == [fb.call_id(c.sid) for c in dest]
    assert [a.sip_code for a in result.attempts] == [c.sip_code for c in dest]
    assert [a.provider_status for a in result.attempts] == [fb.disconnect(c)[1] for c in dest]
    assert result.caller_id == CALLER and len(result.caller_attempts) == 400
    assert all(a.from_ == CALLER and a.to != dest[0].to for a in result.caller_attempts)
    assert result.data.has_sip_codes and result.data.has_caller_history
    voice = [dict(q) for p, q in served.requests if p.startswith("/api/v2/")]
    insights = [dict(q) for p, q in served.requests if p == "/api/v1/voice/calls"]
    assert [q.get("to") for q in voice] == [dest[0].to, None] and voice[1]["from"] == CALLER
    assert all(q["pageSize"] == "10000" and q["minStartTime"] == "2026-11-18T15:00:00Z" for q in voice)
    assert insights[0]["calledNumber"] == dest[0].to and insights[1]["callingNumber"] == CALLER
    assert all(q["startTime"] == "gte:2026-11-18T15:00:00Z" and q["callDirection"] == "OUTBOUND" for q in insights)
    blocked = [a for a in result.attempts if a.sip_code == 608]
    assert blocked and all(
        classify(a) is OutcomeClass.NETWORK_BLOCKED and a.provider_status == "rejected" for a in blocked
    )


def test_without_insights_on_the_account_the_lookup_degrades_and_says_so_first() -> None:
    served, dest = _served("caller-id-608-redress", insights=False)
    with _client(served) as client:
        result = client.fetch(_query(destination=dest[0].to))
    assert result.attempts and all(a.sip_code is None for a in result.attempts + result.caller_attempts)
    assert not result.data.has_sip_codes
    first = result.data.provider_caveats[0]
    assert "Insights is not enabled" in first and "'rejected' covers" in first and "Bandwidth Dashboard" in first
    blocked = [a for a in result.attempts if a.provider_status == "rejected"]
    assert blocked and all(classify(a) is OutcomeClass.DECLINED for a in blocked)


def test_a_profile_without_insights_makes_two_requests() -> None:
    served, dest = _served("origin-ticket")
    with _client(served, insights=False) as client:
        result = client.fetch(_query(destination=dest[0].to, caller_id=CALLER))
    assert result.request_count == 2 and all(p.startswith("/api/v2/") for p, _ in served.requests)
    assert "not used by this profile" in result.data.provider_caveats[0]


def test_insights_failing_otherwise_is_a_caveat_not_a_failure() -> None:
    def fault(request: httpx.Request):
        if request.url.path == "/api/v1/voice/calls":
            return httpx.Response(503, json=fb.insights_error(503, "down").body)
        return None

    served, dest = _served("origin-ticket", fault=fault)
    with _client(served) as client:
        result = client.fetch(_query(destination=dest[0].to))
    assert result.attempts and "Bandwidth Insights did not answer" in result.data.provider_caveats[0]


def test_a_list_past_one_page_goes_on_from_the_newest_start_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bw_client, "VOICE_PAGE", 100)
    served, dest = _served("caller-id-608-redress")
    with _client(served, insights=False) as client:
        result = client.fetch(_query(destination=dest[0].to, caller_id=CALLER))
    caller_pages = [dict(q) for p, q in served.requests if dict(q).get("from") == CALLER and "to" not in dict(q)]
    assert len(caller_pages) == 5 and len({q["minStartTime"] for q in caller_pages}) == 5
    assert len(result.caller_attempts) == 400  # every call once, though page edges overlap
    assert len({a.id for a in result.caller_attempts}) == 400


def test_a_list_past_the_bound_says_the_newest_may_be_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bw_client, "VOICE_PAGE", 40)
    monkeypatch.setattr(bw_client, "MAX_VOICE_PAGES", 2)
    served, dest = _served("caller-id-608-redress")
    with _client(served, insights=False) as client:
        result = client.fetch(_query(destination=dest[0].to, caller_id=CALLER))
    assert any("oldest first, so the newest may be missing" in c for c in result.data.provider_caveats)


def test_insights_is_matched_by_numbers_and_time_when_the_ids_differ_and_a_trunk_call_stands_alone() -> None:
    voice = [
        _call(
            callId="c-aaaaaaaa-bbbbbbbb-1",
            disconnectCause="rejected",
            answerTime=None,
            startTime="2026-11-24T10:00:00.000Z",
            enqueuedTime=None,
        )
    ]
    ins = [
        _insights(
            callId="insights-1",
            startTime="2026-11-24T10:00:03.000Z",
            sipResponseCode=608,
            sipResponseDescription="Rejected",
        ),
        _insights(
            callId="insights-2",
            startTime="2026-11-24T11:30:00.000Z",
            sipResponseCode=603,
            sipResponseDescription="Decline",
        ),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/voice/calls":
            return httpx.Response(200, json={"links": [], "data": {"totalCount": 2, "calls": ins}, "errors": None})
        return httpx.Response(200, json=voice if request.url.params.get("to") else [])

    with _client(httpx.MockTransport(handler)) as client:
        result = client.fetch(_query(caller_id=CALLER))
    by_id = {a.id: a for a in result.attempts}
    assert (
        by_id["c-aaaaaaaa-bbbbbbbb-1"].sip_code == 608
        and by_id["c-aaaaaaaa-bbbbbbbb-1"].raw["insights"]["callId"] == "insights-1"
    )
    assert by_id["insights-2"].sip_code == 603 and by_id["insights-2"].provider_status is None
    assert any("known only to Bandwidth Insights" in c for c in result.data.provider_caveats)


def test_the_connection_check_says_whether_insights_is_on() -> None:
    for insights, words in ((True, "Insights: on"), (False, "not enabled")):
        served, _ = _served("origin-ticket", insights=insights)
        with _client(served) as client:
            assert words in client.check_connection()


def _failing(status: int, headers: dict | None = None, times: int = 10**6, path: str = "/api/v2/"):
    seen = {"n": 0}

    def fault(request: httpx.Request):
        if not request.url.path.startswith(path):
            return None
        seen["n"] += 1
        if seen["n"] <= times:
            return httpx.Response(status, json=fb.voice_error(status, "x").body, headers=headers or {})
        return None

    return fault


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (401, AuthFailed, "API username and password"),
        (403, AuthFailed, "roles in the Bandwidth App"),
        (404, NotFound, "calls older than 7 days are gone"),
        (500, ProviderUnavailable, "status.bandwidth.com"),
        (429, RateLimited, "Retry-After"),
    ],
)
def test_errors_are_typed_and_in_bandwidth_s_words(status: int, kind, words: str) -> None:
    served, _ = _served("origin-ticket", fault=_failing(status))
    with _client(served) as client, pytest.raises(kind) as err:
        client.fetch(_query())
    assert err.value.provider == "bandwidth" and err.value.status == status
    assert "Bandwidth" in err.value.message and words in err.value.one_line()


def test_the_spec_s_retry_after_is_waited_out() -> None:
    clock = FakeClock()
    served, dest = _served("origin-ticket", fault=_failing(429, {"Retry-After": "3"}, times=1))
    with _client(served, http_config=_config(clock=clock)) as client:
        result = client.fetch(_query(destination=dest[0].to))
    assert result.attempts and clock.sleeps == [3.0]


def test_a_window_past_seven_days_says_the_voice_api_forgot_the_rest() -> None:
    served, dest = _served("origin-ticket")
    with _client(served) as client:
        result = client.fetch(_query(destination=dest[0].to, since=NOW - timedelta(days=20)))
    assert any("keeps calls for 7 days" in c for c in result.data.provider_caveats)


def test_setup_mistakes_are_refused_before_any_request() -> None:
    with pytest.raises(NotConfigured, match="account ID"):
        BandwidthClient("", "u", "p")
    with pytest.raises(NotConfigured, match="plain http"):
        BandwidthClient("9900000", "u", "p", base_url="http://bandwidth.example.com")


@settings(max_examples=250, deadline=None)
@given(st.integers(0, 2**32))
def test_a_whole_fetch_ends_in_a_result_or_a_provider_error(seed: int) -> None:
    rng = random.Random(seed)
    fake = HostileBandwidth(rng, hostility=rng.choice([0.2, 0.5, 0.9]))
    client = BandwidthClient(
        "9900000", "u", "p", insights=rng.random() < 0.7, transport=httpx.MockTransport(fake),
        http_config=_config(max_retries=1, budget_s=30),
    )  # fmt: skip
    try:
        result = client.fetch(_query())
    except ProviderError as err:
        assert err.message and "\n" not in err.one_line()
        return
    finally:
        client.close()
    analyse(_query(), result.attempts, result.caller_attempts, provider="bandwidth", data=result.data)


def test_the_50_plus_500_load_costs_four_requests() -> None:
    from sipsight.simulator.load_scenario import big_scenario

    dest, other = materialize(big_scenario(), NOW)
    served = FlavourServer.bandwidth(dest + other, now=NOW)
    with _client(served) as client:
        result = client.fetch(_query())
    assert (len(result.attempts), len(result.caller_attempts)) == (50, 500)
    assert result.request_count == 4 and all(a.sip_code is not None for a in result.attempts)
