"""Twilio's records as SIPSight reads them: one Call, with its Voice Insights summary and its notifications, as an
Attempt (docs/providers.md, "Mapping to Attempt"). SignalWire's Calls have the same shape and go through here too.

The records are JSON from the network: every field may be missing, null, of another type, out of range or absurd.
Reading is lenient field by field (a field that cannot be read is None, never an exception), and a call is left out
only when it cannot be an Attempt at all: `read_call` says why (no SID, no readable start time), and the lookup counts
those in a caveat instead of dropping them silently.
"""

from __future__ import annotations

import email.utils
import math
import re
from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeGuard

from sipsight.core.models import Attempt

Record = dict[str, Any]  # one JSON object as the API sent it
Summaries = dict[str, Record]  # Voice Insights summaries by call SID

# Why a call could not be read, in the words of the caveat ("3 of 40 calls could not be read (REASON)")
NOT_AN_OBJECT = "they were not call records"
NO_SID = "their call SID was missing or invalid"
NO_START = "their start time was missing or invalid"
UNREADABLE_FIELDS = "their fields could not be read"

UNANSWERED = frozenset({"busy", "no-answer", "failed", "canceled"})
_SID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # Twilio's CA..., SignalWire's UUIDs; safe in a URL path
_EARLIEST, _LATEST = 1970, 2200  # a call time outside these years is not a call time (and breaks date arithmetic)
MAX_RING_S = 24 * 3600.0  # an "unanswered" call that rang longer than a day is not a ring time


class CallPage:
    """The calls one list request read: the readable ones, whether the list had more, and what was left out."""

    def __init__(self, calls: list[Record] | None = None, more: bool = False) -> None:
        self.calls: list[Record] = calls or []
        self.more = more
        self.unreadable: Counter[str] = Counter()  # reason -> how many calls
        self.stopped: list[tuple[int, str]] = []  # (pages read, why) for a list that stopped early

    @property
    def seen(self) -> int:
        return len(self.calls) + sum(self.unreadable.values())

    def add(self, other: CallPage) -> None:
        self.calls.extend(other.calls)
        self.more = self.more or other.more
        self.unreadable.update(other.unreadable)
        self.stopped.extend(other.stopped)


def is_sid(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and _SID.match(value) is not None


def read_call(item: object) -> Record | str:
    """The call as the lookup reads it, or why it cannot be read (one of the reasons above)."""
    if not isinstance(item, dict):
        return NOT_AN_OBJECT
    if not is_sid(item.get("sid")):
        return NO_SID
    if start_of(item) is None:
        return NO_START
    return item


def parse_rfc2822(value: object) -> datetime | None:
    """A v2010 date ("Tue, 24 Nov 2026 06:00:00 +0000"), always time-zone aware; None when absent or unreadable."""
    if not value or not isinstance(value, str) or len(value) > 100:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        if not _EARLIEST <= parsed.year <= _LATEST:
            return None
        return parsed.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@lru_cache(maxsize=8192)
def _parse_cached(value: str) -> datetime | None:
    # 550 calls of one lookup share a few hundred distinct timestamps; parsing is most of the mapping's cost
    return parse_rfc2822(value)


def start_of(call: Record) -> datetime | None:
    """A call's start (queued calls have none yet: their creation time)."""
    for key in ("start_time", "date_created"):
        value = call.get(key)
        if isinstance(value, str) and value:
            parsed = _parse_cached(value)
            if parsed is not None:
                return parsed
    return None


def end_of(call: Record) -> datetime | None:
    value = call.get("end_time")
    return _parse_cached(value) if isinstance(value, str) and value else None


def as_float(value: object) -> float | None:
    """A number field that may arrive as a number, a numeric string ("603", "2.5"), "" or null; None when it is
    anything else, or not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str) or value == "":
        return None
    if isinstance(value, str) and len(value) > 40:
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def as_int(value: object, low: int | None = None, high: int | None = None) -> int | None:
    """An integer field (see `as_float`); None outside [low, high] when they are given."""
    number = as_float(value)
    if number is None:
        return None
    whole = int(number)
    if (low is not None and whole < low) or (high is not None and whole > high):
        return None
    return whole


def _seconds(value: object) -> float | None:
    """A duration in seconds: a finite, non-negative number."""
    number = as_float(value)
    return number if number is not None and number >= 0 else None


def text(value: object) -> str | None:
    """A text field, or None for null, empty or a value of another type."""
    return value if isinstance(value, str) and value else None


def _code(value: object) -> str | None:
    """A provider error code ("21215" or 21215) as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return value.strip() or None if isinstance(value, str) and len(value) <= 20 else None


def _object(value: object) -> Record:
    return value if isinstance(value, dict) else {}


def status_of(call: Record) -> str | None:
    return text(call.get("status"))


def notification_error(notes: list[Record] | None) -> str | None:
    """The call's error code: the first ERROR-level notification's, else the first one's."""
    if not notes:
        return None
    errors = [n for n in notes if str(n.get("log")) == "0"] or notes
    return _code(errors[0].get("error_code"))


def call_to_attempt(call: Record, summary: Record | None, notes: list[Record] | None, *, provider: str) -> Attempt:
    """One Twilio Call (+ its Voice Insights summary and notifications) as an Attempt; outcome stays UNKNOWN.

    ValueError only for a call `read_call` refuses; every other odd field is read as None.
    """
    if not isinstance(call, dict):
        raise ValueError(f"a call could not be read: {NOT_AN_OBJECT}")
    start = start_of(call)
    if start is None or not is_sid(call.get("sid")):  # what read_call checks, without reading the start twice
        raise ValueError(f"a call could not be read: {NO_START if start is None else NO_SID}")
    summary = summary if isinstance(summary, dict) and summary else None
    about = summary or {}
    props = _object(about.get("properties"))
    to_party = _object(about.get("to"))
    total = _seconds(about.get("duration"))
    connect = _seconds(about.get("connect_duration"))
    ring_s = max(0.0, total - (connect or 0.0)) if total is not None else None
    status = status_of(call)
    # talk time: Insights' connect_duration, else the call's duration; an unanswered call's "0" is no talk time
    # at all (the call was never answered), which is None here, as Insights has it
    duration = connect if connect is not None else _seconds(call.get("duration")) if status not in UNANSWERED else None
    derived: list[str] = []
    if ring_s is None and status in UNANSWERED:
        # Without Voice Insights an unanswered call's ring time is its end minus its start (to the second)
        end = end_of(call)
        if end is not None and 0 <= (end - start).total_seconds() <= MAX_RING_S:
            ring_s = (end - start).total_seconds()
            derived.append("ring_s")
    disconnected = text(props.get("disconnected_by"))
    if disconnected is not None and disconnected.startswith("unknown"):
        disconnected = "unknown"
    raw: Record = {"call": call}
    if summary:
        raw["summary"] = summary
    if notes:
        raw["notifications"] = notes
    if derived:
        raw["derived"] = derived  # which fields were worked out rather than read
    return Attempt(
        id=call["sid"],
        start_time=start,
        **{"from": text(call.get("from")) or ""},
        to=text(call.get("to")) or "",
        provider=provider,
        provider_status=status,
        sip_code=as_int(props.get("last_sip_response_num"), 100, 699),
        # Not in the documented summary properties; read when present (the reason phrase marks 603+)
        sip_reason=text(props.get("last_sip_response_reason")),
        redress_contact=text(props.get("redress_contact")),
        q850_cause=as_int(props.get("q850_cause"), 0, 127),
        provider_error_code=notification_error(notes),
        answered_by=text(call.get("answered_by")) or text(about.get("answered_by")),
        duration_s=duration,
        ring_s=ring_s,
        pdd_ms=as_int(props.get("pdd_ms"), 0, 10**7),
        disconnected_by=disconnected,
        carrier=text(to_party.get("carrier")),
        line_type=text(to_party.get("connection")),
        insights_state=text(about.get("processing_state")) if summary else None,
        raw=raw,
    )
