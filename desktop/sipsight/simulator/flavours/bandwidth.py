"""The Bandwidth flavour: a scenario's calls as Bandwidth holds them, in the Voice API v2 (GET
/api/v2/accounts/{accountId}/calls and .../calls/{callId}: `callState`) and in Bandwidth Insights (GET
/api/v1/voice/calls and .../calls/{callId}), with each one's paging and filters.

Pure functions: `answer(path, params, calls, now=..., base_url=..., insights=...)` -> `FlavourAnswer(status, body,
headers)`; the server plugs it into its routing table and checks `authorized(...)` (HTTP Basic) first.

- Voice API (bandwidth.yml `listCalls`): exact `to`/`from`, `minStartTime`/`maxStartTime` (inclusive),
  `disconnectCause`, `pageSize` (1-10,000, default 1,000), oldest first, the next page in a `Link: <url>;
  rel="next"` header (`pageToken` in it); calls that ended more than 7 days ago are gone ([] and 404), as the spec says.
- Insights (insights.yml `listCalls`): `calledNumber`/`callingNumber` (exact, comma list or prefix*), `startTime`/
  `endTime` ranges (`gte:2026-11-24T06:00:00Z`; without either, the last 24 hours), `callDirection`, `callResult`,
  `hangUpSource`, `sipResponseCode`, `sort`, `offset`/`limit` (1-10,000, default 100), a `links` rel=next. With
  `insights=False` it answers 403, as for an account without it.

What a call becomes: a block (603, 603+, 607, 608) ends `rejected` in the Voice API with its SIP code only in Insights
(other-providers.md §4), busy `busy`, a ring-out `timeout`, a cancel `cancel`, any other failure `error` with an
`errorMessage` (its wording here is the SIP response's; Bandwidth documents no list of messages).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode

from sipsight.core.knowledge import knowledge
from sipsight.simulator.calls import SimCall
from sipsight.simulator.rest import parse_time, plus

DEMO_ACCOUNT = "9900000"  # the spec's example account ID
RETENTION = timedelta(days=7)
VOICE_CALLS = re.compile(r"^/api/v2/accounts/([^/]+)/calls$")
VOICE_CALL = re.compile(r"^/api/v2/accounts/([^/]+)/calls/([^/]+)$")
INSIGHTS_CALLS = "/api/v1/voice/calls"
INSIGHTS_CALL = re.compile(r"^/api/v1/voice/calls/([^/]+)$")
HANG_UP_SOURCE = {"callee": "CALLED_PARTY", "caller": "CALLING_PARTY"}
# insights.yml enums: the values its filters take
DIRECTIONS = ("INBOUND", "INBOUND-FORWARDED", "OUTBOUND", "OUTBOUND-FORWARDED")
RESULTS = ("COMPLETE", "INCOMPLETE")
SOURCES = ("BANDWIDTH_INTERNAL", "CALLED_PARTY", "CALLING_PARTY")


class FlavourAnswer(NamedTuple):
    status: int
    body: Any
    headers: dict[str, str]


def demo_credentials() -> dict[str, str]:
    """Obviously fake: the spec's example account and a demo API user."""
    return {"account_id": DEMO_ACCOUNT, "username": "demo-api-user", "password": "demo" * 6}


def authorized(authorization: str | None, username: str, password: str) -> bool:
    """HTTP Basic with the API user's credentials (both APIs accept it)."""
    if not authorization or not authorization.lower().startswith("basic "):
        return False
    try:
        user, _, secret = base64.b64decode(authorization[6:].strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return (user, secret) == (username, password)


# --------------------------------------------------------------------------- shapes


def call_id(sid: str) -> str:
    """Bandwidth's call ID form (c-xxxxxxxx-xxxxxxxx-<uuid>), derived from the simulator SID: always the same."""
    h = hashlib.sha256(sid.encode()).hexdigest()
    return f"c-{h[:8]}-{h[8:16]}-{uuid.UUID(hex=h[16:48])}"


def _iso_ms(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _phrase(code: int | None, reason: str | None) -> str:
    if reason:
        return reason
    entry = knowledge().sip(code) if code is not None else None
    return entry.name if entry is not None else "Unknown"


def disconnect(call: SimCall) -> tuple[str, str | None, str | None]:
    """(state, disconnectCause, errorMessage) the Voice API reports for a call. The scenario's status is Twilio's (or
    SignalWire's, which reports a 603 as busy); a final SIP code, when the scenario has one, is what Bandwidth's cause
    follows."""
    status, sip = call.status, call.sip_code
    live = {"in-progress": "answered", "ringing": "initiated", "queued": "queued"}
    if status in live:
        return live[status], None, None
    if status == "completed":
        return "disconnected", "hangup", None
    if sip in (486, 600):
        return "disconnected", "busy", None
    if sip in (403, 603, 607, 608):
        return "disconnected", "rejected", None
    if sip == 487 or status == "canceled":
        return "disconnected", "cancel", None
    if status == "busy":
        return "disconnected", "busy", None
    if status == "no-answer":
        return "disconnected", "timeout", None
    if call.error_code or sip is None:
        return "disconnected", "error", "Call could not be placed"
    return "disconnected", "error", f"{sip} {_phrase(sip, call.sip_reason)}"


def call_state(call: SimCall, account_id: str) -> dict[str, Any]:
    """One call as the Voice API's `callState`."""
    state, cause, message = disconnect(call)
    answered = call.status in ("completed", "in-progress")
    answer_time = call.start_time + timedelta(seconds=call.ring_s or 0) if answered else None
    ended = state == "disconnected"
    the_id = call_id(call.sid)
    return {
        "applicationId": str(uuid.UUID(hex=hashlib.sha256(f"app:{account_id}".encode()).hexdigest()[:32])),
        "accountId": account_id,
        "callId": the_id,
        "parentCallId": None,
        "to": call.to,
        "from": call.from_,
        "direction": "outbound",
        "state": state,
        "stirShaken": None,
        "identity": None,
        "enqueuedTime": _iso_ms(call.start_time),
        "startTime": None if state == "queued" else _iso_ms(call.start_time),
        "answerTime": _iso_ms(answer_time),
        "endTime": _iso_ms(call.end_time) if ended else None,
        "disconnectCause": cause,
        "errorMessage": message,
        "errorId": str(uuid.UUID(hex=hashlib.sha256(f"err:{the_id}".encode()).hexdigest()[:32])) if message else None,
        "lastUpdate": _iso_ms(call.end_time if ended and call.end_time else call.start_time),
    }


def insights_call(call: SimCall, account_id: str) -> dict[str, Any]:
    """One finished call as an Insights call record: the SIP code, who hung up, post-dial delay, attestation."""
    end = call.end_time or call.start_time
    sip = call.sip_code
    if call.error_code and sip is None:
        source = "BANDWIDTH_INTERNAL"  # the platform refused to place it
    else:
        source = HANG_UP_SOURCE.get(call.disconnected_by or "", "BANDWIDTH_INTERNAL")
    talk = (call.duration_s or 0) if call.status == "completed" else 0
    return {
        "accountId": account_id,
        "callId": call_id(call.sid),
        "startTime": _iso_ms(call.start_time),
        "endTime": _iso_ms(end),
        "duration": int((end - call.start_time).total_seconds() * 1000),
        "callingNumber": call.from_,
        "calledNumber": call.to,
        "callDirection": "OUTBOUND",
        "callType": "INTERSTATE",
        "callResult": "COMPLETE" if call.status == "completed" else "INCOMPLETE",
        "sipResponseCode": sip if sip is not None else -1,
        "sipResponseDescription": _phrase(sip, call.sip_reason) if sip is not None else "Unknown",
        "cost": round(0.0055 * max(1, -(-talk // 60)), 6) if talk else 0.0,
        "subAccount": None,
        "attestationIndicator": "A",
        "hangUpSource": source,
        "postDialDelay": call.pdd_ms,
        "packetsSent": talk * 50,
        "packetsReceived": talk * 50,
    }


# --------------------------------------------------------------------------- errors


def voice_error(status: int, description: str, *, retry_after: float | None = None) -> FlavourAnswer:
    """The Voice API's error (`voiceApiError`: type, description, id); a 429 says when to retry (spec: Retry-After)."""
    kinds = {400: "validation", 401: "authentication-error", 403: "authorization-error", 404: "not-found"}
    body = {
        "type": kinds.get(status, "internal-server-error" if status >= 500 else "error"),
        "description": description,
    }
    body["id"] = str(uuid.uuid4())
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    if status == 429 and retry_after is None:
        headers["Retry-After"] = "1"
    return FlavourAnswer(status, body, headers)


def insights_error(status: int, description: str, *, retry_after: float | None = None) -> FlavourAnswer:
    """Insights' error (`genericError`: links, data, errors[{description}])."""
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    return FlavourAnswer(status, {"links": None, "data": None, "errors": [{"description": description}]}, headers)


# --------------------------------------------------------------------------- the Voice API


def _visible(call: SimCall, now: datetime) -> bool:
    """Started by now, and not gone: the Voice API keeps a call 7 days after it ends."""
    return call.start_time <= now and (call.end_time is None or call.end_time >= now - RETENTION)


def _page_token(index: int) -> str:
    return base64.urlsafe_b64encode(f'{{"offset":{index}}}'.encode()).decode().rstrip("=")


def _from_token(token: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        match = re.fullmatch(r'\{"offset":(\d+)\}', text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(match[1]) if match else None


def list_calls(
    account_id: str, params: Mapping[str, str], calls: Sequence[SimCall], *, now: datetime, base_url: str = ""
) -> FlavourAnswer:
    """GET /api/v2/accounts/{accountId}/calls."""
    to, frm = plus(params.get("to")), plus(params.get("from"))
    bounds: list[datetime | None] = []
    for name in ("minStartTime", "maxStartTime"):
        raw = params.get(name)
        parsed = parse_time(raw) if raw else None
        if raw and parsed is None:
            return voice_error(400, f"{name} must be an ISO 8601 date-time")
        bounds.append(parsed[0] if parsed else None)
    low, high = bounds
    cause = params.get("disconnectCause") or None
    try:
        size = int(params.get("pageSize") or 1000)
    except ValueError:
        return voice_error(400, "pageSize must be an integer")
    if not 1 <= size <= 10_000:
        return voice_error(400, "pageSize must be between 1 and 10000")
    token = params.get("pageToken")
    start = _from_token(token) if token else 0
    if start is None:
        return voice_error(400, "pageToken is not valid")
    found = []
    for call in calls:
        if not _visible(call, now) or (to and call.to != to) or (frm and call.from_ != frm):
            continue
        if (low is not None and call.start_time < low) or (high is not None and call.start_time > high):
            continue
        if cause is not None and disconnect(call)[1] != cause:
            continue
        found.append(call)
    found.sort(key=lambda c: (c.start_time, c.sid))  # by createdTime, oldest first
    chunk = found[start : start + size]
    headers: dict[str, str] = {}
    if start + size < len(found):
        filters = [(k, v) for k, v in params.items() if k != "pageToken"]
        query = urlencode([*filters, ("pageToken", _page_token(start + size))])
        headers["Link"] = f'<{base_url}/api/v2/accounts/{account_id}/calls?{query}>; rel="next"'
    return FlavourAnswer(200, [call_state(c, account_id) for c in chunk], headers)


def fetch_call(account_id: str, the_id: str, calls: Sequence[SimCall], *, now: datetime) -> FlavourAnswer:
    """GET /api/v2/accounts/{accountId}/calls/{callId}: 404 once the call is gone (7 days after it ended)."""
    for call in calls:
        if call_id(call.sid) == the_id and _visible(call, now):
            return FlavourAnswer(200, call_state(call, account_id), {})
    return voice_error(404, f"Call {the_id} not found")


# --------------------------------------------------------------------------- Insights


def _range(raw: str) -> Callable[[datetime], bool] | None:
    op, _, value = raw.partition(":")
    parsed = parse_time(value) if op in ("gt", "gte", "lt", "lte") else None
    if parsed is None:
        return None
    at = parsed[0]
    checks: dict[str, Callable[[datetime], bool]] = {
        "gt": lambda t: t > at, "gte": lambda t: t >= at, "lt": lambda t: t < at, "lte": lambda t: t <= at,
    }  # fmt: skip
    return checks[op]


def _numbers(raw: str | None) -> Callable[[str], bool] | None:
    """Exact, comma multimatch, or prefix* ; E.164 with an optional '+'."""
    if not raw:
        return None
    wanted = [w.strip().lstrip("+") for w in (plus(raw) or raw).split(",") if w.strip()]

    def match(number: str) -> bool:
        digits = number.lstrip("+")
        return any(digits.startswith(w[:-1]) if w.endswith("*") else digits == w for w in wanted)

    return match


def list_insights(
    params: Mapping[str, str],
    calls: Sequence[SimCall],
    *,
    now: datetime,
    account_id: str = DEMO_ACCOUNT,
    base_url: str = "",
    enabled: bool = True,
) -> FlavourAnswer:
    """GET /api/v1/voice/calls: finished calls' records, `links` rel=next while there are more."""
    if not enabled:
        return insights_error(403, "Insights is not enabled for this account.")
    if params.get("accountId") not in (None, "", account_id):
        return insights_error(403, "This is an Unknown Account.")
    ranges: list[tuple[str, Callable[[datetime], bool]]] = []
    for name in ("startTime", "endTime"):
        raw = params.get(name)
        if raw:
            check = _range(raw)
            if check is None:
                return insights_error(400, f"{name} must be a range such as gte:2022-05-26T12:00:00Z")
            ranges.append((name, check))
    if not ranges:  # the spec: without startTime or endTime, the last 24 hours
        ranges.append(("startTime", lambda t: t >= now - timedelta(hours=24)))
    enums = {"callDirection": DIRECTIONS, "callResult": RESULTS, "hangUpSource": SOURCES}
    for name, allowed in enums.items():
        if params.get(name) and params[name] not in allowed:
            return insights_error(400, f"{name} must be one of {', '.join(allowed)}")
    try:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        sip = int(params["sipResponseCode"]) if params.get("sipResponseCode") else None
    except ValueError:
        return insights_error(400, "offset, limit and sipResponseCode must be integers")
    if offset < 0 or not 1 <= limit <= 10_000:
        return insights_error(400, "limit must be between 1 and 10000 and offset at least 0")
    called, calling = _numbers(params.get("calledNumber")), _numbers(params.get("callingNumber"))
    wanted = {k: params[k] for k in ("callId", "callDirection", "callResult", "hangUpSource") if params.get(k)}
    records = []
    for call in calls:
        if call.end_time is None or call.end_time > now:  # only finished calls are logged
            continue
        record = insights_call(call, account_id)
        times = {"startTime": call.start_time, "endTime": call.end_time}
        if not all(check(times[name]) for name, check in ranges):
            continue
        if (called and not called(call.to)) or (calling and not calling(call.from_)):
            continue
        if any(record[k] != v for k, v in wanted.items()) or (sip is not None and record["sipResponseCode"] != sip):
            continue
        records.append(record)
    field, _, direction = (params.get("sort") or "startTime:asc").partition(":")
    key = field if field in ("startTime", "endTime", "duration", "postDialDelay") else "startTime"
    records.sort(key=lambda r: (r[key] is None, r[key] or 0, r["callId"]), reverse=direction == "desc")
    page = records[offset : offset + limit]
    links = []
    if offset + limit < len(records):
        query = urlencode([*((k, v) for k, v in params.items() if k != "offset"), ("offset", offset + limit)])
        links.append({"href": f"{base_url}{INSIGHTS_CALLS}?{query}", "rel": "next"})
    return FlavourAnswer(200, {"links": links, "data": {"totalCount": len(records), "calls": page}, "errors": None}, {})


def fetch_insights(
    the_id: str, calls: Sequence[SimCall], *, now: datetime, account_id: str = DEMO_ACCOUNT, enabled: bool = True
) -> FlavourAnswer:
    if not enabled:
        return insights_error(403, "Insights is not enabled for this account.")
    for call in calls:
        if call_id(call.sid) == the_id and call.end_time is not None and call.end_time <= now:
            return FlavourAnswer(200, {"links": [], "data": insights_call(call, account_id), "errors": []}, {})
    return insights_error(404, "The origin server did not find a current representation for the target resource.")


# --------------------------------------------------------------------------- routing


def answer(
    path: str,
    params: Mapping[str, str],
    calls: Sequence[SimCall],
    *,
    now: datetime,
    account_id: str = DEMO_ACCOUNT,
    base_url: str = "",
    insights: bool = True,
) -> FlavourAnswer:
    """A GET to either API: the call list, one call, Insights' list or one Insights record; else a 404."""
    path = path.rstrip("/")
    if path == INSIGHTS_CALLS:
        return list_insights(params, calls, now=now, account_id=account_id, base_url=base_url, enabled=insights)
    match = INSIGHTS_CALL.match(path)
    if match:
        return fetch_insights(match[1], calls, now=now, account_id=account_id, enabled=insights)
    match = VOICE_CALLS.match(path) or VOICE_CALL.match(path)
    if match is None:
        return voice_error(404, f"{path} was not found")
    if match[1] != account_id:
        return voice_error(403, f"The user does not have access to account {match[1]}")
    if match.re is VOICE_CALLS:
        return list_calls(account_id, params, calls, now=now, base_url=base_url)
    return fetch_call(account_id, match[2], calls, now=now)
