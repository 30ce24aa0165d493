"""The timeline's time axis: a tick step for the zoom (1 min ... 12 h, days, weeks, months, years), tick and
day labels in the display time zone, and painting them (tick row, day row with the current day pinned left).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

MINUTE, HOUR, DAY = 60, 3600, 86400
STEPS = (
    MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
    HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
    DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY,
)  # fmt: skip
MIN_AXIS_H = 38.0


@dataclass
class Ticks:
    """What the axis shows for one view: the tick step (s), tick and day labels at their x, the midnights."""

    step: int
    minor: list[tuple[float, str]] = field(default_factory=list)  # (x, "08:00" or "Wed 02") on the first row
    major: list[tuple[float, str]] = field(default_factory=list)  # (x, day or month name) on the second row
    midnights: list[float] = field(default_factory=list)  # POSIX times of the local midnights in view
    sticky: str = ""  # the current day (or month, year), pinned at the left of the second row


def axis_height(fm: QFontMetricsF) -> float:
    """Room for the axis: the tick marks, two label rows in the axis font, and a margin (38 px at least)."""
    return max(MIN_AXIS_H, math.ceil(5 + 2 * fm.height() + 1 + 4))


def compute_ticks(
    view_start: float, view_span: float, plot_w: float, tz: tzinfo, fm: QFontMetricsF, x_at: Callable[[float], float]
) -> Ticks:
    """Tick positions and labels for a view of [view_start, view_start + view_span), in the display time zone.

    fm: the axis font's metrics (the step must leave room for a label); x_at: time -> widget x.
    """
    px_per_s = plot_w / view_span
    hm_w = fm.horizontalAdvance("00:00") + 18
    day_w = fm.horizontalAdvance("Wed 30") + 18
    step = STEPS[-1]
    for s in STEPS:
        need = hm_w if s < DAY else day_w
        if s * px_per_s >= need:
            step = s
            break
    lo, hi = view_start, view_start + view_span
    minor: list[tuple[float, str]] = []
    start_local = datetime.fromtimestamp(lo, tz)
    if step < DAY:
        day0 = datetime.combine(start_local.date(), datetime.min.time(), tzinfo=tz)
        k = math.floor((lo - day0.timestamp()) / step)
        t = day0.timestamp() + k * step
        while t <= hi + step:
            local = datetime.fromtimestamp(t, tz)
            # Re-anchor on the wall clock so DST days keep ticks on round hours.
            aligned = local.replace(
                minute=(local.minute // max(step // 60, 1)) * max(step // 60, 1) if step < HOUR else 0,
                second=0,
                microsecond=0,
            )
            at = aligned.timestamp()
            if lo - step <= at <= hi + step and (not minor or at > minor[-1][0]):
                minor.append((at, aligned.strftime("%H:%M")))
            t += step
    elif step < 30 * DAY:
        n_days = step // DAY
        d = start_local.date()
        if n_days == 7 or n_days == 14:
            d -= timedelta(days=d.weekday())  # weeks start on Monday
        while True:
            at = datetime.combine(d, datetime.min.time(), tzinfo=tz).timestamp()
            if at > hi + step:
                break
            if at >= lo - step and (n_days in (7, 14) or d.toordinal() % n_days == 0):
                minor.append((at, d.strftime("%a %d")))
            d += timedelta(days=1)
    else:
        months = 1 if step == 30 * DAY else 3 if step == 91 * DAY else 12
        y, m = start_local.year, start_local.month
        while True:
            at = datetime(y, m, 1, tzinfo=tz).timestamp()
            if at > hi + step:
                break
            if (m - 1) % months == 0:
                minor.append((at, f"{date(y, m, 1):%b}" if months < 12 else str(y)))
            m += 1
            if m > 12:
                y, m = y + 1, 1
    # Day (or month) context labels on the second row.
    midnights: list[float] = []
    major: list[tuple[float, str]] = []
    if view_span <= 120 * DAY:
        d = start_local.date()
        while True:
            at = datetime.combine(d, datetime.min.time(), tzinfo=tz).timestamp()
            if at > hi:
                break
            if at >= lo:
                midnights.append(at)
            d += timedelta(days=1)
    if step < DAY:
        major = [(t, datetime.fromtimestamp(t, tz).strftime("%a %d %b")) for t in midnights]
        sticky = start_local.strftime("%a %d %b %Y")
    elif step < 30 * DAY:
        major = [
            (t, datetime.fromtimestamp(t, tz).strftime("%B %Y"))
            for t in midnights
            if datetime.fromtimestamp(t, tz).day == 1
        ]
        sticky = start_local.strftime("%B %Y")
    else:
        sticky = str(start_local.year) if step < 365 * DAY else ""
    return Ticks(
        step=step,
        minor=[(x_at(t), label) for t, label in minor],
        major=[(x_at(t), label) for t, label in major],
        midnights=midnights,
        sticky=sticky,
    )


def paint_axis(
    p: QPainter,
    c: dict[str, QColor],
    ticks: Ticks,
    *,
    top: float,
    width: float,
    pad_x: float,
    font: QFont,
    bold: QFont,
    x_at: Callable[[float], float],
) -> None:
    """The axis line, tick labels on the first row, day (or month) names on the second."""
    left, right = pad_x - 6, width - pad_x + 6
    pen = QPen(c["frame"], 1.0)
    pen.setCosmetic(True)
    p.setPen(pen)
    p.drawLine(QPointF(left, top), QPointF(right, top))
    fm = QFontMetricsF(font)
    p.setFont(font)
    row1 = top + 5 + fm.ascent()
    row2 = row1 + fm.height() + 1
    last_right = -1e9
    for x, label in ticks.minor:
        if not left <= x <= right:
            continue
        p.setPen(pen)
        p.drawLine(QPointF(x, top), QPointF(x, top + 4))
        lw = fm.horizontalAdvance(label)
        lx = min(max(x - lw / 2, 2.0), width - lw - 2)
        if lx > last_right + 6:
            p.setPen(c["text"])
            p.drawText(QPointF(lx, row1), label)
            last_right = lx + lw
    # Second row: day names at midnight, and the current day pinned at the left edge.
    bfm = QFontMetricsF(bold)
    p.setFont(bold)
    p.setPen(c["muted"])
    labels = [(x, text) for x, text in ticks.major if left <= x <= right]
    sticky = ticks.sticky
    if sticky:
        sw = bfm.horizontalAdvance(sticky)
        sx = left + 2
        if labels and labels[0][0] - 4 < sx + sw + 12:
            sx = labels[0][0] - 4 - sw - 12  # pushed out by the next day, like a sticky header
        if sx >= left:  # a clipped fragment of a date reads as noise: show it whole or not at all
            p.drawText(QPointF(sx, row2), sticky)
    last_right = -1e9
    for x, text in labels:
        tw = bfm.horizontalAdvance(text)
        lx = x + 4
        if lx + tw > right:
            lx = right - tw
        if lx > last_right + 8:
            p.drawText(QPointF(lx, row2), text)
            last_right = lx + tw
    p.setPen(pen)
    if ticks.step >= DAY:
        return  # every tick is a midnight and its label is centred on it: a separator would cut through it
    # Midnight separators run under the hour labels only, so they never cut through one; each day name
    # starts just right of its midnight.
    y0, y1 = row1 + fm.descent() + 1, row2 + fm.descent()
    for x in (x_at(t) for t in ticks.midnights):
        if left <= x <= right:
            p.drawLine(QPointF(x, y0), QPointF(x, y1))
