"""The embedded provider: a Twilio- (or SignalWire-) compatible HTTP server on 127.0.0.1.

It serves a materialized scenario through the official REST shapes (API v2010 Calls, Notifications,
Accounts; Voice Insights v1 Summaries; Lookup v2; Monitor v1 Alerts) from one origin, so the
providers' base_url override sends every Twilio host there. It checks Basic auth like Twilio and
injects faults on demand (see faults.py). The demo provider and every integration test use it.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from sipsight.core.errors import InputError
from sipsight.core.phone import is_e164
from sipsight.core.scenarios import Scenario, resolve
from sipsight.simulator import shapes
from sipsight.simulator.calls import SimCall, materialize
from sipsight.simulator.faults import Fault, FaultPlan

log = logging.getLogger("sipsight.simulator")

INSIGHTS_OFF = "Voice Insights Advanced Features must be active to use this API Resource"
_LAML = f"/api/laml/{shapes.API_VERSION}"


def demo_credentials(provider: str) -> dict[str, str]:
    """Obviously fake demo credentials, built by expression (never a literal SID in the source)."""
    if provider == "signalwire":
        project = "00000000-0000-4000-8000-" + "0" * 12
        return {
            "account_sid": project,
            "auth_token": "PT" + "demo" * 10,
            "api_key_sid": project,
            "api_key_secret": "PT" + "demo" * 10,
        }
    return {
        "account_sid": "AC" + "0" * 32,
        "auth_token": "demo" + "0" * 28,
        "api_key_sid": "SK" + "0" * 32,
        "api_key_secret": "demo" + "1" * 28,
    }


SUBACCOUNT_SID = "AC" + "0" * 31 + "1"


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: list[tuple[str, str]]
    status: int
    auth_user: str | None
    scope: str = "all"


class _HttpError(Exception):
    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


_ERRORS = {
    401: (20003, "Authenticate"),
    403: (20403, "Forbidden"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


def _http_error(status: int, message: str | None = None, headers: dict[str, str] | None = None) -> _HttpError:
    code, default = _ERRORS[status]
    return _HttpError(status, code, message or default, headers)


# --------------------------------------------------------------------------- time filters

_RELATIVE = re.compile(r"^(\d+)([mhdw])$")


def _parse_time(value: str) -> tuple[datetime, bool] | None:
    """(instant, date_only) for the forms Twilio accepts: YYYY-MM-DD, ISO 8601, RFC 2822."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.fromisoformat(text).replace(tzinfo=UTC), True
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return (parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)), False


def _time_filter(
    params: dict[str, str], name: str, value_of: Callable[[SimCall], datetime | None]
) -> Callable[[SimCall], bool]:
    """Twilio's `Name`, `Name<` and `Name>` filters on start_time or end_time."""
    checks: list[Callable[[datetime], bool]] = []
    for suffix in ("", "<", ">"):
        raw = params.get(name + suffix)
        if raw is None or raw == "":
            continue
        parsed = _parse_time(raw)
        if parsed is None:
            raise _HttpError(400, 20001, f"Invalid value '{raw}' for {name}{suffix}: use YYYY-MM-DD or ISO 8601")
        instant, _date_only = parsed
        if suffix == "":
            day = instant.date()
            checks.append(lambda t, day=day: t.date() == day)
        elif suffix == ">":  # on or after
            checks.append(lambda t, i=instant: t >= i)
        else:  # "on or before": a date means its midnight
            checks.append(lambda t, i=instant: t <= i)

    def keep(call: SimCall) -> bool:
        value = value_of(call)
        if not checks:
            return True
        return value is not None and all(check(value) for check in checks)

    return keep


def _plus(value: str | None) -> str | None:
    # An unencoded '+' arrives as a space; Twilio numbers always start with '+'.
    if value and value.startswith(" ") and value[1:].strip().isdigit():
        return "+" + value[1:].strip()
    return value


def _number_filter(params: dict[str, str]) -> Callable[[SimCall], bool]:
    """Twilio's `To` and `From` filters (exact E.164 match), shared by Calls and Voice Insights."""
    to, from_ = _plus(params.get("To")), _plus(params.get("From"))
    return lambda c: (not to or c.to == to) and (not from_ or c.from_ == from_)


@dataclass(frozen=True)
class _Request:
    """What every endpoint reads of a request: the query (as a dict and as received) and the `empty` fault."""

    params: dict[str, str]
    pairs: list[tuple[str, str]]
    empty: bool = False  # list endpoints answer an empty page


# --------------------------------------------------------------------------- the server


class Simulator:
    """A running fake provider for one scenario; provider None means the scenario's own provider."""

    def __init__(
        self,
        scenario: str | Scenario | None = "origin-ticket",
        provider: str | None = None,
        latency_ms: int = 0,
        fault: str | None = None,
        port: int = 0,
        now: datetime | None = None,
    ) -> None:
        self.scenario = resolve(scenario)
        self.provider = (provider or self.scenario.provider).lower()
        if self.provider not in ("twilio", "signalwire"):
            raise InputError(f"Unknown simulator provider '{provider}'.", hint="Use twilio or signalwire.")
        self.latency_ms = max(0, int(latency_ms))
        self.faults = FaultPlan.parse(fault)
        self.port = port
        self.now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        creds = demo_credentials(self.provider)
        self.account_sid = creds["account_sid"]
        self.auth_token = creds["auth_token"]
        self.api_key_sid = creds["api_key_sid"]
        self.api_key_secret = creds["api_key_secret"]
        self.destination_calls, self.other_calls = materialize(self.scenario, self.now)
        everything = self.destination_calls + self.other_calls
        self.calls = sorted(everything, key=lambda c: (c.start_time, c.sid), reverse=True)
        self._by_sid = {c.sid: c for c in self.calls}
        if self.provider == "signalwire":
            self._by_sid.update({shapes.signalwire_sid(c.sid): c for c in self.calls})
        self.requests: list[LoggedRequest] = []
        self.base_url = ""
        self._started_at = time.monotonic()
        self._server: _QuietServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> Simulator:
        if self._server is not None:
            return self
        handler = type("SimHandler", (_Handler,), {"sim": self})
        try:
            server = _QuietServer(("127.0.0.1", self.port), handler)
        except OSError as exc:
            message = f"Cannot listen on 127.0.0.1:{self.port} ({exc.strerror})."
            raise InputError(message, hint="Pick another --port, or 0 for any free port.") from None
        server.daemon_threads = True  # a slow-fault sleeper must never keep the process alive
        self._server = server
        self.port = server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._stopping.clear()
        self._started_at = time.monotonic()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="sipsight-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes slow-fault and latency sleepers
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----------------------------------------------------------------- helpers

    def clock(self) -> datetime:
        """The scenario's 'now', moving forward while the simulator runs."""
        return self.now + timedelta(seconds=time.monotonic() - self._started_at)

    def env(self) -> dict[str, str]:
        """The environment a client needs to use this simulator as its provider."""
        return {
            "SIPSIGHT_TWILIO_BASE_URL": self.base_url,
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
        }

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _authorized(self, user: str | None, password: str | None) -> bool:
        return (user, password) in ((self.account_sid, self.auth_token), (self.api_key_sid, self.api_key_secret))

    def _check_account(self, sid: str) -> None:
        allowed = {self.account_sid} if self.provider == "signalwire" else {self.account_sid, SUBACCOUNT_SID}
        if sid not in allowed:
            raise _http_error(404, f"The requested resource /Accounts/{sid} was not found")

    def _calls_for(self, account: str) -> list[SimCall]:
        return self.calls if account == self.account_sid else []

    # ----------------------------------------------------------------- routing

    def route(self, path: str) -> tuple[str, Callable[..., tuple[int, Any]] | None, tuple[str, ...]]:
        """(fault scope, handler, path params) for a path; handler None: unknown path (404)."""
        table: list[tuple[str, str, Callable[..., tuple[int, Any]]]]
        if self.provider == "signalwire":
            table = [
                (rf"^{_LAML}/Accounts/([^/]+)\.json$", "accounts", self._fetch_account),
                (rf"^{_LAML}/Accounts/([^/]+)/Calls\.json$", "calls", self._list_calls),
                (rf"^{_LAML}/Accounts/([^/]+)/Calls/([^/]+)\.json$", "calls", self._fetch_call),
            ]
        else:
            table = [
                (r"^/2010-04-01/Accounts\.json$", "accounts", self._list_accounts),
                (r"^/2010-04-01/Accounts/([^/]+)\.json$", "accounts", self._fetch_account),
                (r"^/2010-04-01/Accounts/([^/]+)/Calls\.json$", "calls", self._list_calls),
                (r"^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\.json$", "calls", self._fetch_call),
                (
                    r"^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)/Notifications\.json$",
                    "notifications",
                    self._list_notifications,
                ),
                (r"^/v1/Voice/Summaries$", "insights", self._list_summaries),
                (r"^/v1/Voice/([^/]+)/Summary$", "insights", self._fetch_summary),
                (r"^/v2/PhoneNumbers/([^/]+)$", "lookups", self._lookup),
                (r"^/v1/Alerts$", "monitor", self._list_alerts),
            ]
        for pattern, scope, handler in table:
            match = re.match(pattern, path)
            if match:
                return scope, handler, match.groups()
        return "all", None, ()

    # ----------------------------------------------------------------- paging

    def _page(self, items: list[Any], req: _Request, key_of: Callable[[Any], str]) -> tuple[list[Any], dict[str, Any]]:
        """Twilio paging: PageSize (1-1000, default 50), Page, PageToken (PA<sid> after, PB<sid> before)."""
        params = req.params
        try:
            size = int(params.get("PageSize") or 50)
            page = int(params.get("Page") or 0)
        except ValueError:
            raise _HttpError(400, 20001, "PageSize and Page must be integers") from None
        if not 1 <= size <= 1000 or page < 0:
            raise _HttpError(400, 20001, "PageSize must be between 1 and 1000 and Page at least 0")
        if req.empty:
            items = []
        token = params.get("PageToken") or ""
        keys = [key_of(item) for item in items]
        if token[:2] == "PA" and token[2:] in keys:
            start = keys.index(token[2:]) + 1
        elif token[:2] == "PB" and token[2:] in keys:
            start = max(0, keys.index(token[2:]) - size)
        else:
            start = page * size
        chunk = items[start : start + size]
        filters = [(k, v) for k, v in req.pairs if k not in ("PageSize", "Page", "PageToken")]

        def query(page_no: int, page_token: str | None) -> str:
            extra = [("PageSize", str(size)), ("Page", str(page_no))]
            if page_token:
                extra.append(("PageToken", page_token))
            return urlencode(filters + extra)

        meta = {
            "page": page,
            "page_size": size,
            "start": start,
            "end": start + len(chunk) - 1 if chunk else start,
            "uri": query(page, token or None),
            "first": query(0, None),
            "next": query(page + 1, "PA" + key_of(chunk[-1])) if chunk and start + size < len(items) else None,
            "previous": query(max(page - 1, 0), "PB" + key_of(chunk[0])) if chunk and start > 0 else None,
        }
        return chunk, meta

    def _v2010_list(
        self, key: str, path: str, items: list[Any], req: _Request, key_of: Callable[[Any], str]
    ) -> tuple[int, Any]:
        chunk, meta = self._page(items, req, key_of)
        return 200, {
            key: chunk,
            "end": meta["end"],
            "first_page_uri": f"{path}?{meta['first']}",
            "next_page_uri": f"{path}?{meta['next']}" if meta["next"] else None,
            "page": meta["page"],
            "page_size": meta["page_size"],
            "previous_page_uri": f"{path}?{meta['previous']}" if meta["previous"] else None,
            "start": meta["start"],
            "uri": f"{path}?{meta['uri']}",
        }

    def _v1_list(
        self, key: str, path: str, items: list[Any], req: _Request, key_of: Callable[[Any], str]
    ) -> tuple[int, Any]:
        chunk, meta = self._page(items, req, key_of)
        url = f"{self.base_url}{path}?"
        return 200, {
            key: chunk,
            "meta": {
                "first_page_url": url + meta["first"],
                "key": key,
                "next_page_url": url + meta["next"] if meta["next"] else None,
                "page": meta["page"],
                "page_size": meta["page_size"],
                "previous_page_url": url + meta["previous"] if meta["previous"] else None,
                "url": url + meta["uri"],
            },
        }

    # ----------------------------------------------------------------- API v2010 / LaML

    def _prefix(self) -> str:
        return _LAML if self.provider == "signalwire" else f"/{shapes.API_VERSION}"

    def _call_json(self, call: SimCall, account: str) -> dict[str, Any]:
        if self.provider == "signalwire":
            return shapes.signalwire_call(call, account)
        return shapes.twilio_call(call, account)

    def _list_accounts(self, req: _Request) -> tuple[int, Any]:
        accounts = [self._account(self.account_sid), self._account(SUBACCOUNT_SID)]
        name = req.params.get("FriendlyName")
        status = req.params.get("Status")
        accounts = [a for a in accounts if name in (None, a["friendly_name"]) and status in (None, a["status"])]
        return self._v2010_list("accounts", "/2010-04-01/Accounts.json", accounts, req, lambda a: a["sid"])

    def _account(self, sid: str) -> dict[str, Any]:
        name = "SIPSight demo account" if sid == self.account_sid else "SIPSight demo - dialer team"
        data = shapes.account(sid, name, self.auth_token, self.account_sid, self.now - timedelta(days=400))
        if self.provider == "signalwire":
            data["uri"] = f"{_LAML}/Accounts/{sid}.json"
            data["subresource_uris"] = {"calls": f"{_LAML}/Accounts/{sid}/Calls.json"}
        return data

    def _fetch_account(self, req: _Request, sid: str) -> tuple[int, Any]:
        self._check_account(sid)
        return 200, self._account(sid)

    def _list_calls(self, req: _Request, account: str) -> tuple[int, Any]:
        self._check_account(account)
        params = req.params
        numbers = _number_filter(params)
        status = params.get("Status")
        parent = params.get("ParentCallSid")
        starts = _time_filter(params, "StartTime", lambda c: c.start_time)
        # the served end_time is empty unless the call completed (spec), so filter on what is served
        ends = _time_filter(params, "EndTime", lambda c: c.end_time if c.status == "completed" else None)
        now = self.clock()
        calls = [
            c
            for c in self._calls_for(account)
            if c.start_time <= now
            and numbers(c)
            and (not status or c.status == status)
            and not parent
            and starts(c)
            and ends(c)
        ]
        items = [self._call_json(c, account) for c in calls]
        path = f"{self._prefix()}/Accounts/{account}/Calls.json"
        return self._v2010_list("calls", path, items, req, lambda c: c["sid"])

    def _account_call(self, account: str, sid: str, resource: str) -> SimCall:
        """The call `sid` of `account`, or Twilio's 404 naming `resource`."""
        self._check_account(account)
        call = self._by_sid.get(sid)
        if call is None or account != self.account_sid:
            raise _http_error(404, f"The requested resource {resource} was not found")
        return call

    def _fetch_call(self, req: _Request, account: str, sid: str) -> tuple[int, Any]:
        call = self._account_call(account, sid, f"/Accounts/{account}/Calls/{sid}.json")
        return 200, self._call_json(call, account)

    def _list_notifications(self, req: _Request, account: str, sid: str) -> tuple[int, Any]:
        call = self._account_call(account, sid, f"/Accounts/{account}/Calls/{sid}")
        items = [shapes.notification(call, account)] if call.error_code else []
        if req.params.get("Log") not in (None, "", "0"):
            items = []
        path = f"/2010-04-01/Accounts/{account}/Calls/{sid}/Notifications.json"
        return self._v2010_list("notifications", path, items, req, lambda n: n["sid"])

    # ----------------------------------------------------------------- Voice Insights v1

    def _insights_on(self) -> None:
        if not self.scenario.voice_insights:
            raise _http_error(403, INSIGHTS_OFF)

    def _relative(self, raw: str | None, default: str) -> datetime:
        text = (raw or default).strip()
        match = _RELATIVE.match(text)
        if match:
            unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match[2]]
            return self.clock() - timedelta(**{unit: int(match[1])})
        parsed = _parse_time(text)
        if parsed is None:
            raise _HttpError(400, 20001, f"Invalid time '{text}': use 30m, 4h, 7d, 1w or an ISO 8601 datetime")
        return parsed[0]

    def _list_summaries(self, req: _Request) -> tuple[int, Any]:
        self._insights_on()
        params = req.params
        start = max(self._relative(params.get("StartTime"), "4h"), self.clock() - timedelta(days=30))
        end = self._relative(params.get("EndTime"), "0m")
        numbers = _number_filter(params)

        def multi(name: str) -> set[str] | None:
            raw = params.get(name)
            return {v.strip() for v in raw.split(",") if v.strip()} if raw else None

        directions, states, answered = multi("Direction"), multi("CallState"), multi("AnsweredBy")
        wanted_state = {"completed": "complete", "partial": "partial"}.get(params.get("ProcessingState") or "all")
        abnormal = (params.get("AbnormalSession") or "").lower() == "true"
        to_carrier = params.get("ToCarrier")
        calls = [
            c
            for c in self.calls
            if start <= c.start_time <= end
            and numbers(c)
            and (directions is None or "outbound_api" in directions)
            and (states is None or shapes.CALL_STATE.get(c.status) in states)
            and (answered is None or c.answered_by in answered)
            and (wanted_state is None or c.processing_state == wanted_state)
            and (not abnormal or (c.sip_code or 0) != 200)
            and (not to_carrier or c.carrier == to_carrier)
        ]
        items = [shapes.summary(c, self.account_sid, self.base_url) for c in calls]
        return self._v1_list("call_summaries", "/v1/Voice/Summaries", items, req, lambda s: s["call_sid"])

    def _fetch_summary(self, req: _Request, sid: str) -> tuple[int, Any]:
        self._insights_on()
        call = self._by_sid.get(sid)
        if call is None:
            raise _http_error(404, f"The requested resource /v1/Voice/{sid}/Summary was not found")
        return 200, shapes.summary(call, self.account_sid, self.base_url)

    # ----------------------------------------------------------------- Lookup v2, Monitor v1

    def _lookup(self, req: _Request, raw: str) -> tuple[int, Any]:
        number = _plus(raw) or raw
        if not is_e164(number):
            return 200, shapes.invalid_lookup(raw, self.base_url)
        fields = [f.strip() for f in (req.params.get("Fields") or "").split(",") if f.strip()]
        known = next((c for c in self.calls if c.to == number and c.connection), None)
        return 200, shapes.lookup(number, known, fields, self.base_url)

    def _list_alerts(self, req: _Request) -> tuple[int, Any]:
        params = req.params
        start = self._relative(params.get("StartDate"), "30d") if params.get("StartDate") else None
        end = self._relative(params.get("EndDate"), "0m") if params.get("EndDate") else None
        level = params.get("LogLevel")
        calls = [
            c
            for c in self.calls
            if c.error_code
            and (start is None or c.start_time >= start)
            and (end is None or c.start_time <= end + timedelta(days=1))
            and level in (None, "", "error")
        ]
        items = [shapes.alert(c, self.account_sid, self.base_url) for c in calls]
        return self._v1_list("alerts", "/v1/Alerts", items, req, lambda a: a["sid"])


# --------------------------------------------------------------------------- HTTP handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (read timeout, an error on a sibling request, test done) closes mid-answer:
        # a broken pipe or a reset is expected, not a traceback on the user's terminal.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.debug("client %s:%s went away mid-answer: %s", *client_address[:2], type(exc).__name__)
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    sim: Simulator
    protocol_version = "HTTP/1.1"
    # headers and body leave in one segment: otherwise Nagle + delayed ACK add ~40 ms to every keep-alive request
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server_version = "SIPSightSimulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are kept in Simulator.requests; stderr stays clean

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
        scope, handler, args = sim.route(path)
        sim.sleep(sim.latency_ms / 1000)
        fault = sim.faults.take(scope)
        if fault is not None and fault.kind == "reset":
            sim.requests.append(LoggedRequest(self.command, path, pairs, 0, user, scope))
            self._reset()
            return
        if fault is not None and fault.kind == "slow":
            sim.sleep(fault.value or 30)
        headers: dict[str, str] = {}
        try:
            status, body = self._answer(path, dict(pairs), pairs, user, password, scope, handler, args, fault)
        except _HttpError as err:
            status, body, headers = err.status, shapes.error_body(err.code, err.message, err.status), err.headers
        except Exception as exc:  # a simulator bug must still answer like a server, not kill the thread
            status, body = 500, shapes.error_body(20500, f"Simulator error: {type(exc).__name__}: {exc}", 500)
        # logged before the answer leaves, so a client that got its response always finds the log entry
        sim.requests.append(LoggedRequest(self.command, path, pairs, status, user, scope))
        self._send(status, body, headers=headers, fault=fault if status < 400 else None)

    def _answer(
        self,
        path: str,
        params: dict[str, str],
        pairs: list[tuple[str, str]],
        user: str | None,
        password: str | None,
        scope: str,
        handler: Callable[..., tuple[int, Any]] | None,
        args: tuple[str, ...],
        fault: Fault | None,
    ) -> tuple[int, Any]:
        if fault is not None and fault.kind.isdigit():
            raise self._fault_error(fault, scope)
        if not self.sim._authorized(user, password):
            raise _HttpError(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})
        if self.command != "GET":
            raise _HttpError(405, 20004, f"Method {self.command} not allowed: the simulator is read-only")
        if handler is None:
            raise _http_error(404, f"The requested resource {path} was not found")
        req = _Request(params, pairs, empty=fault is not None and fault.kind == "empty")
        return handler(req, *(unquote(a) for a in args))

    def _fault_error(self, fault: Fault, scope: str) -> _HttpError:
        status = int(fault.kind)
        headers: dict[str, str] = {}
        if status in (429, 503) and fault.value is not None:
            headers["Retry-After"] = str(int(fault.value)) if float(fault.value).is_integer() else f"{fault.value:g}"
        if status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
        message = INSIGHTS_OFF if status == 403 and scope == "insights" else None
        return _http_error(status, message, headers)

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, fault: Fault | None = None) -> None:
        data = json.dumps(body).encode("utf-8")
        if fault is not None and fault.kind == "truncated":
            data = data[: max(1, len(data) // 2)]
        elif fault is not None and fault.kind == "malformed":
            data = repr(body).encode("utf-8")  # single quotes, None, True: not JSON
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Twilio-Concurrent-Requests", "1")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        # SO_LINGER 0 makes the close send a TCP RST: the client sees "connection reset by peer"
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
