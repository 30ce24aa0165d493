"""The health view's sentences: the values the texts may state (facts, every one from the statistics), the verdict's
headline, the evidence, the early warning and the caveats, filled from texts.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from sipsight.core.diagnosis import format_day
from sipsight.core.health._data import Texts, Thresholds, fill
from sipsight.core.health._models import CarrierRow, EarlyWarning, LookupUse
from sipsight.core.health._stats import UNKNOWN_CARRIER, Counted
from sipsight.core.health._verdict import Judgement
from sipsight.core.phone import pretty

UNNAMED = "carriers we could not name"


def pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{round(rate * 100)}%"


def num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def carrier_names(rows: list[CarrierRow]) -> str:
    return and_list([r.carrier if r.known else UNNAMED for r in rows])


def engine_names(rows: list[CarrierRow]) -> list[str]:
    return list(dict.fromkeys(r.engine for r in rows if r.engine))


def global_facts(c: Counted, caller: str, days: int, t: Thresholds, j: Judgement) -> dict[str, str]:
    tot = c.totals
    unknown = next((r for r in c.by_carrier if not r.known), None)
    attested = c.attestation.verified + c.attestation.unverified
    engines = engine_names(j.carriers)
    return {
        "caller": pretty(caller),
        "window_days": str(days),
        "calls": str(tot.calls),
        "final": str(tot.final),
        "numbers": str(tot.numbers),
        "answer_rate": pct(tot.answer_rate),
        "reach_rate": pct(tot.reach_rate),
        "recent_days": str(t.recent_days),
        "recent_answer_rate": pct(c.recent.answer_rate),
        "baseline_answer_rate": pct(c.baseline.answer_rate),
        "recent_calls": str(c.recent.final),
        "baseline_calls": str(c.baseline.final),
        "short_share": pct(tot.short_share),
        "short_seconds": num(t.short_call.seconds),
        "short_line": pct(t.short_call.share),
        "completed": str(tot.completed),
        "per_day_max": str(c.volume.per_day_max),
        "per_day_avg": num(c.volume.per_day_avg),
        "per_day_line": str(t.volume.per_day),
        "unwanted_numbers": str(sum(r.unwanted_numbers for r in c.by_carrier)),
        "verified": str(c.attestation.verified),
        "attested": str(attested),
        "unknown_calls": str(unknown.calls if unknown else 0),
        "carriers": carrier_names(j.carriers),
        "engines": and_list(engines) if engines else "the carriers' analytics",
        "isolated_blocks": str(sum(sum(r.codes.get(k, 0) for k in t.block.codes) for r in j.carriers)),
    }


def carrier_facts(row: CarrierRow, c: Counted, t: Thresholds, zone: tzinfo) -> dict[str, str]:
    """The values a sentence about one carrier states; `rest_*` are the other carriers' calls together."""
    others = [r for r in c.by_carrier if r.carrier != row.carrier]
    rest_final = sum(r.final for r in others)
    rest_answered = sum(r.answered for r in others)
    codes: list[str] = [k for k in t.block.codes if row.codes.get(k)] or (["603"] if row.codes.get("603") else [])
    count = sum(row.codes.get(k, 0) for k in codes)

    def day(when: datetime | None) -> str:
        return format_day(when, zone) if when else "n/a"

    first, last = day(row.first_block), day(row.last_block)
    span = f"on {first}" if first == last else f"between {first} and {last}"
    plain = row.plain_603_numbers if codes == ["603"] else row.block_numbers
    return {
        "carrier": row.carrier if row.known else UNNAMED,
        "engine": row.engine or "an analytics engine we cannot name",
        "block_count": str(count),
        "block_numbers": str(plain),
        "codes": and_list(codes),
        "first_block": day(row.first_block),
        "block_span": span,
        "recent_answer_rate": pct(row.recent.answer_rate),
        "baseline_answer_rate": pct(row.baseline.answer_rate),
        "recent_calls": str(row.recent.final),
        "baseline_calls": str(row.baseline.final),
        "rest_answer_rate": pct(rest_answered / rest_final if rest_final >= t.min_calls else None),
        "rest_calls": str(rest_final),
    }


def evidence(c: Counted, j: Judgement, facts: dict[str, str], tx: Texts, t: Thresholds, zone: tzinfo) -> list[str]:
    ev = tx.evidence
    out = [fill(ev["overall"], facts)]
    if c.baseline.answer_rate is not None and c.recent.answer_rate is not None:
        out.append(fill(ev["change"], facts))
    else:
        out.append(fill(ev["no_baseline"], facts))
    for row in c.by_carrier:
        call = j.per_carrier[row.carrier]
        key = {"blocked": "blocked", "plain_603": "plain_603", "labeled": "labeled", "slide": "slide"}.get(call.why)
        if key:
            out.append(fill(ev[key], facts | carrier_facts(row, c, t, zone)))
    if j.status == "blocked" and len(j.carriers) == 1 and len(c.by_carrier) > 1:
        out.append(fill(ev["other_carriers"], facts | carrier_facts(j.carriers[0], c, t, zone)))
    if j.short_over:
        out.append(fill(ev["short"], facts))
    if c.volume.over_line:
        out.append(fill(ev["volume"], facts))
    if int(facts["unwanted_numbers"]) >= t.unwanted.watch_numbers:
        out.append(fill(ev["unwanted"], facts))
    if int(facts["attested"]):
        out.append(fill(ev["attestation"], facts))
    if int(facts["unknown_calls"]):
        out.append(fill(ev["unknown_carriers"], facts))
    return out


def headline(j: Judgement, facts: dict[str, str], tx: Texts) -> str:
    reasons = [fill(tx.watch_reasons[r], facts) for r in j.reasons]
    return fill(tx.verdicts[j.status].headline, facts | {"watch_reasons": "; ".join(reasons)})


def warning(j: Judgement, tx: Texts, zone: tzinfo) -> tuple[EarlyWarning | None, dict[str, str]]:
    if j.trend is None:
        return None, {}
    tr = j.trend
    values = {
        "first_rate": pct(tr.first.answer_rate),
        "first_day": tr.first.day,
        "last_rate": pct(tr.last.answer_rate),
        "last_day": tr.last.day,
        "label_rate": pct(tr.label_rate),
        "days_left": str(max(1, round(tr.days_left))),
    }
    text = fill(tx.warning, values)
    return EarlyWarning(text=text, days_left=round(tr.days_left, 1), label_rate=round(tr.label_rate, 3)), values


def caveats(
    j: Judgement, lookups: LookupUse, truncated: bool, tx: Texts, t: Thresholds
) -> tuple[list[str], dict[str, str]]:
    values = {
        "cap": str(lookups.cap),
        "capped": str(lookups.capped),
        "failed": str(lookups.failed),
        "max_calls": str(t.max_calls),
    }
    out = []
    if not lookups.available:
        out.append(fill(tx.caveats["no_lookup"], values))
    if lookups.capped:
        out.append(fill(tx.caveats["capped"], values))
    if lookups.failed:
        out.append(fill(tx.caveats["lookup_failed"], values))
    if truncated:
        out.append(fill(tx.caveats["truncated"], values))
    if j.status == "likely_labeled":
        out.append(fill(tx.caveats["label_unconfirmed"], values))
    return out, values


def is_unknown(row: CarrierRow) -> bool:
    return row.carrier == UNKNOWN_CARRIER
