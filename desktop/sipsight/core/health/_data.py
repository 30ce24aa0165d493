"""The health view's data (resources/health/): thresholds.yaml (when a caller ID is healthy, worth watching, likely
labeled or blocked) and texts.yaml (what it says), validated at load; a text's placeholders are checked against the
values the statistics provide, so every number a text states comes from them."""

from __future__ import annotations

import string
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sipsight.core.errors import SipsightError
from sipsight.core.models import OutcomeClass
from sipsight.core.yaml_models import load_model

Status = Literal["healthy", "watch", "likely_labeled", "blocked"]
STATUSES: tuple[Status, ...] = ("healthy", "watch", "likely_labeled", "blocked")


class HealthDataError(SipsightError):
    """A packaged health data file is broken (a build problem, reported clearly)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lookup(_Strict):
    cap: int = Field(ge=0, le=1000)
    ttl_days: float = Field(gt=0)
    source: str = Field(min_length=3)


class Outcomes(_Strict):
    answered: list[OutcomeClass] = Field(min_length=1)
    answered_min_seconds: float = Field(ge=0)
    reached: list[OutcomeClass] = Field(min_length=1)
    completed: list[OutcomeClass] = Field(min_length=1)
    source: str = Field(min_length=3)


class Block(_Strict):
    codes: list[Literal["603", "603+", "607", "608"]] = Field(min_length=1)
    min_numbers: int = Field(ge=1)
    plain_603_numbers: int = Field(ge=1)
    confidence: float = Field(gt=0, le=1)
    plain_603_confidence: float = Field(gt=0, le=1)
    source: str = Field(min_length=3)


class Label(_Strict):
    answer_drop: float = Field(gt=0, lt=1)
    watch_drop: float = Field(gt=0, lt=1)
    min_stretch_calls: int = Field(ge=1)
    min_z: float = Field(gt=0)
    watch_z: float = Field(gt=0)
    confidence: float = Field(gt=0, le=1)
    short_bonus: float = Field(ge=0, le=1)
    max_confidence: float = Field(gt=0, le=1)
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _order(self) -> Label:
        if self.watch_drop >= self.answer_drop:
            raise ValueError("watch_drop must be below answer_drop")
        if self.confidence > self.max_confidence:
            raise ValueError("confidence must not exceed max_confidence")
        return self


class Unwanted(_Strict):
    watch_numbers: int = Field(ge=1)
    source: str = Field(min_length=3)


class ShortCall(_Strict):
    seconds: float = Field(gt=0)
    share: float = Field(gt=0, lt=1)
    source: str = Field(min_length=3)


class Volume(_Strict):
    per_day: int = Field(ge=1)
    per_week: int = Field(ge=1)
    source: str = Field(min_length=3)


class Warning_(_Strict):
    horizon_days: float = Field(gt=0)
    min_days: int = Field(ge=2)
    source: str = Field(min_length=3)


class Confidence(_Strict):
    healthy: float = Field(gt=0, le=1)
    healthy_thin: float = Field(gt=0, le=1)
    healthy_min_calls: int = Field(ge=1)
    watch: float = Field(gt=0, le=1)


class Thresholds(_Strict):
    windows: list[int] = Field(min_length=1)
    default_window: int
    recent_days: int = Field(ge=1)
    min_calls: int = Field(ge=1)
    max_calls: int = Field(ge=1, le=20000)
    lookup: Lookup
    outcomes: Outcomes
    block: Block
    label: Label
    unwanted: Unwanted
    short_call: ShortCall
    volume: Volume
    warning: Warning_
    confidence: Confidence

    @model_validator(mode="after")
    def _windows(self) -> Thresholds:
        if self.default_window not in self.windows:
            raise ValueError("default_window must be one of windows")
        if any(w <= self.recent_days or w > 30 for w in self.windows):
            raise ValueError("windows must be longer than recent_days and at most 30 days (Voice Insights)")
        return self


class VerdictText(_Strict):
    label: str = Field(min_length=2)
    headline: str = Field(min_length=3)


class RedressTexts(_Strict):
    contact: str
    request: str
    what_blocked: str
    contact_line: str
    what_labeled: str
    registry: str
    customer_reply: str
    customer_blocked: str
    customer_labeled: str
    registry_clause: str
    source: str = Field(min_length=3)


class Texts(_Strict):
    verdicts: dict[str, VerdictText]  # one per status
    watch_reasons: dict[str, str]  # REASON_KEYS
    evidence: dict[str, str]  # EVIDENCE_KEYS
    warning: str
    caveats: dict[str, str]  # CAVEAT_KEYS
    redress: RedressTexts

    @model_validator(mode="after")
    def _complete(self) -> Texts:
        groups = (
            ("verdicts", STATUSES),
            ("evidence", EVIDENCE_KEYS),
            ("watch_reasons", REASON_KEYS),
            ("caveats", CAVEAT_KEYS),
        )
        for group, names in groups:
            have = set(getattr(self, group))
            if missing := sorted(set(names) - have):
                raise ValueError(f"{group} misses {', '.join(missing)}")
            if unknown := sorted(have - set(names)):
                raise ValueError(f"{group} has unknown key(s) {', '.join(unknown)}")
        for where, text in self.templates():
            if unknown := sorted(placeholders(text) - PLACEHOLDERS):
                raise ValueError(f"{where} uses unknown placeholder(s) {', '.join(unknown)} (docs/health.md, 'Texts')")
        return self

    def templates(self) -> list[tuple[str, str]]:
        out = [(f"verdicts.{k}.headline", v.headline) for k, v in self.verdicts.items()]
        out += [(f"watch_reasons.{k}", v) for k, v in self.watch_reasons.items()]
        out += [(f"evidence.{k}", v) for k, v in self.evidence.items()]
        out += [(f"caveats.{k}", v) for k, v in self.caveats.items()]
        out += [(f"redress.{k}", v) for k, v in self.redress.model_dump().items() if k != "source"]
        return [*out, ("warning", self.warning)]


EVIDENCE_KEYS = (
    "overall", "change", "no_baseline", "blocked", "plain_603", "labeled", "slide", "other_carriers", "short",
    "volume", "unwanted", "attestation", "unknown_carriers",
)  # fmt: skip
REASON_KEYS = ("short", "volume", "slide", "unwanted", "isolated_blocks", "trend")
CAVEAT_KEYS = ("capped", "no_lookup", "lookup_failed", "truncated", "label_unconfirmed")

# Every value a text may state (docs/health.md, "Texts"); the statistics fill them (_facts.py).
PLACEHOLDERS = frozenset(
    """caller window_days calls final numbers answer_rate reach_rate recent_days recent_answer_rate
    baseline_answer_rate recent_calls baseline_calls rest_answer_rate rest_calls short_share short_seconds short_line
    completed per_day_max per_day_avg per_day_line unwanted_numbers verified attested unknown_calls carrier carriers
    engine engines block_count block_numbers codes first_block block_span isolated_blocks watch_reasons first_rate
    first_day last_rate last_day label_rate days_left cap capped failed max_calls code contact count business
    use_case what_happened signature registry registry_url registry_reaches turnaround customer
    what_happened_customer registry_clause first_recent_day contact_line""".split()  # noqa: SIM905
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _load(model: type[Thresholds] | type[Texts], name: str) -> Thresholds | Texts:
    return load_model(model, "health", name, HealthDataError, "Fix the file; docs/health.md describes every field.")


@cache
def thresholds() -> Thresholds:
    data = _load(Thresholds, "thresholds.yaml")
    assert isinstance(data, Thresholds)
    return data


@cache
def texts() -> Texts:
    data = _load(Texts, "texts.yaml")
    assert isinstance(data, Texts)
    return data


def fill(template: str, values: dict[str, str]) -> str:
    """A text with its placeholders filled; a value the statistics did not provide is a bug, said clearly."""
    missing = placeholders(template) - set(values)
    if missing:
        raise KeyError(f"health text needs {', '.join(sorted(missing))}")
    return template.format_map(values)
