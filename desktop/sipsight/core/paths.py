"""Where SIPSight keeps its files: the platform config, data and log directories.

SIPSIGHT_HOME overrides all three (tests and portable installs use it).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "SIPSight"


def _home() -> Path | None:
    value = os.environ.get("SIPSIGHT_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP, appauthor=False))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP, appauthor=False))


def user_scenarios_dir() -> Path:
    """Trainers drop their own scenario files here."""
    return data_dir() / "scenarios"
