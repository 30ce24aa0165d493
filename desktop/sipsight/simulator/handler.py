"""The simulator's HTTP side: one handler per request (Basic auth, the fault to inject, the answer on the wire, a
TCP reset), the request log, and a server that stays quiet when a client hangs up mid-answer."""

from __future__ import annotations

import base64
import binascii
import logging
import re
import socket
import struct
import sys
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sipsight.simulator import flavoured, shapes
from sipsight.simulator.api_insights import INSIGHTS_OFF
from sipsight.simulator.faults import Fault
from sipsight.simulator.rest import Answer, HttpError, Request, dumps, http_error

if TYPE_CHECKING:  # the server hands itself to the handler class it builds
    from sipsight.simulator.server import Endpoint, Simulator

log = logging.getLogger("sipsight.simulator")
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")  # host[:port], nothing else


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: list[tuple[str, str]]
    status: int
    auth_user: str | None
    scope: str = "all"


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (read timeout, an error on a sibling request, test done) closes mid-answer:
        # a broken pipe or a reset is expected, not a traceback on the user's terminal.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            log.debug("client %s:%s went away mid-answer: %s", *client_address[:2], type(exc).__name__)
            return
        super().handle_error(request, client_address)


class QuietHandler(BaseHTTPRequestHandler):
    """What every simulator's handler shares: keep-alive HTTP/1.1, one segment per answer, no stderr log."""

    protocol_version = "HTTP/1.1"
    # headers and body leave in one segment: otherwise Nagle + delayed ACK add ~40 ms to every keep-alive request
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are kept in the simulator's request log; stderr stays clean


class Handler(QuietHandler):
    sim: Simulator
    server_version = "SIPSightSimulator/1.0"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _credentials(self) -> tuple[str | None, str | None]:
        header = self.headers.get("Authorization") or ""
        if not header.lower().startswith("basic "):
            return None, None
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        return user, password

    def _serve(self) -> None:
        sim = self.sim
        split = urlsplit(self.path)
        path = unquote(split.path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        user, password = self._credentials()
        scope, endpoint, args = sim.route(path)
        sim.sleep(sim.latency_ms / 1000)
        fault = sim.faults.take(scope)
        if fault is not None and fault.kind == "reset":
            sim.requests.append(LoggedRequest(self.command, path, pairs, 0, user, scope))
            self._reset()
            return
        if fault is not None and fault.kind == "slow":
            sim.sleep(fault.value or 30)
        headers: dict[str, str] = {}
        if sim.provider in flavoured.PROVIDERS:  # another provider's API: its flavour answers, in its own words
            status, body, headers = flavoured.answer(
                sim, self.command, path, pairs, {k.title(): v for k, v in self.headers.items()}, fault, self._origin()
            )
            sim.requests.append(LoggedRequest(self.command, path, pairs, status, user, scope))
            self._send(status, body, headers=headers, fault=fault if status < 400 else None)
            return
        try:
            status, body = self._answer(path, pairs, user, password, scope, endpoint, args, fault)
        except HttpError as err:
            status, body, headers = err.status, shapes.error_body(err.code, err.message, err.status), err.headers
        except Exception as exc:  # a simulator bug must still answer like a server, not kill the thread
            status, body = 500, shapes.error_body(20500, f"Simulator error: {type(exc).__name__}: {exc}", 500)
        # logged before the answer leaves, so a client that got its response always finds the log entry
        sim.requests.append(LoggedRequest(self.command, path, pairs, status, user, scope))
        self._send(status, body, headers=headers, fault=fault if status < 400 else None)

    def _answer(
        self,
        path: str,
        pairs: list[tuple[str, str]],
        user: str | None,
        password: str | None,
        scope: str,
        endpoint: Endpoint | None,
        args: tuple[str, ...],
        fault: Fault | None,
    ) -> Answer:
        if fault is not None and fault.kind.isdigit():
            raise self._fault_error(fault, scope)
        if not self.sim.authorized(user, password):
            raise HttpError(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})
        if self.command != "GET":
            raise HttpError(405, 20004, f"Method {self.command} not allowed: the simulator is read-only")
        if endpoint is None:
            raise http_error(404, f"The requested resource {path} was not found")
        req = Request(dict(pairs), pairs, empty=fault is not None and fault.kind == "empty", base_url=self._origin())
        return endpoint(self.sim, req, *(unquote(a) for a in args))

    def _origin(self) -> str:
        """The origin the client asked for (its Host header), so absolute links lead back the way it came."""
        host = (self.headers.get("Host") or "").strip()
        if not _HOST.match(host):
            return self.sim.base_url
        return f"http://{host}"

    def _fault_error(self, fault: Fault, scope: str) -> HttpError:
        status = int(fault.kind)
        headers: dict[str, str] = {}
        if status in (429, 503) and fault.value is not None:
            headers["Retry-After"] = str(int(fault.value)) if float(fault.value).is_integer() else f"{fault.value:g}"
        if status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
        message = INSIGHTS_OFF if status == 403 and scope == "insights" else None
        return http_error(status, message, headers)

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, fault: Fault | None = None) -> None:
        data = dumps(body).encode("utf-8")
        if fault is not None and fault.kind == "truncated":
            data = data[: max(1, len(data) // 2)]
        elif fault is not None and fault.kind == "malformed":
            data = repr(body).encode("utf-8")  # single quotes, None, True: not JSON
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Twilio-Concurrent-Requests", "1")
        if self.close_connection:
            # The client asked to close (Connection: close, or HTTP/1.0): say so, or a keep-alive client (Node's
            # agent, the Twilio CLI) puts the socket back in its pool and its next request dies on it
            self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        # SO_LINGER 0 makes the close send a TCP RST: the client sees "connection reset by peer"
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
