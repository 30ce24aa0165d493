"""What every provider client offers the lookup: one `fetch` per query, and a connection check."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from sipsight.core.models import Attempt, DataProfile, Query
from sipsight.providers.http import CancelToken


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


def most_frequent_caller(attempts: list[Attempt]) -> str | None:
    """The caller ID most of the destination's attempts came from (ties: the most recent one)."""
    counts: dict[str, int] = {}
    for attempt in attempts:
        if attempt.from_:
            counts[attempt.from_] = counts.get(attempt.from_, 0) + 1
    if not counts:
        return None
    latest = {a.from_: i for i, a in reversed(list(enumerate(attempts)))}  # lower index = newer
    return max(counts, key=lambda n: (counts[n], -latest.get(n, 0)))
