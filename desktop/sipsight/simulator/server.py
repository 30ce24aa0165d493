"""The embedded provider: a Twilio- (or SignalWire-, Telnyx-, Plivo-, Vonage-, Bandwidth-) compatible HTTP server on
127.0.0.1.

It serves a materialized scenario through the official REST shapes (API v2010 Calls, Notifications,
Accounts; Voice Insights v1 Summaries; Lookup v2; Monitor v1 Alerts) from one origin, so the
providers' base_url override sends every Twilio host there. It checks Basic auth like Twilio and
injects faults on demand (see faults.py). For the other providers, their flavour answers (flavoured.py). The demo
provider and every integration test use it.

This module is the server's life (start, stop) and its routing table; the endpoints are in api_calls.py and
api_insights.py, the HTTP handling in handler.py, the served account in served.py.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime

from sipsight.core.scenarios import Scenario
from sipsight.simulator import api_calls, api_insights, flavoured
from sipsight.simulator.faults import FaultPlan
from sipsight.simulator.handler import Handler, LoggedRequest
from sipsight.simulator.loopback import LoopbackServer
from sipsight.simulator.rest import Answer
from sipsight.simulator.served import LAML, ServedScenario

REQUEST_LOG_MAX = 5_000  # the request log keeps the latest requests (tests read a few hundred)
Endpoint = Callable[..., Answer]  # (served account, request, *path parameters) -> (status, body)

_SIGNALWIRE_ROUTES: list[tuple[str, str, Endpoint]] = [
    (rf"^{LAML}/Accounts/([^/]+)\.json$", "accounts", api_calls.fetch_account),
    (rf"^{LAML}/Accounts/([^/]+)/Calls\.json$", "calls", api_calls.list_calls),
    (rf"^{LAML}/Accounts/([^/]+)/Calls/([^/]+)\.json$", "calls", api_calls.fetch_call),
]
_TWILIO_ROUTES: list[tuple[str, str, Endpoint]] = [
    (r"^/2010-04-01/Accounts\.json$", "accounts", api_calls.list_accounts),
    (r"^/2010-04-01/Accounts/([^/]+)\.json$", "accounts", api_calls.fetch_account),
    (r"^/2010-04-01/Accounts/([^/]+)/Calls\.json$", "calls", api_calls.list_calls),
    (r"^/2010-04-01/Accounts/([^/]+)/Notifications\.json$", "notifications", api_calls.list_account_notifications),
    (r"^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\.json$", "calls", api_calls.fetch_call),
    (
        r"^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)/Notifications\.json$",
        "notifications",
        api_calls.list_notifications,
    ),
    (r"^/v1/Voice/Summaries$", "insights", api_insights.list_summaries),
    (r"^/v1/Voice/([^/]+)/Summary$", "insights", api_insights.fetch_summary),
    (r"^/v2/PhoneNumbers/([^/]+)$", "lookups", api_insights.lookup),
    (r"^/v1/Alerts$", "monitor", api_insights.list_alerts),
]


class Simulator(ServedScenario, LoopbackServer):
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
        ServedScenario.__init__(self, scenario, provider, now)
        LoopbackServer.__init__(self, port)
        self.latency_ms = max(0, int(latency_ms))
        self.faults = FaultPlan.parse(fault)
        # every request, oldest first; bounded, because the demo's simulator runs as long as the app (all day)
        self.requests: deque[LoggedRequest] = deque(maxlen=REQUEST_LOG_MAX)

    # ----------------------------------------------------------------- lifecycle

    def handler(self) -> type[Handler]:
        return type("SimHandler", (Handler,), {"sim": self})

    def started(self) -> None:
        self._started_at = time.monotonic()  # the scenario's clock runs from here

    # ----------------------------------------------------------------- helpers

    def credentials(self) -> dict[str, str]:
        """The demo credentials of the served provider, as its client takes them."""
        if self.provider in flavoured.PROVIDERS:
            return flavoured.demo_credentials(self.provider)
        return {"account_sid": self.account_sid, "auth_token": self.auth_token,
                "api_key_sid": self.api_key_sid, "api_key_secret": self.api_key_secret}  # fmt: skip

    def env(self) -> dict[str, str]:
        """The environment a client needs to use this simulator as its provider."""
        return {
            "SIPSIGHT_TWILIO_BASE_URL": self.base_url,
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
        }

    def route(self, path: str) -> tuple[str, Endpoint | None, tuple[str, ...]]:
        """(fault scope, endpoint, path params) for a path; endpoint None: unknown path (404)."""
        if self.provider in flavoured.PROVIDERS:  # the flavour routes it (flavoured.answer)
            return flavoured.scope_of(self.provider, path), None, ()
        table = _SIGNALWIRE_ROUTES if self.provider == "signalwire" else _TWILIO_ROUTES
        for pattern, scope, endpoint in table:
            match = re.match(pattern, path)
            if match:
                return scope, endpoint, match.groups()
        return "all", None, ()
