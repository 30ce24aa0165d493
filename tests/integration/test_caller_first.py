"""Caller-first lookups over real HTTP against the simulator: the provider's `fetch_caller` (every call of one caller
ID, within a destination lookup's request budget, counted in the simulator's own request log), for Twilio with and
without Voice Insights and for SignalWire; and the demo session knowing its customer's caller ID."""

from __future__ import annotations

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
    from sipsight.simulator.server import Simulator

    with Simulator(scenario=big_scenario()) as sim:
        client = _twilio(sim)
        try:
            fetched = client.fetch_caller(caller_query())
        finally:
            client.close()
        logged = list(sim.requests)
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
    assert SELLER in {a.to for a in fetched.caller_attempts}
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
