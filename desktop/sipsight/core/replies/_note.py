"""The internal note for the ticket: call ids, codes with reason phrases, times with their zone, the caller's
other calls, caveats and alternatives, laid out by the team lead's internal.yaml. Counts and rates come from the
diagnosis's CaseStats; kinds, outcomes and confidences are written as people read them, never as ids."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sipsight.core.diagnosis import band_word, crosses_year, kind_label, measure_label, measure_names, outcome_label
from sipsight.core.json_document import case_stats_of
from sipsight.core.knowledge import KnowledgeBase, knowledge
from sipsight.core.models import Alternative, Attempt, CallCounts, CaseStats, LookupResult
from sipsight.core.replies._customer import SCOPE, claim_flags, effective_diagnosis, plural
from sipsight.core.replies._format import format_datetime, provider_error_phrase, q850_phrase, sip_phrase
from sipsight.core.replies._templates import templates
from sipsight.core.timezones import zone as zone_of


def _attempt_line(a: Attempt, zone: ZoneInfo, kb: KnowledgeBase, year: bool) -> str:
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
    when = format_datetime(a.start_time, zone, seconds=True, year=year)
    return f"- {a.id} {when} {a.from_} -> {a.to}: {', '.join(bits)} => {outcome_label(a.outcome)}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def confidence_words(confidence: float) -> str:
    """'likely, 67%': the band's word first, the number for tier 2."""
    return f"{band_word(confidence)}, {confidence:.0%}"


def alternative_line(alt: Alternative) -> str:
    """'Phone off or unreachable (possible, 20%): Phone off. How to tell: try again tomorrow.'"""
    line = f"{kind_label(alt.kind)} ({confidence_words(alt.confidence)}): {_sentence(alt.why)}"
    return line + (f" How to tell: {_sentence(alt.how_to_tell)}" if alt.how_to_tell.strip() else "")


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {i}" for i in items if i)


def _pct(part: int, whole: int) -> str:
    return f"{part} of {whole} ({round(100 * part / whole)}%)" if whole else f"{part} of {whole}"


def counted(c: CallCounts) -> str:
    """'straight to voicemail 5, a person answered 3': the measures a set of calls fell into, most first."""
    found = [(m, getattr(c, m)) for m in measure_names() if getattr(c, m)]
    found.sort(key=lambda mv: -mv[1])
    return ", ".join(f"{measure_label(m)} {n}" for m, n in found) or "none"


def other_calls_line(stats: CaseStats) -> str:
    """The caller ID's calls to other numbers: the hours compared, then the whole window when that differs."""
    o, w = stats.other_numbers, stats.other_numbers_window
    if not o.calls:
        return ""
    scope = SCOPE[stats.other_numbers_scope]
    text = (
        f"{scope}: {plural(o.calls, 'call')} to {plural(o.numbers, 'number')}; {_pct(o.connected, o.calls)} answered "
        f"by a person, {_pct(o.reached_phone, o.calls)} rang or were answered ({counted(o)})"
    )
    if stats.other_numbers_scope == "same_hours" and w.calls != o.calls:
        text += (
            f"; whole window: {plural(w.calls, 'call')} to {plural(w.numbers, 'number')}, "
            f"{_pct(w.connected, w.calls)} answered by a person"
        )
    return text[0].upper() + text[1:]


def codes_line(stats: CaseStats, provider: str, kb: KnowledgeBase) -> str:
    """'608 Rejected x7; Q.850 21 Call rejected x4': the codes of the calls to the number (CaseStats), with reason
    phrases from the knowledge base, most first."""
    counted_codes: list[tuple[str, int]] = []
    for label, n in stats.sip_codes.items():
        entry = kb.find(f"sip:{label}")
        counted_codes.append((f"{label} {entry.name}" if entry is not None else label, n))
    counted_codes += [(q850_phrase(int(cause), kb), n) for cause, n in stats.q850_causes.items() if cause.isdigit()]
    for code, n in stats.provider_errors.items():
        entry = kb.find(f"{provider}:{code}")
        counted_codes.append((f"{provider} error {code}" + (f" {entry.name}" if entry else ""), n))
    counted_codes.sort(key=lambda cn: -cn[1])
    return "; ".join(f"{label} x{n}" for label, n in counted_codes) or "none recorded"


def _left_out(stats: CaseStats) -> str:
    parts = []
    if stats.in_progress:
        parts.append(f"{plural(stats.in_progress, 'call')} still in progress")
    if stats.unreadable:
        parts.append(f"{plural(stats.unreadable, 'call')} without status or code")
    return ", ".join(parts)


def internal_values(result: LookupResult, tz: str = "UTC") -> dict[str, str]:
    zone = zone_of(tz)
    kb = knowledge()
    diagnosis = effective_diagnosis(result)
    stats = case_stats_of(result)
    t = templates()
    attempts = sorted(result.attempts, key=lambda a: a.start_time)
    bounds = [a.start_time for a in attempts] or [result.query.since]
    year = crosses_year([*bounds, result.query.until or datetime.now(UTC)], zone)  # as the reply: across New Year
    if attempts:
        window = (
            f"{format_datetime(attempts[0].start_time, zone, year=year)} to "
            f"{format_datetime(attempts[-1].start_time, zone, year=year)}"
        )
    else:
        until = result.query.until
        window = (
            f"{format_datetime(result.query.since, zone, year=year)} to "
            f"{format_datetime(until, zone, year=year) if until else 'now'}"
        )
    newest = attempts[-20:]
    lines = [_attempt_line(a, zone, kb, year) for a in reversed(newest)]
    if len(attempts) > len(newest):
        lines.append(f"- ... and {plural(len(attempts) - len(newest), 'older attempt')}")
    change = ""
    if stats.claims.changed and stats.change_at is not None and diagnosis.stats.get("change_summary"):
        # the summary is derived from the same CaseStats; a change the statistics do not show is never stated
        change = f"{diagnosis.stats['change_summary']} (at {format_datetime(stats.change_at, zone, year=year)})"
    redress = sorted({a.redress_contact for a in attempts if a.redress_contact} | set(stats.redress_contacts))
    carriers = sorted({a.carrier for a in attempts if a.carrier} | set(stats.carriers))
    data = result.data
    partial = max(data.partial_summaries, stats.partial_summaries)
    profile_bits = [
        "SIP codes: yes" if data.has_sip_codes else "SIP codes: no (status only)",
        "answering-machine detection: yes" if data.has_answered_by else "answering-machine detection: no",
        "caller history: yes" if data.has_caller_history or result.caller_attempts else "caller history: no",
    ]
    if partial:
        profile_bits.append(f"{plural(partial, 'partial summary', 'partial summaries')}")
    source = (result.profile and f"profile {result.profile}") or ""
    if result.demo:
        source = f"demo scenario {result.scenario or 'default'}"
    values = {
        "headline": diagnosis.headline,
        "kind": diagnosis.kind.value,
        "kind_label": kind_label(diagnosis.kind),
        "confidence": f"{diagnosis.confidence:.0%}",
        "band": t.band(diagnosis.confidence),
        "band_word": band_word(diagnosis.confidence),
        "provider": result.provider,
        "source": source,
        "destination": result.query.destination,
        "caller_id": result.caller_id or result.query.caller_id or "unknown",
        "window": window,
        "tz": zone.key,
        "attempt_count": str(stats.this_number.calls),
        "by_outcome": counted(stats.this_number),
        "left_out": _left_out(stats),
        "codes": codes_line(stats, result.provider, kb),
        "attempt_lines": "\n".join(lines),
        "other_calls": other_calls_line(stats),
        "change": change,
        "redress": "; ".join(redress),
        "carriers": ", ".join(carriers),
        "line_type": result.line_type or "",
        # the provider's caveats are sentences of their own
        "data_profile": ". ".join([", ".join(profile_bits), *(c.rstrip(".") for c in data.provider_caveats)]),
        "evidence": _bullets(e.text for e in diagnosis.evidence),
        "next_steps": _bullets(diagnosis.next_steps),
        "caveats": _bullets(diagnosis.caveats),
        "alternatives": _bullets(alternative_line(alt) for alt in diagnosis.alternatives),
    }
    values["interpretation"] = t.internal[diagnosis.kind].render(values, claim_flags(result))
    return values


def render_internal_note(result: LookupResult, tz: str = "UTC") -> str:
    """The technical note for the ticket: call ids, codes with reason phrases, times with zone, caveats."""
    return templates().internal_layout.render(internal_values(result, tz), claim_flags(result))
