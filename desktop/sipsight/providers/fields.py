"""Lenient readers of the JSON fields the newer providers send (Telnyx, Plivo): ISO 8601 times, numbers written
without their '+', identifiers safe in a URL path. Like Twilio's (providers/twilio/records.py, whose number and text
readers these share), every reader returns None for a value it cannot read, never an exception: records are JSON
from the network, and any field may be missing, null, of another type, out of range or absurd.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from sipsight.providers.twilio.records import as_float, as_int, is_sid, text

__all__ = ["as_float", "as_int", "e164", "is_id", "parse_iso", "seconds_between", "text", "time_of"]

_EARLIEST, _LATEST = 1970, 2200  # a call time outside these years is not a call time (and breaks date arithmetic)
# 2026-11-24T06:00:00Z, 2026-11-24 06:00:00.123456+05:30, 2026-11-24T06:00:00 (no offset)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$")


@lru_cache(maxsize=8192)
def _parse(value: str) -> tuple[datetime, bool] | None:
    if len(value) > 40 or not _ISO.match(value):
        return None
    cleaned = value.replace(" ", "T", 1)
    if cleaned.endswith("Z"):
        cleaned = cleaned[:-1] + "+00:00"
    head, dot, rest = cleaned.partition(".")
    if dot:  # Python reads at most 6 fraction digits: keep the microseconds of a nanosecond stamp
        digits = re.match(r"\d+", rest)
        frac = digits.group(0) if digits else ""
        cleaned = f"{head}.{frac[:6].ljust(6, '0')}{rest[len(frac) :]}"
    try:
        parsed = datetime.fromisoformat(cleaned)
    except (ValueError, OverflowError):
        return None
    naive = parsed.tzinfo is None
    if naive:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not _EARLIEST <= parsed.year <= _LATEST:
        return None
    return parsed, naive


def time_of(value: object) -> tuple[datetime, bool] | None:
    """(UTC time, whether it came without a UTC offset) of an ISO 8601 stamp; None when absent or unreadable.
    A stamp without an offset is read as UTC: the caller says so where that matters."""
    return _parse(value.strip()) if isinstance(value, str) and value.strip() else None


def parse_iso(value: object) -> datetime | None:
    """An ISO 8601 time as UTC (read as UTC when it has no offset); None when absent or unreadable."""
    parsed = time_of(value)
    return parsed[0] if parsed is not None else None


def seconds_between(start: datetime | None, end: datetime | None, high: float) -> float | None:
    """end - start in seconds when both are known and it lies in [0, high]: otherwise it is not a duration."""
    if start is None or end is None:
        return None
    span = (end - start).total_seconds()
    return span if 0 <= span <= high else None


def e164(value: object) -> str | None:
    """A phone number as E.164: as sent when it has its '+', with the '+' when it came as digits only (Plivo writes
    '13035550199'); anything else (a SIP URI, a name) as sent, and None for no text at all."""
    number = text(value)
    if number is None:
        return None
    number = number.strip()
    if number.isascii() and number.isdigit() and 7 <= len(number) <= 15:
        return "+" + number
    return number or None


def is_id(value: object) -> bool:
    """An identifier a record may be keyed by and a URL path may carry (UUIDs, Telnyx leg ids, Plivo call UUIDs)."""
    return is_sid(value)
