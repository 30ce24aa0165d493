"""The caller ID's calls counted: by day, by carrier, the baseline against the recent days, volume and attestation.
Pure counting; what the counts mean is _verdict.py's."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sipsight.core.health._data import Thresholds
from sipsight.core.health._models import (
    BLOCK_CODES,
    Attestation,
    CarrierRow,
    Counts,
    DayRow,
    Stretch,
    Volume,
)
from sipsight.core.health.carriers_api import LineInfo
from sipsight.core.knowledge import engine_for
from sipsight.core.models import Attempt, OutcomeClass

UNKNOWN_CARRIER = "Carrier unknown"


def block_code(a: Attempt) -> str | None:
    """603, 603+, 607 or 608 as the call ended, else None."""
    label = a.sip_label
    return label if label in BLOCK_CODES else None


@dataclass
class Tally:
    """A running count of one slice; `counts()` freezes it into the rates the thresholds allow."""

    calls: int = 0
    final: int = 0
    answered: int = 0
    reached: int = 0
    completed: int = 0
    short: int = 0
    numbers: set[str] = field(default_factory=set)
    codes: Counter[str] = field(default_factory=Counter)

    def add(self, a: Attempt, t: Thresholds) -> None:
        self.calls += 1
        self.numbers.add(a.to)
        if code := block_code(a):
            self.codes[code] += 1
        if a.outcome in (OutcomeClass.IN_PROGRESS,):
            return
        self.final += 1
        talked = a.duration_s is None or a.duration_s >= t.outcomes.answered_min_seconds
        self.answered += a.outcome in t.outcomes.answered and talked
        self.reached += a.outcome in t.outcomes.reached
        if a.outcome in t.outcomes.completed:
            self.completed += 1
            self.short += a.duration_s is not None and a.duration_s < t.short_call.seconds

    def counts(self, t: Thresholds) -> dict[str, object]:
        enough = self.final >= t.min_calls
        return {
            "calls": self.calls,
            "final": self.final,
            "answered": self.answered,
            "reached": self.reached,
            "completed": self.completed,
            "short": self.short,
            "numbers": len(self.numbers),
            "codes": {c: self.codes[c] for c in BLOCK_CODES if self.codes[c]},
            "answer_rate": self.answered / self.final if enough else None,
            "reach_rate": self.reached / self.final if enough else None,
            "short_share": self.short / self.completed if self.completed >= t.min_calls else None,
        }

    def stretch(self, t: Thresholds) -> Stretch:
        rate = self.answered / self.final if self.final >= t.min_calls else None
        return Stretch(final=self.final, answered=self.answered, answer_rate=rate)


def carrier_of(a: Attempt, lines: Mapping[str, LineInfo]) -> tuple[str | None, str | None]:
    """(carrier, line type) of the called number: the call record's own (Voice Insights), else Lookup's."""
    line = lines.get(a.to)
    carrier = a.carrier or (line.carrier if line else None)
    kind = a.line_type or (line.line_type if line else None)
    return carrier, kind


@dataclass
class Counted:
    totals: Counts
    baseline: Stretch
    recent: Stretch
    by_day: list[DayRow]
    by_carrier: list[CarrierRow]
    volume: Volume
    attestation: Attestation
    recent_start: datetime


def count(
    attempts: Iterable[Attempt],
    lines: Mapping[str, LineInfo],
    *,
    since: datetime,
    until: datetime,
    zone: tzinfo,
    t: Thresholds,
) -> Counted:
    calls = sorted(attempts, key=lambda a: a.start_time)
    recent_start = until - timedelta(days=t.recent_days)
    total, base, recent = Tally(), Tally(), Tally()
    days: dict[str, Tally] = {}
    day = since.astimezone(zone).date()
    while day <= until.astimezone(zone).date():  # every day of the window, a day without calls too
        days[day.isoformat()] = Tally()
        day += timedelta(days=1)
    carriers: dict[str, _CarrierTally] = defaultdict(_CarrierTally)
    attest = Attestation()
    for a in calls:
        key = a.start_time.astimezone(zone).date().isoformat()
        total.add(a, t)
        days.setdefault(key, Tally()).add(a, t)
        (recent if a.start_time >= recent_start else base).add(a, t)
        carrier, kind = carrier_of(a, lines)
        carriers[carrier or UNKNOWN_CARRIER].add(a, key, kind, recent_start, t)
        verified = _verified(a)
        if verified is None:
            attest.unknown += 1
        elif verified:
            attest.verified += 1
        else:
            attest.unverified += 1
    by_day = [DayRow(day=k, **v.counts(t)) for k, v in sorted(days.items())]
    rows = [c.row(name, t) for name, c in carriers.items()]
    rows.sort(key=lambda r: (not r.known, -r.calls, r.carrier))
    return Counted(
        totals=Counts(**total.counts(t)),
        baseline=base.stretch(t),
        recent=recent.stretch(t),
        by_day=by_day,
        by_carrier=rows,
        volume=_volume(by_day, t),
        attestation=attest,
        recent_start=recent_start,
    )


@dataclass
class _CarrierTally:
    tally: Tally = field(default_factory=Tally)
    base: Tally = field(default_factory=Tally)
    recent: Tally = field(default_factory=Tally)
    kinds: dict[str, str] = field(default_factory=dict)  # number -> line type
    code_numbers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_day: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    block_times: list[datetime] = field(default_factory=list)

    def add(self, a: Attempt, day: str, kind: str | None, recent_start: datetime, t: Thresholds) -> None:
        self.tally.add(a, t)
        (self.recent if a.start_time >= recent_start else self.base).add(a, t)
        if kind:
            self.kinds[a.to] = kind
        if code := block_code(a):
            self.code_numbers[code].add(a.to)
            self.by_day[day][code] += 1
            if code in t.block.codes:
                self.block_times.append(a.start_time)

    def row(self, name: str, t: Thresholds) -> CarrierRow:
        known = name != UNKNOWN_CARRIER
        engine = engine_for(name) if known else None
        blocked = set().union(*(self.code_numbers.get(c, set()) for c in t.block.codes))
        return CarrierRow(
            carrier=name,
            known=known,
            engine=engine.engine if engine else None,
            engine_source=engine.source if engine else None,
            line_types=dict(Counter(self.kinds.values())),
            baseline=self.base.stretch(t),
            recent=self.recent.stretch(t),
            block_numbers=len(blocked),
            plain_603_numbers=len(self.code_numbers.get("603", set())),
            unwanted_numbers=len(self.code_numbers.get("607", set())),
            first_block=min(self.block_times, default=None),
            last_block=max(self.block_times, default=None),
            codes_by_day={d: {c: n[c] for c in BLOCK_CODES if n[c]} for d, n in sorted(self.by_day.items())},
            **self.tally.counts(t),
        )


def _volume(by_day: list[DayRow], t: Thresholds) -> Volume:
    busy = [d for d in by_day if d.calls]
    top = max(busy, key=lambda d: d.calls, default=None)
    per_week = max((sum(d.calls for d in by_day[i : i + 7]) for i in range(max(1, len(by_day) - 6))), default=0)
    peak = top.calls if top else 0
    return Volume(
        per_day_max=peak,
        per_day_avg=round(sum(d.calls for d in by_day) / len(by_day), 1) if by_day else 0.0,
        busiest_day=top.day if top else None,
        per_week_max=per_week,
        per_day_line=t.volume.per_day,
        per_week_line=t.volume.per_week,
        over_line=peak > t.volume.per_day or per_week > t.volume.per_week,
    )


def _verified(a: Attempt) -> bool | None:
    """SHAKEN/STIR from the provider's record: Twilio Voice Insights' trust.verified_caller.verified; None if absent."""
    summary = a.raw.get("summary") if isinstance(a.raw, dict) else None
    trust = summary.get("trust") if isinstance(summary, dict) else None
    caller = trust.get("verified_caller") if isinstance(trust, dict) else None
    value = caller.get("verified") if isinstance(caller, dict) else None
    return value if isinstance(value, bool) else None
