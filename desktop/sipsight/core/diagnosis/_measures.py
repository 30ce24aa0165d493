"""The words and thresholds of the claims (resources/diagnosis/claims.yaml): when a text may say "normally", "only
this number" or "the calls changed", the plain words of each measure and outcome, and the confidence bands with the
word each is stated in ("very likely", "likely", "possible")."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sipsight.core.diagnosis._advice import load_data
from sipsight.core.models import CallCounts, OutcomeClass

# the measures each final call falls into exactly one of (CallCounts' first fourteen counts)
PARTITION = (
    "connected",
    "answered_briefly",
    "straight_to_voicemail",
    "voicemail_after_ringing",
    "voicemail_ring_unknown",
    "rang_no_answer",
    "busy",
    "unreachable",
    "declined",
    "blocked",
    "not_in_service",
    "refused_by_platform",
    "network_failure",
    "canceled",
    "other",
)


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float = Field(ge=0)
    why: str = Field(min_length=10)
    source: str = Field(min_length=3)


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_other_calls: Threshold
    normal_reach_rate: Threshold
    normal_conversation_rate: Threshold
    failing_conversation_rate: Threshold
    blocking_numbers: Threshold
    min_recent_calls: Threshold
    pattern_share: Threshold
    pattern_elsewhere: Threshold


class MeasureWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = Field(min_length=2)
    did: str = Field(min_length=2)
    definition: str = Field(min_length=5)


class Band(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    at_least: float = Field(ge=0, le=1)
    word: str = Field(min_length=2)
    hit_rate: float | None = Field(default=None, ge=0, le=1)


class ClaimsData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    thresholds: Thresholds
    measures: dict[str, MeasureWords]
    outcomes: dict[OutcomeClass, str]
    bands: list[Band] = Field(min_length=2)
    bands_source: str = Field(min_length=3)

    @field_validator("measures")
    @classmethod
    def _every_measure(cls, v: dict[str, MeasureWords]) -> dict[str, MeasureWords]:
        if missing := [m for m in PARTITION if m not in v]:
            raise ValueError(f"measures misses {', '.join(missing)}")
        if extra := sorted(set(v) - set(PARTITION)):
            raise ValueError(f"not a measure: {', '.join(extra)} (known: {', '.join(PARTITION)})")
        return v

    @field_validator("outcomes")
    @classmethod
    def _every_outcome(cls, v: dict[OutcomeClass, str]) -> dict[OutcomeClass, str]:
        if missing := [o.value for o in OutcomeClass if o not in v]:
            raise ValueError(f"outcomes misses {', '.join(missing)}")
        return v

    @model_validator(mode="after")
    def _bands_descend(self) -> ClaimsData:
        floors = [b.at_least for b in self.bands]
        if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors) or floors[-1] != 0:
            raise ValueError("bands go from the highest floor down to one at 0, each floor once")
        if len({b.name for b in self.bands}) != len(self.bands):
            raise ValueError("band names must be unique")
        return self


@cache
def claims_data() -> ClaimsData:
    return load_data("claims.yaml", ClaimsData)


def band(confidence: float) -> Band:
    """The band a confidence falls in (the first whose floor it reaches)."""
    return next(b for b in claims_data().bands if confidence >= b.at_least)


def band_word(confidence: float) -> str:
    """'very likely', 'likely', 'possible': how a confidence is stated wherever a person reads it."""
    return band(confidence).word


def measure_label(measure: str) -> str:
    return claims_data().measures[measure].label


def measure_did(measure: str) -> str:
    """What calls of a measure did, completing "N calls ...": 'went straight to voicemail without ringing'."""
    return claims_data().measures[measure].did


def outcome_label(outcome: OutcomeClass) -> str:
    return claims_data().outcomes[outcome]


def threshold(name: str) -> float:
    value: Threshold = getattr(claims_data().thresholds, name)
    return value.value


def measure_names() -> tuple[str, ...]:
    return PARTITION


assert set(PARTITION) <= set(CallCounts.model_fields)
