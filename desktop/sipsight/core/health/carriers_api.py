"""What the health check needs to name the carrier of a number the call records leave without one: `CarrierSource`,
defined here and implemented in `sipsight.providers.line_lookup` (Twilio Lookup v2, cached and capped)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from sipsight.core.lookup.provider_api import CancelToken


class LineInfo(BaseModel):
    """A number's line as Lookup v2 reports it (line_type_intelligence); both None when it does not know."""

    model_config = ConfigDict(frozen=True)

    carrier: str | None = None
    line_type: str | None = None


class CarrierLookup(BaseModel):
    lines: dict[str, LineInfo] = Field(default_factory=dict)  # E.164 -> line, for the numbers it could name
    cached: int = 0  # answered from the cache (no charge)
    looked_up: int = 0  # Lookups made (billed)
    capped: list[str] = Field(default_factory=list)  # numbers past the per-check cap: not looked up
    failed: int = 0
    cap: int = 0


@runtime_checkable
class CarrierSource(Protocol):
    def resolve(self, numbers: Sequence[str], cancel: CancelToken | None = None) -> CarrierLookup:
        """The lines of `numbers`, most important first: the cap keeps the first ones."""
        ...
