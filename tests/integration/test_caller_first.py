"""Caller-first lookups over real HTTP against the simulator: the provider's `fetch_caller` (every call of one caller
ID, within a destination lookup's request budget, counted in the simulator's own request log), for Twilio with and
without Voice Insights and for SignalWire; and the demo session knowing its customer's caller ID."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from sipsight.core.models import CallerQuery, Query
from sipsight.core.scenarios import get_scenario
from sipsight.providers.factory import open_provider
from sipsight.providers.http import HttpConfig
from sipsight.simulator.calls import materialize
from sipsight.simulator.load_scenario import big_scenario

SELLER = "+13035550199"
CALLER = "+17205550100"
FAST = HttpConfig(read_timeout=5, max_retries=2, backoff_base=0.01, backoff_max=0.05, budget_s=30)


def caller_query(**kw) -> CallerQuery:
    return CallerQuery(caller_id=CALLER, since=datetime.now(UTC) - timedelta(days=7), **kw)


def _twilio(sim, **kw):
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials

    return TwilioClient(
        TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
        base_url=sim.base_url,
        http_config=FAST,
        **kw,
    )


def test_500_caller_calls_with_insights_cost_at_most_4_requests() -> None:
    from sipsight.core.lookup import run_caller_lookup
    from sipsight.simulator.server import Simulator

    with Simulator(scenario=big_scenario(story="changed")) as sim:
        client = _twilio(sim)
        try:
            fetched = client.fetch_caller(caller_query())
            assert len(sim.requests) == fetched.request_count
            result = run_caller_lookup(client, caller_query())  # rank, choose, diagnose: no request more
        finally:
            client.close()
        logged = list(sim.requests)[: fetched.request_count]
        assert len(sim.requests) == 2 * fetched.request_count
    assert result.query.destination == SELLER and result.request_count == fetched.request_count
    assert result.diagnosis is not None and len(result.attempts) == 50 and len(result.caller_attempts) == 500
    assert fetched.attempts == [] and fetched.caller_id == CALLER
    assert len(fetched.caller_attempts) == 550  # 50 to the seller + 500 to 400 other numbers
    assert {a.from_ for a in fetched.caller_attempts} == {CALLER}
    assert len(logged) == fetched.request_count <= 4, [r.path for r in logged]
    assert fetched.request_count == 2  # the calls list and the Summaries list, at once
    calls = [r for r in logged if r.path.endswith("/Calls.json")]
    summaries = [r for r in logged if r.path == "/v1/Voice/Summaries"]
    assert len(calls) == len(summaries) == 1 and not any(r.path.endswith("/Summary") for r in logged)
    for request in calls + summaries:
        query = dict(request.query)
        assert query["From"] == CALLER and "To" not in query and int(query["PageSize"]) >= 500
    assert all(a.sip_code is not None for a in fetched.caller_attempts)
    assert fetched.data.has_caller_history and fetched.data.has_sip_codes


def test_the_caller_calls_are_the_scenarios_calls_from_that_caller_id() -> None:
    scenario = get_scenario("origin-ticket")
    with open_provider(demo=True, http_config=FAST) as session:
        assert session.contact_caller_id == scenario.caller_id
        fetched = session.provider.fetch_caller(caller_query())
    dest, other = materialize(scenario, datetime.now(UTC))
    expected = {c.sid for c in dest + other if c.from_ == CALLER}
    got = {a.id for a in fetched.caller_attempts}
    assert got == expected
    assert {a.to for a in fetched.caller_attempts} >= {SELLER, "+13855550123", "+17755550187"}
    starts = [a.start_time for a in fetched.caller_attempts]
    assert starts == sorted(starts, reverse=True)  # newest first, as FetchResult says


def test_only_the_summaries_the_list_lacked_are_fetched_one_by_one() -> None:
    """Partial summaries and list gaps: per-call Summary requests only for what the list did not hold."""
    from sipsight.simulator.server import Simulator

    with Simulator(scenario="origin-ticket", fault="500:1@insights") as sim:
        client = _twilio(sim)
        try:
            fetched = client.fetch_caller(caller_query())
        finally:
            client.close()
        logged = list(sim.requests)
    # the Summaries list failed once (not retried: 500), so the lookup says so and reads the call status
    assert fetched.caller_attempts and fetched.request_count == len(logged)
    assert any("Voice Insights did not answer" in c for c in fetched.data.provider_caveats)


def test_without_insights_failed_calls_get_their_notifications() -> None:
    from sipsight.simulator.server import Simulator

    with Simulator(scenario="origin-ticket-no-insights") as sim:
        client = _twilio(sim)
        try:
            fetched = client.fetch_caller(caller_query())
        finally:
            client.close()
        logged = list(sim.requests)
    assert fetched.caller_attempts and not fetched.data.has_sip_codes
    assert "Voice Insights Advanced Features is off" in fetched.data.provider_caveats[0]
    failed = {a.id for a in fetched.caller_attempts if a.provider_status == "failed"}
    asked = {r.path.split("/Calls/")[1].split("/")[0] for r in logged if r.path.endswith("/Notifications.json")}
    assert failed and asked == failed  # one Notifications list per failed call, none for the others


def test_signalwire_fetch_caller_reads_sip_result_code_in_one_request() -> None:
    from sipsight.providers.signalwire import SignalWireClient
    from sipsight.simulator.server import Simulator

    with Simulator(scenario="signalwire-603-decline") as sim:
        client = SignalWireClient(sim.account_sid, sim.auth_token, base_url=sim.base_url, http_config=FAST)
        scenario = sim.scenario
        try:
            fetched = client.fetch_caller(
                CallerQuery(caller_id=scenario.caller_id, since=datetime.now(UTC) - timedelta(days=7))
            )
        finally:
            client.close()
        logged = list(sim.requests)
    assert fetched.request_count == len(logged) == 1 and logged[0].path.startswith("/api/laml/")
    assert any(a.sip_code == 603 for a in fetched.caller_attempts if a.to == scenario.destination)
    assert all(a.provider == "signalwire" for a in fetched.caller_attempts)


def test_a_lookup_without_its_filter_is_refused_before_any_request() -> None:
    from sipsight.simulator.server import Simulator

    with Simulator(scenario="origin-ticket") as sim:
        client = _twilio(sim)
        try:
            with pytest.raises(ValueError, match="destination"):
                client.fetch(Query(destination="", since=datetime.now(UTC) - timedelta(days=1)))
            with pytest.raises(ValueError, match="caller ID"):
                client.fetch_caller(CallerQuery(caller_id="", since=datetime.now(UTC) - timedelta(days=1)))
        finally:
            client.close()
        assert list(sim.requests) == []


def test_a_real_profile_session_knows_no_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    from sipsight.simulator.server import Simulator

    with Simulator() as sim:
        for name, value in sim.env().items():
            monkeypatch.setenv(name, value)
        with open_provider(http_config=FAST) as session:
            assert not session.demo and session.contact_caller_id is None


def test_the_origin_ticket_pasted_as_it_is_leads_to_the_sellers_number_and_its_diagnosis() -> None:
    """The ticket names no number; the demo knows its customer's caller ID (as the inbox contact will): lookup_case
    goes caller-first, picks the seller's number, and diagnoses it as a lookup of that number would."""
    from sipsight.core.intake import parse
    from sipsight.core.lookup import lookup_case, run_lookup
    from sipsight.core.models import DiagnosisContext

    scenario = get_scenario("origin-ticket")
    case = parse(scenario.conversation)
    assert case.destination is None and case.caller_id is None  # "No phone number found"
    since = datetime.now(UTC) - timedelta(days=7)
    with open_provider(demo=True, http_config=FAST) as session:
        result = lookup_case(session, case, since=since, tz="America/Denver")
        direct = run_lookup(
            session,
            Query(destination=SELLER, caller_id=CALLER, since=since),
            context=DiagnosisContext.from_case(case),
            tz="America/Denver",
        )
    assert result.query.destination == SELLER and result.destination_source == "caller_ranking"
    assert result.request_count == 2 and result.caller_id == CALLER and result.demo
    assert result.candidates and result.candidates[0].number == SELLER
    assert "from their contact" in (result.message or "")
    d, want = result.diagnosis, direct.diagnosis
    assert d is not None and want is not None and d.kind.value == scenario.expected.kind.value
    assert (d.kind, d.confidence, d.headline) == (want.kind, want.confidence, want.headline)
    assert d.case_stats == want.case_stats
    assert d.evidence[1:] == want.evidence and d.caveats[1:] == want.caveats
    assert d.next_steps == want.next_steps and d.alternatives == want.alternatives
    assert "named no number" in d.evidence[0].text and "chosen by ranking" in d.caveats[0]
    assert [a.id for a in result.attempts] == [a.id for a in direct.attempts]
    assert {a.id for a in result.caller_attempts} == {a.id for a in direct.caller_attempts}


# --------------------------------------------------------------------------- the command line


def cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from sipsight.launcher import main

    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _validate(doc: dict) -> None:
    import jsonschema

    from sipsight.core.json_document import schema

    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(doc)


def test_cli_from_without_a_number_finds_the_sellers_number(capsys) -> None:
    code, out, err = cli(["lookup", "--scenario", "origin-ticket", "--from", "(720) 555-0100", "--tz", "UTC"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "== Which number did they mean? =="
    assert "+1 303-555-0199 clearly stands out: connected 3 times until" in lines[1]
    assert lines[2].startswith("  1. +1 303-555-0199  (chosen, score ")
    assert "== Calls to +1 303-555-0199 from +1 720-555-0100 ==" in out and "== Diagnosis ==" in out
    assert "The customer named no number" in out and "== Reply to the customer ==" in out


def test_cli_json_carries_the_candidates_beside_the_chosen_numbers_diagnosis(capsys) -> None:
    code, out, _ = cli(["lookup", "--scenario", "origin-ticket", "--from", "+17205550100", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    _validate(doc)
    assert doc["schema_version"] == "1.2"
    assert doc["query"]["destination"] == SELLER and doc["query"]["destination_source"] == "caller_ranking"
    first = doc["candidates"][0]
    assert first["number"] == SELLER and first["attempts"] == 8 and first["connected"] == 3
    assert first["last_outcome"] == "voicemail" and first["change"].startswith("Connected 3 times until")
    assert first["score"] > 0.9 and first["reason"]
    assert doc["diagnosis"]["kind"] == "recipient_blocked" and doc["message"].startswith("The customer named no number")
    assert {a["to"] for a in doc["attempts"]} == {SELLER}


def test_cli_when_no_number_stands_out_exits_0_with_the_list(capsys) -> None:
    code, out, err = cli(["lookup", "--scenario", "carrier-outage-503", "--from", "+17205550100", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    _validate(doc)
    assert doc["query"]["destination"] is None and doc["diagnosis"] is None and doc["case_stats"] is None
    assert doc["candidates"] and "none of the" in doc["message"] and "Ask the customer" in doc["message"]
    assert doc["replies"] == {"customer": "", "internal_note": ""}
    code, out, _ = cli(["lookup", "--scenario", "carrier-outage-503", "--from", "+17205550100"], capsys)
    assert code == 0 and out.startswith("== Which number did they mean? ==")
    assert "clearly stands out." in out and "chosen" not in out and "== Diagnosis ==" not in out
    assert "calls from +1 720-555-0100 read" in out


def test_cli_scenario_without_a_number_looks_up_its_own_destination(capsys) -> None:
    import time_machine

    with time_machine.travel(datetime(2026, 6, 15, 17, 30, tzinfo=UTC), tick=False):
        code, out, _ = cli(["lookup", "--scenario", "seller-607-unwanted", "--json"], capsys)
        assert code == 0
        alone = json.loads(out)
        code, out, _ = cli(["lookup", "+13035550142", "--scenario", "seller-607-unwanted", "--json"], capsys)
        given = json.loads(out)
    for doc in (alone, given):
        doc.pop("generated_at")
    assert alone == given
    assert alone["query"]["destination"] == "+13035550142" and alone["attempts"]
    assert alone["diagnosis"]["kind"] == "recipient_blocked"
    code, out, _ = cli(["lookup", "--demo", "--json"], capsys)  # --demo alone: the default scenario's number
    assert code == 0 and json.loads(out)["query"]["destination"] == SELLER


def test_cli_conversation_without_a_number_goes_caller_first_from_the_demo_contact(capsys, tmp_path) -> None:
    ticket = tmp_path / "ticket.txt"
    ticket.write_text(get_scenario("origin-ticket").conversation, encoding="utf-8")
    code, out, err = cli(["lookup", "--demo", "--conversation", str(ticket), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["query"]["destination"] == SELLER and doc["query"]["destination_source"] == "caller_ranking"
    assert "from their contact" in doc["message"]
    assert doc["candidates"][0]["signals"]["symptoms"] == 1.0  # the customer's words count
    assert doc["candidates"][0]["signals"]["prior_contact"] == 1.0


def test_cli_conversation_that_names_the_number_is_a_destination_lookup(capsys, tmp_path) -> None:
    ticket = tmp_path / "ticket.txt"
    ticket.write_text("Every call to (303) 555-0142 gets rejected since Tuesday. Help!", encoding="utf-8")
    code, out, err = cli(["lookup", "--scenario", "seller-607-unwanted", "--conversation", str(ticket)], capsys)
    assert code == 0, err
    assert "Which number did they mean?" not in out and "== Calls to +1 303-555-0142" in out


def test_cli_lookup_needs_a_number_or_a_caller_id(capsys) -> None:
    code, out, err = cli(["lookup"], capsys)
    assert code == 2 and out == ""
    assert "Give the NUMBER to look up, or --from CALLER_ID" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli(["lookup", "--demo", "--conversation", ""], capsys)
    assert code == 2 and "--conversation needs a FILE" in err


def test_cli_conversation_with_no_number_and_no_contact_says_so(capsys, tmp_path, monkeypatch) -> None:
    from sipsight.simulator.server import Simulator

    ticket = tmp_path / "ticket.txt"
    ticket.write_text(get_scenario("origin-ticket").conversation, encoding="utf-8")
    with Simulator() as sim:  # a real account's session: it knows no contact
        for name, value in sim.env().items():
            monkeypatch.setenv(name, value)
        code, out, err = cli(["lookup", "--conversation", str(ticket)], capsys)
    assert code == 2 and out == ""
    assert "No phone number found" in err and "caller ID" in err


def test_cli_simulate_list_shows_each_scenarios_numbers(capsys) -> None:
    code, out, _ = cli(["simulate", "--list"], capsys)
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line.strip() and line[0].isalpha()}
    for scenario in (get_scenario("origin-ticket"), get_scenario("seller-607-unwanted")):
        assert rows[scenario.name][1:3] == [scenario.destination, scenario.caller_id]
    assert out.splitlines()[0].split()[:4] == ["scenario", "destination", "caller", "ID"]
