"""Upgrading older settings files to the current schema, one version step at a time.

v0 is the prototype's flat layout: one account at the top level (`provider`, `account_sid`,
`api_key`, and, worse, the plaintext `api_secret` / `auth_token`), plus a few preferences under
other names (`region`, `tz`, `on_top`, `geometry`). v1 is `Settings` (settings/model.py): named
profiles, app preferences, no secrets. Migrating v0 moves any plaintext secret into the keyring
and drops it from the file.

A file without `schema_version` is v0 only if it carries v0 keys: a v1 file whose version was lost
(edited by hand, written by a script) is read as v1, so its profiles and preferences survive. A
version-less file that mixes both layouts, or holds no key either layout knows, is refused (the store
sets it aside as settings.json.bad-<time> and says so) rather than guessed at and overwritten.

The store (settings/store.py) copies the original file aside, byte for byte, before it migrates, and tells the
user where the copy is; `Migrated.secret_kept` says where a plaintext secret went, so the store knows whether
that copy is the only durable home of the secret.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sipsight.settings.model import SCHEMA_VERSION, Settings

V0_SECRET_KEYS = ("api_secret", "auth_token", "api_token")
V0_PREFERENCES = {  # v0 key -> v1 key
    "region": "default_region",
    "tz": "timezone",
    "on_top": "always_on_top",
    "geometry": "window_geometry",
    "history_days": "history_days",
    "presenter": "presenter_mode",
}
V0_ACCOUNT_KEYS = ("provider", "account_sid", "project_id", "api_key", "api_key_sid", "space", "base_url")
# keys that say "v0" on their own: `history_days` kept its name in v1, so it proves nothing
V0_KEYS = frozenset({*V0_ACCOUNT_KEYS, *V0_SECRET_KEYS, *V0_PREFERENCES}) - {"history_days"}
V1_KEYS = frozenset(Settings.model_fields) - {"schema_version"}


def _unversioned_version(data: dict[str, Any]) -> int:
    """The layout of a file without `schema_version`, judged by its keys; ValueError when they do not tell."""
    old = sorted(V0_KEYS.intersection(data))
    new = sorted(V1_KEYS.intersection(data))
    if old and new:
        raise ValueError(
            "it has no schema_version and mixes the old layout's keys "
            f"({', '.join(old)}) with the current one's ({', '.join(new)})"
        )
    if old:
        return 0
    if new or not data:  # an empty object is simply "all defaults"
        return SCHEMA_VERSION
    raise ValueError(f"it has no schema_version and none of its keys are settings ({', '.join(sorted(data)[:5])})")


def detect_version(data: dict[str, Any]) -> int:
    version = data.get("schema_version")
    if version is None:
        return _unversioned_version(data)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError(f"schema_version must be a whole number, not {version!r}")
    return version


@dataclass
class Migrated:
    """The upgraded data, the notes for the user, and where a plaintext secret went (None: there was none)."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    secret_kept: Literal["keyring", "session"] | None = None
    secret_keys: tuple[str, ...] = ()  # the keys of the original file that held it


def _v0_to_v1(data: dict[str, Any], log: Migrated) -> dict[str, Any]:
    notes = log.notes
    out: dict[str, Any] = {"schema_version": 1, "profiles": []}
    for old, new in V0_PREFERENCES.items():
        if old in data:
            out[new] = data[old]
    account = data.get("account_sid") or data.get("project_id")
    if account:
        provider = data.get("provider", "twilio")
        key_sid = data.get("api_key") or data.get("api_key_sid")
        auth_mode = "api_key" if key_sid and provider == "twilio" else "auth_token"
        profile: dict[str, Any] = {
            "name": "default",
            "provider": provider,
            "account_sid": account,
            "api_key_sid": key_sid if auth_mode == "api_key" else None,
            "auth_mode": auth_mode,
            "space": data.get("space"),
            "base_url": data.get("base_url"),
        }
        out["profiles"].append(profile)
        out["active_profile"] = "default"
        field = (
            "api_token" if provider == "signalwire" else ("api_key_secret" if auth_mode == "api_key" else "auth_token")
        )
        secret = next((data[k] for k in V0_SECRET_KEYS if data.get(k)), None)
        if secret:
            from sipsight.settings import credentials  # keyring costs ~150 ms at import: only on migration

            notice = credentials.set_secret("default", field, str(secret))
            log.secret_kept = "session" if notice else "keyring"
            log.secret_keys = tuple(k for k in V0_SECRET_KEYS if k in data)
            notes.append(
                "The secret stored in plain text in the old settings file was moved "
                + ("to this session only. " + notice if notice else "to the system keyring.")
            )
        notes.append("Your old settings were upgraded: the account is now the profile 'default'.")
    return out


MIGRATIONS: dict[int, Callable[[dict[str, Any], Migrated], dict[str, Any]]] = {0: _v0_to_v1}


def migrate(data: dict[str, Any]) -> Migrated:
    """Upgrade `data` to SCHEMA_VERSION, with user-facing notes. Raises ValueError if it cannot."""
    version = detect_version(data)
    if version > SCHEMA_VERSION:
        raise ValueError(
            f"it was written by a newer SIPSight (settings schema {version}; this version reads up to {SCHEMA_VERSION})"
        )
    log = Migrated(data)
    while version < SCHEMA_VERSION:
        log.data = MIGRATIONS[version](log.data, log)
        version = detect_version(log.data)
    return log
