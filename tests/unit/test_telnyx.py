"""Telnyx: a leg's events and detail record as an Attempt (the spec's and docs' own examples, and odd values), and the
client against the simulator's Telnyx flavour over httpx.MockTransport (its requests, paging, filters, the 24-hour
event search, and every error kind in Telnyx's words)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from fake_clock import FakeClock
from flavour_mock import FlavourTransport
from sipsight.core.knowledge import classify
from sipsight.core.models import OutcomeClass, Query
from sipsight.providers.errors import AuthFailed, NotConfigured, NotFound, ProviderUnavailable, RateLimited
from sipsight.providers.http import HttpConfig
from sipsight.providers.telnyx import TelnyxClient, leg_to_attempt, legs_of, read_event, read_record
from sipsight.providers.telnyx.records import NO_LEG, NO_START, NOT_AN_OBJECT, Leg, payload_of
from sipsight.simulator.flavours import telnyx as flavour

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEST, CALLER = "+13035550199", "+17205550100"
KEY = flavour.DEMO_CREDENTIALS["api_key"]
LEG = "428c31b6-7af4-4bcb-b7f5-5013ef9657c1"

# The spec's CallHangup example (components.schemas.CallHangup.example), as the call event that carries it
HANGUP_EXAMPLE = {
    "event_type": "call.hangup",
    "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
    "occurred_at": "2018-02-02T22:25:27.521992Z",
    "payload": {
        "call_control_id": "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg",
        "call_leg_id": LEG,
        "call_session_id": "428c31b6-7af4-4bcb-b7f5-5013ef9657c1",
        "connection_id": "7267xxxxxxxxxxxxxx",
        "from": "+35319605860",
        "hangup_cause": "call_rejected",
        "hangup_source": "caller",
        "sip_hangup_cause": "603",
        "start_time": "2018-02-02T22:20:27.521992Z",
        "state": "hangup",
        "to": "+35319605860",
    },
    "record_type": "event",
}
# Telnyx's documented voice detail record (developers.telnyx.com, WebRTC detail records example)
RECORD_EXAMPLE = {
    "finished_at": "2024-12-11T17:43:24Z",
    "call_sec": 50,
    "connection_name": "js-sdk-p2",
    "cld": "+18008648331",
    "cli": "+15127376291",
    "direction": "outbound",
    "telnyx_leg_id": "4b679aae-b7e7-11ef-9fe0-02420aef3920",
    "billed_sec": 60,
    "record_type": "webrtc_detail_record",
    "started_at": "2024-12-11T17:42:30Z",
    "id": "4b679aae-b7e7-11ef-9fe0-02420aef3920",
}


def event(name: str, at: str, payload: dict, leg: str = LEG) -> dict:
    return {
        "record_type": "call_event",
        "call_leg_id": leg,
        "call_session_id": "s-1",
        "event_timestamp": at,
        "name": name,
        "type": "webhook",
        "metadata": {"event_type": name, "occurred_at": at, "payload": {"call_leg_id": leg, **payload}},
    }


def attempt_of(items: list[dict], records: list[dict] | None = None):
    events = [e for e in map(read_event, items) if not isinstance(e, str)]
    legs = legs_of(events, records or [])
    assert len(legs) == 1
    return leg_to_attempt(legs[0])


# --------------------------------------------------------------------------- record mapping


def test_the_specs_hangup_example_is_a_603_rejection_by_the_caller_side() -> None:
    at = HANGUP_EXAMPLE["occurred_at"]
    item = {"record_type": "call_event", "call_leg_id": LEG, "call_session_id": LEG, "name": "call.hangup",
            "event_timestamp": at, "type": "webhook", "metadata": HANGUP_EXAMPLE}  # fmt: skip
    attempt = attempt_of([item])
    assert attempt.id == LEG and attempt.provider == "telnyx"
    assert attempt.provider_status == "call_rejected" and attempt.sip_code == 603
    assert attempt.disconnected_by == "caller"
    assert attempt.start_time == datetime(2018, 2, 2, 22, 20, 27, 521992, tzinfo=UTC)  # the payload's start_time
    assert attempt.ring_s == pytest.approx(300.0)  # unanswered: hangup minus start
    assert attempt.duration_s is None and attempt.answered_by is None
    assert classify(attempt) is OutcomeClass.DECLINED


def test_a_whole_call_gives_ring_time_talk_time_and_the_machine_answer() -> None:
    start = {"from": CALLER, "to": DEST, "start_time": "2026-11-24T10:00:00Z"}
    attempt = attempt_of(
        [
            event("call.initiated", "2026-11-24T10:00:00Z", {**start, "direction": "outgoing", "state": "bridging"}),
            event("call.answered", "2026-11-24T10:00:01.600000Z", {**start, "state": "answered"}),
            event("call.machine.detection.ended", "2026-11-24T10:00:04Z", {"result": "machine"}),
            event("call.hangup", "2026-11-24T10:00:10.600000Z",
                  {**start, "hangup_cause": "normal_clearing", "hangup_source": "caller", "sip_hangup_cause": "200"}),
        ]
    )  # fmt: skip
    assert (attempt.from_, attempt.to) == (CALLER, DEST)
    assert attempt.ring_s == pytest.approx(1.6) and attempt.duration_s == pytest.approx(9.0)
    assert attempt.answered_by == "machine" and attempt.sip_code == 200
    assert classify(attempt) is OutcomeClass.VOICEMAIL


def test_premium_detection_wins_and_its_results_map_to_sipsight_words() -> None:
    for result, said in [("human_residence", "human"), ("fax_detected", "fax"), ("silence", "unknown")]:
        attempt = attempt_of(
            [
                event("call.initiated", "2026-11-24T10:00:00Z", {"to": DEST}),
                event("call.machine.detection.ended", "2026-11-24T10:00:03Z", {"result": "machine"}),
                event("call.machine.premium.detection.ended", "2026-11-24T10:00:04Z", {"result": result}),
            ]
        )
        assert attempt.answered_by == said


def test_a_detail_record_alone_says_answered_and_for_how_long_nothing_more() -> None:
    attempt = attempt_of([], [RECORD_EXAMPLE])
    assert attempt.id == RECORD_EXAMPLE["telnyx_leg_id"]
    assert (attempt.from_, attempt.to) == ("+15127376291", "+18008648331")
    assert attempt.provider_status == "completed" and attempt.raw["derived"] == ["provider_status"]
    assert attempt.duration_s == 50.0 and attempt.sip_code is None and attempt.ring_s is None
    unanswered = attempt_of([], [{**RECORD_EXAMPLE, "call_sec": 0}])
    assert unanswered.provider_status is None  # how an unanswered call ended is not in the record
    assert classify(unanswered) is OutcomeClass.UNKNOWN


def test_a_record_with_a_hangup_cause_is_read_when_telnyx_sends_one() -> None:
    record = {**RECORD_EXAMPLE, "call_sec": 0, "hangup_cause": "USER_BUSY", "sip_hangup_cause": 486,
              "hangup_source": "callee"}  # fmt: skip
    attempt = attempt_of([], [record])
    assert (attempt.provider_status, attempt.sip_code, attempt.disconnected_by) == ("user_busy", 486, "callee")


def test_events_win_over_the_record_of_the_same_leg() -> None:
    leg = RECORD_EXAMPLE["telnyx_leg_id"]
    hangup = event("call.hangup", "2024-12-11T17:43:24Z", {"hangup_cause": "timeout", "sip_hangup_cause": "487",
                   "start_time": "2024-12-11T17:42:30Z"}, leg=leg)  # fmt: skip
    attempt = attempt_of([hangup], [RECORD_EXAMPLE])
    assert attempt.provider_status == "timeout" and attempt.sip_code == 487
    assert "record" in attempt.raw and attempt.raw["events"]


def test_events_of_a_call_not_over_yet_say_so() -> None:
    attempt = attempt_of([event("call.initiated", "2026-11-24T10:00:00Z", {"to": DEST})])
    assert attempt.provider_status == "ringing" and classify(attempt) is OutcomeClass.IN_PROGRESS


@pytest.mark.parametrize(
    "metadata",
    [
        {"payload": {"hangup_cause": "user_busy"}},
        {"data": {"event_type": "call.hangup", "payload": {"hangup_cause": "user_busy"}}, "meta": {"attempt": 1}},
        {"event": {"payload": {"hangup_cause": "user_busy"}}},
        {"hangup_cause": "user_busy", "call_leg_id": LEG},
    ],
)
def test_the_payload_is_found_in_the_shapes_a_webhook_comes_in(metadata: dict) -> None:
    assert payload_of(metadata)["hangup_cause"] == "user_busy"


@pytest.mark.parametrize("odd", [None, "", "unspecified", "abc", "99", "700", 1e309, float("nan"), [], {"a": 1}, True])
def test_an_odd_sip_hangup_cause_is_no_sip_code(odd: object) -> None:
    item = event("call.hangup", "2026-11-24T10:00:05Z", {"start_time": "2026-11-24T10:00:00Z",
                 "hangup_cause": "unspecified", "sip_hangup_cause": odd, "hangup_source": "martian"})  # fmt: skip
    attempt = attempt_of([item])
    assert attempt.sip_code is None and attempt.disconnected_by is None
    attempt.to_json()


def test_unreadable_events_and_records_say_why() -> None:
    assert read_event("x") == NOT_AN_OBJECT
    assert read_event({"name": "call.hangup", "metadata": {}}) == NO_LEG
    assert read_event({"call_leg_id": "../../x", "name": "call.hangup"}) == NO_LEG
    assert read_record([1]) == NOT_AN_OBJECT
    assert read_record({"telnyx_leg_id": LEG, "started_at": "yesterday"}) == NO_START
    with pytest.raises(ValueError, match=NO_START):
        leg_to_attempt(Leg(LEG))
    hangup = copy.deepcopy(HANGUP_EXAMPLE)
    hangup["payload"]["start_time"] = "0001-01-01T00:00:00Z"
    item = {"call_leg_id": LEG, "name": "call.hangup", "event_timestamp": "not a time", "metadata": hangup}
    with pytest.raises(ValueError, match=NO_START):
        attempt_of([item])


# --------------------------------------------------------------------------- the client against the flavour


def config(clock: FakeClock | None = None, **kw) -> HttpConfig:
    settings = {"max_retries": 2, "backoff_base": 0.01, "backoff_max": 0.02, "budget_s": 30, **kw}
    return HttpConfig(clock=clock or FakeClock(), **settings)


def client(transport: FlavourTransport | httpx.MockTransport, key: str = KEY, **kw) -> TelnyxClient:
    mock = transport if isinstance(transport, httpx.MockTransport) else httpx.MockTransport(transport)
    return TelnyxClient(key, http_config=kw.pop("http_config", config()), transport=mock, **kw)


def query(**kw) -> Query:
    return Query(destination=DEST, since=NOW - timedelta(days=7), until=NOW, **kw)


def test_a_lookup_reads_events_and_records_of_the_destination_then_the_callers_events() -> None:
    served = FlavourTransport(flavour, "origin-ticket", NOW)
    tx = client(served)
    try:
        result = tx.fetch(query())
    finally:
        tx.close()
    assert result.caller_id == CALLER
    assert len(result.attempts) == 8  # 3 conversations days ago (records) + 5 voicemail answers today (events)
    recent = [a for a in result.attempts if a.raw.get("events")]
    assert len(recent) == 5 and all(a.answered_by == "machine" and a.ring_s < 3.5 for a in recent)
    older = [a for a in result.attempts if not a.raw.get("events")]
    assert len(older) == 3 and all(a.provider_status == "completed" and a.duration_s > 60 for a in older)
    assert result.caller_attempts and all(a.to != DEST for a in result.caller_attempts)
    assert all(a.raw.get("events") for a in result.caller_attempts)  # the comparison reads events only
    paths = [(path, dict(pairs)) for _, path, pairs, _ in served.log]
    assert result.request_count == len(served.log) == 3
    events_dest = next(p for path, p in paths if path == "/v2/call_events" and "filter[to]" in p)
    assert events_dest["filter[to]"] == DEST and events_dest["filter[type]"] == "webhook"
    assert events_dest["page[size]"] == "250" and events_dest["filter[occurred_at][gte]"] == "2026-11-17T15:00:00Z"
    records = next(p for path, p in paths if path == "/v2/detail_records")
    assert records["filter[record_type]"] == "call-control" and records["filter[cld]"] == DEST
    assert records["sort"] == "-created_at" and records["page[size]"] == "50"
    assert records["filter[created_at][lt]"] == "2026-11-24T15:00:01Z"
    caller_events = next(p for path, p in paths if path == "/v2/call_events" and "filter[from]" in p)
    assert "filter[to]" not in caller_events
    caveats = " ".join(result.data.provider_caveats)
    assert "3 calls older than Telnyx's 24-hour call-event search" in caveats
    assert "inferred" in caveats
    assert result.data.has_sip_codes and result.data.has_answered_by and result.data.has_caller_history


def test_with_the_caller_id_given_both_parties_start_at_once() -> None:
    served = FlavourTransport(flavour, "origin-ticket", NOW)
    tx = client(served)
    try:
        result = tx.fetch(query(caller_id=CALLER))
    finally:
        tx.close()
    dest_events = [dict(p) for _, path, p, _ in served.log if path == "/v2/call_events" and ("filter[to]", DEST) in p]
    assert dest_events and dest_events[0]["filter[from]"] == CALLER
    assert not any("inferred" in c for c in result.data.provider_caveats)


def test_many_events_are_paged_and_the_newest_pages_are_read() -> None:
    served = FlavourTransport(flavour, "caller-id-608-redress", NOW)  # 400 other calls: well over a page of events
    tx = client(served)
    try:
        result = tx.fetch(query(max_caller_attempts=100))
    finally:
        tx.close()
    caller_pages = [dict(p)["page[number]"] for _, path, p, _ in served.log
                    if path == "/v2/call_events" and "filter[to]" not in dict(p)]  # fmt: skip
    assert len(caller_pages) > 1 and "1" in caller_pages
    assert caller_pages[-1] != "2" or len(caller_pages) == 2
    newest = max(a.start_time for a in result.caller_attempts)
    assert newest > NOW - timedelta(hours=1)  # the newest events were among the pages read
    assert any("Only the caller ID's latest 100 calls" in c for c in result.data.provider_caveats)


def test_the_event_search_reaches_back_24_hours_only() -> None:
    served = FlavourTransport(flavour, "origin-ticket", NOW)
    tx = client(served)
    try:
        body = tx.http.scope().get_json(f"{tx.root}/v2/call_events", {"filter[to]": DEST, "page[size]": 250})
    finally:
        tx.close()
    stamps = [datetime.fromisoformat(e["event_timestamp"].replace("Z", "+00:00")) for e in body["data"]]
    assert stamps and min(stamps) >= served.sim.clock() - timedelta(hours=24, seconds=5)


def fault_on(status: int, scope: str = "all", times: int = 10**6, headers: dict | None = None):
    seen = {"n": 0}

    def fault(request_scope: str, _n: int):
        if scope not in ("all", request_scope) or seen["n"] >= times:
            return None
        seen["n"] += 1
        return status, headers or {}

    return fault


def test_a_bad_key_is_auth_failed_in_telnyx_words() -> None:
    tx = client(FlavourTransport(flavour, "origin-ticket", NOW), key="KEYwrong")
    with pytest.raises(AuthFailed) as err:
        tx.fetch(query())
    tx.close()
    assert err.value.status == 401 and "Telnyx rejected the credentials" in err.value.message
    assert "Telnyx API v2 key" in err.value.hint


def test_events_refused_degrades_to_the_records_and_says_so() -> None:
    served = FlavourTransport(flavour, "origin-ticket", NOW, fault=fault_on(403, "events"))
    tx = client(served)
    try:
        result = tx.fetch(query(caller_id=CALLER))
    finally:
        tx.close()
    assert result.attempts and not any(a.raw.get("events") for a in result.attempts)
    assert result.caller_attempts  # the caller's records stand in for the events
    assert any("call events could not be read" in c and "HTTP 403" in c for c in result.data.provider_caveats)
    assert not result.data.has_sip_codes and not result.data.has_answered_by


def test_both_lists_refused_is_the_lookups_error() -> None:
    tx = client(FlavourTransport(flavour, "origin-ticket", NOW, fault=fault_on(403)))
    with pytest.raises(AuthFailed) as err:
        tx.fetch(query())
    tx.close()
    assert err.value.status == 403 and "Mission Control Portal" in err.value.hint


def test_404_is_not_found_and_5xx_is_unavailable_after_retries() -> None:
    tx = client(FlavourTransport(flavour, "origin-ticket", NOW, fault=fault_on(404)))
    with pytest.raises(NotFound):
        tx.fetch(query())
    tx.close()
    clock = FakeClock()
    tx = client(FlavourTransport(flavour, "origin-ticket", NOW, fault=fault_on(503)), http_config=config(clock))
    with pytest.raises(ProviderUnavailable) as err:
        tx.fetch(query())
    tx.close()
    assert "status.telnyx.com" in err.value.hint and len(clock.sleeps) >= 2


def test_429_waits_for_x_ratelimit_reset_then_reads() -> None:
    clock = FakeClock()
    limited = fault_on(429, times=1, headers={"x-ratelimit-reset": "7"})
    tx = client(FlavourTransport(flavour, "origin-ticket", NOW, fault=limited), http_config=config(clock))
    try:
        result = tx.fetch(query(caller_id=CALLER))
    finally:
        tx.close()
    assert result.attempts and 7.0 in clock.sleeps  # the reset, not a backoff guess


def test_429_for_good_names_the_header_in_the_hint() -> None:
    limited = fault_on(429, headers={"x-ratelimit-reset": "1"})
    tx = client(FlavourTransport(flavour, "origin-ticket", NOW, fault=limited))
    with pytest.raises(RateLimited) as err:
        tx.fetch(query())
    tx.close()
    assert "Telnyx is rate-limiting" in err.value.message and "x-ratelimit-reset" in err.value.hint


def test_a_later_page_failing_keeps_the_pages_read_and_says_so() -> None:
    served = FlavourTransport(flavour, "caller-id-608-redress", NOW)

    def handler(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if "filter[to]" not in params and params.get("page[number]", "1") != "1":
            return httpx.Response(503, json=flavour.error_body(503))
        return served(request)

    tx = client(httpx.MockTransport(handler), http_config=config(max_retries=0))
    try:
        result = tx.fetch(query(caller_id=CALLER))
    finally:
        tx.close()
    assert result.caller_attempts
    stopped = [c for c in result.data.provider_caveats if "The list of the caller ID's calls stopped after 1 page" in c]
    assert stopped and "HTTP 503" in stopped[0]


def test_connection_check_reads_both_lists() -> None:
    tx = client(FlavourTransport(flavour, "origin-ticket", NOW))
    try:
        summary = tx.check_connection()
    finally:
        tx.close()
    assert summary.startswith("Connected to Telnyx") and "call events: readable" in summary
    assert "detail records: readable" in summary
    bad = client(FlavourTransport(flavour, "origin-ticket", NOW), key="nope")
    with pytest.raises(AuthFailed):
        bad.check_connection()
    bad.close()


def test_no_key_and_an_unsafe_address_are_refused_before_any_request() -> None:
    with pytest.raises(NotConfigured):
        TelnyxClient("  ")
    with pytest.raises(NotConfigured):
        TelnyxClient(KEY, base_url="http://api.telnyx.example")  # clear text off this machine
    tx = TelnyxClient(KEY, base_url="http://127.0.0.1:9")
    assert tx.root == "http://127.0.0.1:9"
    tx.close()


def test_the_key_travels_as_a_bearer_token_and_never_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []
    served = FlavourTransport(flavour, "healthy-connected", NOW)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return served(request)

    caplog.set_level("DEBUG")
    tx = client(httpx.MockTransport(handler))
    try:
        tx.fetch(query())
    finally:
        tx.close()
    assert seen and set(seen) == {f"Bearer {KEY}"}
    assert KEY not in caplog.text and "0199" in caplog.text and DEST not in caplog.text
