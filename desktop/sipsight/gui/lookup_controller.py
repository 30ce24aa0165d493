"""The lookups of one window: build, run in the background, supersede, cancel, retry, remember.

`LookupController` turns what the panel says (`LookupForm`) into a request, runs it with a `BackgroundOp`
and reports only the newest lookup's outcome: every start bumps a generation counter and cancels the
previous lookup through the core's CancelToken, and whatever an older generation still delivers is dropped,
so a stale result is never shown. It keeps the last good result (an error never clears it), the request to
retry, the history of successful lookups, and the display time zone (from `sipsight.core.timezones`).

    lookups = LookupController(window)
    lookups.succeeded.connect(show)          # LookupResult, the newest lookup's
    lookups.look_up(form)                    # -> generation, or None when the form was rejected
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from sipsight.core.errors import Cancelled, InputError, SipsightError
from sipsight.core.timezones import resolve_tz, zone_for_display
from sipsight.gui.background import BackgroundOp
from sipsight.gui.lookup_request import LookupForm, LookupRequest, SessionOptions, build_request, run_request

if TYPE_CHECKING:
    from sipsight.core.history import HistoryEntry, HistoryStore
    from sipsight.core.lookup import CancelToken
    from sipsight.core.models import LookupResult

log = logging.getLogger("sipsight.gui")

RunLookup = Callable[[LookupRequest, "CancelToken"], "LookupResult"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LookupController(QObject):
    """Owns the worker of one window's lookups; see the module doc. All methods run on the main thread."""

    started = Signal(int)  # generation
    succeeded = Signal(object)  # LookupResult of the newest lookup: show it
    finished = Signal(object)  # the same LookupResult, once it is kept in the history
    failed = Signal(object)  # BaseException of the newest lookup (a cancellation is `cancelled` instead)
    cancelled = Signal()
    rejected = Signal(object)  # InputError: the form cannot be looked up (its time window); nothing started
    history_noted = Signal()  # the history has something new to tell (take_history_notes)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        run: RunLookup = run_request,
        clock: Callable[[], datetime] = _utc_now,
        time_zone: str | None = "local",
    ) -> None:
        super().__init__(parent)
        self.run = run  # the pool thread's work (tests replace it)
        self._clock = clock
        self.generation = 0
        self.busy = False
        self._token: CancelToken | None = None
        self.last_request: LookupRequest | None = None
        self.result: LookupResult | None = None  # the last good result: an error never clears it
        self.history: HistoryStore | None = None  # attached after the first paint (it reads a file)
        self._notes_told = 0
        self.session_options = SessionOptions()  # the demo's latency / fault (training, screenshots, tests)
        self.pool = QThreadPool(self)
        # One lookup at a time does real work; a superseded one is cancelled and finishes quickly.
        self.pool.setMaxThreadCount(4)
        self.tz = "UTC"
        self.zone: tzinfo = UTC
        self.zone_label = "UTC"
        self.set_time_zone(time_zone)

    def set_demo_provider(self, name: str | None) -> None:
        """The demo serves this provider's API from the next lookup on (None: the scenario's own provider)."""
        options = SessionOptions(**self.session_options)
        options["demo_provider"] = name
        self.session_options = options

    # ------------------------------------------------------------------ time zone
    def set_time_zone(self, value: str | None) -> None:
        """The display zone of a saved preference ('local', an IANA name), read by the core.

        `zone` and `zone_label` never fail: a name this system does not know shows UTC, labelled
        "UTC (name unknown)". `tz` keeps that name, so a lookup says clearly that it is not a time zone.
        """
        try:
            self.tz = resolve_tz(value)
        except InputError:
            self.tz = str(value)
        self.zone, self.zone_label = zone_for_display(value)

    # ------------------------------------------------------------------ lookups
    def look_up(self, form: LookupForm) -> int | None:
        """Build the request for `form` and start it (superseding a running one); None when it is rejected."""
        try:
            request = build_request(
                form, now=self._clock(), tz=self.tz, zone=self.zone, session_options=self.session_options
            )
        except InputError as err:
            self.rejected.emit(err)
            return None
        return self.start(request)

    def start(self, request: LookupRequest) -> int:
        from sipsight.core.lookup import CancelToken

        self._cancel_token()
        self.generation += 1
        generation = self.generation
        token = CancelToken()
        self._token = token
        self.busy = True
        self.last_request = request
        self.started.emit(generation)
        run = self.run
        BackgroundOp(op=lambda: run(request, token), success=lambda result: self._arrived(generation, result)).failure(
            lambda err: self._failed(generation, err)
        ).run_in_background(self.pool)
        return generation

    def retry(self) -> int | None:
        """Run the last request again (the banner's Retry)."""
        return self.start(self.last_request) if self.last_request is not None else None

    def cancel(self) -> None:
        """Stop waiting for the current lookup: its token is cancelled and whatever it returns is dropped."""
        if not self.busy:
            return
        self._cancel_token()
        self.generation += 1  # anything the cancelled lookup still delivers is now stale
        self.busy = False
        self.cancelled.emit()

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Tests and shutdown: let pool threads finish (never called while the GUI should respond)."""
        return self.pool.waitForDone(msecs)

    def _cancel_token(self) -> None:
        if self._token is not None:
            self._token.cancel()
            self._token = None

    def _settle(self, generation: int) -> bool:
        """True when `generation` is the current lookup, which is then over; False for a superseded one."""
        if generation != self.generation:
            log.debug("dropping the outcome of superseded lookup #%s", generation)
            return False
        self.busy = False
        self._token = None
        return True

    def _arrived(self, generation: int, result: LookupResult) -> None:
        if not self._settle(generation):
            return
        self.result = result
        self.succeeded.emit(result)
        request = self.last_request
        if self.history is not None and request is not None:
            try:
                self.history.add_result(result, input_text=request.input_text, window=request.window)
            except Exception as err:  # the history is a convenience; a failure there must not hide the result
                log.warning("history not saved: %s", err)
            # the write runs on the history's own thread: a failure is noted there a moment later
            QTimer.singleShot(1500, self._check_history_notes)
        self.finished.emit(result)

    def _failed(self, generation: int, err: BaseException) -> None:
        if not self._settle(generation):
            return
        if isinstance(err, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(err)

    def warm_up(self) -> None:
        """Load what the first lookup needs (the lookup, provider and diagnosis modules, the knowledge base) on a
        pool thread while the agent reads the window, so the first lookup does not stall the window with imports."""
        BackgroundOp(op=_warm_up, success=lambda _none: None).failure(
            lambda err: log.info("warm-up skipped: %s", err)
        ).run_in_background(self.pool)

    # ------------------------------------------------------------------ history
    def attach_history(self, days: int, max_entries: int, *, enabled: bool = True) -> None:
        """The history file (`enabled=False`: screenshots, which read and save nothing)."""
        from sipsight.core.history import HistoryStore

        self.history = HistoryStore(days=days, max_entries=max_entries, enabled=enabled)
        self._notes_told = 0

    def history_entries(self) -> list[HistoryEntry]:
        return self.history.entries() if self.history is not None else []

    def history_entry(self, entry_id: str) -> HistoryEntry | None:
        return self.history.get(entry_id) if self.history is not None else None

    def take_history_notes(self) -> list[str]:
        """The history's notes not told yet (a file set aside, saving failed), each once."""
        if self.history is None:
            return []
        notes = list(self.history.notes)
        new, self._notes_told = notes[self._notes_told :], len(notes)
        return new

    def _check_history_notes(self) -> None:
        if self.history is not None and len(self.history.notes) > self._notes_told:
            self.history_noted.emit()

    def clear_history(self) -> bool:
        if self.history is None:
            return False
        self.history.clear()
        return True


def _warm_up() -> None:
    import sipsight.core.lookup
    import sipsight.core.replies.summary
    import sipsight.providers.factory  # noqa: F401  (imported for its side effect: loaded)
    from sipsight.core.knowledge import knowledge

    knowledge()


def failure_text(err: BaseException) -> tuple[str, str]:
    """(message, hint) for the banner; an unexpected error is written to the crash log and named by its path."""
    if isinstance(err, SipsightError):
        return err.message, err.hint
    from sipsight.core.crash import record_crash

    path = record_crash(err)
    hint = f"Try again. If it keeps happening, send the log file {path} to the SIPSight team." if path else "Try again."
    return "Something went wrong during the lookup.", hint
