"""Reading and changing settings.json in the platform config directory.

Every change is targeted and merged into the file as it is now: `update_settings(fn)` takes the file's lock,
re-reads it, applies `fn` and writes atomically, so a profile the CLI added while the desktop app was open is
still there after the app saves a preference. The typed helpers (`save_profile`, `remove_profile`,
`set_active_profile`, `set_preferences`, `apply_edit`) are built on it. `save_settings` (the whole copy) is left
for a fresh file and the tests.

A file that is unreadable, invalid or from a newer version never stops the app: it is moved aside byte for byte
(settings.json.bad-<UTC time>), defaults are used, and the note says what was wrong and where the old file went.
An old layout is copied aside byte for byte before it is upgraded. Every note is also kept for `take_notes()`,
so a face can tell the user once, whichever code path loaded the settings.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from sipsight.core import paths, storage
from sipsight.core.storage import Unreadable
from sipsight.settings.edits import SettingsEdit
from sipsight.settings.migrate import Migrated, detect_version, migrate
from sipsight.settings.model import SCHEMA_VERSION, IntercomSettings, Profile, Settings

log = logging.getLogger("sipsight.settings")
FILENAME = "settings.json"
MAX_BYTES = 4 * 1024 * 1024  # a settings file with a thousand profiles is under 1 MB
MAX_DEPTH = 32  # the model nests 4 deep (settings > profiles > profile > hosts)

_notes_lock = threading.Lock()
_pending_notes: dict[Path, list[str]] = {}  # per settings file: a note about another file is not this one's


def settings_path() -> Path:
    return paths.config_dir() / FILENAME


def take_notes(path: Path | None = None) -> list[str]:
    """The notes of every load of the settings file in this process not yet taken (a file set aside, a migration),
    then forgets them: a face prints them once (the CLI on stderr, the desktop app in a banner)."""
    with _notes_lock:
        notes = _pending_notes.pop(path or settings_path(), [])
    return list(dict.fromkeys(notes))


def _remember(path: Path, notes: list[str]) -> None:
    if notes:
        with _notes_lock:
            _pending_notes.setdefault(path, []).extend(notes)


class _Loaded(NamedTuple):
    settings: Settings
    notes: list[str]
    extra: dict[str, Any]  # top-level keys this version does not know: kept on every write
    blocked: bool = False  # an unusable file could not be moved aside: writing would overwrite it


def _describe(exc: Exception) -> str:
    if isinstance(exc, Unreadable):
        return exc.reason
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "file"
        return f"{where}: {first.get('msg', 'invalid value')}"
    return str(exc)


def _extra(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in Settings.model_fields}


def _text(settings: Settings, extra: dict[str, Any]) -> str:
    return json.dumps({**extra, **settings.model_dump(mode="json")}, indent=2) + "\n"


def _write(path: Path, settings: Settings, extra: dict[str, Any]) -> None:
    storage.atomic_write_text(path, _text(settings, extra), prefix=".settings-")


# ---------------------------------------------------------------------------------------------- loading
def _read_current(path: Path) -> _Loaded | None:
    """No file, or a current and valid one: read without the lock. None when the locked path must decide."""
    try:
        got = storage.read_json(path, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
        if got is None:
            return _Loaded(Settings(), [], {})
        data = got[0]
        if not isinstance(data, dict) or detect_version(data) != SCHEMA_VERSION:
            return None
        return _Loaded(Settings.model_validate(data), [], _extra(data))
    except (Unreadable, ValueError):  # pydantic's ValidationError is a ValueError
        return None


def _load_locked(path: Path) -> _Loaded:
    """The file as it is now (the caller holds its lock): what cannot be used is set aside, an old layout upgraded."""
    try:
        got = storage.read_json(path, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
        if got is None:
            return _Loaded(Settings(), [], {})
        data, raw = got
        if not isinstance(data, dict):
            raise Unreadable("the top level is not a JSON object")
        if detect_version(data) == SCHEMA_VERSION:
            return _Loaded(Settings.model_validate(data), [], _extra(data))
        return _upgrade(path, data, raw)
    except (Unreadable, ValueError) as exc:
        return _set_aside(path, exc)


def _set_aside(path: Path, exc: Exception) -> _Loaded:
    blocked = False
    try:
        backup = storage.set_aside(path, "bad")
        where = f"it was moved to {backup}"
    except OSError as err:
        where, blocked = f"it could not be moved aside ({err.strerror or err}) and is left as it is", True
    message = f"The settings file {path} could not be read ({_describe(exc)}); {where}, and defaults are used."
    log.warning(message)
    return _Loaded(Settings(), [message], {}, blocked)


def _upgrade(path: Path, data: dict[str, Any], raw: bytes) -> _Loaded:
    """An older layout: copy the file aside byte for byte, migrate (secrets to the keyring), write the new one."""
    version = detect_version(data)
    try:
        copy: Path | None = storage.copy_aside(path, raw, f"v{version}")
    except OSError as err:
        copy = None
        log.warning("could not copy the old settings file aside (%s)", err.strerror or err)
    try:
        done = migrate(data)
        settings = Settings.model_validate(done.data)
    except ValueError:
        if copy is not None:
            copy.unlink(missing_ok=True)  # the original is set aside whole instead: one copy, not two
        raise
    notes = list(done.notes)
    if copy is None:
        notes.append(f"The old settings file {path} could not be copied aside, so it was left as it is.")
        return _Loaded(settings, notes, {}, blocked=True)
    notes.append(_copy_note(copy, done, data))
    try:
        _write(path, settings, {})
    except OSError as err:
        notes.append(f"The upgraded settings could not be saved ({err.strerror or err}); the old file is unchanged.")
    for note in notes:
        log.info(note)
    return _Loaded(settings, notes, {})


def _copy_note(copy: Path, done: Migrated, original: dict[str, Any]) -> str:
    if done.secret_kept == "keyring":
        # the copy is no lasting home for a secret that is now safe in the keyring: it loses only that value
        redacted = {k: ("(moved to the system keyring)" if k in done.secret_keys else v) for k, v in original.items()}
        storage.atomic_write_text(copy, json.dumps(redacted, indent=2) + "\n", prefix=".settings-")
        return f"A copy of the old settings file, without its secret, is at {copy}."
    if done.secret_kept == "session":
        return (
            f"The old settings file is kept as it was at {copy}, with the secret in plain text: it is the only "
            "lasting copy of the secret on this computer. Once a system keyring is set up, add the profile again "
            "('sipsight profile add'), then delete that file."
        )
    return f"The old settings file is kept as it was at {copy}."


def load_settings_with_notes(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings plus user-facing notes (a migration done, a bad file set aside); never raises for a bad file."""
    path = path or settings_path()
    loaded = _read_current(path)
    if loaded is None:
        try:
            with storage.locked(path):
                loaded = _load_locked(path)
        except OSError as err:  # no lock to be had (a read-only folder): go on; any write it needs says so
            log.info("settings lock unavailable (%s)", err.strerror or err)
            loaded = _load_locked(path)
    _remember(path, loaded.notes)
    return loaded.settings, list(loaded.notes)


def load_settings(path: Path | None = None) -> Settings:
    return load_settings_with_notes(path)[0]


# ---------------------------------------------------------------------------------------------- changing
def update_settings(change: Callable[[Settings], Settings], path: Path | None = None) -> Settings:
    """Apply `change` to the settings as they are in the file now, under the file's lock, and save the result.

    `change` gets a private copy (mutate it and return it, or return a new one); the result is validated as a
    whole (pydantic's ValidationError) before anything is written. Raises OSError when the file cannot be
    written (StorageBusy when another process held it for LOCK_TIMEOUT seconds).
    """
    path = path or settings_path()
    with storage.locked(path):
        loaded = _load_locked(path)
        _remember(path, loaded.notes)
        if loaded.blocked:
            raise OSError(f"The settings file {path} cannot be used or moved aside, so nothing was saved over it.")
        new = Settings.model_validate(change(loaded.settings.model_copy(deep=True)).model_dump())
        if new != loaded.settings or not path.exists():
            _write(path, new, loaded.extra)
    return new


def apply_edit(edit: SettingsEdit, path: Path | None = None) -> Settings:
    """Replay a dialog's recorded changes onto the current file (see settings/edits.py)."""
    return update_settings(edit.apply, path)


def save_profile(
    profile: Profile, *, replaces: str | None = None, activate: bool = False, path: Path | None = None
) -> Settings:
    """Add `profile`, or replace the one of its name (or `replaces`, renamed); active if asked or if none is."""
    return apply_edit(SettingsEdit().save_profile(profile, replaces=replaces, activate=activate), path)


def remove_profile(name: str, path: Path | None = None) -> Profile | None:
    """Remove the profile `name`; returns it as it was in the file (its secret is the caller's to delete), or None."""
    removed: list[Profile] = []

    def change(settings: Settings) -> Settings:
        found = settings.profile(name)
        if found is None:
            return settings
        removed.append(found)
        return settings.without_profile(name)

    update_settings(change, path)
    return removed[0] if removed else None


def set_active_profile(name: str | None, path: Path | None = None) -> Settings:
    return apply_edit(SettingsEdit().set_active_profile(name), path)


def set_preferences(*, path: Path | None = None, **changes: Any) -> Settings:
    """Set preferences by field name (`set_preferences(always_on_top=True)`), leaving everything else as the file
    has it now. ValueError (pydantic's ValidationError for a bad value) before anything is written."""
    return apply_edit(SettingsEdit().set_preferences(**changes), path)


def save_intercom(
    change: Callable[[IntercomSettings], IntercomSettings], path: Path | None = None
) -> IntercomSettings:
    """Change the Intercom section as the file has it now (`change` gets a copy and returns the new section);
    everything else stays as it is. ValueError for a bad value, before anything is written."""

    def step(settings: Settings) -> Settings:
        new = IntercomSettings.model_validate(change(settings.intercom.model_copy(deep=True)).model_dump())
        return SettingsEdit().set_intercom(new).apply(settings)

    return update_settings(step, path).intercom


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Replace the whole file with `settings`. A copy loaded earlier undoes whatever changed since: the faces use
    `update_settings` and its helpers; this is for a fresh file and the tests."""
    path = path or settings_path()
    with storage.locked(path):
        _write(path, settings, {})
    return path
