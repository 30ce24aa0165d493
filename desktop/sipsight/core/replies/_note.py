"""The internal note for the ticket: call ids, codes with reason phrases, times with their zone, the caller's
other calls, caveats and alternatives, laid out by the team lead's internal.yaml."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sipsight.core.knowledge import KnowledgeBase, knowledge
from sipsight.core.models import Alternative, Attempt, LookupResult, OutcomeClass
from sipsight.core.replies._customer import effective_diagnosis
from sipsight.core.replies._format import code_counts, format_datetime, provider_error_phrase, q850_phrase, sip_phrase
from sipsight.core.replies._templates import templates
from sipsight.core.timezones import zone as zone_of


def _attempt_line(a: Attempt, zone: ZoneInfo, kb: KnowledgeBase) -> str:
    bits = [a.provider_status or "status ?"]
    for phrase in (sip_phrase(a, kb), q850_phrase(a.q850_cause, kb), provider_error_phrase(a, kb)):
        if phrase:
            bits.append(phrase)
    if a.answered_by:
        bits.append(f"answered_by {a.answered_by}")
    if a.duration_s is not None:
        bits.append(f"{a.duration_s:g}s talk")
    if a.ring_s is not None:
        bits.append(f"{a.ring_s:g}s ring")
    if a.pdd_ms is not None:
        bits.append(f"PDD {a.pdd_ms} ms")
    if a.disconnected_by:
        bits.append(f"hung up by {a.disconnected_by}")
    when = format_datetime(a.start_time, zone, seconds=True)
    return f"- {a.id} {when} {a.from_} -> {a.to}: {', '.join(bits)} => {a.outcome.value}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def alternative_line(alt: Alternative) -> str:
    """'unreachable (20%): Phone off. How to tell: try again tomorrow.'"""
    line = f"{alt.kind.value} ({alt.confidence:.0%}): {_sentence(alt.why)}"
    return line + (f" How to tell: {_sentence(alt.how_to_tell)}" if alt.how_to_tell.strip() else "")


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {i}" for i in items if i)


def internal_values(result: LookupResult, tz: str = "UTC") -> dict[str, str]:
    zone = zone_of(tz)
    kb = knowledge()
    diagnosis = effective_diagnosis(result)
    t = templates()
    attempts = sorted(result.attempts, key=lambda a: a.start_time)
    if attempts:
        window = f"{format_datetime(attempts[0].start_time, zone)} to {format_datetime(attempts[-1].start_time, zone)}"
    else:
        until = result.query.until
        window = f"{format_datetime(result.query.since, zone)} to {format_datetime(until, zone) if until else 'now'}"
    newest = attempts[-20:]
    lines = [_attempt_line(a, zone, kb) for a in reversed(newest)]
    if len(attempts) > len(newest):
        lines.append(f"- ... and {len(attempts) - len(newest)} older attempts")
    outcomes = Counter(a.outcome.value for a in attempts)
    others = result.caller_attempts
    other_calls = ""
    if others:
        other_dest = {a.to for a in others}
        other_outcomes = Counter(a.outcome.value for a in others)
        connected = sum(1 for a in others if a.outcome is OutcomeClass.CONNECTED)
        other_calls = (
            f"{len(others)} calls to {len(other_dest)} other numbers from the same caller ID; "
            f"{connected} connected ({connected * 100 // max(len(others), 1)}%); "
            + "by outcome: "
            + ", ".join(f"{k} {v}" for k, v in other_outcomes.most_common())
        )
    stats = diagnosis.stats
    change = ""
    if stats.get("change_summary"):
        change = str(stats["change_summary"])
        if stats.get("change_at"):
            when = datetime.fromisoformat(str(stats["change_at"]).replace("Z", "+00:00"))
            change += f" (at {format_datetime(when, zone)})"
    redress = sorted(
        {a.redress_contact for a in attempts if a.redress_contact} | set(stats.get("redress_contacts") or [])
    )
    carriers = sorted({a.carrier for a in attempts if a.carrier} | set(stats.get("carriers") or []))
    data = result.data
    profile_bits = [
        "SIP codes: yes" if data.has_sip_codes else "SIP codes: no (status only)",
        "answered_by: yes" if data.has_answered_by else "answered_by: no",
        "caller history: yes" if data.has_caller_history or others else "caller history: no",
    ]
    if data.partial_summaries:
        profile_bits.append(f"{data.partial_summaries} partial summaries")
    source = (result.profile and f"profile {result.profile}") or ""
    if result.demo:
        source = f"demo scenario {result.scenario or 'default'}"
    alternatives = [alternative_line(alt) for alt in diagnosis.alternatives]
    values = {
        "headline": diagnosis.headline,
        "kind": diagnosis.kind.value,
        "confidence": f"{diagnosis.confidence:.0%}",
        "band": t.band(diagnosis.confidence),
        "provider": result.provider,
        "source": source,
        "destination": result.query.destination,
        "caller_id": result.caller_id or result.query.caller_id or "unknown",
        "window": window,
        "tz": zone.key,
        "attempt_count": str(len(attempts)),
        "by_outcome": ", ".join(f"{k} {v}" for k, v in outcomes.most_common()) or "none",
        "codes": "; ".join(f"{label} x{n}" for label, n in code_counts(attempts, kb)) or "none recorded",
        "attempt_lines": "\n".join(lines),
        "other_calls": other_calls,
        "change": change,
        "redress": "; ".join(redress),
        "carriers": ", ".join(carriers),
        "line_type": result.line_type or "",
        "data_profile": ", ".join(profile_bits + list(data.provider_caveats)),
        "evidence": _bullets(e.text for e in diagnosis.evidence),
        "next_steps": _bullets(diagnosis.next_steps),
        "caveats": _bullets(diagnosis.caveats),
        "alternatives": _bullets(alternatives),
    }
    values["interpretation"] = t.internal[diagnosis.kind].render(values)
    return values


def render_internal_note(result: LookupResult, tz: str = "UTC") -> str:
    """The technical note for the ticket: call ids, codes with reason phrases, times with zone, caveats."""
    return templates().internal_layout.render(internal_values(result, tz))
