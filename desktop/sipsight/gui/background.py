"""Work off the GUI thread: the GUI thread never waits on the network or the disk.

`BackgroundOp` is the one primitive, in the style of Anki's `QueryOp`:

    BackgroundOp(op=lambda: fetch(...), success=show).failure(show_error).run_in_background()

`op` runs on a QThreadPool thread; exactly one of `success(value)` or `failure(err)` runs later on the main
thread, delivered by a queued signal. The op is typed: `BackgroundOp[LookupResult]` hands `success` a
LookupResult. Without a failure callback an error goes to `sys.excepthook` (the error hooks: logged, a banner).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot

T = TypeVar("T")


class _Relay(QObject, Generic[T]):
    """Lives in the main thread; its signals, emitted from a pool thread, are queued to its own slots.

    The slots are methods of this QObject (not lambdas) so Qt knows the receiver's thread and queues the
    call to the main thread instead of running it in the pool thread.
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_success: Callable[[T], None], on_failure: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, value: T) -> None:
        self._finish()
        self._on_success(value)

    @Slot(object)
    def _deliver_failure(self, err: BaseException) -> None:
        self._finish()
        self._on_failure(err)

    def _finish(self) -> None:
        _pending.discard(self)
        self.deleteLater()


class _Job(QRunnable, Generic[T]):
    def __init__(self, fn: Callable[[], T], relay: _Relay[T]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as err:  # every failure goes back to the main thread, none is lost in a pool thread
            self._emit(self._relay.failed, err)
        else:
            self._emit(self._relay.succeeded, value)

    @staticmethod
    def _emit(signal: SignalInstance, value: object) -> None:
        # The relay's C++ side may be gone: the app quit (a window closed, a screenshot taken) while the op ran.
        # Nobody is left to hear the result; raising here would only print a traceback from a pool thread.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


_pending: set[QObject] = set()  # keeps relays alive until their callback has run


def _report(err: BaseException) -> None:
    sys.excepthook(type(err), err, err.__traceback__)


class BackgroundOp(Generic[T]):
    """`op` on a pool thread, then `success(value)` or the failure callback on the main thread."""

    def __init__(self, *, op: Callable[[], T], success: Callable[[T], None]) -> None:
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], None] = _report

    def failure(self, callback: Callable[[BaseException], None]) -> BackgroundOp[T]:
        """Who hears about an exception raised by `op` (on the main thread); returns self, to chain."""
        self._failure = callback
        return self

    def run_in_background(self, pool: QThreadPool | None = None) -> None:
        relay = _Relay(self._success, self._failure)
        _pending.add(relay)
        (pool or QThreadPool.globalInstance()).start(_Job(self._op, relay))


def pending_ops() -> int:
    """How many ops have not reported back yet (tests: nothing leaks)."""
    return len(_pending)
