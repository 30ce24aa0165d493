"""The Telnyx and Plivo flavours and clients against what each provider publishes.

Telnyx publishes an OpenAPI spec (../shared/provider-specs/telnyx/spec3.yml, read from there, never copied): every
shape the Telnyx flavour serves validates against it (the call-events list and each event's metadata against the
webhook's own schema, the detail-records envelope and its pagination meta, the error body), and every request the
Telnyx client makes is a GET operation of the spec with declared query parameters (deepObject `filter[...]` and
`page[...]` properties included) and values that fit them.

Plivo publishes none: its flavour's Call objects carry every field the reference notes document for the Call object,
its list the documented `{api_id, meta, objects}` envelope, and every request the Plivo client makes uses only the
documented query parameters, within the documented limits (limit <= 20, both end_time bounds, at most 30 days apart).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from fake_clock import FakeClock
from flavour_mock import FlavourTransport
from sipsight.core.models import Query
from sipsight.core.scenarios import load_scenarios
from sipsight.providers.http import HttpConfig
from sipsight.providers.plivo import PlivoClient
from sipsight.providers.telnyx import TelnyxClient
from sipsight.simulator.flavours import plivo as plivo_flavour
from sipsight.simulator.flavours import telnyx as telnyx_flavour
from spec_tools import response_errors, schema_errors

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
SCENARIOS = [s.name for s in load_scenarios(include_user=False).scenarios]
WEBHOOK_SCHEMAS = {
    "call.initiated": "CallInitiated",
    "call.answered": "CallAnswered",
    "call.hangup": "CallHangup",
    "call.machine.detection.ended": "CallMachineDetectionEnded",
}
# The fields Telnyx documents for a voice detail record (its WebRTC detail-record example; the spec has no schema for
# the voice record types)
VOICE_RECORD_FIELDS = {"cld": str, "cli": str, "direction": str, "call_sec": int, "billed_sec": int,
                       "started_at": str, "finished_at": str, "telnyx_leg_id": str, "record_type": str}  # fmt: skip


@cache
def _telnyx_spec(path: str) -> dict[str, Any]:
    spec = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    # the envelope of a voice detail-record page: the spec's own pagination meta, items held to the one thing the
    # spec's DetailRecord requires of every record type (the voice types have no schema of their own there)
    spec["components"]["schemas"]["SIPSightVoiceDetailRecordsPage"] = {
        "type": "object",
        "required": ["data", "meta"],
        "properties": {
            "data": {"type": "array", "items": {"type": "object", "required": ["record_type"]}},
            "meta": {"$ref": "#/components/schemas/detail-records_PaginationMeta"},
        },
    }
    return spec


@pytest.fixture(scope="module")
def telnyx_spec() -> dict[str, Any]:
    from project_paths import SHARED

    path = SHARED / "provider-specs" / "telnyx" / "spec3.yml"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the official Telnyx spec lives there")
    return _telnyx_spec(str(path))


def _get(transport: FlavourTransport, auth: httpx.Auth | tuple[str, str], path: str, params: list) -> Any:
    with httpx.Client(transport=httpx.MockTransport(transport), base_url="https://flavour.test", auth=auth) as c:
        response = c.get(path, params=params or None)  # an empty list would drop the path's own query
    assert response.status_code == 200, response.text
    return response.json()


class _Bearer(httpx.Auth):
    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        request.headers["Authorization"] = f"Bearer {telnyx_flavour.DEMO_CREDENTIALS['api_key']}"
        yield request


# --------------------------------------------------------------------------- Telnyx: responses


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_telnyx_shape_matches_the_spec(shared_dir: Path, telnyx_spec: dict, name: str) -> None:
    served = FlavourTransport(telnyx_flavour, name, NOW)
    events = _get(served, _Bearer(), "/v2/call_events", [("filter[type]", "webhook"), ("page[size]", "250")])
    assert not response_errors(telnyx_spec, "/call_events", events)
    every = _get(served, _Bearer(), "/v2/call_events", [("page[size]", "250")])  # commands too
    assert not response_errors(telnyx_spec, "/call_events", every)
    for item in events["data"][:120]:
        schema = WEBHOOK_SCHEMAS[item["name"]]
        problems = schema_errors(telnyx_spec, schema, item["metadata"])
        assert not problems, (item["name"], problems[:3])
    params = [("filter[record_type]", "call-control"), ("sort", "-created_at"), ("page[size]", "50")]
    records = _get(served, _Bearer(), "/v2/detail_records", params)
    assert not schema_errors(telnyx_spec, "SIPSightVoiceDetailRecordsPage", records)
    assert not schema_errors(telnyx_spec, "detail-records_PaginationMeta", records["meta"])
    for record in records["data"]:
        for field, kind in VOICE_RECORD_FIELDS.items():
            assert isinstance(record[field], kind), (field, record[field])


def test_telnyx_error_bodies_match_the_spec(telnyx_spec: dict) -> None:
    for status in (400, 401, 403, 404, 422, 429, 500, 503):
        assert not schema_errors(telnyx_spec, "call-control_Errors", telnyx_flavour.error_body(status))
    served = FlavourTransport(telnyx_flavour, "origin-ticket", NOW)
    with httpx.Client(transport=httpx.MockTransport(served), base_url="https://flavour.test") as c:
        refused = c.get("/v2/call_events")
        too_many = c.get("/v2/call_events", params=[("filter[occurred_at][gte]", "2026-11-24T00:00:00Z"),
                                                    ("filter[occurred_at][lt]", "2026-11-24T10:00:00Z")],
                         headers={"Authorization": f"Bearer {telnyx_flavour.DEMO_CREDENTIALS['api_key']}"})  # fmt: skip
    assert refused.status_code == 401 and refused.json()["errors"][0]["code"] == "10009"
    assert too_many.status_code == 422


# --------------------------------------------------------------------------- Telnyx: requests


def _resolve(node: dict, spec: dict) -> dict:
    while "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = spec["components"][kind][name]
    return node


def _fits(schema: dict, value: str) -> str | None:
    """Why `value` (as sent in a query string) does not fit `schema`; None when it does."""
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "enum" in schema and value not in schema["enum"]:
        return f"{value!r} is not one of {schema['enum']}"
    if "integer" in kinds:
        if not re.fullmatch(r"-?\d+", value):
            return f"{value!r} is not an integer"
        low, high = schema.get("minimum", -(10**12)), schema.get("maximum", 10**12)
        if not low <= int(value) <= high:
            return f"{value} is outside {low}..{high}"
    if "boolean" in kinds and value not in ("true", "false"):
        return f"{value!r} is not a boolean"
    return None


def telnyx_request_problems(spec: dict, path: str, query: list[tuple[str, str]]) -> list[str]:
    """Problems with one request: a GET of the spec, query parameters declared (deepObject properties included)."""
    if not path.startswith("/v2/"):
        return [f"{path}: not under the API v2 server URL"]
    template = path[len("/v2") :]
    item = spec["paths"].get(template)
    if item is None or "get" not in item:
        return [f"{template}: no GET operation in the spec"]
    declared = {p["name"]: p for p in map(lambda p: _resolve(p, spec), item["get"].get("parameters", []))}
    problems = []
    for key, value in query:
        name, *props = re.findall(r"[^\[\]]+", key)
        param = declared.get(name)
        if param is None or param.get("in") != "query":
            problems.append(f"{template}: '{key}' is not a declared query parameter")
            continue
        schema = _resolve(param.get("schema", {}), spec)
        if props and param.get("style") != "deepObject":
            problems.append(f"{template}: '{key}' uses brackets on a parameter that is not a deepObject")
            continue
        for prop in props:
            if not schema:  # an additional property the spec leaves free: anything below it is declared
                break
            known = _resolve(schema, spec).get("properties", {})
            if prop in known:
                schema = _resolve(known[prop], spec)
            elif _resolve(schema, spec).get("additionalProperties") is True:
                schema = {}
            else:
                problems.append(f"{template}: '{key}': '{prop}' is not a property of {name}")
                break
        else:
            if schema.get("type") == "array":
                schema = _resolve(schema.get("items", {}), spec)
            why = _fits(schema, value)
            if why:
                problems.append(f"{template}: {key}={why}")
    return problems


def test_the_request_checker_catches_mistakes(telnyx_spec: dict) -> None:
    good = [("filter[to]", "+13035550199"), ("filter[occurred_at][gte]", "2026-11-24T00:00:00Z"), ("page[size]", "250")]
    assert telnyx_request_problems(telnyx_spec, "/v2/call_events", good) == []
    assert telnyx_request_problems(telnyx_spec, "/v2/call_events", [("page[size]", "251")])
    assert telnyx_request_problems(telnyx_spec, "/v2/call_events", [("filter[type]", "webhooks")])
    assert telnyx_request_problems(telnyx_spec, "/v2/call_events", [("filter[called]", "x")])
    assert telnyx_request_problems(telnyx_spec, "/v2/call_events", [("to", "x")])
    assert telnyx_request_problems(telnyx_spec, "/call_events", [])
    assert telnyx_request_problems(telnyx_spec, "/v2/detail_records", [("page[size]", "51")])
    assert telnyx_request_problems(telnyx_spec, "/v2/detail_records", [("filter[cld]", "x"), ("sort", "-x")]) == []
    free = [("filter[created_at][gte]", "2026-11-24T00:00:00Z"), ("filter[record_type]", "call-control")]
    assert telnyx_request_problems(telnyx_spec, "/v2/detail_records", free) == []
    assert telnyx_request_problems(telnyx_spec, "/v2/detail_records", [("filter[record_type]", "calls")])


def _fast() -> HttpConfig:
    return HttpConfig(max_retries=1, backoff_base=0.001, backoff_max=0.002, budget_s=30, clock=FakeClock())


CONFIGS = [
    pytest.param("origin-ticket", {}, None, id="caller-inferred"),
    pytest.param("caller-id-608-redress", {"caller_id": "+17205550100", "max_caller_attempts": 100}, None, id="paged"),
    pytest.param("origin-ticket", {"caller_id": "+17205550100"}, "events", id="events-refused"),
]


@pytest.mark.parametrize(("scenario", "query_kw", "refuse"), CONFIGS)
def test_every_telnyx_request_is_a_spec_operation(telnyx_spec: dict, scenario, query_kw, refuse) -> None:
    served = FlavourTransport(
        telnyx_flavour, scenario, NOW, fault=(lambda s, n: (403, {}) if s == refuse else None) if refuse else None
    )
    dest = served.sim.scenario.destination
    client = TelnyxClient(
        telnyx_flavour.DEMO_CREDENTIALS["api_key"], transport=httpx.MockTransport(served), http_config=_fast()
    )
    try:
        client.fetch(Query(destination=dest, since=NOW - timedelta(days=7), until=NOW, **query_kw))
        client.check_connection()
    finally:
        client.close()
    assert served.log
    problems = [p for _, path, query, _ in served.log for p in telnyx_request_problems(telnyx_spec, path, query)]
    assert problems == [], "\n".join(problems)
    assert {path for _, path, *_ in served.log} == {"/v2/call_events", "/v2/detail_records"}


# --------------------------------------------------------------------------- Plivo: the documented fields


def _reference_section(shared: Path, title: str) -> str:
    text = (shared / "reference" / "other-providers.md").read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start : end if end != -1 else len(text)]


def _documented_call_fields(shared: Path) -> set[str]:
    section = _reference_section(shared, "### Outcome fields (Call object)")
    section = section[: section.index("Webhook")]
    return set(re.findall(r"`([a-z_]+)`", section))


def _documented_params(shared: Path) -> set[str]:
    section = _reference_section(shared, "### Endpoint for past calls")
    table = section[: section.index("Time windows")]
    names: set[str] = set()
    for cell in re.findall(r"^\| ([^|]+(?:\\\|[^|]+)*) \|", table, flags=re.M):
        for written in re.findall(r"`([^`]+)`", cell):
            base, _, alternatives = written.partition("[")
            names.add(base)
            names.update(base + alt for alt in alternatives.rstrip("]").replace("\\", "").split("|") if alt)
    return names


def test_the_reference_is_read_as_expected(shared_dir: Path) -> None:
    fields = _documented_call_fields(shared_dir)
    assert {"call_uuid", "hangup_cause_code", "hangup_cause_name", "hangup_source", "answer_time"} <= fields
    params = _documented_params(shared_dir)
    assert {"to_number", "from_number", "end_time__gte", "end_time__lte", "limit", "offset", "call_direction"} <= params


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_plivo_shape_has_the_documented_fields(shared_dir: Path, name: str) -> None:
    fields = _documented_call_fields(shared_dir)
    served = FlavourTransport(plivo_flavour, name, NOW)
    auth = (plivo_flavour.DEMO_CREDENTIALS["auth_id"], plivo_flavour.DEMO_CREDENTIALS["auth_token"])
    path = f"/v1/Account/{auth[0]}/Call/"
    window = [("end_time__gte", "2026-11-17 15:00:00"), ("end_time__lte", "2026-11-24 15:00:00"), ("limit", "20")]
    body = _get(served, auth, path, window)
    assert set(body) == {"api_id", "meta", "objects"}
    assert set(body["meta"]) == {"limit", "next", "offset", "previous", "total_count"}
    for call in body["objects"]:
        assert fields <= set(call), fields - set(call)
        assert isinstance(call["hangup_cause_code"], int) and isinstance(call["bill_duration"], int)
        for stamp in ("initiation_time", "end_time"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d", call[stamp]), call[stamp]
        assert not call["to_number"].startswith("+")
    if body["meta"]["next"]:
        following = _get(served, auth, body["meta"]["next"], [])
        assert following["meta"]["offset"] == 20
    one = body["objects"][:1]
    for call in one:
        again = _get(served, auth, f"{path}{call['call_uuid']}/", [])
        assert again["call_uuid"] == call["call_uuid"]


def test_plivos_documented_window_limits_are_enforced_by_the_flavour() -> None:
    served = FlavourTransport(plivo_flavour, "origin-ticket", NOW)
    auth = (plivo_flavour.DEMO_CREDENTIALS["auth_id"], plivo_flavour.DEMO_CREDENTIALS["auth_token"])
    path = f"/v1/Account/{auth[0]}/Call/"
    with httpx.Client(transport=httpx.MockTransport(served), base_url="https://flavour.test", auth=auth) as c:
        too_long = c.get(path, params=[("end_time__gte", "2026-09-01 00:00"), ("end_time__lte", "2026-11-20 00:00")])
        too_many = c.get(path, params=[("limit", "21")])
        default = c.get(path).json()
    assert too_long.status_code == 400 and "30 days" in too_long.json()["error"]
    assert too_many.status_code == 400
    oldest = min(o["end_time"] for o in default["objects"]) if default["objects"] else None
    assert default["meta"]["total_count"] and oldest is not None
    assert datetime.fromisoformat(oldest) >= served.sim.clock() - timedelta(days=7)


PLIVO_CONFIGS = [
    pytest.param("origin-ticket", {}, id="caller-inferred"),
    pytest.param("origin-ticket", {"caller_id": "+17205550100"}, id="caller-given"),
    pytest.param("healthy-connected", {"caller_id": "+17205550100", "days": 75}, id="three-spans"),
]


@pytest.mark.parametrize(("scenario", "query_kw"), PLIVO_CONFIGS)
def test_every_plivo_request_uses_documented_parameters(shared_dir: Path, scenario, query_kw) -> None:
    params = _documented_params(shared_dir)
    served = FlavourTransport(plivo_flavour, scenario, NOW)
    days = query_kw.pop("days", 7)
    creds = plivo_flavour.DEMO_CREDENTIALS
    client = PlivoClient(
        creds["auth_id"], creds["auth_token"], transport=httpx.MockTransport(served), http_config=_fast()
    )
    try:
        client.fetch(
            Query(destination=served.sim.scenario.destination, since=NOW - timedelta(days=days), until=NOW, **query_kw)
        )
        client.check_connection()
    finally:
        client.close()
    lists = [(path, dict(query)) for _, path, query, _ in served.log if path.endswith("/Call/")]
    assert lists and all(status == 200 for *_, status in served.log)
    for _, query in lists:
        assert set(query) <= params, set(query) - params
        assert 1 <= int(query["limit"]) <= 20
        low = datetime.fromisoformat(query["end_time__gte"])
        high = datetime.fromisoformat(query["end_time__lte"])
        assert timedelta(0) < high - low <= timedelta(days=30)
