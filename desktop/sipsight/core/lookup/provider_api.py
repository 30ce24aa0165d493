"""What the core needs from a telephony provider, defined here and implemented in `sipsight.providers`:
the `Provider` protocol (one `fetch` per query, `fetch_caller` for a caller-first lookup, a connection check), the
`FetchResult` they return, the `CancelToken` a face passes in so that a newer lookup supersedes an older one, and
the `Session` a lookup reports on (an open provider with its profile, or the demo, which knows its customer)."""

from __future__ import annotations

import threading
from typing import Protocol, TypeAlias, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from sipsight.core.errors import Cancelled
from sipsight.core.models import Attempt, CallerQuery, DataProfile, Query

# the time window a provider's list requests read: a destination lookup's or a caller-first one's
LookupWindow: TypeAlias = Query | CallerQuery


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
    """The raw material of one lookup, before classification. From `fetch_caller`, `attempts` is empty and
    `caller_attempts` holds every call of the caller ID in the window (the destination is not known yet)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    attempts: list[Attempt] = Field(default_factory=list)  # to the destination, newest first
    caller_attempts: list[Attempt] = Field(default_factory=list)  # same caller ID to other numbers (newest first)
    caller_id: str | None = None  # as given, or inferred from the destination's attempts
    data: DataProfile = Field(default_factory=DataProfile)
    line_type: str | None = None  # Lookup v2 line type of the destination, when fetched
    request_count: int = 0
    elapsed_s: float = 0.0


@runtime_checkable
class Provider(Protocol):
    name: str  # "twilio" | "signalwire"

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult: ...

    # every call of one caller ID in the window, to any number (a caller-first lookup), within the request budget
    # of a destination lookup (docs/providers.md, "Caller-first lookup")
    def fetch_caller(self, query: CallerQuery, cancel: CancelToken | None = None) -> FetchResult: ...

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

    # the customer's own caller ID when the session knows it (the demo's scenario; later the inbox contact): a
    # conversation that names no number is looked up caller-first from it (`lookup_case`)
    @property
    def contact_caller_id(self) -> str | None: ...
