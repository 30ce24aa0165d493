"""What the counts mean: each carrier's status, the caller ID's verdict and its confidence, and the early warning.

Intent needs a code or a change: "blocked" needs 608/603+ (or plain 603 from many numbers) on a carrier; "likely
labeled" needs a slide in the answer rate against the caller ID's own earlier days. Confidence never goes past what
the evidence carries (thresholds.yaml)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sipsight.core.health._data import Status, Thresholds
from sipsight.core.health._models import CarrierRow, DayRow, Stretch
from sipsight.core.health._stats import Counted

RANK: dict[Status, int] = {"healthy": 0, "watch": 1, "likely_labeled": 2, "blocked": 3}


@dataclass
class CarrierCall:
    status: Status
    confidence: float
    why: str  # blocked | plain_603 | labeled | slide | isolated_blocks | unwanted | ok


def z_score(baseline: Stretch, recent: Stretch) -> float:
    """How far the recent answer rate sits below the baseline's, in standard errors (two-proportion z-test)."""
    n1, n2 = baseline.final, recent.final
    if not n1 or not n2:
        return 0.0
    pooled = (baseline.answered + recent.answered) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return (baseline.answered / n1 - recent.answered / n2) / se if se else 0.0


def slid(baseline: Stretch, recent: Stretch, drop: float, min_z: float, t: Thresholds) -> bool:
    """The recent answer rate at or below (1 - drop) x the baseline's, enough calls on both sides, beyond chance."""
    if min(baseline.final, recent.final) < t.label.min_stretch_calls:
        return False
    if baseline.answer_rate is None or recent.answer_rate is None or baseline.answer_rate <= 0:
        return False
    return recent.answer_rate <= baseline.answer_rate * (1 - drop) and z_score(baseline, recent) >= min_z


def judge_carrier(row: CarrierRow, t: Thresholds, short_over: bool) -> CarrierCall:
    if row.block_numbers >= t.block.min_numbers:
        return CarrierCall("blocked", t.block.confidence, "blocked")
    if row.plain_603_numbers >= t.block.plain_603_numbers:
        return CarrierCall("blocked", t.block.plain_603_confidence, "plain_603")
    if slid(row.baseline, row.recent, t.label.answer_drop, t.label.min_z, t):
        conf = min(t.label.max_confidence, t.label.confidence + (t.label.short_bonus if short_over else 0.0))
        return CarrierCall("likely_labeled", conf, "labeled")
    if slid(row.baseline, row.recent, t.label.watch_drop, t.label.watch_z, t):
        return CarrierCall("watch", t.confidence.watch, "slide")
    if row.block_numbers > 0:
        return CarrierCall("watch", t.confidence.watch, "isolated_blocks")
    if row.unwanted_numbers >= t.unwanted.watch_numbers:
        return CarrierCall("watch", t.confidence.watch, "unwanted")
    return CarrierCall("healthy", t.confidence.healthy, "ok")


@dataclass
class Trend:
    first: DayRow
    last: DayRow
    slope: float  # answer rate per day (least squares over the days with enough calls)
    label_rate: float
    days_left: float


def trend(by_day: list[DayRow], baseline: Stretch, t: Thresholds) -> Trend | None:
    """The daily answer rate heading toward the level a label brings, within the warning horizon; else None."""
    days = [(i, d) for i, d in enumerate(by_day) if d.answer_rate is not None]
    if len(days) < t.warning.min_days:
        return None
    xs = [float(i) for i, _ in days]
    ys = [float(d.answer_rate or 0.0) for _, d in days]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    reference = baseline.answer_rate if baseline.answer_rate is not None else ys[0]
    label_rate = reference * (1 - t.label.answer_drop)
    if slope >= 0 or ys[-1] <= label_rate:
        return None
    days_left = (ys[-1] - label_rate) / -slope
    if days_left > t.warning.horizon_days:
        return None
    return Trend(days[0][1], days[-1][1], slope, label_rate, days_left)


@dataclass
class Judgement:
    status: Status
    confidence: float
    carriers: list[CarrierRow]  # the rows the verdict names
    reasons: list[str] = field(default_factory=list)  # watch reasons (texts.yaml watch_reasons keys)
    per_carrier: dict[str, CarrierCall] = field(default_factory=dict)
    trend: Trend | None = None
    short_over: bool = False


def judge(c: Counted, t: Thresholds) -> Judgement:
    short_over = c.totals.short_share is not None and c.totals.short_share >= t.short_call.share
    calls = {row.carrier: judge_carrier(row, t, short_over) for row in c.by_carrier}
    c.by_carrier = [
        r.model_copy(update={"status": calls[r.carrier].status, "confidence": calls[r.carrier].confidence})
        for r in c.by_carrier
    ]
    # the early warning reads the daily trend only once the recent days already sit lower than chance explains
    sliding = slid(c.baseline, c.recent, t.label.watch_drop, t.label.watch_z, t)
    warn = trend(c.by_day, c.baseline, t) if sliding else None
    for status in ("blocked", "likely_labeled"):
        named = [r for r in c.by_carrier if r.status == status]
        if named:
            conf = max(calls[r.carrier].confidence for r in named)
            return Judgement(status, conf, named, per_carrier=calls, short_over=short_over)
    reasons: list[str] = []
    watched = [r for r in c.by_carrier if r.status == "watch"]
    for why in ("slide", "isolated_blocks", "unwanted"):
        if any(calls[r.carrier].why == why for r in watched):
            reasons.append(why)
    if short_over:
        reasons.append("short")
    if c.volume.over_line:
        reasons.append("volume")
    if warn is not None:
        reasons.append("trend")
    if reasons:
        return Judgement("watch", t.confidence.watch, watched, reasons, calls, warn, short_over)
    thick = c.totals.final >= t.confidence.healthy_min_calls and c.baseline.answer_rate is not None
    conf = t.confidence.healthy if thick else t.confidence.healthy_thin
    return Judgement("healthy", conf, [], [], calls, None, short_over)
