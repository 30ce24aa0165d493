"""Reading and writing settings.json in the platform config directory.

A file that is unreadable, invalid or from a newer version never stops the app: it is moved aside
(settings.json.bad-<time>), defaults are used, and the user is told what happened and where the
old file went. Writes are atomic (temp file + rename) so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

from pydantic import ValidationError

from sipsight.core import paths
from sipsight.core.storage import atomic_write_text
from sipsight.settings.migrate import migrate
from sipsight.settings.model import Settings

log = logging.getLogger("sipsight.settings")
FILENAME = "settings.json"
_lock = threading.Lock()


def settings_path() -> Path:
    return paths.config_dir() / FILENAME


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "file"
        return f"{where}: {first.get('msg', 'invalid value')}"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON (line {exc.lineno}, column {exc.colno})"
    return str(exc)


def load_settings_with_notes(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings plus user-facing notes (a migration done, a bad file set aside)."""
    path = path or settings_path()
    with _lock:
        if not path.exists():
            return Settings(), []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("the top level is not a JSON object")
            data, notes = migrate(data)
            settings = Settings.model_validate(data)
        except (OSError, UnicodeDecodeError, ValueError, ValidationError) as exc:
            backup = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                path.replace(backup)
                where = f"it was moved to {backup}"
            except OSError:
                where = "it could not be moved aside"
            message = f"The settings file {path} could not be read ({_describe(exc)}); {where}, and defaults are used."
            log.warning(message)
            return Settings(), [message]
    if notes:
        save_settings(settings, path)
        for note in notes:
            log.info(note)
    return settings, notes


def load_settings(path: Path | None = None) -> Settings:
    return load_settings_with_notes(path)[0]


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    path = path or settings_path()
    text = json.dumps(settings.model_dump(mode="json"), indent=2, sort_keys=False) + "\n"
    with _lock:
        atomic_write_text(path, text, prefix=".settings-")
    return path
