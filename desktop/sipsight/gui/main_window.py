"""The side-panel assistant: paste, look up, read why, copy the answer.

Startup cost matters (it sits next to the inbox and is opened all day): the window is built from Qt
widgets only; settings are read before show (geometry), and everything heavy (intake, knowledge, the
scenario library, the history file, httpx) loads in `finish_startup`, after the first paint.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QDate, QEvent, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.errors import SipsightError
from sipsight.gui.attempt_detail import AttemptDetail
from sipsight.gui.banner import MessageBar, Toast
from sipsight.gui.clipboard_watch import ClipboardWatch, masked_display
from sipsight.gui.diagnosis_panel import DiagnosisPanel, HeadlineCard
from sipsight.gui.input_panel import InputPanel
from sipsight.gui.replies_panel import RepliesPanel
from sipsight.gui.worker import LookupRequest, LookupRunner

log = logging.getLogger("sipsight.gui")

WINDOWS = (
    ("24h", "Last 24 hours", timedelta(hours=24)),
    ("7d", "Last 7 days", timedelta(days=7)),
    ("30d", "Last 30 days", timedelta(days=30)),
    ("custom", "Custom…", None),
)
DEMO = "__demo__"  # profile combo data for the embedded demo provider
TABS = ("explanation", "reply", "timeline", "calls")
WIDE_LAYOUT_PX = 760


class MainWindow(QMainWindow):
    lookup_finished = Signal(object)  # LookupResult shown (tests, --screenshot)
    lookup_failed = Signal(object)  # the error shown in the banner
    startup_finished = Signal()

    def __init__(
        self, settings: Any = None, *, demo: bool = False, scenario: str | None = None, profile: str | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle("SIPSight")
        self.settings = settings
        self.force_demo = demo
        self.initial_scenario = scenario
        self.initial_profile = profile
        self.result: Any = None  # the last good result: an error never clears it
        self.last_request: LookupRequest | None = None
        self.session_options: dict[str, Any] = {}  # demo latency/fault (training, screenshots, tests)
        self.history: Any = None
        self.scenarios: list[Any] = []
        self.tz = _resolve_tz(_setting(settings, "timezone", None))
        self.region = _setting(settings, "default_region", "US") or "US"
        self._started = False
        self._attempts_by_id: dict[str, Any] = {}
        self.remember_on_close = True  # size, position and window choice saved at close (not for screenshots)

        self.runner = LookupRunner(self)
        self.runner.started.connect(self._on_started)
        self.runner.succeeded.connect(self._on_success)
        self.runner.failed.connect(self._on_failure)
        self.runner.cancelled.connect(self._on_cancelled)

        self._build()
        if _setting(settings, "presenter_mode", False):
            self.input_panel.set_presenter(True)  # from the first frame: nothing unmasked ever reaches a projector
        self._shortcuts()
        self.setAcceptDrops(True)
        self.resize(440, 820)
        self.setMinimumWidth(360)
        self._restore_geometry()
        self.set_always_on_top(bool(_setting(settings, "always_on_top", False)))

    # ================================================================== building
    def _build(self) -> None:
        central = QWidget(self)
        central.setObjectName("Central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 8, 10, 6)
        outer.setSpacing(8)
        self.setCentralWidget(central)

        outer.addWidget(self._top_bar(central))

        self.banner = MessageBar(central)
        self.banner.setObjectName("MessageBar")
        self.banner.setAccessibleName("Error banner")
        outer.addWidget(self.banner)
        self.offer_bar = MessageBar(central)
        self.offer_bar.setAccessibleName("Clipboard offer")
        outer.addWidget(self.offer_bar)

        self.input_panel = InputPanel(central)
        self.input_panel.region = self.region
        self.input_panel.lookup_requested.connect(self.look_up)
        self._window_controls(self.input_panel)
        outer.addWidget(self.input_panel)

        outer.addWidget(self._busy_bar(central))

        self.headline = HeadlineCard(central)
        outer.addWidget(self.headline)

        self.splitter = QSplitter(Qt.Orientation.Vertical, central)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setMinimumHeight(140)  # in a short window the results scroll; the input never squeezes
        self.tabs = QTabWidget(self.splitter)
        self.tabs.setObjectName("ResultTabs")
        self.tabs.setDocumentMode(False)
        self.diagnosis = DiagnosisPanel(self.tabs)
        self.diagnosis.evidence_clicked.connect(self.select_attempts)
        self.replies = RepliesPanel(self.tabs)
        self.replies.copied.connect(self._on_copied)
        self.replies.exported.connect(lambda path: self.toast.show_text(f"Summary saved to {Path(path).name}"))
        self.replies.export_failed.connect(lambda message, hint: self.show_error(message, hint, retry=False))
        self.tabs.addTab(self.diagnosis, "Explanation")
        self.tabs.addTab(self.replies, "Reply")
        self.timeline_page = QWidget(self.tabs)
        self.calls_page = QWidget(self.tabs)
        for page in (self.timeline_page, self.calls_page):
            layout = QVBoxLayout(page)
            layout.setContentsMargins(4, 4, 4, 4)
            layout.setSpacing(4)
        self.tabs.addTab(self.timeline_page, "Timeline")
        self.tabs.addTab(self.calls_page, "Calls")
        self.timeline: Any = None
        self.table: Any = None
        self.legend: Any = None
        self.detail = AttemptDetail(self.splitter)
        self.detail.hide()
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)

        self.source_label = QLabel(self)
        self.source_label.setObjectName("SourceLabel")
        self.statusBar().addWidget(self.source_label, 1)
        self.statusBar().setSizeGripEnabled(True)
        self.toast = Toast(central)

        self.clipboard = ClipboardWatch(self)
        self.clipboard.offer.connect(self._offer_clipboard)
        self.replies.copying.connect(self.clipboard.ignore_next)

    def _top_bar(self, parent: QWidget) -> QWidget:
        bar = QWidget(parent)
        bar.setObjectName("TopBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.demo_badge = QLabel("DEMO DATA", bar)
        self.demo_badge.setObjectName("DemoBadge")
        self.demo_badge.setToolTip("No account is configured: lookups run on built-in example calls, not real ones.")
        self.demo_badge.setAccessibleName("Demo data: not a real account")
        row.addWidget(self.demo_badge)
        self.profile_combo = QComboBox(bar)
        self.profile_combo.setObjectName("ProfileCombo")
        self.profile_combo.setToolTip("Which account to look in")
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_combo.currentIndexChanged.connect(self._profile_changed)
        row.addWidget(self.profile_combo)
        self.scenario_combo = QComboBox(bar)
        self.scenario_combo.setObjectName("ScenarioCombo")
        self.scenario_combo.setToolTip("Demo scenario: choosing one also pastes its customer conversation")
        self.scenario_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scenario_combo.setMinimumContentsLength(8)
        self.scenario_combo.activated.connect(self._scenario_chosen)
        row.addWidget(self.scenario_combo, 1)
        self.history_button = self._tool_button(bar, "Recent lookups (Ctrl+H)")
        self.history_menu = QMenu(self.history_button)
        self.history_menu.aboutToShow.connect(self._fill_history_menu)
        self.history_button.setMenu(self.history_menu)
        self.history_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        row.addWidget(self.history_button)
        self.pin_button = self._tool_button(bar, "Keep on top of other windows")
        self.pin_button.setCheckable(True)
        self.pin_button.toggled.connect(self._pin_toggled)
        row.addWidget(self.pin_button)
        self.training_button = self._tool_button(bar, "Training walkthrough (Ctrl+T)")
        self.training_button.clicked.connect(self.open_training)
        row.addWidget(self.training_button)
        self.settings_button = self._tool_button(bar, "Settings (Ctrl+,)")
        self.settings_button.clicked.connect(self.open_settings)
        row.addWidget(self.settings_button)
        self._refresh_icons()
        return bar

    def _tool_button(self, parent: QWidget, tip: str) -> QToolButton:
        button = QToolButton(parent)
        button.setObjectName("ToolbarButton")
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        button.setIconSize(QSize(18, 18))
        return button

    def _refresh_icons(self) -> None:
        from PySide6.QtGui import QPalette

        from sipsight.gui.icons import icon

        color = self.palette().color(QPalette.ColorRole.WindowText)
        if color.rgba() == getattr(self, "_icon_rgba", None):
            return  # a palette change that kept the text colour (the theme applied at start): same icons
        self._icon_rgba = color.rgba()
        self.history_button.setIcon(icon("history", color))
        self.pin_button.setIcon(icon("pin", color))
        self.settings_button.setIcon(icon("settings", color))
        self.training_button.setIcon(icon("training", color))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "settings_button"):
            self._refresh_icons()
        super().changeEvent(event)

    def _window_controls(self, panel: InputPanel) -> None:
        """The time window sits on the Look up row: 24 h / 7 days / 30 days, or a custom range of dates."""
        row = panel.action_row
        self.window_combo = QComboBox(panel)
        self.window_combo.setObjectName("WindowCombo")
        self.window_combo.setToolTip("Which calls to look at")
        for key, text, _ in WINDOWS:
            self.window_combo.addItem(text, key)
        wanted = _setting(self.settings, "lookup_window", "7d") or "7d"
        self.window_combo.setCurrentIndex(max(self.window_combo.findData(wanted), 0))
        self.window_combo.currentIndexChanged.connect(self._window_changed)
        today = QDate.currentDate()
        self.since_edit = QDateEdit(today.addDays(-7), panel)
        self.until_edit = QDateEdit(today, panel)
        for edit, tip in ((self.since_edit, "From (inclusive)"), (self.until_edit, "To (inclusive)")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("MMM d")
            edit.setMaximumDate(today)
            edit.setToolTip(tip)
            edit.hide()
        self.until_label = QLabel("–", panel)
        self.until_label.hide()
        for i, widget in enumerate((self.window_combo, self.since_edit, self.until_label, self.until_edit)):
            row.insertWidget(i, widget)

    def _busy_bar(self, parent: QWidget) -> QWidget:
        self.busy_bar = QWidget(parent)
        self.busy_bar.setObjectName("BusyBar")
        layout = QVBoxLayout(self.busy_bar)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.busy_label = QLabel("Looking up calls…", self.busy_bar)
        row.addWidget(self.busy_label, 1)
        self.cancel_button = QPushButton("Cancel", self.busy_bar)
        self.cancel_button.setToolTip("Stop this lookup (Esc)")
        self.cancel_button.clicked.connect(self.cancel_lookup)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.progress = QProgressBar(self.busy_bar)
        self.progress.setObjectName("BusyProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(4)
        layout.addWidget(self.progress)
        self.busy_bar.hide()
        return self.busy_bar

    def _shortcuts(self) -> None:
        def add(seq: QKeySequence | str, slot: Any) -> None:
            shortcut = QShortcut(QKeySequence(seq), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        add(QKeySequence.StandardKey.Paste, self.paste_into_input)
        add("Ctrl+Return", self.look_up)
        add("Ctrl+Enter", self.look_up)
        add("Ctrl+L", self._focus_input)
        add("Escape", self.cancel_lookup)
        add("Ctrl+Shift+C", lambda: self.replies.copy("reply"))
        add("Ctrl+,", self.open_settings)
        add("Ctrl+T", self.open_training)
        add("Ctrl+H", self.history_button.showMenu)
        for i in range(len(TABS)):
            add(f"Ctrl+{i + 1}", lambda i=i: self.tabs.setCurrentIndex(i))

    # ================================================================== startup
    def finish_startup(self) -> None:
        """After the first paint: load the heavy parts, then fill the combos and history."""
        if self._started:
            return
        self._started = True
        from sipsight.core.history import HistoryStore

        self._attach_result_views()
        self.history = HistoryStore(
            days=int(_setting(self.settings, "history_days", 30) or 30),
            max_entries=int(_setting(self.settings, "history_max", 50) or 50),
        )
        self._load_scenarios()
        self._fill_profiles()
        if QGuiApplication.focusObject() is None:
            self.input_panel.input.setFocus(Qt.FocusReason.OtherFocusReason)  # paste-first: ready for Ctrl+V
        self.clipboard.region = self.region
        self.clipboard.set_enabled(bool(_setting(self.settings, "clipboard_watch", False)))
        self.startup_finished.emit()

    def _attach_result_views(self) -> None:
        """Timeline, legend and table come from the timeline helper's modules; imported after show."""
        from sipsight.gui.attempts_table import AttemptsTableView
        from sipsight.gui.legend import OutcomeLegend
        from sipsight.gui.timeline import TimelineWidget

        self.legend = OutcomeLegend(self.timeline_page)
        self.timeline = TimelineWidget(self.timeline_page)
        self.timeline_page.layout().addWidget(self.legend)
        self.timeline_page.layout().addWidget(self.timeline, 1)
        self.table = AttemptsTableView(self.calls_page)
        self.calls_page.layout().addWidget(self.table, 1)
        for view in (self.timeline, self.table):
            view.attempt_selected.connect(self.show_attempt)
            view.attempt_activated.connect(self._activate_attempt)
        self.legend.filter_changed.connect(self.timeline.set_hidden_outcomes)
        self.legend.filter_changed.connect(self.table.set_hidden_outcomes)
        self.table.filter_changed.connect(self.timeline.set_hidden_outcomes)
        self.table.filter_changed.connect(self.legend.set_hidden_outcomes)
        self._apply_presenter_mode()

    def _apply_presenter_mode(self) -> None:
        """Presenter mode (a projector, a screen share): every number on screen is masked.

        The results are masked; the input and the Calling / Caller ID boxes become masked read-only copies
        (the real values stay for the lookup), under a "Presenter mode: numbers hidden" note.
        """
        from sipsight.core.privacy import mask_text

        masked = bool(_setting(self.settings, "presenter_mode", False))
        self.input_panel.set_presenter(masked)
        mask = mask_text if masked else _same
        for panel in (self.headline, self.diagnosis, self.replies, self.detail):
            panel.mask = mask
        for view in (self.timeline, self.table):
            if view is not None:
                view.set_mask_numbers(masked)

    def _load_scenarios(self) -> None:
        from sipsight.core.scenarios import load_scenarios

        try:
            library = load_scenarios()
            self.scenarios = list(library.scenarios)
            for problem in getattr(library, "errors", []) or []:
                log.warning("scenario file skipped: %s", problem)
        except SipsightError as err:
            self.show_error(err.message, err.hint, retry=False)
            self.scenarios = []
        self.scenario_combo.blockSignals(True)
        self.scenario_combo.clear()
        for scenario in self.scenarios:
            self.scenario_combo.addItem(short_title(scenario.title), scenario.name)
            self.scenario_combo.setItemData(
                self.scenario_combo.count() - 1, f"{scenario.title}\n{scenario.summary}", Qt.ItemDataRole.ToolTipRole
            )
        wanted = self.initial_scenario or "origin-ticket"
        index = self.scenario_combo.findData(wanted)
        self.scenario_combo.setCurrentIndex(index if index >= 0 else 0)
        self.scenario_combo.blockSignals(False)

    def _fill_profiles(self) -> None:
        names = _profile_names(self.settings)
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for name in names:
            self.profile_combo.addItem(name, name)
        self.profile_combo.addItem("Demo data", DEMO)
        wanted = DEMO if self.force_demo else (self.initial_profile or _setting(self.settings, "active_profile", None))
        index = self.profile_combo.findData(wanted) if wanted else -1
        if index < 0:
            index = 0  # the first profile, or demo when none is configured
        self.profile_combo.setCurrentIndex(index)
        self.profile_combo.setVisible(self.profile_combo.count() > 1)
        self.profile_combo.blockSignals(False)
        self._profile_changed()

    # ================================================================== state
    @property
    def demo(self) -> bool:
        return self.profile_combo.currentData() in (DEMO, None)

    @property
    def profile(self) -> str | None:
        data = self.profile_combo.currentData()
        return None if data in (DEMO, None) else str(data)

    @property
    def scenario(self) -> str | None:
        data = self.scenario_combo.currentData()
        return str(data) if data else None

    def _profile_changed(self, *_: Any) -> None:
        demo = self.demo
        self.demo_badge.setVisible(demo)
        self.scenario_combo.setVisible(demo)
        self._update_source_label()

    def _update_source_label(self) -> None:
        if self.demo:
            title = self.scenario_combo.currentText() or "example calls"
            self.source_label.setText(f"Demo: {title}")
        else:
            self.source_label.setText(f"Account: {self.profile}")

    def _scenario_chosen(self, index: int) -> None:
        """Choosing a scenario pastes its conversation, so the whole flow can be shown from one click."""
        name = self.scenario_combo.itemData(index)
        scenario = next((s for s in self.scenarios if s.name == name), None)
        self._update_source_label()
        if scenario is not None:
            self.prefill_scenario(scenario)

    def prefill_scenario(self, scenario: Any) -> None:
        """Paste the scenario's conversation; numbers it does not mention come from the scenario (as from a CRM)."""
        self.input_panel.set_text(scenario.conversation.strip())
        case = self.input_panel.case
        if case is None or case.destination is None:
            self.input_panel.set_numbers(scenario.destination, scenario.caller_id)
            self.input_panel.show_message(
                "The conversation names no number; the scenario's numbers are filled in (as from the CRM)."
            )
        elif case.caller_id is None:
            self.input_panel.set_numbers(case.destination.e164, scenario.caller_id)

    def _window_changed(self, *_: Any) -> None:
        custom = self.window_combo.currentData() == "custom"
        for widget in (self.since_edit, self.until_label, self.until_edit):
            widget.setVisible(custom)

    def window_key(self) -> str:
        return str(self.window_combo.currentData())

    def set_window(self, key: str) -> None:
        self.window_combo.setCurrentIndex(max(self.window_combo.findData(key), 0))

    def _time_range(self, now: datetime) -> tuple[datetime, datetime | None]:
        key = self.window_key()
        for k, _, delta in WINDOWS:
            if k == key and delta is not None:
                return now - delta, None
        zone = _zone(self.tz)
        start = datetime.combine(self.since_edit.date().toPython(), time.min, zone)
        end = datetime.combine(self.until_edit.date().toPython(), time.max, zone)
        if end < start:
            start, end = end, start
        return start.astimezone(UTC), min(end.astimezone(UTC), now)

    # ================================================================== lookup
    def look_up(self) -> None:
        """Build the query from the (possibly corrected) numbers and start it; a running lookup is superseded."""
        if not self._started:
            self.finish_startup()
        from sipsight.core.models import DiagnosisContext, Query

        if self.input_panel.case is None or self.input_panel._parse_timer.isActive():
            self.input_panel.parse_now()
        try:
            destination, caller = self.input_panel.numbers()
        except SipsightError as err:
            self.input_panel.show_message(f"{err.message} {err.hint}".strip(), kind="error")
            self.input_panel.input.setFocus()
            return
        case = self.input_panel.case
        now = datetime.now(UTC)
        since, until = self._time_range(now)
        query = Query(destination=destination, caller_id=caller, since=since, until=until)
        context = DiagnosisContext(
            now=now,
            symptoms=[s.id for s in case.symptoms] if case else [],
            codes=[c.ref for c in case.codes] if case else [],
            prior_contact=bool(case.prior_contact) if case else False,
        )
        request = LookupRequest(
            query=query,
            context=context,
            profile=self.profile,
            demo=self.demo,
            scenario=self.scenario,
            tz=self.tz,
            input_text=self.input_panel.text(),
            window=self.window_key(),
            session_options=dict(self.session_options),
        )
        self.run_request(request)

    def run_request(self, request: LookupRequest) -> int:
        self.last_request = request
        self.offer_bar.dismiss()
        return self.runner.start(request)

    def retry(self) -> None:
        if self.last_request is not None:
            self.banner.dismiss()
            self.run_request(self.last_request)

    def cancel_lookup(self) -> None:
        if self.runner.busy:
            self.runner.cancel()

    def _on_started(self, generation: int) -> None:
        self.banner.dismiss()
        if self.input_panel.message.property("kind") == "error":
            self.input_panel.show_message("")
        self.busy_label.setText(
            "Looking up calls…" if generation == 1 or not self.result else "Looking up calls (newer)…"
        )
        self.busy_bar.show()

    def _on_cancelled(self, _generation: int) -> None:
        self.busy_bar.hide()
        self.statusBar().showMessage("Lookup cancelled.", 3000)

    def _on_success(self, _generation: int, result: Any) -> None:
        self.busy_bar.hide()
        request = self.last_request
        self.show_result(result)
        if self.history is not None and request is not None:
            try:
                self.history.add_result(result, input_text=request.input_text, window=request.window)
            except Exception as err:  # the history is a convenience; a failure there must not hide the result
                log.warning("history not saved: %s", err)
        self.lookup_finished.emit(result)

    def _on_failure(self, _generation: int, err: BaseException) -> None:
        self.busy_bar.hide()
        from sipsight.core.errors import Cancelled

        if isinstance(err, Cancelled):
            self.statusBar().showMessage("Lookup cancelled.", 3000)
            return
        if isinstance(err, SipsightError):
            self.show_error(err.message, err.hint)
        else:
            from sipsight.core.crash import record_crash

            path = record_crash(err)
            self.show_error(
                "Something went wrong during the lookup.",
                f"Try again. If it keeps happening, send the log file {path} to the SIPSight team."
                if path
                else "Try again.",
            )
        self.lookup_failed.emit(err)

    def show_error(self, message: str, hint: str = "", *, retry: bool = True) -> None:
        actions = [("Retry", self.retry)] if retry and self.last_request is not None else []
        self.banner.show_message(message, hint, kind="error", actions=actions)

    def show_crash(self, message: str, path: str) -> None:
        """An unexpected error outside a lookup (from the hooks): small, non-blocking, never a traceback."""
        self.banner.show_message(
            "Something unexpected went wrong; SIPSight carries on.",
            f"Details were written to {path}." if path else "The details could not be saved.",
            kind="warning",
        )

    # ================================================================== results
    def show_result(self, result: Any) -> None:
        self.result = result
        self._attempts_by_id = {a.id: a for a in [*result.attempts, *result.caller_attempts]}
        self.headline.set_result(result)
        self.diagnosis.set_result(result)
        self.replies.set_result(result, tz=self.tz)
        if self.timeline is not None:
            self.timeline.set_attempts(result.attempts, result.caller_attempts, self.tz)
            self.table.set_attempts(result.attempts, result.caller_attempts, self.tz)
            self.legend.set_attempts([*result.attempts, *result.caller_attempts])
        self.detail.set_attempt(None)
        self.detail.hide()
        label = "Demo data" if result.demo else f"Account: {result.profile or result.provider}"
        if result.demo and result.scenario:
            title = next((s.title for s in self.scenarios if s.name == result.scenario), result.scenario)
            label = f"Demo: {short_title(title)}"
        self.source_label.setText(f"{label} · {masked_display(result.query.destination)} · {result.elapsed_s:.1f} s")

    def show_attempt(self, attempt_id: str) -> None:
        """Selection from the timeline, the table or an evidence link: both views follow, the detail shows it."""
        attempt = self._attempts_by_id.get(attempt_id)
        if attempt is None:  # "" : the user cleared the selection
            self.detail.set_attempt(None)
            self.detail.hide()
            return
        self.detail.set_attempt(attempt, self.tz)
        if not self.detail.isVisible():
            self.detail.show()
            total = sum(self.splitter.sizes()) or 600
            share = 0.42 if self.splitter.orientation() == Qt.Orientation.Horizontal else 0.36
            self.splitter.setSizes([int(total * (1 - share)), int(total * share)])
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
        self.tabs.setCurrentIndex(TABS.index("timeline"))
        self.show_attempt(attempt_ids[0])

    def _on_copied(self, part: str) -> None:
        self.toast.show_text(
            {"reply": "Reply copied", "note": "Internal note copied", "summary": "Summary copied"}.get(part, "Copied")
        )

    # ================================================================== input routes
    def paste_into_input(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text:
            self.input_panel.paste_text(text)

    def _focus_input(self) -> None:
        self.input_panel.input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.input_panel.input.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys that reach the window itself (no widget has focus, e.g. not yet activated): paste and look up."""
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_into_input()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.look_up()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasText() or event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        text = mime.text() if mime.hasText() else "\n".join(u.toString() for u in mime.urls())
        if text:
            self.input_panel.set_text(text)
            event.acceptProposedAction()

    def _offer_clipboard(self, text: str, case: Any) -> None:
        shown = masked_display(case.destination.e164)

        def accept() -> None:
            self.offer_bar.dismiss()
            self.input_panel.set_text(text)
            self.look_up()

        self.offer_bar.show_message(
            f"Look up {shown} from the clipboard?",
            kind="info",
            actions=[("Look up", accept), ("Dismiss", self.offer_bar.dismiss)],
        )

    # ================================================================== history
    def _fill_history_menu(self) -> None:
        self.history_menu.clear()
        entries = self.history.entries() if self.history is not None else []
        if not entries:
            empty = self.history_menu.addAction("No recent lookups")
            empty.setEnabled(False)
            return
        zone = _zone(self.tz)
        for entry in entries[:20]:
            action = QAction(entry.label(zone), self.history_menu)
            action.setToolTip("Reopen this case")
            action.triggered.connect(lambda _=False, eid=entry.id: self.open_history_entry(eid))
            self.history_menu.addAction(action)
        self.history_menu.addSeparator()
        self.history_menu.addAction("Clear history", self.clear_history)

    def open_history_entry(self, entry_id: str, *, rerun: bool = False) -> None:
        """One click reopens a case: the stored result at once (or a fresh lookup when it cannot be restored)."""
        if self.history is None:
            return
        entry = self.history.get(entry_id)
        if entry is None:
            return
        self.input_panel.set_text(entry.input_text or entry.destination)
        self.input_panel.set_numbers(entry.destination, entry.caller_id)
        self.set_window(entry.window if entry.window != "custom" else "7d")
        if entry.demo:
            self.profile_combo.setCurrentIndex(self.profile_combo.findData(DEMO))
            if entry.scenario:
                index = self.scenario_combo.findData(entry.scenario)
                if index >= 0:
                    self.scenario_combo.setCurrentIndex(index)
        elif entry.profile and self.profile_combo.findData(entry.profile) >= 0:
            self.profile_combo.setCurrentIndex(self.profile_combo.findData(entry.profile))
        restored = None if rerun else entry.restore()
        if restored is None:
            self.look_up()
            return
        self.banner.dismiss()
        self.show_result(restored)
        when = entry.created.astimezone(_zone(self.tz))
        self.statusBar().showMessage(f"Reopened from history ({when:%b %d %H:%M}); press Enter to look up again.", 6000)

    def clear_history(self) -> None:
        if self.history is not None:
            self.history.clear()
            self.statusBar().showMessage("History cleared.", 3000)

    # ================================================================== settings
    def open_training(self) -> None:
        import shiboken6

        from sipsight.gui.training import open_training

        existing = getattr(self, "training_window", None)
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return
        self.training_window = open_training(self)

    def open_settings(self) -> None:
        from sipsight.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.saved.connect(self.apply_settings)
        dialog.clear_history_requested.connect(self.clear_history)
        dialog.open()
        self._settings_dialog = dialog

    def apply_settings(self, settings: Any) -> None:
        self.settings = settings
        self.tz = _resolve_tz(_setting(settings, "timezone", None))
        self.region = _setting(settings, "default_region", "US") or "US"
        theme = _setting(settings, "theme", None)
        if theme:
            from PySide6.QtWidgets import QApplication

            from sipsight.gui.theme import apply_theme

            apply_theme(QApplication.instance(), theme)
        self.input_panel.region = self.region
        self.clipboard.region = self.region
        self.clipboard.set_enabled(bool(_setting(settings, "clipboard_watch", False)))
        self.set_always_on_top(bool(_setting(settings, "always_on_top", False)))
        self._apply_presenter_mode()
        if self.history is not None:
            self.history.set_limits(
                days=int(_setting(settings, "history_days", 30) or 30),
                max_entries=int(_setting(settings, "history_max", 50) or 50),
            )
        current = self.profile_combo.currentData()
        self.initial_profile = current if current != DEMO else None
        self.force_demo = current == DEMO and bool(_profile_names(settings)) is False
        self._fill_profiles()
        if self.result is not None:
            self.show_result(self.result)

    def set_always_on_top(self, on: bool) -> None:
        self.pin_button.blockSignals(True)
        self.pin_button.setChecked(on)
        self.pin_button.blockSignals(False)
        was_visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
        if was_visible:
            self.show()  # changing a window flag hides the window

    def _pin_toggled(self, on: bool) -> None:
        self.set_always_on_top(on)
        if self.settings is not None and hasattr(self.settings, "always_on_top"):
            self.settings.always_on_top = on
            self._save_settings()

    def _restore_geometry(self) -> None:
        geometry = _setting(self.settings, "window_geometry", None)
        if geometry:
            try:
                self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                log.info("ignoring an unreadable saved window geometry")

    def _save_settings(self) -> None:
        if self.settings is None:
            return
        try:
            from sipsight.settings.store import save_settings

            save_settings(self.settings)
        except (SipsightError, OSError) as err:
            log.warning("settings not saved: %s", err)

    def resizeEvent(self, event: Any) -> None:
        # Beside an inbox the panel is narrow: the record goes under the timeline. Maximised, beside it.
        wide = event.size().width() >= WIDE_LAYOUT_PX
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.cancel()
        if self.remember_on_close and self.settings is not None and hasattr(self.settings, "window_geometry"):
            self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
            if hasattr(self.settings, "lookup_window") and self.window_key() != "custom":
                self.settings.lookup_window = self.window_key()
            self._save_settings()
        super().closeEvent(event)


# ---------------------------------------------------------------------- helpers
def _same(text: str) -> str:
    return text


def short_title(title: str) -> str:
    """'608 Rejected across many sellers: the caller ID is blocked' -> '608 Rejected across many sellers'."""
    return title.split(":", 1)[0].strip() or title


def _setting(settings: Any, name: str, default: Any) -> Any:
    return getattr(settings, name, default) if settings is not None else default


def _profile_names(settings: Any) -> list[str]:
    profiles = _setting(settings, "profiles", None) or {}
    if isinstance(profiles, dict):
        return list(profiles)
    return [getattr(p, "name", str(p)) for p in profiles]


def _zone(tz: str) -> Any:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(tz)
    except Exception:
        return UTC


def _resolve_tz(value: str | None) -> str:
    """The display zone: core's reading of 'local' (or of a typed name); a name zoneinfo does not know is kept,
    and the timeline labels it "UTC (name unknown)"."""
    from sipsight.core.timezones import resolve_tz

    try:
        return resolve_tz(value)
    except SipsightError:
        return str(value)


def window_icon() -> QIcon:
    from PySide6.QtGui import QPixmap

    from sipsight.core.resources import read_bytes

    pixmap = QPixmap()
    try:
        pixmap.loadFromData(read_bytes("icons", "sipsight.svg"), "SVG")
    except (FileNotFoundError, OSError):
        return QIcon()
    return QIcon(pixmap)
