"""Twilio client units: mapping a Call + Voice Insights summary to an Attempt, hosts, and the request plan.

The request plan runs against a small in-test Twilio fake (httpx.MockTransport) so each branch (Insights
off, partial summaries, a call missing from the Summaries list, sub-accounts) is pinned down exactly;
the same flows over real HTTP against the simulator are in test_lookup_e2e.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from sipsight.core.models import OutcomeClass, Query
from sipsight.providers.http import HttpConfig
from sipsight.providers.signalwire import SignalWireClient, space_url
from sipsight.providers.twilio import (
    TwilioClient,
    TwilioCredentials,
    call_to_attempt,
    rebase,
    resolve_hosts,
)

ACCOUNT = "AC" + "0" * 32
SUB = "AC" + "2" * 32
DEST = "+13035550199"
CALLER = "+17205550100"
OTHER = "+17205550142"
NOW = datetime.now(UTC).replace(microsecond=0)
FAST = HttpConfig(read_timeout=2, max_retries=1, backoff_base=0.01, backoff_max=0.02, budget_s=10)


def call(sid: str, minutes_ago: float, *, to: str = DEST, frm: str = CALLER, status: str = "failed", account=ACCOUNT):
    start = NOW - timedelta(minutes=minutes_ago)
    return {
        "sid": sid,
        "account_sid": account,
        "to": to,
        "from": frm,
        "status": status,
        "start_time": format_datetime(start),
        "date_created": format_datetime(start),
        "duration": "0" if status != "completed" else "42",
        "answered_by": None,
        "direction": "outbound-api",
    }


def summary(sid: str, sip: int | None, *, state: str = "complete", duration=25, connect=None):
    return {
        "call_sid": sid,
        "account_sid": ACCOUNT,
        "processing_state": state,
        "duration": duration,
        "connect_duration": connect,
        "answered_by": "unknown",
        "to": {"carrier": "Verizon Wireless", "connection": "mobile"},
        "properties": {
            "last_sip_response_num": sip,
            "pdd_ms": 2300,
            "disconnected_by": "unknown_disconnected_by",
            "q850_cause": 21 if sip and sip >= 600 else None,
        },
    }


class FakeTwilio:
    """Just enough of Twilio's three hosts to check which requests the client makes."""

    def __init__(self, calls, summaries, *, insights: bool = True, listed: set[str] | None = None, accounts=None):
        self.calls = calls
        self.summaries = {s["call_sid"]: s for s in summaries}
        self.insights = insights
        self.listed = listed  # SIDs the Summaries list returns (None: all)
        self.accounts = accounts or [ACCOUNT]
        self.log: list[tuple[str, str, dict[str, str]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        q = dict(parse_qsl(url.query.decode()))
        self.log.append((url.host, url.path, q))
        path = url.path
        if path.endswith("/Calls.json"):
            acct = path.split("/")[3]
            items = [
                c
                for c in self.calls
                if c["account_sid"] == acct
                and c["to"] == q.get("To", c["to"])
                and c["from"] == q.get("From", c["from"])
            ]
            return httpx.Response(200, json={"calls": items, "next_page_uri": None})
        if path == "/2010-04-01/Accounts.json":
            return httpx.Response(200, json={"accounts": [{"sid": s, "status": "active"} for s in self.accounts]})
        if path.startswith("/v1/Voice/"):
            if not self.insights:
                return httpx.Response(403, json={"code": 20403, "message": "Forbidden"})
            if path == "/v1/Voice/Summaries":
                items = [
                    s
                    for sid, s in self.summaries.items()
                    if (self.listed is None or sid in self.listed)
                    and any(
                        c["sid"] == sid and c["to"] == q.get("To", c["to"]) and c["from"] == q.get("From", c["from"])
                        for c in self.calls
                    )
                ]
                return httpx.Response(200, json={"call_summaries": items, "meta": {"next_page_url": None}})
            sid = path.split("/")[3]
            if sid in self.summaries:
                return httpx.Response(200, json=self.summaries[sid])
            return httpx.Response(404, json={"code": 20404, "message": "Not found"})
        if path.endswith("/Notifications.json"):
            sid = path.split("/")[5]
            return httpx.Response(200, json={"notifications": [{"call_sid": sid, "log": "0", "error_code": "21215"}]})
        if path.startswith("/v2/PhoneNumbers/"):
            return httpx.Response(200, json={"line_type_intelligence": {"type": "mobile"}})
        return httpx.Response(404)


def client(fake: FakeTwilio, **kw) -> TwilioClient:
    return TwilioClient(
        TwilioCredentials.api_key(ACCOUNT, "SK" + "1" * 32, "secret"),
        http_config=FAST,
        transport=httpx.MockTransport(fake),
        **kw,
    )


def query(**kw) -> Query:
    return Query(destination=DEST, since=NOW - timedelta(days=1), **kw)


# ----------------------------------------------------------------------------- mapping


def test_call_and_summary_map_to_an_attempt() -> None:
    c = call("CAdemo1", 5, status="failed")
    a = call_to_attempt(c, summary("CAdemo1", 608, duration=25, connect=None), None, provider="twilio")
    assert a.id == "CAdemo1" and a.provider == "twilio" and a.provider_status == "failed"
    assert a.start_time == NOW - timedelta(minutes=5) and a.start_time.tzinfo is not None
    assert (a.from_, a.to) == (CALLER, DEST)
    assert (a.sip_code, a.q850_cause, a.pdd_ms) == (608, 21, 2300)
    assert a.ring_s == 25.0 and a.disconnected_by == "unknown"
    assert (a.carrier, a.line_type, a.insights_state) == ("Verizon Wireless", "mobile", "complete")
    assert a.outcome is OutcomeClass.UNKNOWN  # the pipeline classifies, not the provider
    assert a.raw["call"] is c and a.raw["summary"]["call_sid"] == "CAdemo1"


def test_ring_time_is_total_minus_connect_and_talk_time_is_connect() -> None:
    c = call("CAdemo2", 5, status="completed")
    c["answered_by"] = "machine_start"
    a = call_to_attempt(c, summary("CAdemo2", 200, duration=52, connect=40), None, provider="twilio")
    assert (a.ring_s, a.duration_s, a.answered_by) == (12.0, 40.0, "machine_start")


def test_without_insights_the_call_fields_and_notification_code_remain() -> None:
    c = call("CAdemo3", 5, status="completed")
    notes = [{"log": "1", "error_code": "13223"}, {"log": "0", "error_code": "21215"}]
    a = call_to_attempt(c, None, notes, provider="twilio")
    assert a.sip_code is None and a.ring_s is None and a.insights_state is None
    assert a.duration_s == 42.0 and a.provider_error_code == "21215"  # the ERROR wins over the WARNING


def test_hosts_regional_edges_and_base_url_override() -> None:
    assert resolve_hosts()["api"] == "https://api.twilio.com"
    edge = resolve_hosts({"api": "api.dublin.ie1.twilio.com", "insights": None})
    assert edge["api"] == "https://api.dublin.ie1.twilio.com" and edge["insights"] == "https://insights.twilio.com"
    assert set(resolve_hosts({"api": "x.example"}, "http://127.0.0.1:9/").values()) == {"http://127.0.0.1:9"}


def test_next_page_links_stay_on_the_configured_origin() -> None:
    assert rebase("http://127.0.0.1:9", "/2010-04-01/Accounts/AC1/Calls.json?Page=1") == (
        "http://127.0.0.1:9/2010-04-01/Accounts/AC1/Calls.json?Page=1"
    )
    assert rebase("https://insights.dublin.example", "https://insights.twilio.com/v1/Voice/Summaries?Page=2") == (
        "https://insights.dublin.example/v1/Voice/Summaries?Page=2"
    )
    assert rebase("https://h/api/laml", "/api/laml/2010-04-01/x?Page=1") == "https://h/api/laml/2010-04-01/x?Page=1"
    assert rebase("https://h", None) is None


@pytest.mark.parametrize(
    "link",
    [".attacker.example/x", "0/x", "//attacker.example/x", "https://attacker.example/x", "x/y", "/x\x00", 7],
)
def test_next_page_links_off_the_configured_origin_are_refused(link) -> None:
    from sipsight.providers.url_policy import UnsafeLink

    with pytest.raises(UnsafeLink):
        rebase("https://api.twilio.com", link)


def test_signalwire_space_and_sip_result_code() -> None:
    assert space_url("example") == "https://example.signalwire.com"
    assert space_url("example.signalwire.com") == "https://example.signalwire.com"
    sw = SignalWireClient("proj", "tok", space="example", http_config=FAST)
    try:
        assert sw._calls_url("proj") == "https://example.signalwire.com/api/laml/2010-04-01/Accounts/proj/Calls.json"
        c = call("CAdemo4", 3) | {"sip_result_code": "486"}
        a = sw.to_attempt(c, None, None)
        assert a.sip_code == 486 and a.provider == "signalwire"
    finally:
        sw.close()


def test_each_client_speaks_as_its_catalog_entry() -> None:
    from sipsight.core.knowledge import provider_info

    tw = TwilioClient(TwilioCredentials.auth_token(ACCOUNT, "t"), http_config=FAST)
    sw = SignalWireClient("proj", "tok", space="example", http_config=FAST)
    with _closing(tw), _closing(sw):
        for client_, name in ((tw, "twilio"), (sw, "signalwire")):
            assert client_.name == client_.http.provider == name
            assert client_.label == client_.http.label == provider_info(name).label
        # Twilio's restricted API keys are a Twilio fact; a SignalWire 403 gets SignalWire's own hint
        assert "API key" in provider_info("twilio").hints["forbidden"]
        assert "API key" not in provider_info("signalwire").hints["forbidden"]


# ----------------------------------------------------------------------------- request plan


def test_insights_on_uses_the_summaries_list_not_per_call_fetches() -> None:
    calls = [call(f"CAd{i}", i + 1) for i in range(20)] + [call(f"CAo{i}", i + 1, to=OTHER) for i in range(40)]
    fake = FakeTwilio(calls, [summary(c["sid"], 608) for c in calls])
    with _closing(client(fake)) as tw:
        result = tw.fetch(query())
    assert result.caller_id == CALLER  # inferred: most frequent From
    assert len(result.attempts) == 20 and len(result.caller_attempts) == 40
    assert all(a.sip_code == 608 for a in result.attempts + result.caller_attempts)
    paths = [p for _, p, _ in fake.log]
    assert paths.count("/v1/Voice/Summaries") == 2 and not any(p.endswith("/Summary") for p in paths)
    assert result.request_count == len(fake.log) == 4
    first_calls = next(q for _, p, q in fake.log if p.endswith("Calls.json"))
    assert first_calls["To"] == DEST and "StartTime>" in first_calls and first_calls["PageSize"] == "50"
    assert any("inferred" in c for c in result.data.provider_caveats)
    assert result.data.has_sip_codes and result.data.has_caller_history


def test_calls_missing_from_the_list_are_fetched_per_call_and_partial_marked() -> None:
    calls = [call("CAd1", 2), call("CAd2", 30), call("CAd3", 60)]
    summaries = [summary("CAd1", 480, state="partial"), summary("CAd2", 608), summary("CAd3", 608)]
    fake = FakeTwilio(calls, summaries, listed={"CAd2", "CAd3"})
    with _closing(client(fake)) as tw:
        result = tw.fetch(query(caller_id=CALLER))
    per_call = [p for _, p, _ in fake.log if p.endswith("/Summary")]
    assert per_call == ["/v1/Voice/CAd1/Summary"]
    first = next(a for a in result.attempts if a.id == "CAd1")
    assert first.insights_state == "partial" and first.sip_code == 480
    assert result.data.partial_summaries == 1


def test_insights_off_degrades_to_notifications_with_a_caveat() -> None:
    calls = [call("CAd1", 2), call("CAd2", 30, status="completed"), call("CAo1", 3, to=OTHER)]
    fake = FakeTwilio(calls, [], insights=False)
    with _closing(client(fake)) as tw:
        result = tw.fetch(query(caller_id=CALLER))
    notif = sorted(p.split("/")[5] for _, p, _ in fake.log if p.endswith("Notifications.json"))
    assert notif == ["CAd1", "CAo1"]  # failed calls only; never the per-call Summary
    assert not any(p.endswith("/Summary") for _, p, _ in fake.log)
    assert not result.data.has_sip_codes
    assert "Voice Insights Advanced Features is off" in result.data.provider_caveats[0]
    assert next(a for a in result.attempts if a.id == "CAd1").provider_error_code == "21215"


def test_all_subaccounts_are_searched() -> None:
    calls = [call("CAd1", 2), call("CAd2", 5, account=SUB), call("CAo1", 3, to=OTHER, account=SUB)]
    fake = FakeTwilio(calls, [summary(c["sid"], 486) for c in calls], accounts=[ACCOUNT, SUB])
    with _closing(client(fake, subaccounts="all")) as tw:
        result = tw.fetch(query(caller_id=CALLER))
        assert sorted(a.id for a in result.attempts) == ["CAd1", "CAd2"]
        assert [a.id for a in result.caller_attempts] == ["CAo1"]
        summ = [q for _, p, q in fake.log if p == "/v1/Voice/Summaries"]
        assert {q.get("Subaccount") for q in summ} == {None, SUB}
        tw.fetch(query(caller_id=CALLER))  # the sub-account list is cached across lookups
    assert [p for _, p, _ in fake.log].count("/2010-04-01/Accounts.json") == 1


def test_line_type_lookup_when_enabled_and_window_filtering() -> None:
    calls = [call("CAd1", 2), call("CAold", 60 * 24 * 3)]
    fake = FakeTwilio(calls, [summary("CAd1", 486), summary("CAold", 486)])
    with _closing(client(fake, line_type_lookup=True)) as tw:
        result = tw.fetch(query(caller_id=CALLER))
    assert result.line_type == "mobile"
    assert [a.id for a in result.attempts] == ["CAd1"]  # the API filters by day; the window is exact
    lookups = [(h, p, q) for h, p, q in fake.log if p.startswith("/v2/PhoneNumbers/")]
    assert lookups == [("lookups.twilio.com", "/v2/PhoneNumbers/+13035550199", {"Fields": "line_type_intelligence"})]


class _closing:
    def __init__(self, tw: TwilioClient) -> None:
        self.tw = tw

    def __enter__(self) -> TwilioClient:
        return self.tw

    def __exit__(self, *exc) -> None:
        self.tw.close()


@pytest.mark.parametrize("status", [401, 404])
def test_call_list_errors_are_fatal(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"code": 20003, "message": "nope"})

    tw = TwilioClient(
        TwilioCredentials.auth_token(ACCOUNT, "t"), http_config=FAST, transport=httpx.MockTransport(handler)
    )
    from sipsight.providers import errors

    with _closing(tw), pytest.raises(errors.AuthFailed if status == 401 else errors.NotFound):
        tw.fetch(query())


def test_host_of_calls_is_api_and_of_summaries_is_insights() -> None:
    fake = FakeTwilio([call("CAd1", 2)], [summary("CAd1", 486)])
    with _closing(client(fake, hosts={"api": "api.dublin.ie1.twilio.com"})) as tw:
        tw.fetch(query(caller_id=CALLER))
    hosts = {p.split("/")[1]: h for h, p, _ in fake.log}
    assert hosts["2010-04-01"] == "api.dublin.ie1.twilio.com" and hosts["v1"] == "insights.twilio.com"
    assert all(urlsplit(f"https://{h}").hostname for h in hosts.values())
