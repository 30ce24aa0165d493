"""Scenario files (the built-in library and the trainer's own folder) -> validated `Scenario` objects.

A scenario is one support case told as data: the customer's message, the calls the provider would
hold (explicit calls to the destination, plus a generated series of the caller's other calls), the
diagnosis a good agent should reach, and the teaching material for the training walkthrough. The
embedded simulator serves materialized scenarios as provider API responses, so every integration
test and the demo run on the same stories trainers teach with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sipsight.core import paths, resources
from sipsight.core.errors import InputError
from sipsight.core.models import DiagnosisKind
from sipsight.core.phone import is_e164

DEFAULT_SCENARIO = "origin-ticket"

TwilioStatus = Literal["queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"]
AnsweredBy = Literal[
    "human", "machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax", "unknown"
]
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class _Strict(BaseModel):
    # A typo in a trainer's file ("sip_cod: 608") must be an error, not a silently ignored key.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _field_error(field: str, message: str) -> ValueError:
    """A cross-field error that still names its field (and so its line) in the trainer's file."""
    return ValueError(f"@{field}: {message}")


def _check_e164(value: str | None) -> str | None:
    if value is not None and not is_e164(value):
        raise ValueError(f"'{value}' is not an E.164 phone number (write it like +13035550199)")
    return value


class ScenarioCall(_Strict):
    """One explicit call in a scenario, timed relative to 'now'."""

    minutes_ago: float = Field(ge=0, le=60 * 24 * 30)
    to: str | None = None  # default: the scenario's destination
    from_: str | None = Field(default=None, alias="from")  # default: the scenario's caller_id
    status: TwilioStatus
    duration_s: int | None = Field(default=None, ge=0)  # talk time after answer
    answered_by: AnsweredBy | None = None
    sip_code: int | None = Field(default=None, ge=100, le=699)  # last SIP response (200 when answered)
    sip_reason: str | None = None
    q850_cause: int | None = Field(default=None, ge=0, le=127)
    error_code: str | None = None  # Twilio notification error code, e.g. "21215"
    ring_s: float | None = Field(default=None, ge=0)  # INVITE to answer or to final failure
    pdd_ms: int | None = Field(default=None, ge=0)
    disconnected_by: Literal["caller", "callee", "unknown"] | None = None
    carrier: str | None = None
    connection: str | None = None  # mobile | landline | voip
    redress_contact: str | None = None  # 608 jCard / 603+ Reason text contact
    processing_state: Literal["complete", "partial"] = "complete"

    @field_validator("to", "from_")
    @classmethod
    def _numbers(cls, value: str | None) -> str | None:
        return _check_e164(value)

    @model_validator(mode="after")
    def _coherent(self) -> ScenarioCall:
        answered = self.status in ("completed", "in-progress")
        if answered and self.duration_s is None and self.status == "completed":
            raise _field_error("status", "a completed call needs duration_s (talk time in seconds)")
        if not answered and self.answered_by not in (None, "unknown"):
            raise _field_error("answered_by", f"is set but status '{self.status}' means nobody answered")
        if answered and self.sip_code is not None and self.sip_code >= 300:
            raise _field_error(
                "sip_code", f"status '{self.status}' means answered, so sip_code cannot be {self.sip_code}"
            )
        if self.status == "failed" and self.sip_code is None and self.error_code is None:
            raise _field_error("status", "a failed call needs a sip_code or an error_code to say why")
        return self


# Named outcome profiles for generated calls: what a dialer's day is made of.
PROFILES = (
    "human_connected",
    "short_human",  # answered by a person who hangs up within seconds
    "voicemail_rang_out",
    "fast_voicemail",
    "no_answer",
    "busy",
    "unreachable",
    "invalid_number",
    "canceled",
    "blocked_608",
    "blocked_603plus",
    "blocked_607",
    "carrier_503",
)


class OtherCalls(_Strict):
    """A generated, deterministic series of the caller's calls to other numbers."""

    count: int = Field(ge=0, le=2000)
    over_hours: float = Field(gt=0, le=24 * 30)
    start_minutes_ago: float = Field(default=0, ge=0)  # the newest call of the series
    destinations: int = Field(ge=1, le=2000)  # distinct numbers dialed
    mix: dict[str, float]  # profile -> weight
    seed: int = 1
    from_: str | None = Field(default=None, alias="from")  # default: the scenario's caller_id
    carriers: list[str] = Field(default_factory=lambda: ["Verizon Wireless", "T-Mobile USA, Inc.", "AT&T Wireless"])
    blocked_carrier: str | None = None  # blocks (608/603+) all come from this carrier when set
    redress_contact: str | None = None  # on generated 608/603+ calls

    @field_validator("from_")
    @classmethod
    def _number(cls, value: str | None) -> str | None:
        return _check_e164(value)

    @field_validator("mix")
    @classmethod
    def _known_profiles(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(PROFILES))
        if unknown:
            raise ValueError(f"unknown outcome profile(s) {unknown}; known: {', '.join(PROFILES)}")
        if not value or sum(value.values()) <= 0 or min(value.values()) < 0:
            raise ValueError("mix needs at least one profile with a positive weight")
        return value


class Expected(_Strict):
    kind: DiagnosisKind
    min_confidence: float = Field(default=0.0, ge=0, le=1)
    max_confidence: float = Field(default=1.0, ge=0, le=1)
    alternatives_include: list[DiagnosisKind] = Field(default_factory=list)

    @model_validator(mode="after")
    def _range(self) -> Expected:
        if self.min_confidence > self.max_confidence:
            raise _field_error("min_confidence", "is above max_confidence")
        return self


class Choice(_Strict):
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str = Field(min_length=1)


class Teaching(_Strict):
    points: list[str] = Field(min_length=1)
    check_question: str = Field(min_length=1)
    choices: list[Choice] = Field(min_length=2)
    quiz_choices: list[DiagnosisKind] = Field(min_length=2)
    tip: str = ""

    @field_validator("choices")
    @classmethod
    def _one_correct(cls, value: list[Choice]) -> list[Choice]:
        if not any(c.correct for c in value):
            raise ValueError("at least one choice must have correct: true")
        return value


class Scenario(_Strict):
    name: str
    title: str = Field(min_length=1)
    order: int = 100
    summary: str = Field(min_length=1)
    provider: Literal["twilio", "signalwire"] = "twilio"
    voice_insights: bool = True  # Twilio Voice Insights Advanced Features on
    destination: str
    caller_id: str
    customer_name: str = "Customer"
    business: str | None = None  # the customer's business, as a redress request names it (caller ID health)
    use_case: str | None = None  # what its calls are for, as a redress request says it
    conversation: str = Field(min_length=1)
    calls: list[ScenarioCall] = Field(default_factory=list)
    other_calls: list[OtherCalls] = Field(default_factory=list)
    expected: Expected
    teaching: Teaching
    source: str = Field(min_length=1)

    @field_validator("destination", "caller_id")
    @classmethod
    def _numbers(cls, value: str) -> str:
        return _check_e164(value) or value

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("name must be a slug: lower-case letters, digits and dashes (e.g. my-scenario)")
        return value

    @field_validator("other_calls", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _quiz_has_answer(self) -> Scenario:
        if self.expected.kind not in self.teaching.quiz_choices:
            raise _field_error("teaching.quiz_choices", f"must include the expected kind '{self.expected.kind}'")
        return self


# --------------------------------------------------------------------------- library


@dataclass(frozen=True)
class ScenarioError:
    """A scenario file that could not be loaded, said so that a trainer can fix it."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class ScenarioLibrary:
    scenarios: list[Scenario] = field(default_factory=list)
    errors: list[ScenarioError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "my.yaml overrides the built-in 'busy-seller'"
    origins: dict[str, str] = field(default_factory=dict)  # name -> "built-in" or the user file path

    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def find(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)


def _node_at(root: yaml.Node | None, loc: Iterable[int | str]) -> yaml.Node | None:
    """The deepest YAML node along a pydantic error location (so the error can name a line)."""
    node = root
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)), None)
            if match is None:  # a missing field: the mapping that lacks it is the best line we have
                return node
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
        else:
            break
    return node


def parse_scenario_text(text: str, path: str) -> tuple[Scenario | None, list[ScenarioError]]:
    """Validate one scenario file's text; errors name the file, the field path and the line."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        data = resources.load_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [ScenarioError(path, line, "", f"not valid YAML ({problem})")]
    if not isinstance(data, dict):
        return None, [ScenarioError(path, 1, "", "a scenario file must be a mapping of fields (name:, title:, ...)")]
    try:
        return Scenario.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            message = err["msg"].removeprefix("Value error, ")
            named = re.match(r"@([\w.]+): (.*)", message, re.S)
            if named:  # a cross-field check that named its field
                loc += named[1].split(".")
                message = named[2]
            node = _node_at(root, loc)
            line = node.start_mark.line + 1 if node is not None else None
            dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
            errors.append(ScenarioError(path, line, dotted or "(file)", message))
        return None, errors


_BUILTIN_CACHE: list[tuple[Scenario | None, list[ScenarioError]]] | None = None


def _builtins() -> list[tuple[Scenario | None, list[ScenarioError]]]:
    global _BUILTIN_CACHE  # packaged files never change at run time
    if _BUILTIN_CACHE is None:
        files = resources.list_dir("scenarios")
        _BUILTIN_CACHE = [parse_scenario_text(f.read_text(encoding="utf-8"), f"built-in {f.name}") for f in files]
    return _BUILTIN_CACHE


def load_scenarios(include_user: bool = True) -> ScenarioLibrary:
    """The built-in scenarios plus the trainer's files; a bad user file is reported, never fatal."""
    lib = ScenarioLibrary()
    by_name: dict[str, Scenario] = {}
    for scenario, errors in _builtins():
        lib.errors.extend(errors)
        if scenario is not None:
            by_name[scenario.name] = scenario
            lib.origins[scenario.name] = "built-in"
    if include_user:
        folder = paths.user_scenarios_dir()
        files = sorted(p for p in folder.glob("*") if p.suffix.lower() in (".yaml", ".yml")) if folder.is_dir() else []
        for file in files:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                lib.errors.append(ScenarioError(str(file), None, "", f"cannot read the file ({exc})"))
                continue
            scenario, errors = parse_scenario_text(text, str(file))
            lib.errors.extend(errors)
            if scenario is None:
                continue
            previous = lib.origins.get(scenario.name)
            if previous == "built-in":
                lib.notes.append(f"{file} overrides the built-in scenario '{scenario.name}'")
            elif previous:
                lib.notes.append(f"{file} replaces '{scenario.name}' from {previous} (same name)")
            by_name[scenario.name] = scenario
            lib.origins[scenario.name] = str(file)
    lib.scenarios = sorted(by_name.values(), key=lambda s: (s.order, s.name))
    return lib


def get_scenario(name: str | None = None) -> Scenario:
    """A scenario by name (None: the origin ticket); an unknown name is an InputError listing the names."""
    wanted = name or DEFAULT_SCENARIO
    lib = load_scenarios()
    found = lib.find(wanted)
    if found is None:
        raise InputError(
            f"Unknown scenario '{wanted}'.",
            hint=f"Available: {', '.join(lib.names()) or '(none)'}. List them with 'sipsight simulate --list'.",
        )
    return found


def resolve(scenario: str | Scenario | None) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else get_scenario(scenario)


def user_scenarios_dir() -> Path:
    """Where trainers drop their own scenario files (re-exported for the faces)."""
    return paths.user_scenarios_dir()
