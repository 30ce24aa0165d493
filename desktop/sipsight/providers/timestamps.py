"""ISO 8601 timestamps as the JSON APIs beside Twilio send them (Telnyx, Plivo, Vonage, Bandwidth and its Insights),
read leniently: a value that is not a date and time between 1970 and 2200 is None, never an exception. Twilio's
RFC 2822 dates are read by providers/twilio/records.py."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

_EARLIEST, _LATEST = 1970, 2200  # a call time outside these years is not a call time (and breaks date arithmetic)
# a date and a time (seconds and fraction optional), then Z, an offset, or nothing (read as UTC)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$")


@lru_cache(maxsize=8192)  # one lookup's calls share a few hundred distinct timestamps
def _parse(text: str) -> tuple[datetime, bool] | None:
    if not _ISO.match(text):
        return None
    try:
        # Python 3.11 reads Z, offsets with or without a colon, and any number of fraction digits (a nanosecond
        # stamp keeps its microseconds)
        parsed = datetime.fromisoformat(text.replace(",", ".").replace("z", "Z"))
        naive = parsed.tzinfo is None
        if naive:  # Vonage's "2020-01-01 12:00:00", Plivo's console-local times: the caller says which zone
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not _EARLIEST <= parsed.year <= _LATEST:
        return None
    return parsed, naive


def time_of(value: object) -> tuple[datetime, bool] | None:
    """(UTC time, whether it came without a UTC offset) of an ISO 8601 stamp; None when absent or unreadable.
    A stamp without an offset is read as UTC: the caller says so where that matters."""
    if not isinstance(value, str) or not 16 <= len(value.strip()) <= 40:
        return None
    return _parse(value.strip())


def parse_iso(value: object) -> datetime | None:
    """An ISO 8601 date and time ("2024-04-19T01:34:18.000Z", "2020-01-01 12:00:00", "...+02:00"), time-zone aware
    in UTC; None for anything else (null, "", a date alone, another type, an absurd year)."""
    parsed = time_of(value)
    return parsed[0] if parsed is not None else None


def iso_z(value: datetime) -> str:
    """A query parameter's time: UTC, to the second, with Z ("2026-11-24T06:00:00Z")."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
