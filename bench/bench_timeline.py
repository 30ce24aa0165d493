"""Timeline repaint benchmark: 10,000 attempts, offscreen; prints the median repaint time and its ratio to 16 ms.

    QT_QPA_PLATFORM=offscreen python bench/bench_timeline.py [--attempts 10000] [--runs 30] [--shots DIR]

"Full" repaints invalidate the static-layer cache first, so they measure the real paint of axis, lanes and
items; "cached" repaints measure what a hover or selection change costs. Both render into a QImage through
QWidget.render (the same path as a real paint event). --shots also writes PNG screenshots of the timeline,
the legend and the table (light and dark) with origin-ticket-like data, for eyeballing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui.attempts_table import AttemptsTableView
from sipsight.gui.legend import OutcomeLegend
from sipsight.gui.timeline import TimelineWidget

TARGET_MS = 16.0
DEST = "+13035550199"
CALLER = "+17205550100"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)

_FAKE_SID = "CAdemo"  # demo call SIDs: never 32 hex characters


def _attempt(n: int, when: datetime, to: str, outcome: OutcomeClass, **extra) -> Attempt:
    return Attempt(id=f"{_FAKE_SID}{n:06d}", start_time=when, **{"from": CALLER}, to=to, outcome=outcome, **extra)


_OUTCOME_FIELDS: dict[OutcomeClass, dict] = {
    OutcomeClass.CONNECTED: {
        "provider_status": "completed",
        "sip_code": 200,
        "sip_reason": "OK",
        "answered_by": "human",
        "duration_s": 142.0,
        "ring_s": 9.0,
        "disconnected_by": "callee",
    },
    OutcomeClass.VOICEMAIL: {
        "provider_status": "completed",
        "sip_code": 200,
        "sip_reason": "OK",
        "answered_by": "machine_end_beep",
        "duration_s": 21.0,
        "ring_s": 0.8,
        "disconnected_by": "caller",
    },
    OutcomeClass.NO_ANSWER: {
        "provider_status": "no-answer",
        "sip_code": 487,
        "sip_reason": "Request Terminated",
        "ring_s": 30.0,
    },
    OutcomeClass.BUSY: {"provider_status": "busy", "sip_code": 486, "sip_reason": "Busy Here", "q850_cause": 17},
    OutcomeClass.NETWORK_BLOCKED: {
        "provider_status": "failed",
        "sip_code": 603,
        "sip_reason": "Network Blocked",
        "q850_cause": 21,
    },
    OutcomeClass.DECLINED: {"provider_status": "failed", "sip_code": 607, "sip_reason": "Unwanted"},
    OutcomeClass.UNREACHABLE: {"provider_status": "failed", "sip_code": 480, "sip_reason": "Temporarily Unavailable"},
    OutcomeClass.INVALID_NUMBER: {
        "provider_status": "failed",
        "sip_code": 404,
        "sip_reason": "Not Found",
        "provider_error_code": "21215",
    },
    OutcomeClass.CARRIER_FAILURE: {
        "provider_status": "failed",
        "sip_code": 503,
        "sip_reason": "Service Unavailable",
        "q850_cause": 41,
    },
    OutcomeClass.CALLER_CANCELED: {"provider_status": "canceled", "ring_s": 4.0, "disconnected_by": "caller"},
    OutcomeClass.PLATFORM_REJECTED: {"provider_status": "failed", "provider_error_code": "13227"},
}


def origin_ticket_data(now: datetime = NOW) -> tuple[list[Attempt], list[Attempt]]:
    """The origin ticket's story: a few good calls days ago, then straight to voicemail; other numbers fine."""
    rng = random.Random(7)
    dest: list[Attempt] = []
    n = 0
    for days_ago, hour, minute in ((6, 10, 12), (5, 14, 40), (4, 11, 5)):
        n += 1
        dest.append(
            _attempt(
                n,
                (now - timedelta(days=days_ago)).replace(hour=hour, minute=minute),
                DEST,
                OutcomeClass.CONNECTED,
                carrier="Verizon Wireless",
                **_OUTCOME_FIELDS[OutcomeClass.CONNECTED],
            )
        )
    for days_ago, hour, minute in (
        (2, 9, 30),
        (2, 13, 10),
        (1, 10, 2),
        (1, 16, 45),
        (0, 9, 15),
        (0, 9, 58),
        (0, 11, 40),
    ):
        n += 1
        dest.append(
            _attempt(
                n,
                (now - timedelta(days=days_ago)).replace(hour=hour, minute=minute),
                DEST,
                OutcomeClass.VOICEMAIL,
                carrier="Verizon Wireless",
                **_OUTCOME_FIELDS[OutcomeClass.VOICEMAIL],
            )
        )
    other: list[Attempt] = []
    for k in range(34):
        n += 1
        when = now - timedelta(days=6.5) + timedelta(hours=rng.uniform(0, 6.4 * 24))
        outcome = rng.choices(
            [OutcomeClass.CONNECTED, OutcomeClass.NO_ANSWER, OutcomeClass.VOICEMAIL, OutcomeClass.BUSY],
            weights=[60, 20, 15, 5],
        )[0]
        other.append(
            _attempt(
                n,
                when,
                f"+1{rng.choice(['212', '312', '415', '617'])}55501{k % 100:02d}",
                outcome,
                carrier="AT&T Mobility",
                **_OUTCOME_FIELDS[outcome],
            )
        )
    return dest, other


def generated(count: int, days: float = 7.0, seed: int = 1) -> tuple[list[Attempt], list[Attempt]]:
    """`count` attempts spread over `days`, a tenth to this number, every outcome class represented."""
    rng = random.Random(seed)
    classes = list(_OUTCOME_FIELDS)
    dest, other = [], []
    for n in range(count):
        when = NOW - timedelta(seconds=rng.uniform(0, days * 86400))
        outcome = rng.choice(classes)
        to_this = n % 10 == 0
        target = dest if to_this else other
        to = DEST if to_this else f"+1{rng.choice(['212', '312', '415'])}55501{rng.randrange(100):02d}"
        target.append(_attempt(n, when, to, outcome, **_OUTCOME_FIELDS[outcome]))
    return dest, other


def _render_ms(widget: TimelineWidget, image: QImage, invalidate: bool) -> float:
    if invalidate:
        widget.scene.drop_cache()  # the benchmark's whole point is measuring the uncached paint
    image.fill(0)
    start = time.perf_counter()
    widget.render(image)
    return (time.perf_counter() - start) * 1000.0


def bench(count: int, runs: int, width: int) -> None:
    timeline = TimelineWidget()
    timeline.resize(width, 200)
    dest, other = generated(count)
    start = time.perf_counter()
    timeline.set_attempts(dest, other, tz="America/Denver")
    set_ms = (time.perf_counter() - start) * 1000.0
    image = QImage(timeline.size(), QImage.Format.Format_ARGB32_Premultiplied)
    print(f"timeline: {count} attempts ({len(dest)} + {len(other)}), {width}x200 px, {runs} runs")
    print(f"  set_attempts:          {set_ms:7.2f} ms")
    for label, zoom in (("fit (dense bars)", None), ("zoomed in x40 (glyphs)", 40.0)):
        timeline.zoom_to_fit()
        if zoom:
            timeline.zoom_by(zoom)
        _render_ms(timeline, image, invalidate=True)  # warm-up (fonts, glyph caches)
        full = statistics.median(_render_ms(timeline, image, invalidate=True) for _ in range(runs))
        cached = statistics.median(_render_ms(timeline, image, invalidate=False) for _ in range(runs))
        print(f"  {label:24s} full repaint   {full:7.2f} ms  ({full / TARGET_MS:5.2f} x the {TARGET_MS:.0f} ms target)")
        print(f"  {'':24s} cached repaint {cached:7.2f} ms  ({cached / TARGET_MS:5.2f} x target)")
    pos = QPoint(width // 2, int(timeline.lane_rect(1).center().y()))
    start = time.perf_counter()
    for _ in range(runs):
        timeline.tooltip_at(pos.toPointF())
    print(f"  hover hit-test + tooltip: {(time.perf_counter() - start) * 1000.0 / runs:7.3f} ms")


def _dark_palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2e", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f1f22", QPalette.ColorRole.AlternateBase: "#29292d",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#35353a",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d8ee0",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Mid: "#444448", QPalette.ColorRole.Light: "#4a4a4f", QPalette.ColorRole.Dark: "#151517",
        QPalette.ColorRole.ToolTipBase: "#35353a", QPalette.ColorRole.ToolTipText: "#e6e6e6",
    }  # fmt: skip
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    return pal


def shots(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    light = app.palette()
    written = []
    dest, other = origin_ticket_data()
    for theme, palette in (("light", light), ("dark", _dark_palette())):
        app.setPalette(palette)
        for width in (420, 900):
            page = QWidget()
            page.setAutoFillBackground(True)
            layout = QVBoxLayout(page)
            timeline = TimelineWidget()
            legend = OutcomeLegend()
            layout.addWidget(timeline)
            layout.addWidget(legend)
            timeline.set_attempts(dest, other, tz="America/Denver")
            legend.set_attempts(dest + other)
            if width == 900:
                timeline.select(dest[-1].id)
                legend.filter_changed.connect(timeline.set_hidden_outcomes)
                legend.item(OutcomeClass.NO_ANSWER).click()  # a legend filter in action
            page.resize(width, page.sizeHint().height())
            page.show()
            QApplication.processEvents()
            path = folder / f"timeline-{theme}-{width}.png"
            page.grab().save(str(path))
            written.append(path)
            page.close()
        for width in (420, 900):
            table = AttemptsTableView()
            table.set_attempts(dest, other, tz="America/Denver")
            table.resize(width, 360)
            table.show()
            table.select(dest[-1].id)
            QApplication.processEvents()
            path = folder / f"table-{theme}-{width}.png"
            table.grab().save(str(path))
            written.append(path)
            table.close()
        big_dest, big_other = generated(10_000)
        timeline = TimelineWidget()
        timeline.set_attempts(big_dest, big_other, tz="America/Denver")
        timeline.resize(900, timeline.sizeHint().height())
        timeline.show()
        QApplication.processEvents()
        path = folder / f"timeline-dense-{theme}-900.png"
        timeline.grab().save(str(path))
        written.append(path)
        timeline.zoom_by(60)
        path = folder / f"timeline-zoomed-{theme}-900.png"
        timeline.grab().save(str(path))
        written.append(path)
        timeline.close()
    app.setPalette(light)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--shots", type=Path, help="also write PNG screenshots to this folder")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    bench(args.attempts, args.runs, args.width)
    if args.shots:
        for path in shots(args.shots):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
