"""Sentences the diagnosis rules share: times, shares, ring ranges, counts, and the two stories most findings
cite (how the caller's other calls fare, and that this number used to connect)."""

from __future__ import annotations

from datetime import datetime

from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._findings import EvidenceItem
from sipsight.core.models import Family

F = Family


def when(t: datetime | None) -> str:
    return t.strftime("%b %d %H:%M UTC") if t else "?"


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


def others_sentence(f: Facts) -> tuple[str, list[str]] | None:
    side = f.others_window()
    if side.n == 0:
        return None
    scope = "in the same hours" if side is f.others_recent else "in the window"
    ids = cap_ids(side.ids_of(F.CONNECTED) or [i for v in side.ids.values() for i in v])
    text = (
        f"The caller's calls to other numbers {scope}: {side.connected} of {side.n} connected "
        f"({pct(side.connect_rate)}) "
        f"across {plural(len(side.all_dests), 'number')}"
    )
    if side.answered:
        text += f"; {pct(side.machine_share)} of the answered ones went to a machine"
    return text + ".", ids


def add_others(f: Facts, ev: list[EvidenceItem], weight: float) -> None:
    """Cite how the caller's other calls fare, when there are any, at `weight`."""
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], sent[1], weight))


def change_evidence(f: Facts) -> EvidenceItem | None:
    if not f.destination_connected_before or f.change_at is None:
        return None
    ids = f.before.ids_of(F.CONNECTED)
    span = f"{when(f.before.first)} to {when(f.before.last)}" if len(ids) > 1 else when(f.before.last)
    text = (
        f"Earlier calls to {f.destination_pretty} connected ({plural(len(ids), 'call')}, {span}); "
        f"nothing has connected since {when(f.change_at)}."
    )
    return text, cap_ids(ids), 0.3
