"""Vonage's call records (GET /v1/calls, `_embedded.calls[]`) as SIPSight reads them: one record as an Attempt.

What a record holds (voice.yml `GetCallResponse`, and the records Vonage's own SDK tests carry): `uuid`,
`conversation_uuid`, `to`/`from` ({type, number}, numbers as digits without '+'), `status`, `direction`, and, for a
call that was answered, `duration` (seconds, as text), `rate`, `price`, `network` (MCCMNC). `start_time`/`end_time`
come as ISO 8601 ("2024-04-19T01:34:18.000Z") or as the spec's "2020-01-01 12:00:00". There is no SIP code, no Q.850
cause, no answering-machine result and no "who hung up". The event webhook's `detail` ("restricted", "declined",
"cannot_route" ...) says why a call was rejected or failed; the call list does not carry it, but a record that does
(a later API version, or a record enriched from the webhooks) has it read.

Reading is lenient field by field (an odd value is None); a record is refused only when it cannot be an Attempt at
all (`read_call` says why), and the lookup counts those in a caveat.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sipsight.core.models import Attempt
from sipsight.providers.timestamps import parse_iso
from sipsight.providers.twilio.records import as_float, is_sid, text

Record = dict[str, Any]

# Why a record could not be read, in the words of the caveat ("3 of 40 calls could not be read (REASON)")
NOT_AN_OBJECT = "they were not call records"
NO_UUID = "their call UUID was missing or invalid"
NO_START = "their start time was missing or invalid"

ANSWERED = frozenset({"answered", "completed", "machine", "human"})  # a call that was picked up (by someone)
UNANSWERED = frozenset({"busy", "cancelled", "failed", "rejected", "timeout", "unanswered"})
UNFINISHED = frozenset({"started", "ringing", "answered"})
_DIGITS = re.compile(r"^\+?[0-9]{5,15}$")
_DETAIL = re.compile(r"^[a-z][a-z_]{1,39}$")  # detail values are snake_case words (no_detail, cannot_route ...)
MAX_RING_S = 24 * 3600.0  # a call that "rang" longer than a day has no usable times


def phone_number(party: object) -> str:
    """A `to`/`from` endpoint's phone number in E.164 ('447700900000' -> '+447700900000'); "" for an endpoint that
    is not a phone (sip, websocket, app) or a number that cannot be read."""
    if not isinstance(party, dict):
        return ""
    number = party.get("number")
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        number = str(number)
    if not isinstance(number, str):
        return ""
    number = number.strip()
    return "+" + number.lstrip("+") if _DIGITS.match(number) else ""


def start_of(call: Record) -> datetime | None:
    return parse_iso(call.get("start_time"))


def read_call(item: object) -> Record | str:
    """The record as the lookup reads it, or why it cannot be read (one of the reasons above)."""
    if not isinstance(item, dict):
        return NOT_AN_OBJECT
    if not is_sid(item.get("uuid")):
        return NO_UUID
    if start_of(item) is None:
        return NO_START
    return item


def detail_of(call: Record) -> str | None:
    """The webhook's `detail` sub-state, when a record carries it (the call list does not): a snake_case word."""
    value = call.get("detail")
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value if _DETAIL.match(value) else None


def _seconds(value: object) -> float | None:
    number = as_float(value)
    return number if number is not None and number >= 0 else None


def call_to_attempt(call: Record) -> Attempt:
    """One Vonage call record as an Attempt; outcome stays UNKNOWN (the lookup classifies it from the status and
    `detail`, resources/knowledge/vonage.yaml). ValueError only for a record `read_call` refuses."""
    read = read_call(call)
    if isinstance(read, str):
        raise ValueError(f"a call could not be read: {read}")
    start = start_of(call)
    assert start is not None  # read_call checked it
    end = parse_iso(call.get("end_time"))
    status = text(call.get("status"))
    status = status.strip().lower() if status and len(status) <= 40 else None
    answered = status in ANSWERED
    talk = _seconds(call.get("duration")) if answered else None
    elapsed = (end - start).total_seconds() if end is not None else None
    derived: list[str] = []
    ring_s: float | None = None
    if elapsed is not None and 0 <= elapsed <= MAX_RING_S:
        if status in UNANSWERED:
            ring_s = elapsed  # it rang (or tried to) from start to end: Vonage gives no ring time of its own
        elif status == "completed" and talk is not None and talk <= elapsed:
            ring_s = elapsed - talk  # the time before the answer, to the second
        if ring_s is not None:
            derived.append("ring_s")
    detail = detail_of(call)
    raw: Record = {"call": call}
    if detail is not None:
        raw["detail"] = detail  # what classify reads first for Vonage (the more specific reason)
    if derived:
        raw["derived"] = derived  # which fields were worked out rather than read
    return Attempt(
        id=call["uuid"],
        start_time=start,
        **{"from": phone_number(call.get("from"))},
        to=phone_number(call.get("to")),
        provider="vonage",
        provider_status=status,
        # Vonage's `detail` is its only reason code: the vonage-detail vocabulary is its catalog error vocabulary
        provider_error_code=detail if detail not in (None, "no_detail") else None,
        duration_s=talk,
        ring_s=ring_s,
        raw=raw,
    )
