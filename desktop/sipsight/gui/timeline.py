"""The SIP outcome timeline: every call attempt on a time axis, in two lanes, coloured and shaped by outcome.

Lane 0 "This number" holds the attempts to the destination; lane 1 "Your other calls" holds the same
caller ID's calls to other numbers, so an agent sees at a glance whether only this number fails.

Public API (TimelineWidget):
    set_attempts(attempts, other_attempts=(), tz="local")   tz: an IANA name ("Europe/Berlin", "UTC") or "local"
    clear();  attempt(id) -> Attempt | None;  attempt_ids() -> list[str]
    selected_id() -> str | None;  select(attempt_id | None)  (programmatic: does not emit attempt_selected)
    zoom_to_fit();  zoom_by(factor, anchor_x=None);  set_view(start: datetime, end: datetime);  view_range()
    set_hidden_outcomes(set[OutcomeClass]);  hidden_outcomes()   (the legend's filter_changed feeds this)
    set_mask_numbers(bool)                  (presenter mode: numbers masked in tooltips)
    lane_rect(lane) -> QRectF; x_for_time(datetime) -> float; time_at(x) -> datetime; axis_top() -> float
    lane_hits(lane) -> LaneHits; axis_ticks() -> Ticks; time_zone_label() -> str   (what the last paint drew)
    empty_message() -> str ("" or the empty-state text);  attempt_tooltip(attempt), tooltip_at(pos) (rich text)
    viewport: the Qt-free TimelineViewport (span, zoom, pan, selection);  scene: geometry, painting, hits
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

Modules: this one is the widget (public API, mouse and keys); timeline_viewport.py the view as plain data;
timeline_scene.py the geometry, painting and hit testing; timeline_layout.py the lanes, clustering and
dense-bar counting; timeline_axis.py the tick steps, labels and axis painting; timeline_text.py the
formatting and tooltips (shared with the attempts table).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.core.timezones import zone_for_display
from sipsight.gui.palette import OUTCOME_ORDER, outcome_label
from sipsight.gui.timeline_axis import Ticks
from sipsight.gui.timeline_layout import LANE_OTHER, LANE_THIS, LANE_TITLES, Lane, LaneHits
from sipsight.gui.timeline_scene import BAND_MIN_H, BAND_SQUEEZED_H, EMPTY_TEXT, FILTERED_TEXT, Hit, TimelineScene
from sipsight.gui.timeline_text import attempt_tooltip, group_tooltip
from sipsight.gui.timeline_viewport import PAD_X, PAN_STEP, LaneIndex, TimelineViewport

# Re-exported: the timeline's public names, as the app, the training window and the tests import them.
__all__ = [
    "EMPTY_TEXT",
    "FILTERED_TEXT",
    "LANE_OTHER",
    "LANE_THIS",
    "LANE_TITLES",
    "TimelineWidget",
]

ZOOM_STEP = 1.5  # + and - zoom by this factor; a wheel notch with Ctrl by 1.25


class TimelineWidget(QWidget):
    attempt_selected = Signal(str)
    attempt_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lanes = [Lane(), Lane()]
        self._index: dict[str, Attempt] = {}
        self._hidden: set[OutcomeClass] = set()
        self._tz_name = "local"
        self.viewport = TimelineViewport(width=float(self.width()))
        self.scene = TimelineScene(self, self._lanes, self.viewport)
        self.scene.zone, self.scene.zone_label = zone_for_display("local")
        self._hover: Hit | None = None
        self._mask_numbers = False
        self._press: QPointF | None = None
        self._press_start = 0.0  # the view's start when the drag began
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
        self.scene.zone, self.scene.zone_label = zone_for_display(tz)
        self._index = {}
        for lane_no, source in ((LANE_THIS, attempts), (LANE_OTHER, other_attempts)):
            lane = self._lanes[lane_no]
            lane.all = sorted(source, key=lambda a: a.start_time)
            for attempt in lane.all:
                self._index[attempt.id] = attempt
        self._filter_changed()
        self.zoom_to_fit()

    def clear(self) -> None:
        self.set_attempts((), (), tz=self._tz_name)

    def empty_message(self) -> str:
        """The empty-state text shown instead of attempts ("" when there are attempts to show)."""
        return self.scene.empty_message()

    def attempt(self, attempt_id: str) -> Attempt | None:
        return self._index.get(attempt_id)

    def attempt_ids(self) -> list[str]:
        """Every attempt shown or hidden by the filter, this number's first."""
        return list(self._index)

    def selected_id(self) -> str | None:
        return self.viewport.selected

    def select(self, attempt_id: str | None) -> None:
        """Select (and scroll to) an attempt; None or an unknown/hidden id clears. Does not emit."""
        view = self._view()
        shown = (view.start, view.span)
        if view.select(attempt_id):
            if (view.start, view.span) != shown:
                self._hover = None  # scrolled: what was under the pointer moved
            self.update()

    def set_hidden_outcomes(self, hidden: Iterable[OutcomeClass]) -> None:
        """Hide attempts of these classes (the legend's filter). A hidden selected attempt is deselected."""
        hidden = set(hidden)
        if hidden == self._hidden:
            return
        self._hidden = hidden
        self._filter_changed()

    def hidden_outcomes(self) -> set[OutcomeClass]:
        return set(self._hidden)

    def set_mask_numbers(self, masked: bool) -> None:
        self._mask_numbers = bool(masked)

    def zoom_to_fit(self) -> None:
        """Show every visible attempt (all attempts when the filter hides them all)."""
        if self._view().fit(now=datetime.now(UTC).timestamp()):
            self._view_moved()

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """factor > 1 zooms in, around anchor_x (widget x; default: the middle of the plot)."""
        if self._view().zoom_by(factor, anchor_x):
            self._view_moved()

    def set_view(self, start: datetime, end: datetime) -> None:
        span = end.timestamp() - start.timestamp()
        if self._view().set_view(start.timestamp(), span, clamp=False):
            self._view_moved()

    def view_range(self) -> tuple[datetime, datetime]:
        view = self.viewport
        return datetime.fromtimestamp(view.start, UTC), datetime.fromtimestamp(view.start + view.span, UTC)

    def lane_rect(self, lane: int) -> QRectF:
        """The lane's glyph band (below its title), in widget coordinates."""
        return self.scene.lane_rect(lane)

    def axis_top(self) -> float:
        return self.scene.axis_top()

    def x_for_time(self, when: datetime) -> float:
        return self._view().x_at(when.timestamp())

    def time_at(self, x: float) -> datetime:
        return datetime.fromtimestamp(self._view().t_at(x), UTC)

    def axis_ticks(self) -> Ticks:
        """The axis's tick step and labels for the current view, in the display time zone."""
        self._view()
        return self.scene.ticks()

    def time_zone_label(self) -> str:
        """The display zone as the timeline names it ("UTC (X unknown)" for a name this system does not know)."""
        return self.scene.zone_label

    def lane_hits(self, lane: int) -> LaneHits:
        """What the last paint drew in a lane: its clusters, or its dense columns."""
        return self.scene.hits[lane]

    def sizeHint(self) -> QSize:
        return QSize(520, int(self.scene.fixed_height(BAND_MIN_H)))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, int(self.scene.fixed_height(BAND_SQUEEZED_H)))

    # ------------------------------------------------------------------ the view model and the data
    def _view(self) -> TimelineViewport:
        """The view model, its width the widget's (a hidden widget gets its resize event only when shown)."""
        self.viewport.width = float(self.width())
        return self.viewport

    def _view_moved(self) -> None:
        self._hover = None
        self.update()

    def _filter_changed(self) -> None:
        for lane in self._lanes:
            lane.apply_filter(self._hidden)
        stamps = [lane.all[k].start_time.timestamp() for lane in self._lanes for k in (0, -1) if lane.all]
        self.viewport.set_lanes(
            [LaneIndex([a.id for a in lane.items], lane.times) for lane in self._lanes],
            (min(stamps), max(stamps)) if stamps else None,
        )
        self._hover = None
        self.scene.invalidate()
        self._update_accessible_description()
        self.update()

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

    # ------------------------------------------------------------------ tooltips
    def attempt_tooltip(self, attempt: Attempt) -> str:
        """Rich-text details of one attempt (what hovering over its glyph shows)."""
        return attempt_tooltip(attempt, self.scene.zone, self._mask_numbers)

    def tooltip_at(self, pos: QPointF) -> str:
        """What hovering at pos shows: one attempt's details, a cluster's or a bar's summary, or ""."""
        hit = self.scene.hit(pos)
        if hit is None:
            return ""
        members = self.scene.members(hit)
        lane = self._lanes[hit.lane]
        if not members:
            return ""
        if len(members) == 1:
            return self.attempt_tooltip(lane.items[members[0]])
        hits = self.scene.hits[hit.lane]
        bucket = None
        if hits.buckets:
            start = hits.col_t0 + hit.index * hits.col_dt
            bucket = (start, start + hits.col_dt)
        return group_tooltip(lane, members, LANE_TITLES[hit.lane], self.scene.zone, bucket)

    # ------------------------------------------------------------------ painting and events
    def paintEvent(self, event: QPaintEvent) -> None:
        static = self.scene.static_layer()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, static)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene.paint_overlay(painter, self._hover, self.viewport.selected, self.hasFocus())
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.scene.drop_cache()
            self.update()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._hover = None
        self.viewport.resize(float(self.width()))
        super().resizeEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_start = self.viewport.start
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
                if self._view().drag(self._press_start, dx):
                    self._view_moved()
            return
        hover = self.scene.hit(pos)
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
            attempt = self.scene.attempt_at(event.position())
            self._user_select(attempt.id if attempt else None)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        attempt = self.scene.attempt_at(event.position())
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
            if self._view().pan(-amount / 120.0 * PAN_STEP):
                self._view_moved()
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        view = self._view()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            factor = ZOOM_STEP if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) else 1 / ZOOM_STEP
            self.zoom_by(factor, self._zoom_anchor())
        elif key in (Qt.Key.Key_0, Qt.Key.Key_F) and not ctrl:
            self.zoom_to_fit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            forward = key == Qt.Key.Key_Right
            if view.selected is None:
                if view.pan(PAN_STEP if forward else -PAN_STEP):
                    self._view_moved()
            else:
                self._user_select(view.step(1 if forward else -1))
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            target = view.nearest_in_lane(LANE_THIS if key == Qt.Key.Key_Up else LANE_OTHER)
            if target is not None:
                self._user_select(target)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            target = view.first_or_last(last=key == Qt.Key.Key_End)
            if target is not None:
                self._user_select(target)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if view.selected is not None:
                self.attempt_activated.emit(view.selected)
        elif key == Qt.Key.Key_Escape and view.selected is not None:
            self._user_select(None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _zoom_anchor(self) -> float:
        cursor = self.mapFromGlobal(self.cursor().pos())
        if self.underMouse() and self.rect().contains(cursor):
            return float(cursor.x())
        sel = self.scene.selected_point(self.viewport.selected)
        if sel is not None and PAD_X <= sel[1].x() <= self.width() - PAD_X:
            return sel[1].x()
        return PAD_X + self.viewport.plot_width / 2

    def _user_select(self, attempt_id: str | None) -> None:
        if attempt_id == self.viewport.selected:
            return
        self.select(attempt_id)
        self.attempt_selected.emit(self.viewport.selected or "")
