"""A clock for the HTTP layer's tests: time passes only when the code under test sleeps.

Pass it as `HttpConfig(clock=FakeClock())`. Each sleep returns at once, is recorded in `sleeps`, and moves the
clock forward by what was asked, so a test reads what was waited (a Retry-After honoured, a backoff, nothing
at all) instead of timing itself on a machine that may be busy. Sleeps from several threads add up, as if they
ran one after another: the fake time of a concurrent lookup is an upper bound of the real one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sipsight.core.lookup import CancelToken


class FakeClock:
    def __init__(self, start: float = 1000.0, on_sleep: Callable[[float], None] | None = None) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep  # called before each sleep (e.g. to cancel a lookup in the middle of its backoff)

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Time the test says went by (a slow answer, say) without anyone sleeping."""
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float, cancel: CancelToken) -> bool:
        if self.on_sleep is not None:
            self.on_sleep(seconds)
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)
        return cancel.cancelled
