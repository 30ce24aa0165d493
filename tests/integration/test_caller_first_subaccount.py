"""A caller-first lookup by sub-account SID, over real HTTP against the simulators: an inbox contact (or its company)
names only the Twilio sub-account its dialer calls from, so every call of that sub-account is the caller's, whatever
number it came from. The request budget and shapes are read from the simulator's own request log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from sipsight.core.errors import InputError
from sipsight.core.lookup import analyse_caller, run_caller_lookup
from sipsight.core.models import CallerQuery, DiagnosisContext
from sipsight.providers.factory import demo_client
from sipsight.providers.http import HttpConfig
from sipsight.providers.twilio.caller_rounds import SubaccountNotVisible
from sipsight.simulator.load_scenario import big_scenario
from sipsight.simulator.served import SUBACCOUNT_SID
from sipsight.simulator.server import Simulator

SELLER = "+13035550199"
CALLER = "+17205550100"
OTHER_LINE = "+17205550101"  # a second number of the same dialer (fake, 555-01xx)
UNKNOWN_SUB = "AC" + "0" * 31 + "2"  # neither the demo account nor its sub-account
LINK = "https://app.intercom.com/a/inbox/ql8el0gn/inbox/shared/all/conversation/215469108490001"
FAST = HttpConfig(read_timeout=5, max_retries=2, backoff_base=0.01, backoff_max=0.05, budget_s=30)


def _week() -> datetime:
    return datetime.now(UTC) - timedelta(days=7)


def _sub(**kw) -> CallerQuery:
    return CallerQuery(account_sid=SUBACCOUNT_SID, since=_week(), **kw)


# ---------------------------------------------------------------------------------------------- the query


def test_a_caller_query_needs_a_caller_id_or_a_subaccount() -> None:
    with pytest.raises(ValidationError, match="needs the caller ID or a sub-account SID"):
        CallerQuery(since=_week())
    with pytest.raises(ValidationError, match="needs the caller ID or a sub-account SID"):
        CallerQuery(caller_id="", account_sid="", since=_week())
    assert _sub().caller_id is None and _sub().account_sid == SUBACCOUNT_SID
    assert CallerQuery(caller_id=CALLER, since=_week()).account_sid is None


# ---------------------------------------------------------------------------------------------- Twilio's requests


def test_500_calls_of_a_subaccount_cost_2_requests_without_a_from_filter() -> None:
    with Simulator(scenario=big_scenario(story="changed")) as sim:
        client = demo_client("twilio", sim, FAST)
        try:
            fetched = client.fetch_caller(_sub())
            logged = list(sim.requests)
            result = run_caller_lookup(client, _sub())  # rank, choose, diagnose from the same calls
        finally:
            client.close()
    assert fetched.request_count == len(logged) == 2, [r.path for r in logged]
    calls, summaries = (sorted(logged, key=lambda r: r.path.endswith("/Summaries")))
    assert calls.path == f"/2010-04-01/Accounts/{SUBACCOUNT_SID}/Calls.json"
    assert summaries.path == "/v1/Voice/Summaries"
    assert "From" not in dict(calls.query) and "To" not in dict(calls.query)
    assert dict(calls.query)["PageSize"] == "1000"
    assert dict(summaries.query)["Subaccount"] == SUBACCOUNT_SID and "From" not in dict(summaries.query)
    assert len(fetched.caller_attempts) == 550 and fetched.caller_id is None
    assert all(a.sip_code is not None for a in fetched.caller_attempts)
    assert result.query.destination == SELLER and result.caller_id == CALLER  # inferred from the seller's calls
    assert result.request_count == 2 and result.diagnosis is not None


def test_the_profiles_own_account_is_read_without_a_subaccount_filter() -> None:
    with Simulator(scenario="origin-ticket") as sim:
        client = demo_client("twilio", sim, FAST)
        try:
            fetched = client.fetch_caller(CallerQuery(account_sid=sim.account_sid, since=_week()))
        finally:
            client.close()
        logged = list(sim.requests)
    own = f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    assert [r.path for r in logged if r.path.endswith("Calls.json")] == [own]
    assert all("Subaccount" not in dict(r.query) for r in logged)
    assert SELLER in {a.to for a in fetched.caller_attempts}


def test_a_subaccount_the_profile_cannot_see_is_named_in_words() -> None:
    with Simulator(scenario="origin-ticket") as sim:
        client = demo_client("twilio", sim, FAST)
        try:
            with pytest.raises(SubaccountNotVisible) as caught:
                client.fetch_caller(CallerQuery(account_sid=UNKNOWN_SUB, since=_week()))
        finally:
            client.close()
        statuses = {r.path: r.status for r in sim.requests}
    err = caught.value
    assert err.status == 404 and err.exit_code == 3
    assert f"cannot see sub-account {UNKNOWN_SUB}" in err.message and "not found (HTTP 404)" in err.message
    assert "parent account" in err.hint
    assert statuses[f"/2010-04-01/Accounts/{UNKNOWN_SUB}/Calls.json"] == 404


def test_a_subaccount_sid_that_is_not_one_is_refused_before_any_request() -> None:
    with Simulator(scenario="origin-ticket") as sim:
        client = demo_client("twilio", sim, FAST)
        try:
            with pytest.raises(InputError, match="is not a Twilio account SID"):
                client.fetch_caller(CallerQuery(account_sid="AC../Accounts", since=_week()))
        finally:
            client.close()
        assert list(sim.requests) == []


@pytest.mark.parametrize("provider", ["signalwire", "telnyx", "plivo", "vonage", "bandwidth"])
def test_other_providers_refuse_a_lookup_by_subaccount_in_words(provider: str) -> None:
    with Simulator("origin-ticket", provider=provider) as sim:
        client = demo_client(provider, sim, FAST)
        try:
            with pytest.raises(InputError) as caught:
                client.fetch_caller(_sub())
        finally:
            client.close()
        assert list(sim.requests) == []
    assert f"cannot look calls up by sub-account ({SUBACCOUNT_SID})" in caught.value.message
    assert client.label in caught.value.message and "caller ID" in caught.value.hint


# ---------------------------------------------------------------------------------------------- the ranking


def test_every_call_of_the_subaccount_counts_whatever_number_it_came_from() -> None:
    """A dialer with two lines: the seller's calls from both are one story, and the chosen number's caller ID is
    the one most of its calls came from."""
    from sipsight.core.scenarios import get_scenario
    from sipsight.simulator.calls import materialize

    now = datetime.now(UTC).replace(microsecond=0)
    dest, other = materialize(get_scenario("origin-ticket"), now)
    with Simulator(scenario="origin-ticket", now=now) as sim:
        client = demo_client("twilio", sim, FAST)
        try:
            calls = client.fetch_caller(_sub()).caller_attempts
        finally:
            client.close()
    assert {a.id for a in calls} == {c.sid for c in dest + other if c.start_time >= _week()}
    seller = sorted((a for a in calls if a.to == SELLER), key=lambda a: a.start_time)
    moved = {seller[0].id}  # the oldest call to the seller went out on the dialer's other line
    mixed = [a.model_copy(update={"from_": OTHER_LINE}) if a.id in moved else a for a in calls]
    context = DiagnosisContext(now=now, symptoms=["straight_to_voicemail"], prior_contact=True)
    by_account = analyse_caller(_sub(), mixed, provider="twilio", context=context, account_source="from a test")
    by_number = analyse_caller(CallerQuery(caller_id=CALLER, since=_week()), calls, provider="twilio", context=context)
    assert by_account.query.destination == by_number.query.destination == SELLER
    assert len(by_account.attempts) == len(seller)  # the call from the other line is the seller's story too
    assert by_account.caller_id == CALLER
    assert by_account.message.startswith(
        f"The customer named no number. Sub-account {SUBACCOUNT_SID} (from a test) called "
    )
    assert by_account.diagnosis.caveats[0].startswith("The number was chosen by ranking the sub-account's calls")


def test_a_subaccount_without_calls_says_so() -> None:
    result = analyse_caller(_sub(), [], provider="twilio", account_source="from a test")
    assert result.query.destination == "" and result.caller_id is None and result.candidates == []
    assert result.message.startswith(
        f"The customer named no number, and sub-account {SUBACCOUNT_SID} (from a test) made no calls in the window"
    )


# ---------------------------------------------------------------------------------------------- the inbox link


def test_the_link_to_a_contact_with_only_a_subaccount_leads_to_the_sellers_diagnosis() -> None:
    from sipsight.inbox import open_intercom
    from sipsight.inbox.lookup import lookup_inbox_case, provenance

    with open_intercom(demo=True) as inbox:
        case = inbox.fetch_case(LINK)
        assert inbox.scenarios[case.conversation_id] == "origin-ticket"
    assert case.caller_id is not None and case.caller_id.e164 is None
    assert case.caller_id.subaccount_sid == SUBACCOUNT_SID
    with Simulator(scenario="origin-ticket") as sim:
        client = demo_client("twilio", sim, FAST)
        try:
            looked = lookup_inbox_case(case, client)
        finally:
            client.close()
        logged = list(sim.requests)
    result = looked.result
    assert looked.needed is None and result is not None
    assert result.query.destination == SELLER and result.caller_id == CALLER
    assert result.destination_source == "caller_ranking" and result.candidates[0].number == SELLER
    assert result.diagnosis is not None and result.diagnosis.kind.value == "recipient_blocked"
    where = "from the company Whitfield Home Buyers attribute twilio_subaccount_sid"
    assert f"Sub-account {SUBACCOUNT_SID} ({where}) called" in result.message
    assert f"of sub-account {SUBACCOUNT_SID} ({where})" in result.diagnosis.evidence[0].text
    assert provenance(case, result)["caller_id_source"] == (
        f"inferred from the calls of sub-account {SUBACCOUNT_SID} ({where})"
    )
    assert result.request_count == len(logged) <= 4, [r.path for r in logged]
    assert [r.path for r in logged if r.path.endswith("Calls.json")] == [
        f"/2010-04-01/Accounts/{SUBACCOUNT_SID}/Calls.json"
    ]


def test_lookup_link_demo_json_reads_the_subaccount(capsys) -> None:
    from sipsight.cli.main import main

    assert main(["lookup", LINK, "--demo", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["query"]["destination"] == SELLER and document["query"]["caller_id"] == CALLER
    assert document["query"]["destination_source"] == "caller_ranking"
    assert document["candidates"][0]["number"] == SELLER and document["diagnosis"]["kind"] == "recipient_blocked"
    assert f"Sub-account {SUBACCOUNT_SID}" in document["message"]
    assert document["inbox"]["caller_id_source"].startswith(f"inferred from the calls of sub-account {SUBACCOUNT_SID}")
    assert document["inbox"]["destination_source"] == "caller_ranking"


def test_the_link_with_a_telnyx_profile_says_it_cannot_read_a_subaccount() -> None:
    from sipsight.inbox import open_intercom
    from sipsight.inbox.lookup import lookup_inbox_case

    with open_intercom(demo=True) as inbox:
        case = inbox.fetch_case(LINK)
    with Simulator("origin-ticket", provider="telnyx") as sim:
        client = demo_client("telnyx", sim, FAST)
        try:
            looked = lookup_inbox_case(case, client)
        finally:
            client.close()
        assert list(sim.requests) == []
    assert looked.result is None
    assert looked.needed == (
        f"A Telnyx profile cannot look calls up by sub-account ({SUBACCOUNT_SID}): sub-account SIDs are Twilio's. "
        "Give the customer's caller ID instead (the number their dialer calls from)."
    )


def test_lookup_account_demo_ranks_the_subaccounts_calls(capsys) -> None:
    from sipsight.cli.main import main

    assert main(["lookup", "--account", SUBACCOUNT_SID, "--demo", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["query"]["destination"] == SELLER and document["query"]["caller_id"] == CALLER
    assert document["message"].startswith(
        f"The customer named no number. Sub-account {SUBACCOUNT_SID} (given with --account) called "
    )
    assert main(["lookup", "--account", UNKNOWN_SUB, "--demo"]) == 3
    assert f"This Twilio profile cannot see sub-account {UNKNOWN_SUB}" in capsys.readouterr().err
    assert main(["lookup", "--account", SUBACCOUNT_SID, "--demo", "--provider", "vonage"]) == 2
    assert "A Vonage profile cannot look calls up by sub-account" in capsys.readouterr().err
    assert main(["lookup", SELLER, "--account", SUBACCOUNT_SID, "--demo"]) == 2
    assert "goes without NUMBER" in capsys.readouterr().err
    assert main(["lookup", "--account", "AC123", "--demo"]) == 2
    assert "'AC123' is not a Twilio account SID" in capsys.readouterr().err
