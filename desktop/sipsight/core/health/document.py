"""A HealthReport as the health JSON document (docs/json-schema.md, "Health document") and as the Markdown report a
team lead reads (`sipsight health --export FILE.md`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sipsight.core.diagnosis import band_word
from sipsight.core.health._models import HealthReport
from sipsight.core.health._texts import pct as pct
from sipsight.core.phone import pretty

SCHEMA = "sipsight.health"
SCHEMA_VERSION = "1.0"


def to_document(report: HealthReport, *, generated_at: datetime | None = None) -> dict[str, Any]:
    data = report.model_dump(mode="json", exclude={"facts"})
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
        "query": {
            "caller_id": data.pop("caller_id"),
            "since": data.pop("since"),
            "until": data.pop("until"),
            "window_days": data.pop("window_days"),
            "tz": data.pop("tz"),
            "provider": data.pop("provider"),
            "demo": data.pop("demo"),
            "scenario": data.pop("scenario"),
        },
        **data,
    }


def _codes(codes: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in codes.items()) or "-"


def to_markdown(report: HealthReport) -> str:
    """The report for the team lead: the verdict, the evidence, the tables and the redress drafts."""
    v = report.verdict
    out = [
        f"# Caller ID health: {pretty(report.caller_id)}",
        "",
        f"Window: {report.window_days} days, {report.since:%Y-%m-%d} to {report.until:%Y-%m-%d} (UTC); "
        f"times by day in {report.tz}. Provider: {report.provider}{' (demo data)' if report.demo else ''}.",
        "",
        f"## Verdict: {v.label} ({band_word(v.confidence)}, {v.confidence:.0%})",
        "",
        v.headline,
        "",
        *[f"- {line}" for line in report.evidence],
    ]
    if report.early_warning:
        out += ["", f"**{report.early_warning.text}**"]
    out += ["", "## By day", ""]
    out.append("| day | calls | answered | answer rate | reach rate | short | 603 / 603+ / 607 / 608 |")
    out.append("|---|---:|---:|---:|---:|---:|---|")
    for d in report.by_day:
        out.append(
            f"| {d.day} | {d.calls} | {d.answered} | {pct(d.answer_rate)} | {pct(d.reach_rate)} | "
            f"{pct(d.short_share)} | {_codes(d.codes)} |"
        )
    out += ["", "## By carrier", ""]
    out.append("| carrier | engine | numbers | calls | answer rate (before / recent) | codes | status |")
    out.append("|---|---|---:|---:|---|---|---|")
    for r in report.by_carrier:
        out.append(
            f"| {r.carrier} | {r.engine or '-'} | {r.numbers} | {r.calls} | {pct(r.answer_rate)} "
            f"({pct(r.baseline.answer_rate)} / {pct(r.recent.answer_rate)}) | {_codes(r.codes)} | {r.status} |"
        )
    rx = report.redress
    if rx.contacts or rx.engines:
        out += ["", "## Redress", ""]
        out += [f"- {c.text}" for c in rx.contacts]
        if rx.registry:
            out.append(f"- {rx.registry}")
        for e in rx.engines:
            where = e.portal or "no portal in our reference"
            out += ["", f"### {e.engine} ({', '.join(e.carriers)}): {where}", "", e.portal_note]
            out += ["", "```", e.request, "```"]
        if rx.customer_reply:
            out += ["", "### Customer reply", "", "```", rx.customer_reply, "```"]
    if report.caveats:
        out += ["", "## Caveats", "", *[f"- {c}" for c in report.caveats]]
    lk = report.lookups
    out += [
        "",
        f"Carriers: {lk.from_records} numbers from the call records, {lk.cached} from the cache, {lk.looked_up} "
        f"looked up (cap {lk.cap}), {lk.capped} past the cap.",
        "",
    ]
    return "\n".join(out)
