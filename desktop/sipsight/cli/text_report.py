"""Human output for the terminal: a colored timeline, the diagnosis and the replies; a triaged Case.

Colour only on a terminal: callers pass `color=stream.isatty()`, and NO_COLOR (no-color.org) always
wins. Full numbers are shown: this is the agent's own terminal, not a log or a projector.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from sipsight.core.models import (
    Attempt,
    Case,
    CodeMention,
    Diagnosis,
    DiagnosisKind,
    InputKind,
    LookupResult,
    OutcomeClass,
    SymptomMention,
    said_by_customer,
)

RESET = "\033[0m"
BOLD = "\033[1m"
DIM = "\033[2m"

_GREEN, _YELLOW, _RED, _MAGENTA, _CYAN, _GREY = "\033[32m", "\033[33m", "\033[31m", "\033[35m", "\033[36m", "\033[90m"

# outcome -> (glyph, ascii fallback, colour): green reached a person, yellow reached nobody but nothing is
# wrong, red refused or blocked, magenta broken somewhere in the network, grey not known yet
OUTCOME_STYLE: dict[OutcomeClass, tuple[str, str, str]] = {
    OutcomeClass.CONNECTED: ("✔", "+", _GREEN),
    OutcomeClass.VOICEMAIL: ("✉", "v", _YELLOW),
    OutcomeClass.NO_ANSWER: ("○", "o", _YELLOW),
    OutcomeClass.BUSY: ("◐", "b", _YELLOW),
    OutcomeClass.CALLER_CANCELED: ("↩", "<", _CYAN),
    OutcomeClass.UNREACHABLE: ("⌀", "u", _MAGENTA),
    OutcomeClass.DECLINED: ("✖", "x", _RED),
    OutcomeClass.NETWORK_BLOCKED: ("⛔", "X", _RED),
    OutcomeClass.INVALID_NUMBER: ("⊘", "!", _RED),
    OutcomeClass.PLATFORM_REJECTED: ("⚠", "!", _RED),
    OutcomeClass.CARRIER_FAILURE: ("⚡", "~", _MAGENTA),
    OutcomeClass.IN_PROGRESS: ("…", ".", _GREY),
    OutcomeClass.UNKNOWN: ("?", "?", _GREY),
}


def use_color(stream: TextIO | None = None) -> bool:
    """ANSI colour for this stream: only on a terminal, never with NO_COLOR set."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _can_encode(text: str) -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color and not os.environ.get("NO_COLOR")
        self.unicode = _can_encode("✔✉○◐↩⌀✖⛔⊘⚠⚡…→•")

    def __call__(self, text: str, *codes: str) -> str:
        if not self.color or not codes:
            return text
        return "".join(codes) + text + RESET

    def arrow(self) -> str:
        return "→" if self.unicode else "->"

    def bullet(self) -> str:
        return "•" if self.unicode else "-"

    def glyph(self, outcome: OutcomeClass) -> str:
        glyph, ascii_glyph, _ = OUTCOME_STYLE[outcome]
        return glyph if self.unicode else ascii_glyph


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def attempt_line(a: Attempt, zone: ZoneInfo, paint: _Painter, year: bool = False) -> str:
    from sipsight.core.replies import format_datetime, provider_error_phrase, q850_phrase, sip_phrase

    when = format_datetime(a.start_time, zone, year=year)
    status = a.provider_status or "?"
    codes = [p for p in (sip_phrase(a), q850_phrase(a.q850_cause), provider_error_phrase(a)) if p]
    timing = []
    if a.duration_s is not None:
        timing.append(f"talk {_duration(a.duration_s)}")
    if a.ring_s is not None:
        timing.append(f"ring {a.ring_s:g}s")
    if a.answered_by:
        timing.append(a.answered_by)
    from sipsight.core.diagnosis import outcome_label

    _, _, colour = OUTCOME_STYLE[a.outcome]
    outcome = paint(f"{paint.glyph(a.outcome)} {outcome_label(a.outcome)}", colour, BOLD)
    parts = [
        paint(when, DIM),
        f"{a.from_} {paint.arrow()} {a.to}",
        status + (f" ({'; '.join(codes)})" if codes else ""),
    ]
    if timing:
        parts.append(", ".join(timing))
    return "  ".join(parts) + "  " + outcome


def render_timeline(attempts: Sequence[Attempt], tz: str = "UTC", color: bool = False) -> str:
    from sipsight.core.diagnosis import crosses_year
    from sipsight.core.timezones import zone as zone_of

    zone = zone_of(tz)
    paint = _Painter(color)
    if not attempts:
        return "  (no call attempts)"
    # across New Year (or looking back into last year) every date names its year
    year = crosses_year([*(a.start_time for a in attempts), datetime.now(UTC)], zone)
    ordered = sorted(attempts, key=lambda a: a.start_time)
    return "\n".join("  " + attempt_line(a, zone, paint, year) for a in ordered)


def render_diagnosis(d: Diagnosis, color: bool = False) -> str:
    from sipsight.core.diagnosis import kind_label
    from sipsight.core.replies import alternative_line, confidence_words

    paint = _Painter(color)
    b = paint.bullet()
    if d.kind is DiagnosisKind.NO_DATA:
        lines = [paint(f"{d.headline}", BOLD) + f"  ({kind_label(d.kind)})"]
    else:
        lines = [paint(f"{d.headline}", BOLD) + f"  ({kind_label(d.kind)}: {confidence_words(d.confidence)})"]
    sections = [
        ("Evidence", [e.text for e in d.evidence]),
        ("Next steps", d.next_steps),
        ("Caveats", d.caveats),
        (
            "Alternatives",
            [alternative_line(a) for a in d.alternatives],
        ),
    ]
    for title, items in sections:
        if items:
            lines.append(paint(title + ":", BOLD))
            lines += [f"  {b} {item}" for item in items]
    return "\n".join(lines)


def _heading(text: str, paint: _Painter) -> str:
    return paint(f"== {text} ==", BOLD, _CYAN)


SHOWN_CANDIDATES = 5  # the text report lists the best five; the JSON document holds the kept ones


def render_candidates(result: LookupResult, color: bool = False) -> str:
    """A caller-first lookup's ranking: the decision, then each number's one-line story and why it ranks there."""
    from sipsight.core.phone import pretty

    paint = _Painter(color)
    b = paint.bullet()
    out = [_heading("Which number did they mean?", paint)]
    if result.message:
        out.append(paint(result.message, BOLD))
    candidates = result.candidates or []
    for rank, c in enumerate(candidates[:SHOWN_CANDIDATES], start=1):
        chosen = c.number == result.query.destination
        mark = paint("chosen", _GREEN, BOLD) if chosen else f"score {c.score:.2f}"
        if chosen:
            mark += f", score {c.score:.2f}"
        out.append(f"  {rank}. {pretty(c.number)}  ({mark})  {c.change}")
        out.append(f"     {b} {c.reason}")
    if len(candidates) > SHOWN_CANDIDATES:
        more = len(candidates) - SHOWN_CANDIDATES
        out.append(paint(f"  ... and {more} more in the JSON document (--json)", DIM))
    return "\n".join(out)


def render_result(result: LookupResult, tz: str = "UTC", color: bool = False) -> str:
    """Timeline, diagnosis and both replies of one lookup, for a terminal (color) or a pipe (plain). A caller-first
    lookup starts with its ranking; when no number stood out that is all there is."""
    from sipsight.core.phone import pretty

    paint = _Painter(color)
    source = result.provider
    if result.demo:
        source += f", demo scenario {result.scenario or 'default'}"
    elif result.profile:
        source += f", profile {result.profile}"
    ranking = [render_candidates(result, color), ""] if result.candidates is not None else []
    if not result.query.destination:  # a caller-first lookup where no number stood out: nothing was looked up
        n = len(result.caller_attempts)
        who = pretty(result.caller_id) if result.caller_id else "the caller ID"
        calls = f"{n} {'call' if n == 1 else 'calls'}"
        return "\n".join([*ranking, f"  source: {source}; {calls} from {who} read; times in {tz}"])
    head = f"Calls to {pretty(result.query.destination)}"
    if result.caller_id:
        head += f" from {pretty(result.caller_id)}"
    n = len(result.attempts)
    out = [
        *ranking,
        _heading(head, paint),
        f"  source: {source}; {n} {'attempt' if n == 1 else 'attempts'}; times in {tz}",
        render_timeline(result.attempts, tz, color),
    ]
    if result.caller_attempts:
        from sipsight.core.json_document import case_stats_of
        from sipsight.core.replies import other_calls_line

        line = other_calls_line(case_stats_of(result))
        if line:
            out.append(f"  same caller ID, other numbers: {line[0].lower()}{line[1:]}")
    out += ["", _heading("Diagnosis", paint)]
    out.append(render_diagnosis(result.diagnosis, color) if result.diagnosis else "  (no diagnosis)")
    if result.replies.customer:
        out += ["", _heading("Reply to the customer", paint), result.replies.customer]
    if result.replies.internal_note:
        out += ["", _heading("Internal note", paint), result.replies.internal_note]
    return "\n".join(out)


def _whose(mention: SymptomMention | CodeMention) -> str:
    """Nothing for the customer's own words; a mark for what only the pasted text around them says."""
    return "" if said_by_customer(mention) else "  (in the pasted text, not the customer's words)"


def render_case(case: Case, hypotheses: Diagnosis | None = None, color: bool = False) -> str:
    """What intake understood from the pasted text, then the offline hypotheses."""
    from sipsight.core.phone import pretty

    paint = _Painter(color)
    b = paint.bullet()
    out = [_heading("What the text says", paint), f"  input: {case.kind.value}, {case.text_length} characters"]
    if case.numbers:
        out.append(paint("Numbers:", BOLD))
        for n in case.numbers:
            ext = f" ext. {n.extension}" if n.extension else ""
            out.append(f'  {b} {pretty(n.e164)}{ext}  {n.role.value} ({n.role_confidence:.0%})  from "{n.raw}"')
    if case.symptoms:
        out.append(paint("Symptoms:", BOLD))
        out += [f'  {b} {s.label}  from "{s.raw}"{_whose(s)}' for s in case.symptoms]
    if case.codes:
        out.append(paint("Codes:", BOLD))
        out += [f'  {b} {c.ref}  from "{c.raw}"{_whose(c)}' for c in case.codes]
    if case.time_hints:
        out.append(paint("Time hints:", BOLD))
        out += [
            f'  {b} "{t.raw}"' + (f" (about {t.hours_ago:g} h ago)" if t.hours_ago is not None else "")
            for t in case.time_hints
        ]
    if case.links:
        out.append(paint("Links:", BOLD))
        out += [
            f"  {b} {link.platform}: {link.url}"
            + (f" (conversation {link.conversation_id})" if link.conversation_id else "")
            for link in case.links
        ]
    notes = list(case.messages)
    if case.prior_contact:
        notes.insert(0, "The customer reached this number before: something changed.")
    if case.destination is None and case.kind is not InputKind.EMPTY:
        # the ticket that started SIPSight names no number: the customer's caller ID can find it
        caller = f"--from {case.caller_id.e164}" if case.caller_id else "--from CALLER_ID"
        notes.append(
            f"Which number did they mean? 'sipsight lookup {caller} --conversation FILE' ranks the numbers the "
            "customer's caller ID called ('--demo' knows the demo's customer)."
        )
    if notes:
        out.append(paint("Notes:", BOLD))
        out += [f"  {b} {m}" for m in notes]
    if hypotheses is not None:
        out += ["", _heading("Likely explanations (no call data yet)", paint), render_diagnosis(hypotheses, color)]
    return "\n".join(out)
