"""Which number did they mean? The numbers one caller ID called, ranked by what changed and by the customer's words.

A caller-first lookup (the customer named no number, only who they are) reads every call of the caller ID in the
window and ranks its destinations: a number a person answered before and that fails since (the ticket's story),
a number that stopped ringing, one dialed again and again, one called lately, and one whose recent calls do what
the customer says happens. The weights and the "clearly stands out" rule are data (resources/lookup/ranking.yaml).

Every count is the diagnosis's own: each call counts in the measure `core.diagnosis.measures_of` gives it, and a
number's story is cut at its last connected call, as CaseStats cuts it (tests hold the two equal), so "connected"
has one meaning everywhere. Qt-free, and fast: 1,000 calls to 800 numbers rank in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import attrgetter

from sipsight.core.lookup._ranking_data import RankingData, ranking_data
from sipsight.core.models import Attempt, Candidate, Case, DiagnosisContext, TimeHint

CONNECTED = "connected"
_START = attrgetter("start_time")


@dataclass(frozen=True)
class CustomerWords:
    """What the customer wrote that can point to a number: their own symptoms (ids of resources/intake/symptoms.yaml),
    "I spoke with them before", and how many hours ago the trouble was (time hints)."""

    symptoms: tuple[str, ...] = ()
    prior_contact: bool = False
    hours_ago: tuple[float, ...] = ()

    @classmethod
    def from_context(cls, context: DiagnosisContext | None, time_hints: Iterable[TimeHint] = ()) -> CustomerWords:
        """The customer's own words in a DiagnosisContext (not what the pasted text only mentions), and time hints."""
        hours = tuple(h.hours_ago for h in time_hints if h.hours_ago is not None)
        if context is None:
            return cls(hours_ago=hours)
        return cls(tuple(dict.fromkeys(context.symptoms)), context.prior_contact, hours)

    @classmethod
    def from_case(cls, case: Case) -> CustomerWords:
        return cls.from_context(DiagnosisContext.from_case(case), case.time_hints)


@dataclass
class NumberCalls:
    """One number's final calls from the caller ID, in time order, each with its measure; the story cut at the last
    connected call (`before` up to and including it, `recent` since), as CaseStats cuts it."""

    number: str
    calls: list[Attempt]
    measures: list[str]
    cut: int = 0  # index of the first call after the last connected one (0: none connected)
    connected: int = 0

    def __post_init__(self) -> None:
        self.connected = self.measures.count(CONNECTED)
        if self.connected:
            self.cut = len(self.measures) - self.measures[::-1].index(CONNECTED)

    @property
    def recent(self) -> list[str]:
        return self.measures[self.cut :]

    @property
    def changed(self) -> bool:
        """A person answered before, and nothing has connected since (CaseStats' claim `changed`)."""
        return self.connected > 0 and self.cut < len(self.measures)

    @property
    def last(self) -> Attempt:
        return self.calls[-1]

    @property
    def last_connected(self) -> Attempt | None:
        return self.calls[self.cut - 1] if self.connected else None


@dataclass
class Ranking:
    """The numbers a caller ID called, best first (the `keep` best), and the decision: does the top one clearly
    stand out? `chosen` is its number when it does."""

    caller_id: str | None
    candidates: list[Candidate]
    numbers: int  # distinct numbers with final calls
    calls: int  # final calls read
    stands_out: bool
    margin: float | None  # the top score minus the next one (None: fewer than two numbers)
    words: CustomerWords = field(default_factory=CustomerWords)
    by_number: dict[str, NumberCalls] = field(default_factory=dict, repr=False)
    calls_of: str | None = None  # whose calls when not one caller ID's: "sub-account AC... (where it came from)"

    @property
    def chosen(self) -> str | None:
        return self.candidates[0].number if self.stands_out and self.candidates else None


def group_by_number(attempts: Sequence[Attempt]) -> dict[str, NumberCalls]:
    """The final calls per destination, with their measures (in-progress and unreadable ones, and calls without a
    destination, left out)."""
    from sipsight.core.diagnosis import measures_of

    ordered = sorted(attempts, key=_START)
    calls: dict[str, list[Attempt]] = {}
    measures: dict[str, list[str]] = {}
    for attempt, measure in zip(ordered, measures_of(ordered), strict=True):
        if measure is None or not attempt.to:  # a call whose record names no destination is no candidate
            continue
        calls.setdefault(attempt.to, []).append(attempt)
        measures.setdefault(attempt.to, []).append(measure)
    return {number: NumberCalls(number, calls[number], measures[number]) for number in calls}


class _Rules:
    """The ranking data as the loop over hundreds of numbers reads it: weights, measure sets, the words that apply."""

    def __init__(self, data: RankingData, words: CustomerWords, now: datetime) -> None:
        sig = data.signals
        self.data, self.words, self.now = data, words, now
        self.weights = sig.weights()
        self.connected_full, self.after_full = sig.changed.connected_for_full, sig.changed.calls_for_full
        self.failing = frozenset(sig.now_fails.measures)
        self.repeat_span = sig.repeated.calls_for_full - 1
        self.half_life_s = sig.recent.half_life_hours * 3600
        said = [s for s in words.symptoms if s in data.symptom_measures]
        self.symptoms = [frozenset(data.symptom_measures[s]) for s in said]
        self.prior_full = sig.prior_contact.connected_for_full
        hint = sig.time_hint
        self.hints = [
            (now - timedelta(hours=h), timedelta(hours=max(hint.tolerance_hours, hint.tolerance_share * h)))
            for h in words.hours_ago
        ]


def _share(recent: list[str], measures: frozenset[str]) -> float:
    return sum(1 for m in recent if m in measures) / len(recent) if recent else 0.0


def signals_of(
    n: NumberCalls, words: CustomerWords, now: datetime, data: RankingData, rules: _Rules | None = None
) -> dict[str, float]:
    """Each applicable signal's strength (0-1) for one number; the words signals only when the customer said so."""
    r = rules or _Rules(data, words, now)
    recent = n.recent
    changed = min(1.0, n.connected / r.connected_full) * min(1.0, len(recent) / r.after_full) if n.changed else 0.0
    out = {
        "changed": changed,
        "now_fails": _share(recent, r.failing),
        "repeated": min(1.0, (len(n.measures) - 1) / r.repeat_span),
        "recent": 0.5 ** (max(0.0, (r.now - n.last.start_time).total_seconds()) / r.half_life_s),
    }
    if r.symptoms:
        out["symptoms"] = sum(_share(recent, measures) for measures in r.symptoms) / len(r.symptoms)
    if words.prior_contact:
        out["prior_contact"] = min(1.0, n.connected / r.prior_full)
    if r.hints:
        out["time_hint"] = float(any(abs(a.start_time - t) <= slack for t, slack in r.hints for a in n.calls))
    return out


def score_of(signals: dict[str, float], data: RankingData, weights: dict[str, float] | None = None) -> float:
    """The weighted mean of the signals that apply (0-1)."""
    weights = weights or data.signals.weights()
    total = sum(weights[name] for name in signals)
    return sum(weights[name] * value for name, value in signals.items()) / total if total else 0.0


def rank_candidates(
    attempts: Sequence[Attempt],
    *,
    words: CustomerWords | None = None,
    now: datetime | None = None,
    tz: str = "UTC",
    caller_id: str | None = None,
    data: RankingData | None = None,
) -> Ranking:
    """Rank the destinations of `attempts` (one caller ID's calls; classified or not) and decide whether the top one
    clearly stands out. `now` defaults to the clock; `tz` is the zone the candidates' stories name dates in."""
    from sipsight.core.knowledge import classify_all
    from sipsight.core.lookup._stories import reason_of, story_of

    data = data or ranking_data()
    words = words or CustomerWords()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    by_number = group_by_number(classify_all(attempts))
    rules = _Rules(data, words, now)
    scored = []
    for number, calls in by_number.items():
        signals = signals_of(calls, words, now, data, rules)
        # rounded so that float noise never decides a tie; ties go to the number called last, then the smaller
        scored.append((round(score_of(signals, data, rules.weights), 6), calls.last.start_time, number, signals))
    scored.sort(key=lambda s: (-s[0], -s[1].timestamp(), s[2]))
    top = scored[: data.keep]
    margin = round(top[0][0] - top[1][0], 6) if len(top) > 1 else None
    decision = data.decision
    stands_out = bool(top) and top[0][0] >= decision.min_score and (margin is None or margin >= decision.min_margin)
    year = _crosses_year([c.calls[0].start_time for c in by_number.values()] + [now], tz)
    candidates = [
        Candidate(
            number=number,
            attempts=len(by_number[number].measures),
            connected=by_number[number].connected,
            last_outcome=by_number[number].last.outcome,
            last_call=by_number[number].last.start_time,
            change=story_of(by_number[number], tz, year),
            score=round(score, 3),
            reason=reason_of(by_number[number], signals, words, now, data, tz, year),
            signals={k: round(v, 3) for k, v in signals.items()},
        )
        for score, _, number, signals in top
    ]
    return Ranking(
        caller_id=caller_id,
        candidates=candidates,
        numbers=len(by_number),
        calls=sum(len(c.measures) for c in by_number.values()),
        stands_out=stands_out,
        margin=margin,
        words=words,
        by_number=by_number,
    )


def _crosses_year(times: list[datetime], tz: str) -> bool:
    from sipsight.core.diagnosis import crosses_year
    from sipsight.core.timezones import zone

    return crosses_year(times, zone(tz))


__all__ = [
    "CustomerWords",
    "NumberCalls",
    "Ranking",
    "group_by_number",
    "rank_candidates",
    "score_of",
    "signals_of",
]
