"""What the timeline (and the attempts table) write about an attempt: times in the display zone, numbers
(masked in presenter mode), SIP codes with their knowledge-base names, durations, and the rich tooltip.
"""

from __future__ import annotations

import html
from datetime import datetime, tzinfo
from functools import lru_cache

from sipsight.core.models import Attempt
from sipsight.core.phone import pretty
from sipsight.core.privacy import mask_presenter
from sipsight.gui.palette import OUTCOME_ORDER, outcome_label
from sipsight.gui.timeline_layout import Lane


@lru_cache(maxsize=4096)
def _pretty(number: str) -> str:
    return pretty(number) if number else ""


def format_number(number: str | None, masked: bool) -> str:
    if not number:
        return "—"
    return mask_presenter(number) if masked else _pretty(number)


_KB_FAILED = False


@lru_cache(maxsize=1024)
def sip_reason_name(code: int, reason: str | None) -> str | None:
    """The knowledge base's name for a SIP code (603 + "Network Blocked" -> 603+), if it is available."""
    global _KB_FAILED
    if not _KB_FAILED:
        try:
            from sipsight.core.knowledge import knowledge

            entry = knowledge().sip(code, reason)
            if entry is not None:
                return entry.name
        except Exception:  # knowledge.py absent or its data invalid: the tooltip still shows the raw reason
            _KB_FAILED = True
    return reason


def sip_text(attempt: Attempt) -> str:
    """'603+ Network Blocked', '486 Busy Here', or '' without a SIP code."""
    if attempt.sip_code is None:
        return ""
    name = sip_reason_name(attempt.sip_code, attempt.sip_reason) or attempt.sip_reason or ""
    return f"{attempt.sip_label} {name}".strip()


def format_seconds(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 60:
        return f"{value:.0f} s" if value >= 10 or value == int(value) else f"{value:.1f} s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes} min {seconds:02d} s"


def format_time(t: float, tz: tzinfo, seconds: bool = True) -> str:
    """A POSIX time in the display zone, with the zone's abbreviation."""
    local = datetime.fromtimestamp(t, tz)
    return (
        local.strftime("%a %d %b %Y, %H:%M:%S" if seconds else "%a %d %b, %H:%M") + f" {local.tzname() or ''}".rstrip()
    )


def attempt_tooltip(attempt: Attempt, tz: tzinfo, masked: bool) -> str:
    """Rich-text details of one attempt (what hovering over its glyph shows)."""
    rows: list[tuple[str, str]] = [
        ("Time", format_time(attempt.start_time.timestamp(), tz)),
        ("Call", f"{format_number(attempt.from_, masked)} → {format_number(attempt.to, masked)}"),
        ("Status", attempt.provider_status or "—"),
    ]
    sip = sip_text(attempt)
    if sip:
        rows.append(("SIP", sip))
    if attempt.q850_cause is not None:
        rows.append(("Q.850", str(attempt.q850_cause)))
    if attempt.provider_error_code:
        rows.append(("Error", attempt.provider_error_code))
    rows += [("Duration", format_seconds(attempt.duration_s)), ("Ring", format_seconds(attempt.ring_s))]
    if attempt.answered_by:
        rows.append(("Answered by", attempt.answered_by))
    if attempt.disconnected_by:
        rows.append(("Hung up by", attempt.disconnected_by))
    if attempt.carrier:
        rows.append(("Carrier", attempt.carrier))
    rows.append(("Call ID", attempt.id))
    body = "".join(
        f"<tr><td style='color:gray;padding-right:8px'>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<b>{html.escape(outcome_label(attempt.outcome))}</b><table cellspacing='0'>{body}</table>"


def group_tooltip(
    lane: Lane, members: list[int], title: str, tz: tzinfo, bucket: tuple[float, float] | None = None
) -> str:
    """Rich text for a cluster, a dense bar or a bar of the other calls' strip (`bucket`: its start and end): the
    count, the time span, counts per class and the latest five."""
    first, last = bucket or (lane.times[members[0]], lane.times[members[-1]])
    lines = [
        f"<b>{len(members)} {'calls' if bucket else 'attempts'}</b> · {html.escape(title)}",
        html.escape(f"{format_time(first, tz, False)} – {format_time(last, tz, False)}"),
    ]
    lines += [f"{n} × {html.escape(outcome_label(OUTCOME_ORDER[o]))}" for o, n in sorted(lane.counts(members).items())]
    for i in members[-5:][::-1]:
        a = lane.items[i]
        detail = sip_text(a) or a.provider_status or ""
        lines.append(html.escape(f"{datetime.fromtimestamp(lane.times[i], tz):%d %b %H:%M} · {detail}"))
    if len(members) > 5:
        lines.append(f"<i>… {len(members) - 5} more (the latest 5 shown)</i>")
    if bucket:
        lines.append("<i>Click to open the call nearest the pointer; zoom in (Ctrl+wheel or +) for shorter bars</i>")
    else:
        lines.append("<i>Zoom in (Ctrl+wheel or +) to see each attempt</i>")
    return "<br>".join(lines)
