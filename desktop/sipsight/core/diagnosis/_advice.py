"""The diagnosis wording that is data (resources/diagnosis/): next steps per kind and redress (advice.yaml), and the
weights customers' words give each kind (priors.yaml). The carrier -> analytics-engine map is the knowledge base's
(resources/health/engines.yaml); `engine_for` is re-exported here for the rules."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sipsight.core.errors import SipsightError
from sipsight.core.knowledge import engine_for as engine_for
from sipsight.core.models import DiagnosisKind
from sipsight.core.yaml_models import load_model


class Redress(BaseModel):
    model_config = ConfigDict(extra="forbid")
    registry: str
    no_rotation: str
    source: str


class KindSteps(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=3)  # the kind as people read it: "Blocked by the recipient"
    phrase: str  # "the recipient blocking or declining the caller's number": for ranked-cause headlines
    how_to_tell: str  # what in the call logs confirms this kind
    source: str = Field(min_length=3)
    steps: list[str]


class Advice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    redress: Redress
    next_steps: dict[DiagnosisKind, KindSteps]

    @field_validator("next_steps")
    @classmethod
    def _every_kind(cls, v: dict[DiagnosisKind, KindSteps]) -> dict[DiagnosisKind, KindSteps]:
        if missing := sorted(set(DiagnosisKind) - set(v)):
            raise ValueError(f"next_steps misses kinds: {', '.join(missing)}")
        return v


class Prior(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=3)
    kinds: dict[DiagnosisKind, float]
    check: str


class CodePrior(Prior):
    refs: list[str]


class Priors(BaseModel):
    model_config = ConfigDict(extra="forbid")
    symptoms: dict[str, Prior]
    codes: list[CodePrior]

    def for_code(self, ref: str) -> CodePrior | None:
        ref = ref.strip().lower()
        for entry in self.codes:
            for pattern in entry.refs:
                if pattern == ref or (pattern.endswith(":*") and ref.startswith(pattern[:-1])):
                    return entry
        return None


D = TypeVar("D", bound=BaseModel)


class DiagnosisDataError(SipsightError):
    """A packaged diagnosis data file is broken (a build problem, reported clearly)."""


def load_data(name: str, model: type[D]) -> D:
    return load_model(
        model, "diagnosis", name, DiagnosisDataError, "Fix the file; every entry needs its fields and a source."
    )


@cache
def advice() -> Advice:
    return load_data("advice.yaml", Advice)


@cache
def priors() -> Priors:
    return load_data("priors.yaml", Priors)


def review_step(carrier: str | None) -> list[str]:
    """The step asking the carrier's analytics engine for a review; none for a carrier without a known engine."""
    engine = engine_for(carrier)
    if engine is None:
        return []
    return [f"{carrier} uses {engine.engine}'s analytics: request a review through {engine.review}."]


def kind_label(kind: DiagnosisKind | str) -> str:
    """A diagnosis kind as people read it ('Blocked by the recipient'): the `label` of its advice.yaml entry."""
    return advice().next_steps[DiagnosisKind(kind)].label


def kind_phrase(kind: DiagnosisKind | str) -> str:
    """A diagnosis kind as a phrase completing "caused by ...": the `phrase` of its advice.yaml entry."""
    return advice().next_steps[DiagnosisKind(kind)].phrase
