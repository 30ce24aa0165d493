"""The Plivo flavour of the simulator: a scenario's calls (calls.SimCall) as Plivo's Voice API holds them, the call list
a lookup reads with Plivo's filters, paging and query-window limits, the account a connection check reads, HTTP Basic
auth with the Auth ID and Auth Token, and Plivo's error body. Plivo publishes no OpenAPI spec: the shapes follow its
documentation (the Call object's documented fields, the list's `{api_id, meta, objects}` envelope).

- `GET /v1/Account/{auth_id}/`: the account (name, type, the console's time zone ...).
- `GET /v1/Account/{auth_id}/Call/`: completed calls, newest first. Filters `to_number`, `from_number` (the number,
  with or without its '+', or a prefix of it), `call_direction`, `parent_call_uuid`, `hangup_cause_code`,
  `hangup_source`, `stir_verification`, `bill_duration[__gt|__gte|__lt|__lte]`, `end_time[__gt|__gte|__lt|__lte]`
  (`YYYY-MM-DD HH:MM[:ss[.uuuuuu]]`, UTC). Without an end_time filter the last 7 days; a range over 30 days is an HTTP
  400; nothing older than 90 days. `limit` 1-20, `offset`.
- `GET /v1/Account/{auth_id}/Call/{call_uuid}/`: one call.
Times are written in the console's time zone with their offset (the demo account's zone: America/Denver), numbers
without their '+'.

How a scenario call becomes a Plivo hangup cause (`hangup_of`): only causes in the documented table are served
(completed: 4000 Normal Hangup; canceled: 1000 Canceled; a platform refusal such as Twilio's 21215: 2030 Destination
Country Barred; 404/410/484/604: 2000 Invalid Destination Address; an unanswered call that never rang: 2010
Destination Out Of Service). Plivo's causes for a busy line, a ring-out, a rejected or blocked call and a carrier
failure are in the part of the table the notes we hold could not read (other-providers.md §2): those calls are served
as 0 Unknown, with their times and who hung up, so a lookup shows what SIPSight does with a cause it cannot read.

The module is what the simulator's routing table plugs in for `provider="plivo"`: ROUTES (path pattern, fault scope,
endpoint(sim, request, *path params) -> (status, body)), `authorized(headers)`, `error_body(status, message)`,
`fault_headers(status, value)` and `DEMO_CREDENTIALS`.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sipsight.simulator.calls import SimCall
from sipsight.simulator.rest import Answer, HttpError, Request
from sipsight.simulator.served import ServedScenario

NAME = "plivo"
# Obviously fake, built by expression (never a credential-shaped literal in the source)
DEMO_CREDENTIALS = {"auth_id": "MA" + "DEMO" + "0" * 14, "auth_token": "demo" + "0" * 36}
CONSOLE_ZONE = "America/Denver"
DEFAULT_WINDOW = timedelta(days=7)
MAX_SPAN = timedelta(days=30)
RETENTION = timedelta(days=90)
RING_OUT_S = 20.0

# (hangup_cause_code, hangup_cause_name) of the documented table (plivo.com/docs/voice/troubleshooting/hangup-causes)
NORMAL = (4000, "Normal Hangup")
CANCELED = (1000, "Canceled")
COUNTRY_BARRED = (2030, "Destination Country Barred")
INVALID = (2000, "Invalid Destination Address")
OUT_OF_SERVICE = (2010, "Destination Out Of Service")
UNKNOWN = (0, "Unknown")
PLATFORM_REFUSALS = {"21215", "13227", "21216"}  # Twilio's geo-permission and blocked-call codes in the scenarios


def call_uuid(call: SimCall) -> str:
    return str(uuid.UUID(hex=call.sid[2:34]))


def _local(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(CONSOLE_ZONE)).isoformat(sep=" ", timespec="seconds")


def hangup_of(call: SimCall) -> tuple[int, str, str]:
    """(hangup_cause_code, hangup_cause_name, hangup_source) as Plivo's documented table has the scenario call."""
    sip = call.sip_code
    if call.status == "completed":
        code, name = NORMAL
        return code, name, "Caller" if call.disconnected_by == "caller" else "Call recipient"
    if call.status == "canceled" or sip == 487:
        return *CANCELED, "API Request"
    if call.error_code in PLATFORM_REFUSALS:
        return *COUNTRY_BARRED, "Plivo"
    if sip in (404, 410, 484, 604):
        return *INVALID, "Carrier"
    if call.status in ("no-answer", "failed") and sip in (408, 480) and (call.ring_s or 0.0) < RING_OUT_S:
        return *OUT_OF_SERVICE, "Carrier"
    return *UNKNOWN, "Unknown"


def call_object(call: SimCall, auth_id: str) -> dict[str, Any]:
    """The Call object as the Voice API's call list returns it (the documented fields)."""
    answered = call.status == "completed"
    answer = call.start_time + timedelta(seconds=call.ring_s or 0.0) if answered else None
    talk = int(call.duration_s or 0) if answered else 0
    code, name, source = hangup_of(call)
    end = call.end_time or call.start_time
    uid = call_uuid(call)
    return {
        "answer_time": _local(answer),
        "bill_duration": talk,
        "billed_duration": -(-talk // 60) * 60,
        "call_direction": "outbound",
        "call_duration": talk,
        "call_uuid": uid,
        "end_time": _local(end),
        "from_number": call.from_.lstrip("+"),
        "hangup_cause_code": code,
        "hangup_cause_name": name,
        "hangup_source": source,
        "initiation_time": _local(call.start_time),
        "parent_call_uuid": None,
        "resource_uri": f"/v1/Account/{auth_id}/Call/{uid}/",
        "source_ip": None,
        "stir_verification": "Verified",
        "to_number": call.to.lstrip("+"),
        "total_amount": f"{0.0085 * -(-talk // 60):.5f}",
        "total_rate": "0.00850",
    }


# --------------------------------------------------------------------------- the requests


def authorized(headers: Mapping[str, str]) -> bool:
    """HTTP Basic with the demo Auth ID and Auth Token."""
    value = (headers.get("Authorization") or headers.get("authorization") or "").strip()
    if not value.lower().startswith("basic "):
        return False
    try:
        user, _, password = base64.b64decode(value[6:].strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return (user, password) == (DEMO_CREDENTIALS["auth_id"], DEMO_CREDENTIALS["auth_token"])


_MESSAGES = {
    400: "invalid request",
    401: "authentication failed",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    429: "too many requests",
    500: "internal server error",
    503: "service unavailable",
}


def error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """Plivo's error body: `{"api_id": ..., "error": ...}`."""
    return {"api_id": str(uuid.uuid4()), "error": message or _MESSAGES.get(status, "error")}


def fault_headers(status: int, value: float | None) -> dict[str, str]:
    """What an injected fault's answer carries: Retry-After on a 429 (one second unless given) or a given 503."""
    if status == 429 or (status == 503 and value is not None):
        return {"Retry-After": f"{value if value is not None else 1.0:g}"}
    if status == 401:
        return {"WWW-Authenticate": 'Basic realm="Plivo API"'}
    return {}


def _bad(message: str) -> HttpError:
    return HttpError(400, 400, message)


def _check_account(auth_id: str) -> None:
    if auth_id != DEMO_CREDENTIALS["auth_id"]:
        raise HttpError(404, 404, "not found")


def account(sim: ServedScenario, req: Request, auth_id: str) -> Answer:
    _check_account(auth_id)
    return 200, {
        "account_type": "standard",
        "address": "",
        "api_id": str(uuid.uuid4()),
        "auth_id": auth_id,
        "auto_recharge": False,
        "billing_mode": "prepaid",
        "cash_credits": "25.00000",
        "city": "Denver",
        "name": "SIPSight demo account",
        "resource_uri": f"/v1/Account/{auth_id}/",
        "state": "CO",
        "timezone": CONSOLE_ZONE,
    }


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "": lambda a, b: a == b,
    "__gt": lambda a, b: a > b,
    "__gte": lambda a, b: a >= b,
    "__lt": lambda a, b: a < b,
    "__lte": lambda a, b: a <= b,
}
_FILTERS = ("to_number", "from_number", "call_direction", "subaccount", "parent_call_uuid", "hangup_cause_code",
            "hangup_source", "stir_verification")  # fmt: skip


def _utc(value: str, name: str) -> datetime:
    if not _TIME.match(value.strip()):
        raise _bad(f"{name} must be in the format YYYY-MM-DD HH:MM[:ss[.uuuuuu]]")
    return datetime.fromisoformat(value.strip()).replace(tzinfo=UTC)


def _number(value: str) -> str:
    return value.strip().lstrip("+")


def _compare(name: str, op: str, bound: int, obj: dict[str, Any]) -> bool:
    return bool(_OPS[op](obj[name], bound))


def _number_is(name: str, wanted: str, obj: dict[str, Any]) -> bool:
    """Plivo matches the number or a prefix of it."""
    return str(obj[name]).startswith(wanted)


def _text_is(name: str, wanted: str, obj: dict[str, Any]) -> bool:
    return str(obj.get(name) if obj.get(name) is not None else "").lower() == wanted.strip().lower()


def list_calls(sim: ServedScenario, req: Request, auth_id: str) -> Answer:
    _check_account(auth_id)
    now = sim.clock()
    checks: list[Callable[[dict[str, Any]], bool]] = []
    ends: list[tuple[str, datetime]] = []
    limit, offset = 20, 0
    for key, value in req.pairs:
        base, _, op = key.partition("__")
        op = f"__{op}" if op else ""
        if key == "limit":
            limit = _int(value, key)
            if not 1 <= limit <= 20:
                raise _bad("limit must be between 1 and 20")
        elif key == "offset":
            offset = _int(value, key)
            if offset < 0:
                raise _bad("offset must not be negative")
        elif base == "end_time" and op in _OPS:
            ends.append((op, _utc(value, key)))
        elif base == "bill_duration" and op in _OPS:
            bound = _int(value, key)
            checks.append(partial(_compare, "bill_duration", op, bound))
        elif key in ("to_number", "from_number"):
            checks.append(partial(_number_is, key, _number(value)))
        elif key in _FILTERS:
            checks.append(partial(_text_is, key, value))
        else:
            raise _bad(f"unknown parameter {key}")
    lows = [t for op, t in ends if op in ("", "__gt", "__gte")]
    highs = [t for op, t in ends if op in ("", "__lt", "__lte")]
    low = max(lows) if lows else (min(highs) - DEFAULT_WINDOW if highs else now - DEFAULT_WINDOW)
    high = min(highs) if highs else now
    if high - low > MAX_SPAN:
        raise _bad("the end_time range can span at most 30 days")
    low = max(low, now - RETENTION)
    items = []
    for call in sim.calls:  # newest first
        end = call.end_time or call.start_time
        if call.end_time is None or end > now or not low <= end <= high:
            continue  # completed calls only: a call still going has no record yet
        if not all(_OPS[op](end, t) for op, t in ends):
            continue
        obj = call_object(call, auth_id)
        if all(check(obj) for check in checks):
            items.append(obj)
    if req.empty:
        items = []
    chunk = items[offset : offset + limit]
    path = f"/v1/Account/{auth_id}/Call/"
    filters = [(k, v) for k, v in req.pairs if k not in ("limit", "offset")]

    def link(at: int) -> str:
        return f"{path}?{urlencode([*filters, ('limit', str(limit)), ('offset', str(at))])}"

    meta = {
        "limit": limit,
        "next": link(offset + limit) if offset + limit < len(items) else None,
        "offset": offset,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "total_count": len(items),
    }
    return 200, {"api_id": str(uuid.uuid4()), "meta": meta, "objects": chunk}


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise _bad(f"{name} must be an integer") from None


def get_call(sim: ServedScenario, req: Request, auth_id: str, uid: str) -> Answer:
    _check_account(auth_id)
    for call in sim.calls:
        if call_uuid(call) == uid and call.end_time is not None and call.end_time <= sim.clock():
            return 200, {"api_id": str(uuid.uuid4()), **call_object(call, auth_id)}
    raise HttpError(404, 404, "call not found")


Endpoint = Callable[..., Answer]
ROUTES: list[tuple[str, str, Endpoint]] = [
    (r"^/v1/Account/([^/]+)/?$", "accounts", account),
    (r"^/v1/Account/([^/]+)/Call/?$", "calls", list_calls),
    (r"^/v1/Account/([^/]+)/Call/([^/]+)/?$", "calls", get_call),
]
