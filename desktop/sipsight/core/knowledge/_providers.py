"""The provider catalog: what SIPSight knows about each telephony provider itself, one file per provider in
resources/providers/ (docs/knowledge-base.md, "Provider catalog").

A provider's name, status page, console, how long it keeps call history, which knowledge vocabularies read its
statuses and error codes, and the hint an agent reads when talking to it fails: written once, in its file, so
neither `classify` nor the provider clients carry their own copy.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from sipsight.core import resources
from sipsight.core.errors import InputError, SipsightError
from sipsight.core.knowledge._base import VOCABULARIES
from sipsight.core.yaml_models import validate_model

# The kinds of provider failure an agent gets a hint for (providers/errors.py has one error class per kind).
HINT_KINDS = (
    "auth_failed",
    "forbidden",
    "rate_limited",
    "unavailable",
    "not_found",
    "feature_not_enabled",
    "bad_response",
    "timeout",
    "offline",
)
_FOLDER = "providers"
_HINT = "Fix the file (see docs/knowledge-base.md, 'Provider catalog')."


class ProviderCatalogError(SipsightError):
    """A provider file failed validation; the message names the file and the field."""


def _problem(message: str) -> PydanticCustomError:
    # a custom error keeps pydantic's "Value error, " prefix out of the message the team lead reads
    return PydanticCustomError("provider_catalog", message)


_FIELD = re.compile(r"^[a-z][a-z_]{1,39}$")


class Credentials(BaseModel):
    """What a profile of this provider holds, named as the provider names it: the account it reads (None: the
    provider has no account field, its key says which) and its one secret, kept in the keyring under `field`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account: str | None  # "Account SID", "Auth ID" ...
    secret: str  # "API key", "Auth Token", "private key" ...
    secret_field: str  # the keyring entry's field: "<profile>:<secret_field>"

    @field_validator("secret_field")
    @classmethod
    def _field_name(cls, value: str) -> str:
        if not _FIELD.match(value):
            raise _problem("secret_field is 2-40 lower-case letters and '_'")
        return value


class ProviderInfo(BaseModel):
    """One provider's facts. Shared by every caller: treat it as read-only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    status_page: str = Field(pattern=r"^https://\S+$")
    console: str
    history_retention_days: int | None = Field(ge=1)  # None: the provider documents no limit we know of
    retention_note: str
    status_vocabularies: list[str] = Field(min_length=1)  # tried in order
    error_vocabulary: str | None
    hints: dict[str, str]
    credentials: Credentials
    ring_time_source: str  # where the agent finds how long a call rang ("Voice Insights", "the call events")
    source: str

    @field_validator("label", "console", "retention_note", "ring_time_source", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise _problem("must not be empty")
        return " ".join(value.split())

    @field_validator("status_vocabularies")
    @classmethod
    def _known_vocabularies(cls, value: list[str]) -> list[str]:
        for vocab in value:
            _check_vocabulary(vocab)
        return value

    @field_validator("error_vocabulary")
    @classmethod
    def _known_vocabulary(cls, value: str | None) -> str | None:
        return None if value is None else _check_vocabulary(value)

    @field_validator("hints")
    @classmethod
    def _every_kind_once(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [k for k in HINT_KINDS if k not in value]
        unknown = sorted(set(value) - set(HINT_KINDS))
        if missing or unknown:
            parts = [f"missing {', '.join(missing)}"] if missing else []
            parts += [f"unknown {', '.join(unknown)} (known: {', '.join(HINT_KINDS)})"] if unknown else []
            raise _problem("; ".join(parts))
        blank = [k for k in HINT_KINDS if not value[k].strip()]
        if blank:
            raise _problem(f"empty hint for {', '.join(blank)}")
        return {k: " ".join(value[k].split()) for k in HINT_KINDS}


def _check_vocabulary(vocab: str) -> str:
    if vocab not in VOCABULARIES:
        raise _problem(f"unknown vocabulary {vocab!r} (known: {', '.join(VOCABULARIES)})")
    return vocab


def _validated(data: object, where: str, stem: str) -> ProviderInfo:
    info = validate_model(ProviderInfo, data, where, ProviderCatalogError, _HINT)
    if info.name != stem:
        # the file name is how provider_info finds it: a mismatch would make the provider unfindable
        problem = f"{info.name!r} must match the file name {stem!r}"
        raise ProviderCatalogError(f"{where} is invalid at name: {problem}", _HINT)
    return info


def read_provider_file(path: Path | str) -> ProviderInfo:
    """A provider file outside the package (a team lead's draft, a test), validated like a packaged one."""
    file = Path(path)
    try:
        data = resources.load_yaml_text(file.read_text(encoding="utf-8"))
    except Exception as err:  # OSError, yaml.YAMLError, decoding errors: name the file
        raise ProviderCatalogError(f"{file} is not readable YAML ({err})", _HINT) from err
    return _validated(data, str(file), file.stem)


@cache
def _files() -> dict[str, str]:
    """provider name -> its file name in resources/providers/."""
    return {f.name.rsplit(".", 1)[0]: f.name for f in resources.list_dir(_FOLDER)}


def provider_names() -> list[str]:
    """Every provider in the catalog, by name (the stems of resources/providers/*.yaml), sorted."""
    return list(_files())


@cache
def provider_info(name: str) -> ProviderInfo:
    """The catalog entry of one provider ("twilio", "signalwire", ...), loaded and validated once per process."""
    file = _files().get(name)
    if file is None:
        raise InputError(f"Unknown provider {name!r}.", f"Known providers: {', '.join(_files())}.")
    return _validated(resources.load_yaml(_FOLDER, file), f"resources/{_FOLDER}/{file}", name)
