"""The embedded provider over real HTTP: filters, paging, auth, Insights, Lookup, faults, SignalWire."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from sipsight.core.errors import InputError
from sipsight.simulator import Simulator
from sipsight.simulator.faults import parse_faults

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEST, CALLER = "+13035550199", "+17205550100"


@pytest.fixture(scope="module")
def sim():
    with Simulator("origin-ticket", now=NOW) as running:
        yield running


def _client(sim: Simulator, **kw) -> httpx.Client:
    return httpx.Client(base_url=sim.base_url, auth=(sim.account_sid, sim.auth_token), timeout=5, **kw)


def _calls_path(sim: Simulator) -> str:
    return f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"


def _all_pages(client: httpx.Client, path: str, params: dict) -> tuple[list[dict], list[dict]]:
    pages = [client.get(path, params=params).json()]
    while pages[-1]["next_page_uri"]:
        pages.append(client.get(pages[-1]["next_page_uri"]).json())
    return [call for page in pages for call in page["calls"]], pages


def test_pagination_walks_every_call_once_newest_first(sim) -> None:
    with _client(sim) as client:
        calls, pages = _all_pages(client, _calls_path(sim), {"From": CALLER, "PageSize": 40})
        assert len(calls) == len(sim.calls) > 150
        assert len({c["sid"] for c in calls}) == len(calls)
        starts = [parsedate_to_datetime(c["start_time"]) for c in calls]
        assert starts == sorted(starts, reverse=True)
        assert [p["page"] for p in pages] == list(range(len(pages)))
        assert pages[1]["start"] == 40 and pages[1]["end"] == 79 and pages[1]["page_size"] == 40
        assert "PageToken=PA" in pages[0]["next_page_uri"] and pages[0]["previous_page_uri"] is None
        assert pages[-1]["next_page_uri"] is None
        back = client.get(pages[2]["previous_page_uri"]).json()
        assert [c["sid"] for c in back["calls"]] == [c["sid"] for c in calls[40:80]]
        first = client.get(pages[2]["first_page_uri"]).json()
        assert first["calls"][0]["sid"] == calls[0]["sid"]
        big = client.get(_calls_path(sim), params={"PageSize": 1000}).json()
        assert [c["sid"] for c in big["calls"]] == [c["sid"] for c in calls]
        assert client.get(_calls_path(sim), params={"PageSize": 0}).status_code == 400


def test_to_from_and_status_filters(sim) -> None:
    with _client(sim) as client:
        to_dest = client.get(_calls_path(sim), params={"To": DEST}).json()["calls"]
        assert len(to_dest) == len(sim.destination_calls) == 8
        assert all(c["to"] == DEST and c["from"] == CALLER for c in to_dest)
        assert to_dest[0]["answered_by"] == "machine_start" and to_dest[0]["to_formatted"] == "(303) 555-0199"
        other_number = sim.other_calls[0].to
        assert {c["to"] for c in client.get(_calls_path(sim), params={"To": other_number}).json()["calls"]} == {
            other_number
        }
        assert client.get(_calls_path(sim), params={"From": "+19195550100"}).json()["calls"] == []
        busy = client.get(_calls_path(sim), params={"Status": "busy", "PageSize": 1000}).json()["calls"]
        assert busy and all(c["status"] == "busy" for c in busy)


def test_start_time_filters_use_literal_keys(sim) -> None:
    cutoff = NOW - timedelta(hours=16, minutes=30)
    with _client(sim) as client:
        response = client.get(_calls_path(sim), params={"To": DEST, "StartTime>": cutoff.isoformat()})
        assert "StartTime%3E=" in str(response.request.url)
        recent = response.json()["calls"]
        assert len(recent) == 5 and all(c["answered_by"] == "machine_start" for c in recent)
        assert "StartTime%3E=" in response.json()["uri"]
        older = client.get(_calls_path(sim), params={"To": DEST, "StartTime<": cutoff.isoformat()}).json()["calls"]
        assert len(older) == 3
        day = (NOW - timedelta(days=2)).date().isoformat()
        by_date = client.get(_calls_path(sim), params={"To": DEST, "StartTime>": day}).json()["calls"]
        assert all(parsedate_to_datetime(c["start_time"]).date().isoformat() >= day for c in by_date)
        bad = client.get(_calls_path(sim), params={"StartTime>": "last tuesday"})
        assert bad.status_code == 400 and bad.json()["code"] == 20001


def test_fetch_call_notifications_and_accounts(sim) -> None:
    with _client(sim) as client:
        sid = sim.destination_calls[0].sid
        call = client.get(f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}.json").json()
        assert call["sid"] == sid and call["status"] == "completed" and call["duration"] == "8"
        notes = client.get(f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}/Notifications.json").json()
        assert notes["notifications"] == []
        missing = client.get(f"/2010-04-01/Accounts/{sim.account_sid}/Calls/CA{'f' * 32}.json")
        assert missing.status_code == 404 and missing.json()["code"] == 20404
        other_account = client.get(f"/2010-04-01/Accounts/AC{'9' * 32}/Calls.json")
        assert other_account.status_code == 404
        account = client.get(f"/2010-04-01/Accounts/{sim.account_sid}.json").json()
        assert account["sid"] == sim.account_sid and account["status"] == "active"
        accounts = client.get("/2010-04-01/Accounts.json").json()["accounts"]
        assert len(accounts) == 2
        sub = accounts[1]
        # the demo's sub-account (the dialer team's) holds the scenario's calls too, under its own SID
        sub_calls = client.get(f"/2010-04-01/Accounts/{sub['sid']}/Calls.json", params={"PageSize": 1000}).json()
        assert {c["sid"] for c in sub_calls["calls"]} == {c.sid for c in sim.calls if c.start_time <= sim.clock()}
        assert {c["account_sid"] for c in sub_calls["calls"]} == {sub["sid"]}
        sub_call = client.get(f"/2010-04-01/Accounts/{sub['sid']}/Calls/{sid}.json").json()
        assert sub_call["sid"] == sid and sub_call["account_sid"] == sub["sid"]
        named = client.get("/2010-04-01/Accounts.json", params={"FriendlyName": sub["friendly_name"]}).json()
        assert [a["sid"] for a in named["accounts"]] == [sub["sid"]]
        assert client.get("/2010-04-01/Nothing.json").status_code == 404


def test_notifications_carry_the_twilio_error_code() -> None:
    with Simulator("geo-permissions-21215", now=NOW) as sim, _client(sim) as client:
        call = client.get(_calls_path(sim), params={"To": sim.scenario.destination}).json()["calls"][0]
        # as live accounts show an unanswered call: a "0" duration and its real end time
        assert call["status"] == "failed" and call["duration"] == "0" and call["price"] is None
        assert parsedate_to_datetime(call["end_time"]) >= parsedate_to_datetime(call["start_time"])
        notes = client.get(call["subresource_uris"]["notifications"]).json()["notifications"]
        assert [n["error_code"] for n in notes] == ["21215"]
        assert "+18765550142" in notes[0]["message_text"]
        # and the account-level list holds every call's
        account = client.get(f"/2010-04-01/Accounts/{sim.account_sid}/Notifications.json", params={"Log": 0}).json()
        assert {n["call_sid"] for n in account["notifications"]} >= {call["sid"]}
        assert client.get(f"/2010-04-01/Accounts/{sim.account_sid}/Notifications.json", params={"Log": 1}).json()[
            "notifications"
        ] == []
        alerts = client.get("/v1/Alerts").json()["alerts"]
        assert {a["resource_sid"] for a in alerts} >= {call["sid"]}


def test_auth_failures_and_api_keys(sim) -> None:
    path = _calls_path(sim)
    for auth in (None, (sim.account_sid, "wrong"), ("AC" + "1" * 32, sim.auth_token)):
        response = httpx.get(sim.base_url + path, auth=auth)
        assert response.status_code == 401
        assert response.json() == {
            "code": 20003,
            "message": "Authenticate",
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401,
        }
        assert "Basic" in response.headers["WWW-Authenticate"]
    keyed = httpx.get(sim.base_url + path, auth=(sim.api_key_sid, sim.api_key_secret), params={"To": DEST})
    assert keyed.status_code == 200 and len(keyed.json()["calls"]) == 8
    assert sim.requests[-1].auth_user == sim.api_key_sid and sim.requests[-1].status == 200
    assert ("To", DEST) in sim.requests[-1].query


def test_insights_summaries_and_summary(sim) -> None:
    with _client(sim) as client:
        listing = client.get("/v1/Voice/Summaries", params={"To": DEST, "StartTime": "7d", "PageSize": 3}).json()
        assert listing["meta"]["key"] == "call_summaries" and listing["meta"]["page_size"] == 3
        summaries = listing["call_summaries"]
        while listing["meta"]["next_page_url"]:
            assert listing["meta"]["next_page_url"].startswith(sim.base_url)
            listing = client.get(listing["meta"]["next_page_url"]).json()
            summaries += listing["call_summaries"]
        assert len(summaries) == 8
        newest = summaries[0]
        assert newest["processing_state"] == "partial" and newest["answered_by"] == "machine_start"
        props = newest["properties"]
        assert props["last_sip_response_num"] == 200
        assert newest["to"]["carrier"] == "Verizon Wireless" and newest["to"]["connection"] == "mobile"
        full = client.get(f"/v1/Voice/{summaries[1]['call_sid']}/Summary").json()
        assert full["processing_state"] == "complete" and full["properties"]["disconnected_by"] == "caller"
        assert full["properties"]["pdd_ms"] > 0
        assert full["duration"] - full["connect_duration"] in (1, 2, 3)  # rang 1-3 s before the machine answered
        window = client.get("/v1/Voice/Summaries", params={"To": DEST, "StartTime": "16h"}).json()["call_summaries"]
        assert len(window) == 3
        assert client.get("/v1/Voice/Summaries", params={"To": DEST}).json()["call_summaries"] != []  # default 4h
        complete = client.get("/v1/Voice/Summaries", params={"To": DEST, "StartTime": "7d",
                                                             "ProcessingState": "completed"}).json()  # fmt: skip
        assert len(complete["call_summaries"]) == 7
        assert client.get(f"/v1/Voice/CA{'e' * 32}/Summary").status_code == 404


def test_insights_off_answers_403_like_twilio() -> None:
    with Simulator("origin-ticket-no-insights", now=NOW) as sim, _client(sim) as client:
        response = client.get("/v1/Voice/Summaries", params={"To": sim.scenario.destination, "StartTime": "7d"})
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == 20403 and body["status"] == 403 and "Advanced Features" in body["message"]
        assert client.get(_calls_path(sim), params={"To": sim.scenario.destination}).json()["calls"]


def test_insights_show_603plus_and_608_redress() -> None:
    with Simulator("network-blocked-603plus", now=NOW) as sim, _client(sim) as client:
        summary = client.get("/v1/Voice/Summaries", params={"To": sim.scenario.destination, "StartTime": "1d"}).json()
        props = summary["call_summaries"][0]["properties"]
        assert props["last_sip_response_num"] == 603 and props["last_sip_response_reason"] == "Network Blocked"
        assert props["redress_contact"].startswith("https://") and props["q850_cause"] == 21
        abnormal = client.get("/v1/Voice/Summaries", params={"StartTime": "1d", "AbnormalSession": "true",
                                                             "PageSize": 1000}).json()  # fmt: skip
        assert abnormal["call_summaries"] and all(
            s["properties"].get("last_sip_response_num") != 200 for s in abnormal["call_summaries"]
        )


def test_lookup_line_type(sim) -> None:
    with _client(sim) as client:
        data = client.get(f"/v2/PhoneNumbers/{DEST}", params={"Fields": "line_type_intelligence"}).json()
        assert data["valid"] and data["phone_number"] == DEST
        assert data["line_type_intelligence"]["type"] == "mobile"
        assert data["line_type_intelligence"]["carrier_name"] == "Verizon Wireless"
        plain = client.get(f"/v2/PhoneNumbers/{DEST}").json()
        assert "line_type_intelligence" not in plain
        assert client.get("/v2/PhoneNumbers/not-a-number").json()["valid"] is False
        # every line_type_intelligence key is there, null when unknown, as the live service sends them
        lti = client.get("/v2/PhoneNumbers/+17205550177", params={"Fields": "line_type_intelligence"}).json()
        assert lti["line_type_intelligence"] == {
            "mobile_country_code": None, "mobile_network_code": None, "carrier_name": None, "type": "unknown",
            "error_code": None,
        }  # fmt: skip
        assert data["line_type_intelligence"]["error_code"] is None
        # CountryCode reads a national number in that country
        national = client.get("/v2/PhoneNumbers/(303) 555-0199", params={"CountryCode": "US"}).json()
        assert national["valid"] and national["phone_number"] == DEST and national["country_code"] == "US"


def test_country_codes_come_from_the_numbering_plan() -> None:
    """+1 is not always the US: +1 876 is Jamaica (the geo-permissions scenario's destination)."""
    with Simulator("geo-permissions-21215", now=NOW) as sim, _client(sim) as client:
        dest = sim.scenario.destination
        assert dest.startswith("+1876")
        lookup = client.get(f"/v2/PhoneNumbers/{dest}").json()
        assert (lookup["country_code"], lookup["calling_country_code"]) == ("JM", "1")
        summary = client.get("/v1/Voice/Summaries", params={"To": dest, "StartTime": "7d"}).json()
        assert {s["to"]["country_code"] for s in summary["call_summaries"]} == {"JM"}
        assert {s["from"]["country_code"] for s in summary["call_summaries"]} == {"US"}


def test_a_bad_status_filter_is_a_400_like_twilio(sim) -> None:
    with _client(sim) as client:
        bad = client.get(_calls_path(sim), params={"Status": "no_answer"})
        assert bad.status_code == 400 and bad.json()["code"] == 20001 and "no-answer" in bad.json()["message"]
        assert client.get(_calls_path(sim), params={"Status": "no-answer"}).status_code == 200
        state = client.get("/v1/Voice/Summaries", params={"ProcessingState": "complete"})  # the response's word
        assert state.status_code == 400 and "completed" in state.json()["message"]


def test_absolute_links_follow_the_host_the_client_asked_for(sim) -> None:
    url = f"http://localhost:{sim.port}"
    with httpx.Client(base_url=url, auth=(sim.account_sid, sim.auth_token), timeout=5) as client:
        meta = client.get("/v1/Voice/Summaries", params={"StartTime": "30d", "PageSize": 2}).json()["meta"]
        assert meta["next_page_url"].startswith(f"{url}/v1/Voice/Summaries?") and meta["url"].startswith(url)
        assert client.get(meta["next_page_url"]).status_code == 200


def _raw_get(port: int, path: str, headers: str) -> bytes:
    """One request on a raw socket, and everything the server sends until it closes or goes quiet."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\n".encode())
        sock.settimeout(1.0)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except TimeoutError:
            data += b"<still open>"
    return data


def test_connection_close_is_said_and_keep_alive_kept(sim) -> None:
    import base64

    auth = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    path = f"{_calls_path(sim)}?PageSize=2"
    closing = _raw_get(sim.port, path, f"Authorization: Basic {auth}\r\nConnection: close\r\n")
    head = closing.split(b"\r\n\r\n", 1)[0].lower()
    # a client that asked to close is told the server closes, and the server does close
    assert b"200 ok" in head and b"connection: close" in head and not closing.endswith(b"<still open>")
    kept = _raw_get(sim.port, path, f"Authorization: Basic {auth}\r\n")
    head = kept.split(b"\r\n\r\n", 1)[0].lower()
    assert b"connection: close" not in head and kept.endswith(b"<still open>")  # HTTP/1.1 keep-alive by default


# --------------------------------------------------------------------------- faults


def test_fault_grammar() -> None:
    [fault] = parse_faults("429=2:3@insights+lookups")
    assert (fault.kind, fault.value, fault.count, fault.scopes) == ("429", 2.0, 3, ("insights", "lookups"))
    assert parse_faults("403")[0].scopes == ("insights",)
    assert parse_faults("slow")[0].value == 30
    assert [f.kind for f in parse_faults("500:1, reset")] == ["500", "reset"]
    for bad in ("418", "429@moon", "slow=fast", "429:x"):
        with pytest.raises(InputError):
            parse_faults(bad)


@pytest.mark.parametrize("status,code", [(401, 20003), (404, 20404), (500, 20500), (503, 20503)])
def test_status_faults(status: int, code: int) -> None:
    with Simulator(now=NOW, fault=str(status)) as sim, _client(sim) as client:
        response = client.get(_calls_path(sim))
        assert response.status_code == status and response.json()["code"] == code


def test_429_for_the_first_n_requests_then_service() -> None:
    with Simulator(now=NOW, fault="429:2") as sim, _client(sim) as client:
        first, second, third = (client.get(_calls_path(sim), params={"To": DEST}) for _ in range(3))
        assert first.status_code == second.status_code == 429
        assert first.headers["Retry-After"] == "1" and first.json()["code"] == 20429
        assert third.status_code == 200 and len(third.json()["calls"]) == 8
        assert [r.status for r in sim.requests] == [429, 429, 200]


def test_scoped_faults_spare_other_paths() -> None:
    with Simulator(now=NOW, fault="503=0@insights,403:1") as sim, _client(sim) as client:
        assert client.get(_calls_path(sim)).status_code == 200
        insights = client.get("/v1/Voice/Summaries", params={"StartTime": "1d"})
        assert insights.status_code == 503 and insights.headers["Retry-After"] == "0"
    with Simulator(now=NOW, fault="403") as sim, _client(sim) as client:
        assert client.get(_calls_path(sim)).status_code == 200
        forbidden = client.get("/v1/Voice/Summaries")
        assert forbidden.status_code == 403 and "Advanced Features" in forbidden.json()["message"]


def test_slow_fault_trips_a_read_timeout_and_stop_is_prompt() -> None:
    sim = Simulator(now=NOW, fault="slow=0.6:1").start()
    try:
        with httpx.Client(base_url=sim.base_url, auth=(sim.account_sid, sim.auth_token), timeout=0.2) as client:
            with pytest.raises(httpx.ReadTimeout):
                client.get(_calls_path(sim))
            assert client.get(_calls_path(sim)).status_code == 200  # the fault was for the first request only
        slow = Simulator(now=NOW, fault="slow=30").start()
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(slow.base_url + _calls_path(slow), timeout=0.2)
        began = time.monotonic()
        slow.stop()
        # generous: a stop that waited for the sleeper would take the whole 30 s
        assert time.monotonic() - began < 10
    finally:
        sim.stop()


def test_reset_truncated_malformed_and_empty() -> None:
    with Simulator(now=NOW, fault="reset:1") as sim, _client(sim) as client:
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            client.get(_calls_path(sim))
        assert client.get(_calls_path(sim)).status_code == 200
    for kind in ("truncated", "malformed"):
        with Simulator(now=NOW, fault=kind) as sim, _client(sim) as client:
            response = client.get(_calls_path(sim), params={"To": DEST})
            assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
            with pytest.raises(json.JSONDecodeError):
                json.loads(response.text)
    with Simulator(now=NOW, fault="empty") as sim, _client(sim) as client:
        page = client.get(_calls_path(sim), params={"To": DEST}).json()
        assert page["calls"] == [] and page["next_page_uri"] is None
        assert client.get("/v1/Voice/Summaries", params={"StartTime": "7d"}).json()["call_summaries"] == []


def test_latency_delays_every_response() -> None:
    with Simulator(now=NOW, latency_ms=100) as sim, _client(sim) as client:
        began = time.monotonic()
        for _ in range(3):
            assert client.get(_calls_path(sim), params={"To": DEST}).status_code == 200
        assert time.monotonic() - began >= 0.3  # a lower bound: a busy machine only makes it later


# --------------------------------------------------------------------------- SignalWire


def test_signalwire_variant() -> None:
    with Simulator("signalwire-603-decline", now=NOW) as sim, _client(sim) as client:
        assert sim.provider == "signalwire"
        path = f"/api/laml/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        page = client.get(path, params={"To": sim.scenario.destination, "PageSize": 2}).json()
        calls = page["calls"]
        assert page["next_page_uri"].startswith(path)
        assert all(c["direction"] == "outbound" for c in calls)
        assert [c["sip_result_code"] for c in calls] == ["603", "603"]
        assert len(calls[0]["sid"]) == 36 and calls[0]["uri"].startswith("/api/laml/")
        rest = client.get(page["next_page_uri"]).json()["calls"]
        assert [c["sip_result_code"] for c in rest] == ["603", "200"]
        one = client.get(f"/api/laml/2010-04-01/Accounts/{sim.account_sid}/Calls/{calls[0]['sid']}.json").json()
        assert one["sid"] == calls[0]["sid"]
        assert client.get(f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json").status_code == 404
        assert client.get("/v1/Voice/Summaries").status_code == 404
    with Simulator("origin-ticket", provider="signalwire", now=NOW) as sim, _client(sim) as client:
        path = f"/api/laml/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        calls = client.get(path, params={"To": DEST}).json()["calls"]
        assert len(calls) == 8 and calls[0]["sip_result_code"] == "200"


def test_unknown_provider_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Unknown simulator provider 'sinch'") as err:
        Simulator(provider="sinch")
    assert err.value.hint == "Use one of twilio, signalwire, telnyx, plivo, vonage, bandwidth."


# --------------------------------------------------------------------------- the CLI


def test_cli_list_names_every_scenario(capsys) -> None:
    from sipsight.launcher import main

    assert main(["simulate", "--list"]) == 0
    out = capsys.readouterr().out
    assert "origin-ticket" in out and "recipient_blocked" in out and "signalwire-603-decline" in out
    assert "scenarios" in out.splitlines()[-1]  # where trainers put their own files


def test_cli_serves_until_interrupted_and_prints_the_exports() -> None:
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "sipsight", "simulate", "--scenario", "busy-seller", "--fault", "429:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = []
        while not any(line.startswith("Serving") for line in lines):
            line = proc.stdout.readline()
            assert line, f"simulate exited early: {proc.stderr.read()}"
            lines.append(line.strip())
        exports = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
        assert set(exports) == {"SIPSIGHT_TWILIO_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"}
        url = f"{exports['SIPSIGHT_TWILIO_BASE_URL']}/2010-04-01/Accounts/{exports['TWILIO_ACCOUNT_SID']}/Calls.json"
        auth = (exports["TWILIO_ACCOUNT_SID"], exports["TWILIO_AUTH_TOKEN"])
        assert httpx.get(url, auth=auth).status_code == 429
        calls = httpx.get(url, auth=auth, params={"To": "+16025550156"}).json()["calls"]
        assert [c["status"] for c in calls][:4] == ["busy"] * 4
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
        proc.stderr.close()


def test_503_sends_retry_after_only_when_asked() -> None:
    with Simulator(now=NOW, fault="503:1,503=7:1") as sim, _client(sim) as client:
        plain, timed = client.get(_calls_path(sim)), client.get(_calls_path(sim))
        assert plain.status_code == timed.status_code == 503
        assert "Retry-After" not in plain.headers and timed.headers["Retry-After"] == "7"
        assert client.get(_calls_path(sim)).status_code == 200
