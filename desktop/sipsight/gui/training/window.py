"""The training window: pick cases and a mode (start_page.py), then walk each case through six steps
(steps.py).

Call histories come from the embedded simulator exactly like a demo lookup, in the background (case_loader.py),
so the window never waits on the network: the current case loads while the trainee reads the ticket, and the
next case loads as soon as the current one is in.
"""

from __future__ import annotations

import logging
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.errors import SipsightError
from sipsight.core.models import DiagnosisKind
from sipsight.core.scenarios import Scenario, ScenarioLibrary, load_scenarios, user_scenarios_dir
from sipsight.gui.clipboard import set_clipboard
from sipsight.gui.training import style
from sipsight.gui.training.case_loader import CaseLoader
from sipsight.gui.training.start_page import StartPage
from sipsight.gui.training.steps import (
    CaseView,
    CheckPage,
    EndPage,
    ReplyPage,
    StepPage,
    TimelinePage,
    page_for,
)
from sipsight.gui.training.widgets import StepBar, label
from sipsight.training.session import STEP_TITLES, Mode, Step, TrainingSession

if TYPE_CHECKING:
    from sipsight.gui.lookup_request import SessionOptions

log = logging.getLogger("sipsight.gui")


class _NavKeys(QObject):
    """An application event filter: push buttons and the timeline would otherwise take the arrow keys for
    themselves; text fields and the calls table keep them (they need them for editing and moving)."""

    KEEP = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractItemView, QComboBox, QAbstractSpinBox)

    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        # a weak reference: a Python cycle through a Qt object would let the garbage collector delete the
        # window from whatever thread it happens to run in (a lookup thread), which crashes Qt
        self._window = weakref.ref(window)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        window = self._window()
        if (
            window is not None
            and event.type() == QEvent.Type.KeyPress
            and isinstance(obj, QWidget)
            and obj.window() is window
            and not isinstance(obj, self.KEEP)
        ):
            return isinstance(event, QKeyEvent) and window.handle_key(event)
        return False


class TrainingWindow(QWidget):
    """The whole training tool; `open_training()` creates and shows one."""

    result_arrived = Signal(str)  # scenario name (tests, screenshots)
    step_shown = Signal(int)  # Step value, 0 for the end page

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        presenter: bool = False,
        tz: str = "UTC",
        session_options: SessionOptions | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("TrainingWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("SIPSight Training")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tz = tz
        self.presenter = presenter
        self.loader = CaseLoader(self, tz=tz, session_options=session_options or {})
        self.loader.arrived.connect(self._arrived)
        self.library = ScenarioLibrary()
        self.session: TrainingSession | None = None
        self._known: set[str] = set()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        self.start_page = StartPage(self.stack)
        self.start_page.start_requested.connect(self.start_session)
        self.start_page.reload_requested.connect(self.reload_scenarios)
        self.start_page.open_folder_requested.connect(self.open_scenarios_folder)
        self.start_page.presenter.setChecked(presenter)
        self.start_page.presenter.toggled.connect(self.set_presenter)
        self.stack.addWidget(self.start_page)
        self.walk = self._build_walk()
        self.stack.addWidget(self.walk)
        self._shortcuts()
        self.reload_scenarios()
        self.set_presenter(presenter)
        self.resize(1280, 860)

    # ------------------------------------------------------------------ building
    def _build_walk(self) -> QWidget:
        walk = QWidget(self.stack)
        walk.setObjectName("TrPage")
        layout = QVBoxLayout(walk)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QWidget(walk)
        head = QVBoxLayout(header)
        head.setContentsMargins(28, 16, 28, 8)
        head.setSpacing(6)
        top = QHBoxLayout()
        self.case_label = label("", "TrCaseLabel", header, wrap=False)
        top.addWidget(self.case_label)
        top.addStretch(1)
        self.presenter_badge = QLabel("PRESENTER MODE", header)
        self.presenter_badge.setObjectName("TrPresenterBadge")
        top.addWidget(self.presenter_badge)
        head.addLayout(top)
        self.case_title = label("", "TrCaseTitle", header)
        head.addWidget(self.case_title)
        self.step_bar = StepBar(header)
        head.addWidget(self.step_bar)
        layout.addWidget(header)

        self.pages_stack = QStackedWidget(walk)
        self.pages: dict[Step, StepPage] = {}
        for step in Step:
            page = page_for(step, self.pages_stack)
            page.retry_button.clicked.connect(self._retry_current)
            self.pages_stack.addWidget(page)
            self.pages[step] = page
            if isinstance(page, CheckPage):
                page.picked.connect(self.pick_check)
            elif isinstance(page, TimelinePage):
                page.picked.connect(self._pick_quiz_index)
                self.timeline_page = page
            elif isinstance(page, ReplyPage):
                page.copy_requested.connect(self._copy_reply)
        self.end_page = EndPage(self.pages_stack)
        self.end_page.restart.connect(self.restart_session)
        self.end_page.new_session.connect(self.show_start)
        self.pages_stack.addWidget(self.end_page)
        layout.addWidget(self.pages_stack, 1)

        footer = QFrame(walk)
        footer.setObjectName("TrFooter")
        row = QHBoxLayout(footer)
        row.setContentsMargins(28, 10, 28, 12)
        row.setSpacing(10)
        self.back_button = QPushButton("◀  Back", footer)
        self.back_button.setToolTip("Previous step (Left arrow)")
        self.back_button.clicked.connect(self.go_back)
        row.addWidget(self.back_button)
        self.status = label("", "TrStatus", footer)
        row.addWidget(self.status, 1)
        self.export_button = QPushButton("Export summary…", footer)
        self.export_button.setToolTip("Save this case's educational summary as Markdown, HTML or PDF")
        self.export_button.clicked.connect(self.export_dialog)
        row.addWidget(self.export_button)
        self.end_button = QPushButton("End session", footer)
        self.end_button.setToolTip("Back to the list of cases")
        self.end_button.clicked.connect(self.show_start)
        row.addWidget(self.end_button)
        self.next_button = QPushButton("Next  ▶", footer)
        self.next_button.setObjectName("PrimaryButton")
        self.next_button.setToolTip("Next step (Right arrow)")
        self.next_button.clicked.connect(self.go_next)
        row.addWidget(self.next_button)
        layout.addWidget(footer)
        return walk

    def _shortcuts(self) -> None:
        """The arrow keys page through the steps from anywhere in the window (see _NavKeys)."""
        self._nav_keys = _NavKeys(self)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Left/Right (and PageUp/PageDown) move between steps, 1-9 answer; True when the key was used."""
        if not self._walking() or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        k = event.key()
        if k in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):
            self.go_next()
        elif k in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.go_back()
        elif Qt.Key.Key_1 <= k <= Qt.Key.Key_9:
            self._key_choice(k - Qt.Key.Key_0)
        else:
            return False
        return True

    def showEvent(self, event: QShowEvent) -> None:
        self.loader.closed = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._nav_keys)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._nav_keys)
        super().hideEvent(event)

    def _walking(self) -> bool:
        return self.stack.currentWidget() is self.walk

    def _key_choice(self, n: int) -> None:
        if self._walking() and self.session is not None and not self.session.finished:
            self.pages[self.session.step].choose(n)

    # ------------------------------------------------------------------ scenarios
    def reload_scenarios(self) -> None:
        before = set(self.start_page.selected()) if self.library.scenarios else None
        try:
            self.library = load_scenarios()
        except SipsightError as err:
            self.library = ScenarioLibrary()
            self.start_page.errors_text.setText(err.one_line())
            self.start_page.errors.show()
            return
        if before is not None:  # keep the trainer's ticks; a newly added case starts ticked
            before |= {s.name for s in self.library.scenarios if s.name not in self._known}
        self._known = {s.name for s in self.library.scenarios}
        self.start_page.set_library(self.library, before)

    def open_scenarios_folder(self) -> None:
        folder = user_scenarios_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            self.start_page.folder_note.setText(f"Could not create {folder}: {err}")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.start_page.folder_note.setText(f"Open this folder in your file manager: {folder}")

    # ------------------------------------------------------------------ session
    def start_session(self, names: list[str] | None = None, mode: Mode | str | None = None) -> None:
        """Start with the checked cases (or `names`), in the chosen mode (or `mode`)."""
        wanted = names if names is not None else self.start_page.selected()
        scenarios = [s for name in wanted if (s := self.library.find(name)) is not None]
        if not scenarios:
            return
        self.session = TrainingSession(scenarios, mode or self.start_page.mode())
        self.stack.setCurrentWidget(self.walk)
        self.loader.ensure(self.session.scenario)
        self.refresh()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def restart_session(self) -> None:
        if self.session is not None:
            self.start_session([c.scenario.name for c in self.session.cases], self.session.mode)

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_page)

    def go_next(self) -> None:
        if self.session is not None and self.session.next():
            self.refresh()

    def go_back(self) -> None:
        if self.session is not None and self.session.back():
            self.refresh()

    def pick_check(self, index: int) -> None:
        if self.session is not None:
            self.session.pick_check(index)
            self.refresh()

    def pick_diagnosis(self, kind: DiagnosisKind) -> None:
        if self.session is not None:
            fresh = self.session.case.quiz_pick is None
            self.session.pick_diagnosis(kind)
            self.refresh()
            if fresh:
                self.timeline_page.reveal()

    def _pick_quiz_index(self, index: int) -> None:
        if self.session is not None and self.session.case.quiz_pick is None:
            self.pick_diagnosis(self.session.scenario.teaching.quiz_choices[index])

    # ------------------------------------------------------------------ results (background)
    def _arrived(self, name: str) -> None:
        if self.session is not None and self.session.scenario.name == name:
            self.refresh()
            self._prefetch_next()
        self.result_arrived.emit(name)

    def _prefetch_next(self) -> None:
        session = self.session
        if session is not None and session.case_index + 1 < len(session.cases):
            self.loader.ensure(session.cases[session.case_index + 1].scenario)

    def _retry_current(self) -> None:
        if self.session is not None:
            self.loader.retry(self.session.scenario)
            self.refresh()

    def wait_idle(self, msecs: int = 10000) -> bool:
        """Tests and shutdown: let the pool threads finish."""
        return self.loader.wait_idle(msecs)

    # ------------------------------------------------------------------ presenting
    def view(self) -> CaseView | None:
        if self.session is None:
            return None
        name = self.session.scenario.name
        result, error = self.loader.results.get(name), self.loader.errors.get(name)
        return CaseView(self.session.scenario, result, error, self.presenter, self.tz)

    def title_of(self, scenario: Scenario) -> str:
        return scenario.title

    def current_page(self) -> QWidget | None:
        return self.pages_stack.currentWidget()

    def refresh(self) -> None:
        """Show the session as it is now: the current step's page, the header and the footer."""
        session = self.session
        if session is None:
            return
        self.presenter_badge.setVisible(self.presenter)
        if session.finished:
            self.case_label.setText("SESSION COMPLETE")
            self.case_title.setText(f"{len(session.cases)} case{'s' if len(session.cases) != 1 else ''}")
            self.step_bar.set_current(None)
            self.end_page.show_session(session, self.title_of)
            self.pages_stack.setCurrentWidget(self.end_page)
            self._update_footer()
            self._keep_keys()
            self.step_shown.emit(0)
            return
        view = self.view()
        assert view is not None
        self.loader.ensure(session.scenario)
        step = session.step
        mode = "Quiz" if session.quiz else "Walkthrough"
        self.case_label.setText(
            f"{mode.upper()} · CASE {session.case_index + 1} OF {len(session.cases)} · STEP {int(step)} OF {len(Step)}"
        )
        title = session.scenario.title if session.title_revealed() else "What is going on with this customer's calls?"
        self.case_title.setText(title)
        self.step_bar.set_current(step)
        page = self.pages[step]
        page.show_view(view, session)
        self.pages_stack.setCurrentWidget(page)
        self._update_footer()
        self._keep_keys()
        self.step_shown.emit(int(step))

    def _keep_keys(self) -> None:
        # a disabled or hidden widget with the focus gets no key events: the arrow keys would stop working
        focus = self.focusWidget()
        if focus is None or not focus.isEnabled() or not focus.isVisible():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_footer(self) -> None:
        session = self.session
        assert session is not None
        self.back_button.setEnabled(session.can_go_back())
        self.next_button.setEnabled(session.can_go_next())
        last = session.case_index + 1 == len(session.cases)
        if session.finished:
            self.next_button.setText("Next  ▶")
        elif session.step is Step.REPLY:
            self.next_button.setText("Finish  ▶" if last else "Next case  ▶")
        else:
            self.next_button.setText(f"{STEP_TITLES[Step(session.step + 1)]}  ▶")
        name = session.scenario.name
        self.export_button.setEnabled(not session.finished and name in self.loader.results)
        self.end_button.setText("Choose cases" if session.finished else "End session")
        reason = session.next_blocked_reason()
        if session.finished:
            self.status.setText("Well done.")
        elif reason:
            self.status.setText(reason)
        elif name in self.loader.pending:
            self.status.setText("Loading the call history in the background…")
        else:
            answering = session.step in (Step.CHECK, Step.TIMELINE)
            self.status.setText("← → to move between steps" + (" · 1–9 to answer" if answering else ""))

    def set_presenter(self, on: bool) -> None:
        self.presenter = bool(on)
        if self.start_page.presenter.isChecked() != self.presenter:
            self.start_page.presenter.setChecked(self.presenter)
        style.apply(self, self.presenter)
        self.timeline_page.set_presenter(self.presenter)
        self.setWindowTitle("SIPSight Training" + (" (presenter)" if self.presenter else ""))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        # a theme switch changes the palette; styling itself changes it too, hence the check
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "pages") and style.theme_changed(self):
            style.apply(self, self.presenter)
        super().changeEvent(event)

    # ------------------------------------------------------------------ copy / export
    def _copy_reply(self, text: str) -> None:
        from sipsight.gui.replies_panel import text_to_html

        if not text.strip():
            return
        mime = QMimeData()
        mime.setText(text)
        mime.setHtml(text_to_html(text))
        set_clipboard(mime)
        self.status.setText("Reply copied.")

    def export_summary(self, path: Path | str, fmt: str | None = None) -> Path:
        """Write the current case's educational summary (md/html/pdf); raises SipsightError on a bad path."""
        from sipsight.export.pdf import export_summary

        result = self.loader.results.get(self.session.scenario.name) if self.session is not None else None
        if result is None:
            raise SipsightError("This case's call history has not loaded yet.", "Wait a moment and try again.")
        return export_summary(result, path, fmt, tz=self.tz)

    def export_dialog(self) -> None:
        if self.session is None:
            return
        suggested = str(Path.home() / f"sipsight-summary-{self.session.scenario.name}.pdf")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the educational summary", suggested, "PDF (*.pdf);;HTML (*.html);;Markdown (*.md)"
        )
        if not path:
            return
        try:
            written = self.export_summary(path)
        except SipsightError as err:
            self.status.setText(err.one_line())
            return
        self.status.setText(f"Summary saved to {written}")

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        self.loader.close()
        super().closeEvent(event)
