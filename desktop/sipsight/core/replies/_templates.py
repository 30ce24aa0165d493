"""The team lead's reply templates (resources/replies/: customer.yaml, internal.yaml, summary.yaml): the
placeholders each may use, the file models, and loading with validation.

A team lead may override any file by dropping one of the same name in `<config dir>/replies/` (docs/replies.md).
Every file is validated at load: a missing diagnosis kind, an unknown key or an unknown placeholder is a load
error naming the file and the key, so a typo never reaches a customer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sipsight.core import resources
from sipsight.core.errors import InputError
from sipsight.core.models import DiagnosisKind
from sipsight.core.replies._templating import Template, TemplateSyntaxError

M = TypeVar("M", bound=BaseModel)

# --------------------------------------------------------------------------- placeholders

CUSTOMER_PLACEHOLDERS: dict[str, str] = {
    "number": "the number the customer called, formatted (+1 303-555-0199)",
    "caller_id": "the customer's caller ID, formatted, or 'your number'",
    "dates": "'on Nov 23' or 'between Nov 21 and Nov 23' (display time zone; with the year across New Year)",
    "first_date": "date of the first call ('Nov 21')",
    "last_date": "date of the last call ('Nov 23')",
    "calls": "'6 calls' / '1 call': the calls to the number the records show",
    "what_happened": "what the recent calls did, from the statistics: 'all 5 calls since Nov 22 went straight to "
    "voicemail without ringing'; empty when no one thing happened to most of them",
    "connected_before": "'3 times, most recently on Nov 20' when calls connected before and none since; else empty",
    "since_change": "'since Nov 22' when calls connected before and none since; else empty",
    "other_numbers": "'36 other numbers' the caller ID called in the hours compared, or empty",
    "others_reached": "'31 of your 36 calls to other numbers in the same hours rang or were answered', or empty",
    "others_answered": "'10 of your 36 calls to other numbers in the same hours were answered by a person', or empty",
    "others_blocking": "'5 other numbers' that blocked or declined the caller ID with a code, when several did",
    "healthy_others": "like other_numbers, but only when the claim others_fine holds; else empty",
    "failing_others": "like other_numbers, but only when the claim others_failing holds; else empty",
    "redress": "the dispute contact a carrier returned (608 jCard / 603+ Reason), or empty",
    "carrier": "the terminating carrier's name, or empty",
    "customer_name": "the customer's first name when the face knows it, or empty",
    "hello_name": "the customer's first name, or 'there' ('Hi there,')",
    "agent_name": "the agent's name (Settings.agent_name), or empty",
    "company_name": "the company's name (Settings.company_name), or empty",
    "signature": "who signs: 'Dana, Acme CRM', 'Dana', 'The Acme CRM team', or 'The support team'",
}

# the claims (CaseStats.claims, docs/diagnosis.md "Claims") a conditional part [[?claim ...]] may name
CLAIM_FLAGS: dict[str, str] = {
    "others_fine": "the caller's other calls in the same hours ring and connect as usual",
    "others_failing": "they rarely reach a person either",
    "others_blocked": "several other numbers blocked or declined the caller ID with a code",
    "only_this_number": "others fine, and every recent call to this number failed",
    "changed": "this number connected before, and nothing has since",
    "latest_connected": "the latest call to this number was answered by a person",
    "none_refused": "no call to this number was declined or blocked with a code",
    "all_rang": "every recent call to this number rang (or was answered after ringing)",
    "straight_to_voicemail": "most recent calls to this number went to voicemail without ringing",
    "has_others": "there are calls to other numbers to compare with",
}

INTERNAL_PLACEHOLDERS: dict[str, str] = {
    "headline": "the diagnosis headline",
    "kind": "the diagnosis kind id (recipient_blocked ...): for scripts, not for people",
    "kind_label": "the diagnosis kind as people read it ('Blocked or declined by the recipient')",
    "interpretation": "the per-kind technical reading (internal.yaml `kinds`)",
    "confidence": "confidence in percent ('72%')",
    "band": "confidence band id: high | medium | low",
    "band_word": "the confidence as a word: 'very likely', 'likely', 'possible'",
    "provider": "provider name (twilio, signalwire, file ...)",
    "source": "where the data came from: profile, demo scenario or file",
    "destination": "destination in E.164",
    "caller_id": "caller ID in E.164, or 'unknown'",
    "window": "first to last attempt, with the time zone",
    "tz": "the display time zone",
    "attempt_count": "number of attempts to the destination",
    "by_outcome": "what the calls did, counted: 'straight to voicemail 5, a person answered 3'",
    "codes": "codes seen, with reason phrases and counts",
    "attempt_lines": "one line per attempt (newest 20): call id, time, codes, outcome",
    "other_calls": "the caller ID's calls to other numbers, counted, or empty",
    "change": "what changed and when, or empty",
    "redress": "redress contacts, or empty",
    "carriers": "terminating carriers, or empty",
    "line_type": "line type of the destination, or empty",
    "data_profile": "what the data could show (SIP codes, answered_by, caller history)",
    "evidence": "evidence lines",
    "next_steps": "next steps, one per line",
    "caveats": "caveats, one per line, or empty",
    "alternatives": "alternatives with how to tell them apart, or empty",
    "left_out": "calls left out of the counts (in progress, unreadable), or empty",
}

SUMMARY_PLACEHOLDERS: dict[str, str] = dict(CUSTOMER_PLACEHOLDERS)

# Placeholders that are often empty: a template must use them inside [[ ]] so an empty value drops the
# whole phrase instead of leaving "your calls to  are ..." in front of a customer.
MAY_BE_EMPTY: frozenset[str] = frozenset(
    {
        "what_happened",
        "connected_before",
        "since_change",
        "other_numbers",
        "others_reached",
        "others_answered",
        "others_blocking",
        "healthy_others",
        "failing_others",
        "redress",
        "carrier",
        "customer_name",
        "agent_name",
        "company_name",
        "source",
        "other_calls",
        "change",
        "carriers",
        "line_type",
        "caveats",
        "alternatives",
        "left_out",
    }
)

TEMPLATE_FILES = ("customer.yaml", "internal.yaml", "summary.yaml")


class ReplyTemplateError(InputError):
    """A reply template file that does not load; the message names the file and the key."""


# --------------------------------------------------------------------------- template files


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BandTemplates(_Strict):
    high: str
    medium: str
    low: str | None = None  # falls back to medium: low-confidence wording is at least as hedged


class CustomerFile(_Strict):
    source: str
    greeting: str  # the first line of every reply ("Hi {hello_name},")
    sign_off: str  # the last lines ("Best regards,\n{signature}")
    kinds: dict[str, BandTemplates]

    @model_validator(mode="before")
    @classmethod
    def _bands_moved(cls, data: object) -> object:
        if isinstance(data, dict) and "bands" in data:
            raise ValueError(
                "bands: the confidence bands moved to resources/diagnosis/claims.yaml (they are calibrated against "
                "the scenarios); remove the key from this file"
            )
        return data


class InternalFile(_Strict):
    source: str
    layout: str
    kinds: dict[str, str]


class SummaryCause(_Strict):
    kind: DiagnosisKind  # the diagnosis kind this cause stands for: an alternative of that kind is not listed again
    text: str  # a phrase completing "This could be due to:"


class SummaryKind(_Strict):
    problem: str
    causes: list[SummaryCause] = Field(default_factory=list)
    identify: list[str] = Field(min_length=1)  # a claim-gated one ([[?claim ...]]) is left out when it does not hold
    tip: str


class SummaryFile(_Strict):
    source: str
    general_identify: list[str] = Field(default_factory=list)
    kinds: dict[str, SummaryKind]

    @field_validator("general_identify")
    @classmethod
    def _strip(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value]


@dataclass(frozen=True)
class SummaryTemplates:
    """One kind's texts of the educational summary, compiled."""

    problem: Template
    causes: list[tuple[DiagnosisKind, Template]]
    identify: list[Template]
    tip: Template


class ReplyTemplates:
    """All three files, parsed: `customer[kind][band]`, `internal_layout`, `internal[kind]`, `summary[kind]`."""

    def __init__(
        self, customer: CustomerFile, internal: InternalFile, summary: SummaryFile, origin: dict[str, str]
    ) -> None:
        self.greeting = Template(customer.greeting)
        self.sign_off = Template(customer.sign_off)
        self.origin = origin  # file name -> where it was read from (for error messages and docs)
        self.customer: dict[DiagnosisKind, dict[str, Template]] = {}
        for kind in DiagnosisKind:
            bt = customer.kinds[kind.value]
            self.customer[kind] = {
                "high": Template(bt.high),
                "medium": Template(bt.medium),
                "low": Template(bt.low if bt.low is not None else bt.medium),
            }
        self.internal_layout = Template(internal.layout)
        self.internal = {kind: Template(internal.kinds[kind.value]) for kind in DiagnosisKind}
        self.summary: dict[DiagnosisKind, SummaryTemplates] = {}
        for kind in DiagnosisKind:
            sk = summary.kinds[kind.value]
            self.summary[kind] = SummaryTemplates(
                problem=Template(sk.problem),
                causes=[(c.kind, Template(c.text)) for c in sk.causes],
                identify=[Template(c) for c in sk.identify],
                tip=Template(sk.tip),
            )
        self.general_identify = [Template(t) for t in summary.general_identify]

    def band(self, confidence: float) -> str:
        """high | medium | low: the confidence band (resources/diagnosis/claims.yaml) whose wording a reply uses."""
        from sipsight.core.diagnosis import band

        name = band(confidence).name
        return name if name in ("high", "medium") else "low"


def _fail(origin: str, key: str, message: str) -> ReplyTemplateError:
    return ReplyTemplateError(
        f"Reply template {origin}: {key}: {message}",
        "Fix that entry (docs/replies.md lists the keys and placeholders), or remove the override file.",
    )


def _check_template(origin: str, key: str, text: str, allowed: Iterable[str], flags: Iterable[str] = ()) -> None:
    try:
        template = Template(text)
    except TemplateSyntaxError as err:
        raise _fail(origin, key, str(err)) from None
    if bad := sorted(template.flags - set(flags)):
        known = ", ".join(sorted(flags)) or "none here"
        raise _fail(origin, key, f"unknown claim [[?{bad[0]} ...]] (known: {known})")
    unknown = template.check(allowed)
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        known = ", ".join("{" + n + "}" for n in sorted(allowed))
        raise _fail(origin, key, f"unknown placeholder {names} (known: {known})")
    bare = sorted(template.unguarded & MAY_BE_EMPTY)
    if bare:
        names = ", ".join("{" + n + "}" for n in bare)
        raise _fail(origin, key, f"{names} can be empty: put it inside an optional part [[ ... ]]")


def _check_kinds(origin: str, kinds: Mapping[str, object]) -> None:
    wanted = [k.value for k in DiagnosisKind]
    missing = [k for k in wanted if k not in kinds]
    if missing:
        raise _fail(
            origin,
            "kinds." + missing[0],
            f"missing (every diagnosis kind needs an entry; missing: {', '.join(missing)})",
        )
    extra = sorted(set(kinds) - set(wanted))
    if extra:
        raise _fail(origin, "kinds." + extra[0], f"not a diagnosis kind (known: {', '.join(wanted)})")


def _validate(model: type[M], data: object, origin: str) -> M:
    if not isinstance(data, dict):
        raise _fail(origin, "(top level)", "expected a mapping of keys (source, kinds, ...)")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        raise _fail(origin, key, message) from None


def parse_customer(data: object, origin: str = "customer.yaml") -> CustomerFile:
    model = _validate(CustomerFile, data, origin)
    _check_kinds(origin, model.kinds)
    _check_template(origin, "greeting", model.greeting, CUSTOMER_PLACEHOLDERS)
    _check_template(origin, "sign_off", model.sign_off, CUSTOMER_PLACEHOLDERS)
    for kind, bt in model.kinds.items():
        for band, text in (("high", bt.high), ("medium", bt.medium), ("low", bt.low)):
            if text is not None:
                _check_template(origin, f"kinds.{kind}.{band}", text, CUSTOMER_PLACEHOLDERS, CLAIM_FLAGS)
    return model


def parse_internal(data: object, origin: str = "internal.yaml") -> InternalFile:
    model = _validate(InternalFile, data, origin)
    _check_kinds(origin, model.kinds)
    _check_template(origin, "layout", model.layout, INTERNAL_PLACEHOLDERS, CLAIM_FLAGS)
    for kind, text in model.kinds.items():
        _check_template(origin, f"kinds.{kind}", text, INTERNAL_PLACEHOLDERS, CLAIM_FLAGS)
    return model


def parse_summary(data: object, origin: str = "summary.yaml") -> SummaryFile:
    model = _validate(SummaryFile, data, origin)
    _check_kinds(origin, model.kinds)
    for i, text in enumerate(model.general_identify):
        _check_template(origin, f"general_identify.{i}", text, SUMMARY_PLACEHOLDERS, CLAIM_FLAGS)
    for kind, sk in model.kinds.items():
        _check_template(origin, f"kinds.{kind}.problem", sk.problem, SUMMARY_PLACEHOLDERS, CLAIM_FLAGS)
        _check_template(origin, f"kinds.{kind}.tip", sk.tip, SUMMARY_PLACEHOLDERS, CLAIM_FLAGS)
        texts = [("causes", i, c.text) for i, c in enumerate(sk.causes)] + [
            ("identify", i, text) for i, text in enumerate(sk.identify)
        ]
        for field, i, text in texts:
            _check_template(origin, f"kinds.{kind}.{field}.{i}", text, SUMMARY_PLACEHOLDERS, CLAIM_FLAGS)
    return model


def override_dir() -> Path:
    from sipsight.core.paths import config_dir

    return config_dir() / "replies"


def _yaml_problem(err: Exception) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    if mark is None:
        return problem
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"


def _read(name: str, folder: Path | None) -> tuple[object, str]:
    if folder is not None and (folder / name).is_file():
        path = folder / name
        try:
            return resources.load_yaml_text(path.read_text(encoding="utf-8")), str(path)
        except OSError as err:
            raise _fail(str(path), "(file)", f"cannot be read ({err.strerror})") from None
        except Exception as err:  # yaml.YAMLError
            raise _fail(str(path), "(file)", f"is not valid YAML: {_yaml_problem(err)}") from None
    return resources.load_yaml("replies", name), f"resources/replies/{name}"


def load_templates(folder: Path | None = None) -> ReplyTemplates:
    """Load and validate the three template files; files in `folder` replace the packaged ones."""
    # one file at a time, read then checked: the first broken file is the one reported
    customer_data, customer_at = _read("customer.yaml", folder)
    customer = parse_customer(customer_data, customer_at)
    internal_data, internal_at = _read("internal.yaml", folder)
    internal = parse_internal(internal_data, internal_at)
    summary_data, summary_at = _read("summary.yaml", folder)
    summary = parse_summary(summary_data, summary_at)
    origin = {"customer.yaml": customer_at, "internal.yaml": internal_at, "summary.yaml": summary_at}
    return ReplyTemplates(customer, internal, summary, origin)


@cache
def _cached(folder: str | None, stamp: tuple[float, ...]) -> ReplyTemplates:
    return load_templates(Path(folder) if folder else None)


def templates() -> ReplyTemplates:
    """The templates in use: the team lead's overrides when present, else the packaged ones (cached)."""
    folder = override_dir()
    stamps = tuple((folder / n).stat().st_mtime if (folder / n).is_file() else 0.0 for n in TEMPLATE_FILES)
    if not any(stamps):
        return _cached(None, ())
    return _cached(str(folder), stamps)
