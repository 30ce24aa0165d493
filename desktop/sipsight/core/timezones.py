"""The one time-zone API: which zone displayed times are in, and the zone object for a name.

Every face resolves the same way: 'local' (or nothing) is the system's zone, read by tzlocal (the TZ variable,
/etc/localtime and /etc/timezone on Linux and macOS, the registry on Windows); an IANA name is checked; 'UTC' is
UTC. The zone database comes from the system, or from the tzdata package where the system has none (Windows).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sipsight.core.errors import InputError

log = logging.getLogger("sipsight.timezones")
_HINT = "Use an IANA name such as America/Denver, or 'local' or 'UTC'."


def is_zone(name: str) -> bool:
    """True for a name zoneinfo knows (IANA names such as America/Denver, and UTC)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _system_zone_name() -> str | None:
    import tzlocal  # the system's zone on every platform; imported when a 'local' zone is first asked for

    try:
        return tzlocal.get_localzone_name()
    except Exception as err:  # tzlocal raises on a broken /etc/localtime or registry: UTC, said in the log
        log.warning("could not read the system time zone: %s", err)
        return None


# Aliases of UTC a system may name itself by (Debian's /etc/timezone says Etc/UTC): shown to people as "UTC"
_UTC_ALIASES = frozenset({"utc", "etc/utc", "etc/uct", "uct", "etc/universal", "universal", "etc/zulu", "zulu"})


def local_zone_name() -> str:
    """The system's IANA zone name, for a 'local' preference; UTC when it cannot be told."""
    env = os.environ.get("TZ", "").lstrip(":")
    name = env if env and is_zone(env) else _system_zone_name()
    if not name or not is_zone(name) or name.lower() in _UTC_ALIASES:
        return "UTC"
    return name


def resolve_tz(value: str | None) -> str:
    """The zone name to display times in: an IANA name as given, 'local' (or nothing) for the system's, or UTC.
    A name zoneinfo does not know is an InputError."""
    if not value or not value.strip() or value.strip().lower() == "local":
        return local_zone_name()
    value = value.strip()
    if value.lower() in _UTC_ALIASES:
        return "UTC"
    if not is_zone(value):
        raise InputError(f"'{value}' is not a time zone.", _HINT)
    return value


def zone(value: str | None) -> ZoneInfo:
    """The ZoneInfo to display times in, for what `resolve_tz` accepts; an InputError for a typo."""
    return ZoneInfo(resolve_tz(value))


def zone_for_display(value: str | None) -> tuple[tzinfo, str]:
    """(zone, label) for a saved preference, never raising: a name this system does not know shows times in UTC,
    labelled "UTC (name unknown)", so a settings file from another machine cannot break the window."""
    try:
        name = resolve_tz(value)
    except InputError:
        return UTC, f"UTC ({value} unknown)"
    return (UTC, "UTC") if name == "UTC" else (ZoneInfo(name), name)


def check_zone_name(value: str | None) -> str | None:
    """A settings value: an IANA name, 'local' or None; a ValueError naming the problem otherwise."""
    if value is None or value == "local" or is_zone(value):
        return value
    raise ValueError(f"'{value}' is not a time zone name (use an IANA name like America/Denver, or 'local')")
