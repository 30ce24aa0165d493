"""The Vonage flavour: a scenario's calls as Vonage's Voice API holds them (GET /v1/calls, GET /v1/calls/{uuid}),
with its paging (page_size 1-100, record_index, order), its filters (status, date_start, date_end,
conversation_uuid: no number filter, as on the real API) and its application JWT (RS256) checked on every request.

Pure functions: `answer(path, params, calls, now=...)` -> `FlavourAnswer(status, body, headers)`; the server plugs
it into its routing table and checks `authorized(...)` first. Shapes follow voice.yml (GetCallsResponse,
GetCallResponse) and the records Vonage's own SDK tests carry: numbers as digits without '+', ISO 8601 times with
milliseconds, `duration`/`rate`/`price`/`network` only on completed calls.

What a call becomes (`vonage_status`): the list record carries only `status` (other-providers.md §3); the reason
(`detail`) is sent in the event webhook. `detail=True` adds it to the records, as a record enriched from the webhooks
would carry it; the default serves what the API serves. A block (603+, 607, 608) is `rejected` (detail `restricted`),
a plain 603 `rejected` (detail `declined`): from the status alone the two look the same, which is the point.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from sipsight.simulator.calls import SimCall
from sipsight.simulator.rest import parse_time
from sipsight.simulator.shapes import MCC_MNC

CALLS_PATH = "/v1/calls"
# voice.yml getCalls `status` enum: the values the filter takes
STATUSES = (
    "started", "ringing", "answered", "machine", "completed", "busy", "cancelled", "failed", "rejected", "timeout",
    "unanswered",
)  # fmt: skip
MAX_PAGE_SIZE = 100
DEMO_APPLICATION_ID = "00000000-0000-4000-8000-" + "0" * 12  # obviously fake
_SKEW_S = 300.0  # a token issued this far in the future is still taken (clocks differ)


class FlavourAnswer(NamedTuple):
    status: int
    body: Any
    headers: dict[str, str]


# --------------------------------------------------------------------------- shapes


def vonage_uuid(sid: str) -> str:
    """The call's UUID, derived from its simulator SID (CA + 32 hex), so a scenario always yields the same UUIDs."""
    digest = sid[2:] if len(sid) == 34 else hashlib.sha256(sid.encode()).hexdigest()[:32]
    return str(uuid.UUID(hex=digest))


def _digits(number: str) -> str:
    return number.lstrip("+")


def _iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def vonage_status(call: SimCall) -> tuple[str, str | None]:
    """(status, detail) Vonage reports for a call. The scenario's status is Twilio's (or SignalWire's, which reports a
    603 as busy); a final SIP code, when the scenario has one, is what Vonage's status and detail follow.

    Groups per the SDKs' detail enums (other-providers.md §3): rejected -> invalid_number, restricted, declined;
    failed -> cannot_route, number_out_of_service, internal_error; unanswered -> unavailable. A refusal by the
    calling platform itself (the scenario's Twilio error code) is a route Vonage would not place: cannot_route."""
    status, sip = call.status, call.sip_code
    live = {"completed": "completed", "in-progress": "answered", "ringing": "ringing", "queued": "started"}
    if status in live:
        return live[status], None
    network_block = (call.sip_reason or "").strip().lower() == "network blocked"
    if sip in (607, 608, 403) or (sip == 603 and network_block):
        return "rejected", "restricted"
    if sip == 603:
        return "rejected", "declined"
    if sip in (486, 600) or status == "busy":
        return "busy", None
    if sip == 487 or status == "canceled":
        return "cancelled", None
    if status == "no-answer":
        phone_off = call.q850_cause == 20 or (sip == 480 and (call.ring_s or 0) < 20)
        return ("unanswered", "unavailable") if phone_off else ("timeout", None)
    if call.error_code:
        return "failed", "cannot_route"
    if sip in (404, 410, 604):
        return "failed", "number_out_of_service"
    if sip in (484, 485):
        return "rejected", "invalid_number"
    if sip == 480:
        return "unanswered", "unavailable"
    if sip == 408:
        return "failed", "carrier_timeout"
    if sip is not None and sip >= 500:
        return "failed", "cannot_route"
    return "failed", None


def vonage_call(call: SimCall, *, detail: bool = False) -> dict[str, Any]:
    """One call as GetCallResponse; `detail` adds the event webhook's sub-state (not part of the list record)."""
    status, why = vonage_status(call)
    call_uuid = vonage_uuid(call.sid)
    data: dict[str, Any] = {
        "_links": {"self": {"href": f"{CALLS_PATH}/{call_uuid}"}},
        "uuid": call_uuid,
        "conversation_uuid": "CON-" + vonage_uuid("conversation:" + call.sid),
        "to": {"type": "phone", "number": _digits(call.to)},
        "from": {"type": "phone", "number": _digits(call.from_)},
        "status": status,
        "direction": "outbound",
        "start_time": _iso_ms(call.start_time),
    }
    if call.end_time is not None:
        data["end_time"] = _iso_ms(call.end_time)
    if status == "completed":
        seconds = call.duration_s or 0
        data["duration"] = str(seconds)
        data["rate"] = "0.01400000"
        data["price"] = f"{0.014 * seconds / 60:.8f}"
        mcc, mnc = MCC_MNC.get(call.carrier or "", ("", ""))
        if mcc:
            data["network"] = mcc + mnc
    if detail and why is not None:
        data["detail"] = why
    return data


def error(status: int, detail: str | None = None, *, retry_after: float | None = None) -> FlavourAnswer:
    """Vonage's error answer (RFC 7807 style: type, title, detail, instance). Vonage documents no rate-limit header;
    a Retry-After is sent only when asked for (the fault's value)."""
    titles = {
        400: ("Bad Request", "The request failed due to validation errors"),
        401: ("Unauthorized", "You did not provide correct credentials."),
        403: ("Forbidden", "Your account does not have permission to perform this action."),
        404: ("Not Found", "The requested resource does not exist, or you do not have access to it."),
        429: ("Too Many Requests", "You have exceeded the rate limit of 15 requests per second."),
        500: ("Internal Server Error", "Something went wrong."),
        503: ("Service Unavailable", "The service is temporarily unavailable."),
    }
    title, default = titles.get(status, ("Error", "The request failed."))
    body = {
        "type": f"https://developer.nexmo.com/api-errors#{title.lower().replace(' ', '-')}",
        "title": title,
        "detail": detail or default,
        "instance": str(uuid.uuid4()),
    }
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="Vonage API"'
    return FlavourAnswer(status, body, headers)


def _bad(name: str, reason: str) -> FlavourAnswer:
    answer = error(400, f"Invalid parameter: {name}")
    answer.body["invalid_parameters"] = [{"name": name, "reason": reason}]
    return answer


# --------------------------------------------------------------------------- endpoints


def list_calls(
    params: Mapping[str, str], calls: Sequence[SimCall], *, now: datetime, detail: bool = False
) -> FlavourAnswer:
    """GET /v1/calls: every call the account made up to `now` (no number filter: the API has none)."""
    status = params.get("status") or None
    if status is not None and status not in STATUSES:
        return _bad("status", f"must be one of {', '.join(STATUSES)}")
    bounds: list[datetime | None] = []
    for name in ("date_start", "date_end"):
        raw = params.get(name)
        parsed = parse_time(raw) if raw else None
        if raw and parsed is None:
            return _bad(name, "must be an ISO 8601 date-time")
        bounds.append(parsed[0] if parsed else None)
    start, end = bounds
    try:
        size = int(params.get("page_size") or 10)
        index = int(params.get("record_index") or 0)
    except ValueError:
        return _bad("page_size", "page_size and record_index must be integers")
    if not 1 <= size <= MAX_PAGE_SIZE or index < 0:
        return _bad("page_size", f"page_size must be 1-{MAX_PAGE_SIZE} and record_index at least 0")
    order = params.get("order") or "asc"
    if order not in ("asc", "desc"):
        return _bad("order", "must be asc or desc")
    conversation = params.get("conversation_uuid") or None
    found = []
    for call in calls:
        if call.start_time > now or (start is not None and call.start_time < start):
            continue
        if end is not None and call.start_time > end:
            continue
        record = vonage_call(call, detail=detail)
        if (status is None or record["status"] == status) and conversation in (None, record["conversation_uuid"]):
            found.append((call.start_time, record["uuid"], record))
    found.sort(key=lambda item: (item[0], item[1]), reverse=order == "desc")
    records = [record for _, _, record in found]
    filters = [(k, v) for k, v in params.items() if k not in ("page_size", "record_index")]

    def link(at: int) -> dict[str, str]:
        return {"href": f"{CALLS_PATH}?{urlencode([*filters, ('page_size', size), ('record_index', at)])}"}

    links = {"self": link(index), "first": link(0), "last": link(max(0, (len(records) - 1) // size * size))}
    if index + size < len(records):
        links["next"] = link(index + size)
    if index > 0:
        links["prev"] = link(max(0, index - size))
    body = {
        "count": len(records),
        "page_size": size,
        "record_index": index,
        "_links": links,
        "_embedded": {"calls": records[index : index + size]},
    }
    return FlavourAnswer(200, body, {})


def fetch_call(call_uuid: str, calls: Sequence[SimCall], *, now: datetime, detail: bool = False) -> FlavourAnswer:
    """GET /v1/calls/{uuid}."""
    for call in calls:
        if call.start_time <= now and vonage_uuid(call.sid) == call_uuid:
            return FlavourAnswer(200, vonage_call(call, detail=detail), {})
    return error(404)


def answer(
    path: str, params: Mapping[str, str], calls: Sequence[SimCall], *, now: datetime, detail: bool = False
) -> FlavourAnswer:
    """A GET to the Voice API: the call list, one call, or Vonage's 404."""
    path = path.rstrip("/")
    if path == CALLS_PATH:
        return list_calls(params, calls, now=now, detail=detail)
    if path.startswith(CALLS_PATH + "/") and path.count("/") == 3:
        return fetch_call(path.rsplit("/", 1)[1], calls, now=now, detail=detail)
    return error(404)


# --------------------------------------------------------------------------- the application and its JWT


@dataclass(frozen=True)
class DemoApplication:
    """A Vonage application for the demo: its id, the private key a profile would hold (PEM) and the public key the
    simulator checks signatures with. Generated at first use, never stored: no key is ever committed."""

    application_id: str
    private_key_pem: str
    public_key: rsa.RSAPublicKey


@cache
def demo_application() -> DemoApplication:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    return DemoApplication(DEMO_APPLICATION_ID, pem, key.public_key())


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def jwt_claims(authorization: str | None, app: DemoApplication) -> dict[str, Any] | None:
    """The claims of a Bearer JWT signed (RS256) with the application's key; None when it is not one."""
    if not authorization or not authorization.startswith("Bearer "):
        return None
    parts = authorization[7:].strip().split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64(parts[0]))
        claims = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
        app.public_key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, binascii.Error, UnicodeError, InvalidSignature):
        return None
    if not isinstance(header, dict) or header.get("alg") != "RS256" or not isinstance(claims, dict):
        return None
    return claims


def authorized(authorization: str | None, app: DemoApplication, now: float | None = None) -> bool:
    """What Vonage checks: a valid signature, this application, not expired, not issued in the future. `now` is wall
    time (epoch seconds; the scenario's clock may be set elsewhere), `time.time()` by default."""
    claims = jwt_claims(authorization, app)
    if claims is None or claims.get("application_id") != app.application_id or not claims.get("jti"):
        return False
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int):
        return False
    stamp = time.time() if now is None else now
    return iat <= stamp + _SKEW_S and stamp < exp
