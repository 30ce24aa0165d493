"""Sentences the diagnosis rules share: times, shares, ring ranges, counts, and the two stories most findings
cite (how the caller's other calls fare, and that this number used to connect)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._findings import EvidenceItem
from sipsight.core.models import Family

F = Family


# English month names, not strftime's %b: the texts are English whatever locale Qt sets for the process
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(t: datetime, zone: tzinfo = UTC, year: bool = False) -> str:
    """'Dec 6', or 'Dec 6, 2026' with the year: the one way every text writes a date."""
    local = t.astimezone(zone)
    text = f"{_MONTHS[local.month - 1]} {local.day}"
    return f"{text}, {local.year}" if year else text


def format_moment(t: datetime, zone: tzinfo = UTC, year: bool = False, seconds: bool = False) -> str:
    """'Dec 6 04:36 UTC' (or 'Dec 6, 2026 04:36 UTC'): a date with its clock time and zone."""
    local = t.astimezone(zone)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{format_day(t, zone, year)} {clock} {local.tzname()}"


def crosses_year(times: Iterable[datetime | None], zone: tzinfo = UTC) -> bool:
    """True when the times fall in more than one calendar year in `zone`: then every date names its year."""
    return len({t.astimezone(zone).year for t in times if t is not None}) > 1


def when(t: datetime | None) -> str:
    """A moment in a diagnosis text: UTC (the diagnosis knows no display zone) and with the year, because these
    texts travel as they are into exports (the summary, the PDF, the JSON document)."""
    return format_moment(t, UTC, year=True) if t else "?"


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{round(x * 100)}%"


def secs(values: list[float]) -> str:
    if not values:
        return ""
    lo, hi = min(values), max(values)
    return f"{lo:.0f} s" if round(lo) == round(hi) else f"{lo:.0f}-{hi:.0f} s"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def cap_ids(ids: list[str], limit: int = 25) -> list[str]:
    return ids[:limit]


def share(part: int, whole: int) -> str:
    """'10 of 36 (28%)': a count, its total and the rounded percentage, the one form every text states a rate in."""
    return f"{part} of {whole} ({round(100 * part / whole)}%)" if whole else f"{part} of {whole}"


SCOPE_WORDS = {"same_hours": "in the same hours", "window": "in the window", "none": ""}


def others_sentence(f: Facts) -> tuple[str, list[str]] | None:
    """How the caller's calls to other numbers fare (CaseStats.other_numbers), with the attempts behind it."""
    o = f.stats.other_numbers
    if o.calls == 0:
        return None
    side = f.others_window()
    ids = cap_ids(side.ids_of(F.CONNECTED) or [i for v in side.ids.values() for i in v])
    text = (
        f"The caller's calls to other numbers {SCOPE_WORDS[f.stats.other_numbers_scope]} "
        f"({plural(o.calls, 'call')} to {plural(o.numbers, 'number')}): {share(o.connected, o.calls)} were "
        f"answered by a person, {share(o.reached_phone, o.calls)} rang or were answered"
    )
    if o.voicemail:
        text += f", {share(o.voicemail, o.calls)} went to voicemail"
    return text + ".", ids


def add_others(f: Facts, ev: list[EvidenceItem], weight: float) -> None:
    """Cite how the caller's other calls fare, when there are any, at `weight`."""
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], sent[1], weight))


def change_evidence(f: Facts) -> EvidenceItem | None:
    """'Earlier calls to X connected (3 calls, ...); nothing has connected since ...' when CaseStats says it changed."""
    cs = f.stats
    if not cs.claims.changed or cs.change_at is None:
        return None
    before = cs.this_number_before
    ids = f.before.ids_of(F.CONNECTED)
    span = f"{f.when(before.first)} to {f.when(before.last)}" if before.calls > 1 else f.when(before.last)
    text = (
        f"Earlier calls to {f.destination_pretty} connected ({before.connected} of {plural(before.calls, 'call')} "
        f"answered by a person, {span}); nothing has connected since {f.when(cs.change_at)}."
    )
    return text, cap_ids(ids), 0.3
