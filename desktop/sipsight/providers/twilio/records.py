"""Twilio's records as SIPSight reads them: one Call, with its Voice Insights summary and its notifications, as an
Attempt (docs/providers.md, "Mapping to Attempt"). SignalWire's Calls have the same shape and go through here too.

The records are JSON from the network: every field may be missing, null or of another type, so each is read
defensively, and a call without any start time is the one record that cannot become an Attempt (ValueError).
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sipsight.core.models import Attempt

Record = dict[str, Any]  # one JSON object as the API sent it
CallPage = tuple[list[Record], bool]  # the calls a list request read, and whether the list had more
Summaries = dict[str, Record]  # Voice Insights summaries by call SID


def parse_rfc2822(value: object) -> datetime | None:
    """A v2010 date ("Tue, 24 Nov 2026 06:00:00 +0000"), always time-zone aware; None when absent or unreadable."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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


def as_float(value: object) -> float | None:
    """A number field that may arrive as a number, a numeric string ("603", "2.5"), "" or null (None)."""
    if not isinstance(value, int | float | str) or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None


def as_int(value: object) -> int | None:
    number = as_float(value)
    try:
        return None if number is None else int(number)
    except (ValueError, OverflowError):  # NaN and infinity have no integer
        return None


def _text(value: object) -> str | None:
    """A text field, or None for null, empty or a value of another type."""
    return value if isinstance(value, str) and value else None


def _object(value: object) -> Record:
    return value if isinstance(value, dict) else {}


def notification_error(notes: list[Record] | None) -> str | None:
    """The call's error code: the first ERROR-level notification's, else the first one's."""
    if not notes:
        return None
    errors = [n for n in notes if str(n.get("log")) == "0"] or notes
    code = errors[0].get("error_code")
    return str(code) if code not in (None, "") else None


def call_to_attempt(call: Record, summary: Record | None, notes: list[Record] | None, *, provider: str) -> Attempt:
    """One Twilio Call (+ its Voice Insights summary and notifications) as an Attempt; outcome stays UNKNOWN."""
    summary = summary or None
    about = summary or {}
    props = _object(about.get("properties"))
    to_party = _object(about.get("to"))
    start = start_of(call)
    if start is None:
        raise ValueError(f"call {call.get('sid')} has no start time")
    total = as_float(about.get("duration"))
    connect = as_float(about.get("connect_duration"))
    ring_s = max(0.0, total - (connect or 0.0)) if total is not None else None
    duration = connect if connect is not None else as_float(call.get("duration"))
    disconnected = _text(props.get("disconnected_by"))
    if disconnected is not None and disconnected.startswith("unknown"):
        disconnected = "unknown"
    raw: Record = {"call": call}
    if summary:
        raw["summary"] = summary
    if notes:
        raw["notifications"] = notes
    return Attempt(
        id=str(call.get("sid")),
        start_time=start,
        **{"from": str(call.get("from") or "")},
        to=str(call.get("to") or ""),
        provider=provider,
        provider_status=call.get("status"),
        sip_code=as_int(props.get("last_sip_response_num")),
        # Not in the documented summary properties; read when present (the reason phrase marks 603+)
        sip_reason=props.get("last_sip_response_reason") or None,
        redress_contact=props.get("redress_contact") or None,
        q850_cause=as_int(props.get("q850_cause")),
        provider_error_code=notification_error(notes),
        answered_by=call.get("answered_by") or about.get("answered_by") or None,
        duration_s=duration,
        ring_s=ring_s,
        pdd_ms=as_int(props.get("pdd_ms")),
        disconnected_by=disconnected,
        carrier=to_party.get("carrier") or None,
        line_type=to_party.get("connection") or None,
        insights_state=about.get("processing_state") if summary else None,
        raw=raw,
    )
