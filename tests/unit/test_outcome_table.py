"""The outcome decision table (resources/knowledge/outcomes.yaml): one attempt per row that only that row decides,
the precedence between rows, and the table's own checks at load."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sipsight.core.knowledge import classify, codes_say, decide
from sipsight.core.knowledge._outcomes import OutcomeTableError, outcome_table, parse_outcome_table
from sipsight.core.models import Attempt
from sipsight.core.models import OutcomeClass as O


def attempt(**fields: Any) -> Attempt:
    base: dict[str, Any] = {
        "id": "CAdemo0001",
        "start_time": datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
        "from": "+17205550100",
        "to": "+13035550199",
    }
    return Attempt(**(base | fields))


# one attempt per row: the row that decides it, and the outcome
ROWS: dict[str, tuple[dict[str, Any], O]] = {
    "machine-answered": (dict(provider_status="completed", sip_code=200, answered_by="machine_start"), O.VOICEMAIL),
    "answered": (dict(provider_status="completed", sip_code=200, answered_by="human", duration_s=95), O.CONNECTED),
    "rang-out": (
        dict(provider_status="no-answer", sip_code=480, q850_cause=19, ring_s=58, disconnected_by="caller"),
        O.NO_ANSWER,
    ),
    "unknown-rang-out": (dict(provider="plivo", provider_status="failed", ring_s=59), O.NO_ANSWER),
    "ring-timeout": (dict(provider_status="no-answer", sip_code=487, ring_s=15), O.NO_ANSWER),
    "cause-alerted": (dict(provider_status="no-answer", sip_code=480, q850_cause=19, ring_s=12), O.NO_ANSWER),
    "cause-absent": (
        dict(provider_status="no-answer", sip_code=480, q850_cause=20, ring_s=3.1, disconnected_by="callee"),
        O.UNREACHABLE,
    ),
    "timer-fired": (
        dict(provider_status="no-answer", sip_code=480, ring_s=15, disconnected_by="caller"),
        O.NO_ANSWER,
    ),
    "never-rang": (dict(provider_status="no-answer", ring_s=2.0), O.UNREACHABLE),
}


def test_every_row_has_its_case() -> None:
    assert set(ROWS) == {r.id for r in outcome_table().rows}


@pytest.mark.parametrize("row_id", sorted(ROWS))
def test_each_row_decides_its_case(row_id: str) -> None:
    fields, outcome = ROWS[row_id]
    a = attempt(**fields)
    assert decide(a) == (outcome, row_id)
    assert classify(a) is outcome
    assert outcome_table().row(row_id).outcome is outcome


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        # the origin ticket's ring-outs: a minute of ringing beats the 480 that ended it
        (
            dict(provider_status="no-answer", sip_code=480, q850_cause=19, ring_s=58, disconnected_by="caller"),
            O.NO_ANSWER,
        ),
        # a 408 after 25 s of ringing rang out too
        (dict(provider_status="no-answer", sip_code=408, ring_s=25), O.NO_ANSWER),
        # the dialer gave up after 25 s with a CANCEL (487, status canceled): it rang out, nobody answered
        (dict(provider_status="canceled", sip_code=487, ring_s=25, disconnected_by="caller"), O.NO_ANSWER),
        # the agent hung up after 12 s: the caller canceled (the scenario dialer-timeout-canceled)
        (dict(provider_status="canceled", sip_code=487, ring_s=12, disconnected_by="caller"), O.CALLER_CANCELED),
        # a phone that is off: 480 with cause 20 after 3 s
        (dict(provider_status="no-answer", sip_code=480, q850_cause=20, ring_s=3), O.UNREACHABLE),
        # 480 without ring time or cause: the code says unreachable and nothing overrules it
        (dict(provider_status="no-answer", sip_code=480), O.UNREACHABLE),
        # no-answer status after 60 s of ringing, no code
        (dict(provider_status="no-answer", ring_s=60), O.NO_ANSWER),
    ],
)
def test_the_brief_cases(fields: dict[str, Any], outcome: O) -> None:
    assert classify(attempt(**fields)) is outcome


def test_precedence_ring_time_beats_the_cause() -> None:
    # cause 20 says the phone is absent, but it rang 30 s: rang-out comes first in the table
    a = attempt(provider_status="no-answer", sip_code=480, q850_cause=20, ring_s=30)
    assert decide(a) == (O.NO_ANSWER, "rang-out")


def test_precedence_cause_beats_a_short_ring() -> None:
    # cause 19 says the phone was alerted; a 3 s ring alone would say it never rang
    a = attempt(provider_status="no-answer", q850_cause=19, ring_s=3)
    assert decide(a) == (O.NO_ANSWER, "cause-alerted")
    assert decide(attempt(provider_status="no-answer", ring_s=3)) == (O.UNREACHABLE, "never-rang")


def test_precedence_an_absent_cause_beats_the_ring_timer() -> None:
    # our side hung up after 8 s and the provider says no-answer, but cause 20 says the phone was off
    a = attempt(provider_status="no-answer", sip_code=480, q850_cause=20, ring_s=8, disconnected_by="caller")
    assert decide(a) == (O.UNREACHABLE, "cause-absent")


def test_precedence_machine_detection_beats_an_answered_status() -> None:
    assert decide(attempt(provider_status="completed", answered_by="machine_end_beep")) == (
        O.VOICEMAIL,
        "machine-answered",
    )
    assert decide(attempt(provider_status="completed", answered_by="unknown")) == (O.CONNECTED, "answered")


def test_codes_that_say_something_else_are_never_overruled() -> None:
    # a decline after 25 s of ringing is still the person's decline, a block is a block, busy is busy
    for code, reason, outcome in ((603, "Decline", O.DECLINED), (608, None, O.NETWORK_BLOCKED), (486, None, O.BUSY)):
        a = attempt(provider_status="failed", sip_code=code, sip_reason=reason, ring_s=25, disconnected_by="callee")
        assert decide(a) == (outcome, None)
    # the platform's own refusal wins before the table is read
    assert classify(attempt(provider_status="failed", provider_error_code="21215", ring_s=30)) is O.PLATFORM_REJECTED


def test_codes_say_is_the_reading_before_the_table() -> None:
    a = attempt(provider_status="no-answer", sip_code=480, q850_cause=19, ring_s=58)
    assert codes_say(a) is O.UNREACHABLE and classify(a) is O.NO_ANSWER


def test_an_unknown_ending_stays_unknown_unless_it_rang_a_ring_out_long() -> None:
    assert decide(attempt(provider="plivo", provider_status="failed", ring_s=20)) == (O.UNKNOWN, None)
    assert decide(attempt(provider="plivo", provider_status="failed")) == (O.UNKNOWN, None)  # no ring time known


def test_a_row_with_a_condition_on_an_unknown_fact_does_not_match() -> None:
    # rang-out needs the ring time: without it, the 480 stands
    assert decide(attempt(provider_status="no-answer", sip_code=480, disconnected_by="caller")) == (O.UNREACHABLE, None)


def test_the_table_refuses_a_broken_file() -> None:
    good = outcome_table().model_dump(mode="json")
    bad = {**good, "rows": [{**good["rows"][0], "whenn": good["rows"][0]["when"]}]}
    with pytest.raises(OutcomeTableError, match="whenn"):
        parse_outcome_table(bad, "outcomes.yaml")
    bad = {**good, "rows": [{**good["rows"][0], "outcome": "rang_out"}]}
    with pytest.raises(OutcomeTableError, match="outcome"):
        parse_outcome_table(bad, "outcomes.yaml")
    bad = {**good, "rows": [good["rows"][0], good["rows"][0]]}
    with pytest.raises(OutcomeTableError, match="repeated"):
        parse_outcome_table(bad, "outcomes.yaml")
    row = good["rows"][0]
    bad = {**good, "rows": [{**row, "when": {**row["when"], "answered_by": ["robot"]}}]}
    with pytest.raises(OutcomeTableError, match="answered_by"):
        parse_outcome_table(bad, "outcomes.yaml")


def test_the_knowledge_loader_does_not_read_the_table_as_a_vocabulary() -> None:
    from sipsight.core.knowledge import knowledge

    assert knowledge().find("sip:480") is not None  # loads, with outcomes.yaml beside the vocabularies
