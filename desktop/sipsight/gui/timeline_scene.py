"""What the timeline draws and where: its geometry (lane bands, titles, axis), the painting of the static layer
(cached in a QPixmap) and of the overlay (hover, selection, focus), and what the last paint drew (the hits)
for hover, click and tooltips.

The widget (`timeline.py`) owns a `TimelineScene` and asks it to paint; the view (times <-> x, selection)
is the Qt-free `TimelineViewport`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QWidget

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui.palette import OUTCOME_ORDER, draw_glyph, is_dark
from sipsight.gui.timeline_axis import DAY, Ticks, axis_height, compute_ticks, paint_axis
from sipsight.gui.timeline_layout import (
    COL_W,
    GLYPH_LIMIT,
    LANE_OTHER,
    LANE_THIS,
    LANE_TITLES,
    MORE,
    SLOT,
    Cluster,
    Lane,
    LaneHits,
    bars_image,
    cluster_rows,
    clusters,
    count_columns,
)
from sipsight.gui.timeline_strip import paint_strip, paint_strip_selection
from sipsight.gui.timeline_viewport import PAD_X, TimelineViewport

EMPTY_TEXT = "No call attempts in this window"
FILTERED_TEXT = "Every attempt is hidden by the outcome filter"

# Geometry in device-independent pixels.
TOP = 6.0
MIN_TITLE_H = 20.0  # the lane title's height at the default font; larger fonts get more (presenter mode)
BAND_MIN_H = 50.0  # three glyph rows (3 x 15 px) and a margin
BAND_SQUEEZED_H = 34.0  # two glyph rows
BAND_MAX_H = 96.0  # this number's lane: three glyph rows need no more
STRIP_MAX_H = 170.0  # the other calls' strip: taller bars read better, so it takes the height left over
LANE_GAP = 4.0
GLYPH = 13.0


@dataclass(frozen=True)
class Hit:
    """What is under a point: a lane, a cluster (or a dense column) in it, and the cluster's glyph row."""

    lane: int
    index: int
    row: int = 0


class TimelineScene:
    """The timeline's geometry, painting and hit testing, for `widget` showing `lanes` through `view`."""

    def __init__(self, widget: QWidget, lanes: list[Lane], view: TimelineViewport) -> None:
        self.widget = widget
        self.lanes = lanes
        self.view = view
        self.zone: tzinfo = UTC
        self.zone_label = "UTC"
        self.hits = [LaneHits(), LaneHits()]
        self._data_version = 0
        self._cache: QPixmap | None = None
        self._cache_key: tuple[object, ...] | None = None
        self._fonts: dict[tuple[str, str], QFont] = {}

    def invalidate(self) -> None:
        """The data or the filter changed: the static layer is painted again."""
        self._data_version += 1
        self._cache_key = None

    def drop_cache(self) -> None:
        """Paint the static layer again at the next paint (the palette, font or style changed)."""
        self._cache_key = None

    def empty_message(self) -> str:
        if not any(lane.all for lane in self.lanes):
            return EMPTY_TEXT
        return "" if any(lane.items for lane in self.lanes) else FILTERED_TEXT

    # ------------------------------------------------------------------ geometry
    def font(self, kind: str) -> QFont:
        """'small' (axis, counts), 'bold' (small, demi-bold) or 'title' (lane titles); cached per widget font."""
        key = (self.widget.font().key(), kind)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(self.widget.font())
            size = font.pointSizeF()
            if size > 0 and kind != "title":
                font.setPointSizeF(max(size * 0.88, 7.0))
            if kind != "small":
                font.setWeight(QFont.Weight.DemiBold if kind == "bold" else QFont.Weight.Bold)
            self._fonts[key] = font
        return font

    def title_height(self) -> float:
        """A lane title's row: 20 px, or what the title font needs (a larger font must not clip it)."""
        return max(MIN_TITLE_H, math.ceil(QFontMetricsF(self.font("title")).height() + 5))

    def chrome_height(self) -> float:
        """Everything but the two bands: the top margin, two titles, the gap, the axis and the bottom margin."""
        return TOP + 2 * self.title_height() + LANE_GAP + axis_height(QFontMetricsF(self.font("small"))) + 4

    def fixed_height(self, band_h: float) -> float:
        return self.chrome_height() + 2 * band_h

    def band_height(self, lane: int = LANE_THIS) -> float:
        # Bands take the spare height; squeezed below the minimum they shrink (to two glyph rows) rather
        # than push the time axis out of the widget. The strip gets what this number's lane does not need.
        free = self.widget.height() - self.chrome_height()
        this = min(max(free / 2, BAND_SQUEEZED_H), BAND_MAX_H)
        if lane == LANE_THIS:
            return this
        return min(max(free - this, BAND_SQUEEZED_H), STRIP_MAX_H)

    def lane_rect(self, lane: int) -> QRectF:
        """The lane's glyph band (below its title), in widget coordinates."""
        title_h = self.title_height()
        top = TOP + title_h + (lane * (self.band_height(LANE_THIS) + LANE_GAP + title_h))
        return QRectF(PAD_X - 6, top, self.widget.width() - 2 * PAD_X + 12, self.band_height(lane))

    def axis_top(self) -> float:
        return self.lane_rect(LANE_OTHER).bottom() + 4

    def ticks(self) -> Ticks:
        """Tick positions and labels for the current zoom, in the display time zone."""
        fm = QFontMetricsF(self.font("small"))
        view = self.view
        return compute_ticks(view.start, view.span, view.plot_width, self.zone, fm, view.x_at)

    # ------------------------------------------------------------------ the static layer
    def colors(self) -> dict[str, QColor]:
        pal = self.widget.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)

        def mix(a: QColor, b: QColor, f: float) -> QColor:
            return QColor.fromRgbF(
                a.redF() * (1 - f) + b.redF() * f,
                a.greenF() * (1 - f) + b.greenF() * f,
                a.blueF() * (1 - f) + b.blueF() * f,
            )

        return {
            "base": base,
            "text": text,
            "muted": mix(base, text, 0.62),
            "grid": mix(base, text, 0.10),
            "band": mix(base, text, 0.035),
            "alt": mix(base, text, 0.07),
            "frame": mix(base, text, 0.25),
            "highlight": pal.color(QPalette.ColorRole.Highlight),
        }

    def static_layer(self) -> QPixmap:
        """The cached static layer, re-rendered only when what it shows changed (this also refreshes the hits)."""
        w = self.widget
        self.view.width = float(w.width())
        dpr = w.devicePixelRatioF()
        key = (
            w.width(), w.height(), dpr, self.view.start, self.view.span, self._data_version,
            w.palette().cacheKey(), w.font().key(),
        )  # fmt: skip
        if key != self._cache_key or self._cache is None:
            self._cache = self._render_static(dpr)
            self._cache_key = key
        return self._cache

    def _render_static(self, dpr: float) -> QPixmap:
        pixmap = QPixmap(max(1, round(self.widget.width() * dpr)), max(1, round(self.widget.height() * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        try:
            self._paint_static(painter)
        finally:
            painter.end()
        return pixmap

    def _paint_static(self, p: QPainter) -> None:
        c = self.colors()
        w, h = float(self.widget.width()), float(self.widget.height())
        p.fillRect(QRectF(0, 0, w, h), c["base"])
        frame = QPen(c["frame"], 1.0)
        frame.setCosmetic(True)
        p.setPen(frame)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), 4, 4)
        self.hits = [LaneHits(), LaneHits()]

        has_any = any(lane.all for lane in self.lanes)
        ticks = self.ticks() if has_any else None
        for lane_no in (LANE_THIS, LANE_OTHER):
            self._paint_band(p, c, lane_no, ticks)
        notes = ["", ""]
        message = self.empty_message()
        if message:
            top = self.lane_rect(LANE_THIS).top()
            bottom = self.lane_rect(LANE_OTHER).bottom()
            p.setPen(c["muted"])
            p.setFont(self.widget.font())
            p.drawText(QRectF(0, top, w, bottom - top), Qt.AlignmentFlag.AlignCenter, message)
        else:
            dark = is_dark(self.widget)
            notes = [self._paint_lane_items(p, c, lane_no, dark) for lane_no in (LANE_THIS, LANE_OTHER)]
        for lane_no in (LANE_THIS, LANE_OTHER):
            self._paint_title(p, c, lane_no, notes[lane_no], show_tz=ticks is not None and lane_no == LANE_THIS)
        if ticks is not None:
            paint_axis(
                p,
                c,
                ticks,
                top=self.axis_top(),
                width=self.widget.width(),
                pad_x=PAD_X,
                font=self.font("small"),
                bold=self.font("bold"),
                x_at=self.view.x_at,
            )

    def _paint_title(self, p: QPainter, c: dict[str, QColor], lane_no: int, note: str, show_tz: bool) -> None:
        band = self.lane_rect(lane_no)
        lane = self.lanes[lane_no]
        title_h = self.title_height()
        title_rect = QRectF(PAD_X - 4, band.top() - title_h, band.width() - 4, title_h - 3)
        bottom_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        title_font = self.font("title")
        p.setFont(title_font)
        p.setPen(c["text"])
        p.drawText(title_rect, bottom_left, LANE_TITLES[lane_no])
        title_w = QFontMetricsF(title_font).horizontalAdvance(LANE_TITLES[lane_no])
        shown, total = len(lane.items), len(lane.all)
        count = f"{total} call{'s' if total != 1 else ''}" if shown == total else f"{shown} of {total} calls shown"
        if note:
            count += f"  ·  {note}"
        p.setFont(self.font("small"))
        p.setPen(c["muted"])
        fm = QFontMetricsF(self.font("small"))
        right_text = self.zone_label if show_tz else ""
        room = title_rect.width() - title_w - 8 - (fm.horizontalAdvance(right_text) + 12 if right_text else 0)
        p.drawText(
            title_rect.adjusted(title_w + 8, 0, 0, 0),
            bottom_left,
            fm.elidedText(count, Qt.TextElideMode.ElideRight, room),
        )
        if right_text:
            p.drawText(title_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, right_text)

    def _paint_band(self, p: QPainter, c: dict[str, QColor], lane_no: int, ticks: Ticks | None) -> None:
        band = self.lane_rect(lane_no)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c["band"])
        p.drawRoundedRect(band, 3, 3)
        if ticks is None:
            return
        view = self.view
        if view.span <= 120 * DAY:
            # Every other local day gets a faint tint: days read at a glance.
            inside = [x for x in (view.x_at(t) for t in ticks.midnights) if band.left() < x < band.right()]
            edges = [band.left(), *inside, band.right()]
            first_day = datetime.fromtimestamp(view.t_at(band.left()), self.zone).date().toordinal()
            p.setBrush(c["alt"])
            for k in range(len(edges) - 1):
                if (first_day + k) % 2 == 1:
                    p.drawRect(QRectF(edges[k], band.top(), edges[k + 1] - edges[k], band.height()))
        grid = QPen(c["grid"], 1.0)
        grid.setCosmetic(True)
        p.setPen(grid)
        for x, _label in ticks.minor:
            if band.left() < x < band.right():
                p.drawLine(QPointF(x, band.top()), QPointF(x, band.bottom()))

    # ------------------------------------------------------------------ lane content
    def _paint_lane_items(self, p: QPainter, c: dict[str, QColor], lane_no: int, dark: bool) -> str:
        """Paint one lane's attempts; returns a note for the lane title (how to read dense bars)."""
        lane = self.lanes[lane_no]
        band = self.lane_rect(lane_no)
        p.save()
        p.setClipRect(band.adjusted(-2, -2, 2, 2))
        i0, i1 = self.view.visible_slice(lane.times, SLOT)
        note = ""
        if lane_no == LANE_OTHER:
            note = paint_strip(self, p, c, lane_no, dark)
        elif i1 - i0 > GLYPH_LIMIT:
            peak = self._paint_dense(p, lane_no, dark)
            note = f"bars: up to {peak} calls each" if peak > 1 else ""
        else:
            scale = self.view.plot_width / self.view.span
            found = clusters(lane.times, i0, i1, PAD_X - self.view.start * scale, scale)
            self._paint_clusters(p, c, lane_no, found, dark)
        p.restore()
        return note

    def _paint_clusters(
        self, p: QPainter, c: dict[str, QColor], lane_no: int, found: list[Cluster], dark: bool
    ) -> None:
        lane = self.lanes[lane_no]
        band = self.lane_rect(lane_no)
        cy = band.center().y()
        pitch = GLYPH + 2
        max_rows = int(min(3, max(1, (band.height() - 4) // pitch)))
        count_font = self.font("bold")
        fm = QFontMetricsF(count_font)
        p.setFont(count_font)
        for cluster in found:
            entries = cluster_rows(lane.counts(cluster.members), max_rows)
            n_rows = len(entries)
            cluster.rows = [(o, cy + (k - (n_rows - 1) / 2) * pitch, n) for k, (o, n) in enumerate(entries)]
            for o, y, n in cluster.rows:
                if o == MORE:
                    p.setPen(c["muted"])
                    p.drawText(QPointF(cluster.x - GLYPH / 2, y + fm.capHeight() / 2), f"+{n}")
                    continue
                draw_glyph(p, OUTCOME_ORDER[o], QPointF(cluster.x, y), GLYPH, dark, outline=c["base"])
                if n > 1:
                    p.setPen(c["text"])
                    p.drawText(QPointF(cluster.x + GLYPH / 2 + 4, y + fm.capHeight() / 2), str(n))
        hits = self.hits[lane_no]
        hits.dense = False
        hits.clusters = found
        hits.xs = [cl.x for cl in found]

    def _paint_dense(self, p: QPainter, lane_no: int, dark: bool) -> int:
        """A histogram of stacked bars, one per 3 px column, counted by bisect per outcome class."""
        lane = self.lanes[lane_no]
        band = self.lane_rect(lane_no)
        plot_w = self.view.plot_width
        ncols = max(1, math.ceil(plot_w / COL_W))
        col_dt = self.view.span * COL_W / plot_w
        hits = self.hits[lane_no]
        peak = count_columns(lane, hits, self.view.start, col_dt, ncols)
        hits.col_x0, hits.col_w = PAD_X, COL_W
        if not peak:
            return 0
        device = p.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        height_px = max(1, int((band.height() - 8) * dpr))
        image, _pixels, rows_per_col = bars_image(hits, peak, height_px, dpr, dark)
        p.save()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        # image x (bar height, device px) -> up from the band's bottom; image y (columns) -> right along the plot
        p.setTransform(QTransform(0, -1 / dpr, COL_W / rows_per_col, 0, PAD_X, band.bottom() - 4), True)
        p.drawImage(QPointF(0, 0), image)
        p.restore()
        return peak

    def bucket_rect(self, lane_no: int, k: int) -> QRectF:
        """The band's slice of bucket (or dense column) k."""
        hits = self.hits[lane_no]
        band = self.lane_rect(lane_no)
        return QRectF(hits.col_x0 + k * hits.col_w, band.top() + 1, hits.col_w, band.height() - 2)

    # ------------------------------------------------------------------ overlay
    def selected_point(self, attempt_id: str | None) -> tuple[int, QPointF, OutcomeClass] | None:
        """Where the selected attempt's glyph is drawn (its row within a cluster): lane, point, outcome."""
        found = self.view.find(attempt_id) if attempt_id is not None else None
        if found is None:
            return None
        lane_no, i = found
        lane = self.lanes[lane_no]
        attempt = lane.items[i]
        x = self.view.x_at(lane.times[i])
        y = self.lane_rect(lane_no).center().y()
        hits = self.hits[lane_no]
        if not hits.dense and hits.clusters:
            k = bisect_right(hits.xs, x + 0.01) - 1
            if k >= 0 and i in hits.clusters[k].members:
                rows = hits.clusters[k].rows
                y = next((yy for o, yy, _n in rows if o == lane.outcomes[i]), rows[-1][1])
        return lane_no, QPointF(x, y), attempt.outcome

    def paint_overlay(self, p: QPainter, hover: Hit | None, selected: str | None, focused: bool) -> None:
        """The hover ring, the selection (ring and line) and the focus frame, over the static layer."""
        c = self.colors()
        dark = is_dark(self.widget)
        point = self._hover_shape(hover) if hover is not None else None
        if point is not None:
            pen = QPen(c["muted"], 1.5)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            if isinstance(point, QRectF):
                p.drawRect(point)
            else:
                p.drawEllipse(point, GLYPH * 0.78, GLYPH * 0.78)
        sel = self.selected_point(selected)
        if sel is not None and self.hits[sel[0]].buckets:
            paint_strip_selection(self, p, c, *sel, dark)
        elif sel is not None:
            lane_no, at, outcome = sel
            band = self.lane_rect(lane_no)
            if band.left() - 2 <= at.x() <= band.right() + 2:
                line = QPen(c["highlight"], 1.0)
                line.setCosmetic(True)
                p.setPen(line)
                p.drawLine(QPointF(at.x(), band.top() + 2), QPointF(at.x(), band.bottom() - 2))
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(c["base"])
                p.drawEllipse(at, GLYPH * 0.78, GLYPH * 0.78)
                draw_glyph(p, outcome, at, GLYPH, dark, outline=c["base"])
                ring = QPen(c["highlight"], 2.0)
                ring.setCosmetic(True)
                p.setPen(ring)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawEllipse(at, GLYPH * 0.78, GLYPH * 0.78)
        if focused:
            focus = QPen(c["highlight"], 2.0)
            focus.setCosmetic(True)
            p.setPen(focus)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(1, 1, self.widget.width() - 2, self.widget.height() - 2), 4, 4)

    def _hover_shape(self, hover: Hit) -> QPointF | QRectF | None:
        hits = self.hits[hover.lane]
        band = self.lane_rect(hover.lane)
        if hits.dense:
            x = hits.col_x0 + hover.index * hits.col_w
            return QRectF(x - 1, band.top() + 2, hits.col_w + 2, band.height() - 4)
        if 0 <= hover.index < len(hits.clusters) and 0 <= hover.row < len(hits.clusters[hover.index].rows):
            cluster = hits.clusters[hover.index]
            return QPointF(cluster.x, cluster.rows[hover.row][1])
        return None

    # ------------------------------------------------------------------ hit testing
    def lane_at(self, pos: QPointF) -> int | None:
        for lane_no in (LANE_THIS, LANE_OTHER):
            if self.lane_rect(lane_no).adjusted(0, -4, 0, 4).contains(pos):
                return lane_no
        return None

    def hit(self, pos: QPointF) -> Hit | None:
        """The cluster glyph or dense column under pos, by bisect over what the last paint drew."""
        self.static_layer()
        lane_no = self.lane_at(pos)
        if lane_no is None:
            return None
        hits = self.hits[lane_no]
        if hits.dense:
            k = hits.column_at(pos.x())
            # Thin columns are hard to hit: accept the nearest non-empty neighbour.
            for dk in (0, -1, 1, -2, 2):
                if 0 <= k + dk < len(hits.col_totals) and hits.col_totals[k + dk]:
                    return Hit(lane_no, k + dk)
            return None
        if not hits.xs:
            return None
        j = bisect_left(hits.xs, pos.x())
        best, best_d = None, (GLYPH * 0.5 + 4) ** 2
        for k in (j - 1, j):
            if 0 <= k < len(hits.clusters):
                for row, (_o, y, _n) in enumerate(hits.clusters[k].rows):
                    d = (hits.clusters[k].x - pos.x()) ** 2 + (y - pos.y()) ** 2
                    if d <= best_d:
                        best, best_d = Hit(lane_no, k, row), d
        return best

    def members(self, hit: Hit) -> list[int]:
        """Indices (into the lane's items) of the attempts a hit stands for."""
        hits = self.hits[hit.lane]
        lane = self.lanes[hit.lane]
        if hits.dense:
            lo = hits.col_t0 + hit.index * hits.col_dt
            return list(range(bisect_left(lane.times, lo), bisect_left(lane.times, lo + hits.col_dt)))
        cluster = hits.clusters[hit.index]
        outcome = cluster.rows[hit.row][0]
        if outcome == MORE:
            shown = {o for o, _y, _n in cluster.rows}
            return [i for i in cluster.members if lane.outcomes[i] not in shown]
        return [i for i in cluster.members if lane.outcomes[i] == outcome]

    def attempt_at(self, pos: QPointF) -> Attempt | None:
        """The attempt under pos: within a glyph or column, the one nearest in time to the pointer."""
        hit = self.hit(pos)
        members = self.members(hit) if hit is not None else []
        if hit is None or not members:
            return None
        lane = self.lanes[hit.lane]
        t = self.view.t_at(pos.x())
        i = min(members, key=lambda m: abs(lane.times[m] - t))
        return lane.items[i]
