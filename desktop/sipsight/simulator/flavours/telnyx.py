"""The Telnyx flavour of the simulator: a scenario's calls (calls.SimCall) as Telnyx API v2 holds them, and the two
list endpoints a lookup reads, with Telnyx's paging, filters, Bearer auth and error bodies.

- `GET /v2/call_events`: the webhook events of each call leg (`call.initiated`, `call.answered`,
  `call.machine.detection.ended` when the call had an answering-machine result, `call.hangup`) and a `dial` command,
  as `CallEvent`s whose `metadata` holds the webhook event itself (the spec: "raw event"). Filters `filter[to]`,
  `filter[from]`, `filter[type]`, `filter[name]`, `filter[leg_id]`, `filter[application_session_id]`,
  `filter[product]` and one `filter[occurred_at][eq|gt|gte|lt|lte]`; without a leg or session id only the last 24
  hours are searched (the spec's description). Oldest first, `page[number]`/`page[size]` (1-250).
- `GET /v2/detail_records`: one call-control detail record per leg, with the fields Telnyx documents for its voice
  detail records (the WebRTC example: cld, cli, direction, started_at, finished_at, call_sec, billed_sec,
  telnyx_leg_id ...); the spec has no schema for the voice record types, and none documents a hangup cause there,
  so none is served. `filter[record_type]` is required; `filter[cld]`, `filter[cli]` (exact, or
  `[starts_with|ends_with|contains]`), `filter[direction]`, `filter[created_at][gte|lt]`, `filter[date_range]`,
  `sort` (`created_at` or `-created_at`), `page[number]`/`page[size]` (1-50).

How a scenario call becomes a Telnyx hangup (`hangup_of`): the SIP code is served as `sip_hangup_cause` ("unspecified"
without one), and the cause is the bucket Telnyx's enum has for it (completed: normal_clearing; 487: originator_cancel;
403/603/607/608: call_rejected; 486/600: user_busy; 404/410/484/604: not_found; a ring-out: timeout; anything else:
unspecified). What Telnyx's data cannot carry is lost on the way, as it would be: the 603+ "Network Blocked" reason
phrase, Q.850 causes, the carrier and line type, and the platform's own refusal codes (a Twilio 21215).

The module is what the simulator's routing table plugs in for `provider="telnyx"`: ROUTES (path pattern, fault scope,
endpoint(sim, request, *path params) -> (status, body)), `authorized(headers)`, `error_body(status, message)`,
`fault_headers(status, value)` and `DEMO_CREDENTIALS`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sipsight.simulator.calls import SimCall
from sipsight.simulator.rest import Answer, HttpError, Request, plus
from sipsight.simulator.served import ServedScenario

NAME = "telnyx"
# Obviously fake, built by expression (never a key-shaped literal in the source)
DEMO_CREDENTIALS = {"api_key": "KEY" + "0" * 26 + "_SIPSightDemo"}
EVENT_WINDOW = timedelta(hours=24)
CONNECTION_ID = "1" + "0" * 17  # a Call Control application id (digits, like Telnyx's)
RING_OUT_S = 20.0

# Telnyx's error codes for the statuses the simulator answers with (the spec's examples and the rate-limit docs)
_ERRORS = {
    400: ("10015", "Bad Request"),
    401: ("10009", "Authentication failed"),
    403: ("10010", "Not authorized"),
    404: ("10005", "Resource not found"),
    405: ("10015", "Method not allowed"),
    422: ("10015", "Invalid parameter"),
    429: ("10011", "Too many requests"),
    500: ("10007", "Internal server error"),
    503: ("10007", "Service unavailable"),
}


# --------------------------------------------------------------------------- identities


def _uuid(call: SimCall, salt: str) -> str:
    digest = call.sid[2:34] if salt == "leg" else uuid.uuid5(uuid.NAMESPACE_URL, f"{call.sid}:{salt}").hex
    return str(uuid.UUID(hex=digest))


def leg_id(call: SimCall) -> str:
    return _uuid(call, "leg")


def session_id(call: SimCall) -> str:
    return _uuid(call, "session")


def control_id(call: SimCall) -> str:
    return "v3:" + uuid.uuid5(uuid.NAMESPACE_URL, f"{call.sid}:control").hex


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --------------------------------------------------------------------------- shapes


def hangup_of(call: SimCall) -> tuple[str, str, str]:
    """(hangup_cause, sip_hangup_cause, hangup_source) as Telnyx would report the scenario call."""
    sip = call.sip_code
    rang = call.ring_s or 0.0
    if call.status == "completed":
        cause = "normal_clearing"
    elif call.status == "canceled" or sip == 487:
        cause = "originator_cancel"
    elif sip in (403, 603, 607, 608):
        cause = "call_rejected"
    elif sip in (486, 600) or (call.status == "busy" and sip is None):
        cause = "user_busy"
    elif sip in (404, 410, 484, 604):
        cause = "not_found"
    elif call.status == "no-answer" and rang >= RING_OUT_S:
        cause = "timeout"
    else:
        cause = "unspecified"
    source = call.disconnected_by if call.disconnected_by in ("caller", "callee") else "unknown"
    return cause, str(sip) if sip is not None else "unspecified", source


def _answered_at(call: SimCall) -> datetime | None:
    if call.status not in ("completed", "in-progress"):
        return None
    return call.start_time + timedelta(seconds=call.ring_s or 0.0)


def _amd_result(call: SimCall) -> str | None:
    said = call.answered_by
    if not said:
        return None
    if said == "human":
        return "human"
    return "machine" if said.startswith("machine") or said == "fax" else "not_sure"


def _base(call: SimCall) -> dict[str, Any]:
    return {
        "call_control_id": control_id(call),
        "call_leg_id": leg_id(call),
        "call_session_id": session_id(call),
        "connection_id": CONNECTION_ID,
        "from": call.from_,
        "to": call.to,
    }


def _webhook(call: SimCall, name: str, at: datetime, payload: dict[str, Any]) -> dict[str, Any]:
    """A CallEvent whose metadata is the webhook event as Telnyx delivers it (CallInitiated, CallHangup ...)."""
    event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{call.sid}:{name}"))
    return {
        "record_type": "call_event",
        "call_leg_id": leg_id(call),
        "call_session_id": session_id(call),
        "event_timestamp": iso(at),
        "name": name,
        "type": "webhook",
        "metadata": {"event_type": name, "id": event_id, "occurred_at": iso(at), "payload": payload,
                     "record_type": "event"},
    }  # fmt: skip


def call_events(call: SimCall) -> list[dict[str, Any]]:
    """Every event of the call, oldest first: the dial command, then the webhooks."""
    start = call.start_time
    started = {**_base(call), "start_time": iso(start)}
    events = [
        {"record_type": "call_event", "call_leg_id": leg_id(call), "call_session_id": session_id(call),
         "event_timestamp": iso(start), "name": "dial", "type": "command", "metadata": {}},
        _webhook(call, "call.initiated", start, {**started, "direction": "outgoing", "state": "bridging"}),
    ]  # fmt: skip
    answered = _answered_at(call)
    if answered is not None:
        events.append(_webhook(call, "call.answered", answered, {**started, "state": "answered"}))
        result = _amd_result(call)
        if result is not None:
            detected = answered + timedelta(seconds=min(3.0, float(call.duration_s or 3)))
            events.append(_webhook(call, "call.machine.detection.ended", detected, {**_base(call), "result": result}))
    if call.end_time is not None:
        cause, sip, source = hangup_of(call)
        hangup = {**started, "hangup_cause": cause, "hangup_source": source, "sip_hangup_cause": sip,
                  "state": "hangup", "call_quality_stats": None}  # fmt: skip
        events.append(_webhook(call, "call.hangup", call.end_time, hangup))
    return events


def detail_record(call: SimCall) -> dict[str, Any]:
    """The leg's call-control detail record, with the fields Telnyx documents for voice detail records."""
    talk = int(call.duration_s or 0) if call.status == "completed" else 0
    finished = call.end_time or call.start_time
    return {
        "record_type": "call_control_detail_record",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{call.sid}:record")),
        "telnyx_leg_id": leg_id(call),
        "telnyx_session_id": session_id(call),
        "telnyx_call_control_id": control_id(call),
        "connection_id": CONNECTION_ID,
        "connection_name": "SIPSight demo dialer",
        "cld": call.to,
        "cli": call.from_,
        "direction": "outbound",
        "started_at": iso(call.start_time)[:19] + "Z",
        "finished_at": iso(finished)[:19] + "Z",
        "call_sec": talk,
        "billed_sec": -(-talk // 60) * 60,
        "rate": "0.0070",
        "cost": f"{0.007 * -(-talk // 60):.4f}",
        "currency": "USD",
        "tags": "",
        "billing_group_id": "",
        "billing_group_name": "",
    }


# --------------------------------------------------------------------------- the requests


def authorized(headers: Mapping[str, str]) -> bool:
    """`Authorization: Bearer <API v2 key>`, the demo key."""
    value = (headers.get("Authorization") or headers.get("authorization") or "").strip()
    scheme, _, token = value.partition(" ")
    return scheme.lower() == "bearer" and token.strip() == DEMO_CREDENTIALS["api_key"]


def error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """Telnyx's error body: `{"errors": [{code, title, detail, meta.url}]}`."""
    code, title = _ERRORS.get(status, ("10015", "Bad Request"))
    return {"errors": [{"code": code, "title": title, "detail": message or title,
                        "meta": {"url": f"https://developers.telnyx.com/docs/overview/errors/{code}"}}]}  # fmt: skip


def fault_headers(status: int, value: float | None) -> dict[str, str]:
    """What an injected fault's answer carries: a 429 says when the window resets (x-ratelimit-reset, in seconds),
    never Retry-After; a 503 given seconds sends Retry-After."""
    if status == 429:
        reset = value if value is not None else 1.0
        return {"x-ratelimit-limit": "20", "x-ratelimit-remaining": "0", "x-ratelimit-reset": f"{reset:g}"}
    if status == 503 and value is not None:
        return {"Retry-After": f"{value:g}"}
    if status == 401:
        return {"WWW-Authenticate": 'Bearer realm="api.telnyx.com"'}
    return {}


def _bad(message: str, parameter: str, status: int = 400) -> HttpError:
    code, _ = _ERRORS[status]
    return HttpError(status, int(code), message)


def _page(items: list[Any], req: Request, max_size: int) -> tuple[list[Any], dict[str, int]]:
    params = req.params
    try:
        number = int(params.get("page[number]") or 1)
        size = int(params.get("page[size]") or 20)
    except ValueError:
        raise _bad("page[number] and page[size] must be integers", "page") from None
    if number < 1 or not 1 <= size <= max_size:
        raise _bad(f"page[number] must be at least 1 and page[size] between 1 and {max_size}", "page")
    if req.empty:
        items = []
    chunk = items[(number - 1) * size : number * size]
    pages = -(-len(items) // size)
    return chunk, {"page_number": number, "page_size": size, "total_pages": pages, "total_results": len(items)}


_EVENT_FILTERS = {
    "to", "from", "type", "name", "leg_id", "application_session_id", "product", "connection_id", "failed", "status",
    "outbound.outbound_voice_profile_id", "application_name][contains",
}  # fmt: skip
_OCCURRED = re.compile(r"^filter\[occurred_at\]\[(eq|gt|gte|lt|lte)\]$")


def _time(value: str, name: str) -> datetime:
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(f"{name} must be an ISO 8601 date-time", name) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


_COMPARE: dict[str, Callable[[datetime, datetime], bool]] = {
    "eq": lambda t, ref: t == ref,
    "gt": lambda t, ref: t > ref,
    "gte": lambda t, ref: t >= ref,
    "lt": lambda t, ref: t < ref,
    "lte": lambda t, ref: t <= ref,
}


def list_call_events(sim: ServedScenario, req: Request) -> Answer:
    filters: dict[str, str] = {}
    occurred: list[tuple[str, datetime]] = []
    for key, value in req.pairs:
        match = _OCCURRED.match(key)
        if match:
            occurred.append((match[1], _time(value, key)))
        elif key.startswith("filter[") and key.endswith("]"):
            name = key[len("filter[") : -1]
            if name not in _EVENT_FILTERS:
                raise _bad(f"Unknown filter {key}", key)
            filters[name] = value
        elif not key.startswith("page["):
            raise _bad(f"Unknown query parameter {key}", key)
    if len(occurred) > 1:
        raise _bad("Only one filter[occurred_at] can be passed", "filter[occurred_at]", 422)
    now = sim.clock()
    by_leg = "leg_id" in filters or "application_session_id" in filters
    to, frm = plus(filters.get("to")), plus(filters.get("from"))
    if filters.get("product") not in (None, "call_control"):
        return _events_answer([], req)
    events: list[dict[str, Any]] = []
    for call in sorted(sim.calls, key=lambda c: (c.start_time, c.sid)):
        if (to and call.to != to) or (frm and call.from_ != frm):
            continue
        if "leg_id" in filters and filters["leg_id"] != leg_id(call):
            continue
        if "application_session_id" in filters and filters["application_session_id"] != session_id(call):
            continue
        for event in call_events(call):
            at = _time(event["event_timestamp"], "event_timestamp")
            if at > now or (not by_leg and at < now - EVENT_WINDOW):
                continue
            if filters.get("type") not in (None, event["type"]) or filters.get("name") not in (None, event["name"]):
                continue
            if any(not _COMPARE[op](at, ref) for op, ref in occurred):
                continue
            events.append(event)
    events.sort(key=lambda e: e["event_timestamp"])
    return _events_answer(events, req)


def _events_answer(events: list[dict[str, Any]], req: Request) -> Answer:
    chunk, meta = _page(events, req, 250)
    return 200, {"data": chunk, "meta": meta}


_RECORD_FILTER = re.compile(r"^filter\[([a-z_]+)\](?:\[([a-z_]+)\])?$")
_DATE_RANGE = re.compile(r"^last_(\d{1,3})_days$")


def _date_range(value: str, now: datetime) -> tuple[datetime, datetime]:
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    match = _DATE_RANGE.match(value)
    if match:
        return today - timedelta(days=int(match[1])), now
    ranges = {
        "today": (today, today + timedelta(days=1)),
        "yesterday": (today - timedelta(days=1), today),
        "this_week": (today - timedelta(days=today.weekday()), now),
        "last_week": (today - timedelta(days=today.weekday() + 7), today - timedelta(days=today.weekday())),
        "this_month": (today.replace(day=1), now),
    }
    if value not in ranges:
        raise _bad(f"Unknown filter[date_range] {value}", "filter[date_range]")
    return ranges[value]


def _matches(value: str, op: str | None, wanted: str) -> bool:
    wanted = plus(wanted) or ""
    if op is None:
        return value == wanted
    if op == "starts_with":
        return value.startswith(wanted)
    if op == "ends_with":
        return value.endswith(wanted)
    if op == "contains":
        return wanted in value
    raise _bad(f"Unknown operator {op}", "filter")


_NEAR, _FAR = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _started_in(low: datetime, high: datetime, record: dict[str, Any]) -> bool:
    return low <= _time(record["started_at"], "started_at") < high


def _field_is(name: str, op: str | None, value: str, record: dict[str, Any]) -> bool:
    return _matches(str(record.get(name, "")), op, value)


def search_detail_records(sim: ServedScenario, req: Request) -> Answer:
    record_type: str | None = None
    checks: list[Callable[[dict[str, Any]], bool]] = []
    now = sim.clock()
    for key, value in req.pairs:
        match = _RECORD_FILTER.match(key)
        if key in ("sort", "page[number]", "page[size]"):
            continue
        if not match:
            raise _bad(f"Unknown query parameter {key}", key)
        name, op = match[1], match[2]
        if name == "record_type":
            record_type = value
        elif name == "date_range":
            checks.append(partial(_started_in, *_date_range(value, now)))
        elif name == "created_at":
            bound = _time(value, key)
            if op == "gte":
                checks.append(partial(_started_in, bound, _FAR))
            elif op == "lt":
                checks.append(partial(_started_in, _NEAR, bound))
            else:
                raise _bad(f"Unknown operator {op} for created_at", key)
        else:
            checks.append(partial(_field_is, name, op, value))
    if record_type is None:
        raise _bad("filter[record_type] must be specified", "filter[record_type]")
    records = [detail_record(c) for c in sim.calls if c.start_time <= now] if record_type == "call-control" else []
    records = [r for r in records if all(check(r) for check in checks)]
    order = req.params.get("sort") or "-created_at"
    if order.lstrip("-") not in ("created_at", "started_at"):
        raise _bad(f"Unknown sort {order}", "sort")
    records.sort(key=lambda r: (r["started_at"], r["id"]), reverse=order.startswith("-"))
    chunk, meta = _page(records, req, 50)
    return 200, {"data": chunk, "meta": meta}


Endpoint = Callable[..., Answer]
ROUTES: list[tuple[str, str, Endpoint]] = [
    (r"^/v2/call_events$", "events", list_call_events),
    (r"^/v2/detail_records$", "calls", search_detail_records),
]
