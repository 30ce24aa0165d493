"""Whose calls these are: the one inference of a caller ID from attempts, shared by the providers (which fetch
that caller's other calls), the analysis, the diagnosis and `sipsight diagnose`, so they never name different
callers for the same calls."""

from __future__ import annotations

from collections.abc import Iterable

from sipsight.core.models import Attempt


def infer_caller_id(attempts: Iterable[Attempt]) -> str | None:
    """The caller ID most of `attempts` came from. A tie goes to the caller ID that called last, then to the
    smaller number, so the answer never depends on the order the attempts arrived in."""
    counts: dict[str, int] = {}
    latest: dict[str, float] = {}
    for attempt in attempts:
        caller = attempt.from_
        if not caller:
            continue
        counts[caller] = counts.get(caller, 0) + 1
        stamp = attempt.start_time.timestamp()
        latest[caller] = max(latest.get(caller, stamp), stamp)
    if not counts:
        return None
    return min(counts, key=lambda caller: (-counts[caller], -latest[caller], caller))
