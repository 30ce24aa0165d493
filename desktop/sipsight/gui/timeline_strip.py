"""The caller's other calls as a readable summary: one stacked bar per time bucket, by outcome.

At the side panel's width a glyph per call (or per cluster, with '+9' badges) is unreadable for a caller with a
hundred calls a week; a bar per bucket (12 hours at 440 px over 7 days, shorter when zoomed in or wider) says
how many calls there were and how they ended, at a glance. The bucket steps and their alignment are in
timeline_layout.py; the scene (timeline_scene.py) calls these two painters for the lane LANE_OTHER.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from sipsight.core.models import OutcomeClass
from sipsight.gui.palette import OUTCOME_ORDER, draw_glyph, glyph_path, outcome_color
from sipsight.gui.timeline_layout import bucket_origin, bucket_step, bucket_words, count_columns

if TYPE_CHECKING:
    from sipsight.gui.timeline_scene import TimelineScene


def paint_strip(scene: TimelineScene, p: QPainter, c: dict[str, QColor], lane_no: int, dark: bool) -> str:
    """The caller's other calls as a summary: one bar per time bucket (aligned to local midnights), its height
    the bucket's calls (linear, the tallest bar fills the band), stacked by outcome in the legend's order, the
    count above it; a segment tall enough carries its outcome's glyph. Returns the lane title's note."""
    lane = scene.lanes[lane_no]
    band = scene.lane_rect(lane_no)
    view = scene.view
    step = bucket_step(view.span, view.plot_width)
    t0 = bucket_origin(view.start, step, scene.zone)
    ncols = max(1, math.ceil((view.start + view.span - t0) / step))
    hits = scene.hits[lane_no]
    peak = count_columns(lane, hits, t0, step, ncols)
    hits.buckets = True
    hits.col_x0, hits.col_w = view.x_at(t0), step * view.plot_width / view.span
    words = f"each bar: calls in {bucket_words(step)}"
    if not peak:
        return words
    font = scene.font("small")
    fm = QFontMetricsF(font)
    label_h = fm.height()
    usable = band.height() - 5 - label_h
    gap = max(2.0, min(5.0, hits.col_w * 0.2))
    width = hits.col_w - gap
    separator = QPen(c["band"], 1.0)
    separator.setCosmetic(True)
    p.setFont(font)
    for k, total in enumerate(hits.col_totals):
        if not total:
            continue
        x = hits.col_x0 + k * hits.col_w + gap / 2
        if x + width < band.left() or x > band.right():
            continue
        unit = max(3.0, usable * total / peak) / total
        y = band.bottom() - 3
        for o, counts in hits.col_series:
            n = counts[k]
            if not n:
                continue
            seg = QRectF(x, y - n * unit, width, n * unit)
            p.fillRect(seg, outcome_color(OUTCOME_ORDER[o], dark))
            if seg.height() >= 12 and width >= 12:  # colour is never the only signal
                size = min(9.0, seg.height() - 3, width - 3)
                p.save()
                p.translate(seg.center())
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(c["base"])
                p.drawPath(glyph_path(OUTCOME_ORDER[o], size))
                p.restore()
            if y < band.bottom() - 3:
                p.setPen(separator)
                p.drawLine(QPointF(x, y), QPointF(x + width, y))
            y -= n * unit
        text = str(total)
        if fm.horizontalAdvance(text) <= hits.col_w:
            p.setPen(c["text"])
            p.drawText(
                QRectF(x - gap / 2, y - label_h, hits.col_w, label_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                text,
            )
    return words


def paint_strip_selection(
    scene: TimelineScene,
    p: QPainter,
    c: dict[str, QColor],
    lane_no: int,
    at: QPointF,
    outcome: OutcomeClass,
    dark: bool,
) -> None:
    """A call selected in the strip: its bucket outlined, a line at its time and its glyph at the band's foot;
    the bar and its count stay readable."""
    hits = scene.hits[lane_no]
    band = scene.lane_rect(lane_no)
    if not band.left() - 2 <= at.x() <= band.right() + 2:
        return
    k = hits.column_at(at.x())
    ring = QPen(c["highlight"], 2.0)
    ring.setCosmetic(True)
    p.setPen(ring)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(scene.bucket_rect(lane_no, k).adjusted(0.5, 0, -0.5, 0), 3, 3)
    line = QPen(c["highlight"], 1.0)
    line.setCosmetic(True)
    p.setPen(line)
    p.drawLine(QPointF(at.x(), band.top() + 2), QPointF(at.x(), band.bottom() - 2))
    foot = QPointF(at.x(), band.bottom() + 1)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c["base"])
    p.drawEllipse(foot, 6.5, 6.5)
    draw_glyph(p, outcome, foot, 10.0, dark, outline=c["base"])
