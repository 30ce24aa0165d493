"""What the replies and the summary write the same way: dates in the display time zone (English month names) and
codes with their reason phrases from the knowledge base."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sipsight.core.knowledge import KnowledgeBase, knowledge
from sipsight.core.models import Attempt

# --------------------------------------------------------------------------- dates

# English month names, not strftime's %b: the replies are English whatever locale Qt sets for the process
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(when: datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    return f"{_MONTHS[local.month - 1]} {local.day}"


def format_datetime(when: datetime, zone: ZoneInfo, seconds: bool = False) -> str:
    local = when.astimezone(zone)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{format_date(when, zone)} {clock} {local.tzname()}"


def date_span(times: Sequence[datetime], zone: ZoneInfo) -> tuple[str, str, str]:
    """(first, last, phrase): phrase is 'on Nov 23' or 'between Nov 21 and Nov 23'."""
    if not times:
        return "", "", ""
    first, last = format_date(min(times), zone), format_date(max(times), zone)
    if first == last:
        return first, last, f"on {first}"
    return first, last, f"between {first} and {last}"


# --------------------------------------------------------------------------- codes


def sip_phrase(attempt: Attempt, kb: KnowledgeBase | None = None) -> str:
    """'608 Rejected', '603+ Network Blocked'; the reason phrase from the knowledge base when it knows the code."""
    if attempt.sip_code is None:
        return ""
    kb = kb if kb is not None else knowledge()
    entry = kb.sip(attempt.sip_code, attempt.sip_reason)
    name = (entry.name if entry is not None else None) or attempt.sip_reason or ""
    return f"{attempt.sip_label} {name}".strip()


def q850_phrase(cause: int | None, kb: KnowledgeBase | None = None) -> str:
    if cause is None:
        return ""
    kb = kb if kb is not None else knowledge()
    entry = kb.q850(cause)
    return f"Q.850 {cause} {entry.name}" if entry is not None else f"Q.850 {cause}"


def provider_error_phrase(attempt: Attempt, kb: KnowledgeBase | None = None) -> str:
    code = attempt.provider_error_code
    if not code:
        return ""
    kb = kb if kb is not None else knowledge()
    entry = kb.find(f"{attempt.provider}:{code}")
    label = f"{attempt.provider} error {code}"
    return f"{label} {entry.name}" if entry is not None else label


def code_counts(attempts: Iterable[Attempt], kb: KnowledgeBase | None = None) -> list[tuple[str, int]]:
    """Codes seen across attempts with reason phrases, most frequent first."""
    kb = kb if kb is not None else knowledge()
    counts: Counter[str] = Counter()
    for a in attempts:
        for phrase in (sip_phrase(a, kb), q850_phrase(a.q850_cause, kb), provider_error_phrase(a, kb)):
            if phrase:
                counts[phrase] += 1
    return counts.most_common()
