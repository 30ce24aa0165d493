"""The Qt-free training model: steps and navigation, quiz locking and scoring, presenter masking, the codes
step, and the scenario -> query window. Offline: scenarios are materialized and analysed without HTTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from sipsight.core.lookup import analyse
from sipsight.core.lookup.window import DEFAULT_RETENTION, DEFAULT_WINDOW
from sipsight.core.models import Attempt, DiagnosisKind, OutcomeClass
from sipsight.core.privacy import mask_presenter
from sipsight.core.scenarios import get_scenario, load_scenarios
from sipsight.simulator.calls import materialize
from sipsight.training.cases import (
    lookup_window,
    mask_numbers,
    mask_people,
    presenter_attempts,
    presenter_text,
    scenario_context,
    scenario_query,
)
from sipsight.training.codes import blocking_family, case_codes
from sipsight.training.session import KIND_WORDS, STEP_COUNT, Mode, Step, TrainingSession, kind_words

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
FULL_NUMBER = re.compile(r"\d(?:[\s().\-]{0,2}\d){6,}")


def offline_result(name: str):
    """The scenario's lookup result without HTTP: materialized calls -> the same pipeline the lookup runs."""
    scenario = get_scenario(name)
    dest, other = materialize(scenario, NOW)
    insights = scenario.voice_insights
    return analyse(
        scenario_query(scenario, NOW),
        [c.to_attempt(scenario.provider, insights) for c in dest],
        [c.to_attempt(scenario.provider, insights) for c in other],
        provider=scenario.provider,
        context=scenario_context(scenario, NOW),
    )


# --------------------------------------------------------------------------- navigation


def test_walkthrough_goes_through_six_steps_per_case_then_ends() -> None:
    a, b = get_scenario("origin-ticket"), get_scenario("busy-seller")
    session = TrainingSession([a, b])
    assert session.mode is Mode.WALKTHROUGH and not session.quiz
    seen = [(session.case_index, session.step)]
    while session.next():
        seen.append((session.case_index, None if session.finished else session.step))
    assert seen == [(0, s) for s in Step] + [(1, s) for s in Step] + [(1, None)]
    assert session.finished and not session.can_go_next() and session.position_text() == "Session complete"
    assert len(Step) == STEP_COUNT == 6
    # back from the end page lands on the last step; back from a case's first step on the previous case's last
    assert session.back() and not session.finished and (session.case_index, session.step) == (1, Step.REPLY)
    for _ in range(6):
        session.back()
    assert (session.case_index, session.step) == (0, Step.REPLY)
    session.go_to_case(0)
    assert not session.can_go_back() and not session.back()
    assert session.position_text() == "Case 1 of 2 · Step 1 of 6"
    with pytest.raises(IndexError):
        session.go_to_case(2)
    with pytest.raises(ValueError):
        TrainingSession([])


def test_walkthrough_reveals_everything_without_a_pick() -> None:
    session = TrainingSession([get_scenario("origin-ticket")], "walkthrough")
    for _ in range(2):
        session.next()
    assert session.step is Step.TIMELINE and session.diagnosis_revealed() and session.title_revealed()
    assert session.can_go_next()


def test_quiz_blocks_the_reveal_until_a_diagnosis_is_picked_and_locks_the_first_pick() -> None:
    scenario = get_scenario("origin-ticket")
    session = TrainingSession([scenario], Mode.QUIZ)
    assert not session.title_revealed()  # titles name the answer
    session.next()
    session.next()
    assert session.step is Step.TIMELINE
    assert not session.diagnosis_revealed()
    assert session.next_blocked_reason() == "Pick a diagnosis first."
    assert not session.next() and session.step is Step.TIMELINE

    wrong = next(k for k in scenario.teaching.quiz_choices if k != scenario.expected.kind)
    feedback = session.pick_diagnosis(wrong)
    assert not feedback.correct and kind_words(scenario.expected.kind) in feedback.text
    assert session.diagnosis_revealed() and session.title_revealed()
    # a second pick does not change the first one
    again = session.pick_diagnosis(scenario.expected.kind)
    assert session.case.quiz_pick == wrong and not again.correct
    assert session.next() and session.step is Step.CODES

    with pytest.raises(ValueError):
        TrainingSession([scenario], Mode.QUIZ).pick_diagnosis(DiagnosisKind.NO_DATA)  # not offered here


def test_check_question_feedback_and_first_pick_scoring() -> None:
    scenario = get_scenario("origin-ticket")
    choices = scenario.teaching.choices
    right = next(i for i, c in enumerate(choices) if c.correct)
    wrong = next(i for i, c in enumerate(choices) if not c.correct)
    session = TrainingSession([scenario, get_scenario("busy-seller")], Mode.QUIZ)
    first = session.pick_check(wrong)
    assert not first.correct and first.text == choices[wrong].feedback
    assert session.pick_check(right).correct and session.pick_check(right).text == choices[right].feedback
    assert session.case.check_picks == [wrong, right]  # every click gets feedback; a repeat is not recorded twice
    assert session.case.check_first_correct is False


def test_session_score_counts_first_picks_over_the_session() -> None:
    names = ["origin-ticket", "caller-id-608-redress", "busy-seller"]
    session = TrainingSession([get_scenario(n) for n in names], Mode.QUIZ)
    picks = []
    for index, case in enumerate(session.cases):
        session.go_to_case(index)
        kinds = case.scenario.teaching.quiz_choices
        pick = case.scenario.expected.kind if index != 1 else next(k for k in kinds if k != case.scenario.expected.kind)
        session.pick_diagnosis(pick)
        picks.append(pick)
        right = next(i for i, c in enumerate(case.scenario.teaching.choices) if c.correct)
        session.pick_check(right)
    score = session.score()
    assert (score.cases, score.diagnosis_answered, score.diagnosis_correct) == (3, 3, 2)
    assert (score.check_answered, score.check_first_correct) == (3, 3)
    assert score.percent == 67
    assert score.headline(Mode.QUIZ) == "2 of 3 diagnoses right (67%)"
    assert score.headline(Mode.WALKTHROUGH) == "3 cases walked through"
    # an unanswered case counts as not right
    fresh = TrainingSession([get_scenario("origin-ticket")], Mode.QUIZ).score()
    assert (fresh.diagnosis_correct, fresh.percent) == (0, 0)


def test_every_diagnosis_kind_has_plain_quiz_words() -> None:
    assert set(KIND_WORDS) == set(DiagnosisKind)
    assert kind_words("busy") == "the line is busy"
    assert kind_words("made_up") == "made up"


def test_the_whole_library_is_a_trainable_session() -> None:
    """Every built-in scenario can be walked and quizzed: picking each expected kind scores 100%."""
    library = load_scenarios(include_user=False)
    assert len(library.scenarios) >= 12 and library.scenarios[0].name == "origin-ticket"
    assert {s.expected.kind for s in library.scenarios} == set(DiagnosisKind)
    session = TrainingSession(library.scenarios, Mode.QUIZ)
    while not session.finished:
        if session.step is Step.TIMELINE:
            session.pick_diagnosis(session.scenario.expected.kind)
        assert session.next(), session.position_text()
    score = session.score()
    assert score.diagnosis_correct == score.cases == len(library.scenarios) and score.percent == 100


# --------------------------------------------------------------------------- presenter masking


def test_mask_numbers_in_every_notation() -> None:
    text = "Call +13035550199, (720) 555-0100, 720.555.0101 or +1 303 555 0142 (ext. 12 at 10:30 on 2026-11-24)."
    masked = mask_numbers(text)
    assert "+1 303 •••-••99" in masked and "+1 720 •••-••00" in masked and "+1 720 •••-••01" in masked
    assert "+1 303 •••-••42" in masked
    assert not FULL_NUMBER.search(masked), masked
    assert "10:30" in masked and "ext. 12" in masked  # times and short numbers are not phone numbers
    assert mask_numbers("0012345678901234").count("•") == 14  # not a dialable number: masked all the same
    assert mask_presenter("+13035550199") == "+1 303 •••-••99"


def test_customer_name_becomes_the_customer() -> None:
    text = "Sarah Whitfield:\nHi, Sarah here. Whitfield's phone rings.\nThanks Sarah"
    out = mask_people(text, ["Sarah Whitfield"])
    assert "Sarah" not in out and "Whitfield" not in out
    assert out.startswith("The customer:") and "Hi, the customer here." in out and "The customer's phone" in out
    assert out.endswith("Thanks the customer")
    assert mask_people("Customer said", ["Customer"]) == "Customer said"  # the placeholder name is left alone


def test_presenter_text_masks_numbers_names_and_secrets() -> None:
    scenario = get_scenario("origin-ticket")
    text = presenter_text(scenario.conversation + "\nMy number is 720-555-0100. token=abc123", [scenario.customer_name])
    assert scenario.customer_name not in text and "Sarah" not in text
    assert not FULL_NUMBER.search(text) and "+1 720 •••-••00" in text and "abc123" not in text


def test_presenter_attempts_are_masked_copies() -> None:
    original = Attempt.model_validate(
        {
            "id": "CAdemo1",
            "start_time": NOW,
            "from": "+17205550100",
            "to": "+13035550199",
            "sip_code": 608,
            "redress_contact": "call 1-800-555-0123 to dispute",
            "outcome": OutcomeClass.NETWORK_BLOCKED,
            "raw": {"to": "+13035550199"},
        }
    )
    (masked,) = presenter_attempts([original])
    assert (masked.from_, masked.to) == ("+1 720 •••-••00", "+1 303 •••-••99")
    assert masked.raw == {} and not FULL_NUMBER.search(masked.redress_contact or "")
    assert (masked.id, masked.sip_code, masked.outcome) == ("CAdemo1", 608, OutcomeClass.NETWORK_BLOCKED)
    assert original.to == "+13035550199"  # the original is untouched


# --------------------------------------------------------------------------- cases and codes


def test_scenario_query_window_holds_every_call() -> None:
    for scenario in load_scenarios(include_user=False).scenarios:
        window = lookup_window(scenario)
        assert DEFAULT_WINDOW <= window <= DEFAULT_RETENTION
        query = scenario_query(scenario, NOW)
        assert (query.destination, query.caller_id) == (scenario.destination, scenario.caller_id)
        dest, other = materialize(scenario, NOW)
        assert all(c.start_time >= query.since for c in [*dest, *other]), scenario.name


def test_scenario_context_reads_the_customer_message() -> None:
    context = scenario_context(get_scenario("origin-ticket"), NOW)
    assert "straight_to_voicemail" in context.symptoms and context.prior_contact and context.now == NOW


def test_codes_step_lists_the_case_codes_then_the_blocking_family_not_seen() -> None:
    blocked = offline_result("caller-id-608-redress")
    rows = case_codes(blocked)
    labels = [r.label for r in rows]
    assert "SIP 608" in labels and "Q.850 21" in labels
    sip608 = rows[labels.index("SIP 608")]
    assert sip608.seen and sip608.count == sum(1 for a in blocked.attempts if a.sip_code == 608) > 0
    assert sip608.name == "Rejected" and sip608.meaning
    assert [r.count for r in rows] == sorted((r.count for r in rows), reverse=True)
    family = [r.label for r in blocking_family(blocked)]
    assert "SIP 608" not in family and {"SIP 603", "SIP 603+", "SIP 607"} <= set(family)

    voicemail = offline_result("origin-ticket")
    labels = [r.label for r in case_codes(voicemail)]
    assert labels[0] == "SIP 200" and "Answered by machine_start" in labels
    assert [r.label for r in blocking_family(voicemail)] == ["SIP 603", "SIP 603+", "SIP 607", "SIP 608"]
    assert all(not r.seen and r.count == 0 for r in blocking_family(voicemail))
