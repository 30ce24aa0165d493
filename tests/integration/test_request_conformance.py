"""Every request the provider clients make is one the official Twilio spec declares.

Lookups run over real HTTP against the simulator in several configurations (Insights on and off,
partial summaries, all sub-accounts, line-type lookup, SignalWire); each request in the simulator's log
is matched to a spec path template of API v2010, Insights v1 or Lookups v2, and each query parameter
must be declared for that GET operation (`StartTime>` is literally a parameter name there), with an
allowed enum value and within the declared integer range. The specs are read from ../shared, never copied.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from sipsight.core.models import Query
from sipsight.providers.http import HttpConfig

SPEC_FILES = ("twilio_api_v2010.json", "twilio_insights_v1.json", "twilio_lookups_v2.json")
DEST = "+13035550199"
CALLER = "+17205550100"
FAST = HttpConfig(read_timeout=5, max_retries=2, backoff_base=0.01, backoff_max=0.05, budget_s=30)


@cache
def operations(spec_dir: str) -> list[tuple[re.Pattern[str], str, dict, dict]]:
    """(path regex, template, GET operation, components) for every GET in the three specs."""
    ops = []
    for name in SPEC_FILES:
        spec = json.loads((Path(spec_dir) / name).read_text(encoding="utf-8"))
        for template, item in spec["paths"].items():
            if "get" not in item:
                continue
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{[A-Za-z]+\\\}", "[^/]+", pattern)
            ops.append((re.compile(f"^{pattern}$"), template, item["get"], spec.get("components", {})))
    # the most specific template first: fewer placeholders win (".../Calls.json" before ".../{Sid}.json")
    ops.sort(key=lambda op: (op[1].count("{"), -len(op[1])))
    return ops


def resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def check_request(spec_dir: Path, path: str, query: list[tuple[str, str]]) -> list[str]:
    """Problems with one request; empty when it conforms."""
    if path.startswith("/api/laml/"):
        path = path[len("/api/laml") :]  # SignalWire's Compatibility API mirrors v2010 under /api/laml
    match = next((op for op in operations(str(spec_dir)) if op[0].match(path)), None)
    if match is None:
        return [f"{path}: no GET operation in the spec has this path"]
    _, template, op, components = match
    declared = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
    problems = []
    for name, value in query:
        param = declared.get(name)
        if param is None:
            problems.append(f"{template}: query parameter '{name}' is not declared (declared: {sorted(declared)})")
            continue
        schema = resolve(param.get("schema", {}), components)
        if "enum" in schema and value not in schema["enum"]:
            problems.append(f"{template}: {name}={value!r} is not one of {schema['enum']}")
        if schema.get("type") == "integer":
            if not value.lstrip("-").isdigit():
                problems.append(f"{template}: {name}={value!r} is not an integer")
            elif not (schema.get("minimum", -(10**9)) <= int(value) <= schema.get("maximum", 10**9)):
                problems.append(
                    f"{template}: {name}={value} is outside {schema.get('minimum')}..{schema.get('maximum')}"
                )
        if schema.get("type") == "boolean" and value not in ("true", "false"):
            problems.append(f"{template}: {name}={value!r} is not a boolean")
    return problems


def test_the_checker_itself_catches_mistakes(shared_dir: Path) -> None:
    spec = shared_dir / "provider-specs" / "twilio"
    calls = "/2010-04-01/Accounts/AC1/Calls.json"
    assert check_request(spec, calls, [("To", DEST), ("StartTime>", "2026-11-20"), ("PageSize", "50")]) == []
    assert check_request(spec, calls, [("StartTime>=", "2026-11-20")])  # the classic encoding mistake
    assert check_request(spec, calls, [("Status", "no_answer")])  # enum is no-answer
    assert check_request(spec, calls, [("PageSize", "5000")])
    assert check_request(spec, "/v1/Voice/Summaries", [("ProcessingState", "complete")])  # request enum: completed
    assert check_request(spec, "/v1/Voice/Summaries", [("Direction", "outbound-api")]) == []  # free text in spec
    assert check_request(spec, "/v1/Voice/CA1/Summaries", [])
    assert check_request(spec, "/v2/PhoneNumbers/%2B13035550199", [("Fields", "line_type_intelligence")]) == []


def _query(**kw) -> Query:
    return Query(destination=DEST, since=datetime.now(UTC) - timedelta(days=7), **kw)


CONFIGS = [
    pytest.param("origin-ticket", {"line_type_lookup": True}, {}, id="insights-on+lookup"),
    pytest.param("origin-ticket", {}, {"caller_id": CALLER}, id="insights-on-caller-given"),
    pytest.param("origin-ticket-no-insights", {}, {}, id="insights-off-notifications"),
    pytest.param("origin-ticket", {"subaccounts": "all"}, {"caller_id": CALLER}, id="all-subaccounts"),
]


@pytest.mark.parametrize(("scenario", "client_kw", "query_kw"), CONFIGS)
def test_twilio_requests_conform_to_the_official_spec(shared_dir: Path, scenario, client_kw, query_kw) -> None:
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials
    from sipsight.simulator.server import Simulator

    spec = shared_dir / "provider-specs" / "twilio"
    with Simulator(scenario=scenario) as sim:
        tw = TwilioClient(
            TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
            base_url=sim.base_url,
            http_config=FAST,
            **client_kw,
        )
        try:
            tw.fetch(_query(**query_kw))
            tw.check_connection()
        finally:
            tw.close()
        logged = list(sim.requests)
    assert logged, "the simulator logged no requests"
    problems = [p for r in logged for p in check_request(spec, r.path, list(r.query))]
    assert problems == [], "\n".join(problems)
    paths = {r.path for r in logged}
    assert any(p.endswith("/Calls.json") for p in paths)
    if "no-insights" in scenario:
        assert any(p.endswith("/Notifications.json") for p in paths)
    else:
        assert "/v1/Voice/Summaries" in paths
    if client_kw.get("subaccounts") == "all":
        assert "/2010-04-01/Accounts.json" in paths


def test_signalwire_requests_conform_to_the_compatibility_api(shared_dir: Path) -> None:
    from sipsight.core.scenarios import load_scenarios
    from sipsight.providers.signalwire import SignalWireClient
    from sipsight.simulator.server import Simulator

    sw_scenarios = [s.name for s in load_scenarios(include_user=False).scenarios if s.provider == "signalwire"]
    scenario = sw_scenarios[0] if sw_scenarios else "origin-ticket"
    spec = shared_dir / "provider-specs" / "twilio"
    with Simulator(scenario=scenario, provider="signalwire") as sim:
        sw = SignalWireClient(sim.account_sid, sim.auth_token, base_url=sim.base_url, http_config=FAST)
        try:
            sw.fetch(_query())
        finally:
            sw.close()
        logged = list(sim.requests)
    assert logged and all(r.path.startswith("/api/laml/2010-04-01/") for r in logged)
    problems = [p for r in logged for p in check_request(spec, r.path, list(r.query))]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("scenario", "client_kw"),
    [
        pytest.param("origin-ticket", {}, id="insights-on"),
        pytest.param("origin-ticket-no-insights", {}, id="insights-off-notifications"),
        pytest.param("origin-ticket", {"subaccounts": "all"}, id="all-subaccounts"),
    ],
)
def test_caller_first_requests_conform_to_the_official_spec(shared_dir: Path, scenario, client_kw) -> None:
    """A caller-first lookup (fetch_caller): From only, no To, PageSize within the spec's range."""
    from sipsight.core.models import CallerQuery
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials
    from sipsight.simulator.server import Simulator

    spec = shared_dir / "provider-specs" / "twilio"
    with Simulator(scenario=scenario) as sim:
        tw = TwilioClient(
            TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
            base_url=sim.base_url,
            http_config=FAST,
            **client_kw,
        )
        try:
            tw.fetch_caller(CallerQuery(caller_id=CALLER, since=datetime.now(UTC) - timedelta(days=7)))
        finally:
            tw.close()
        logged = list(sim.requests)
    problems = [p for r in logged for p in check_request(spec, r.path, list(r.query))]
    assert problems == [], "\n".join(problems)
    lists = [dict(r.query) for r in logged if r.path.endswith("/Calls.json") or r.path == "/v1/Voice/Summaries"]
    assert lists and all(q.get("From") == CALLER and "To" not in q for q in lists)
