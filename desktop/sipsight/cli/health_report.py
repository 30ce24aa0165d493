"""`sipsight health` for a terminal: the verdict and its evidence, a bar per day, the carriers with their engines, the
redress drafts and the customer reply, the caveats. ASCII when the terminal cannot show the block glyphs."""

from __future__ import annotations

import textwrap

from sipsight.cli.text_report import _GREEN, _GREY, _RED, _YELLOW, BOLD, _Painter
from sipsight.core.diagnosis import band_word
from sipsight.core.health import HealthReport
from sipsight.core.health.document import pct
from sipsight.core.phone import pretty

STATUS_COLOUR = {"healthy": _GREEN, "watch": _YELLOW, "likely_labeled": _RED, "blocked": _RED}
BAR_WIDTH = 30


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, 100, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def _codes(codes: dict[str, int]) -> str:
    return " ".join(f"{k}x{v}" for k, v in codes.items())


def render_health(report: HealthReport, color: bool = False) -> str:
    paint = _Painter(color)
    v = report.verdict
    block = "█" if paint.unicode else "#"
    out = [
        paint(f"Caller ID health: {pretty(report.caller_id)}", BOLD)
        + f"  ({report.window_days} days to {report.until:%Y-%m-%d %H:%M} UTC, {report.provider}"
        + (", demo data)" if report.demo else ")"),
        "",
        paint(f"{v.label.upper()}", BOLD, STATUS_COLOUR[v.status])
        + f"  {band_word(v.confidence)} ({v.confidence:.0%})",
        *_wrap(v.headline),
        "",
        paint("Evidence", BOLD),
        *[line for e in report.evidence for line in _wrap(f"{paint.bullet()} {e}")],
    ]
    if report.early_warning:
        out += ["", *[paint(x, _YELLOW) for x in _wrap(report.early_warning.text, "")]]
    out += ["", paint("By day (a person answered / calls)", BOLD)]
    top = max((d.calls for d in report.by_day), default=0) or 1
    for d in report.by_day:
        bar = block * round(BAR_WIDTH * d.calls / top) if d.calls else ""
        codes = f"  {paint(_codes(d.codes), _RED)}" if d.codes else ""
        out.append(f"  {d.day}  {d.calls:>4} {bar:<{BAR_WIDTH}} {pct(d.answer_rate):>4}{codes}")
    out += ["", paint("By carrier", BOLD)]
    out.append(f"  {'carrier':<24} {'engine':<12} {'calls':>5} {'answered':>8} {'before':>6} {'recent':>6}  status")
    for r in report.by_carrier:
        status = paint(r.status.replace("_", " "), STATUS_COLOUR[r.status])
        codes = f"  {_codes(r.codes)}" if r.codes else ""
        out.append(
            f"  {r.carrier[:24]:<24} {(r.engine or '-'):<12} {r.calls:>5} {pct(r.answer_rate):>8} "
            f"{pct(r.baseline.answer_rate):>6} {pct(r.recent.answer_rate):>6}  {status}{codes}"
        )
    rx = report.redress
    if rx.contacts or rx.engines:
        out += ["", paint("Redress", BOLD)]
        out += [line for c in rx.contacts for line in _wrap(f"{paint.bullet()} {c.text}")]
        if rx.registry:
            out += _wrap(f"{paint.bullet()} {rx.registry}")
        for e in rx.engines:
            out += ["", paint(f"  {e.engine} ({', '.join(e.carriers)})", BOLD) + f": {e.portal or 'no portal cited'}"]
            out += _wrap(e.portal_note, "    ")
            out += ["", *[f"    | {line}" for line in e.request.splitlines()]]
        if rx.customer_reply:
            out += ["", paint("Customer reply", BOLD), *[f"    | {line}" for line in rx.customer_reply.splitlines()]]
    if report.caveats:
        out += ["", paint("Caveats", BOLD), *[line for c in report.caveats for line in _wrap(f"{paint.bullet()} {c}")]]
    lk = report.lookups
    out += [
        "",
        paint(
            f"Carriers: {lk.from_records} numbers from the call records, {lk.cached} cached, {lk.looked_up} looked up "
            f"(cap {lk.cap}), {lk.capped} past the cap.",
            _GREY,
        ),
    ]
    return "\n".join(out)
