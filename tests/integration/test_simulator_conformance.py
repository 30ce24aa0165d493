"""Every shape the simulator serves validates against the official Twilio OpenAPI spec (../shared)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from sipsight.core.scenarios import load_scenarios
from sipsight.simulator import Simulator, shapes
from sipsight.simulator.calls import materialize
from spec_tools import load_spec, request_errors, response_errors, schema_errors

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def specs(shared_dir: Path) -> dict:
    """The four Twilio specs (parsed once: load_spec caches)."""
    folder = shared_dir / "provider-specs" / "twilio"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the official Twilio specs live there")
    return {
        name: load_spec(folder / f"twilio_{name}.json")
        for name in ("api_v2010", "insights_v1", "lookups_v2", "monitor_v1")
    }


LTI_KEYS = {"mobile_country_code", "mobile_network_code", "carrier_name", "type", "error_code"}


def _as_specified(path: str, body: dict) -> dict:
    """The body as the spec can check it. Lookup's line_type_intelligence: the live service sends every key, and null
    for what it does not know (its docs: the carrier fields are null for unknown, tollFree, personal ... types; no
    error, a null error_code), while the spec declares them non-nullable: every key must be there, and the nulls are
    set aside before validating what is left."""
    lti = body.get("line_type_intelligence") if path.startswith("/v2/PhoneNumbers/") else None
    if not isinstance(lti, dict):
        return body
    assert set(lti) == LTI_KEYS, lti
    return {**body, "line_type_intelligence": {k: v for k, v in lti.items() if v is not None}}


def _get(client: httpx.Client, specs: dict, spec: str, path: str, params: dict | None = None) -> dict:
    """GET, after checking the query itself is one the spec documents (parameters and values)."""
    query = list((params or {}).items())
    assert not request_errors(specs[spec], path, [(k, str(v)) for k, v in query]), (path, query)
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    problems = response_errors(specs[spec], path, _as_specified(path, body))
    assert not problems, f"{path}: {problems[:5]}"
    return body


TWILIO_SCENARIOS = [s.name for s in load_scenarios(include_user=False).scenarios if s.provider == "twilio"]


@pytest.mark.parametrize("name", TWILIO_SCENARIOS)
def test_every_served_shape_matches_the_spec(specs: dict, name: str) -> None:
    with (
        Simulator(name, provider="twilio", now=NOW) as sim,
        httpx.Client(base_url=sim.base_url, auth=(sim.account_sid, sim.auth_token), timeout=5) as client,
    ):
        account = f"/2010-04-01/Accounts/{sim.account_sid}"
        calls = _get(client, specs, "api_v2010", f"{account}/Calls.json", {"PageSize": 40})["calls"]
        assert calls
        dest = sim.scenario.destination
        page = _get(client, specs, "api_v2010", f"{account}/Calls.json",
                    {"To": dest, "StartTime>": "2026-11-01", "PageSize": 2})  # fmt: skip
        if page["next_page_uri"]:
            assert not response_errors(
                specs["api_v2010"], f"{account}/Calls.json", client.get(page["next_page_uri"]).json()
            )
        with_error = [c for c in calls if c["status"] == "failed"][:3] + calls[:2]
        for call in with_error:
            _get(client, specs, "api_v2010", f"{account}/Calls/{call['sid']}.json")
            _get(client, specs, "api_v2010", f"{account}/Calls/{call['sid']}/Notifications.json")
        _get(client, specs, "api_v2010", f"{account}.json")
        notes = _get(client, specs, "api_v2010", f"{account}/Notifications.json", {"Log": 0, "PageSize": 2})
        assert all(n["uri"].startswith(f"{account}/Notifications/") for n in notes["notifications"])
        _get(client, specs, "api_v2010", "/2010-04-01/Accounts.json", {"FriendlyName": "SIPSight demo account"})
        _get(client, specs, "lookups_v2", f"/v2/PhoneNumbers/{dest}", {"Fields": "line_type_intelligence"})
        _get(client, specs, "monitor_v1", "/v1/Alerts", {"LogLevel": "error", "PageSize": 50})
        if sim.scenario.voice_insights:
            listing = _get(client, specs, "insights_v1", "/v1/Voice/Summaries",
                           {"To": dest, "StartTime": "7d", "Direction": "outbound_api", "PageSize": 50})  # fmt: skip
            assert len(listing["call_summaries"]) == len(sim.destination_calls)
            _get(client, specs, "insights_v1", "/v1/Voice/Summaries", {"StartTime": "30d", "PageSize": 40})
            for call in with_error:
                _get(client, specs, "insights_v1", f"/v1/Voice/{call['sid']}/Summary")


def test_every_kind_of_call_in_the_library_validates(specs: dict) -> None:
    """Each distinct call shape any scenario produces (status, AMD, SIP, partial, error...) against the schemas."""
    seen: set[tuple] = set()
    for scenario in load_scenarios(include_user=False).scenarios:
        dest, other = materialize(scenario, NOW)
        for call in dest + other:
            signature = (call.status, call.answered_by, call.sip_code, bool(call.sip_reason), call.q850_cause,
                         call.processing_state, call.error_code, bool(call.redress_contact), call.carrier,
                         call.connection, call.end_time is None)  # fmt: skip
            if signature in seen:
                continue
            seen.add(signature)
            account = "AC" + "0" * 32
            assert not schema_errors(specs["api_v2010"], "api.v2010.account.call", shapes.twilio_call(call, account))
            summary = shapes.summary(call, account, "http://127.0.0.1:1")
            assert not schema_errors(specs["insights_v1"], "insights.v1.call.summary", summary)
            assert not schema_errors(specs["insights_v1"], "insights.v1.call_summaries", summary)
            lookup = shapes.lookup(call.to, call, ["line_type_intelligence"], "http://127.0.0.1:1")
            checked = _as_specified("/v2/PhoneNumbers/", lookup)
            assert not response_errors(specs["lookups_v2"], "/v2/PhoneNumbers/{PhoneNumber}", checked)
            if call.error_code:
                note = shapes.notification(call, account)
                assert not schema_errors(specs["api_v2010"], "api.v2010.account.call.call_notification", note)
                assert not schema_errors(specs["monitor_v1"], "monitor.v1.alert", shapes.alert(call, account, "http://x"))
    assert len(seen) > 30


def test_error_bodies_match_twilio_error_schema(specs: dict) -> None:
    # Lookup v2 documents Twilio's REST error body (code, message, more_info, status) on its 400 responses.
    with (
        Simulator("origin-ticket-no-insights", now=NOW, fault="429:1@lookups") as sim,
        httpx.Client(base_url=sim.base_url, auth=(sim.account_sid, sim.auth_token), timeout=5) as client,
    ):
        bodies = [
            client.get("/v1/Voice/Summaries").json(),  # 403 Advanced Features
            httpx.get(sim.base_url + "/v1/Voice/Summaries").json(),  # 401
            client.get(f"/2010-04-01/Accounts/{sim.account_sid}/Calls/CA{'f' * 32}.json").json(),  # 404
            client.get("/v2/PhoneNumbers/+13035550199").json(),  # 429
        ]
        assert [b["status"] for b in bodies] == [403, 401, 404, 429]
        for body in bodies:
            assert set(body) == {"code", "message", "more_info", "status"}
            assert not response_errors(specs["lookups_v2"], "/v2/RateLimits", body, status="400")


def test_spec_tools_catch_a_wrong_shape(specs: dict) -> None:
    """The checker itself must be able to fail: a wrong status, SID or type is reported."""
    with Simulator(now=NOW) as sim:
        good = shapes.twilio_call(sim.calls[0], sim.account_sid)
        assert not schema_errors(specs["api_v2010"], "api.v2010.account.call", good)
        bad = {**good, "status": "voicemail", "sid": "CAnot-a-sid", "duration": 8}
        problems = schema_errors(specs["api_v2010"], "api.v2010.account.call", bad)
        assert len(problems) == 3
        summary = shapes.summary(sim.calls[0], sim.account_sid, sim.base_url)
        assert schema_errors(specs["insights_v1"], "insights.v1.call.summary", {**summary, "call_state": "done"})
        assert request_errors(specs["api_v2010"], "/2010-04-01/Accounts/{AccountSid}/Calls.json", [("Stat", "busy")])
