"""Time-zone names for displayed times: the system's own zone, and a zone the user typed, checked.

Qt-free so the CLI and the desktop app resolve "local" the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sipsight.core.errors import InputError


def is_zone(name: str) -> bool:
    """True for a name zoneinfo knows (IANA names such as America/Denver, and UTC)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


ETC_TIMEZONE = Path("/etc/timezone")
ETC_LOCALTIME = Path("/etc/localtime")


def local_zone_name() -> str:
    """The system's IANA zone name, for a 'local' preference; UTC when it cannot be told."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env and is_zone(env):
        return env
    try:
        target = str(ETC_LOCALTIME.resolve())
        if "zoneinfo/" in target and is_zone(target.split("zoneinfo/", 1)[1]):
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    try:  # Debian-style systems name the zone in /etc/timezone
        named = ETC_TIMEZONE.read_text(encoding="utf-8").strip()
        if named and is_zone(named):
            return named
    except OSError:
        pass
    return "UTC"


def resolve_tz(value: str | None) -> str:
    """The zone name to display times in: an IANA name as given, 'local' (or nothing) for the system's, or UTC."""
    if not value or value.lower() == "local":
        return local_zone_name()
    if value.upper() == "UTC":
        return "UTC"
    if not is_zone(value):
        raise InputError(
            f"'{value}' is not a time zone.", "Use an IANA name such as America/Denver, or 'local' or 'UTC'."
        )
    return value
