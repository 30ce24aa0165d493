"""The simulator's Vonage and Bandwidth flavours served in-process through `httpx.MockTransport`, with their auth
checked (the Vonage application JWT, Bandwidth's HTTP Basic), every request recorded, and faults injected per request.

    served = FlavourServer.vonage(calls, now=NOW)
    client = VonageClient(app.application_id, app.private_key_pem, base_url=served.base_url,
                          transport=served.transport())
    ... served.requests  # [(path, [(name, value), ...]), ...]

`fault(request) -> httpx.Response | None` answers a request itself (a 429 with Retry-After, a 503 ...) or lets the
flavour answer it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx

from sipsight.simulator.calls import SimCall
from sipsight.simulator.flavours import bandwidth as fb
from sipsight.simulator.flavours import vonage as fv

BASE_URL = "http://127.0.0.1:9"
Fault = Callable[[httpx.Request], "httpx.Response | None"]


@dataclass
class FlavourServer:
    kind: str  # vonage | bandwidth
    calls: Sequence[SimCall]
    now: datetime
    options: dict[str, Any] = field(default_factory=dict)
    fault: Fault | None = None
    requests: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    unauthorized: int = 0
    base_url: str = BASE_URL

    @classmethod
    def vonage(cls, calls: Sequence[SimCall], *, now: datetime, detail: bool = False, **kw: Any) -> FlavourServer:
        return cls("vonage", calls, now, {"detail": detail}, **kw)

    @classmethod
    def bandwidth(cls, calls: Sequence[SimCall], *, now: datetime, insights: bool = True, **kw: Any) -> FlavourServer:
        return cls("bandwidth", calls, now, {"insights": insights}, **kw)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        pairs = parse_qsl(request.url.query.decode(), keep_blank_values=True)
        self.requests.append((request.url.path, pairs))
        if self.fault is not None:
            forced = self.fault(request)
            if forced is not None:
                return forced
        answer = self._answer(request, dict(pairs))
        return httpx.Response(answer.status, json=answer.body, headers=answer.headers)

    def _answer(self, request: httpx.Request, params: dict[str, str]) -> Any:
        header = request.headers.get("Authorization")
        if self.kind == "vonage":
            if not fv.authorized(header, fv.demo_application()):
                self.unauthorized += 1
                return fv.error(401)
            return fv.answer(request.url.path, params, self.calls, now=self.now, **self.options)
        creds = fb.demo_credentials()
        if not fb.authorized(header, creds["username"], creds["password"]):
            self.unauthorized += 1
            return fb.voice_error(401, "Unauthorized")
        return fb.answer(request.url.path, params, self.calls, now=self.now, base_url=self.base_url, **self.options)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)
