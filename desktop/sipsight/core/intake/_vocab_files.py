"""The shapes of resources/intake/*.yaml, validated at load (pydantic): a mistake names its file and field."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

LANGUAGES = ("en", "es", "fr", "de", "pt")


def _no_blank(values: list[str]) -> list[str]:
    for value in values:
        if not str(value).strip():
            raise ValueError("a phrase is empty")
        try:
            # intake folds the paste to Latin-1 letters; any other character becomes a separator, so a phrase
            # holding one ("⚠") would match every separator
            str(value).encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError(f"'{value}' holds a character outside Latin-1, which intake cannot match") from None
    return values


# --------------------------------------------------------------------------- symptoms.yaml


class ThenPhrases(BaseModel):
    """Phrases that count only when one of `followed_by` comes after them in the same sentence."""

    phrases: list[str] = Field(min_length=1)
    followed_by: list[str] = Field(min_length=1)


class SymptomDef(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)  # English
    es: list[str] = Field(default_factory=list)
    fr: list[str] = Field(default_factory=list)
    de: list[str] = Field(default_factory=list)
    pt: list[str] = Field(default_factory=list)
    then: ThenPhrases | None = None
    # The role a symptom gives the number written just before it ("(303) 555-0199 goes to voicemail" is the
    # number called; "720-555-0100 shows as Spam Likely" is the caller ID; "blocked" says nothing).
    number_role: Literal["destination", "caller_id", "none"] = "destination"
    after_answer: list[str] = Field(default_factory=list)
    unless_after: list[str] = Field(default_factory=list)
    unless_followed_by: list[str] = Field(default_factory=list)
    before_answer: bool = False

    @field_validator("phrases", "es", "fr", "de", "pt", "after_answer")
    @classmethod
    def _not_blank(cls, value: list[str]) -> list[str]:
        return _no_blank(value)

    def all_phrases(self) -> list[str]:
        return self.phrases + self.es + self.fr + self.de + self.pt


class SymptomsFile(BaseModel):
    version: int
    source: str = ""
    fuzzy: list[str] = Field(default_factory=list)
    answered: dict[str, list[str]] = Field(default_factory=dict)
    symptoms: list[SymptomDef]

    @model_validator(mode="after")
    def _unique_ids(self) -> SymptomsFile:
        ids = [s.id for s in self.symptoms]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"symptom ids appear more than once: {', '.join(dupes)}")
        unknown = sorted(set(self.answered) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"answered: unknown language {', '.join(unknown)} (use {', '.join(LANGUAGES)})")
        for word in self.fuzzy:
            if len(word) < 7 or not word.isalpha():
                raise ValueError(f"fuzzy: '{word}' must be one word of 7 letters or more "
                                 "(shorter words mistype into other real words)")
        return self


# --------------------------------------------------------------------------- cues.yaml


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


class Questions(BaseModel):
    destination: list[str] = Field(default_factory=list)
    caller_id: list[str] = Field(default_factory=list)


ROLE_CUES = ("ruled_out", "support", "callback", "caller_id", "own_number", "destination")


class LanguageCues(BaseModel):
    ruled_out: RoleCues = Field(default_factory=RoleCues)
    support: RoleCues = Field(default_factory=RoleCues)
    callback: RoleCues = Field(default_factory=RoleCues)
    caller_id: RoleCues = Field(default_factory=RoleCues)
    own_number: RoleCues = Field(default_factory=RoleCues)
    destination: RoleCues = Field(default_factory=RoleCues)
    questions: Questions = Field(default_factory=Questions)
    answers_no: list[str] = Field(default_factory=list)
    answers_yes: list[str] = Field(default_factory=list)
    anaphora: list[str] = Field(default_factory=list)
    negations: list[str] = Field(default_factory=list)
    prior_contact: list[str] = Field(default_factory=list)


class LinkParameters(BaseModel):
    destination: list[str] = Field(default_factory=list)
    caller_id: list[str] = Field(default_factory=list)


class CuesFile(BaseModel):
    version: int
    source: str = ""
    languages: dict[str, LanguageCues]
    not_a_number_before: list[str] = Field(default_factory=list)
    link_parameters: LinkParameters = Field(default_factory=LinkParameters)

    @model_validator(mode="after")
    def _known_languages(self) -> CuesFile:
        unknown = sorted(set(self.languages) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unknown language {', '.join(unknown)} (use {', '.join(LANGUAGES)})")
        if "en" not in self.languages or not self.languages["en"].prior_contact:
            raise ValueError("languages.en needs its prior_contact phrases")
        return self


# --------------------------------------------------------------------------- times.yaml, links.yaml, codes.yaml


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
    reason_phrases: dict[int, list[str]] = Field(default_factory=dict)

    @field_validator("reason_phrases")
    @classmethod
    def _sip_codes(cls, value: dict[int, list[str]]) -> dict[int, list[str]]:
        for code, phrases in value.items():
            if not 100 <= code <= 699:
                raise ValueError(f"{code} is not a SIP response code (100-699)")
            _no_blank(phrases)
        return value


# --------------------------------------------------------------------------- authors.yaml, countries.yaml


class AuthorsFile(BaseModel):
    version: int
    source: str = Field(min_length=1)
    bots: list[str] = Field(min_length=1)
    agent_words: list[str] = Field(min_length=1)
    customer_labels: list[str] = Field(min_length=1)
    agent_labels: list[str] = Field(default_factory=list)
    header_verbs: list[str] = Field(min_length=1)
    quote_intro_verbs: list[str] = Field(min_length=1)
    quote_intro_starts: list[str] = Field(min_length=1)
    original_message: list[str] = Field(min_length=1)
    forwarded_message: list[str] = Field(default_factory=list)
    header_from: list[str] = Field(min_length=1)
    header_fields: list[str] = Field(min_length=1)
    auto_reply: list[str] = Field(min_length=1)
    acknowledgements: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    note_verbs: list[str] = Field(default_factory=list)
    sign_offs: list[str] = Field(default_factory=list)
    device_footers: list[str] = Field(default_factory=list)
    greetings: list[str] = Field(default_factory=list)
    label_words: list[str] = Field(default_factory=list)
    article_markers: list[str] = Field(default_factory=list)
    date_words: list[str] = Field(min_length=1)

    @field_validator("bots", "agent_words", "customer_labels", "header_verbs", "auto_reply")
    @classmethod
    def _not_blank(cls, value: list[str]) -> list[str]:
        return _no_blank(value)


class CountriesFile(BaseModel):
    version: int
    source: str = Field(min_length=1)
    countries: dict[str, list[str]]

    @field_validator("countries")
    @classmethod
    def _regions(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for region, words in value.items():
            if not re.fullmatch(r"[A-Z]{2}", region):
                raise ValueError(f"'{region}' is not a two-letter region code (GB, DE, FR ...)")
            _no_blank(words)
        return value
