"""The SIP outcome timeline: every call attempt on a time axis, in two lanes, coloured and shaped by outcome.

Lane 0 "This number" holds the attempts to the destination; lane 1 "Your other calls" holds the same
caller ID's calls to other numbers, so an agent sees at a glance whether only this number fails.

Public API (TimelineWidget):
    set_attempts(attempts, other_attempts=(), tz="local")   tz: an IANA name ("Europe/Berlin", "UTC") or "local"
    clear()
    selected_id() -> str | None;  select(attempt_id | None)  (programmatic: does not emit attempt_selected)
    zoom_to_fit();  zoom_by(factor, anchor_x=None);  set_view(start: datetime, end: datetime)
    set_hidden_outcomes(set[OutcomeClass])  (the legend's filter_changed feeds this)
    set_mask_numbers(bool)                  (presenter mode: numbers masked in tooltips)
    lane_rect(lane) -> QRectF; x_for_time(datetime) -> float     (geometry, for tests and overlays)
    empty_message() -> str ("" or the empty-state text);  attempt_tooltip(attempt) -> str (rich text)
    signals: attempt_selected(str id; "" when the user clears the selection), attempt_activated(str id)

Interaction: click selects (ring), double click or Enter activates, drag / wheel / Shift+wheel pans,
Ctrl+wheel and +/- zoom around the cursor, 0 or F fits, Left/Right move the selection within its lane
(or pan when nothing is selected), Up/Down switch lane, Home/End jump to the lane's first/last attempt,
Esc clears the selection.

Speed: each lane keeps its attempts sorted with their times in an array (bisect for the visible range,
for hover and for keyboard moves). The static layer (background, axis, glyphs, dense bars) is cached in a
QPixmap keyed by size, view, device pixel ratio, palette and data; hover, selection and the focus frame
are painted on top. When glyphs would overlap they are grouped into clusters with counts, and when a lane
is dense it becomes a histogram of stacked bars (one per 3 px column, counted by bisect, never per item).

Modules: this one is the widget (geometry, painting, hit testing, input); timeline_layout.py holds the lanes,
clustering and dense-bar counting; timeline_axis.py the tick steps, labels and axis painting; timeline_text.py
the formatting and tooltips (shared with the attempts table).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui.palette import OUTCOME_ORDER, draw_glyph, is_dark, outcome_label
from sipsight.gui.timeline_axis import DAY, HOUR, MINUTE, axis_height, compute_ticks, paint_axis
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
from sipsight.gui.timeline_text import (
    attempt_tooltip,
    format_number,
    format_seconds,
    group_tooltip,
    resolve_tz,
    sip_reason_name,
    sip_text,
)

# Re-exported: the timeline's public names, as the app, the training window and the tests import them.
__all__ = [
    "EMPTY_TEXT",
    "FILTERED_TEXT",
    "LANE_OTHER",
    "LANE_THIS",
    "LANE_TITLES",
    "TimelineWidget",
    "format_number",
    "format_seconds",
    "resolve_tz",
    "sip_reason_name",
    "sip_text",
]

EMPTY_TEXT = "No call attempts in this window"
FILTERED_TEXT = "Every attempt is hidden by the outcome filter"

# Geometry in device-independent pixels.
_PAD_X = 14.0  # plot inset, so a glyph on the first/last instant is whole
_TOP = 6.0
_MIN_TITLE_H = 20.0  # the lane title's height at the default font; larger fonts get more (presenter mode)
_BAND_MIN_H = 50.0  # three glyph rows (3 x 15 px) and a margin
_BAND_SQUEEZED_H = 34.0  # two glyph rows
_BAND_MAX_H = 96.0
_LANE_GAP = 4.0
_GLYPH = 13.0
_MIN_SPAN = 60.0
_MAX_SPAN = 5 * 366 * 86400.0


class TimelineWidget(QWidget):
    attempt_selected = Signal(str)
    attempt_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lanes = [Lane(), Lane()]
        self._index: dict[str, tuple[int, Attempt]] = {}
        self._hidden: set[OutcomeClass] = set()
        self._tz_name = "local"
        self._tz, self._tz_label = resolve_tz("local")
        self._view_start = 0.0
        self._view_span = float(DAY)
        self._fitted = True
        self._selected: str | None = None
        self._lane_cursor = LANE_THIS
        self._hover: tuple[int, int, int] | None = None  # (lane, cluster index or column, outcome row)
        self._mask_numbers = False
        self._data_version = 0
        self._cache: QPixmap | None = None
        self._cache_key: tuple | None = None
        self._hits = [LaneHits(), LaneHits()]
        self._fonts: dict[tuple[str, str], QFont] = {}
        self._press: QPointF | None = None
        self._press_view = 0.0
        self._dragging = False

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Call outcome timeline")
        self._update_accessible_description()

    # ------------------------------------------------------------------ public API

    def set_attempts(
        self, attempts: Sequence[Attempt], other_attempts: Sequence[Attempt] = (), tz: str = "local"
    ) -> None:
        """Show these attempts (lane 0) and the caller's other calls (lane 1), then fit the view."""
        self._tz_name = tz
        self._tz, self._tz_label = resolve_tz(tz)
        self._index = {}
        for lane_no, source in ((LANE_THIS, attempts), (LANE_OTHER, other_attempts)):
            lane = self._lanes[lane_no]
            lane.all = sorted(source, key=lambda a: a.start_time)
            lane.apply_filter(self._hidden)
            for attempt in lane.all:
                self._index[attempt.id] = (lane_no, attempt)
        if self._selected not in self._index:
            self._selected = None
        self._hover = None
        self._data_changed()
        self.zoom_to_fit()

    def clear(self) -> None:
        self.set_attempts((), (), tz=self._tz_name)

    def empty_message(self) -> str:
        """The empty-state text shown instead of attempts ("" when there are attempts to show)."""
        if not any(lane.all for lane in self._lanes):
            return EMPTY_TEXT
        return "" if any(lane.items for lane in self._lanes) else FILTERED_TEXT

    def attempt(self, attempt_id: str) -> Attempt | None:
        found = self._index.get(attempt_id)
        return found[1] if found else None

    def selected_id(self) -> str | None:
        return self._selected

    def select(self, attempt_id: str | None) -> None:
        """Select (and scroll to) an attempt; None or an unknown/hidden id clears. Does not emit."""
        if attempt_id is not None and self._find_visible(attempt_id) is None:
            attempt_id = None
        if attempt_id == self._selected:
            return
        self._selected = attempt_id
        if attempt_id is not None:
            lane_no, _ = self._index[attempt_id]
            self._lane_cursor = lane_no
            self._ensure_visible(self._index[attempt_id][1].start_time.timestamp())
        self.update()

    def set_hidden_outcomes(self, hidden: Iterable[OutcomeClass]) -> None:
        """Hide attempts of these classes (the legend's filter). A hidden selected attempt is deselected."""
        hidden = set(hidden)
        if hidden == self._hidden:
            return
        self._hidden = hidden
        for lane in self._lanes:
            lane.apply_filter(hidden)
        if self._selected is not None and self._find_visible(self._selected) is None:
            self._selected = None
        self._hover = None
        self._data_changed()

    def hidden_outcomes(self) -> set[OutcomeClass]:
        return set(self._hidden)

    def set_mask_numbers(self, masked: bool) -> None:
        self._mask_numbers = bool(masked)

    def zoom_to_fit(self) -> None:
        """Show every visible attempt (all attempts when the filter hides them all)."""
        extent = self._data_extent()
        if extent is None:
            stamps = [a.start_time.timestamp() for lane in self._lanes for a in lane.all]
            extent = (min(stamps), max(stamps)) if stamps else None
        if extent is None:
            self._set_view(datetime.now(UTC).timestamp() - DAY, float(DAY), clamp=False, fitted=True)
            return
        lo, hi = extent
        span = hi - lo
        if span < 30 * MINUTE:  # one attempt or a burst: show the hour around it
            self._set_view((lo + hi) / 2 - 30 * MINUTE, float(HOUR), clamp=False, fitted=True)
            return
        # Pad so the first and last glyphs (and a count beside them) are whole.
        plot_w = max(self._plot_width() - 2 * SLOT, 50.0)
        pad = span * (SLOT / plot_w)
        self._set_view(lo - pad, span + 2 * pad, clamp=False, fitted=True)

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """factor > 1 zooms in, around anchor_x (widget x; default: the middle of the plot)."""
        if anchor_x is None:
            anchor_x = _PAD_X + self._plot_width() / 2
        anchor_t = self._t_at(anchor_x)
        span = min(max(self._view_span / factor, _MIN_SPAN), self._max_span())
        frac = (anchor_x - _PAD_X) / self._plot_width()
        self._set_view(anchor_t - frac * span, span)

    def set_view(self, start: datetime, end: datetime) -> None:
        self._set_view(start.timestamp(), max(end.timestamp() - start.timestamp(), _MIN_SPAN), clamp=False)

    def view_range(self) -> tuple[datetime, datetime]:
        return (
            datetime.fromtimestamp(self._view_start, UTC),
            datetime.fromtimestamp(self._view_start + self._view_span, UTC),
        )

    def lane_rect(self, lane: int) -> QRectF:
        """The lane's glyph band (below its title), in widget coordinates."""
        band_h = self._band_height()
        title_h = self._title_height()
        top = _TOP + title_h + lane * (band_h + _LANE_GAP + title_h)
        return QRectF(_PAD_X - 6, top, self.width() - 2 * _PAD_X + 12, band_h)

    def x_for_time(self, when: datetime) -> float:
        return self._x_at(when.timestamp())

    def sizeHint(self) -> QSize:
        return QSize(520, int(self._fixed_height(_BAND_MIN_H)))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, int(self._fixed_height(_BAND_SQUEEZED_H)))

    # ------------------------------------------------------------------ geometry

    def _title_height(self) -> float:
        """A lane title's row: 20 px, or what the title font needs (a larger font must not clip it)."""
        return max(_MIN_TITLE_H, math.ceil(QFontMetricsF(self._font("title")).height() + 5))

    def _axis_height(self) -> float:
        return axis_height(QFontMetricsF(self._font("small")))

    def _chrome_height(self) -> float:
        """Everything but the two bands: the top margin, two titles, the gap, the axis and the bottom margin."""
        return _TOP + 2 * self._title_height() + _LANE_GAP + self._axis_height() + 4

    def _fixed_height(self, band_h: float) -> float:
        return self._chrome_height() + 2 * band_h

    def _band_height(self) -> float:
        # Bands take the spare height; squeezed below the minimum they shrink (to two glyph rows) rather
        # than push the time axis out of the widget.
        free = self.height() - self._chrome_height()
        return min(max(free / 2, _BAND_SQUEEZED_H), _BAND_MAX_H)

    def _axis_top(self) -> float:
        return self.lane_rect(LANE_OTHER).bottom() + 4

    def _plot_width(self) -> float:
        return max(self.width() - 2 * _PAD_X, 1.0)

    def _x_at(self, t: float) -> float:
        return _PAD_X + (t - self._view_start) / self._view_span * self._plot_width()

    def _t_at(self, x: float) -> float:
        return self._view_start + (x - _PAD_X) / self._plot_width() * self._view_span

    def _max_span(self) -> float:
        extent = self._data_extent()
        if extent is None:
            return _MAX_SPAN
        return min(max((extent[1] - extent[0]) * 4, 2 * DAY), _MAX_SPAN)

    def _data_extent(self) -> tuple[float, float] | None:
        lanes = [lane.times for lane in self._lanes if lane.times]
        if not lanes:
            return None
        return min(t[0] for t in lanes), max(t[-1] for t in lanes)

    def _set_view(self, start: float, span: float, clamp: bool = True, fitted: bool = False) -> None:
        # A fitted view stays fitted when the widget is resized; any zoom or pan ends that.
        self._fitted = fitted
        span = min(max(span, _MIN_SPAN), _MAX_SPAN)
        extent = self._data_extent()
        if clamp and extent is not None:
            # Keep at least a tenth of the view on the data, so panning never loses it entirely.
            start = min(max(start, extent[0] - span * 0.9), extent[1] - span * 0.1)
        if (start, span) != (self._view_start, self._view_span):
            self._view_start, self._view_span = start, span
            self._hover = None
            self.update()

    def _ensure_visible(self, t: float) -> None:
        x = self._x_at(t)
        margin = min(self._plot_width() * 0.1, 40.0)
        if x < _PAD_X + margin:
            self._set_view(
                self._view_start - (_PAD_X + margin - x) / self._plot_width() * self._view_span, self._view_span
            )
        elif x > self.width() - _PAD_X - margin:
            shift = (x - (self.width() - _PAD_X - margin)) / self._plot_width() * self._view_span
            self._set_view(self._view_start + shift, self._view_span)

    # ------------------------------------------------------------------ data helpers

    def _data_changed(self) -> None:
        self._data_version += 1
        self._cache_key = None
        self._update_accessible_description()
        self.update()

    def _invalidate_cache(self) -> None:
        self._cache_key = None

    def _find_visible(self, attempt_id: str) -> tuple[int, int] | None:
        """(lane, index in the lane's filtered items) of a visible attempt, found by bisect on its time."""
        found = self._index.get(attempt_id)
        if found is None:
            return None
        lane_no, attempt = found
        lane = self._lanes[lane_no]
        t = attempt.start_time.timestamp()
        i = bisect_left(lane.times, t)
        while i < len(lane.items) and lane.times[i] == t:
            if lane.items[i].id == attempt_id:
                return lane_no, i
            i += 1
        return None

    def _update_accessible_description(self) -> None:
        parts = []
        for lane_no, title in enumerate(LANE_TITLES):
            lane = self._lanes[lane_no]
            counts = lane.counts()
            summary = ", ".join(f"{n} {outcome_label(OUTCOME_ORDER[o]).lower()}" for o, n in sorted(counts.items()))
            parts.append(f"{title}: {len(lane.items)} attempts" + (f" ({summary})" if summary else ""))
        if self.empty_message():
            parts = [self.empty_message()]
        self.setAccessibleDescription(
            "; ".join(parts) + ". Arrow keys move between attempts, plus and minus zoom, F fits, Enter opens."
        )

    # ------------------------------------------------------------------ painting

    def _colors(self) -> dict[str, QColor]:
        pal = self.palette()
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

    def _ensure_static(self) -> QPixmap:
        """The cached static layer, re-rendered only when what it shows changed (this also refreshes hits)."""
        dpr = self.devicePixelRatioF()
        key = (
            self.width(), self.height(), dpr, self._view_start, self._view_span, self._data_version,
            self.palette().cacheKey(), self.font().key(),
        )  # fmt: skip
        if key != self._cache_key or self._cache is None:
            self._cache = self._render_static(dpr)
            self._cache_key = key
        return self._cache

    def paintEvent(self, event: QPaintEvent) -> None:
        self._ensure_static()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._cache)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_overlay(painter)
        painter.end()

    def _render_static(self, dpr: float) -> QPixmap:
        pixmap = QPixmap(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        try:
            self._paint_static(painter)
        finally:
            painter.end()
        return pixmap

    def _font(self, kind: str) -> QFont:
        """'small' (axis, counts), 'bold' (small, demi-bold) or 'title' (lane titles); cached per widget font."""
        key = (self.font().key(), kind)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(self.font())
            size = font.pointSizeF()
            if size > 0 and kind != "title":
                font.setPointSizeF(max(size * 0.88, 7.0))
            if kind != "small":
                font.setWeight(QFont.Weight.DemiBold if kind == "bold" else QFont.Weight.Bold)
            self._fonts[key] = font
        return font

    def _paint_static(self, p: QPainter) -> None:
        c = self._colors()
        w, h = float(self.width()), float(self.height())
        p.fillRect(QRectF(0, 0, w, h), c["base"])
        frame = QPen(c["frame"], 1.0)
        frame.setCosmetic(True)
        p.setPen(frame)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), 4, 4)
        self._hits = [LaneHits(), LaneHits()]

        has_any = any(lane.all for lane in self._lanes)
        ticks = self._ticks() if has_any else None
        for lane_no in (LANE_THIS, LANE_OTHER):
            self._paint_band(p, c, lane_no, ticks)
        notes = ["", ""]
        message = self.empty_message()
        if message:
            top = self.lane_rect(LANE_THIS).top()
            bottom = self.lane_rect(LANE_OTHER).bottom()
            p.setPen(c["muted"])
            p.setFont(self.font())
            p.drawText(QRectF(0, top, w, bottom - top), Qt.AlignmentFlag.AlignCenter, message)
        else:
            dark = is_dark(self)
            notes = [self._paint_lane_items(p, c, lane_no, dark) for lane_no in (LANE_THIS, LANE_OTHER)]
        for lane_no in (LANE_THIS, LANE_OTHER):
            self._paint_title(p, c, lane_no, notes[lane_no], show_tz=ticks is not None and lane_no == LANE_THIS)
        if ticks is not None:
            self._paint_axis(p, c, ticks)

    def _paint_title(self, p: QPainter, c: dict[str, QColor], lane_no: int, note: str, show_tz: bool) -> None:
        band = self.lane_rect(lane_no)
        lane = self._lanes[lane_no]
        title_h = self._title_height()
        title_rect = QRectF(_PAD_X - 4, band.top() - title_h, band.width() - 4, title_h - 3)
        bottom_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        title_font = self._font("title")
        p.setFont(title_font)
        p.setPen(c["text"])
        p.drawText(title_rect, bottom_left, LANE_TITLES[lane_no])
        title_w = QFontMetricsF(title_font).horizontalAdvance(LANE_TITLES[lane_no])
        shown, total = len(lane.items), len(lane.all)
        count = f"{total} call{'s' if total != 1 else ''}" if shown == total else f"{shown} of {total} calls shown"
        if note:
            count += f"  ·  {note}"
        p.setFont(self._font("small"))
        p.setPen(c["muted"])
        fm = QFontMetricsF(self._font("small"))
        right_text = self._tz_label if show_tz else ""
        room = title_rect.width() - title_w - 8 - (fm.horizontalAdvance(right_text) + 12 if right_text else 0)
        p.drawText(
            title_rect.adjusted(title_w + 8, 0, 0, 0),
            bottom_left,
            fm.elidedText(count, Qt.TextElideMode.ElideRight, room),
        )
        if right_text:
            p.drawText(title_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, right_text)

    def _paint_band(self, p: QPainter, c: dict[str, QColor], lane_no: int, ticks) -> None:
        band = self.lane_rect(lane_no)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c["band"])
        p.drawRoundedRect(band, 3, 3)
        if ticks is None:
            return
        if self._view_span <= 120 * DAY:
            # Every other local day gets a faint tint: days read at a glance.
            inside = [x for x in (self._x_at(t) for t in ticks["midnights"]) if band.left() < x < band.right()]
            edges = [band.left(), *inside, band.right()]
            first_day = datetime.fromtimestamp(self._t_at(band.left()), self._tz).date().toordinal()
            p.setBrush(c["alt"])
            for k in range(len(edges) - 1):
                if (first_day + k) % 2 == 1:
                    p.drawRect(QRectF(edges[k], band.top(), edges[k + 1] - edges[k], band.height()))
        grid = QPen(c["grid"], 1.0)
        grid.setCosmetic(True)
        p.setPen(grid)
        for x, _label in ticks["minor"]:
            if band.left() < x < band.right():
                p.drawLine(QPointF(x, band.top()), QPointF(x, band.bottom()))

    # --------------------------------------------------------- lane content

    def _visible_slice(self, lane: Lane, margin_px: float) -> tuple[int, int]:
        lo = self._t_at(_PAD_X - margin_px)
        hi = self._t_at(self.width() - _PAD_X + margin_px)
        return bisect_left(lane.times, lo), bisect_right(lane.times, hi)

    def _clusters(self, lane: Lane, i0: int, i1: int) -> list[Cluster]:
        scale = self._plot_width() / self._view_span
        return clusters(lane.times, i0, i1, _PAD_X - self._view_start * scale, scale)

    def _paint_lane_items(self, p: QPainter, c: dict[str, QColor], lane_no: int, dark: bool) -> str:
        """Paint one lane's attempts; returns a note for the lane title (how to read dense bars)."""
        lane = self._lanes[lane_no]
        band = self.lane_rect(lane_no)
        p.save()
        p.setClipRect(band.adjusted(-2, -2, 2, 2))
        i0, i1 = self._visible_slice(lane, SLOT)
        note = ""
        if i1 - i0 > GLYPH_LIMIT:
            peak = self._paint_dense(p, c, lane_no, dark)
            note = f"bars: up to {peak} calls each" if peak > 1 else ""
        else:
            self._paint_clusters(p, c, lane_no, self._clusters(lane, i0, i1), dark)
        p.restore()
        return note

    def _paint_clusters(
        self, p: QPainter, c: dict[str, QColor], lane_no: int, clusters: list[Cluster], dark: bool
    ) -> None:
        lane = self._lanes[lane_no]
        band = self.lane_rect(lane_no)
        cy = band.center().y()
        pitch = _GLYPH + 2
        max_rows = int(min(3, max(1, (band.height() - 4) // pitch)))
        count_font = self._font("bold")
        fm = QFontMetricsF(count_font)
        p.setFont(count_font)
        for cluster in clusters:
            entries = cluster_rows(lane.counts(cluster.members), max_rows)
            n_rows = len(entries)
            cluster.rows = [(o, cy + (k - (n_rows - 1) / 2) * pitch, n) for k, (o, n) in enumerate(entries)]
            for o, y, n in cluster.rows:
                if o == MORE:
                    p.setPen(c["muted"])
                    text = f"+{n}"
                    p.drawText(QPointF(cluster.x - _GLYPH / 2, y + fm.capHeight() / 2), text)
                    continue
                draw_glyph(p, OUTCOME_ORDER[o], QPointF(cluster.x, y), _GLYPH, dark, outline=c["base"])
                if n > 1:
                    p.setPen(c["text"])
                    p.drawText(QPointF(cluster.x + _GLYPH / 2 + 4, y + fm.capHeight() / 2), str(n))
        hits = self._hits[lane_no]
        hits.dense = False
        hits.clusters = clusters
        hits.xs = [cl.x for cl in clusters]

    def _paint_dense(self, p: QPainter, c: dict[str, QColor], lane_no: int, dark: bool) -> int:
        """A histogram of stacked bars, one per 3 px column, counted by bisect per outcome class."""
        lane = self._lanes[lane_no]
        band = self.lane_rect(lane_no)
        plot_w = self._plot_width()
        ncols = max(1, math.ceil(plot_w / COL_W))
        col_dt = self._view_span * COL_W / plot_w
        hits = self._hits[lane_no]
        peak = count_columns(lane, hits, self._view_start, col_dt, ncols)
        if not peak:
            return 0
        dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        height_px = max(1, int((band.height() - 8) * dpr))
        image, _pixels, rows_per_col = bars_image(hits, peak, height_px, dpr, dark)
        p.save()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        # image x (bar height, device px) -> up from the band's bottom; image y (columns) -> right along the plot
        p.setTransform(QTransform(0, -1 / dpr, COL_W / rows_per_col, 0, _PAD_X, band.bottom() - 4), True)
        p.drawImage(QPointF(0, 0), image)
        p.restore()
        return peak

    # --------------------------------------------------------- axis

    def _ticks(self) -> dict:
        """Tick positions and labels for the current zoom, in the display time zone."""
        fm = QFontMetricsF(self._font("small"))
        return compute_ticks(self._view_start, self._view_span, self._plot_width(), self._tz, fm, self._x_at)

    def _paint_axis(self, p: QPainter, c: dict[str, QColor], ticks: dict) -> None:
        paint_axis(
            p,
            c,
            ticks,
            top=self._axis_top(),
            width=self.width(),
            pad_x=_PAD_X,
            font=self._font("small"),
            bold=self._font("bold"),
            x_at=self._x_at,
        )

    # --------------------------------------------------------- overlay

    def _selected_point(self) -> tuple[int, QPointF, OutcomeClass] | None:
        if self._selected is None:
            return None
        found = self._find_visible(self._selected)
        if found is None:
            return None
        lane_no, i = found
        lane = self._lanes[lane_no]
        attempt = lane.items[i]
        x = self._x_at(lane.times[i])
        band = self.lane_rect(lane_no)
        y = band.center().y()
        hits = self._hits[lane_no]
        if not hits.dense and hits.clusters:
            k = bisect_right(hits.xs, x + 0.01) - 1
            if k >= 0 and i in hits.clusters[k].members:
                rows = hits.clusters[k].rows
                y = next((yy for o, yy, _n in rows if o == lane.outcomes[i]), rows[-1][1])
        return lane_no, QPointF(x, y), attempt.outcome

    def _paint_overlay(self, p: QPainter) -> None:
        c = self._colors()
        dark = is_dark(self)
        if self._hover is not None:
            point = self._hover_point()
            if point is not None:
                pen = QPen(c["muted"], 1.5)
                pen.setCosmetic(True)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                if isinstance(point, QRectF):
                    p.drawRect(point)
                else:
                    p.drawEllipse(point, _GLYPH * 0.78, _GLYPH * 0.78)
        sel = self._selected_point()
        if sel is not None:
            lane_no, point, outcome = sel
            band = self.lane_rect(lane_no)
            if band.left() - 2 <= point.x() <= band.right() + 2:
                line = QPen(c["highlight"], 1.0)
                line.setCosmetic(True)
                p.setPen(line)
                p.drawLine(QPointF(point.x(), band.top() + 2), QPointF(point.x(), band.bottom() - 2))
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(c["base"])
                p.drawEllipse(point, _GLYPH * 0.78, _GLYPH * 0.78)
                draw_glyph(p, outcome, point, _GLYPH, dark, outline=c["base"])
                ring = QPen(c["highlight"], 2.0)
                ring.setCosmetic(True)
                p.setPen(ring)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawEllipse(point, _GLYPH * 0.78, _GLYPH * 0.78)
        if self.hasFocus():
            focus = QPen(c["highlight"], 2.0)
            focus.setCosmetic(True)
            p.setPen(focus)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(1, 1, self.width() - 2, self.height() - 2), 4, 4)

    def _hover_point(self) -> QPointF | QRectF | None:
        if self._hover is None:
            return None
        lane_no, k, row = self._hover
        hits = self._hits[lane_no]
        band = self.lane_rect(lane_no)
        if hits.dense:
            x = _PAD_X + k * COL_W
            return QRectF(x - 1, band.top() + 2, COL_W + 2, band.height() - 4)
        if 0 <= k < len(hits.clusters) and 0 <= row < len(hits.clusters[k].rows):
            return QPointF(hits.clusters[k].x, hits.clusters[k].rows[row][1])
        return None

    # ------------------------------------------------------------------ hit testing

    def _lane_at(self, pos: QPointF) -> int | None:
        for lane_no in (LANE_THIS, LANE_OTHER):
            if self.lane_rect(lane_no).adjusted(0, -4, 0, 4).contains(pos):
                return lane_no
        return None

    def _hit(self, pos: QPointF) -> tuple[int, int, int] | None:
        """(lane, cluster or column, row) under pos, by bisect over what the last paint drew."""
        self._ensure_static()
        lane_no = self._lane_at(pos)
        if lane_no is None:
            return None
        hits = self._hits[lane_no]
        if hits.dense:
            k = int((pos.x() - _PAD_X) // COL_W)
            if 0 <= k < len(hits.col_totals) and hits.col_totals[k]:
                return lane_no, k, 0
            # Thin columns are hard to hit: accept the nearest non-empty neighbour.
            for dk in (-1, 1, -2, 2):
                if 0 <= k + dk < len(hits.col_totals) and hits.col_totals[k + dk]:
                    return lane_no, k + dk, 0
            return None
        if not hits.xs:
            return None
        j = bisect_left(hits.xs, pos.x())
        best, best_d = None, (_GLYPH * 0.5 + 4) ** 2
        for k in (j - 1, j):
            if 0 <= k < len(hits.clusters):
                for row, (_o, y, _n) in enumerate(hits.clusters[k].rows):
                    d = (hits.clusters[k].x - pos.x()) ** 2 + (y - pos.y()) ** 2
                    if d <= best_d:
                        best, best_d = (lane_no, k, row), d
        return best

    def _members(self, hit: tuple[int, int, int]) -> list[int]:
        lane_no, k, row = hit
        hits = self._hits[lane_no]
        lane = self._lanes[lane_no]
        if hits.dense:
            lo = hits.col_t0 + k * hits.col_dt
            return list(range(bisect_left(lane.times, lo), bisect_left(lane.times, lo + hits.col_dt)))
        cluster = hits.clusters[k]
        outcome = cluster.rows[row][0]
        if outcome == MORE:
            shown = {o for o, _y, _n in cluster.rows}
            return [i for i in cluster.members if lane.outcomes[i] not in shown]
        return [i for i in cluster.members if lane.outcomes[i] == outcome]

    def _attempt_at(self, pos: QPointF) -> Attempt | None:
        hit = self._hit(pos)
        if hit is None:
            return None
        members = self._members(hit)
        if not members:
            return None
        lane = self._lanes[hit[0]]
        t = self._t_at(pos.x())
        # Nearest in time within the glyph or column: what the pointer visually is on.
        i = min(members, key=lambda m: abs(lane.times[m] - t))
        return lane.items[i]

    # ------------------------------------------------------------------ tooltips

    def attempt_tooltip(self, attempt: Attempt) -> str:
        """Rich-text details of one attempt (what hovering over its glyph shows)."""
        return attempt_tooltip(attempt, self._tz, self._mask_numbers)

    def _tooltip_at(self, pos: QPointF) -> str:
        hit = self._hit(pos)
        if hit is None:
            return ""
        members = self._members(hit)
        lane = self._lanes[hit[0]]
        if not members:
            return ""
        if len(members) == 1:
            return self.attempt_tooltip(lane.items[members[0]])
        return group_tooltip(lane, members, LANE_TITLES[hit[0]], self._tz)

    # ------------------------------------------------------------------ events

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._cache_key = None
            self.update()
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:
        self._hover = None
        if self._fitted:
            self.zoom_to_fit()
        super().resizeEvent(event)

    def focusInEvent(self, event) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self.update()
        super().focusOutEvent(event)

    def leaveEvent(self, event) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_view = self._view_start
            self._dragging = False
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            dx = pos.x() - self._press.x()
            if self._dragging or abs(dx) > 4:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self._set_view(self._press_view - dx / self._plot_width() * self._view_span, self._view_span)
            return
        hover = self._hit(pos)
        if hover != self._hover:
            self._hover = hover
            self.setCursor(Qt.CursorShape.PointingHandCursor if hover else Qt.CursorShape.ArrowCursor)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        dragged = self._dragging
        self._press, self._dragging = None, False
        self.unsetCursor()
        if not dragged:
            attempt = self._attempt_at(event.position())
            self._user_select(attempt.id if attempt else None)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        attempt = self._attempt_at(event.position())
        if attempt is not None:
            self._user_select(attempt.id)
            self.attempt_activated.emit(attempt.id)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = delta.y() / 120.0
            if steps:
                self.zoom_by(1.25**steps, event.position().x())
            event.accept()
            return
        amount = delta.x() or delta.y()
        if amount:
            self._set_view(self._view_start - amount / 120.0 * self._view_span * 0.1, self._view_span)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            factor = 1.5 if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) else 1 / 1.5
            self.zoom_by(factor, self._zoom_anchor())
        elif key in (Qt.Key.Key_0, Qt.Key.Key_F) and not ctrl:
            self.zoom_to_fit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            forward = key == Qt.Key.Key_Right
            if self._selected is None:
                self._set_view(self._view_start + (0.1 if forward else -0.1) * self._view_span, self._view_span)
            else:
                self._move_selection(1 if forward else -1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._switch_lane(LANE_THIS if key == Qt.Key.Key_Up else LANE_OTHER)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            lane = self._lanes[self._lane_cursor]
            if lane.items:
                self._user_select(lane.items[0 if key == Qt.Key.Key_Home else -1].id)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._selected is not None:
                self.attempt_activated.emit(self._selected)
        elif key == Qt.Key.Key_Escape and self._selected is not None:
            self._user_select(None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # ------------------------------------------------------------------ interaction helpers

    def _zoom_anchor(self) -> float:
        cursor = self.mapFromGlobal(self.cursor().pos())
        if self.underMouse() and self.rect().contains(cursor):
            return float(cursor.x())
        sel = self._selected_point()
        if sel is not None and _PAD_X <= sel[1].x() <= self.width() - _PAD_X:
            return sel[1].x()
        return _PAD_X + self._plot_width() / 2

    def _user_select(self, attempt_id: str | None) -> None:
        if attempt_id == self._selected:
            return
        self.select(attempt_id)
        self.attempt_selected.emit(self._selected or "")

    def _move_selection(self, step: int) -> None:
        found = self._find_visible(self._selected) if self._selected else None
        if found is None:
            return
        lane_no, i = found
        lane = self._lanes[lane_no]
        j = min(max(i + step, 0), len(lane.items) - 1)
        if j != i:
            self._user_select(lane.items[j].id)

    def _switch_lane(self, lane_no: int) -> None:
        lane = self._lanes[lane_no]
        self._lane_cursor = lane_no
        if not lane.items:
            return
        if self._selected is not None and (found := self._find_visible(self._selected)) is not None:
            t = self._lanes[found[0]].times[found[1]]
        else:
            t = self._view_start + self._view_span / 2
        j = bisect_left(lane.times, t)
        candidates = [k for k in (j - 1, j) if 0 <= k < len(lane.items)]
        best = min(candidates, key=lambda k: abs(lane.times[k] - t))
        self._user_select(lane.items[best].id)
