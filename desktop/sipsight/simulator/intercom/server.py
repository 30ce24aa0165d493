"""The demo Intercom API: its own small HTTP server on 127.0.0.1 beside the telephony simulator, serving the
conversations and contacts of every scenario (workspace.py) in the official shapes (shapes.py), with Intercom's
bearer token, Accept and Intercom-Version checks, X-RateLimit-* headers, and the telephony simulator's fault grammar
(KIND[=SECONDS][:COUNT][@SCOPE], simulator/faults.py) with Intercom's scopes. Notes it receives are kept, sanitised
as Intercom does (sanitise.py), and served back on the next fetch.

Endpoints ([SPEC] operationIds): GET /me, GET /conversations/{id}, POST /conversations/{id}/reply,
GET /contacts/{id} (410 Gone + Link for a merged contact), GET /contacts/{id}/companies."""

from __future__ import annotations

import json
import re
import socket
import struct
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sipsight.core.errors import InputError
from sipsight.simulator.faults import KINDS, Fault, FaultPlan
from sipsight.simulator.handler import QuietHandler
from sipsight.simulator.intercom import shapes
from sipsight.simulator.intercom.sanitise import sanitise
from sipsight.simulator.intercom.workspace import DEMO_ADMIN, TEAMMATES, Workspace
from sipsight.simulator.loopback import LoopbackServer

DEMO_TOKEN = "demo-intercom-" + "0" * 24  # obviously fake, built by expression
SCOPES = ("all", "me", "conversations", "reply", "contacts", "companies")
VERSIONS = frozenset({"1.0", "1.1", "1.2", "1.3", "1.4", *(f"2.{n}" for n in range(17))})  # [SPEC] intercom_version
RATE_LIMIT = 167  # per 10-second window, as Intercom's own example (reference §5)
MAX_BODY = 1024 * 1024
# the telephony simulator's fault grammar (simulator/faults.py), copied: its scopes are Twilio's
_FAULT = re.compile(r"^(?P<kind>[a-z0-9]+)(?:=(?P<value>\d+(?:\.\d+)?))?(?::(?P<count>\d+))?(?:@(?P<scope>[a-z+]+))?$")
_DEFAULT_VALUE = {"429": 1.0, "slow": 30.0}
_SCOPE_NEEDED = {"conversations": "read_conversations", "reply": "write_conversations", "me": "read_admins",
                 "contacts": "read_users_companies", "companies": "read_users_companies", "all": "read_conversations"}


class IntercomError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


@dataclass(frozen=True)
class LoggedIntercomRequest:
    method: str
    path: str
    query: list[tuple[str, str]]
    status: int
    headers: dict[str, str]  # Accept, Intercom-Version, Content-Type, and whether the token was the demo's
    body: Any = None  # the JSON a POST sent
    scope: str = "all"


def parse_faults(spec: str | None) -> FaultPlan:
    """The telephony simulator's fault grammar with Intercom's scopes (me, conversations, reply, contacts,
    companies); a mistake is an InputError that shows the grammar."""
    faults: list[Fault] = []
    for text in (p.strip().lower() for p in (spec or "").split(",")):
        if not text:
            continue
        match = _FAULT.match(text)
        if not match or match["kind"] not in KINDS:
            raise InputError(f"Unknown fault '{text}'.", f"Use KIND[=SECONDS][:COUNT][@SCOPE], KIND one of "
                             f"{', '.join(KINDS)}; SCOPE one of {', '.join(SCOPES)} (e.g. 429:2, 503@reply).")
        scopes = tuple(match["scope"].split("+")) if match["scope"] else ("all",)
        bad = [s for s in scopes if s not in SCOPES]
        if bad:
            raise InputError(f"Unknown fault scope '{bad[0]}' in '{text}'.", f"Scopes: {', '.join(SCOPES)}.")
        value = float(match["value"]) if match["value"] else _DEFAULT_VALUE.get(match["kind"])
        faults.append(Fault(match["kind"], value, int(match["count"]) if match["count"] else None, scopes))
    return FaultPlan(faults)


Route = tuple[str, str, str]  # (method, path regex, scope)
_ROUTES: list[tuple[str, str, str, str]] = [
    ("GET", r"^/me$", "me", "me"),
    ("GET", r"^/conversations/([^/]+)$", "conversations", "conversation"),
    ("POST", r"^/conversations/([^/]+)/reply$", "reply", "reply"),
    ("GET", r"^/contacts/([^/]+)$", "contacts", "contact"),
    ("GET", r"^/contacts/([^/]+)/companies$", "companies", "companies"),
]


class IntercomSimulator(LoopbackServer):
    """A running demo Intercom workspace. `notes`: every note posted (conversation id, the part, the request)."""

    thread_name = "sipsight-intercom-simulator"
    port_hint = "Pick another port, or 0 for any free port."

    def __init__(self, *, now: datetime | None = None, fault: str | None = None, latency_ms: int = 0, port: int = 0,
                 include_user: bool = True) -> None:
        self.workspace = Workspace.load(now, include_user=include_user)
        self.faults = parse_faults(fault)
        self.latency_ms = max(0, int(latency_ms))
        super().__init__(port)
        self.token = DEMO_TOKEN
        self.requests: deque[LoggedIntercomRequest] = deque(maxlen=5_000)

    @property
    def notes(self) -> list[Any]:
        return list(self.workspace.received)

    def link(self, scenario: str = "origin-ticket") -> str:
        """The inbox link of a scenario's conversation, as the Intercom inbox shows it."""
        cid = next((c for c, s in self.workspace.scenario_of.items() if s == scenario), None)
        if cid is None:
            raise InputError(f"No demo conversation for scenario '{scenario}'.", "See 'sipsight simulate --list'.")
        ws = self.workspace.conversations[cid].workspace
        return f"https://app.intercom.com/a/inbox/{ws}/inbox/shared/all/conversation/{cid}?view=List"

    def handler(self) -> type[_Handler]:
        return type("IntercomHandler", (_Handler,), {"sim": self})

    @staticmethod
    def route(method: str, path: str) -> tuple[str, str | None, tuple[str, ...]]:
        """(fault scope, endpoint name, path parameters); endpoint None: no such path (404), or wrong method."""
        for verb, pattern, scope, name in _ROUTES:
            match = re.match(pattern, path)
            if match and verb == method:
                return scope, name, match.groups()
            if match:
                return scope, None, ()
        return "all", None, ()


@dataclass
class _Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(QuietHandler):
    sim: IntercomSimulator
    server_version = "SIPSightIntercomSimulator/1.0"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, MAX_BODY)) if length > 0 else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise IntercomError(400, "parameter_invalid", "The request body is not valid JSON.") from None

    def _serve(self) -> None:
        sim = self.sim
        split = urlsplit(self.path)
        path = unquote(split.path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        seen = {k: v for k in ("Accept", "Intercom-Version", "Content-Type") if (v := self.headers.get(k)) is not None}
        seen["token"] = "demo" if self._token() == sim.token else "other"
        scope, endpoint, args = sim.route(self.command, path)
        sim.sleep(sim.latency_ms / 1000)
        body: Any = None
        headers: dict[str, str] = {}
        try:
            body = self._body()
            fault = sim.faults.take(scope)
            if fault is not None and fault.kind == "reset":
                sim.requests.append(LoggedIntercomRequest(self.command, path, pairs, 0, seen, body, scope))
                self._reset()
                return
            if fault is not None and fault.kind == "slow":
                sim.sleep(fault.value or 30)
            request = _Request(self.command, path, dict(pairs), body, seen)
            status, answer = self._answer(request, scope, endpoint, args, fault)
            headers = self._rate_headers(remaining=RATE_LIMIT - 1)
        except IntercomError as err:
            fault = None
            status, answer, headers = err.status, shapes.error_list(err.code, err.message), err.headers
        except Exception as exc:  # a simulator bug still answers like a server
            fault = None
            status, answer = 500, shapes.error_list("server_error", f"Simulator error: {type(exc).__name__}")
        sim.requests.append(LoggedIntercomRequest(self.command, path, pairs, status, seen, body, scope))
        self._send(status, answer, headers, fault if status < 400 else None)

    def _token(self) -> str | None:
        header = self.headers.get("Authorization") or ""
        return header[7:].strip() if header.lower().startswith("bearer ") else None

    @staticmethod
    def _rate_headers(remaining: int, reset_in: float = 10.0) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(RATE_LIMIT), "X-RateLimit-Remaining": str(max(0, remaining)),
                "X-RateLimit-Reset": str(int(time.time() + reset_in))}

    def _fault_error(self, fault: Fault, scope: str) -> IntercomError:
        status = int(fault.kind)
        if status == 401:
            return IntercomError(401, "unauthorized", "Access Token Invalid")
        if status == 403:
            needed = _SCOPE_NEEDED.get(scope, "read_conversations")
            return IntercomError(403, "forbidden", f"You do not have the required scope ({needed}) to access this "
                                 "resource")
        if status == 404:
            return IntercomError(404, "not_found", "Resource Not Found")
        if status == 429:
            wait = fault.value if fault.value is not None else 1.0
            return IntercomError(429, "rate_limit_exceeded", f"Exceeded rate limit of {RATE_LIMIT} in 10_seconds",
                                 self._rate_headers(0, wait))
        headers = {"Retry-After": f"{fault.value:g}"} if status == 503 and fault.value is not None else {}
        return IntercomError(status, "server_error" if status == 500 else "service_unavailable",
                             "Internal Server Error" if status == 500 else "Service Unavailable", headers)

    def _answer(self, request: _Request, scope: str, endpoint: str | None, args: tuple[str, ...],
                fault: Fault | None) -> tuple[int, Any]:
        if fault is not None and fault.kind.isdigit():
            raise self._fault_error(fault, scope)
        if self._token() != self.sim.token:
            raise IntercomError(401, "unauthorized", "Access Token Invalid")
        accept = (self.headers.get("Accept") or "*/*").lower()
        if "application/json" not in accept and "*/*" not in accept:
            raise IntercomError(406, "not_acceptable", "The Accept header must allow application/json")
        version = self.headers.get("Intercom-Version")
        if version is not None and version.strip() not in VERSIONS:
            raise IntercomError(400, "intercom_version_invalid", f"Requested version {version!r} is not valid")
        if endpoint is None:
            raise IntercomError(404, "not_found", "Resource Not Found")
        if fault is not None and fault.kind == "empty":
            return 200, None
        handler: Callable[..., tuple[int, Any]] = getattr(self, f"_ep_{endpoint}")
        return handler(request, *args)

    # ------------------------------------------------------------------ endpoints

    def _ep_me(self, request: _Request) -> tuple[int, Any]:
        return 200, shapes.admin_with_app(self.sim.workspace)

    def _conversation_file(self, conversation_id: str) -> Any:
        data = self.sim.workspace.conversations.get(conversation_id)
        if data is None:
            raise IntercomError(404, "not_found", "Resource Not Found")
        return data

    def _ep_conversation(self, request: _Request, conversation_id: str) -> tuple[int, Any]:
        plaintext = request.query.get("display_as") == "plaintext"
        data = self._conversation_file(conversation_id)
        return 200, shapes.conversation(self.sim.workspace, data, plaintext=plaintext)

    def _ep_reply(self, request: _Request, conversation_id: str) -> tuple[int, Any]:
        data = self._conversation_file(conversation_id)
        body = request.body
        if not isinstance(body, dict):
            raise IntercomError(400, "parameter_not_found", "Body is required")
        kind, message_type = body.get("type"), body.get("message_type")
        if kind != "admin":
            raise IntercomError(400, "parameter_invalid", "The demo inbox takes admin replies only")
        if message_type not in ("comment", "note", "quick_reply"):
            raise IntercomError(400, "parameter_invalid", "message_type must be comment, note or quick_reply")
        admin_id = str(body.get("admin_id") or "")
        admins = {DEMO_ADMIN["id"]: DEMO_ADMIN["name"], **{v: k for k, v in TEAMMATES.items()}}
        if admin_id not in admins:
            raise IntercomError(404, "admin_not_found", "Admin not found")
        text = body.get("body")
        if not isinstance(text, str) or not text.strip():
            raise IntercomError(400, "parameter_invalid", "Body must be present for comment and note message types")
        author = {"type": "admin", "id": admin_id, "name": admins[admin_id], "email": DEMO_ADMIN["email"]}
        part = shapes.note_part(self.sim.workspace, sanitise(text), author, message_type)
        self.sim.workspace.receive(conversation_id, part, body)
        return 200, shapes.conversation(self.sim.workspace, data)

    def _contact_file(self, contact_id: str) -> Any:
        data, canonical = self.sim.workspace.contact(contact_id)
        if data is None:
            raise IntercomError(404, "not_found", "User Not Found")
        if canonical is not None:
            raise IntercomError(410, "contact_merged", "This contact has been merged. See the 'Link' header for the "
                                "canonical contact.", {"Link": f'</contacts/{canonical}>; rel="canonical"'})
        return data

    def _ep_contact(self, request: _Request, contact_id: str) -> tuple[int, Any]:
        return 200, shapes.contact(self.sim.workspace, self._contact_file(contact_id))

    def _ep_companies(self, request: _Request, contact_id: str) -> tuple[int, Any]:
        return 200, shapes.companies(self.sim.workspace, self._contact_file(contact_id))

    # ------------------------------------------------------------------ the wire

    def _send(self, status: int, body: Any, headers: dict[str, str], fault: Fault | None) -> None:
        data = b"" if body is None else json.dumps(body).encode("utf-8")
        if fault is not None and fault.kind == "truncated":
            data = data[: max(1, len(data) // 2)]
        elif fault is not None and fault.kind == "malformed":
            data = repr(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        # SO_LINGER 0: the close sends a TCP RST, the client sees "connection reset by peer"
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
