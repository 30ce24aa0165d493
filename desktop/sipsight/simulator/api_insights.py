"""The simulated Voice Insights v1 (call summaries), and the two small Twilio services beside it: Lookup v2 (line
type) and Monitor v1 (alerts)."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from sipsight.core.phone import InvalidNumber, is_e164, to_e164
from sipsight.simulator import shapes
from sipsight.simulator.rest import Answer, Request, enum_param, http_error, number_filter, plus, v1_list
from sipsight.simulator.served import ServedScenario

INSIGHTS_OFF = "Voice Insights Advanced Features must be active to use this API Resource"
PROCESSING_STATES = ("completed", "started", "partial", "all")  # the list's request enum (not the response's)


def _origin(sim: ServedScenario, req: Request) -> str:
    """Where absolute links point: the origin the client asked for (its Host), as the real service does."""
    return req.base_url or sim.base_url


def _insights_on(sim: ServedScenario) -> None:
    if not sim.scenario.voice_insights:
        raise http_error(403, INSIGHTS_OFF)


def list_summaries(sim: ServedScenario, req: Request) -> Answer:
    _insights_on(sim)
    params = req.params
    start = max(sim.relative(params.get("StartTime"), "4h"), sim.clock() - timedelta(days=30))
    end = sim.relative(params.get("EndTime"), "0m")
    numbers = number_filter(params)

    def multi(name: str) -> set[str] | None:
        raw = params.get(name)
        return {v.strip() for v in raw.split(",") if v.strip()} if raw else None

    directions, states, answered = multi("Direction"), multi("CallState"), multi("AnsweredBy")
    state = enum_param(params, "ProcessingState", PROCESSING_STATES) or "all"
    wanted_state = {"completed": "complete", "partial": "partial"}.get(state)
    abnormal = (params.get("AbnormalSession") or "").lower() == "true"
    to_carrier = params.get("ToCarrier")
    calls = [
        c
        for c in sim.calls
        if start <= c.start_time <= end
        and numbers(c)
        and (directions is None or "outbound_api" in directions)
        and (states is None or shapes.CALL_STATE.get(c.status) in states)
        and (answered is None or c.answered_by in answered)
        and (wanted_state is None or c.processing_state == wanted_state)
        and (not abnormal or (c.sip_code or 0) != 200)
        and (not to_carrier or c.carrier == to_carrier)
    ]
    origin = _origin(sim, req)
    items = [sim.summary_text(c, origin) for c in calls]
    return v1_list("call_summaries", origin, "/v1/Voice/Summaries", items, req, lambda s: s.key)


def fetch_summary(sim: ServedScenario, req: Request, sid: str) -> Answer:
    _insights_on(sim)
    call = sim.by_sid.get(sid)
    if call is None:
        raise http_error(404, f"The requested resource /v1/Voice/{sid}/Summary was not found")
    return 200, shapes.summary(call, sim.account_sid, _origin(sim, req))


def lookup(sim: ServedScenario, req: Request, raw: str) -> Answer:
    number = plus(raw) or raw
    country = (req.params.get("CountryCode") or "").strip().upper()
    if not is_e164(number) and country:  # a national number, read in the country the client names
        with contextlib.suppress(InvalidNumber):
            number = to_e164(number, country)
    if not is_e164(number):
        return 200, shapes.invalid_lookup(raw, _origin(sim, req))
    fields = [f.strip() for f in (req.params.get("Fields") or "").split(",") if f.strip()]
    known = next((c for c in sim.calls if c.to == number and c.connection), None)
    return 200, shapes.lookup(number, known, fields, _origin(sim, req))


def list_alerts(sim: ServedScenario, req: Request) -> Answer:
    params = req.params
    start = sim.relative(params.get("StartDate"), "30d") if params.get("StartDate") else None
    end = sim.relative(params.get("EndDate"), "0m") if params.get("EndDate") else None
    level = params.get("LogLevel")
    calls = [
        c
        for c in sim.calls
        if c.error_code
        and (start is None or c.start_time >= start)
        and (end is None or c.start_time <= end + timedelta(days=1))
        and level in (None, "", "error")
    ]
    items = [shapes.alert(c, sim.account_sid, _origin(sim, req)) for c in calls]
    return v1_list("alerts", _origin(sim, req), "/v1/Alerts", items, req, lambda a: a["sid"])
