"""Plivo's call detail records as SIPSight reads them: one Call object of the Voice API (`GET /v1/Account/{auth_id}/
Call/`) or of Zentrunk, Plivo's SIP trunking (the same path on zt.plivo.com), as one Attempt (docs/providers.md,
"Plivo").

- The outcome is Plivo's own: `hangup_cause_code` (an integer) and `hangup_cause_name`, with `hangup_source`. The
  Voice API's table gives no SIP code; Zentrunk's maps each of its codes to one, and the two number their causes
  differently (4000 is "Normal Hangup" in Voice, "bad_request" in Zentrunk), so codes are read per product: the code
  becomes `provider_error_code` ("4010", or "zentrunk:4010"), which classify reads in the knowledge base's
  plivo-hangup-cause vocabulary, and the name is the provider status, shown as Plivo wrote it.
- Times (`initiation_time`, `answer_time`, `end_time`) are in the time zone set in the Plivo console, written with
  their UTC offset ("2022-06-28 19:39:05+05:30"); one written without an offset is read as UTC and marked
  (`raw["naive_times"]`) so the lookup can say so. Ring time is answer (or, unanswered, end) minus initiation, to the
  second, worked out rather than read from signalling (`raw["derived"]`).
- Numbers come without their '+' ("12025551111"). There is no answering-machine result in the record.

Reading is lenient field by field: a field that cannot be read is None, never an exception, and a record is left out
only when it cannot be an Attempt at all (`read_call` says why; the lookup counts it in a caveat).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sipsight.core.knowledge import knowledge
from sipsight.core.models import Attempt
from sipsight.providers.fields import as_int, e164, is_id, seconds_between, text
from sipsight.providers.timestamps import time_of

Record = dict[str, Any]

NOT_AN_OBJECT = "they were not call records"
NO_UUID = "their call UUID was missing or invalid"
NO_START = "their start time was missing or invalid"

PRODUCTS = ("voice", "zentrunk")
MAX_RING_S = 24 * 3600.0
MAX_CALL_S = 7 * 24 * 3600.0
# Plivo's hangup sources as SIPSight's disconnected_by: who ended the call, where the source says so. The caller's
# side is the customer's own application (its API request, its answer XML) or PBX (Zentrunk's "customer").
DISCONNECTED_BY = {
    "caller": "caller",
    "api request": "caller",
    "answer xml": "caller",
    "customer": "caller",
    "callee": "callee",
    "call recipient": "callee",
    "carrier": "callee",
    "plivo": "unknown",
    "zentrunk": "unknown",
    "error": "unknown",
    "unknown": "unknown",
}


def read_call(item: object) -> Record | str:
    """The call as the lookup reads it, or why it cannot be read."""
    if not isinstance(item, dict):
        return NOT_AN_OBJECT
    if not is_id(item.get("call_uuid")):
        return NO_UUID
    if time_of(item.get("initiation_time")) is None and time_of(item.get("end_time")) is None:
        return NO_START
    return item


@lru_cache(maxsize=256)
def zentrunk_sip(code: str) -> int | None:
    """The SIP code Zentrunk's hangup table maps a cause to (the knowledge base's entry `sip`); None without one."""
    entry = knowledge().provider("plivo-hangup-cause", f"zentrunk:{code}")
    sip = entry.sip if entry is not None else None
    return sip if sip is not None and 100 <= sip <= 699 else None


def _code(value: object) -> str | None:
    code = as_int(value, 0, 99_999)
    return str(code) if code is not None else None


def call_to_attempt(call: Record, *, product: str = "voice") -> Attempt:
    """One Plivo Call object as an Attempt; outcome stays UNKNOWN. ValueError only for a call `read_call` refuses."""
    why = read_call(call)
    if isinstance(why, str):
        raise ValueError(f"a call could not be read: {why}")
    initiated = time_of(call.get("initiation_time"))
    ended = time_of(call.get("end_time"))
    answered_at = time_of(call.get("answer_time"))
    first = initiated or ended
    if first is None:  # read_call saw one; a guard for the type checker
        raise ValueError(f"a call could not be read: {NO_START}")
    start = first[0]
    end = ended[0] if ended else None
    answer = answered_at[0] if answered_at else None
    naive = any(t is not None and t[1] for t in (initiated, ended, answered_at))
    code = _code(call.get("hangup_cause_code"))
    zentrunk = product == "zentrunk"
    name = text(call.get("hangup_cause_name"))
    status = " ".join(name.split())[:80] if name else None
    billed = as_int(call.get("bill_duration"), 0, int(MAX_CALL_S))
    duration: float | None = None
    if answer is not None:
        duration = float(billed) if billed is not None else seconds_between(answer, end, MAX_CALL_S)
    elif billed:
        duration = float(billed)  # billed talk time with no answer time: it was answered
    derived: list[str] = []
    ring = seconds_between(start, answer, MAX_RING_S) if answer is not None else None
    if ring is None and answer is None and not billed:
        ring = seconds_between(start, end, MAX_RING_S)
    if ring is not None:
        derived.append("ring_s")
    source = text(call.get("hangup_source"))
    raw: Record = {"call": call, "product": product}
    if derived:
        raw["derived"] = derived
    if naive:
        raw["naive_times"] = True
    return Attempt(
        id=call["call_uuid"],
        start_time=start,
        **{"from": e164(call.get("from_number")) or ""},
        to=e164(call.get("to_number")) or "",
        provider="plivo",
        provider_status=status,
        sip_code=zentrunk_sip(code) if zentrunk and code is not None else None,
        provider_error_code=(f"zentrunk:{code}" if zentrunk else code) if code is not None else None,
        duration_s=duration,
        ring_s=ring,
        disconnected_by=DISCONNECTED_BY.get(" ".join(source.lower().split())) if source else None,
        raw=raw,
    )
