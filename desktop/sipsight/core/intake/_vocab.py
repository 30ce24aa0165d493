"""The intake vocabulary (resources/intake/*.yaml): validated once, compiled to regexes once.

Phrases are data so a team lead can add a customer's wording without touching code; every phrase
is compiled the same way (`phrase_regex`) so the matching rules in docs/intake.md hold everywhere.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TypeVar

from pydantic import BaseModel, Field, field_validator, model_validator

from sipsight.core.errors import InputError
from sipsight.core.intake._scan import PhraseSet
from sipsight.core.yaml_models import load_model

M = TypeVar("M", bound=BaseModel)

_WORD = re.compile(r"\w+")
# Between the words of a phrase: any run of spaces or punctuation, or nothing ("voice mail" ~ "voicemail").
_GAP = r"[\W_]*"


def phrase_regex(phrase: str) -> str:
    """Regex source for one vocabulary phrase: case, punctuation and spacing between words ignored, whole words."""
    words = _WORD.findall(phrase.lower())
    if not words:  # punctuation-only phrases such as "<!>" match literally
        return re.escape(phrase.strip())
    body = _GAP.join(re.escape(w) for w in words)
    lead = r"\b" if re.match(r"\w", phrase.strip()) else re.escape(phrase.strip()[0])
    tail = r"\b" if re.search(r"\w$", phrase.strip()) else re.escape(phrase.strip()[-1])
    return f"{lead}{body}{tail}"


# --------------------------------------------------------------------------- file models


class SymptomDef(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)


class SymptomsFile(BaseModel):
    version: int
    symptoms: list[SymptomDef]

    @model_validator(mode="after")
    def _unique_ids(self) -> SymptomsFile:
        ids = [s.id for s in self.symptoms]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"symptom ids appear more than once: {', '.join(dupes)}")
        return self


class Cue(BaseModel):
    phrase: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0.0, le=1.0)


def _cue_list(value: object) -> object:
    if isinstance(value, list):
        return [{"phrase": v} if isinstance(v, str) else v for v in value]
    return value


class RoleCues(BaseModel):
    before: list[Cue] = Field(default_factory=list)
    after: list[Cue] = Field(default_factory=list)

    @field_validator("before", "after", mode="before")
    @classmethod
    def _plain_phrases(cls, value: object) -> object:
        return _cue_list(value)


class Roles(BaseModel):
    destination: RoleCues
    caller_id: RoleCues


class CuesFile(BaseModel):
    version: int
    roles: Roles
    prior_contact: list[str] = Field(min_length=1)
    negations: list[str] = Field(default_factory=list)
    not_a_number_before: list[str] = Field(default_factory=list)


class RelativeTime(BaseModel):
    phrase: str
    hours: float = Field(ge=0)


class AnchoredTime(BaseModel):
    phrase: str
    days_back: int = Field(ge=0)
    hour: int = Field(ge=0, le=23)


class TimesFile(BaseModel):
    version: int
    relative: list[RelativeTime]
    anchored: list[AnchoredTime]
    units: dict[str, float]
    number_words: dict[str, float]


class LinkPlatform(BaseModel):
    platform: str = Field(pattern=r"^[a-z]+$")
    hosts: list[str] = Field(min_length=1)
    path: str
    api_host: str | None = None
    api_hosts: dict[str, str] = Field(default_factory=dict)
    source: str = Field(min_length=1)

    @field_validator("hosts")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            re.compile(pattern)
        return value

    @field_validator("path")
    @classmethod
    def _has_id(cls, value: str) -> str:
        if "id" not in re.compile(value).groupindex:
            raise ValueError("the path pattern needs a group named id: (?P<id>...)")
        return value


class LinksFile(BaseModel):
    version: int
    platforms: list[LinkPlatform]


class CodesFile(BaseModel):
    version: int
    sip_context: list[str]
    standalone_sip: list[int]
    twilio_context: list[str]
    standalone_twilio: list[int]
    not_code_before: list[str]
    not_code_after: list[str]


# --------------------------------------------------------------------------- compiled vocabulary


class Symptom:
    def __init__(self, spec: SymptomDef) -> None:
        self.id = spec.id
        self.label = spec.label
        self.phrases = PhraseSet(spec.phrases)


class Vocabulary:
    """Everything intake matches against, compiled once per process."""

    def __init__(self, symptoms: SymptomsFile, cues: CuesFile, times: TimesFile, links: LinksFile,
                 codes: CodesFile) -> None:
        self.symptoms = [Symptom(s) for s in symptoms.symptoms]
        self.role_cues = {
            (role, side): [(re.compile(phrase_regex(c.phrase), re.IGNORECASE), c.weight) for c in getattr(cues_, side)]
            for role, cues_ in (("destination", cues.roles.destination), ("caller_id", cues.roles.caller_id))
            for side in ("before", "after")
        }
        self.prior_contact = PhraseSet(cues.prior_contact)
        words = [n for n in cues.negations if not n.startswith("n'")]
        negations = "|".join(re.escape(n) for n in sorted(words, key=len, reverse=True))
        # "n't" is glued to its verb ("haven't", "doesn’t"), so it needs no word boundary before it.
        glued = r"|n['’]t\b" if len(words) != len(cues.negations) else ""
        self.negation = re.compile(rf"(?:^|\W)(?:{negations})(?:\W|$){glued}", re.IGNORECASE)
        # Words may stand a space away on the same line ("ticket 123", "order no. 123"); a symbol must touch
        # the digits ("#2154691084"), since "# " starts a Markdown heading.
        id_words = "|".join(_edge_phrase(p) for p in cues.not_a_number_before if re.search(r"\w", p))
        id_symbols = "|".join(re.escape(p) for p in cues.not_a_number_before if not re.search(r"\w", p))
        self.not_a_number = re.compile(
            rf"(?:(?:{id_words})[ \t]*(?:#|no\.?|number|:)?[ \t]*|(?:{id_symbols}))\Z", re.IGNORECASE
        )
        self.times = times
        self.relative_times = {t.phrase.lower(): t for t in times.relative}
        self.anchored_times = {t.phrase.lower(): t for t in times.anchored}
        self.time_phrases = PhraseSet([t.phrase for t in times.relative] + [t.phrase for t in times.anchored])
        self.links = [
            (p, [re.compile(rf"^(?:{h})$", re.IGNORECASE) for h in p.hosts], re.compile(p.path, re.IGNORECASE))
            for p in links.platforms
        ]
        self.codes = codes
        self.sip_context = _ends_with_context(codes.sip_context)
        self.twilio_context = _ends_with_context(codes.twilio_context)
        self.not_code_before = re.compile(
            r"(?:" + "|".join(_edge_phrase(p) for p in codes.not_code_before) + r")\s*$", re.IGNORECASE
        )
        # Used with .match(text, pos): no "^", which would only match at the very start of the text.
        self.not_code_after = re.compile(
            r"\s*(?:" + "|".join(_edge_phrase(p) for p in codes.not_code_after) + r")", re.IGNORECASE
        )


def _edge_phrase(phrase: str) -> str:
    # Symbols ("#", "$") stand alone; words need a word boundary so "paid" does not end in "id".
    return phrase_regex(phrase) if re.search(r"\w", phrase) else re.escape(phrase)


def _ends_with_context(words: list[str]) -> re.Pattern[str]:
    # One of the words, then at most two more words ("got a", "error code was"), then the number.
    joined = "|".join(_edge_phrase(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:{joined})(?:[\s:#=\-]+(?:an?|the|was|is|of|code|sip|response|error)\b)?[\s:#=\-]*$",
                      re.IGNORECASE)


def _validated(model: type[M], name: str) -> M:
    return load_model(model, "intake", name, InputError, "Fix the file (see docs/intake.md for its format).")


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, validated and compiled (cached: packaged data never changes at run time)."""
    return Vocabulary(
        _validated(SymptomsFile, "symptoms.yaml"),
        _validated(CuesFile, "cues.yaml"),
        _validated(TimesFile, "times.yaml"),
        _validated(LinksFile, "links.yaml"),
        _validated(CodesFile, "codes.yaml"),
    )
