"""A simulator flavour (sipsight/simulator/flavours/) behind an httpx.MockTransport: the flavour's routes, auth and
error bodies answer a client in-process, with an optional fault for the first requests of a scope. Unit tests drive
the provider clients against the same shapes the simulator serves, without a server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx

from sipsight.simulator.rest import HttpError, Request
from sipsight.simulator.served import ServedScenario


class FlavourTransport:
    """Answers requests as the flavour would; `log` keeps (method, path, query pairs, status) of each."""

    def __init__(
        self,
        flavour: ModuleType,
        scenario: str = "origin-ticket",
        now: datetime | None = None,
        *,
        fault: Callable[[str, int], tuple[int, dict[str, str]] | None] | None = None,
    ) -> None:
        self.flavour = flavour
        self.sim = ServedScenario(scenario, "twilio", now)
        self.fault = fault  # (scope, request number) -> (status, extra headers) to answer instead, or None
        self.log: list[tuple[str, str, list[tuple[str, str]], int]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = unquote(request.url.path)
        pairs = parse_qsl(request.url.query.decode(), keep_blank_values=True)
        status, body, headers = self._answer(request, path, pairs)
        self.log.append((request.method, path, pairs, status))
        return httpx.Response(status, json=body, headers=headers)

    def _answer(self, request: httpx.Request, path: str, pairs: list[tuple[str, str]]) -> tuple[int, Any, dict]:
        fl = self.flavour
        route = next(((s, e, m.groups()) for p, s, e in fl.ROUTES if (m := __import__("re").match(p, path))), None)
        scope = route[0] if route else "all"
        if self.fault is not None:
            injected = self.fault(scope, len(self.log))
            if injected is not None:
                status, extra = injected
                return status, fl.error_body(status), {**fl.fault_headers(status, None), **extra}
        if not fl.authorized(request.headers):
            return 401, fl.error_body(401), fl.fault_headers(401, None)
        if route is None:
            return 404, fl.error_body(404, f"{path} was not found"), {}
        try:
            status, body = route[1](self.sim, Request(dict(pairs), pairs, base_url="http://flavour.test"), *route[2])
        except HttpError as err:
            return err.status, fl.error_body(err.status, err.message), dict(err.headers)
        return status, body, {}
