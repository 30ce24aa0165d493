"""The simulator serving a provider other than Twilio and SignalWire: a request routed to its flavour
(simulator/flavours/), checked with that provider's own auth, and every injected fault answered in that provider's
own error body and rate-limit headers, so the real client meets over real HTTP what it would meet at the provider.

Telnyx and Plivo plug in their ROUTES; Vonage and Bandwidth answer through their one `answer` function. The handler
(handler.py) still does what is the same for every provider: latency, `slow`, `reset`, and the `truncated` /
`malformed` bodies of a successful answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sipsight.simulator.faults import Fault
from sipsight.simulator.flavours import bandwidth, plivo, telnyx, vonage
from sipsight.simulator.rest import HttpError, Request
from sipsight.simulator.served import PROVIDERS as SERVED

if TYPE_CHECKING:
    from sipsight.simulator.served import ServedScenario

Served = tuple[int, Any, dict[str, str]]  # status, JSON body, headers

_ROUTED: dict[str, ModuleType] = {"telnyx": telnyx, "plivo": plivo}
PROVIDERS = tuple(p for p in SERVED if p not in ("twilio", "signalwire"))  # the APIs not shaped like Twilio's


def scope_of(provider: str, path: str) -> str:
    """The fault scope of a path (faults.SCOPES): calls, events (Telnyx), accounts (Plivo), insights (Bandwidth)."""
    flavour = _ROUTED.get(provider)
    if flavour is not None:
        return next((scope for pattern, scope, _ in flavour.ROUTES if re.match(pattern, path)), "all")
    if provider == "bandwidth" and path.rstrip("/").startswith(bandwidth.INSIGHTS_CALLS):
        return "insights"
    return "calls"


def demo_credentials(provider: str) -> dict[str, str]:
    """What a client of the demo needs: obviously fake, built by the flavour (Vonage's key is made at first use)."""
    if provider in _ROUTED:
        return dict(_ROUTED[provider].DEMO_CREDENTIALS)
    if provider == "vonage":
        app = vonage.demo_application()
        return {"application_id": app.application_id, "private_key": app.private_key_pem}
    return bandwidth.demo_credentials()


def _fault_answer(provider: str, fault: Fault, scope: str) -> Served:
    status, value = int(fault.kind), fault.value
    if provider in _ROUTED:
        flavour = _ROUTED[provider]
        return status, flavour.error_body(status), flavour.fault_headers(status, value)
    retry = value if status in (429, 503) else None
    if provider == "vonage":
        return vonage.error(status, retry_after=retry)
    if scope == "insights":
        return bandwidth.insights_error(status, _BANDWIDTH_WORDS.get(status, "Error"), retry_after=retry)
    return bandwidth.voice_error(status, _BANDWIDTH_WORDS.get(status, "Error"), retry_after=retry)


_BANDWIDTH_WORDS = {
    401: "Unauthorized",
    403: "The user does not have access to this API",
    404: "The resource was not found",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Service unavailable",
}


def answer(
    sim: ServedScenario,
    method: str,
    path: str,
    pairs: list[tuple[str, str]],
    headers: Mapping[str, str],
    fault: Fault | None,
    origin: str,
) -> Served:
    """One request to the flavour of `sim.provider`: the fault's error, the provider's 401, or its answer."""
    provider = sim.provider
    scope = scope_of(provider, path)
    if fault is not None and fault.kind.isdigit():
        return _fault_answer(provider, fault, scope)
    empty = fault is not None and fault.kind == "empty"
    flavour = _ROUTED.get(provider)
    if flavour is not None:
        return _routed(flavour, sim, method, path, pairs, headers, empty, origin)
    authorization = headers.get("Authorization")
    calls = [] if empty else sim.calls
    if provider == "vonage":
        if not vonage.authorized(authorization, vonage.demo_application()):
            return vonage.error(401)
        if method != "GET":
            return vonage.error(405, f"Method {method} is not served: the simulator is read-only")
        return vonage.answer(path, dict(pairs), calls, now=sim.clock())
    creds = bandwidth.demo_credentials()
    if not bandwidth.authorized(authorization, creds["username"], creds["password"]):
        return bandwidth.voice_error(401, "Unauthorized")
    if method != "GET":
        return bandwidth.voice_error(405, f"Method {method} is not served: the simulator is read-only")
    return bandwidth.answer(path, dict(pairs), calls, now=sim.clock(), base_url=origin)


def _routed(
    flavour: ModuleType,
    sim: ServedScenario,
    method: str,
    path: str,
    pairs: list[tuple[str, str]],
    headers: Mapping[str, str],
    empty: bool,
    origin: str,
) -> Served:
    if not flavour.authorized(headers):
        return 401, flavour.error_body(401), flavour.fault_headers(401, None)
    if method != "GET":
        return 405, flavour.error_body(405, f"Method {method} is not served: the simulator is read-only"), {}
    route = next(((e, m.groups()) for p, _, e in flavour.ROUTES if (m := re.match(p, path))), None)
    if route is None:
        return 404, flavour.error_body(404, f"{path} was not found"), {}
    endpoint, args = route
    try:
        status, body = endpoint(sim, Request(dict(pairs), pairs, empty=empty, base_url=origin), *args)
    except HttpError as err:
        return err.status, flavour.error_body(err.status, err.message), dict(err.headers)
    return status, body, {}
