"""Background work for the GUI: the GUI thread never waits on the network.

`run_in_background(fn, on_success, on_failure)` is the one primitive (like Anki's QueryOp): `fn` runs on a
QThreadPool thread, and exactly one of the callbacks runs later on the main thread, delivered by a queued
signal. `LookupRunner` builds on it for lookups: every start bumps a generation counter, cancels the
previous lookup's token, and results of any older generation are dropped on arrival.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger("sipsight.gui")


class _Relay(QObject):
    """Lives in the main thread; its signals, emitted from a pool thread, are queued to its own slots.

    The slots are methods of this QObject (not lambdas) so Qt knows the receiver's thread and queues the
    call to the main thread instead of running it in the pool thread.
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_success: Callable[[Any], None], on_failure: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, value: Any) -> None:
        self._finish()
        self._on_success(value)

    @Slot(object)
    def _deliver_failure(self, err: Any) -> None:
        self._finish()
        self._on_failure(err)

    def _finish(self) -> None:
        _pending.discard(self)
        self.deleteLater()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as err:  # every failure goes back to the main thread, none is lost in a pool thread
            self._relay.failed.emit(err)
        else:
            self._relay.succeeded.emit(value)


_pending: set[_Relay] = set()  # keeps relays alive until their callback has run


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    *,
    pool: QThreadPool | None = None,
) -> None:
    """Run `fn` off the GUI thread; call on_success(value) or on_failure(err) on the GUI thread."""
    relay = _Relay(on_success, on_failure)
    _pending.add(relay)
    (pool or QThreadPool.globalInstance()).start(_Job(fn, relay))


def pending_jobs() -> int:
    return len(_pending)


@dataclass
class LookupRequest:
    """Everything one lookup needs, captured on the main thread so the worker reads no widget."""

    query: Any  # sipsight.core.models.Query
    context: Any = None  # DiagnosisContext
    profile: str | None = None
    demo: bool = False
    scenario: str | None = None
    tz: str = "UTC"
    input_text: str = ""
    window: str = "7d"
    session_options: dict[str, Any] = field(default_factory=dict)  # latency_ms / fault (demo, tests, training)


class LookupRunner(QObject):
    """Starts lookups in the background; only the newest one's outcome is reported."""

    started = Signal(int)  # generation
    succeeded = Signal(int, object)  # generation, LookupResult
    failed = Signal(int, object)  # generation, exception
    cancelled = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._cancel: Any = None
        self.busy = False
        self.pool = QThreadPool(self)
        # One lookup at a time does real work; a superseded one is cancelled and finishes quickly.
        self.pool.setMaxThreadCount(4)

    def start(self, request: LookupRequest) -> int:
        from sipsight.core.lookup import CancelToken

        self._cancel_current()
        self.generation += 1
        generation = self.generation
        token = CancelToken()
        self._cancel = token
        self.busy = True
        self.started.emit(generation)

        def work() -> Any:
            return _lookup(request, token)

        run_in_background(
            work,
            lambda result: self._arrived(generation, result, None),
            lambda err: self._arrived(generation, None, err),
            pool=self.pool,
        )
        return generation

    def cancel(self) -> None:
        """Stop waiting for the current lookup: its token is cancelled and whatever it returns is dropped."""
        if not self.busy:
            return
        self._cancel_current()
        generation = self.generation
        self.generation += 1  # anything the cancelled lookup still delivers is now stale
        self.busy = False
        self.cancelled.emit(generation)

    def _cancel_current(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self._cancel = None

    def _arrived(self, generation: int, result: Any, err: BaseException | None) -> None:
        if generation != self.generation:
            log.debug("dropping the result of superseded lookup #%s", generation)
            return
        self.busy = False
        self._cancel = None
        if err is None:
            self.succeeded.emit(generation, result)
        else:
            self.failed.emit(generation, err)

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Tests and shutdown: let pool threads finish (never called while the GUI should respond)."""
        return self.pool.waitForDone(msecs)


def _lookup(request: LookupRequest, token: Any) -> Any:
    """Runs in a pool thread: open the provider, run the lookup, close the provider."""
    from sipsight.core.lookup import run_lookup
    from sipsight.providers.factory import open_provider

    with open_provider(
        profile=None if request.demo else request.profile,
        demo=request.demo,
        scenario=request.scenario if request.demo else None,
        **request.session_options,
    ) as session:
        return run_lookup(session, request.query, context=request.context, cancel=token, tz=request.tz)


def check_connection(profile: str) -> str:
    """Runs in a pool thread (Settings > Test connection)."""
    from sipsight.providers.factory import open_provider

    with open_provider(profile=profile) as session:
        return session.provider.check_connection()
