"""The side-panel assistant: paste, look up, read why, copy the answer.

The window lays out the panels and wires their signals; the lookups themselves (building the query, the
worker, supersede, retry, history, the display zone) belong to `LookupController` (`self.lookups`).

Startup cost matters (it sits next to the inbox and is opened all day): the window is built from Qt
widgets only; settings are read before show (geometry), and everything heavy (intake, knowledge, the
scenario library, the history file, httpx) loads in `finish_startup`, after the first paint.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from sipsight.core.errors import InputError, SipsightError
from sipsight.gui import history_menu
from sipsight.gui.banner import BusyBar, MessageBar, Toast
from sipsight.gui.candidates_view import CandidatesView
from sipsight.gui.clipboard_watch import ClipboardWatch, masked_display
from sipsight.gui.diagnosis_panel import HeadlineCard
from sipsight.gui.inbox_actions import InboxActions
from sipsight.gui.input_panel import InputPanel
from sipsight.gui.lookup_controller import LookupController, failure_text
from sipsight.gui.lookup_request import LookupForm
from sipsight.gui.results_view import TABS, ResultsView, open_caller_health
from sipsight.gui.top_bar import DEMO, TopBar, short_title
from sipsight.gui.window_picker import WindowPicker
from sipsight.settings.model import Settings

if TYPE_CHECKING:
    from sipsight.core.models import Case, LookupResult
    from sipsight.core.scenarios import Scenario
    from sipsight.gui.error_hooks import ErrorHooks
    from sipsight.gui.settings_dialog import SettingsDialog
    from sipsight.gui.training.window import TrainingWindow

log = logging.getLogger("sipsight.gui")

WIDE_LAYOUT_PX = 760


class MainWindow(QMainWindow):
    lookup_finished = Signal(object)  # LookupResult shown and kept in the history (tests, --screenshot)
    lookup_failed = Signal(object)  # the error shown in the banner
    startup_finished = Signal()

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        demo: bool = False,
        scenario: str | None = None,
        profile: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle("SIPSight")
        self.settings = settings  # None: the settings file could not be read; the defaults apply, nothing is saved
        self.prefs = settings or Settings()
        self.force_demo = demo
        self.initial_scenario = scenario
        self.initial_profile = profile
        self.scenarios: list[Scenario] = []
        self._started = False
        self._gc_frozen = False
        self.persist = True  # False for screenshots: no settings or history saved, no history file read
        self.error_hooks: ErrorHooks | None = None
        self.training_window: TrainingWindow | None = None
        self.settings_dialog: SettingsDialog | None = None

        self.lookups = LookupController(self, time_zone=self.prefs.timezone)
        self.lookups.started.connect(self._on_started)
        self.lookups.succeeded.connect(self._on_success)
        self.lookups.finished.connect(self._on_finished)
        self._finishing: LookupResult | None = None  # kept in the history; lookup_finished once it is all shown
        self.lookups.failed.connect(self._on_failure)
        self.lookups.cancelled.connect(self._on_cancelled)
        self.lookups.rejected.connect(self._on_rejected)
        self.lookups.history_noted.connect(self.show_storage_notes)

        self._build()
        if self.prefs.presenter_mode:
            self.input_panel.set_presenter(True)  # from the first frame: nothing unmasked ever reaches a projector
        self._shortcuts()
        self.setAcceptDrops(True)
        self.resize(440, 820)
        self.setMinimumWidth(360)
        self._restore_geometry()
        self.set_always_on_top(self.prefs.always_on_top)

    # ================================================================== building
    def _build(self) -> None:
        central = QWidget(self)
        central.setObjectName("Central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 8, 10, 6)
        outer.setSpacing(8)
        self.setCentralWidget(central)

        self.top_bar = TopBar(central)
        self.top_bar.source_changed.connect(self._show_source)
        self.top_bar.scenario_chosen.connect(self._scenario_chosen)
        self.top_bar.pin_toggled.connect(self._pin_toggled)
        self.top_bar.history_menu.aboutToShow.connect(self.fill_history_menu)
        self.top_bar.training_button.clicked.connect(self.open_training)
        self.top_bar.settings_button.clicked.connect(self.open_settings)
        outer.addWidget(self.top_bar)

        self.banner = MessageBar(central)
        self.banner.setObjectName("MessageBar")
        self.banner.setAccessibleName("Error banner")
        outer.addWidget(self.banner)
        self.offer_bar = MessageBar(central)
        self.offer_bar.setAccessibleName("Clipboard offer")
        outer.addWidget(self.offer_bar)

        self.input_panel = InputPanel(central)
        self.input_panel.region = self.prefs.default_region or "US"
        self.input_panel.lookup_requested.connect(self.look_up)
        self.input_panel.roles_corrected.connect(self.look_up)  # a chip's role corrected: look the case up again
        self.window_picker = WindowPicker(self.input_panel, self.input_panel.action_row, self.prefs.lookup_window)
        outer.addWidget(self.input_panel)

        self.busy_bar = BusyBar(central)
        self.busy_bar.cancel_requested.connect(self.cancel_lookup)
        outer.addWidget(self.busy_bar)

        self.candidates = CandidatesView(central)  # which number did they mean? (a caller-first lookup)
        self.candidates.picked.connect(self.look_up_number)
        outer.addWidget(self.candidates)
        self.headline = HeadlineCard(central)
        outer.addWidget(self.headline)

        self.results = ResultsView(central)
        self.results.rendered.connect(self._on_rendered)
        outer.addWidget(self.results, 1)
        self.replies = self.results.replies  # the Reply tab: its copy shortcut, the toast and the clipboard watch

        self.source_label = QLabel(self)
        self.source_label.setObjectName("SourceLabel")
        self.statusBar().addWidget(self.source_label, 1)
        self.statusBar().setSizeGripEnabled(True)
        self.toast = Toast(central)
        self.replies.copied.connect(self._on_copied)
        self.replies.exported.connect(lambda path: self.toast.show_text(f"Summary saved to {Path(path).name}"))
        self.replies.export_failed.connect(lambda message, hint: self.show_error(message, hint, retry=False))
        self.inbox = InboxActions(self)  # a pasted Intercom link -> the case; the note back
        self.replies.note_requested.connect(self.inbox.add_note)

        self.clipboard = ClipboardWatch(self)
        self.clipboard.offer.connect(self._offer_clipboard)
        self.replies.copying.connect(self.clipboard.ignore_next)

    def _shortcuts(self) -> None:
        def add(seq: QKeySequence | QKeySequence.StandardKey | str, slot: Callable[[], object]) -> None:
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
        add("Ctrl+H", self.top_bar.history_button.showMenu)
        for i in range(len(TABS)):
            add(f"Ctrl+{i + 1}", partial(self.results.tabs.setCurrentIndex, i))

    # ================================================================== startup
    def finish_startup(self) -> None:
        """After the first paint: load the heavy parts, then fill the combos and history."""
        if self._started:
            return
        self._started = True
        self.results.attach_views()
        self.results.caller_health_requested.connect(lambda caller: open_caller_health(self, caller))
        self.lookups.warm_up()
        self._apply_presenter_mode()
        self.lookups.attach_history(self.prefs.history_days, self.prefs.history_max, enabled=self.persist)
        self.show_storage_notes()
        self._load_scenarios()
        self._fill_profiles()
        if QGuiApplication.focusObject() is None:
            self.input_panel.input.setFocus(Qt.FocusReason.OtherFocusReason)  # paste-first: ready for Ctrl+V
        self.clipboard.region = self.input_panel.region
        self.clipboard.set_enabled(self.prefs.clipboard_watch)
        self.startup_finished.emit()

    def _apply_presenter_mode(self) -> None:
        """Presenter mode (a projector, a screen share): every number on screen is masked.

        The results are masked; the input and the Calling / Caller ID boxes become masked read-only copies
        (the real values stay for the lookup), under a "Presenter mode: numbers hidden" note.
        """
        from sipsight.core.privacy import mask_text

        masked = self.prefs.presenter_mode
        self.input_panel.set_presenter(masked)
        redact = mask_text if masked else _same
        self.headline.redact = self.candidates.redact = redact
        self.results.set_presenter(masked, redact)

    def _load_scenarios(self) -> None:
        from sipsight.core.scenarios import load_scenarios

        try:
            library = load_scenarios()
            self.scenarios = list(library.scenarios)
            for problem in library.errors:
                log.warning("scenario file skipped: %s", problem)
        except SipsightError as err:
            self.show_error(err.message, err.hint, retry=False)
            self.scenarios = []
        self.top_bar.set_scenarios(self.scenarios, self.initial_scenario or "origin-ticket")

    def _fill_profiles(self) -> None:
        wanted = DEMO if self.force_demo else (self.initial_profile or self.prefs.active_profile)
        self.top_bar.set_profiles([p.name for p in self.prefs.profiles], wanted)

    # ================================================================== what to look in
    @property
    def demo(self) -> bool:
        return self.top_bar.demo

    @property
    def profile(self) -> str | None:
        return self.top_bar.profile

    def _show_source(self) -> None:
        self.source_label.setText(self.top_bar.source_text())

    def _scenario_chosen(self, name: str) -> None:
        """Choosing a scenario pastes its conversation, so the whole flow can be shown from one click."""
        scenario = next((s for s in self.scenarios if s.name == name), None)
        if scenario is not None:
            self.prefill_scenario(scenario)

    def prefill_scenario(self, scenario: Scenario) -> None:
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

    # ================================================================== lookup
    def look_up(self) -> None:
        """Look up the panel's numbers (superseding a running lookup); a link is read first; no number: caller-first."""
        if not self._started:
            self.finish_startup()
        panel = self.input_panel
        if panel.parse_pending():  # intake is still reading the text (a big paste): look up once it has
            panel.when_parsed(self.look_up)
            return
        if self.inbox.intercept(panel.text()):
            return
        if panel.case is None:
            panel.parse_now()
        linked = self.inbox.current_case()
        contact = linked.caller_id.e164 if linked is not None and linked.caller_id is not None else None
        try:  # no destination: which number did they mean? From the caller ID typed, read, the contact's or the demo's
            destination, caller = panel.numbers(caller_first=True)
            if not (destination or caller or contact or self.inbox.subaccount() or self.demo):
                panel.numbers()  # intake's "No phone number found"
        except InputError as err:
            panel.show_message(f"{err.message} {err.hint}".strip(), kind="error")
            panel.input.setFocus()
            return
        self.offer_bar.dismiss()
        form = LookupForm(
            destination=destination,
            caller_id=caller,
            window=self.window_picker.window(),
            profile=self.top_bar.profile,
            scenario=self.top_bar.scenario,
            provider=self._provider(),
            input_text=panel.text(),
            case=panel.case,
            agent_name=self.prefs.agent_name,
            company_name=self.prefs.company_name,
            contact_caller_id=contact,
            account=self.inbox.subaccount(),
            customer_name=linked.contact_name if linked is not None else None,
        )
        self.inbox.lookup_started(self.lookups.look_up(form), linked)

    def look_up_number(self, number: str) -> None:
        """A number picked from the ranking: looked up as the destination, with the caller ID the ranking used."""
        ranking = self.candidates.ranking
        caller = ranking.caller_id if ranking is not None else None
        self.input_panel.set_numbers(number, caller)
        self.look_up()

    def _provider(self) -> str:
        """The catalog name of the provider a lookup asks (its retention bounds the window): the account's, or
        for demo data its scenario's."""
        if self.top_bar.profile is not None:
            profile = self.prefs.profile(self.top_bar.profile)
            return profile.provider if profile is not None else "twilio"
        scenario = next((s for s in self.scenarios if s.name == self.top_bar.scenario), None)
        return scenario.provider if scenario is not None else "twilio"

    def retry(self) -> None:
        if self.banner.kind == "error":
            self.banner.dismiss()
        self.offer_bar.dismiss()
        self.lookups.retry()

    def cancel_lookup(self) -> None:
        self.inbox.cancel()
        self.lookups.cancel()

    def _on_started(self, generation: int) -> None:
        if self.banner.kind == "error":  # a warning (settings, history, a crash) stays until the agent closes it
            self.banner.dismiss()
        if self.input_panel.message.property("kind") == "error":
            self.input_panel.show_message("")
        newer = generation > 1 and self.lookups.result is not None
        self.busy_bar.show_busy("Looking up calls (newer)…" if newer else "Looking up calls…")

    def _on_cancelled(self) -> None:
        self.busy_bar.hide()
        self.statusBar().showMessage("Lookup cancelled.", 3000)

    def _on_success(self, result: LookupResult) -> None:
        self.busy_bar.hide()
        self.show_result(result)
        self.inbox.result_shown(self.lookups.generation, result)
        if result.candidates is not None and self.input_panel.message.property("kind") != "error":
            self.input_panel.show_message(self.inbox.panel_note())  # not "No phone number found": the ranking says why
        if result.caller_id and (result.query.caller_id is None or result.candidates is not None):
            self.input_panel.show_inferred_caller(result.caller_id, ranked=self.inbox.caller_is_customers(result))

    def _on_finished(self, result: LookupResult) -> None:
        self._finishing = result
        if not self.results.rendering:
            self._on_rendered(result)

    def _on_rendered(self, result: LookupResult) -> None:
        if result is self._finishing:
            self._finishing = None
            if not self._gc_frozen:
                # Everything loaded by now (Qt, the knowledge base, the first result) is there for good: out of
                # the collector's sight, a full collection no longer walks it (a 50-100 ms pause of every thread).
                gc.freeze()
                self._gc_frozen = True
            self.lookup_finished.emit(result)

    def _on_failure(self, err: BaseException) -> None:
        self.busy_bar.hide()
        self.show_error(*failure_text(err))
        self.lookup_failed.emit(err)

    def _on_rejected(self, err: InputError) -> None:
        """The time window cannot be looked up: said in the banner; the text and the last result stay."""
        self.show_error(err.message, err.hint, retry=False)

    def show_error(self, message: str, hint: str = "", *, retry: bool = True) -> None:
        actions = [("Retry", self.retry)] if retry and self.lookups.last_request is not None else []
        self.banner.show_message(message, hint, kind="error", actions=actions)

    def show_crash(self, message: str, path: str) -> None:
        """An unexpected error outside a lookup (from the hooks): small, non-blocking, never a traceback."""
        self.banner.show_message(
            "Something unexpected went wrong; SIPSight carries on.",
            f"Details were written to {path}." if path else "The details could not be saved.",
            kind="warning",
        )

    # ================================================================== results
    def show_result(self, result: LookupResult) -> None:
        self.candidates.set_result(result)
        self.headline.set_result(result)
        self.results.show_result(result, self.lookups.tz)
        label = "Demo data" if result.demo else f"Account: {result.profile or result.provider}"
        if result.demo and result.scenario:
            title = next((s.title for s in self.scenarios if s.name == result.scenario), result.scenario)
            label = f"Demo: {short_title(title)}"
        looked = masked_display(result.query.destination) if result.query.destination else "no number stood out"
        self.source_label.setText(f"{label} · {looked} · {result.elapsed_s:.1f} s")

    def _on_copied(self, part: str) -> None:
        self.toast.show_text(
            {"reply": "Reply copied", "note": "Internal note copied", "summary": "Summary copied"}.get(part, "Copied")
        )

    # ================================================================== input routes
    def paste_into_input(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text:
            self.input_panel.paste_text(text)
            self.inbox.intercept(self.input_panel.text())  # a conversation link is read at once

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

    def _offer_clipboard(self, text: str, case: Case) -> None:
        if case.destination is None:
            return
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
    def fill_history_menu(self) -> None:
        history_menu.fill(self)

    def open_history_entry(self, entry_id: str) -> None:
        history_menu.reopen(self, entry_id)

    def clear_history(self) -> None:
        if self.lookups.clear_history():
            self.statusBar().showMessage("History cleared.", 3000)

    # ================================================================== training and settings
    def open_training(self) -> None:
        import shiboken6

        from sipsight.gui.training import open_training

        existing = self.training_window
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return
        self.training_window = open_training(
            self,
            self.prefs.presenter_mode,
            tz=self.lookups.tz,
            session_options=self.lookups.session_options,
        )

    def open_settings(self) -> None:
        from sipsight.gui.settings_dialog import SettingsDialog

        current = self.settings
        if current is not None:
            from sipsight.settings.store import load_settings

            current = load_settings()  # as the file is now: the CLI may have added a profile since
        dialog = SettingsDialog(current, self)
        dialog.saved.connect(self.apply_settings)
        dialog.clear_history_requested.connect(self.clear_history)
        dialog.open()
        self.settings_dialog = dialog

    def apply_settings(self, settings: Settings) -> None:
        self.settings = self.prefs = settings
        self.show_storage_notes()
        self.lookups.set_time_zone(settings.timezone)
        self.lookups.set_demo_provider(settings.demo_provider)
        from sipsight.gui.theme import apply_theme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, settings.theme)
        self.input_panel.region = self.clipboard.region = settings.default_region or "US"
        self.clipboard.set_enabled(settings.clipboard_watch)
        self.set_always_on_top(settings.always_on_top)
        self._apply_presenter_mode()
        if self.lookups.history is not None:
            self.lookups.history.set_limits(days=settings.history_days, max_entries=settings.history_max)
        current = self.top_bar.profile_combo.currentData()
        self.initial_profile = current if current != DEMO else None
        self.force_demo = current == DEMO and not settings.profiles
        self._fill_profiles()
        if self.lookups.result is not None:
            self.show_result(self.lookups.result)

    def set_always_on_top(self, on: bool) -> None:
        self.top_bar.set_pinned(on)
        was_visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
        if was_visible:
            self.show()  # changing a window flag hides the window

    def _pin_toggled(self, on: bool) -> None:
        self.set_always_on_top(on)
        self.save_preferences(always_on_top=on)

    def save_preferences(self, **changes: str | bool) -> None:
        """One targeted change, merged into the settings file as it is now: a profile the CLI added while this
        window was open stays. Never the whole copy loaded at start."""
        if self.settings is None or not self.persist:
            return
        from sipsight.settings.edits import SettingsEdit
        from sipsight.settings.store import apply_edit

        try:
            self.settings = self.prefs = apply_edit(SettingsEdit().set_preferences(**changes))
        except (SipsightError, OSError, ValueError) as err:
            log.warning("settings not saved: %s", err)
        self.show_storage_notes()

    def show_storage_notes(self) -> None:
        """What the settings store and the history have to tell (a file set aside, saving failed), once, in the
        warning banner: it stays until the agent closes it or a newer note replaces it."""
        from sipsight.settings.store import take_notes

        notes = [*take_notes(), *self.lookups.take_history_notes()]
        if notes:
            self.banner.show_message("Note about your saved data", " ".join(notes), kind="warning")

    def _restore_geometry(self) -> None:
        geometry = self.prefs.window_geometry
        if geometry:
            try:
                self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                log.info("ignoring an unreadable saved window geometry")

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.results.set_wide(event.size().width() >= WIDE_LAYOUT_PX)
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lookups.cancel()
        self.inbox.close()
        changes: dict[str, str | bool] = {"window_geometry": self.saveGeometry().toBase64().toStdString()}
        preset = self.window_picker.preset()
        if preset is not None:
            changes["lookup_window"] = preset
        self.save_preferences(**changes)
        super().closeEvent(event)


def _same(text: str) -> str:
    return text


def window_icon() -> QIcon:
    from PySide6.QtGui import QPixmap

    from sipsight.core.resources import read_bytes

    pixmap = QPixmap()
    try:
        pixmap.loadFromData(read_bytes("icons", "sipsight.svg"), "SVG")
    except (FileNotFoundError, OSError):
        return QIcon()
    return QIcon(pixmap)
