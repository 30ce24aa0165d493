"""The aggregates the diagnosis rules read, gathered once per diagnosis: one `Side` per set of attempts (grouped
by family in a single pass, everything else derived lazily and cached) and `Facts`, the story of one number."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from operator import attrgetter
from typing import TypeVar, cast

from sipsight.core.diagnosis._families import BLOCK_FAMILIES, MACHINE_FAMILIES
from sipsight.core.models import Attempt, CaseStats, Family

SHORT_CALL_S = 6.0  # human answers shorter than this are hang-ups on sight (sip-knowledge §5 #8)
SAME_HOURS = timedelta(hours=2)  # "in the same hours" for network failures across numbers (an outage)
CLEAR_CHANGE_Z = 2.5  # two-proportion z-score a before/after difference must reach to count as a change
# C-level field readers (a lambda per attempt costs more than the work), typed for what they read
START: Callable[[Attempt], datetime] = attrgetter("start_time")
TO: Callable[[Attempt], str] = attrgetter("to")
CARRIER: Callable[[Attempt], str | None] = attrgetter("carrier")
T = TypeVar("T")
F = Family


def _known(counts: Counter[str | None]) -> dict[str, int]:
    """Counts per carrier, without the attempts whose carrier is unknown."""
    return {c: n for c, n in counts.items() if c is not None}


def z_score(p1: float, n1: int, p2: float, n2: int) -> float:
    """Two-proportion z-score of p1 > p2 (pooled); 0 when it cannot be computed."""
    if not n1 or not n2:
        return 0.0
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    return (p1 - p2) / var**0.5 if var > 0 else 0.0


class Side:
    """Aggregates over one set of attempts, grouped by family in a single pass; everything else is derived
    lazily (and cached), so a rule that never asks for carriers never pays for them."""

    def __init__(
        self,
        by_fam: dict[Family, list[Attempt]] | None = None,
        span: tuple[datetime, datetime] | None = None,
        parts: tuple[Side, Side] | None = None,
    ) -> None:
        self.by_fam: dict[Family, list[Attempt]] = by_fam if by_fam is not None else {}
        self.n = sum(len(v) for v in self.by_fam.values())
        self._cache: dict[str, object] = {}
        self._parts = parts  # a merged Side derives its distinct numbers and hang-ups from its two parts
        if span is not None:
            self._cache["first"], self._cache["last"] = span

    def _cached(self, key: str, make: Callable[[], T]) -> T:
        if key not in self._cache:
            self._cache[key] = make()
        return cast(T, self._cache[key])  # a key is only ever filled by its own maker, so it holds a T

    def attempts(self) -> list[Attempt]:
        return self._cached("all", lambda: [a for v in self.by_fam.values() for a in v])

    @property
    def ids(self) -> dict[Family, list[str]]:
        return self._cached("ids", lambda: {f: [a.id for a in v] for f, v in self.by_fam.items()})

    def count(self, *families: Family) -> int:
        return sum(len(self.by_fam.get(f, ())) for f in families)

    def ids_of(self, *families: Family) -> list[str]:
        return [a.id for f in families for a in self.by_fam.get(f, ())]

    def dests_of(self, *families: Family) -> set[str]:
        out: set[str] = set()
        for f in families:
            out.update(map(TO, self.by_fam.get(f, ())))
        return out

    @property
    def fam_dests(self) -> dict[Family, set[str]]:
        """Distinct numbers per family (a merged Side unions its parts' sets instead of scanning again)."""

        def make() -> dict[Family, set[str]]:
            if self._parts is None:
                return {f: set(map(TO, v)) for f, v in self.by_fam.items() if v}
            a, b = (p.fam_dests for p in self._parts)
            return {f: a.get(f, set()) | b.get(f, set()) for f in dict.fromkeys([*a, *b])}

        return self._cached("fam_dests", make)

    @property
    def all_dests(self) -> set[str]:
        return self._cached("dests", lambda: set().union(*self.fam_dests.values()))

    @property
    def connected(self) -> int:
        return len(self.by_fam.get(F.CONNECTED, ()))

    @property
    def machine(self) -> int:
        return self.count(*MACHINE_FAMILIES)

    @property
    def short_human(self) -> list[Attempt]:
        def make() -> list[Attempt]:
            if self._parts is not None:
                return [*self._parts[0].short_human, *self._parts[1].short_human]
            connected = self.by_fam.get(F.CONNECTED, ())
            return [a for a in connected if a.duration_s is not None and a.duration_s < SHORT_CALL_S]

        return self._cached("short", make)

    @property
    def first(self) -> datetime | None:
        return self._cached("first", lambda: min(map(START, self.attempts()), default=None))

    @property
    def last(self) -> datetime | None:
        return self._cached("last", lambda: max(map(START, self.attempts()), default=None))

    @property
    def carrier_times(self) -> list[tuple[datetime, str, str]]:
        """(time, destination, id) of the 5xx failures, by time."""
        return self._cached("5xx", lambda: sorted((a.start_time, a.to, a.id) for a in self.by_fam.get(F.CARRIER, ())))

    def carriers(self) -> tuple[dict[str, int], dict[str, int]]:
        """Per terminating carrier (known ones): attempts, and how many connected."""

        def make() -> tuple[dict[str, int], dict[str, int]]:
            total = Counter(map(CARRIER, self.attempts()))
            ok = Counter(map(CARRIER, self.by_fam.get(F.CONNECTED, ())))
            return _known(total), _known(ok)

        return self._cached("carriers", make)

    def carrier_split(self, carrier: str) -> tuple[int, int, int, int]:
        """Attempts and connects on `carrier`, then attempts and connects on all the other known carriers."""
        total, connected = self.carriers()
        rest_n = sum(v for c, v in total.items() if c != carrier)
        rest_ok = sum(v for c, v in connected.items() if c != carrier)
        return total.get(carrier, 0), connected.get(carrier, 0), rest_n, rest_ok

    def failed_on(self, carrier: str) -> list[str]:
        return [a.id for f, group in self.by_fam.items() if f is not F.CONNECTED for a in group if a.carrier == carrier]

    def blocked_carriers(self) -> dict[str, str]:
        """attempt id -> terminating carrier, for the blocked family (608/603+/607/603) only."""
        return self._cached(
            "code_carriers",
            lambda: {a.id: a.carrier for f in BLOCK_FAMILIES for a in self.by_fam.get(f, ()) if a.carrier},
        )

    @property
    def answered(self) -> int:
        return self.connected + self.machine

    @property
    def talk_rate(self) -> float | None:
        """Share of attempts that became a conversation (a person, longer than a hang-up on sight)."""
        return (self.connected - len(self.short_human)) / self.n if self.n else None

    @property
    def short_rate(self) -> float:
        return len(self.short_human) / self.n if self.n else 0.0

    @property
    def fast_vm_rate(self) -> float:
        return self.count(F.VM_FAST) / self.n if self.n else 0.0

    @property
    def connect_rate(self) -> float | None:
        return self.connected / self.n if self.n else None

    @property
    def machine_share(self) -> float | None:
        return self.machine / self.answered if self.answered else None

    def merged(self, other: Side) -> Side:
        keys = dict.fromkeys([*self.by_fam, *other.by_fam])
        firsts = [t for t in (self.first, other.first) if t is not None]
        lasts = [t for t in (self.last, other.last) if t is not None]
        span = (min(firsts), max(lasts)) if firsts else None
        return Side({f: [*self.by_fam.get(f, ()), *other.by_fam.get(f, ())] for f in keys}, span, (self, other))


@dataclass
class Facts:
    """Everything the rules read, computed once per diagnosis."""

    destination: str
    destination_pretty: str
    caller_id: str | None
    caller_pretty: str
    attempts: list[Attempt]  # final attempts to the destination, in time order
    by_id: dict[str, Attempt]
    focus: Side  # destination attempts since the last one that connected (all of them if none did)
    focus_attempts: list[Attempt]
    before: Side  # destination attempts up to and including the last connected one
    whole: Side
    others: Side  # the caller's other calls, whole window
    others_recent: Side  # ... in the hours of the focus run
    others_before: Side  # ... before it
    has_others: bool
    has_codes: bool
    has_answered_by: bool
    change_at: datetime | None
    prior_contact: bool
    redress: list[str]
    stats: CaseStats = field(default_factory=CaseStats)  # every number the texts state (set by gather, once)
    ring_source: str = "Voice Insights"  # where the agent reads the ring time: the provider catalog's, Twilio's if none

    def when(self, t: datetime | None) -> str:
        """A moment as the diagnosis's texts write it: UTC, with the year (`_wording.when`)."""
        from sipsight.core.diagnosis._wording import when

        return when(t)

    @property
    def destination_connected_before(self) -> bool:
        return self.before.connected > 0

    def focus_share(self, *families: Family) -> float:
        return self.focus.count(*families) / self.focus.n if self.focus.n else 0.0

    def recent(self, family: Family, share: float = 0.5, *, or_latest: bool = False) -> list[str]:
        """Ids of the recent run's attempts in `family` when they make at least `share` of the run (or, with
        `or_latest`, include its latest attempt); [] otherwise: a pattern needs most of the run."""
        ids = self.focus.ids_of(family)
        if ids and (len(ids) / self.focus.n >= share or (or_latest and self.focus_attempts[-1].id in ids)):
            return ids
        return []

    def rings(self, ids: list[str]) -> list[float]:
        return [r for r in (self.by_id[i].ring_s for i in ids if i in self.by_id) if r is not None]

    def others_state(self) -> str:
        """How the caller's other calls fare in the same hours: none | ok | poor | falling | mixed.

        Judged on conversations (answered by a person and longer than a hang-up), because a label shows as
        fewer conversations, more instant voicemail and more hang-ups on sight (sip-knowledge §3, §5 #4, #8).
        Cold-calling conversation rates are low (often 15-30%), so "ok" is judged against that."""
        recent = self.others_window()
        if recent.n < 3:
            return "none"
        talk = recent.talk_rate or 0.0
        mshare = recent.machine_share or 0.0
        before = self.others_before
        if before.n >= 5 and recent is self.others_recent:
            # a change counts when it is large and clear of sampling noise (dialer days vary a lot)
            t0 = before.talk_rate or 0.0
            drop = t0 - talk >= 0.15 and z_score(t0, before.n, talk, recent.n) >= CLEAR_CHANGE_Z
            rise = (
                recent.fast_vm_rate - before.fast_vm_rate >= 0.15
                and z_score(recent.fast_vm_rate, recent.n, before.fast_vm_rate, before.n) >= CLEAR_CHANGE_Z
            )
            if (drop or rise) and (mshare >= 0.4 or recent.short_rate >= 0.2):
                return "falling"
        if talk < 0.1 and mshare >= 0.5 and len(recent.all_dests) >= 3:
            return "poor"
        return "ok" if talk >= 0.15 else "mixed"

    @cached_property
    def troubled_carrier(self) -> str | None:
        """The destination's terminating carrier when the caller's calls to *other* numbers on it fail but connect
        elsewhere (sip-knowledge §5 #20): then "only this number" is not true, whatever the destination shows."""
        dest_carrier = next((a.carrier for a in reversed(self.attempts) if a.carrier), None)
        if dest_carrier is None or not self.has_others:
            return None
        n, ok, rest_n, rest_ok = self.others.carrier_split(dest_carrier)
        if n < 5 or ok / n > 0.1 or rest_n < 5 or rest_ok / rest_n < 0.2:
            return None
        return dest_carrier

    @cached_property
    def failing_nearby(self) -> tuple[list[str], set[str]]:
        """(ids, numbers) of the caller's calls to other numbers that failed in the network (5xx) within
        SAME_HOURS of one of this number's network failures: an outage reaches many numbers at once (§5 #14)."""
        times = self.others.carrier_times
        near_ids: list[str] = []
        near_dests: set[str] = set()
        if times:
            keys = [t for t, _, _ in times]
            for a in self.whole.by_fam.get(F.CARRIER, ()):
                lo = bisect_left(keys, a.start_time - SAME_HOURS)
                hi = bisect_right(keys, a.start_time + SAME_HOURS)
                for _, to, oid in times[lo:hi]:
                    if to != self.destination:
                        near_dests.add(to)
                        near_ids.append(oid)
        return sorted(set(near_ids)), near_dests

    @cached_property
    def everyone(self) -> Side:
        """The destination's and the other calls together (the caller ID as a whole)."""
        return self.whole.merged(self.others) if self.has_others else self.whole

    def others_window(self) -> Side:
        return self.others_recent if self.others_recent.n >= 3 else self.others
