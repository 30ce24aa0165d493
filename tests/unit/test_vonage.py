"""Vonage: the application JWT, a call record as an Attempt (realistic records and odd values), and the client against
the simulator's Vonage flavour over a mock transport (paging newest first, the filter on this side, the bound, errors
with and without Retry-After), plus a hypothesis fuzz of the record parser."""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_clock import FakeClock
from flavour_transport import FlavourServer
from provider_fuzz_vb import HostileVonage, vonage_record_case
from sipsight.core.knowledge import classify
from sipsight.core.lookup import FetchResult, analyse
from sipsight.core.models import OutcomeClass, Query
from sipsight.providers.errors import (
    AuthFailed,
    NotConfigured,
    NotFound,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from sipsight.providers.http import HttpConfig
from sipsight.providers.vonage import ApplicationKey, VonageClient, application_jwt, call_to_attempt, read_call
from sipsight.simulator.calls import materialize
from sipsight.simulator.flavours import vonage as fv

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEST = "+13035550199"
CALLER = "+17205550100"
APP = fv.demo_application()


def _config(**kw) -> HttpConfig:
    base = {"max_retries": 2, "backoff_base": 0.01, "backoff_max": 0.02, "budget_s": 60, "clock": FakeClock()}
    return HttpConfig(**(base | kw))


def _client(served: FlavourServer, **kw) -> VonageClient:
    config = kw.pop("http_config", None) or _config()
    return VonageClient(
        APP.application_id, APP.private_key_pem, base_url=served.base_url, transport=served.transport(),
        http_config=config, **kw,
    )  # fmt: skip


def _query(**kw) -> Query:
    return Query(destination=kw.pop("destination", DEST), since=NOW - timedelta(days=7), until=NOW, **kw)


def _decode(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# ----------------------------------------------------------------------------- the JWT


def test_the_jwt_carries_the_four_claims_and_verifies_with_the_public_key() -> None:
    key = ApplicationKey(APP.application_id, APP.private_key_pem, wall_clock=lambda: 1_800_000_000.7)
    token = key.token()
    head, body, sig = token.split(".")
    assert _decode(head) == {"alg": "RS256", "typ": "JWT"}
    claims = _decode(body)
    assert set(claims) == {"application_id", "iat", "exp", "jti"}
    assert claims["application_id"] == APP.application_id
    assert claims["iat"] == 1_800_000_000 and claims["exp"] == claims["iat"] + 300
    signature = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    APP.public_key.verify(signature, f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())  # raises if not
    assert key.token().split(".")[1] != body  # a new jti each time
    assert fv.authorized(f"Bearer {token}", APP, now=1_800_000_100)
    assert not fv.authorized(f"Bearer {token}", APP, now=1_800_000_400)  # expired
    assert not fv.authorized(f"Bearer {token[:-4]}AAAA", APP, now=1_800_000_100)  # tampered


def test_the_jwt_verifies_with_pyjwt_too() -> None:
    jwt = pytest.importorskip("jwt")
    token = ApplicationKey(APP.application_id, APP.private_key_pem).token()
    claims = jwt.decode(token, APP.public_key, algorithms=["RS256"], options={"require": ["exp", "iat", "jti"]})
    assert claims["application_id"] == APP.application_id


def test_every_request_gets_a_fresh_token() -> None:
    dest, other = materialize("caller-id-608-redress", NOW)
    seen: list[str] = []

    def record(request: httpx.Request) -> None:
        seen.append(request.headers["Authorization"])

    served = FlavourServer.vonage(dest + other, now=NOW, fault=lambda r: record(r))
    with _client(served) as client:
        client.fetch(_query(destination=dest[0].to))
    assert len(seen) >= 2 and len(set(seen)) == len(seen)
    assert all(s.startswith("Bearer ") for s in seen) and served.unauthorized == 0


@pytest.mark.parametrize(
    ("pem", "says"),
    [
        ("", "missing"),
        ("not a key", "missing"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "could not be read"),
    ],
)
def test_a_bad_private_key_is_a_setup_error_naming_no_part_of_it(pem: str, says: str) -> None:
    with pytest.raises(NotConfigured) as err:
        ApplicationKey(APP.application_id, pem)
    assert says in err.value.message and "AAAA" not in err.value.one_line()
    assert err.value.exit_code == 2


def test_keys_of_other_kinds_or_with_a_passphrase_are_refused() -> None:
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(NotConfigured, match="not an RSA key"):
        ApplicationKey(APP.application_id, ec_pem.decode())
    locked = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
    )
    with pytest.raises(NotConfigured, match="passphrase"):
        ApplicationKey(APP.application_id, locked.decode())
    with pytest.raises(NotConfigured, match="application ID"):
        ApplicationKey("", APP.private_key_pem)


def test_a_key_pasted_on_one_line_with_escaped_newlines_is_read_and_never_shown() -> None:
    one_line = APP.private_key_pem.strip().replace("\n", "\\n")
    key = ApplicationKey(APP.application_id, one_line)
    assert "PRIVATE" not in repr(key) and APP.application_id in repr(key)
    token = application_jwt(APP.application_id, key._key, now=0, jti="fixed")
    assert _decode(token.split(".")[1]) == {"application_id": APP.application_id, "iat": 0, "exp": 300, "jti": "fixed"}


# ----------------------------------------------------------------------------- records


def _record(**kw) -> dict:
    """A record as Vonage's own SDK tests carry it (voice/tests/data/list_calls.json), to 555-01xx numbers."""
    base = {
        "_links": {"self": {"href": "/v1/calls/e154eb57-2962-41e7-baf4-90f63e25e439"}},
        "conversation_uuid": "CON-d4e1389a-b2c8-4621-97eb-c6f3a2b51c72",
        "direction": "outbound",
        "duration": "2",
        "end_time": "2026-11-24T01:34:20.000Z",
        "from": {"number": "17205550100", "type": "phone"},
        "network": "23420",
        "price": "0.00333333",
        "rate": "0.10000000",
        "start_time": "2026-11-24T01:34:18.000Z",
        "status": "completed",
        "to": {"number": "13035550199", "type": "phone"},
        "uuid": "e154eb57-2962-41e7-baf4-90f63e25e439",
    }
    return base | kw


def test_a_completed_record_maps_to_an_attempt() -> None:
    a = call_to_attempt(_record())
    assert (a.id, a.provider, a.provider_status) == ("e154eb57-2962-41e7-baf4-90f63e25e439", "vonage", "completed")
    assert a.start_time == datetime(2026, 11, 24, 1, 34, 18, tzinfo=UTC)
    assert (a.from_, a.to) == (CALLER, DEST)
    assert a.duration_s == 2 and a.ring_s == 0 and a.sip_code is None and a.disconnected_by is None
    assert classify(a) is OutcomeClass.CONNECTED


def test_the_spec_s_own_time_format_is_read_as_utc() -> None:
    a = call_to_attempt(_record(start_time="2020-01-01 12:00:00", end_time="2020-01-01 12:00:30", duration="25"))
    assert a.start_time == datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
    assert a.ring_s == 5 and a.raw["derived"] == ["ring_s"]


@pytest.mark.parametrize(
    ("status", "detail", "outcome"),
    [
        ("rejected", None, OutcomeClass.DECLINED),  # the status alone: a decline and a block look the same
        ("rejected", "restricted", OutcomeClass.NETWORK_BLOCKED),
        ("rejected", "declined", OutcomeClass.DECLINED),
        ("rejected", "invalid_number", OutcomeClass.INVALID_NUMBER),
        ("failed", "number_out_of_service", OutcomeClass.INVALID_NUMBER),
        ("failed", "cannot_route", OutcomeClass.CARRIER_FAILURE),
        ("failed", None, OutcomeClass.UNKNOWN),
        ("unanswered", "unavailable", OutcomeClass.UNREACHABLE),
        ("busy", None, OutcomeClass.BUSY),
        ("cancelled", None, OutcomeClass.CALLER_CANCELED),
    ],
)
def test_status_and_detail_are_read_by_the_knowledge_base(status: str, detail: str | None, outcome) -> None:
    record = _record(status=status, end_time="2026-11-24T01:34:21.000Z")
    record.pop("duration")
    if detail:
        record["detail"] = detail
    a = call_to_attempt(record)
    assert a.duration_s is None and a.ring_s == 3  # an unanswered call: no talk time, it rang until the end
    assert a.provider_error_code == detail and a.raw.get("detail") == detail
    assert a.sip_code is None
    assert classify(a) is outcome


@pytest.mark.parametrize(
    ("field", "value", "check"),
    [
        ("to", {"type": "sip", "uri": "sip:rebekka@sip.example.com"}, lambda a: a.to == ""),
        ("to", {"type": "phone", "number": 13035550199}, lambda a: a.to == DEST),
        ("to", {"type": "phone", "number": "+13035550199"}, lambda a: a.to == DEST),
        ("to", "13035550199", lambda a: a.to == ""),
        ("duration", "x", lambda a: a.duration_s is None),
        ("duration", "-4", lambda a: a.duration_s is None),
        ("duration", float("nan"), lambda a: a.duration_s is None),
        ("status", 5, lambda a: a.provider_status is None),
        ("status", "COMPLETED", lambda a: a.provider_status == "completed"),
        ("end_time", "9999-12-31T23:59:59Z", lambda a: a.ring_s is None),
        ("end_time", "2026-11-23T01:34:20.000Z", lambda a: a.ring_s is None),  # ends before it starts
        ("detail", "Not A Detail!", lambda a: a.provider_error_code is None and "detail" not in a.raw),
        ("detail", "no_detail", lambda a: a.provider_error_code is None),
    ],
)
def test_odd_values_read_as_none(field: str, value, check) -> None:
    assert check(call_to_attempt(_record(**{field: value})))


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ([], "they were not call records"),
        (_record(uuid=None), "their call UUID was missing or invalid"),
        (_record(uuid="../x"), "their call UUID was missing or invalid"),
        (_record(start_time=None), "their start time was missing or invalid"),
        (_record(start_time="0001-01-01T00:00:00Z"), "their start time was missing or invalid"),
        (_record(start_time="yesterday"), "their start time was missing or invalid"),
    ],
)
def test_a_record_that_cannot_be_an_attempt_is_refused_with_its_reason(record, reason: str) -> None:
    assert read_call(record) == reason
    with pytest.raises(ValueError, match=reason):
        call_to_attempt(record)


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, 2**32))
def test_the_record_parser_reads_or_refuses_never_crashes(seed: int) -> None:
    record = vonage_record_case(random.Random(seed))
    try:
        attempt = call_to_attempt(record)
    except ValueError:
        assert isinstance(read_call(record), str), "only a record read_call refuses may be refused"
        return
    attempt.to_json()
    assert attempt.duration_s is None or attempt.duration_s >= 0
    assert attempt.ring_s is None or 0 <= attempt.ring_s <= 86400


# ----------------------------------------------------------------------------- the client against the flavour


def _served(scenario: str, **kw) -> tuple[FlavourServer, list]:
    dest, other = materialize(scenario, NOW)
    return FlavourServer.vonage(dest + other, now=NOW, **kw), dest


def test_a_lookup_reads_the_account_s_calls_newest_first_and_keeps_the_number_s_and_the_caller_s() -> None:
    served, dest = _served("caller-id-608-redress")
    with _client(served) as client:
        result = client.fetch(_query(destination=dest[0].to))
    assert isinstance(result, FetchResult)
    assert [a.id for a in result.attempts] == [fv.vonage_uuid(c.sid) for c in dest]
    assert [a.provider_status for a in result.attempts] == [fv.vonage_status(c)[0] for c in dest]
    assert result.caller_id == CALLER and result.caller_attempts
    assert all(a.from_ == CALLER and a.to != dest[0].to for a in result.caller_attempts)
    # no number filter exists: every request is the whole account's window, 100 a page, newest first
    window = _query(destination=dest[0].to)
    total = sum(1 for c in served.calls if window.since <= c.start_time <= window.until)
    assert result.request_count == len(served.requests) == -(-total // 100)
    for path, query in served.requests:
        params = dict(query)
        assert path == "/v1/calls" and params["page_size"] == "100" and params["order"] == "desc"
        assert "to" not in params and "from" not in params
    assert sorted(int(dict(q)["record_index"]) for _, q in served.requests) == [
        i * 100 for i in range(len(served.requests))
    ]
    assert not result.data.has_sip_codes and result.data.has_caller_history
    assert "no SIP code" in result.data.provider_caveats[0] and "rejected" in result.data.provider_caveats[0]
    assert any("inferred" in c for c in result.data.provider_caveats)


def test_a_608_block_shows_as_rejected_and_with_the_webhook_detail_as_restricted() -> None:
    served, dest = _served("caller-id-608-redress")
    with _client(served) as client:
        plain = client.fetch(_query(destination=dest[0].to, caller_id=CALLER))
    blocked = [a for a in plain.attempts if a.provider_status == "rejected"]
    assert blocked and all(classify(a) is OutcomeClass.DECLINED for a in blocked)  # what the status alone says
    served, _ = _served("caller-id-608-redress", detail=True)
    with _client(served) as client:
        rich = client.fetch(_query(destination=dest[0].to, caller_id=CALLER))
    blocked = [a for a in rich.attempts if a.provider_status == "rejected"]
    assert blocked and all(a.raw["detail"] == "restricted" for a in blocked)
    assert all(classify(a) is OutcomeClass.NETWORK_BLOCKED for a in blocked)
    assert "detail" in rich.data.provider_caveats[0]


def test_reading_stops_at_the_bound_and_says_how_far_back_it_read() -> None:
    served, dest = _served("caller-id-608-redress")
    with _client(served, max_pages=2) as client:
        result = client.fetch(_query(destination=dest[0].to))
    assert result.request_count == 2
    bound = [c for c in result.data.provider_caveats if "cannot be filtered by number" in c]
    assert len(bound) == 1 and "200 records (2 pages), back to 2026-11-" in bound[0]


def test_reading_stops_once_the_latest_calls_of_both_are_in() -> None:
    served, dest = _served("caller-id-608-redress")
    with _client(served) as client:
        result = client.fetch(_query(destination=dest[0].to, caller_id=CALLER, max_attempts=1, max_caller_attempts=20))
    assert len(result.attempts) == 1 and len(result.caller_attempts) == 20
    assert result.request_count < -(-len(served.calls) // 100)
    assert any("Only the latest 1 calls" in c for c in result.data.provider_caveats)


def test_an_empty_window_is_no_calls() -> None:
    served, _ = _served("no-calls-found")
    with _client(served) as client:
        result = client.fetch(Query(destination=DEST, since=NOW + timedelta(hours=1)))
    assert result.attempts == [] and result.caller_id is None and result.request_count == 1


def test_the_connection_check_names_the_application_and_the_missing_sip_codes() -> None:
    served, _ = _served("origin-ticket")
    with _client(served) as client:
        text = client.check_connection()
    assert "Vonage" in text and "0000…0000" in text and "no SIP codes" in text


def _failing(status: int, headers: dict | None = None, times: int = 10**6, after: int = 0):
    seen = {"n": 0}

    def fault(request: httpx.Request):
        seen["n"] += 1
        if after < seen["n"] <= after + times:
            return httpx.Response(status, json=fv.error(status).body, headers=headers or {})
        return None

    return fault


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (401, AuthFailed, "application ID and private key"),
        (403, AuthFailed, "capabilities in the Vonage dashboard"),
        (404, NotFound, "account ID and the application ID"),
        (503, ProviderUnavailable, "vonageapi.statuspage.io"),
        (429, RateLimited, "15 API requests a second"),
    ],
)
def test_errors_are_typed_and_in_vonage_s_words(status: int, kind, words: str) -> None:
    served, _ = _served("origin-ticket", fault=_failing(status))
    with _client(served) as client, pytest.raises(kind) as err:
        client.fetch(_query())
    assert err.value.provider == "vonage" and err.value.status == status
    assert "Vonage" in err.value.message and words in err.value.one_line()


def test_a_429_with_retry_after_is_waited_out() -> None:
    clock = FakeClock()
    served, _ = _served("origin-ticket", fault=_failing(429, {"Retry-After": "2"}, times=2))
    with _client(served, http_config=_config(clock=clock)) as client:
        result = client.fetch(_query())
    assert result.attempts and clock.sleeps == [2.0, 2.0]


def test_a_429_without_retry_after_backs_off_then_fails_typed() -> None:
    clock = FakeClock()
    served, _ = _served("origin-ticket", fault=_failing(429))
    with _client(served, http_config=_config(clock=clock)) as client, pytest.raises(RateLimited):
        client.fetch(_query())
    assert len(clock.sleeps) == 2 and all(0 < s <= 0.02 for s in clock.sleeps)


def test_a_later_page_failing_keeps_the_pages_read() -> None:
    served, dest = _served("caller-id-608-redress", fault=_failing(500, after=1))
    with _client(served) as client:
        result = client.fetch(_query(destination=dest[0].to))
    assert result.attempts
    stopped = [c for c in result.data.provider_caveats if "stopped after 1 page" in c]
    assert stopped and "HTTP 500" in stopped[0]


def test_a_base_url_in_clear_text_off_this_machine_is_refused() -> None:
    with pytest.raises(NotConfigured, match="plain http"):
        VonageClient(APP.application_id, APP.private_key_pem, base_url="http://vonage.example.com")


@settings(max_examples=250, deadline=None)
@given(st.integers(0, 2**32))
def test_a_whole_fetch_ends_in_a_result_or_a_provider_error(seed: int) -> None:
    rng = random.Random(seed)
    fake = HostileVonage(rng, hostility=rng.choice([0.2, 0.5, 0.9]))
    client = VonageClient(
        APP.application_id, APP.private_key_pem, transport=httpx.MockTransport(fake),
        http_config=_config(max_retries=1, budget_s=30),
    )  # fmt: skip
    try:
        result = client.fetch(_query())
    except ProviderError as err:
        assert err.message and "\n" not in err.one_line()
        return
    finally:
        client.close()
    analyse(_query(), result.attempts, result.caller_attempts, provider="vonage", data=result.data)


def test_the_50_plus_500_load_costs_six_requests() -> None:
    from sipsight.simulator.load_scenario import big_scenario

    dest, other = materialize(big_scenario(), NOW)
    served = FlavourServer.vonage(dest + other, now=NOW)
    with _client(served) as client:
        result = client.fetch(_query())
    assert (len(result.attempts), len(result.caller_attempts)) == (50, 500)
    assert result.request_count == 6  # 550 records, 100 a page: the caller's calls come from the same pages


def test_a_pkcs1_key_is_read_too() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    assert pem.startswith("-----BEGIN RSA PRIVATE KEY-----")
    token = ApplicationKey(APP.application_id, pem).token()
    head, body, sig = token.split(".")
    signature = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    key.public_key().verify(signature, f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
