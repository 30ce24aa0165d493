"""The call-analytics engines behind carriers (resources/health/engines.yaml): which engine labels or blocks a caller
ID for a carrier, where to file for a review, and the Free Caller Registry. One home for both the diagnosis's
carrier-concentration rule and the caller ID health view."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sipsight.core.errors import SipsightError
from sipsight.core.yaml_models import load_model


class EngineDataError(SipsightError):
    """resources/health/engines.yaml is broken (a build problem, reported clearly)."""


class Engine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    engine: str = Field(min_length=2)
    carriers: list[str] = Field(min_length=1)  # lower-case fragments of the carrier names it serves
    review: str = Field(min_length=3)  # the review as a phrase: "TNS Call Guardian review for Verizon (...)"
    portal: str | None = None  # the review page the reference cites
    portal_note: str = Field(min_length=3)
    source: str = Field(min_length=3)

    @field_validator("carriers")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return [c.lower() for c in v]

    @field_validator("portal")
    @classmethod
    def _https(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("https://"):
            raise ValueError("portal must be an https:// address")
        return v


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    url: str = Field(pattern=r"^https://")
    reaches: list[str] = Field(min_length=1)
    turnaround: str
    note: str
    source: str = Field(min_length=3)


class EngineData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engines: list[Engine] = Field(min_length=1)
    registry: Registry


@cache
def engine_data() -> EngineData:
    hint = "Fix the file; every engine cites a source."
    data = load_model(EngineData, "health", "engines.yaml", EngineDataError, hint)
    known = {e.engine for e in data.engines}
    if missing := sorted(set(data.registry.reaches) - known):
        raise EngineDataError(
            f"resources/health/engines.yaml is invalid at registry.reaches: unknown engine(s) {', '.join(missing)}",
            "Name engines listed under engines.",
        )
    return data


def engine_for(carrier: str | None) -> Engine | None:
    """The engine behind a carrier name as a provider reports it ('T-Mobile USA, Inc.' -> First Orion), else None."""
    if not carrier:
        return None
    name = carrier.lower()
    for engine in engine_data().engines:
        if any(c in name for c in engine.carriers):
            return engine
    return None
