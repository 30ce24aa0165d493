"""Lenient readers of the JSON fields the newer providers send (Telnyx, Plivo): durations, numbers written without
their '+', identifiers safe in a URL path (ISO 8601 times: providers/timestamps.py). Like Twilio's
(providers/twilio/records.py, whose number and text readers these share), every reader returns None for a value it
cannot read, never an exception: records are JSON from the network, and any field may be missing, null, of another
type, out of range or absurd.
"""

from __future__ import annotations

from datetime import datetime

from sipsight.providers.twilio.records import as_float, as_int, is_sid, text

__all__ = ["as_float", "as_int", "e164", "is_id", "seconds_between", "text"]


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
