"""No traceback dialog, ever: unexpected errors are logged (masked) and shown as a small banner.

PySide reports exceptions raised in slots through sys.excepthook; worker threads through
threading.excepthook. Both land here, get written to the crash log by `sipsight.core.crash`, and the
window shows a non-blocking banner. Hooks from other threads are marshalled to the GUI thread by a
queued signal, because widgets may only be touched there.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot

from sipsight.core.crash import record_crash
from sipsight.core.privacy import mask_text

log = logging.getLogger("sipsight.gui")


class _Bridge(QObject):
    crashed = Signal(str, str)  # message, log path

    def __init__(self, show: Callable[[str, str], None]) -> None:
        super().__init__()
        self._show = show
        self.crashed.connect(self._deliver)

    @Slot(str, str)
    def _deliver(self, message: str, path: str) -> None:
        self._show(message, path)


class ErrorHooks:
    """Installs the hooks; `uninstall()` restores the previous ones (tests install and remove them)."""

    def __init__(self, show: Callable[[str, str], None]) -> None:
        self._bridge = _Bridge(show)
        self._old_sys = sys.excepthook
        self._old_thread = threading.excepthook
        self.count = 0

    def install(self) -> ErrorHooks:
        sys.excepthook = self.sys_hook
        threading.excepthook = self.thread_hook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self.sys_hook:
            sys.excepthook = self._old_sys
        if threading.excepthook == self.thread_hook:
            threading.excepthook = self._old_thread

    def handle(self, err: BaseException) -> None:
        self.count += 1
        path = record_crash(err)
        message = mask_text(f"{type(err).__name__}: {err}")[:200]
        log.error("unexpected error: %s (details in %s)", message, path)
        # emit() from any thread: queued to the bridge's (GUI) thread when needed
        self._bridge.crashed.emit(message, str(path) if path else "")

    def sys_hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._old_sys(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        self.handle(exc)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_value)
