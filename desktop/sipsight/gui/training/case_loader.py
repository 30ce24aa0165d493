"""The training cases' call histories, loaded in the background like a demo lookup.

Each case's scenario runs on the embedded simulator in a pool thread (`BackgroundOp`), so the training
window never waits on the network; a case that failed waits for "Try again" instead of retrying in a loop.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal

from sipsight.core.errors import SipsightError
from sipsight.gui.background import BackgroundOp

if TYPE_CHECKING:
    from sipsight.core.lookup import CancelToken
    from sipsight.core.models import LookupResult
    from sipsight.core.scenarios import Scenario
    from sipsight.gui.lookup_request import SessionOptions


class CaseLoader(QObject):
    """Looks up each scenario once: `results` and `errors` by scenario name; `arrived(name)` when one is in."""

    arrived = Signal(str)

    def __init__(self, parent: QObject | None = None, *, tz: str = "UTC", session_options: SessionOptions) -> None:
        super().__init__(parent)
        self.tz = tz
        self.session_options = session_options
        self.results: dict[str, LookupResult] = {}
        self.errors: dict[str, str] = {}
        self.pending: set[str] = set()
        self._tokens: dict[str, CancelToken] = {}
        self.closed = False  # the window closed: what still reports back is dropped
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)

    def ensure(self, scenario: Scenario) -> None:
        """Start loading `scenario` unless it is loaded, loading, or failed (a failure waits for `retry`)."""
        name = scenario.name
        if name in self.results or name in self.pending or name in self.errors:
            return
        from sipsight.core.lookup import CancelToken

        self.pending.add(name)
        token = CancelToken()
        self._tokens[name] = token
        options = self.session_options.copy()
        options.pop("demo_provider", None)  # a walkthrough's steps read each scenario from its own provider's data
        tz = self.tz

        def work() -> LookupResult:
            from sipsight.core.lookup import run_lookup
            from sipsight.providers.factory import open_provider
            from sipsight.training.cases import scenario_context, scenario_query

            now = datetime.now(UTC)
            with open_provider(demo=True, scenario=name, **options) as session:
                return run_lookup(
                    session, scenario_query(scenario, now), context=scenario_context(scenario, now), cancel=token, tz=tz
                )

        BackgroundOp(op=work, success=lambda result: self._loaded(name, result)).failure(
            lambda err: self._failed(name, err)
        ).run_in_background(self.pool)

    def retry(self, scenario: Scenario) -> None:
        self.errors.pop(scenario.name, None)
        self.ensure(scenario)

    def _delivered(self, name: str) -> bool:
        self.pending.discard(name)
        self._tokens.pop(name, None)
        return not self.closed  # a lookup cancelled by closing the window still reports back: nothing to keep

    def _loaded(self, name: str, result: LookupResult) -> None:
        if self._delivered(name):
            self.results[name] = result
            self.arrived.emit(name)

    def _failed(self, name: str, err: BaseException) -> None:
        if not self._delivered(name):
            return
        if isinstance(err, SipsightError):
            self.errors[name] = err.one_line()
        else:
            from sipsight.core.crash import record_crash, where_saved

            self.errors[name] = f"Something went wrong while loading this case; {where_saved(record_crash(err))}."
        self.arrived.emit(name)

    def close(self) -> None:
        """The window closes: cancel what is loading and wait briefly for the threads."""
        self.closed = True
        for token in list(self._tokens.values()):
            token.cancel()
        self.pool.waitForDone(3000)

    def wait_idle(self, msecs: int = 10000) -> bool:
        """Tests and shutdown: let the pool threads finish."""
        return self.pool.waitForDone(msecs)
