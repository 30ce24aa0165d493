"""Plivo: a Call object as an Attempt (the Voice API's and Zentrunk's documented examples, and odd values), and the
client against the simulator's Plivo flavour over httpx.MockTransport (its requests, the 30-day spans and the 90 days
Plivo keeps, offset paging, and every error kind in Plivo's words)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from fake_clock import FakeClock
from flavour_mock import FlavourTransport
from sipsight.core.knowledge import classify
from sipsight.core.models import OutcomeClass, Query
from sipsight.providers.errors import AuthFailed, BadResponse, NotConfigured, NotFound, ProviderUnavailable, RateLimited
from sipsight.providers.http import HttpConfig
from sipsight.providers.plivo import PlivoClient, call_to_attempt, read_call
from sipsight.providers.plivo.client import MAX_SPAN, spans
from sipsight.providers.plivo.records import NO_START, NO_UUID, NOT_AN_OBJECT, zentrunk_sip
from sipsight.simulator.flavours import plivo as flavour

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEST, CALLER = "+13035550199", "+17205550100"
AUTH_ID, TOKEN = flavour.DEMO_CREDENTIALS["auth_id"], flavour.DEMO_CREDENTIALS["auth_token"]

# The Call object of Plivo's docs (docs.plivo.com/docs/voice/api/call/the-call-object)
VOICE_EXAMPLE = {
    "answer_time": "2022-06-28 19:39:05+05:30",
    "bill_duration": 11,
    "billed_duration": 60,
    "call_direction": "inbound",
    "call_duration": 11,
    "call_uuid": "57a1b60a-5c0b-11e7-9082-ef888d0400e9",
    "end_time": "2022-06-28 19:39:15+05:30",
    "from_number": "12025551111",
    "initiation_time": "2022-06-28 19:39:04+05:30",
    "parent_call_uuid": None,
    "resource_uri": "/v1/Account/MA2025RK4E639VJFZAGV/Call/57a1b60a-5c0b-11e7-9082-ef888d0400e9/",
    "to_number": "19172592277",
    "total_amount": "0.00850",
    "total_rate": "0.00850",
    "hangup_cause_name": "End Of XML Instructions",
    "hangup_cause_code": 4010,
    "hangup_source": "Plivo",
    "source_ip": "92.168.0.1",
}
# Zentrunk's Call object example (docs.plivo.com/docs/sip-trunking/api/call/the-call-object)
ZENTRUNK_EXAMPLE = {
    "call_uuid": "90b6eb07-796c-4d86-a4fd-44ed11667ddb",
    "from_number": "+912235328936",
    "to_number": "+919943720205",
    "call_direction": "outbound",
    "call_duration": 4,
    "bill_duration": 4,
    "end_time": "2022-12-06 07:02:00",
    "hangup_cause_name": "normal_hangup",
    "hangup_source": "carrier",
    "initiation_time": "2022-12-06 07:01:48",
    "answer_time": "2022-12-06 07:01:56",
    "hangup_cause_code": 3000,
    "stir_verification": "not applicable",
}


# --------------------------------------------------------------------------- record mapping


def test_the_docs_voice_example_reads_with_its_offset_and_cause() -> None:
    attempt = call_to_attempt(VOICE_EXAMPLE)
    assert attempt.id == VOICE_EXAMPLE["call_uuid"] and attempt.provider == "plivo"
    assert (attempt.from_, attempt.to) == ("+12025551111", "+19172592277")
    assert attempt.start_time == datetime(2022, 6, 28, 14, 9, 4, tzinfo=UTC)  # 19:39:04 at +05:30
    assert attempt.provider_error_code == "4010" and attempt.provider_status == "End Of XML Instructions"
    assert attempt.sip_code is None and attempt.answered_by is None
    assert attempt.ring_s == 1.0 and attempt.duration_s == 11.0 and attempt.raw["derived"] == ["ring_s"]
    assert attempt.disconnected_by == "unknown"  # Plivo itself ended it: neither party
    assert classify(attempt) is OutcomeClass.CONNECTED


def test_zentrunk_codes_are_read_per_product_and_carry_their_sip_code() -> None:
    attempt = call_to_attempt(ZENTRUNK_EXAMPLE, product="zentrunk")
    assert attempt.provider_error_code == "zentrunk:3000" and attempt.sip_code == 200
    assert attempt.disconnected_by == "callee"  # the carrier's side
    assert attempt.raw["naive_times"] is True  # Zentrunk's example times have no offset: read as UTC
    assert zentrunk_sip("4010") == 503 and zentrunk_sip("3020") is None  # rtp_timeout maps to "0"
    rejected = call_to_attempt({**ZENTRUNK_EXAMPLE, "hangup_cause_code": 4010, "answer_time": ""}, product="zentrunk")
    assert rejected.sip_code == 503 and classify(rejected) is OutcomeClass.PLATFORM_REJECTED
    # the same number means something else in the Voice API: 4000 is a normal hangup there
    voice = call_to_attempt({**ZENTRUNK_EXAMPLE, "hangup_cause_code": 4000, "hangup_cause_name": "Normal Hangup"})
    assert voice.provider_error_code == "4000" and voice.sip_code is None
    assert classify(voice) is OutcomeClass.CONNECTED


@pytest.mark.parametrize(
    ("code", "name", "outcome"),
    [
        (2000, "Invalid Destination Address", OutcomeClass.INVALID_NUMBER),
        (2010, "Destination Out Of Service", OutcomeClass.UNREACHABLE),
        (2030, "Destination Country Barred", OutcomeClass.PLATFORM_REJECTED),
        (1000, "Canceled", OutcomeClass.CALLER_CANCELED),
        (0, "Unknown", OutcomeClass.UNKNOWN),
    ],
)
def test_documented_causes_classify_through_the_knowledge_base(code: int, name: str, outcome: OutcomeClass) -> None:
    call = {**VOICE_EXAMPLE, "hangup_cause_code": code, "hangup_cause_name": name, "answer_time": None,
            "bill_duration": 0, "hangup_source": "Carrier"}  # fmt: skip
    attempt = call_to_attempt(call)
    assert attempt.duration_s is None and attempt.ring_s == 11.0  # unanswered: end minus initiation
    assert classify(attempt) is outcome


@pytest.mark.parametrize(
    ("source", "who"),
    [("Caller", "caller"), ("Call recipient", "callee"), ("Callee", "callee"), ("API Request", "caller"),
     ("Answer XML", "caller"), ("Carrier", "callee"), ("Error", "unknown"), ("customer", "caller"), ("??", None)],
)  # fmt: skip
def test_hangup_source_is_who_hung_up(source: str, who: str | None) -> None:
    assert call_to_attempt({**VOICE_EXAMPLE, "hangup_source": source}).disconnected_by == who


@pytest.mark.parametrize("odd", [None, "", "x", -5, 10**30, float("nan"), float("inf"), [], {"a": 1}, True, "4010"])
def test_odd_values_are_none_never_an_exception(odd: object) -> None:
    for key in ("hangup_cause_code", "bill_duration", "answer_time", "end_time", "hangup_cause_name", "to_number",
                "hangup_source", "from_number"):  # fmt: skip
        attempt = call_to_attempt({**VOICE_EXAMPLE, key: odd})
        attempt.to_json()
        assert attempt.duration_s is None or attempt.duration_s >= 0
        assert attempt.ring_s is None or 0 <= attempt.ring_s <= 24 * 3600


def test_unreadable_calls_say_why() -> None:
    assert read_call(7) == NOT_AN_OBJECT
    assert read_call({**VOICE_EXAMPLE, "call_uuid": "a/b"}) == NO_UUID
    assert read_call({**VOICE_EXAMPLE, "initiation_time": "soon", "end_time": None}) == NO_START
    with pytest.raises(ValueError, match=NO_START):
        call_to_attempt({**VOICE_EXAMPLE, "initiation_time": "0001-01-01 00:00:00", "end_time": 5})
    # the end alone still dates the call
    assert call_to_attempt({**VOICE_EXAMPLE, "initiation_time": None}).start_time.year == 2022


def test_a_window_is_read_in_spans_of_at_most_30_days() -> None:
    parts = spans(NOW - timedelta(days=75), NOW)
    assert len(parts) == 3 and parts[0][1] == NOW and parts[-1][0] == NOW - timedelta(days=75)
    assert all(hi - lo <= MAX_SPAN for lo, hi in parts)
    assert all(parts[i][0] == parts[i + 1][1] for i in range(len(parts) - 1))


# --------------------------------------------------------------------------- the client against the flavour


def config(clock: FakeClock | None = None, **kw) -> HttpConfig:
    settings = {"max_retries": 2, "backoff_base": 0.01, "backoff_max": 0.02, "budget_s": 30, **kw}
    return HttpConfig(clock=clock or FakeClock(), **settings)


def client(transport: FlavourTransport | httpx.MockTransport, auth: tuple[str, str] = (AUTH_ID, TOKEN), **kw):
    mock = transport if isinstance(transport, httpx.MockTransport) else httpx.MockTransport(transport)
    return PlivoClient(*auth, http_config=kw.pop("http_config", config()), transport=mock, **kw)


def query(days: float = 7, destination: str = DEST, **kw) -> Query:
    return Query(destination=destination, since=NOW - timedelta(days=days), until=NOW, **kw)


def served(scenario: str = "origin-ticket", **kw) -> FlavourTransport:
    return FlavourTransport(flavour, scenario, NOW, **kw)


def test_a_lookup_reads_the_call_list_of_both_parties_in_plivos_format() -> None:
    sim = served()
    tx = client(sim)
    try:
        result = tx.fetch(query())
    finally:
        tx.close()
    assert result.caller_id == CALLER and len(result.attempts) == 8
    assert all(a.provider_error_code == "4000" for a in result.attempts)
    assert result.caller_attempts and all(a.to != DEST for a in result.caller_attempts)
    first = dict(sim.log[0][2])
    assert sim.log[0][1] == f"/v1/Account/{AUTH_ID}/Call/"
    assert first["to_number"] == DEST[1:] and first["call_direction"] == "outbound"  # digits, no '+'
    assert first["end_time__gte"] == "2026-11-17 15:00:00" and first["end_time__lte"] == "2026-11-24 16:00:00"
    assert first["limit"] == "20" and first["offset"] == "0"
    caller_pages = [dict(p) for _, _, p, _ in sim.log if "from_number" in dict(p) and "to_number" not in dict(p)]
    offsets = sorted(int(p["offset"]) for p in caller_pages)
    assert offsets == list(range(0, 20 * len(offsets), 20)) and len(offsets) == 11  # 207 calls: 11 pages of 20
    assert result.request_count == len(sim.log) == 1 + 11
    assert not result.data.has_sip_codes and not result.data.has_answered_by
    assert "not a SIP code" in result.data.provider_caveats[0]


def test_a_long_window_is_asked_for_in_30_day_spans_and_never_past_90_days() -> None:
    sim = served("healthy-connected")
    tx = client(sim)
    try:
        result = tx.fetch(query(days=120, caller_id=CALLER))
    finally:
        tx.close()
    ranges = {(dict(p)["end_time__gte"], dict(p)["end_time__lte"]) for _, _, p, s in sim.log}
    assert all(s == 200 for *_, s in sim.log)  # Plivo refuses a range over 30 days: none was sent
    lows = sorted(datetime.fromisoformat(lo).replace(tzinfo=UTC) for lo, _ in ranges)
    assert lows[0] >= datetime.now(UTC) - timedelta(days=90, minutes=1)
    assert any("only the last 90 days" in c for c in result.data.provider_caveats)


def test_spans_cover_what_a_45_day_window_holds() -> None:
    sim = served("origin-ticket")
    tx = client(sim)
    try:
        result = tx.fetch(query(days=45, caller_id=CALLER))
    finally:
        tx.close()
    dest_spans = {dict(p)["end_time__gte"] for _, _, p, _ in sim.log if "to_number" in dict(p)}
    assert len(dest_spans) == 2 and len(result.attempts) == 8


def test_bad_credentials_and_a_wrong_auth_id_in_plivos_words() -> None:
    tx = client(served(), auth=(AUTH_ID, "wrong"))
    with pytest.raises(AuthFailed) as err:
        tx.fetch(query())
    tx.close()
    assert "Plivo rejected the credentials" in err.value.message and "Auth ID and the Auth Token" in err.value.hint
    tx = client(served(), auth=("MA" + "9" * 18, TOKEN))
    with pytest.raises(AuthFailed):
        tx.fetch(query())
    tx.close()


def fault_on(status: int, times: int = 10**6, headers: dict | None = None):
    seen = {"n": 0}

    def fault(_scope: str, _n: int):
        if seen["n"] >= times:
            return None
        seen["n"] += 1
        return status, headers or {}

    return fault


def test_404_429_5xx_and_a_body_that_is_no_page() -> None:
    tx = client(served(fault=fault_on(404)))
    with pytest.raises(NotFound) as not_found:
        tx.fetch(query())
    tx.close()
    assert "Auth ID" in not_found.value.hint
    tx = client(served(fault=fault_on(429)))
    with pytest.raises(RateLimited) as limited:
        tx.fetch(query())
    tx.close()
    assert "300 API requests per 5 seconds" in limited.value.hint
    clock = FakeClock()
    tx = client(served(fault=fault_on(429, times=1, headers={"Retry-After": "3"})), http_config=config(clock))
    assert tx.fetch(query(caller_id=CALLER)).attempts
    tx.close()
    assert 3.0 in clock.sleeps
    tx = client(served(fault=fault_on(500)))
    with pytest.raises(ProviderUnavailable) as down:
        tx.fetch(query())
    tx.close()
    assert "status.plivo.com" in down.value.hint

    def no_page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"api_id": "x", "meta": {}, "objects": {"0": 1}})

    tx = client(httpx.MockTransport(no_page))
    with pytest.raises(BadResponse) as bad:
        tx.fetch(query())
    tx.close()
    assert "Plivo sent a call list page that could not be read" in bad.value.message


def test_connection_check_names_the_account_and_its_time_zone() -> None:
    tx = client(served())
    try:
        summary = tx.check_connection()
    finally:
        tx.close()
    assert "SIPSight demo account" in summary and "America/Denver" in summary and TOKEN not in summary


def test_missing_credentials_and_products_are_refused() -> None:
    with pytest.raises(NotConfigured):
        PlivoClient("", TOKEN)
    with pytest.raises(NotConfigured):
        PlivoClient(AUTH_ID, TOKEN, product="sms")
    with pytest.raises(NotConfigured):
        PlivoClient(AUTH_ID, TOKEN, base_url="ftp://x")
    assert PlivoClient(AUTH_ID, TOKEN, product="zentrunk").root == "https://zt.plivo.com"


def test_an_unknown_cause_is_shown_as_plivo_wrote_it_and_said() -> None:
    sim = served("busy-seller")  # Plivo's busy cause is not in the table the notes hold: served as 0 Unknown
    tx = client(sim)
    try:
        result = tx.fetch(query(destination=sim.sim.scenario.destination, caller_id=CALLER))
    finally:
        tx.close()
    busy = [a for a in result.attempts if a.provider_error_code == "0"]
    assert busy and all(a.provider_status == "Unknown" for a in busy)
    assert all(classify(a) is OutcomeClass.UNKNOWN for a in busy)
    assert not any("SIPSight has no entry for" in c for c in result.data.provider_caveats)  # 0 is in the table


def test_a_cause_outside_the_knowledge_base_is_named_in_a_caveat() -> None:
    calls = [{**VOICE_EXAMPLE, "call_uuid": f"00000000-0000-4000-8000-00000000000{i}", "to_number": DEST[1:],
              "from_number": CALLER[1:], "initiation_time": "2026-11-24 10:00:0{i}+00:00", "answer_time": None,
              "end_time": "2026-11-24 10:00:30+00:00", "hangup_cause_code": 3010 + i % 2,
              "hangup_cause_name": "Some Recipient Cause"} for i in range(3)]  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"api_id": "a", "meta": {"total_count": 3}, "objects": calls})

    tx = client(httpx.MockTransport(handler))
    try:
        result = tx.fetch(query(caller_id=CALLER))
    finally:
        tx.close()
    said = [c for c in result.data.provider_caveats if "SIPSight has no entry for" in c]
    assert said and said[0].startswith("3 calls ended with a Plivo hangup cause")
    assert "3010 Some Recipient Cause" in said[0] and "3011 Some Recipient Cause" in said[0]
