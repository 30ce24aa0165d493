"""The Intercom inbox in the window: a pasted conversation link becomes the case, and the diagnosis goes back to
the conversation as an internal note (docs/inbox.md, docs/gui.md).

Link: the agent pastes a conversation link and presses Enter (or just pastes it). `InboxActions.intercept` sees the
link; the conversation is read on a pool thread (`IntercomSession.fetch_case`; the demo inbox is the Intercom
simulator on 127.0.0.1), the input is filled with the transcript (what was read is what the agent sees, parsed by
intake from the messages with their real authors), and the window looks it up with the contact's caller ID: a
caller-first lookup when the conversation names no number. Every failure (no Intercom set up, 401, 404, no network)
is a banner with what to do; the link stays in the box.

Note: "Add as internal note" (the Reply tab) shows the note in a dialog, posts it on a pool thread after the agent
confirms, and asks before posting an update when SIPSight already noted the conversation (`NoteExists`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget

from sipsight.core.errors import InputError, SipsightError
from sipsight.gui.background import BackgroundOp

if TYPE_CHECKING:
    from sipsight.core.lookup import CancelToken
    from sipsight.core.models import LookupResult
    from sipsight.gui.main_window import MainWindow
    from sipsight.inbox import InboxCase, InboxLink, IntercomSession, PostedNote

log = logging.getLogger("sipsight.gui")

NOT_SET_UP = "Intercom is not set up, so SIPSight cannot read this conversation link."
SET_UP_HINT = (
    "In a terminal, store the workspace's access token with 'sipsight profile intercom --token-stdin' "
    "(see 'sipsight profile intercom --help'), then press Enter again. Or choose Demo data to try the demo inbox."
)
NO_LINK_TIP = "Only for a case read from an Intercom conversation link: paste the link to post the note there."
Opener = Callable[[bool, dict[str, Any]], "IntercomSession"]


def link_in(text: str) -> InboxLink | None:
    """The Intercom conversation link when the text is one link and nothing else; None for any other text. An
    Intercom link that names no conversation raises the link parser's InputError (what to copy instead)."""
    from sipsight.inbox import parse_link

    stripped = text.strip()
    if not stripped or len(stripped) > 2048 or any(c.isspace() for c in stripped):
        return None
    if not stripped.lower().lstrip("<(\"'").startswith(("http://", "https://")):
        return None  # a bare conversation id is also a number: the CLI takes it, the window does not
    try:
        return parse_link(stripped)
    except InputError:
        if "intercom." in stripped.lower():
            raise
        return None


def _close_soon(session: IntercomSession) -> None:
    """Closing waits for the demo simulator's server loop to stop (up to half a second): not on the GUI thread."""
    threading.Thread(target=session.close, name="sipsight-inbox-close", daemon=True).start()


def _open(demo: bool, options: dict[str, Any]) -> IntercomSession:
    from sipsight.inbox import open_intercom

    return open_intercom(demo=demo, **options)


class InboxActions(QObject):
    fetched = Signal(object)  # InboxCase, once it fills the input
    fetch_failed = Signal(object)  # the error shown in the banner
    note_posted = Signal(object)  # PostedNote
    note_failed = Signal(object)

    def __init__(self, window: MainWindow, *, opener: Opener = _open) -> None:
        super().__init__(window)
        self.window = window
        self.opener = opener  # tests open the simulator with a fault
        self.case: InboxCase | None = None  # the conversation the input shows (its transcript, unedited)
        self.shown_case: InboxCase | None = None  # the conversation of the result shown: the one a note goes to
        self.case_demo = self.shown_demo = False  # whether that conversation came from the demo inbox
        self.fetching: str | None = None  # the link being read
        self._generation = 0
        self._token: CancelToken | None = None
        self._pending: dict[int, tuple[InboxCase | None, bool]] = {}  # lookup generation -> its conversation
        self._sessions: dict[bool, IntercomSession] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ the session (pool threads)
    def _session(self, demo: bool, options: dict[str, Any]) -> IntercomSession:
        with self._lock:
            session = self._sessions.get(demo)
            if session is None:
                session = self._sessions[demo] = self.opener(demo, options)
            return session

    def _forget_session(self, demo: bool) -> None:
        """A rejected token or an unreachable workspace: the next attempt opens afresh (a new token is read)."""
        with self._lock:
            session = self._sessions.pop(demo, None)
        if session is not None:
            _close_soon(session)

    def close(self) -> None:
        self.cancel()
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            _close_soon(session)

    def _options(self) -> dict[str, Any]:
        http = self.window.lookups.session_options.get("http_config")
        return {"http_config": http} if http is not None else {}

    # ------------------------------------------------------------------ link -> case
    def intercept(self, text: str) -> bool:
        """True when `text` is an Intercom conversation link: it is being read (the lookup follows)."""
        try:
            link = link_in(text)
        except InputError as err:
            self.window.input_panel.show_message(f"{err.message} {err.hint}".strip(), kind="error")
            return True
        if link is None:
            return False
        if self.fetching != link.conversation_id:
            self.fetch(link)
        return True

    def fetch(self, link: InboxLink) -> None:
        from sipsight.core.lookup import CancelToken

        self.cancel()
        self._generation += 1
        generation = self._generation
        token = self._token = CancelToken()
        self.fetching = link.conversation_id
        demo, options = self.window.demo, self._options()
        win = self.window
        if win.banner.kind == "error":
            win.banner.dismiss()
        win.input_panel.show_message("")
        win.busy_bar.show_busy("Reading the Intercom conversation…")

        def read() -> tuple[InboxCase, str | None]:
            session = self._session(demo, options)
            case = session.fetch_case(link, cancel=token)
            return case, session.scenarios.get(case.conversation_id)

        def done(value: tuple[InboxCase, str | None]) -> None:
            if generation == self._generation:
                self._settle()
                self.case_demo = demo  # the note goes back through the inbox the case came from
                self._show_case(*value)

        def failed(err: BaseException) -> None:
            if generation == self._generation:
                self._settle()
                self._fetch_failed(err, link, demo)

        BackgroundOp(op=read, success=done).failure(failed).run_in_background(win.lookups.pool)

    def cancel(self) -> None:
        """Stop reading a link (Esc, a newer paste): whatever it returns is dropped."""
        if self._token is not None:
            self._token.cancel()
            self._token = None
        if self.fetching is not None:
            self._generation += 1
            self.fetching = None
            self.window.busy_bar.hide()

    def _settle(self) -> None:
        self._token = None
        self.fetching = None
        self.window.busy_bar.hide()

    def _show_case(self, case: InboxCase, scenario: str | None) -> None:
        win = self.window
        self.case = case
        win.input_panel.set_case(case.transcript, case.case)
        if scenario is not None:  # the demo conversation's own calls
            win.top_bar.choose_scenario(scenario)
        win.input_panel.show_message(self.read_note(case))
        self.fetched.emit(case)
        win.look_up()

    def panel_note(self) -> str:
        """What the input says under it about the conversation it shows ("" when it shows none)."""
        case = self.current_case()
        return self.read_note(case) if case is not None else ""

    @staticmethod
    def read_note(case: InboxCase) -> str:
        """What the agent should know about what was read, under the input."""
        from sipsight.core.phone import pretty

        who = case.contact_name or "the contact"
        said = [f"Read from the Intercom conversation ({len(case.messages)} messages, {who})."]
        caller = case.caller_id
        if caller is not None and caller.e164:
            said.append(f"Caller ID {pretty(caller.e164)}: {caller.source}.")
        said.extend(case.notes)
        return " ".join(said)

    def _fetch_failed(self, err: BaseException, link: InboxLink, demo: bool) -> None:
        from sipsight.core.errors import Cancelled
        from sipsight.gui.lookup_controller import failure_text
        from sipsight.providers.errors import AuthFailed, NotConfigured, Offline, ProviderUnavailable, Timeout

        if isinstance(err, Cancelled):
            return
        if isinstance(err, (AuthFailed, Offline, ProviderUnavailable, Timeout)):
            self._forget_session(demo)
        if isinstance(err, NotConfigured) and not demo:
            message, hint = NOT_SET_UP, SET_UP_HINT
        else:
            message, hint = failure_text(err)
            # its own sentence, so the error's first word keeps its capital ("Intercom found no such ...")
            message = f"Could not read the Intercom conversation. {message}"
        self.window.banner.show_message(message, hint, kind="error", actions=[("Retry", lambda: self.fetch(link))])
        self.fetch_failed.emit(err)

    # ------------------------------------------------------------------ the lookups of a conversation
    def current_case(self) -> InboxCase | None:
        """The conversation the input shows, while its transcript is unedited (an edited text is a new case)."""
        case = self.case
        if case is not None and self.window.input_panel.text() != case.transcript:
            self.case = case = None
        return case

    def subaccount(self) -> tuple[str, str] | None:
        """(SID, where it came from) when the conversation's contact gives a sub-account and no caller ID: the lookup
        then reads that sub-account's calls (docs/inbox.md)."""
        from sipsight.inbox.lookup import subaccount

        case = self.current_case()
        return subaccount(case) if case is not None else None

    def caller_is_customers(self, result: LookupResult) -> bool:
        """After a caller-first lookup, whether the caller ID shown is the one it started from (the contact's, the
        demo customer's), not one inferred from a sub-account's calls."""
        return result.candidates is not None and self.subaccount() is None

    def lookup_started(self, generation: int | None, case: InboxCase | None) -> None:
        if generation is not None:
            self._pending[generation] = (case, self.case_demo)

    def result_shown(self, generation: int, result: LookupResult) -> None:
        self.shown_case, self.shown_demo = self._pending.pop(generation, (None, False))
        self._pending = {g: c for g, c in self._pending.items() if g > generation}
        self.window.replies.set_note_target(self.shown_case is not None, NO_LINK_TIP)

    # ------------------------------------------------------------------ the note back
    def add_note(self) -> None:
        """Compose the note (the agent's edits kept), show it, post it once the agent confirms."""
        from sipsight.inbox import compose_note

        case, result = self.shown_case, self.window.lookups.result
        if case is None or result is None:
            return
        edited = self.window.replies.note_text()
        if edited.strip():
            result = result.model_copy(update={"replies": result.replies.model_copy(update={"internal_note": edited})})
        text = compose_note(case, result)
        dialog = NoteDialog(text, case, self.window.headline.redact, self.window)
        dialog.accepted.connect(lambda: self.post(case, text, supersede=False))
        dialog.open()
        self.dialog: QDialog = dialog

    def post(self, case: InboxCase, text: str, *, supersede: bool) -> None:
        from sipsight.core.lookup import CancelToken

        win = self.window
        demo, options = self.shown_demo, self._options()
        token = CancelToken()
        win.busy_bar.show_busy("Posting the internal note…")
        win.replies.note_button.setEnabled(False)

        def send() -> PostedNote:
            return self._session(demo, options).post_note(case, text, supersede=supersede, cancel=token)

        def done(posted: PostedNote) -> None:
            win.busy_bar.hide()
            win.replies.set_note_target(self.shown_case is not None, NO_LINK_TIP)
            extra = f" It supersedes note {posted.supersedes.note_id}." if posted.supersedes else ""
            if posted.confirmed_by_refetch:
                extra += " Intercom's answer was lost; the note was found on the conversation afterwards."
            # a toast and the status bar: a banner would squeeze the Reply tab the agent is looking at
            win.toast.show_text("Internal note posted")
            win.statusBar().showMessage(f"Internal note {posted.note_id} posted (teammates only).{extra}", 15000)
            self.note_posted.emit(posted)

        def failed(err: BaseException) -> None:
            from sipsight.gui.lookup_controller import failure_text
            from sipsight.inbox import NoteExists

            win.busy_bar.hide()
            win.replies.set_note_target(self.shown_case is not None, NO_LINK_TIP)
            if isinstance(err, NoteExists):
                self._ask_update(case, text, err)
                return
            message, hint = failure_text(err)
            win.banner.show_message(f"The note was not posted: {message[:1].lower()}{message[1:]}", hint,
                                    kind="error")
            self.note_failed.emit(err)

        BackgroundOp(op=send, success=done).failure(failed).run_in_background(win.lookups.pool)

    def _ask_update(self, case: InboxCase, text: str, err: SipsightError) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "SIPSight already noted this conversation",
                          f"{err.message}\n\nIntercom cannot edit a note. Post an update: a new note that says it "
                          "supersedes the earlier one?", QMessageBox.StandardButton.NoButton, self.window)
        update = box.addButton("Post update", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(update)
        def answered(button: object) -> None:
            if button is update:
                self.post(case, text, supersede=True)

        box.buttonClicked.connect(answered)
        box.open()
        self.question = box


class NoteDialog(QDialog):
    """The note as it will be posted, and Post note / Cancel."""

    def __init__(self, text: str, case: InboxCase, redact: Callable[[str], str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add as internal note")
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        who = f" with {case.contact_name}" if case.contact_name else ""
        intro = QLabel(f"This note goes to the Intercom conversation{who} ({case.conversation_id}) as an internal "
                       "note: teammates see it, the customer never does.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit(redact(text), self)
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(220)
        layout.addWidget(self.text, 1)
        self.buttons = QDialogButtonBox(self)
        self.post_button = self.buttons.addButton("Post note", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.post_button.setDefault(True)  # the agent opened the dialog to post: Enter posts, Esc cancels
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
