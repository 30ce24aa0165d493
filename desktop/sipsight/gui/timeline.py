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
"""

from __future__ import annotations

import html
import math
import struct
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import repeat
from operator import sub
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
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
from sipsight.core.phone import pretty
from sipsight.core.privacy import mask_presenter
from sipsight.gui.palette import OUTCOME_INDEX, OUTCOME_ORDER, draw_glyph, is_dark, outcome_color, outcome_label

LANE_THIS, LANE_OTHER = 0, 1
_MORE = -1  # a cluster row standing for "the other classes in this cluster"
LANE_TITLES = ("This number", "Your other calls")
EMPTY_TEXT = "No call attempts in this window"
FILTERED_TEXT = "Every attempt is hidden by the outcome filter"

# Geometry in device-independent pixels.
_PAD_X = 14.0  # plot inset, so a glyph on the first/last instant is whole
_TOP = 6.0
_TITLE_H = 20.0
_BAND_MIN_H = 50.0  # three glyph rows (3 x 15 px) and a margin
_BAND_SQUEEZED_H = 34.0  # two glyph rows
_BAND_MAX_H = 96.0
_LANE_GAP = 4.0
_AXIS_H = 38.0
_GLYPH = 13.0
_SLOT = 28.0  # glyphs closer than this are one cluster (room for the glyph and its count)
_COL_W = 3.0  # dense mode: one stacked bar per column of this width
_GLYPH_LIMIT = 300  # more visible attempts than this in a lane: dense bars (keeps the paint bounded)
_MIN_SPAN = 60.0
_MAX_SPAN = 5 * 366 * 86400.0

_MINUTE, _HOUR, _DAY = 60, 3600, 86400
_STEPS = (
    _MINUTE, 2 * _MINUTE, 5 * _MINUTE, 10 * _MINUTE, 15 * _MINUTE, 30 * _MINUTE,
    _HOUR, 2 * _HOUR, 3 * _HOUR, 6 * _HOUR, 12 * _HOUR,
    _DAY, 2 * _DAY, 7 * _DAY, 14 * _DAY, 30 * _DAY, 91 * _DAY, 365 * _DAY,
)  # fmt: skip


def resolve_tz(name: str | None) -> tuple[tzinfo, str]:
    """(tzinfo, label) for an IANA name or "local"; an unknown name falls back to UTC, labelled so."""
    if not name or name.lower() == "local":
        local = datetime.now().astimezone().tzinfo or UTC
        return local, datetime.now(local).tzname() or "local time"
    if name.upper() == "UTC":
        return UTC, "UTC"
    try:
        return ZoneInfo(name), name
    except (ZoneInfoNotFoundError, ValueError):
        return UTC, f"UTC ({name} unknown)"


@lru_cache(maxsize=4096)
def _pretty(number: str) -> str:
    return pretty(number) if number else ""


def format_number(number: str | None, masked: bool) -> str:
    if not number:
        return "—"
    return mask_presenter(number) if masked else _pretty(number)


_KB_FAILED = False


@lru_cache(maxsize=1024)
def sip_reason_name(code: int, reason: str | None) -> str | None:
    """The knowledge base's name for a SIP code (603 + "Network Blocked" -> 603+), if it is available."""
    global _KB_FAILED
    if not _KB_FAILED:
        try:
            from sipsight.core.knowledge import knowledge

            entry = knowledge().sip(code, reason)
            if entry is not None:
                return entry.name
        except Exception:  # knowledge.py absent or its data invalid: the tooltip still shows the raw reason
            _KB_FAILED = True
    return reason


def sip_text(attempt: Attempt) -> str:
    """'603+ Network Blocked', '486 Busy Here', or '' without a SIP code."""
    if attempt.sip_code is None:
        return ""
    name = sip_reason_name(attempt.sip_code, attempt.sip_reason) or attempt.sip_reason or ""
    return f"{attempt.sip_label} {name}".strip()


def format_seconds(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 60:
        return f"{value:.0f} s" if value >= 10 or value == int(value) else f"{value:.1f} s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes} min {seconds:02d} s"


@dataclass
class _Lane:
    """One lane's attempts sorted by time, with the filter applied, in bisect-ready arrays."""

    all: list[Attempt] = field(default_factory=list)
    items: list[Attempt] = field(default_factory=list)
    times: array = field(default_factory=lambda: array("d"))
    outcomes: list[int] = field(default_factory=list)
    by_outcome: dict[int, array] = field(default_factory=dict)

    def apply_filter(self, hidden: set[OutcomeClass]) -> None:
        self.items = [a for a in self.all if a.outcome not in hidden]
        self.times = array("d", (a.start_time.timestamp() for a in self.items))
        self.outcomes = [OUTCOME_INDEX.get(a.outcome, OUTCOME_INDEX[OutcomeClass.UNKNOWN]) for a in self.items]
        self.by_outcome = {}
        for t, o in zip(self.times, self.outcomes, strict=True):
            self.by_outcome.setdefault(o, array("d")).append(t)


@dataclass
class _Cluster:
    x: float  # where its glyphs are drawn: the first member's x
    x_last: float
    members: list[int]  # indices into the lane's items
    rows: list[tuple[int, float, int]] = field(default_factory=list)  # (outcome index, y, count)


@dataclass
class _LaneHits:
    """What the last static paint drew in one lane, for hover, click and the selection overlay."""

    dense: bool = False
    xs: list[float] = field(default_factory=list)  # cluster x, sorted
    clusters: list[_Cluster] = field(default_factory=list)
    col_t0: float = 0.0  # dense mode: time at the plot's left edge and seconds per column
    col_dt: float = 1.0
    col_series: list[tuple[int, list[int]]] = field(default_factory=list)  # (outcome index, count per column)
    col_totals: list[int] = field(default_factory=list)

    def column(self, k: int) -> dict[int, int]:
        return {o: counts[k] for o, counts in self.col_series if counts[k]}


class TimelineWidget(QWidget):
    attempt_selected = Signal(str)
    attempt_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lanes = [_Lane(), _Lane()]
        self._index: dict[str, tuple[int, Attempt]] = {}
        self._hidden: set[OutcomeClass] = set()
        self._tz_name = "local"
        self._tz, self._tz_label = resolve_tz("local")
        self._view_start = 0.0
        self._view_span = float(_DAY)
        self._fitted = True
        self._selected: str | None = None
        self._lane_cursor = LANE_THIS
        self._hover: tuple[int, int, int] | None = None  # (lane, cluster index or column, outcome row)
        self._mask_numbers = False
        self._data_version = 0
        self._cache: QPixmap | None = None
        self._cache_key: tuple | None = None
        self._hits = [_LaneHits(), _LaneHits()]
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
            self._set_view(datetime.now(UTC).timestamp() - _DAY, float(_DAY), clamp=False, fitted=True)
            return
        lo, hi = extent
        span = hi - lo
        if span < 30 * _MINUTE:  # one attempt or a burst: show the hour around it
            self._set_view((lo + hi) / 2 - 30 * _MINUTE, float(_HOUR), clamp=False, fitted=True)
            return
        # Pad so the first and last glyphs (and a count beside them) are whole.
        plot_w = max(self._plot_width() - 2 * _SLOT, 50.0)
        pad = span * (_SLOT / plot_w)
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
        top = _TOP + _TITLE_H + lane * (band_h + _LANE_GAP + _TITLE_H)
        return QRectF(_PAD_X - 6, top, self.width() - 2 * _PAD_X + 12, band_h)

    def x_for_time(self, when: datetime) -> float:
        return self._x_at(when.timestamp())

    def sizeHint(self) -> QSize:
        return QSize(520, int(self._fixed_height(_BAND_MIN_H)))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, int(self._fixed_height(_BAND_SQUEEZED_H)))

    # ------------------------------------------------------------------ geometry

    def _fixed_height(self, band_h: float) -> float:
        return _TOP + 2 * (_TITLE_H + band_h) + _LANE_GAP + _AXIS_H + 4

    def _band_height(self) -> float:
        # Bands take the spare height; squeezed below the minimum they shrink (to two glyph rows) rather
        # than push the time axis out of the widget.
        free = self.height() - _TOP - 2 * _TITLE_H - _LANE_GAP - _AXIS_H - 4
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
        return min(max((extent[1] - extent[0]) * 4, 2 * _DAY), _MAX_SPAN)

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
            counts: dict[int, int] = {}
            for o in lane.outcomes:
                counts[o] = counts.get(o, 0) + 1
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
        self._hits = [_LaneHits(), _LaneHits()]

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
        title_rect = QRectF(_PAD_X - 4, band.top() - _TITLE_H, band.width() - 4, _TITLE_H - 3)
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
        if self._view_span <= 120 * _DAY:
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

    def _visible_slice(self, lane: _Lane, margin_px: float) -> tuple[int, int]:
        lo = self._t_at(_PAD_X - margin_px)
        hi = self._t_at(self.width() - _PAD_X + margin_px)
        return bisect_left(lane.times, lo), bisect_right(lane.times, hi)

    def _clusters(self, lane: _Lane, i0: int, i1: int) -> list[_Cluster]:
        """Greedy left-to-right grouping of the glyphs that would overlap (each cluster spans < one slot)."""
        clusters: list[_Cluster] = []
        scale = self._plot_width() / self._view_span
        x_origin = _PAD_X - self._view_start * scale
        times = lane.times
        current: _Cluster | None = None
        for i in range(i0, i1):
            x = x_origin + times[i] * scale
            if current is not None and x - current.x < _SLOT:
                current.members.append(i)
                current.x_last = x
            else:
                current = _Cluster(x, x, [i])
                clusters.append(current)
        return clusters

    def _paint_lane_items(self, p: QPainter, c: dict[str, QColor], lane_no: int, dark: bool) -> str:
        """Paint one lane's attempts; returns a note for the lane title (how to read dense bars)."""
        lane = self._lanes[lane_no]
        band = self.lane_rect(lane_no)
        p.save()
        p.setClipRect(band.adjusted(-2, -2, 2, 2))
        i0, i1 = self._visible_slice(lane, _SLOT)
        note = ""
        if i1 - i0 > _GLYPH_LIMIT:
            peak = self._paint_dense(p, c, lane_no, dark)
            note = f"bars: up to {peak} calls each" if peak > 1 else ""
        else:
            self._paint_clusters(p, c, lane_no, self._clusters(lane, i0, i1), dark)
        p.restore()
        return note

    def _paint_clusters(
        self, p: QPainter, c: dict[str, QColor], lane_no: int, clusters: list[_Cluster], dark: bool
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
            counts: dict[int, int] = {}
            for i in cluster.members:
                counts[lane.outcomes[i]] = counts.get(lane.outcomes[i], 0) + 1
            kinds = sorted(counts)
            if len(kinds) > max_rows:
                # Too many classes for the band: the most frequent ones, then "+n" for the rest.
                keep = sorted(sorted(kinds, key=lambda o: -counts[o])[: max_rows - 1])
                rest = sum(n for o, n in counts.items() if o not in keep)
                entries = [(o, counts[o]) for o in keep] + [(_MORE, rest)]
            else:
                entries = [(o, counts[o]) for o in kinds]
            n_rows = len(entries)
            cluster.rows = [(o, cy + (k - (n_rows - 1) / 2) * pitch, n) for k, (o, n) in enumerate(entries)]
            for o, y, n in cluster.rows:
                if o == _MORE:
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
        """A histogram of stacked bars, one per 3 px column, counted by bisect per outcome class.

        The bars are written as raw pixels into one QImage per lane (a column of the plot is a row of the
        image, so each bar is a contiguous run of bytes) and drawn with a single rotated drawImage: a few
        thousand fillRect calls from Python would blow the 16 ms budget at 10,000 attempts.
        """
        lane = self._lanes[lane_no]
        band = self.lane_rect(lane_no)
        plot_w = self._plot_width()
        ncols = max(1, math.ceil(plot_w / _COL_W))
        col_dt = self._view_span * _COL_W / plot_w
        t0 = self._view_start
        bounds = [t0 + k * col_dt for k in range(ncols + 1)]
        series: list[tuple[int, list[int]]] = []
        for o in sorted(lane.by_outcome):
            arr = lane.by_outcome[o]
            if not arr or arr[-1] < bounds[0] or arr[0] >= bounds[-1]:
                continue
            idx = list(map(bisect_left, repeat(arr, len(bounds)), bounds))
            series.append((o, list(map(sub, idx[1:], idx[:-1]))))
        hits = self._hits[lane_no]
        hits.dense = True
        hits.col_t0, hits.col_dt, hits.col_series = t0, col_dt, series
        hits.col_totals = list(map(sum, zip(*(counts for _, counts in series), strict=True))) if series else []
        peak = max(hits.col_totals, default=0)
        if not peak:
            return 0
        dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        inner = band.height() - 8
        height_px = max(1, int(inner * dpr))
        min_px = min(height_px, max(2, round(3 * dpr)))
        rows_per_col = max(2, round(_COL_W * dpr))
        blank = bytes(4 * height_px)
        pixels = [struct.pack("=I", outcome_color(OUTCOME_ORDER[o], dark).rgba()) for o, _ in series]
        columns = zip(*(counts for _, counts in series), strict=True)
        out: list[bytes] = []
        empty_col = blank * rows_per_col
        for counts, total in zip(columns, hits.col_totals, strict=True):
            if not total:
                out.append(empty_col)
                continue
            # sqrt keeps one attempt visible beside a column of hundreds
            scale = max(min_px, height_px * math.sqrt(total / peak)) / total
            row = b"".join([pixel * int(n * scale + 0.5) for pixel, n in zip(pixels, counts, strict=True) if n])
            row = row[: 4 * height_px] + blank[len(row) :]
            out.append(row * (rows_per_col - 1))
            out.append(blank)  # one device pixel of gap between bars
        data = b"".join(out)
        image = QImage(data, height_px, ncols * rows_per_col, 4 * height_px, QImage.Format.Format_ARGB32_Premultiplied)
        p.save()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        # image x (bar height, device px) -> up from the band's bottom; image y (columns) -> right along the plot
        p.setTransform(QTransform(0, -1 / dpr, _COL_W / rows_per_col, 0, _PAD_X, band.bottom() - 4), True)
        p.drawImage(QPointF(0, 0), image)
        p.restore()
        return peak

    # --------------------------------------------------------- axis

    def _ticks(self) -> dict:
        """Tick positions and labels for the current zoom, in the display time zone."""
        fm = QFontMetricsF(self._font("small"))
        plot_w = self._plot_width()
        px_per_s = plot_w / self._view_span
        hm_w = fm.horizontalAdvance("00:00") + 18
        day_w = fm.horizontalAdvance("Wed 30") + 18
        step = _STEPS[-1]
        for s in _STEPS:
            need = hm_w if s < _DAY else day_w
            if s * px_per_s >= need:
                step = s
                break
        lo, hi = self._view_start, self._view_start + self._view_span
        tz = self._tz
        minor: list[tuple[float, str]] = []
        start_local = datetime.fromtimestamp(lo, tz)
        if step < _DAY:
            day0 = datetime.combine(start_local.date(), datetime.min.time(), tzinfo=tz)
            k = math.floor((lo - day0.timestamp()) / step)
            t = day0.timestamp() + k * step
            while t <= hi + step:
                local = datetime.fromtimestamp(t, tz)
                # Re-anchor on the wall clock so DST days keep ticks on round hours.
                aligned = local.replace(
                    minute=(local.minute // max(step // 60, 1)) * max(step // 60, 1) if step < _HOUR else 0,
                    second=0,
                    microsecond=0,
                )
                at = aligned.timestamp()
                if lo - step <= at <= hi + step and (not minor or at > minor[-1][0]):
                    minor.append((at, aligned.strftime("%H:%M")))
                t += step
        elif step < 30 * _DAY:
            n_days = step // _DAY
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
            months = 1 if step == 30 * _DAY else 3 if step == 91 * _DAY else 12
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
        if self._view_span <= 120 * _DAY:
            d = start_local.date()
            while True:
                at = datetime.combine(d, datetime.min.time(), tzinfo=tz).timestamp()
                if at > hi:
                    break
                if at >= lo:
                    midnights.append(at)
                d += timedelta(days=1)
        if step < _DAY:
            major = [(t, datetime.fromtimestamp(t, tz).strftime("%a %d %b")) for t in midnights]
            sticky = start_local.strftime("%a %d %b %Y")
        elif step < 30 * _DAY:
            major = [
                (t, datetime.fromtimestamp(t, tz).strftime("%B %Y"))
                for t in midnights
                if datetime.fromtimestamp(t, tz).day == 1
            ]
            sticky = start_local.strftime("%B %Y")
        else:
            sticky = str(start_local.year) if step < 365 * _DAY else ""
        return {
            "step": step,
            "minor": [(self._x_at(t), label) for t, label in minor],
            "major": [(self._x_at(t), label) for t, label in major],
            "midnights": midnights,
            "sticky": sticky,
        }

    def _paint_axis(self, p: QPainter, c: dict[str, QColor], ticks: dict) -> None:
        top = self._axis_top()
        left, right = _PAD_X - 6, self.width() - _PAD_X + 6
        pen = QPen(c["frame"], 1.0)
        pen.setCosmetic(True)
        p.setPen(pen)
        p.drawLine(QPointF(left, top), QPointF(right, top))
        font = self._font("small")
        fm = QFontMetricsF(font)
        p.setFont(font)
        row1 = top + 5 + fm.ascent()
        row2 = row1 + fm.height() + 1
        last_right = -1e9
        for x, label in ticks["minor"]:
            if not left <= x <= right:
                continue
            p.setPen(pen)
            p.drawLine(QPointF(x, top), QPointF(x, top + 4))
            lw = fm.horizontalAdvance(label)
            lx = min(max(x - lw / 2, 2.0), self.width() - lw - 2)
            if lx > last_right + 6:
                p.setPen(c["text"])
                p.drawText(QPointF(lx, row1), label)
                last_right = lx + lw
        # Second row: day names at midnight, and the current day pinned at the left edge.
        bold = self._font("bold")
        bfm = QFontMetricsF(bold)
        p.setFont(bold)
        p.setPen(c["muted"])
        labels = [(x, text) for x, text in ticks["major"] if left <= x <= right]
        sticky = ticks["sticky"]
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
        # Midnight separators run under the hour labels only, so they never cut through one.
        y0, y1 = row1 + fm.descent() + 1, row2 + fm.descent()
        for x in (self._x_at(t) for t in ticks["midnights"]):
            if left <= x <= right:
                p.drawLine(QPointF(x, y0), QPointF(x, y1))

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
            x = _PAD_X + k * _COL_W
            return QRectF(x - 1, band.top() + 2, _COL_W + 2, band.height() - 4)
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
            k = int((pos.x() - _PAD_X) // _COL_W)
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
        if outcome == _MORE:
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

    def _fmt_time(self, t: float, seconds: bool = True) -> str:
        local = datetime.fromtimestamp(t, self._tz)
        return (
            local.strftime("%a %d %b %Y, %H:%M:%S" if seconds else "%a %d %b, %H:%M")
            + f" {local.tzname() or ''}".rstrip()
        )

    def attempt_tooltip(self, attempt: Attempt) -> str:
        """Rich-text details of one attempt (what hovering over its glyph shows)."""
        rows: list[tuple[str, str]] = [
            ("Time", self._fmt_time(attempt.start_time.timestamp())),
            (
                "Call",
                f"{format_number(attempt.from_, self._mask_numbers)} → {format_number(attempt.to, self._mask_numbers)}",
            ),
            ("Status", attempt.provider_status or "—"),
        ]
        sip = sip_text(attempt)
        if sip:
            rows.append(("SIP", sip))
        if attempt.q850_cause is not None:
            rows.append(("Q.850", str(attempt.q850_cause)))
        if attempt.provider_error_code:
            rows.append(("Error", attempt.provider_error_code))
        rows += [("Duration", format_seconds(attempt.duration_s)), ("Ring", format_seconds(attempt.ring_s))]
        if attempt.answered_by:
            rows.append(("Answered by", attempt.answered_by))
        if attempt.disconnected_by:
            rows.append(("Hung up by", attempt.disconnected_by))
        if attempt.carrier:
            rows.append(("Carrier", attempt.carrier))
        rows.append(("Call ID", attempt.id))
        body = "".join(
            f"<tr><td style='color:gray;padding-right:8px'>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<b>{html.escape(outcome_label(attempt.outcome))}</b><table cellspacing='0'>{body}</table>"

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
        counts: dict[int, int] = {}
        for i in members:
            counts[lane.outcomes[i]] = counts.get(lane.outcomes[i], 0) + 1
        first, last = lane.times[members[0]], lane.times[members[-1]]
        lines = [
            f"<b>{len(members)} attempts</b> · {html.escape(LANE_TITLES[hit[0]])}",
            html.escape(f"{self._fmt_time(first, False)} – {self._fmt_time(last, False)}"),
        ]
        lines += [f"{n} × {html.escape(outcome_label(OUTCOME_ORDER[o]))}" for o, n in sorted(counts.items())]
        for i in members[-5:][::-1]:
            a = lane.items[i]
            detail = sip_text(a) or a.provider_status or ""
            lines.append(html.escape(f"{datetime.fromtimestamp(lane.times[i], self._tz):%d %b %H:%M} · {detail}"))
        if len(members) > 5:
            lines.append(f"<i>… {len(members) - 5} more (the latest 5 shown)</i>")
        lines.append("<i>Zoom in (Ctrl+wheel or +) to see each attempt</i>")
        return "<br>".join(lines)

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
