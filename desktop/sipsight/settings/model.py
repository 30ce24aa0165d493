"""The one settings model: provider profiles plus the app preferences the GUI remembers.

Secrets are never fields here: they live in the OS keyring (settings/credentials.py). The file on
disk carries `schema_version`; settings/migrate.py upgrades older layouts.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sipsight.core.timezones import check_zone_name

SCHEMA_VERSION = 1
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def check_base_url(value: str | None) -> str | None:
    """An http(s) origin with a host (a proxy, the simulator), or None; ValueError saying what is wrong."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"'{value}' is not an http:// or https:// address (example: http://127.0.0.1:8080)")
    try:
        _ = parts.port  # urlsplit checks the port only when asked
    except ValueError:
        raise ValueError(f"'{value}' has an invalid port number") from None
    if not parts.hostname:
        raise ValueError(f"'{value}' names no host (example: http://127.0.0.1:8080)")
    return value


class Hosts(BaseModel):
    """Per-service hosts, for regional edges (e.g. api.dublin.ie1.twilio.com); None means Twilio's default."""

    model_config = ConfigDict(extra="forbid")

    api: str | None = None
    insights: str | None = None
    lookups: str | None = None
    monitor: str | None = None

    def by_service(self) -> dict[str, str | None]:
        """{"api": ..., "insights": ..., ...}: what a provider client takes (model_dump would give dict[str, Any])."""
        return {"api": self.api, "insights": self.insights, "lookups": self.lookups, "monitor": self.monitor}


ProviderName = Literal["twilio", "signalwire", "telnyx", "plivo", "vonage", "bandwidth"]
PROVIDER_NAMES: tuple[str, ...] = ("twilio", "signalwire", "telnyx", "plivo", "vonage", "bandwidth")


def account_label(provider: str) -> str | None:
    """What the provider calls the account a profile names (its catalog entry); None: it has none (Telnyx)."""
    from sipsight.core.knowledge import provider_info  # the catalog loads when a profile is checked, not on import

    return provider_info(provider).credentials.account


_PEM = re.compile(r"^-----BEGIN (?:RSA )?PRIVATE KEY-----\s.*-----END (?:RSA )?PRIVATE KEY-----\s*$", re.S)


def looks_like_private_key(value: str) -> bool:
    """A PEM private key (a Vonage application's private.key): what a profile may keep as Vonage's secret."""
    return bool(_PEM.match(value.strip()))


class Profile(BaseModel):
    """One provider account; its secret is in the keyring under "<name>:<secret_field>"."""

    model_config = ConfigDict(extra="forbid")

    name: str
    provider: ProviderName = "twilio"
    # Twilio Account SID, SignalWire Project ID, Plivo Auth ID, Vonage application ID, Bandwidth account ID; Telnyx: ""
    account_sid: str = ""
    api_user: str | None = None  # Bandwidth API user (its password is the secret)
    product: Literal["voice", "zentrunk"] = "voice"  # Plivo: the Voice API's call records, or Zentrunk's (SIP trunk)
    insights: bool = True  # Bandwidth: read Bandwidth Insights (SIP codes) too
    api_key_sid: str | None = None  # Twilio API key SID (SK...), with auth_mode "api_key"
    auth_mode: Literal["api_key", "auth_token"] = "api_key"
    space: str | None = None  # SignalWire space name
    hosts: Hosts = Field(default_factory=Hosts)
    base_url: str | None = None  # sends every service's paths to one origin (a proxy, the simulator)
    subaccounts: Literal["this", "all"] = "this"
    default_region: str | None = None
    timezone: str | None = None
    line_type_lookup: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _PROFILE_NAME.match(value):
            raise ValueError("a profile name is 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return check_zone_name(value)

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return check_base_url(value)

    @model_validator(mode="after")
    def _coherent(self) -> Profile:
        label = account_label(self.provider)
        if label is not None and not self.account_sid.strip():
            raise ValueError(f"a {self.provider} profile needs its {label} (--account-sid)")
        if self.provider == "bandwidth" and not (self.api_user or "").strip():
            raise ValueError("a Bandwidth profile needs its API user (--api-user)")
        if self.provider not in ("twilio", "signalwire"):
            if self.auth_mode != "auth_token":
                self.auth_mode = "auth_token"  # one secret, no API key SID: the Twilio-only choice does not apply
            return self
        if self.provider == "signalwire":
            if not self.space and not self.base_url:
                raise ValueError("a SignalWire profile needs its space name (--space)")
            if self.auth_mode != "auth_token":
                self.auth_mode = "auth_token"  # SignalWire has only Project ID + API token
        elif self.auth_mode == "api_key" and not self.api_key_sid:
            raise ValueError("auth_mode 'api_key' needs the API key SID (--api-key SK...)")
        return self

    @property
    def secret_field(self) -> str:
        if self.provider != "twilio":
            from sipsight.core.knowledge import provider_info

            return provider_info(self.provider).credentials.secret_field
        return "api_key_secret" if self.auth_mode == "api_key" else "auth_token"


_ATTRIBUTE = re.compile(r"^[^\x00-\x1f\x7f]{1,190}$")
_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")


def _attribute_name(value: str) -> str:
    name = value.strip()
    if not _ATTRIBUTE.match(name):
        raise ValueError(f"{value!r} is not an attribute name (1-190 characters, no control characters)")
    return name


class IntercomSettings(BaseModel):
    """The Intercom inbox (docs/inbox.md): where the workspace is, and which custom attributes hold the customer's
    caller ID. The access token is in the keyring only (settings/credentials.py, INTERCOM_KEY)."""

    model_config = ConfigDict(extra="forbid")

    region: Literal["us", "eu", "au"] = "us"
    api_base: str | None = None  # an override of the region's API base: a proxy, the simulator
    # contact custom attributes holding caller IDs; None: the defaults of resources/inbox/intercom.yaml
    contact_attributes: list[str] | None = None
    company_attributes: list[str] = Field(default_factory=list)  # company custom attributes holding caller IDs
    subaccount_attribute: str | None = None  # a contact or company attribute holding the provider sub-account SID
    offer_contact_phone: bool = True  # the contact's own phone, offered as a candidate only
    admin_id: str | None = None  # who authors the notes; None: the token's own admin (GET /me)

    @field_validator("contact_attributes")
    @classmethod
    def _contact_names(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else list(dict.fromkeys(_attribute_name(v) for v in value))

    @field_validator("company_attributes")
    @classmethod
    def _company_names(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(_attribute_name(v) for v in value))

    @field_validator("subaccount_attribute")
    @classmethod
    def _subaccount_name(cls, value: str | None) -> str | None:
        return _attribute_name(value) if value is not None and value.strip() else None

    @field_validator("api_base")
    @classmethod
    def _api_base(cls, value: str | None) -> str | None:
        return check_base_url(value)

    @field_validator("admin_id")
    @classmethod
    def _admin(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.strip().isdigit():
            raise ValueError("an Intercom admin id is digits (GET /me gives the token's own)")
        return value.strip()


def is_subaccount_sid(value: object) -> bool:
    """A Twilio (sub-)account SID: AC and 32 hex digits."""
    return isinstance(value, str) and bool(_SID.match(value.strip()))


class Settings(BaseModel):
    """Everything SIPSight remembers between runs, except secrets and history."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    schema_version: int = SCHEMA_VERSION
    profiles: list[Profile] = Field(default_factory=list)
    active_profile: str | None = None
    default_region: str = "US"
    timezone: str = "local"
    window_geometry: str | None = None
    always_on_top: bool = False
    history_days: int = Field(default=30, ge=1, le=3650)
    history_max: int = Field(default=50, ge=1, le=10000)
    clipboard_watch: bool = False
    presenter_mode: bool = False
    lookup_window: Literal["24h", "7d", "30d"] = "7d"
    theme: Literal["system", "light", "dark"] = "system"
    # the provider whose API the demo serves (its real client reads the simulator); None: the scenario's own
    demo_provider: ProviderName | None = None
    # who signs the customer reply (resources/replies/customer.yaml `sign_off`: {signature}); unset: "The support team"
    agent_name: str | None = Field(default=None, max_length=80)
    company_name: str | None = Field(default=None, max_length=80)
    intercom: IntercomSettings = Field(default_factory=IntercomSettings)  # the inbox integration (docs/inbox.md)

    @field_validator("agent_name", "company_name")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return " ".join(value.split()) or None if value is not None else None

    def reply_signer(self) -> dict[str, str | None]:
        """The DiagnosisContext fields that sign the customer reply: `DiagnosisContext(**settings.reply_signer())`."""
        return {"agent_name": self.agent_name, "company_name": self.company_name}

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return check_zone_name(value) or "local"

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def _unique(self) -> Settings:
        names = [p.name for p in self.profiles]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"profile names must be unique; repeated: {', '.join(dupes)}")
        if self.active_profile is not None and self.active_profile not in names:
            # a dangling pointer (profile removed by hand) is not worth refusing the whole file
            object.__setattr__(self, "active_profile", None)
        return self

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def with_profile(self, profile: Profile) -> Settings:
        """A copy with `profile` added or replacing the one of the same name."""
        others = [p for p in self.profiles if p.name != profile.name]
        return Settings.model_validate({**self.model_dump(), "profiles": [*others, profile.model_dump()]})

    def without_profile(self, name: str) -> Settings:
        data = self.model_dump()
        data["profiles"] = [p for p in data["profiles"] if p["name"] != name]
        data["active_profile"] = None if self.active_profile == name else self.active_profile
        return Settings.model_validate(data)
