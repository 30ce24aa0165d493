"""The caller-first ranking's weights and rules (resources/lookup/ranking.yaml), validated at load: every signal
with its weight, why and source, the weights adding up to 1, every measure one of the diagnosis's, every symptom
one of intake's."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sipsight.core.errors import SipsightError
from sipsight.core.resources import load_yaml
from sipsight.core.yaml_models import load_model

FILE = ("lookup", "ranking.yaml")


class RankingDataError(SipsightError):
    """resources/lookup/ranking.yaml does not fit its shape: a broken build, said in one line."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signal(_Data):
    weight: float = Field(ge=0, le=1)
    why: str = Field(min_length=10)
    source: str = Field(min_length=3)


class Changed(Signal):
    connected_for_full: int = Field(ge=1)
    calls_for_full: int = Field(ge=1)


class NowFails(Signal):
    measures: list[str] = Field(min_length=1)


class Repeated(Signal):
    calls_for_full: int = Field(ge=2)


class Recent(Signal):
    half_life_hours: float = Field(gt=0)


class PriorContact(Signal):
    connected_for_full: int = Field(ge=1)


class TimeHint(Signal):
    tolerance_hours: float = Field(gt=0)
    tolerance_share: float = Field(ge=0, le=1)


class Signals(_Data):
    changed: Changed
    now_fails: NowFails
    repeated: Repeated
    recent: Recent
    symptoms: Signal
    prior_contact: PriorContact
    time_hint: TimeHint

    def weights(self) -> dict[str, float]:
        return {name: getattr(self, name).weight for name in type(self).model_fields}


class Decision(_Data):
    min_score: float = Field(ge=0, le=1)
    min_margin: float = Field(ge=0, le=1)
    why: str = Field(min_length=10)
    source: str = Field(min_length=3)


class RankingData(_Data):
    version: int = Field(ge=1)
    source: str = Field(min_length=3)
    signals: Signals
    symptom_measures: dict[str, list[str]]
    decision: Decision
    keep: int = Field(ge=1, le=100)
    mention_at: float = Field(ge=0, le=1)

    @field_validator("symptom_measures")
    @classmethod
    def _known_symptoms(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        known = intake_symptom_ids()
        if unknown := sorted(set(value) - known):
            raise ValueError(f"not a symptom of resources/intake/symptoms.yaml: {', '.join(unknown)}")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> RankingData:
        total = sum(self.signals.weights().values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the signals' weights add up to {total:g}, not 1")
        from sipsight.core.diagnosis import measure_names

        known = set(measure_names())
        used = [*self.signals.now_fails.measures, *(m for ms in self.symptom_measures.values() for m in ms)]
        if unknown := sorted(set(used) - known):
            raise ValueError(f"not a measure: {', '.join(unknown)} (known: {', '.join(measure_names())})")
        if any(not ms for ms in self.symptom_measures.values()):
            raise ValueError("every symptom in symptom_measures needs at least one measure")
        return self


def intake_symptom_ids() -> set[str]:
    """The symptom ids intake can report (resources/intake/symptoms.yaml)."""
    data = load_yaml("intake", "symptoms.yaml")
    entries = data.get("symptoms") if isinstance(data, dict) else None
    return {str(e["id"]) for e in entries or [] if isinstance(e, dict) and "id" in e}


@cache
def ranking_data() -> RankingData:
    return load_model(RankingData, *FILE, RankingDataError, "Fix the file; every signal needs its weight and source.")
