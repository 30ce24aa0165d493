"""Diagnosis on realistic call histories: one test per story a support agent meets, every kind reachable.

Attempts come from the small factory in tests/diagnosis_factory.py (shared with tests/test_diagnosis.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from diagnosis_factory import NOW, Calls, O, origin_destination, other_number
from sipsight.core.diagnosis import diagnose
from sipsight.core.models import Attempt, DataProfile, Diagnosis, DiagnosisContext, DiagnosisKind
from sipsight.core.scenarios import load_scenarios

K = DiagnosisKind


# --------------------------------------------------------------------------- helpers


def alt_kinds(d: Diagnosis) -> list[DiagnosisKind]:
    return [a.kind for a in d.alternatives]


def all_text(d: Diagnosis) -> str:
    return " ".join([d.headline, *(e.text for e in d.evidence), *d.next_steps, *d.caveats]).lower()


def evidence_ids(d: Diagnosis) -> set[str]:
    return {i for e in d.evidence for i in e.attempt_ids}


def has_step(d: Diagnosis, *words: str) -> bool:
    return any(all(w.lower() in s.lower() for w in words) for s in d.next_steps)


def has_caveat(d: Diagnosis, *words: str) -> bool:
    return any(all(w.lower() in s.lower() for w in words) for s in d.caveats)


@pytest.fixture
def c() -> Calls:
    return Calls()


# --------------------------------------------------------------------------- the origin ticket


def test_origin_ticket_status_only_is_a_likely_block_not_a_certainty(c: Calls) -> None:
    dest = origin_destination(c)
    others = c.others_ok()
    d = diagnose(dest, others, DiagnosisContext(prior_contact=True, symptoms=["straight_to_voicemail"], now=NOW))
    assert d.kind is K.RECIPIENT_BLOCKED
    assert 0.5 <= d.confidence <= 0.75  # status only: likely, never certain
    assert {K.UNREACHABLE, K.LIKELY_SPAM_LABELED} <= set(alt_kinds(d))
    assert d.confidence + sum(a.confidence for a in d.alternatives) <= 1.0
    assert all(a.how_to_tell for a in d.alternatives)
    assert any("another phone" in a.how_to_tell for a in d.alternatives)
    # the evidence cites the change: the connected calls and the run of instant machine answers
    fast_ids = {a.id for a in dest[3:]}
    connected_ids = {a.id for a in dest[:3]}
    assert any(set(e.attempt_ids) == fast_ids and "1-3 s" in e.text for e in d.evidence)
    assert any(set(e.attempt_ids) == connected_ids for e in d.evidence)
    assert any("other numbers" in e.text for e in d.evidence)
    assert "+1 303-555-0199" in d.headline and "voicemail" in d.headline
    assert has_caveat(d, "No SIP codes")
    assert has_step(d, "once", "personal phone")  # a one-off check ...
    assert has_step(d, "Don't switch caller IDs")  # ... never a way around the block
    assert d.stats["change_at"] == "2026-11-19T19:00:00Z"
    assert d.stats["rule"] == "straight-to-voicemail"
    assert d.stats["median_ring_s"] == 2.5  # all calls to the number: 1,1,2,2,3 s machine answers; 9 s before connects
    assert d.stats["by_outcome"] == {"connected": 3, "voicemail": 5}
    assert d.stats["other_destinations"] == 24
    assert "Connected 3 times" in d.stats["change_summary"]


def test_origin_ticket_with_607_is_a_confident_block(c: Calls) -> None:
    dest = [c.connected(24 * 5), c.connected(24 * 4)]
    dest += [c.coded(h, O.DECLINED, 607, "Unwanted") for h in (20, 12, 6, 2)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.RECIPIENT_BLOCKED
    assert d.confidence >= 0.85
    assert "607" in d.headline
    assert any("607" in e.text and len(e.attempt_ids) == 4 for e in d.evidence)
    assert has_step(d, "Stop calling")
    assert has_step(d, "new numbers")  # why rotating numbers backfires
    assert not has_caveat(d, "No SIP codes")


def test_origin_ticket_without_the_callers_other_calls_is_less_sure(c: Calls) -> None:
    with_others = diagnose(origin_destination(c), Calls("CAother").others_ok())
    alone = diagnose(origin_destination(Calls()))
    assert alone.kind is K.RECIPIENT_BLOCKED
    assert alone.confidence <= 0.6
    assert alone.confidence < with_others.confidence
    assert has_caveat(alone, "other numbers", "cannot be told")


def test_two_attempts_cannot_carry_a_pattern(c: Calls) -> None:
    dest = [c.connected(24 * 3), c.fast_vm(5), c.fast_vm(1)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.RECIPIENT_BLOCKED
    assert d.confidence <= 0.6
    assert has_caveat(d, "Only 3 attempts")


def test_only_two_attempts_in_all(c: Calls) -> None:
    d = diagnose([c.fast_vm(5), c.fast_vm(1)], c.others_ok())
    assert d.confidence <= 0.6
    assert has_caveat(d, "Only 2 attempts", "pattern needs more")


# --------------------------------------------------------------------------- blocked by the network


def test_608_on_many_destinations_flags_the_caller_id_with_redress(c: Calls) -> None:
    jcard = "https://redress.example.org/dispute (tel +1 303 555 0150)"
    dest = [
        c.coded(h, O.NETWORK_BLOCKED, 608, "Rejected", carrier="T-Mobile USA", redress_contact=jcard) for h in (8, 4)
    ]
    others = [
        c.coded(
            h, O.NETWORK_BLOCKED, 608, "Rejected", to=other_number(i), carrier="T-Mobile USA", redress_contact=jcard
        )
        for i, h in enumerate((1, 2, 3, 5, 6))
    ]
    others += [c.connected(h, to=other_number(20 + i), carrier="Verizon Wireless") for i, h in enumerate((1.5, 2.5, 7))]
    d = diagnose(dest, others)
    assert d.kind is K.CALLER_ID_FLAGGED
    assert d.confidence >= 0.85
    assert "T-Mobile" in d.headline
    assert has_step(d, "freecallerregistry.com")
    assert has_step(d, "First Orion")
    assert has_step(d, jcard)
    assert has_step(d, "new numbers")
    assert has_step(d, "Stop dialing")
    assert d.stats["redress_contacts"] == [jcard]
    blocked_ids = {a.id for a in dest} | {a.id for a in others[:5]}
    assert any(set(e.attempt_ids) == blocked_ids for e in d.evidence)


def test_603_plus_with_reason_text_on_this_number(c: Calls) -> None:
    contact = "https://carrier.example.net/blocked-calls"
    dest = [c.connected(24 * 4, carrier="Verizon Wireless")]
    dest += [
        c.coded(h, O.NETWORK_BLOCKED, 603, "Network Blocked", carrier="Verizon Wireless", redress_contact=contact)
        for h in (10, 6, 2)
    ]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.CALLER_ID_FLAGGED
    assert 0.6 <= d.confidence <= 0.8
    assert "603+" in d.headline and "Verizon" in d.headline
    assert has_step(d, contact)
    assert has_step(d, "TNS")
    assert K.RECIPIENT_BLOCKED in alt_kinds(d)
    assert d.stats["sip_codes"] == {"603+": 3}


def test_plain_603_on_one_number_is_a_decline_of_medium_confidence(c: Calls) -> None:
    dest = [c.connected(24 * 3), *(c.coded(h, O.DECLINED, 603, "Decline") for h in (9, 5, 1))]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.RECIPIENT_BLOCKED
    assert 0.4 <= d.confidence <= 0.7
    assert K.CALLER_ID_FLAGGED in alt_kinds(d)
    assert "603" in d.headline


def test_plain_603_across_many_numbers_is_the_caller_id(c: Calls) -> None:
    dest = [c.coded(h, O.DECLINED, 603, "Decline") for h in (9, 5)]
    others = [c.coded(h, O.DECLINED, 603, "Decline", to=other_number(i)) for i, h in enumerate((1, 2, 3, 4))]
    d = diagnose(dest, others)
    assert d.kind is K.CALLER_ID_FLAGGED
    assert 0.6 <= d.confidence <= 0.8


# --------------------------------------------------------------------------- the caller ID everywhere


def test_spam_label_pattern_without_any_code(c: Calls) -> None:
    dest = [c.connected(24 * 6), c.fast_vm(20), c.no_answer(14), c.fast_vm(8), c.fast_vm(2)]
    others = []
    for i in range(12):  # last week: most calls connect
        h = 24 * 3 + i * 8
        others.append(c.connected(h, to=other_number(i)) if i % 3 else c.rang_vm(h, to=other_number(i)))
    for i in range(14):  # the last day: almost nothing connects, machines answer at once
        h = 1 + i * 1.5
        to = other_number(40 + i)
        others.append(c.connected(h, to=to) if i == 0 else c.fast_vm(h, to=to) if i % 4 else c.no_answer(h, to=to))
    d = diagnose(dest, others)
    assert d.kind is K.LIKELY_SPAM_LABELED
    assert 0.55 <= d.confidence <= 0.75
    assert "became a conversation" in all_text(d) and "before these hours" in all_text(d)
    assert has_caveat(d, "spam label leaves no SIP code")
    assert has_step(d, "freecallerregistry.com")
    assert has_step(d, "new numbers")
    assert {K.CALLER_ID_FLAGGED, K.RECIPIENT_BLOCKED} & set(alt_kinds(d))


def test_failures_on_one_carrier_name_its_analytics_engine(c: Calls) -> None:
    dest = [c.fast_vm(h, carrier="AT&T Mobility") for h in (9, 5, 2)]
    others = [c.fast_vm(h, to=other_number(i), carrier="AT&T Mobility") for i, h in enumerate((1, 3, 4, 6, 7, 8))]
    others += [c.connected(h, to=other_number(30 + i), carrier="Verizon Wireless") for i, h in enumerate((1, 2, 3))]
    others += [c.connected(h, to=other_number(50 + i), carrier="T-Mobile USA") for i, h in enumerate((1, 4, 5))]
    d = diagnose(dest, others)
    assert d.kind is K.LIKELY_SPAM_LABELED
    assert "AT&T" in d.headline and "Hiya" in d.headline
    assert d.confidence <= 0.75
    assert has_step(d, "Hiya")


def test_people_hanging_up_within_seconds_everywhere(c: Calls) -> None:
    dest = [c.connected(h, talk=3) for h in (9, 5)] + [c.no_answer(2)]
    others = [c.connected(h, talk=2 + i % 3, to=other_number(i)) for i, h in enumerate((1, 2, 3, 4, 6))]
    others += [c.connected(7, talk=200, to=other_number(30))]
    d = diagnose(dest, others)
    kinds = [d.kind, *alt_kinds(d)]
    assert K.LIKELY_SPAM_LABELED in kinds
    d2 = diagnose(dest[:2], others)  # the latest call to the destination connected, but only for 3 s
    assert d2.kind is K.LIKELY_SPAM_LABELED
    assert has_step(d2, "name and reason")


# --------------------------------------------------------------------------- every other kind


def test_busy(c: Calls) -> None:
    d = diagnose([c.coded(h, O.BUSY, 486, "Busy Here") for h in (6, 4, 2, 1)], c.others_ok())
    assert d.kind is K.BUSY and d.confidence >= 0.8


def test_busy_status_only_is_capped(c: Calls) -> None:
    d = diagnose([c(h, O.BUSY, provider_status="busy") for h in (6, 4, 2, 1)], c.others_ok())
    assert d.kind is K.BUSY and d.confidence <= 0.75


def test_unreachable(c: Calls) -> None:
    dest = [c.coded(h, O.UNREACHABLE, 480, "Temporarily Unavailable") for h in (30, 20, 6)] + [
        c.coded(1, O.UNREACHABLE, 408, "Request Timeout")
    ]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.UNREACHABLE and d.confidence >= 0.7
    assert has_step(d, "different day")


def test_invalid_number(c: Calls) -> None:
    d = diagnose([c.coded(h, O.INVALID_NUMBER, 404, "Not Found") for h in (5, 3, 1)], c.others_ok())
    assert d.kind is K.INVALID_NUMBER and d.confidence >= 0.7
    assert "not in service" in d.headline


def test_604_after_connected_calls_is_doubted(c: Calls) -> None:
    dest = [c.connected(24 * 3), c.connected(24 * 2)] + [c.coded(h, O.INVALID_NUMBER, 604) for h in (9, 5, 1)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.INVALID_NUMBER and d.confidence <= 0.65
    assert K.RECIPIENT_BLOCKED in alt_kinds(d)


def test_address_incomplete(c: Calls) -> None:
    d = diagnose([c.coded(h, O.INVALID_NUMBER, 484) for h in (5, 3, 2, 1)], c.others_ok())
    assert d.kind is K.INVALID_NUMBER
    assert has_step(d, "E.164")


def test_caller_canceled_with_a_short_dialer_timeout(c: Calls) -> None:
    dest = [
        c.coded(h, O.CALLER_CANCELED, 487, "Request Terminated", ring_s=8, disconnected_by="caller")
        for h in (7, 5, 3, 1)
    ]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.CALLER_CANCELED and d.confidence >= 0.75
    assert "timeout" in d.headline
    assert has_step(d, "ring timeout")


def test_twilio_canceled_status_only(c: Calls) -> None:
    dest = [c(h, O.CALLER_CANCELED, provider_status="canceled", ring_s=6) for h in (7, 5, 3, 1)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.CALLER_CANCELED and d.confidence <= 0.75


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ("21215", "Geographic Permissions"),
        ("21216", "Trust Hub"),
        ("13227", "Geographic Permissions"),
        ("32205", "SIP trunk"),
    ],
)
def test_platform_errors(c: Calls, error: str, words: str) -> None:
    dest = [c(h, O.PLATFORM_REJECTED, provider_status="failed", provider_error_code=error) for h in (4, 3, 2, 1)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.PLATFORM_RESTRICTION and d.confidence >= 0.85
    assert error in d.headline
    assert has_step(d, words)


def test_603_with_twilio_10001_is_the_account_not_the_recipient(c: Calls) -> None:
    dest = [c.coded(h, O.PLATFORM_REJECTED, 603, "Decline", provider_error_code="10001") for h in (4, 3, 2, 1)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.PLATFORM_RESTRICTION
    assert "not active" in d.headline


def test_anonymous_caller_id_rejected(c: Calls) -> None:
    d = diagnose([c.coded(h, O.DECLINED, 433, "Anonymity Disallowed") for h in (4, 3, 2, 1)], c.others_ok())
    assert d.kind is K.PLATFORM_RESTRICTION
    assert has_step(d, "real caller ID")


def test_5xx_across_unrelated_numbers_in_the_same_hours_is_a_carrier_fault(c: Calls) -> None:
    dest = [c.coded(h, O.CARRIER_FAILURE, 503, "Service Unavailable") for h in (3, 2.5, 2)]
    others = [c.coded(h, O.CARRIER_FAILURE, 503, to=other_number(i)) for i, h in enumerate((2.2, 2.7, 3.1, 2.4))]
    others += c.others_ok(6, start=30)
    d = diagnose(dest, others)
    assert d.kind is K.CARRIER_FAULT and d.confidence >= 0.8
    assert any(len(e.attempt_ids) == 4 and "Within 2 hours" in e.text for e in d.evidence)


def test_5xx_on_this_number_only_is_a_weak_carrier_fault(c: Calls) -> None:
    dest = [c.coded(h, O.CARRIER_FAILURE, 502, "Bad Gateway") for h in (30, 20, 3, 2)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.CARRIER_FAULT and d.confidence <= 0.55
    assert K.UNREACHABLE in alt_kinds(d)


def test_rings_out_then_voicemail(c: Calls) -> None:
    d = diagnose([c.rang_vm(h, ring=24 + h) for h in (6, 4, 3, 1)], c.others_ok())
    assert d.kind is K.VOICEMAIL_PICKUP
    assert 0.6 <= d.confidence <= 0.75
    assert "nothing is blocked" in d.headline


def test_no_answer(c: Calls) -> None:
    d = diagnose([c.no_answer(h) for h in (6, 4, 3, 1)], c.others_ok())
    assert d.kind is K.NO_ANSWER and d.confidence >= 0.6


def test_connected_calls_are_normal(c: Calls) -> None:
    d = diagnose([c.connected(h, talk=200) for h in (30, 20, 6)], c.others_ok())
    assert d.kind is K.NORMAL and d.confidence >= 0.7


def test_no_calls_at_all(c: Calls) -> None:
    d = diagnose([], [], DiagnosisContext(symptoms=["straight_to_voicemail"]))
    assert d.kind is K.NO_DATA and d.confidence == 0
    assert d.headline.startswith("No calls")
    assert has_step(d, "number") and has_step(d, "window") and has_step(d, "profile")
    assert has_caveat(d, "no calls here")


def test_calls_still_in_progress_are_not_diagnosed(c: Calls) -> None:
    d = diagnose([c(0.01, O.IN_PROGRESS, provider_status="in-progress")])
    assert d.kind is K.NO_DATA and "in progress" in d.headline


def test_short_ring_then_voicemail_reads_as_declining(c: Calls) -> None:
    dest = [c.connected(24 * 4), *(c.fast_vm(h, ring=9) for h in (8, 5, 3, 1))]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.RECIPIENT_BLOCKED
    assert "Decline" in d.headline
    assert d.confidence <= 0.65


def test_machine_answers_without_ring_time(c: Calls) -> None:
    dest = [
        c.connected(24 * 4),
        *(c(h, O.VOICEMAIL, provider_status="completed", answered_by="machine_start") for h in (8, 5, 3, 1)),
    ]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.RECIPIENT_BLOCKED and d.confidence <= 0.5
    assert has_caveat(d, "Ring time unknown")
    assert K.VOICEMAIL_PICKUP in alt_kinds(d)


# --------------------------------------------------------------------------- partial data and the customer's words


def test_sip_codes_only_no_status_no_ring(c: Calls) -> None:
    dest = [c(h, sip_code=607, sip_reason="Unwanted") for h in (6, 3, 1)]
    d = diagnose(dest)
    assert d.kind is K.RECIPIENT_BLOCKED
    assert d.confidence >= 0.7  # 607 says who decided, even without the caller's other calls
    assert has_caveat(d, "other numbers")


def test_timestamps_only_says_it_cannot_read_them(c: Calls) -> None:
    d = diagnose([c(h) for h in (6, 3, 1)])
    assert d.kind is K.NO_DATA
    assert "no status or code" in d.headline


def test_partial_summaries_are_flagged_and_lower_confidence(c: Calls) -> None:
    full = diagnose([c.coded(h, O.BUSY, 486) for h in (6, 4, 2, 1)], c.others_ok())
    partial = diagnose([c.coded(h, O.BUSY, 486, insights_state="partial") for h in (6, 4, 2, 1)], c.others_ok())
    assert partial.kind is K.BUSY
    assert partial.confidence < full.confidence
    assert has_caveat(partial, "4 call summaries are still partial")


def test_provider_caveats_are_passed_on(c: Calls) -> None:
    profile = DataProfile(provider_caveats=["Voice Insights is off for this account."])
    d = diagnose(origin_destination(c), c.others_ok(), DiagnosisContext(data=profile))
    assert "Voice Insights is off for this account." in d.caveats


def test_customer_says_blocked_but_the_line_is_busy(c: Calls) -> None:
    ctx = DiagnosisContext(symptoms=["blocked"], codes=["sip:608"])
    d = diagnose([c.coded(h, O.BUSY, 486, "Busy Here") for h in (6, 4, 2, 1)], c.others_ok(), ctx)
    assert d.kind is K.BUSY
    assert has_caveat(d, "blocked", "busy line")
    assert has_caveat(d, "SIP 608", "none of the attempts")


def test_customer_words_are_only_a_weak_prior(c: Calls) -> None:
    dest = [c.rang_vm(h) for h in (6, 4, 3, 1)]
    plain = diagnose(dest, c.others_ok())
    said = diagnose(dest, c.others_ok(), DiagnosisContext(symptoms=["blocked", "spam_likely"], codes=["sip:608"]))
    assert plain.kind is said.kind is K.VOICEMAIL_PICKUP
    assert abs(plain.confidence - said.confidence) <= 0.05


# --------------------------------------------------------------------------- every kind, and the invariants


CASES: dict[str, Callable[[Calls], Diagnosis]] = {
    "origin": lambda c: diagnose(origin_destination(c), c.others_ok()),
    "607": lambda c: diagnose([c.coded(h, O.DECLINED, 607) for h in (5, 3, 1)], c.others_ok()),
    "608-wide": lambda c: diagnose(
        [c.coded(2, O.NETWORK_BLOCKED, 608)],
        [c.coded(h, O.NETWORK_BLOCKED, 608, to=other_number(i)) for i, h in enumerate((1, 2, 3))],
    ),
    "label": lambda c: diagnose(
        [c.fast_vm(h) for h in (5, 3, 1)],
        [c.connected(24 * 3 + i, to=other_number(i)) for i in range(6)]
        + [c.fast_vm(1 + i, to=other_number(10 + i)) for i in range(8)],
    ),
    "voicemail": lambda c: diagnose([c.rang_vm(h) for h in (5, 3, 1)], c.others_ok()),
    "no-answer": lambda c: diagnose([c.no_answer(h) for h in (5, 3, 1)], c.others_ok()),
    "busy": lambda c: diagnose([c.coded(h, O.BUSY, 600) for h in (5, 3, 1)], c.others_ok()),
    "unreachable": lambda c: diagnose([c.coded(h, O.UNREACHABLE, 480) for h in (5, 3, 1)], c.others_ok()),
    "invalid": lambda c: diagnose([c.coded(h, O.INVALID_NUMBER, 410) for h in (5, 3, 1)], c.others_ok()),
    "canceled": lambda c: diagnose([c.coded(h, O.CALLER_CANCELED, 487, ring_s=5) for h in (5, 3, 1)]),
    "platform": lambda c: diagnose([c(h, O.PLATFORM_REJECTED, provider_error_code="21215") for h in (5, 3, 1)]),
    "carrier": lambda c: diagnose(
        [c.coded(h, O.CARRIER_FAILURE, 500) for h in (2, 1)],
        [c.coded(h, O.CARRIER_FAILURE, 503, to=other_number(i)) for i, h in enumerate((1.5, 2.5))],
    ),
    "normal": lambda c: diagnose([c.connected(h) for h in (5, 3, 1)], c.others_ok()),
    "no-data": lambda c: diagnose([], c.others_ok()),
}


def test_every_kind_is_reachable() -> None:
    kinds = {build(Calls()).kind for build in CASES.values()}
    assert kinds == set(DiagnosisKind)


@pytest.mark.parametrize("name", sorted(CASES))
def test_invariants(name: str) -> None:
    c = Calls()
    d = CASES[name](c)
    assert 0.0 <= d.confidence <= 1.0
    assert d.headline and d.next_steps
    assert all(0.0 < a.confidence <= d.confidence or d.kind is K.NO_DATA for a in d.alternatives)
    assert d.confidence + sum(a.confidence for a in d.alternatives) <= 1.0 + 1e-9
    assert K(d.kind) not in alt_kinds(d)
    made = {f"CAdemo{i:04d}" for i in range(1, c.n + 1)}
    assert evidence_ids(d) <= made
    assert not any("{" in s for s in d.next_steps)  # every placeholder filled


# --------------------------------------------------------------------------- the built-in training scenarios


@pytest.mark.parametrize("name", load_scenarios(include_user=False).names())
def test_builtin_scenarios_meet_their_expectations(name: str) -> None:
    """The trainers' scenarios state what a good diagnosis says; the diagnosis must agree with each of them."""
    from sipsight.core.knowledge import classify_all
    from sipsight.core.scenarios import get_scenario
    from sipsight.simulator.calls import materialize

    scenario = get_scenario(name)
    dest_calls, other_calls = materialize(scenario, NOW)
    # SignalWire reports sip_result_code on every call; Twilio only with Voice Insights
    codes = scenario.voice_insights or scenario.provider == "signalwire"
    dest = classify_all([c.to_attempt(scenario.provider, codes) for c in dest_calls])
    others = classify_all([c.to_attempt(scenario.provider, codes) for c in other_calls])
    d = diagnose(dest, others, DiagnosisContext(now=NOW))
    want = scenario.expected
    assert d.kind.value == want.kind, d.headline
    assert want.min_confidence <= d.confidence <= want.max_confidence, d.confidence
    assert set(want.alternatives_include or []) <= set(alt_kinds(d))


# --------------------------------------------------------------------------- no answering-machine detection


def _plain(c: Calls, hours_ago: float, talk: float, **kw) -> Attempt:
    """A Twilio Calls-API record with AMD off: status and duration only."""
    return c(hours_ago, O.CONNECTED, provider_status="completed", duration_s=talk, **kw)


def test_origin_ticket_without_answering_machine_detection(c: Calls) -> None:
    dest = [_plain(c, 24 * 5, 212), _plain(c, 24 * 4, 347), _plain(c, 24 * 3, 96)]
    dest += [_plain(c, h, t) for h, t in ((20, 9), (15, 6), (9, 11), (4, 7), (1, 8))]
    others = []
    for i in range(20):
        h, to = 1 + i * 3, other_number(i)
        others.append(_plain(c, h, 120 + i, to=to) if i % 2 == 0 else c.no_answer(h, to=to))
    d = diagnose(dest, others)
    assert d.kind is K.RECIPIENT_BLOCKED
    assert 0.3 <= d.confidence <= 0.6
    assert has_caveat(d, "answering-machine detection")
    assert {K.VOICEMAIL_PICKUP, K.UNREACHABLE} <= set(alt_kinds(d))
    assert any(set(e.attempt_ids) == {a.id for a in dest[3:]} and "6-11 s" in e.text for e in d.evidence)
    assert d.stats["change_at"] is not None


def test_brief_answers_without_a_change_read_as_voicemail(c: Calls) -> None:
    d = diagnose([_plain(c, h, 9) for h in (9, 5, 2, 1)], c.others_ok())
    assert d.kind is K.VOICEMAIL_PICKUP
    assert d.confidence <= 0.5


def test_long_calls_without_amd_are_conversations(c: Calls) -> None:
    d = diagnose([_plain(c, h, 240) for h in (9, 5, 2)], c.others_ok())
    assert d.kind is K.NORMAL


# --------------------------------------------------------------------------- status-only failures count


def test_calls_that_only_say_failed_still_count(c: Calls) -> None:
    """Twilio without Voice Insights reports many failures as a bare 'failed': those calls did not connect, so a
    connected call before them is not 'the latest call connected'."""
    dest = [c.connected(24 * 3), *(c(h, provider_status="failed") for h in (9, 5, 1))]
    d = diagnose(dest, c.others_ok())
    assert d.kind is not K.NORMAL
    cs = d.case_stats
    assert cs.this_number.calls == 4 and cs.this_number.other == 3 and cs.unreadable == 0
    assert not cs.claims.latest_connected
    only_failed = diagnose([c(h, provider_status="failed") for h in (9, 5, 1)], c.others_ok())
    assert only_failed.kind is K.NO_DATA and only_failed.confidence == 0
    assert "only that they failed" in only_failed.headline


def test_a_connect_after_mostly_failures_is_no_all_clear(c: Calls) -> None:
    dest = [*(c.coded(h, O.CARRIER_FAILURE, 503) for h in (9, 5, 3)), c.connected(1)]
    d = diagnose(dest)  # no calls to other numbers to compare with
    assert d.kind is K.CARRIER_FAULT and "cleared" in d.headline
    dest = [*(c(h, provider_status="failed") for h in (9, 5, 3)), c.connected(1)]
    d = diagnose(dest, c.others_ok())
    assert d.kind is K.NORMAL and d.confidence < 0.45  # stated as possible, not as an all-clear
