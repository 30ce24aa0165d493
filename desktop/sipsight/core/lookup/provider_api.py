"""What the core needs from a telephony provider, defined here and implemented in `sipsight.providers`:
the `Provider` protocol (one `fetch` per query, a connection check), the `FetchResult` it returns, the
`CancelToken` a face passes in so that a newer lookup supersedes an older one, and the `Session` a lookup
reports on (an open provider with its profile, or the demo)."""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from sipsight.core.errors import Cancelled
from sipsight.core.models import Attempt, DataProfile, Query


class CancelToken:
    """Set from any thread (the GUI's "new lookup supersedes the old one"); checked by the HTTP layer."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; returns True (early) if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("The lookup was canceled.")


class FetchResult(BaseModel):
    """The raw material of one lookup, before classification."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    attempts: list[Attempt] = Field(default_factory=list)  # to the destination, newest first
    caller_attempts: list[Attempt] = Field(default_factory=list)  # same caller ID to other numbers
    caller_id: str | None = None  # as given, or inferred from the destination's attempts
    data: DataProfile = Field(default_factory=DataProfile)
    line_type: str | None = None  # Lookup v2 line type of the destination, when fetched
    request_count: int = 0
    elapsed_s: float = 0.0


@runtime_checkable
class Provider(Protocol):
    name: str  # "twilio" | "signalwire"

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult: ...

    def check_connection(self) -> str: ...  # raises ProviderError; returns a human summary

    def close(self) -> None: ...


class Session(Protocol):
    """An open provider and what a lookup states about it (providers.factory.ProviderSession is one)."""

    @property
    def provider(self) -> Provider: ...

    @property
    def profile(self) -> str | None: ...

    @property
    def demo(self) -> bool: ...

    @property
    def scenario(self) -> str | None: ...
