"""Telnyx's records as SIPSight reads them: one call leg's webhook events (`GET /call_events`) and its detail record
(`GET /detail_records`, record type call-control), as one Attempt (docs/providers.md, "Telnyx").

- The events carry the outcome: `call.hangup` has `hangup_cause`, `hangup_source` and `sip_hangup_cause` (the SIP
  code as text, "unspecified" when there was none); `call.answered` dates the answer (the ring time is the answer, or
  the hangup of an unanswered call, minus `call.initiated`); `call.machine.detection.ended` (and its premium twin)
  has the answering-machine result. Telnyx keeps them for 24 hours unless asked by leg id.
- A detail record is kept longer: it dates the call (`started_at`, `finished_at`) and its talk time (`call_sec`).
  The schemas of the voice records are not in Telnyx's OpenAPI spec; the fields read here are those of the voice
  detail records Telnyx documents (its WebRTC example: cld, cli, started_at, finished_at, call_sec, telnyx_leg_id),
  and `hangup_cause`, `hangup_source`, `sip_hangup_cause` when a record has them.

A call event's `metadata` is "the raw event, and extra information based on event type" (the spec): the webhook's
`payload` is looked for in it, in the shapes a webhook is delivered in (the event itself, or under `data`/`event`).

Reading is lenient field by field: a field that cannot be read is None, never an exception, and a leg is left out
only when it cannot be an Attempt at all (`leg_to_attempt` raises ValueError, and the lookup counts it in a caveat).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sipsight.core.models import Attempt
from sipsight.providers.fields import as_int, e164, is_id, seconds_between, text
from sipsight.providers.timestamps import time_of

Record = dict[str, Any]

# Why a record could not be read, in the words of the caveat ("3 of 40 calls could not be read (REASON)")
NOT_AN_OBJECT = "they were not call records"
NO_LEG = "their call leg id was missing or invalid"
NO_START = "their start time was missing or invalid"

HANGUP, ANSWERED, INITIATED = "call.hangup", "call.answered", "call.initiated"
AMD_EVENTS = ("call.machine.detection.ended", "call.machine.premium.detection.ended")
EVENTS_READ = (INITIATED, ANSWERED, HANGUP, *AMD_EVENTS)
HANGUP_SOURCES = ("caller", "callee", "unknown")
MAX_RING_S = 24 * 3600.0  # longer than a day is not a ring time
MAX_CALL_S = 7 * 24 * 3600.0
# Telnyx's answering-machine results in the words SIPSight (and Twilio's answered_by vocabulary) uses
ANSWERED_BY = {
    "human": "human",
    "human_residence": "human",
    "human_business": "human",
    "machine": "machine",
    "fax_detected": "fax",
    "silence": "unknown",
    "not_sure": "unknown",
}


@dataclass(frozen=True)
class Event:
    """One call event as read: which leg, what happened, when, and the webhook payload it carried."""

    leg: str
    name: str
    at: datetime | None
    payload: Record


@dataclass
class Leg:
    """Everything read about one call leg: its events by name (the latest of each) and its detail record."""

    leg: str
    events: dict[str, Event] = field(default_factory=dict)
    record: Record | None = None

    def add(self, event: Event) -> None:
        held = self.events.get(event.name)
        if held is None or (event.at is not None and (held.at is None or event.at > held.at)):
            self.events[event.name] = event


def _object(value: object) -> Record:
    return value if isinstance(value, dict) else {}


def payload_of(metadata: object) -> Record:
    """The webhook payload inside a call event's metadata: `payload`, or under `data`/`event`/`raw`; the metadata
    itself when it looks like a payload; {} when there is none."""
    meta = _object(metadata)
    for holder in (meta, _object(meta.get("data")), _object(meta.get("event")), _object(meta.get("raw"))):
        inner = holder.get("payload")
        if isinstance(inner, dict):
            return inner
        nested = _object(holder.get("data")).get("payload")
        if isinstance(nested, dict):
            return nested
    if any(key in meta for key in ("call_leg_id", "hangup_cause", "sip_hangup_cause", "result", "to")):
        return meta
    return {}


def _occurred(metadata: object) -> object:
    meta = _object(metadata)
    for holder in (meta, _object(meta.get("data")), _object(meta.get("event"))):
        if "occurred_at" in holder:
            return holder["occurred_at"]
    return None


def read_event(item: object) -> Event | str:
    """A call event as the lookup reads it, or why it cannot be read."""
    if not isinstance(item, dict):
        return NOT_AN_OBJECT
    payload = payload_of(item.get("metadata"))
    leg = item.get("call_leg_id")
    if not is_id(leg):
        leg = payload.get("call_leg_id")
    if not is_id(leg):
        return NO_LEG
    name = text(item.get("name")) or text(_object(item.get("metadata")).get("event_type")) or ""
    stamp = time_of(item.get("event_timestamp")) or time_of(_occurred(item.get("metadata")))
    return Event(str(leg), name.strip().lower(), stamp[0] if stamp else None, payload)


def read_record(item: object) -> Record | str:
    """A detail record as the lookup reads it, or why it cannot be read."""
    if not isinstance(item, dict):
        return NOT_AN_OBJECT
    if not is_id(record_leg(item)):
        return NO_LEG
    if time_of(item.get("started_at")) is None and time_of(item.get("created_at")) is None:
        return NO_START
    return item


def record_leg(record: Record) -> object:
    """The leg a detail record is about (the events' call_leg_id); its own id when it names none."""
    for key in ("telnyx_leg_id", "call_leg_id", "leg_id", "id"):
        if is_id(record.get(key)):
            return record[key]
    return None


def _sip(value: object) -> int | None:
    return as_int(value, 100, 699)


def _cause(value: object) -> str | None:
    cause = text(value)
    return cause.strip().lower()[:64] or None if cause is not None else None


def _source(value: object) -> str | None:
    source = _cause(value)
    return source if source in HANGUP_SOURCES else None


def _answered_by(leg: Leg) -> str | None:
    for name in reversed(AMD_EVENTS):  # premium detection, when it ran, is the finer result
        event = leg.events.get(name)
        result = _cause(event.payload.get("result")) if event is not None else None
        if result is not None:
            return ANSWERED_BY.get(result, "unknown")
    return None


def _when(event: Event | None) -> datetime | None:
    return event.at if event is not None else None


def leg_to_attempt(leg: Leg) -> Attempt:
    """One call leg (its events and/or its detail record) as an Attempt; outcome stays UNKNOWN.

    ValueError only for a leg that cannot be an Attempt (no start time anywhere); every other odd field is None.
    """
    record = leg.record if isinstance(leg.record, dict) else {}
    ev = leg.events
    hangup, answered, initiated = ev.get(HANGUP), ev.get(ANSWERED), ev.get(INITIATED)
    payloads = [e.payload for e in (hangup, initiated, answered) if e is not None]
    payloads += [e.payload for n, e in ev.items() if n not in (HANGUP, INITIATED, ANSWERED)]
    record_start = time_of(record.get("started_at")) or time_of(record.get("created_at"))
    payload_start = next((t for p in payloads if (t := time_of(p.get("start_time"))) is not None), None)
    start = _when(initiated) or (payload_start or record_start or (None, False))[0]
    if start is None:
        raise ValueError(f"a call leg could not be read: {NO_START}")
    end = _when(hangup) or (t[0] if (t := time_of(record.get("finished_at"))) else None)
    answer = _when(answered)
    talk = as_int(record.get("call_sec"), 0, int(MAX_CALL_S))
    derived: list[str] = []
    hung = hangup.payload if hangup is not None else {}
    status = _cause(hung.get("hangup_cause")) or _cause(record.get("hangup_cause"))
    sip = _sip(hung.get("sip_hangup_cause"))
    if sip is None:
        sip = _sip(record.get("sip_hangup_cause"))
    source = _source(hung.get("hangup_source")) or _source(record.get("hangup_source"))
    duration = seconds_between(answer, end, MAX_CALL_S) if answer is not None else None
    if duration is None and talk:
        duration = float(talk)
    if status is None and hangup is None:
        # No hangup cause was read: what the record or the events still say about how far the call got
        if leg.record is not None and talk is not None:
            if talk > 0:  # a record with talk time: the call was answered
                status = "completed"
                derived.append("provider_status")
        elif ev and end is None:  # events of a call not over yet
            status = "in-progress" if answer is not None else "ringing"
            derived.append("provider_status")
    ring = seconds_between(start, answer, MAX_RING_S) if answer is not None else None
    if ring is None and answer is None and hangup is not None and not talk:
        ring = seconds_between(start, end, MAX_RING_S)
    parties = [*payloads, {"from": record.get("cli"), "to": record.get("cld")}]
    frm = next((n for p in parties if (n := e164(p.get("from"))) is not None), "")
    to = next((n for p in parties if (n := e164(p.get("to"))) is not None), "")
    raw: Record = {"events": {name: e.payload for name, e in ev.items()}}
    if leg.record is not None:
        raw["record"] = leg.record
    if derived:
        raw["derived"] = derived
    return Attempt(
        id=leg.leg,
        start_time=start,
        **{"from": frm},
        to=to,
        provider="telnyx",
        provider_status=status,
        sip_code=sip,
        answered_by=_answered_by(leg),
        duration_s=duration,
        ring_s=ring,
        disconnected_by=source,
        raw=raw,
    )


def legs_of(events: list[Event], records: list[Record]) -> list[Leg]:
    """Events and records grouped by call leg, in the order the legs were first seen."""
    legs: dict[str, Leg] = {}
    for event in events:
        if event.name in EVENTS_READ:
            legs.setdefault(event.leg, Leg(event.leg)).add(event)
    for record in records:
        key = str(record_leg(record))
        leg = legs.setdefault(key, Leg(key))
        if leg.record is None:
            leg.record = record
    return list(legs.values())
