"""A caller-first lookup without HTTP: `analyse_caller` (the ranking, then the chosen number's diagnosis from the same
calls, or a clear message), `lookup_case` (which lookup a Case leads to), and the JSON document of both outcomes."""

from __future__ import annotations

from datetime import timedelta

import jsonschema
import pytest

from diagnosis_factory import CALLER, DEST, NOW, Calls, origin_destination
from sipsight.core import json_document
from sipsight.core.errors import InputError
from sipsight.core.lookup import FetchResult, analyse, analyse_caller, lookup_case
from sipsight.core.models import (
    CallerQuery,
    CandidateNumber,
    Case,
    DataProfile,
    DiagnosisContext,
    NumberRole,
    Query,
    SymptomMention,
)

OTHER = "+13855550123"
SINCE = NOW - timedelta(days=7)
CONTEXT = DiagnosisContext(now=NOW, symptoms=["straight_to_voicemail"], prior_contact=True)


def caller_calls() -> list:
    c = Calls()
    ring_outs = [(c.rang_vm if i % 2 else c.no_answer)(2 + 9 * i, to=OTHER) for i in range(9)]
    return origin_destination(c) + ring_outs + c.others_ok(30)


def validate(doc: dict) -> None:
    schema = json_document.schema()
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)


def test_the_number_that_stands_out_is_diagnosed_from_the_calls_already_fetched() -> None:
    calls = caller_calls()
    query = CallerQuery(caller_id=CALLER, since=SINCE)
    result = analyse_caller(query, calls, provider="twilio", context=CONTEXT, tz="America/Denver", request_count=2)
    assert result.query.destination == DEST and result.caller_id == CALLER
    assert result.destination_source == "caller_ranking" and result.request_count == 2
    assert result.candidates and result.candidates[0].number == DEST
    assert {a.to for a in result.attempts} == {DEST} and len(result.attempts) == 8
    assert DEST not in {a.to for a in result.caller_attempts} and len(result.attempts) + len(
        result.caller_attempts
    ) == len(calls)
    assert result.message and "named no number" in result.message and "+1 303-555-0199" in result.message
    d = result.diagnosis
    assert d is not None and d.kind.value == "recipient_blocked"
    assert "chosen from the 47 calls of +1 720-555-0100" in d.evidence[0].text
    assert d.evidence[0].weight == 0.0 and set(d.evidence[0].attempt_ids) <= {a.id for a in result.attempts}
    assert d.caveats[0].startswith("The number was chosen by ranking the caller ID's calls, not named by the customer")
    assert "the next closest was +1 385-555-0123" in d.caveats[0]
    # the same diagnosis as a lookup of that number with the same calls, the ranking's two lines apart
    direct = analyse(
        Query(destination=DEST, caller_id=CALLER, since=SINCE),
        [a for a in calls if a.to == DEST],
        [a for a in calls if a.to != DEST],
        provider="twilio",
        context=CONTEXT,
        tz="America/Denver",
    ).diagnosis
    assert direct is not None
    assert (d.kind, d.confidence, d.headline) == (direct.kind, direct.confidence, direct.headline)
    assert d.evidence[1:] == direct.evidence and d.caveats[1:] == direct.caveats
    assert d.case_stats == direct.case_stats and d.next_steps == direct.next_steps
    assert "chosen by ranking" in result.replies.internal_note  # the note carries the caveat
    doc = json_document.to_document(result)
    validate(doc)
    assert doc["query"]["destination"] == DEST and doc["query"]["destination_source"] == "caller_ranking"
    assert doc["candidates"][0]["number"] == DEST and doc["message"] == result.message
    assert set(doc["candidates"][0]) >= {"number", "attempts", "connected", "last_outcome", "change", "score", "reason"}


def test_when_no_number_stands_out_there_is_no_diagnosis_and_the_message_lists_the_closest() -> None:
    c = Calls()
    calls = c.others_ok(40)
    result = analyse_caller(CallerQuery(caller_id=CALLER, since=SINCE), calls, provider="twilio", context=CONTEXT)
    assert result.diagnosis is None and result.attempts == [] and len(result.caller_attempts) == 40
    assert result.query.destination == "" and result.destination_source == "caller_ranking"
    assert result.replies.customer == result.replies.internal_note == ""
    assert result.candidates and not any(x.number == "" for x in result.candidates)
    message = result.message or ""
    assert "none of the 40 numbers +1 720-555-0100 (the caller ID given) called clearly stands out" in message
    from sipsight.core.phone import pretty

    for cand in result.candidates[:3]:
        assert pretty(cand.number) in message
    assert message.endswith("Ask the customer which number they were calling, then look it up.")
    doc = json_document.to_document(result)
    validate(doc)
    assert doc["query"]["destination"] is None and doc["diagnosis"] is None and doc["case_stats"] is None
    assert len(doc["caller_attempts"]) == 40 and len(doc["candidates"]) == len(result.candidates)


def test_a_caller_id_without_calls_says_so() -> None:
    result = analyse_caller(CallerQuery(caller_id=CALLER, since=SINCE), [], provider="twilio")
    assert result.candidates == [] and result.diagnosis is None
    assert "made no calls in the window" in (result.message or "")
    validate(json_document.to_document(result))


def test_a_destination_lookup_document_says_its_number_was_given() -> None:
    c = Calls()
    result = analyse(Query(destination=DEST, since=SINCE), origin_destination(c), c.others_ok(), provider="twilio")
    doc = json_document.to_document(result)
    validate(doc)
    assert doc["query"]["destination_source"] == "given" and doc["candidates"] is None and doc["message"] is None


# --------------------------------------------------------------------------- lookup_case: which lookup


class FakeProvider:
    name = "twilio"

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []
        self.c = Calls()

    def fetch(self, query, cancel=None) -> FetchResult:
        self.calls.append(("fetch", query))
        return FetchResult(attempts=origin_destination(self.c), caller_attempts=self.c.others_ok(), caller_id=CALLER)

    def fetch_caller(self, query, cancel=None) -> FetchResult:
        self.calls.append(("fetch_caller", query))
        return FetchResult(caller_attempts=caller_calls(), caller_id=query.caller_id, request_count=2)

    def check_connection(self) -> str:
        return "ok"

    def close(self) -> None:
        pass


class FakeSession:
    def __init__(self, contact: str | None = None) -> None:
        self.provider = FakeProvider()
        self.profile = None
        self.demo = True
        self.scenario = "origin-ticket"
        self.contact_caller_id = contact


def number(e164: str, role: NumberRole) -> CandidateNumber:
    return CandidateNumber(e164=e164, raw=e164, role=role, role_confidence=0.9)


TICKET = Case(
    symptoms=[SymptomMention(id="straight_to_voicemail", label="Goes straight to voicemail", raw="straight to vm")],
    prior_contact=True,
    messages=["No phone number found: paste the number you were calling, or type it."],
)


def test_a_case_with_a_destination_is_a_destination_lookup() -> None:
    session = FakeSession(contact="+17205550111")
    case = TICKET.model_copy(update={"numbers": [number(DEST, NumberRole.DESTINATION)]})
    result = lookup_case(session, case, since=SINCE, context=CONTEXT)
    (method, query), = session.provider.calls
    assert method == "fetch" and query.destination == DEST
    assert query.caller_id is None  # the contact's number is not the dialer's: the calls name their caller ID
    assert result.destination_source == "given" and result.candidates is None


def test_a_case_with_only_the_customers_caller_id_is_a_caller_first_lookup() -> None:
    session = FakeSession(contact="+17205550111")
    case = TICKET.model_copy(update={"numbers": [number(CALLER, NumberRole.CALLER_ID)]})
    result = lookup_case(session, case, since=SINCE, context=CONTEXT)
    (method, query), = session.provider.calls
    assert method == "fetch_caller" and query.caller_id == CALLER  # the conversation's beats the contact's
    assert result.query.destination == DEST and result.demo and result.scenario == "origin-ticket"
    assert "(the caller ID in the conversation)" in (result.message or "")


def test_without_any_number_the_contacts_caller_id_is_used() -> None:
    session = FakeSession(contact=CALLER)
    result = lookup_case(session, TICKET, since=SINCE, context=CONTEXT)
    assert [m for m, _ in session.provider.calls] == ["fetch_caller"]
    assert result.query.destination == DEST and "from their contact" in (result.message or "")
    explicit = FakeSession(contact="+17205550111")
    lookup_case(explicit, TICKET, since=SINCE, contact_caller_id=CALLER, context=CONTEXT)
    assert explicit.provider.calls[0][1].caller_id == CALLER  # the inbox contact passed in beats the session's


def test_what_the_agent_typed_beats_what_intake_read() -> None:
    session = FakeSession(contact=CALLER)
    case = TICKET.model_copy(update={"numbers": [number("+13035550142", NumberRole.DESTINATION)]})
    lookup_case(session, case, destination=DEST, caller_id="+17205550122", since=SINCE, context=CONTEXT)
    (method, query), = session.provider.calls
    assert (method, query.destination, query.caller_id) == ("fetch", DEST, "+17205550122")
    typed = FakeSession()
    lookup_case(typed, TICKET, caller_id="+17205550122", since=SINCE, context=CONTEXT)
    assert typed.provider.calls[0][0] == "fetch_caller" and typed.provider.calls[0][1].caller_id == "+17205550122"


def test_neither_number_nor_caller_id_is_a_clear_message() -> None:
    session = FakeSession()
    with pytest.raises(InputError, match="No phone number found") as err:
        lookup_case(session, TICKET, since=SINCE)
    assert "caller ID" in err.value.hint and session.provider.calls == []


def test_the_context_defaults_to_the_cases_words() -> None:
    session = FakeSession(contact=CALLER)
    result = lookup_case(session, TICKET, since=SINCE)
    assert result.candidates and "symptoms" in result.candidates[0].signals
    assert "prior_contact" in result.candidates[0].signals


def test_a_bad_time_zone_is_a_usage_error_before_any_work() -> None:
    with pytest.raises(InputError):
        analyse_caller(CallerQuery(caller_id=CALLER, since=SINCE), caller_calls(), provider="twilio", tz="Mars/Base")


def test_data_profile_defaults_when_the_caller_gave_none() -> None:
    result = analyse_caller(CallerQuery(caller_id=CALLER, since=SINCE), Calls().others_ok(5), provider="file")
    assert result.diagnosis is None and result.data == DataProfile(has_caller_history=True)


def test_triage_of_a_text_without_a_destination_points_to_the_caller_first_lookup() -> None:
    from sipsight.cli.text_report import render_case
    from sipsight.core.intake import parse
    from sipsight.core.scenarios import get_scenario

    text = render_case(parse(get_scenario("origin-ticket").conversation))
    assert "Which number did they mean? 'sipsight lookup --from CALLER_ID --conversation FILE'" in text
    with_caller = render_case(parse("My caller ID is (720) 555-0100 and the seller goes straight to voicemail now."))
    assert "'sipsight lookup --from +17205550100 --conversation FILE'" in with_caller
    named = render_case(parse("Calls to (303) 555-0199 go straight to voicemail."))
    assert "Which number did they mean?" not in named
