"""The results under the headline: the tabs (Explanation, Reply, Timeline, Calls) and the record of the selected
call, under the tabs in a narrow window and beside them in a wide one.

A result is set on the parts in small steps, the current tab first, one step per turn of the event loop, and the
table's rows are built on a pool thread: the window never stops answering for the whole render
(`rendered` says when every part shows it; docs/reliability.md has the figures).

The timeline, its legend and the table are attached after the first paint (`attach_views`): they import
the core's models and the timeline's modules, which the first frame must not wait for. Selection is shared:
the timeline, the table and an evidence link all select through `show_attempt`, and the two views follow
each other without ping-pong (a programmatic select never emits).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from sipsight.gui.attempt_detail import AttemptDetail
from sipsight.gui.diagnosis_panel import DiagnosisPanel
from sipsight.gui.replies_panel import RepliesPanel

if TYPE_CHECKING:
    from sipsight.core.models import Attempt, LookupResult
    from sipsight.gui.attempts_table import AttemptsTableView
    from sipsight.gui.legend import OutcomeLegend
    from sipsight.gui.timeline import TimelineWidget

TABS = ("explanation", "reply", "timeline", "calls")
# What the marks mean, under the timeline: the strip's bars and the counts and badges beside a mark.
TIMELINE_CAPTION = (
    "Bars: the caller's calls to other numbers in each time slice, stacked by outcome (legend above); the figure "
    "on a bar is its calls. Beside a mark: how many calls it stands for (grey +n: calls of other outcomes). "
    "Hover for details, click to open a call."
)


def open_caller_health(window: Any, caller_id: str) -> object:
    """The Caller ID view, one click from a lookup; imported on that click, not at start-up (its chart and the
    health core take about 150 ms to import)."""
    from sipsight.gui.caller_health_view import open_caller_health as open_view

    return open_view(window, caller_id)


class ResultsView(QSplitter):
    rendered = Signal(object)  # the LookupResult every part now shows
    caller_health_requested = Signal(str)  # the lookup's caller ID: open its Caller ID view (docs/health.md)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setChildrenCollapsible(False)
        self.setMinimumHeight(140)  # in a short window the results scroll; the input never squeezes
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("ResultTabs")
        self.tabs.setDocumentMode(False)
        self.diagnosis = DiagnosisPanel(self.tabs)
        self.diagnosis.evidence_clicked.connect(self.select_attempts)
        self.replies = RepliesPanel(self.tabs)
        self.tabs.addTab(self.diagnosis, "Explanation")
        self.tabs.addTab(self.replies, "Reply")
        self.timeline_page, self._timeline_layout = self._page()
        self.calls_page, self._calls_layout = self._page()
        self.tabs.addTab(self.timeline_page, "Timeline")
        self.tabs.addTab(self.calls_page, "Calls")
        self.health_link = QPushButton("Caller ID ›", self.tabs)  # one click to the caller ID's health
        self.health_link.setObjectName("MessageAction")
        self.health_link.setToolTip("Is this caller ID labeled or blocked? Its health over the last days (Ctrl+I)")
        self.health_link.setShortcut(QKeySequence("Ctrl+I"))
        self.health_link.hide()
        self.health_link.clicked.connect(lambda: self.caller_health_requested.emit(self._caller_id or ""))
        self.tabs.setCornerWidget(self.health_link, Qt.Corner.TopRightCorner)
        self._caller_id: str | None = None
        self.detail = AttemptDetail(self)
        self.detail.hide()
        self.addWidget(self.tabs)
        self.addWidget(self.detail)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.timeline: TimelineWidget | None = None
        self.table: AttemptsTableView | None = None
        self.legend: OutcomeLegend | None = None
        self.tz = "UTC"
        self._attempts: dict[str, Attempt] = {}
        self._render = 0  # the generation of the render in progress: a newer result drops the older one's steps
        self.rendering = False

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget(self.tabs)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        return page, layout

    def show_tab(self, name: str) -> None:
        """One of TABS: explanation, reply, timeline, calls."""
        self.tabs.setCurrentIndex(TABS.index(name))

    def attach_views(self) -> None:
        """The timeline, its legend and the table (after the first paint), wired to each other and to the record."""
        from sipsight.gui.attempts_table import AttemptsTableView
        from sipsight.gui.legend import OutcomeLegend
        from sipsight.gui.timeline import TimelineWidget

        self.legend = legend = OutcomeLegend(self.timeline_page)
        self.timeline = timeline = TimelineWidget(self.timeline_page)
        self._timeline_layout.addWidget(legend)
        self._timeline_layout.addWidget(timeline, 1)
        self.timeline_caption = caption = QLabel(TIMELINE_CAPTION, self.timeline_page)
        caption.setObjectName("Caption")
        caption.setWordWrap(True)
        self._timeline_layout.addWidget(caption)
        self.table = table = AttemptsTableView(self.calls_page)
        self._calls_layout.addWidget(table, 1)
        for view in (timeline, table):
            view.attempt_selected.connect(self.show_attempt)
            view.attempt_activated.connect(self._activate_attempt)
        legend.filter_changed.connect(timeline.set_hidden_outcomes)
        legend.filter_changed.connect(table.set_hidden_outcomes)
        table.filter_changed.connect(timeline.set_hidden_outcomes)
        table.filter_changed.connect(legend.set_hidden_outcomes)

    def set_presenter(self, masked: bool, redact: Callable[[str], str]) -> None:
        """Presenter mode: texts go through `redact` (privacy.mask_text), the views mask numbers."""
        self.diagnosis.redact = redact
        self.replies.redact = redact
        self.detail.redact = redact
        if self.timeline is not None and self.table is not None:
            self.timeline.set_mask_numbers(masked)
            self.table.set_mask_numbers(masked)

    def show_result(self, result: LookupResult, tz: str) -> None:
        """Show `result` in steps (see the module doc); `rendered` follows once every part shows it."""
        self.tz = tz
        self._render += 1
        self.rendering = True
        self._attempts = {a.id: a for a in (*result.attempts, *result.caller_attempts)}
        self._caller_id = result.caller_id
        self.health_link.setVisible(bool(result.caller_id))
        self.detail.set_attempt(None)
        self.detail.hide()
        steps: dict[str, Callable[[], None]] = {
            "explanation": partial(self.diagnosis.set_result, result),
            "reply": partial(self.replies.set_result, result, tz=tz),
            "timeline": partial(self._show_timeline, result),
        }
        current = TABS[self.tabs.currentIndex()] if 0 <= self.tabs.currentIndex() < len(TABS) else "explanation"
        order = [steps[current]] if current in steps else []
        order += [step for name, step in steps.items() if name != current]
        self._run_steps(self._render, order, result)

    def _run_steps(self, render: int, steps: list[Callable[[], None]], result: LookupResult) -> None:
        """One step now, the next on the next turn of the event loop; the table last (its rows come from a thread)."""
        if render != self._render:
            return  # a newer result took over
        if not steps:
            self._show_table(render, result)
            return
        steps[0]()
        QTimer.singleShot(0, partial(self._run_steps, render, steps[1:], result))

    def _finish(self, render: int, result: LookupResult) -> None:
        if render == self._render:
            self.rendering = False
            self.rendered.emit(result)

    def _show_timeline(self, result: LookupResult) -> None:
        if self.timeline is not None and self.legend is not None:
            self.timeline.set_attempts(result.attempts, result.caller_attempts, self.tz)
            self.legend.set_attempts([*result.attempts, *result.caller_attempts])

    def _show_table(self, render: int, result: LookupResult) -> None:
        """The rows are built on a pool thread, then set in one model reset; the last step of a render."""
        table = self.table
        if table is None:
            self._finish(render, result)
            return
        from sipsight.gui.attempts_model import PreparedRows, prepare_rows
        from sipsight.gui.background import BackgroundOp

        attempts, others, tz, masked = result.attempts, result.caller_attempts, self.tz, table.model.masked

        def done(prepared: PreparedRows) -> None:
            if render == self._render:
                table.set_prepared(prepared)
                self._finish(render, result)

        BackgroundOp(op=lambda: prepare_rows(attempts, others, tz, masked), success=done).run_in_background()

    def show_attempt(self, attempt_id: str) -> None:
        """Selection from the timeline, the table or an evidence link: both views follow, the record shows it."""
        attempt = self._attempts.get(attempt_id)
        if attempt is None:  # "" : the user cleared the selection
            self.detail.set_attempt(None)
            self.detail.hide()
            return
        self.detail.set_attempt(attempt, self.tz)
        if not self.detail.isVisible():
            self.detail.show()
            total = sum(self.sizes()) or 600
            share = 0.42 if self.orientation() == Qt.Orientation.Horizontal else 0.36
            self.setSizes([int(total * (1 - share)), int(total * share)])
        for view in (self.timeline, self.table):
            if view is not None and view.selected_id() != attempt_id:
                view.select(attempt_id)  # programmatic select does not emit, so no ping-pong

    def _activate_attempt(self, attempt_id: str) -> None:
        self.show_attempt(attempt_id)
        self.detail.explain()

    def select_attempts(self, attempt_ids: list[str]) -> None:
        """Evidence click: show its calls: the timeline tab, the first one selected and detailed."""
        if not attempt_ids:
            return
        self.show_tab("timeline")
        self.show_attempt(attempt_ids[0])

    def set_wide(self, wide: bool) -> None:
        """Beside an inbox the panel is narrow: the record goes under the tabs. Maximised, beside them."""
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.orientation() != orientation:
            self.setOrientation(orientation)
