"""What the replies and the summary write the same way: dates in the display time zone (the diagnosis's one date
format, with the year when a span crosses one) and codes with their reason phrases from the knowledge base."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from sipsight.core.diagnosis import crosses_year, format_day, format_moment
from sipsight.core.knowledge import KnowledgeBase, knowledge
from sipsight.core.models import Attempt

# --------------------------------------------------------------------------- dates


def format_date(when: datetime, zone: tzinfo, year: bool = False) -> str:
    """'Nov 23' ('Nov 23, 2026' with the year) in the display zone: diagnosis.format_day, the one date format."""
    return format_day(when, zone, year)


def format_datetime(when: datetime, zone: tzinfo, seconds: bool = False, year: bool = False) -> str:
    return format_moment(when, zone, year, seconds)


def date_span(times: Sequence[datetime], zone: tzinfo, year: bool = False) -> tuple[str, str, str]:
    """(first, last, phrase): 'on Nov 23' or 'between Nov 21 and Nov 23'; with the year when asked for (exports) or
    when the span crosses a year in `zone`."""
    if not times:
        return "", "", ""
    year = year or crosses_year(times, zone)
    first, last = format_day(min(times), zone, year), format_day(max(times), zone, year)
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
