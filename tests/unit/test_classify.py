"""classify(): the single-attempt decision order on realistic attempts from each provider."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sipsight.core.knowledge import classify, classify_all, explain_attempt, load_knowledge
from sipsight.core.models import Attempt
from sipsight.core.models import OutcomeClass as O

DEST = "+13035550199"
CALLER = "+17205550100"


def attempt(**fields: Any) -> Attempt:
    base: dict[str, Any] = {
        "id": "CAdemo0001",
        "start_time": datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
        "from": CALLER,
        "to": DEST,
    }
    base.update(fields)
    return Attempt(**base)


CASES = [
    # Twilio Calls resource only (no Voice Insights): status + answered_by + duration
    ("twilio answered by a person", dict(provider_status="completed", answered_by="human", duration_s=95), O.CONNECTED),
    ("twilio AMD unknown", dict(provider_status="completed", answered_by="unknown", duration_s=40), O.CONNECTED),
    ("twilio very short, no AMD", dict(provider_status="completed", duration_s=2), O.CONNECTED),
    (
        "twilio voicemail pickup",
        dict(provider_status="completed", answered_by="machine_start", duration_s=9),
        O.VOICEMAIL,
    ),
    ("twilio voicemail beep", dict(provider_status="completed", answered_by="machine_end_beep"), O.VOICEMAIL),
    ("twilio busy", dict(provider_status="busy"), O.BUSY),
    ("twilio no-answer", dict(provider_status="no-answer", ring_s=60), O.NO_ANSWER),
    ("twilio canceled", dict(provider_status="canceled", ring_s=8), O.CALLER_CANCELED),
    ("twilio failed, nothing else", dict(provider_status="failed"), O.UNKNOWN),
    ("twilio still ringing", dict(provider_status="ringing"), O.IN_PROGRESS),
    ("twilio queued", dict(provider_status="queued"), O.IN_PROGRESS),
    # Twilio with Voice Insights: the SIP code decides
    ("insights 608", dict(provider_status="failed", sip_code=608, insights_state="complete"), O.NETWORK_BLOCKED),
    ("insights 603+", dict(provider_status="failed", sip_code=603, sip_reason="Network Blocked"), O.NETWORK_BLOCKED),
    ("insights plain 603", dict(provider_status="busy", sip_code=603, sip_reason="Decline"), O.DECLINED),
    ("insights 607", dict(provider_status="failed", sip_code=607), O.DECLINED),
    ("insights 404", dict(provider_status="failed", sip_code=404), O.INVALID_NUMBER),
    ("insights 480", dict(provider_status="no-answer", sip_code=480), O.UNREACHABLE),
    ("insights 486", dict(provider_status="busy", sip_code=486), O.BUSY),
    ("insights 503", dict(provider_status="failed", sip_code=503), O.CARRIER_FAILURE),
    ("insights 487 agent hung up", dict(provider_status="canceled", sip_code=487, ring_s=6), O.CALLER_CANCELED),
    ("insights 487 ring timeout", dict(provider_status="no-answer", sip_code=487, ring_s=60), O.NO_ANSWER),
    ("sip 200 machine", dict(sip_code=200, answered_by="machine_end_silence"), O.VOICEMAIL),
    ("sip 200 human", dict(sip_code=200, answered_by="human"), O.CONNECTED),
    ("insights call_state only", dict(provider_status="noanswer"), O.NO_ANSWER),
    ("insights undialed", dict(provider_status="undialed"), O.PLATFORM_REJECTED),
    # Twilio error codes: platform-side refusals win over the SIP code they produced
    ("geo permissions", dict(provider_status="failed", provider_error_code="21215"), O.PLATFORM_REJECTED),
    ("trust hub block", dict(provider_status="failed", provider_error_code="21216"), O.PLATFORM_REJECTED),
    (
        "inactive account 603",
        dict(provider_status="failed", sip_code=603, provider_error_code="10001"),
        O.PLATFORM_REJECTED,
    ),
    ("invalid number 21217", dict(provider_status="failed", provider_error_code="21217"), O.INVALID_NUMBER),
    ("dial bad format", dict(provider_status="failed", provider_error_code="13223"), O.INVALID_NUMBER),
    ("sip mirror 31486", dict(provider_status="failed", provider_error_code="31486"), O.BUSY),
    ("sip mirror not in the kb", dict(provider_status="failed", provider_error_code="31410"), O.INVALID_NUMBER),
    # Q.850 only when nobody answered
    ("cause 20 phone off", dict(provider_status="failed", q850_cause=20), O.UNREACHABLE),
    ("cause 1 unallocated", dict(provider_status="failed", q850_cause=1), O.INVALID_NUMBER),
    (
        "cause 16 on an answered call",
        dict(provider_status="completed", q850_cause=16, answered_by="human"),
        O.CONNECTED,
    ),
    ("cause 31 on an answered call", dict(provider_status="completed", q850_cause=31), O.CONNECTED),
    ("cause 16 alone says nothing", dict(provider_status="failed", q850_cause=16), O.UNKNOWN),
    # SignalWire: sip_result_code in REST
    ("signalwire 486", dict(provider="signalwire", provider_status="busy", sip_code=486), O.BUSY),
    ("signalwire 608", dict(provider="signalwire", provider_status="failed", sip_code=608), O.NETWORK_BLOCKED),
    ("signalwire completed", dict(provider="signalwire", provider_status="completed", sip_code=200), O.CONNECTED),
    # Telnyx: hangup_cause + sip_hangup_cause
    ("telnyx 603 example", dict(provider="telnyx", provider_status="call_rejected", sip_code=603), O.DECLINED),
    ("telnyx 608", dict(provider="telnyx", provider_status="call_rejected", sip_code=608), O.NETWORK_BLOCKED),
    ("telnyx rejected, no sip", dict(provider="telnyx", provider_status="call_rejected"), O.DECLINED),
    ("telnyx originator_cancel", dict(provider="telnyx", provider_status="originator_cancel"), O.CALLER_CANCELED),
    ("telnyx timeout", dict(provider="telnyx", provider_status="timeout"), O.NO_ANSWER),
    ("telnyx user_busy", dict(provider="telnyx", provider_status="user_busy"), O.BUSY),
    ("telnyx texml status", dict(provider="telnyx", provider_status="no-answer"), O.NO_ANSWER),
    # Plivo: cause code keyed by product, or the cause name
    ("plivo invalid destination", dict(provider="plivo", provider_error_code="2000"), O.INVALID_NUMBER),
    ("plivo barred country", dict(provider="plivo", provider_error_code="voice:2030"), O.PLATFORM_REJECTED),
    ("plivo cause name", dict(provider="plivo", provider_status="Destination Out Of Service"), O.UNREACHABLE),
    ("plivo zentrunk", dict(provider="plivo", provider_error_code="zentrunk:3030"), O.PLATFORM_REJECTED),
    # Vonage: status + webhook detail
    ("vonage machine", dict(provider="vonage", provider_status="machine"), O.VOICEMAIL),
    (
        "vonage restricted",
        dict(provider="vonage", provider_status="rejected", raw={"detail": "restricted"}),
        O.NETWORK_BLOCKED,
    ),
    ("vonage declined", dict(provider="vonage", provider_status="rejected", raw={"detail": "declined"}), O.DECLINED),
    (
        "vonage out of service",
        dict(provider="vonage", provider_status="failed", provider_error_code="number_out_of_service"),
        O.INVALID_NUMBER,
    ),
    ("vonage unanswered", dict(provider="vonage", provider_status="unanswered"), O.NO_ANSWER),
    ("vonage no detail", dict(provider="vonage", provider_status="failed", raw={"detail": "no_detail"}), O.UNKNOWN),
    # Bandwidth: disconnectCause (+ sipResponseCode when rejected)
    ("bandwidth hangup", dict(provider="bandwidth", provider_status="hangup", duration_s=120), O.CONNECTED),
    ("bandwidth rejected", dict(provider="bandwidth", provider_status="rejected"), O.DECLINED),
    ("bandwidth rejected 608", dict(provider="bandwidth", provider_status="rejected", sip_code=608), O.NETWORK_BLOCKED),
    ("bandwidth account limit", dict(provider="bandwidth", provider_status="account-limit"), O.PLATFORM_REJECTED),
    (
        "bandwidth node capacity",
        dict(provider="bandwidth", provider_status="node-capacity-exceeded"),
        O.CARRIER_FAILURE,
    ),
    # odd inputs
    ("provisional code, final status failed", dict(provider_status="failed", sip_code=183), O.UNKNOWN),
    ("provisional code only", dict(sip_code=180), O.IN_PROGRESS),
    ("unregistered 4xx acts as 400", dict(sip_code=499), O.PLATFORM_REJECTED),
    ("unregistered 5xx acts as 500", dict(sip_code=599), O.CARRIER_FAILURE),
    ("nothing at all", dict(), O.UNKNOWN),
    ("unknown provider, twilio-style status", dict(provider="acme", provider_status="busy"), O.BUSY),
    ("status in capitals", dict(provider_status="No-Answer"), O.NO_ANSWER),
]


@pytest.mark.parametrize(("label", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_classify(label: str, fields: dict[str, Any], expected: O) -> None:
    assert classify(attempt(**fields)) is expected


def test_every_outcome_class_is_reachable() -> None:
    assert {expected for _, _, expected in CASES} == set(O)


def test_603_plus_needs_the_network_blocked_phrase() -> None:
    plain = attempt(sip_code=603, sip_reason="Decline")
    plus = attempt(sip_code=603, sip_reason="Network Blocked")
    assert (classify(plain), classify(plus)) == (O.DECLINED, O.NETWORK_BLOCKED)
    assert [e.ref for e in explain_attempt(plus)] == ["sip:603+"]
    assert [e.ref for e in explain_attempt(plain)] == ["sip:603"]


def test_classify_all_sets_outcomes_without_touching_the_input() -> None:
    preset = attempt(id="CAdemo0002", provider_status="busy", outcome=O.VOICEMAIL)
    fresh = attempt(id="CAdemo0003", provider_status="busy")
    unknown = attempt(id="CAdemo0004", provider_status="failed")
    out = classify_all([preset, fresh, unknown])
    assert [a.outcome for a in out] == [O.VOICEMAIL, O.BUSY, O.UNKNOWN]
    assert fresh.outcome is O.UNKNOWN  # copies, not mutation
    assert [a.id for a in out] == ["CAdemo0002", "CAdemo0003", "CAdemo0004"]


def test_explain_attempt_lists_every_relevant_entry() -> None:
    a = attempt(
        provider_status="failed", sip_code=608, q850_cause=21, provider_error_code="31608", disconnected_by="callee"
    )
    refs = [e.ref for e in explain_attempt(a)]
    assert refs == ["sip:608", "q850:21", "twilio-status:failed", "insights-disconnected-by:callee"]
    vm = attempt(provider_status="completed", answered_by="machine_start")
    assert [e.ref for e in explain_attempt(vm)] == ["twilio-status:completed", "twilio-answered-by:machine_start"]
    geo = attempt(provider_status="failed", provider_error_code="21215")
    assert explain_attempt(geo)[0].ref == "twilio:21215"
    vonage = attempt(provider="vonage", provider_status="rejected", raw={"detail": "restricted"})
    assert [e.ref for e in explain_attempt(vonage)] == ["vonage-detail:restricted", "vonage:rejected"]
    plivo = attempt(provider="plivo", provider_error_code="2000")
    assert [e.ref for e in explain_attempt(plivo)] == ["plivo:voice:2000"]
    assert explain_attempt(attempt()) == []


def test_classification_follows_the_data(tmp_path: Path) -> None:
    """A team lead's edit changes the outcome: nothing is hard-coded in classify()."""
    (tmp_path / "sip.yaml").write_text(
        """
vocabularies:
  sip:
    - {code: 486, name: Busy Here, outcome: unreachable, sender: callee, agent: a, customer: c, next_step: n,
       confidence: H, source: RFC 3261 §21.4.24}
""",
        encoding="utf-8",
    )
    kb = load_knowledge(tmp_path)
    a = attempt(sip_code=486)
    assert classify(a) is O.BUSY
    assert classify(a, kb) is O.UNREACHABLE
