"""Bandwidth's records as SIPSight reads them: a Voice API call (`callState`), with its Insights record when there is
one, as an Attempt; and a call only Insights knows (SIP trunking traffic, say) on its own.

`callState` (bandwidth.yml): callId, to, from (E.164), direction, state (queued, initiated, answered,
disconnected; "may be added to"), enqueuedTime, startTime, answerTime, endTime (ISO 8601), disconnectCause (hangup,
busy, timeout, cancel, rejected, error ...), errorMessage, errorId. No SIP code: a record that carries
`sipResponseCode` (the disconnect webhook's new field) has it read. Insights (insights.yml `call`): sipResponseCode
(-1: unknown), sipResponseDescription, callResult, hangUpSource, postDialDelay (ms), attestationIndicator, duration
(ms).

Reading is lenient field by field (an odd value is None); a record is refused only when it cannot be an Attempt
(`read_call`, `read_insights` say why), and the lookup counts those in a caveat.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sipsight.core.models import Attempt
from sipsight.providers.errors import ProviderError
from sipsight.providers.timestamps import parse_iso
from sipsight.providers.twilio.records import as_float, as_int, is_sid, text

Record = dict[str, Any]

# Why a record could not be read, in the words of the caveat ("3 of 40 calls could not be read (REASON)")
NOT_AN_OBJECT = "they were not call records"
NO_CALL_ID = "their call ID was missing or invalid"
NO_START = "their start time was missing or invalid"

UNANSWERED_CAUSES = frozenset({"busy", "timeout", "cancel", "rejected"})
# Insights' hangUpSource in the words of Attempt.disconnected_by. Bandwidth ending the call itself (its callTimeout
# timer, an error) is the calling side, as Twilio's Voice Insights counts the platform ("caller: agent, dialer or
# the platform").
HANG_UP_SOURCE = {"CALLED_PARTY": "callee", "CALLING_PARTY": "caller", "BANDWIDTH_INTERNAL": "caller"}
MAX_SPAN_S = 24 * 3600.0  # a call longer than a day has no usable times


def _number(value: object) -> str:
    """An E.164 number (or a SIP URI) as sent; "" for anything that is not short text."""
    found = text(value)
    return found.strip() if found is not None and len(found) <= 256 else ""


@dataclass
class CallList:
    """What one list read: its records (readable, each call once), what was left out, and how the reading ended."""

    records: list[Record] = field(default_factory=list)
    unreadable: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    stopped: ProviderError | None = None  # a later page failed: the records before it are kept
    truncated: bool = False  # the bound was reached, or the list could not move on: some records were not read

    @property
    def seen(self) -> int:
        return len(self.records) + sum(self.unreadable.values())


def start_of(call: Record) -> datetime | None:
    """A call's start; a call still in the queue has none yet: the time it was queued."""
    return parse_iso(call.get("startTime")) or parse_iso(call.get("enqueuedTime"))


def insights_start(record: Record) -> datetime | None:
    return parse_iso(record.get("startTime"))


def read_call(item: object) -> Record | str:
    """The Voice API call as the lookup reads it, or why it cannot be read."""
    if not isinstance(item, dict):
        return NOT_AN_OBJECT
    if not is_sid(item.get("callId")):
        return NO_CALL_ID
    if start_of(item) is None:
        return NO_START
    return item


def read_insights(item: object) -> Record | str:
    """The Insights record as the lookup reads it, or why it cannot be read."""
    if not isinstance(item, dict):
        return NOT_AN_OBJECT
    if not is_sid(item.get("callId")):
        return NO_CALL_ID
    if insights_start(item) is None:
        return NO_START
    return item


def _span(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    seconds = (end - start).total_seconds()
    return seconds if 0 <= seconds <= MAX_SPAN_S else None


def status_of(call: Record) -> str | None:
    """The status the knowledge base reads: the disconnectCause of a call that ended, else its state ('answered',
    a call still going on, in the Twilio words the catalog's second vocabulary knows: in-progress)."""
    state = text(call.get("state"))
    state = state.strip().lower() if state and len(state) <= 40 else None
    cause = text(call.get("disconnectCause"))
    cause = cause.strip().lower() if cause and len(cause) <= 40 else None
    if cause is not None and (state in (None, "disconnected") or parse_iso(call.get("endTime")) is not None):
        return cause
    if state == "answered":
        return "in-progress"
    return state


def _insights_fields(record: Record | None) -> dict[str, Any]:
    """What an Insights record adds to an attempt (all None without one)."""
    about = record or {}
    sip = as_int(about.get("sipResponseCode"), 100, 699)  # -1 is "unknown", as is anything out of range
    reason = text(about.get("sipResponseDescription"))
    source = text(about.get("hangUpSource"))
    return {
        "sip_code": sip,
        "sip_reason": reason.strip() if reason and sip is not None and len(reason) <= 80 else None,
        "pdd_ms": as_int(about.get("postDialDelay"), 0, 10**7),
        "disconnected_by": HANG_UP_SOURCE.get(source.strip().upper()) if source else None,
    }


def call_to_attempt(call: Record, insights: Record | None = None) -> Attempt:
    """One Voice API call (+ its Insights record) as an Attempt; outcome stays UNKNOWN. ValueError only for a call
    `read_call` refuses."""
    read = read_call(call)
    if isinstance(read, str):
        raise ValueError(f"a call could not be read: {read}")
    start = start_of(call)
    insights = insights if isinstance(insights, dict) and insights else None
    status = status_of(call)
    began = parse_iso(call.get("startTime"))
    answered = parse_iso(call.get("answerTime"))
    ended = parse_iso(call.get("endTime"))
    derived: list[str] = []
    if answered is not None:
        ring_s = _span(began, answered)
        duration_s = _span(answered, ended)
    else:
        ring_s = _span(began, ended) if status in UNANSWERED_CAUSES or status == "error" else None
        duration_s = None
    if ring_s is not None:
        derived.append("ring_s")
    fields = _insights_fields(insights)
    if fields["sip_code"] is None:  # the disconnect webhook's field, should a record ever carry it
        fields["sip_code"] = as_int(call.get("sipResponseCode"), 100, 699)
    raw: Record = {"call": call}
    if insights is not None:
        raw["insights"] = insights
    if derived:
        raw["derived"] = derived
    assert start is not None  # read_call checked it
    return Attempt(
        id=call["callId"],
        start_time=start,
        **{"from": _number(call.get("from"))},
        to=_number(call.get("to")),
        provider="bandwidth",
        provider_status=status,
        duration_s=duration_s,
        ring_s=ring_s,
        raw=raw,
        **fields,
    )


def insights_to_attempt(record: Record) -> Attempt:
    """A call only Insights knows (no Voice API call matches it): its SIP code is its outcome. ValueError only for a
    record `read_insights` refuses."""
    read = read_insights(record)
    if isinstance(read, str):
        raise ValueError(f"an Insights record could not be read: {read}")
    start = parse_iso(record.get("startTime"))
    assert start is not None
    result = text(record.get("callResult"))
    talk_ms = as_float(record.get("duration"))
    complete = result is not None and result.strip().upper() == "COMPLETE"
    return Attempt(
        id=record["callId"],
        start_time=start,
        **{"from": _number(record.get("callingNumber"))},
        to=_number(record.get("calledNumber")),
        provider="bandwidth",
        duration_s=talk_ms / 1000 if complete and talk_ms is not None and 0 <= talk_ms <= MAX_SPAN_S * 1000 else None,
        raw={"insights": record},
        **_insights_fields(record),
    )
