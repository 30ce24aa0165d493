"""resources/inbox/intercom.yaml read once and validated: hosts, link shapes, author types, the default caller-ID
attributes, the note marker, and the hints an agent reads when Intercom fails."""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sipsight.core.errors import SipsightError
from sipsight.core.yaml_models import load_model

FOLDER, FILE = "inbox", "intercom.yaml"
_HINT = "Fix resources/inbox/intercom.yaml (see docs/inbox.md)."
REGIONS = ("us", "eu", "au")


class InboxDataError(SipsightError):
    """resources/inbox/intercom.yaml failed validation; the message names the field."""


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as err:
        raise ValueError(f"not a regular expression ({err})") from None
    return value


class Links(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    app_hosts: dict[str, str]
    api_bases: dict[str, str]
    conversation: str
    workspace: str
    part: str
    source: str

    @field_validator("conversation", "workspace", "part")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _regex(value)

    @field_validator("api_bases")
    @classmethod
    def _every_region(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [r for r in REGIONS if r not in value]
        if missing:
            raise ValueError(f"missing the API base of {', '.join(missing)}")
        return value


class Authors(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    agent: list[str]
    bot: list[str]
    customer: list[str]
    operator_email: str
    auto_reply: list[str] = Field(min_length=1)
    source: str

    @field_validator("operator_email")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _regex(value)


class Attributes(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    contact_defaults: list[str] = Field(min_length=1)


class NoteWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    marker: str
    pattern: str
    supersedes: str

    @field_validator("pattern")
    @classmethod
    def _has_id(cls, value: str) -> str:
        if "(?P<id>" not in _regex(value):
            raise ValueError("needs a group named id")
        return value

    @field_validator("marker")
    @classmethod
    def _marker_has_id(cls, value: str) -> str:
        if "{id}" not in value:
            raise ValueError("needs the placeholder {id}")
        return value


HINT_KINDS = (
    "auth_failed",
    "forbidden",
    "plan_restricted",
    "rate_limited",
    "unavailable",
    "not_found",
    "bad_response",
    "timeout",
    "offline",
    "feature_not_enabled",
    "not_acceptable",
)


class IntercomData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    api_version: str = Field(pattern=r"^2\.(1[4-9]|[2-9]\d)$")  # 2.14 or later
    links: Links
    authors: Authors
    attributes: Attributes
    note: NoteWords
    hints: dict[str, str]
    permissions: dict[str, str]

    @field_validator("hints")
    @classmethod
    def _every_kind(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [k for k in HINT_KINDS if not value.get(k, "").strip()]
        if missing:
            raise ValueError(f"missing hints for {', '.join(missing)}")
        return {k: " ".join(v.split()) for k, v in value.items()}


@cache
def intercom_data() -> IntercomData:
    """The validated file, loaded once per process."""
    return load_model(IntercomData, FOLDER, FILE, InboxDataError, _HINT)
