"""The Vonage and Bandwidth flavours and clients checked against the official specs (../shared/provider-specs, never
copied): every body the flavours serve validates against its operation's documented response (voice.yml,
bandwidth.yml, insights.yml), and every request each client makes, in several configurations, is a GET operation
of those specs with declared query parameters and values that fit them (enums, integer bounds).

The specs are YAML and use `$ref`s for parameters and responses; they are loaded here with those references
inlined into each operation, so tests/spec_tools.py checks them as it checks Twilio's JSON specs.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from fake_clock import FakeClock
from flavour_transport import FlavourServer
from sipsight.core.models import Query
from sipsight.core.scenarios import load_scenarios
from sipsight.providers.bandwidth import BandwidthClient
from sipsight.providers.bandwidth import client as bw_client
from sipsight.providers.http import HttpConfig
from sipsight.providers.vonage import VonageClient
from sipsight.simulator.calls import materialize
from sipsight.simulator.flavours import bandwidth as fb
from sipsight.simulator.flavours import vonage as fv
from spec_tools import request_errors, response_errors, schema_errors

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
CALLER = "+17205550100"
SCENARIOS = [s.name for s in load_scenarios(include_user=False).scenarios]
FAST = {"max_retries": 1, "backoff_base": 0.001, "backoff_max": 0.002, "budget_s": 30}


class _NoTimestamps(yaml.SafeLoader):
    """YAML as JSON would have it: an example date stays text."""


_NoTimestamps.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _inline(spec: dict[str, Any]) -> dict[str, Any]:
    """Each operation's `$ref` parameters and responses replaced by what they point to: spec_tools reads them inline."""
    spec = copy.deepcopy(spec)
    components = spec.get("components", {})

    def resolve(node: dict[str, Any], kind: str) -> dict[str, Any]:
        while "$ref" in node:
            node = components[kind][node["$ref"].rsplit("/", 1)[1]]
        return node

    for item in spec["paths"].values():
        shared = [resolve(p, "parameters") for p in item.get("parameters", [])]
        for method in ("get", "post", "put", "delete"):
            op = item.get(method)
            if op is None:
                continue
            op["parameters"] = shared + [resolve(p, "parameters") for p in op.get("parameters", [])]
            op["responses"] = {code: resolve(r, "responses") for code, r in op.get("responses", {}).items()}
    return spec


@cache
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return _inline(yaml.load(handle, Loader=_NoTimestamps))  # a SafeLoader subclass


@pytest.fixture
def specs(shared_dir: Path) -> dict[str, dict[str, Any]]:
    folder = shared_dir / "provider-specs"
    files = {"voice": "vonage/voice.yml", "bandwidth": "bandwidth/bandwidth.yml", "insights": "bandwidth/insights.yml"}
    missing = [name for name in files.values() if not (folder / name).is_file()]
    if missing:
        pytest.skip(f"the official specs {missing} are absent from {folder}")
    return {key: _load(str(folder / name)) for key, name in files.items()}


def _spec_path(path: str) -> tuple[str, str]:
    """(spec, path in that spec) for a request path: each spec's server URL carries the prefix."""
    if path == "/v1/calls" or path.startswith("/v1/calls/"):
        return "voice", path[len("/v1/calls") :] or "/"
    if path.startswith("/api/v2/"):
        return "bandwidth", path[len("/api/v2") :]
    if path.startswith("/api/v1/"):
        return "insights", path[len("/api/v1") :]
    raise AssertionError(f"{path} belongs to no spec")


def test_the_checks_catch_mistakes(specs: dict) -> None:
    assert request_errors(specs["voice"], "/", [("page_size", "100"), ("order", "desc"), ("record_index", "0")]) == []
    assert request_errors(specs["voice"], "/", [("to", "13035550199")])  # no number filter exists
    assert request_errors(specs["voice"], "/", [("page_size", "1000")])
    assert request_errors(specs["voice"], "/", [("status", "no-answer")])
    calls = "/accounts/9900000/calls"
    assert request_errors(specs["bandwidth"], calls, [("to", "+13035550199"), ("pageSize", "10000")]) == []
    assert request_errors(specs["bandwidth"], calls, [("pageSize", "10001")])
    assert request_errors(specs["bandwidth"], calls, [("To", "+13035550199")])
    assert request_errors(specs["insights"], "/voice/calls", [("callDirection", "outbound")])  # the enum is upper case
    assert request_errors(specs["insights"], "/voice/calls", [("limit", "0")])
    assert schema_errors(specs["bandwidth"], "callState", {"callId": 7})
    assert response_errors(specs["voice"], "/", {"count": "many"})


# ----------------------------------------------------------------------------- what the flavours serve


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_vonage_shape_matches_the_spec(specs: dict, name: str) -> None:
    dest, other = materialize(name, NOW)
    calls = dest + other
    for detail in (False, True):
        for params in ({"page_size": "100", "order": "desc"}, {"page_size": "3", "record_index": "3"}, {}):
            answer = fv.answer("/v1/calls", params, calls, now=NOW, detail=detail)
            assert answer.status == 200
            problems = response_errors(specs["voice"], "/", answer.body)
            assert not problems, f"{name}: {problems[:5]}"
            assert answer.body["count"] == len(calls)
        for call in calls[:5]:
            answer = fv.answer(f"/v1/calls/{fv.vonage_uuid(call.sid)}", {}, calls, now=NOW, detail=detail)
            assert answer.status == 200 and not response_errors(specs["voice"], "/{uuid}", answer.body)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_bandwidth_shape_matches_the_spec(specs: dict, name: str) -> None:
    dest, other = materialize(name, NOW)
    calls = dest + other
    path = f"/accounts/{fb.DEMO_ACCOUNT}/calls"
    for params in ({}, {"pageSize": "10000"}, {"to": dest[0].to if dest else CALLER, "pageSize": "2"}):
        answer = fb.answer(f"/api/v2{path}", params, calls, now=NOW, base_url="http://127.0.0.1:9")
        assert answer.status == 200
        assert not (problems := response_errors(specs["bandwidth"], path, answer.body)), f"{name}: {problems[:5]}"
    for call in calls[:5]:
        answer = fb.answer(f"/api/v2{path}/{fb.call_id(call.sid)}", {}, calls, now=NOW)
        assert answer.status == 200 and not response_errors(specs["bandwidth"], f"{path}/x", answer.body)
    for params in ({"startTime": "gte:2026-11-01T00:00:00Z", "limit": "5", "sort": "startTime:desc"}, {}):
        answer = fb.answer("/api/v1/voice/calls", params, calls, now=NOW, base_url="http://127.0.0.1:9")
        assert answer.status == 200
        assert not (problems := response_errors(specs["insights"], "/voice/calls", answer.body)), problems[:5]
    ended = [c for c in calls if c.end_time is not None][:3]
    for call in ended:
        answer = fb.answer(f"/api/v1/voice/calls/{fb.call_id(call.sid)}", {}, calls, now=NOW)
        assert answer.status == 200 and not response_errors(specs["insights"], "/voice/calls/x", answer.body)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500])
def test_the_bandwidth_error_bodies_match_the_spec(specs: dict, status: int) -> None:
    voice = fb.voice_error(status, "x", retry_after=1 if status == 429 else None)
    assert not response_errors(specs["bandwidth"], "/accounts/1/calls", voice.body, status=str(status))
    if status == 429:
        assert voice.headers["Retry-After"] == "1"  # the spec's 429 header
    insights = fb.insights_error(status, "x")
    assert not response_errors(specs["insights"], "/voice/calls", insights.body, status=str(status))


def test_paging_links_lead_to_the_rest_of_each_list(specs: dict) -> None:
    dest, other = materialize("caller-id-608-redress", NOW)
    calls = dest + other
    first = fb.answer(f"/api/v2/accounts/{fb.DEMO_ACCOUNT}/calls", {"pageSize": "150"}, calls, now=NOW, base_url="")
    link = first.headers["Link"]
    assert link.startswith("</api/v2/accounts/9900000/calls?") and link.endswith('>; rel="next"')
    token = dict(p.split("=", 1) for p in link[1 : link.index(">")].split("?", 1)[1].split("&"))["pageToken"]
    second = fb.answer(
        f"/api/v2/accounts/{fb.DEMO_ACCOUNT}/calls", {"pageSize": "150", "pageToken": token}, calls, now=NOW
    )
    assert {c["callId"] for c in first.body}.isdisjoint({c["callId"] for c in second.body}) and len(second.body) == 150
    page = fv.answer("/v1/calls", {"page_size": "100"}, calls, now=NOW)
    assert page.body["_links"]["next"]["href"].endswith("record_index=100")


# ----------------------------------------------------------------------------- what the clients ask


def _check(specs: dict, served: FlavourServer) -> None:
    assert served.requests, "no request was made"
    problems = []
    for path, query in served.requests:
        spec, spec_path = _spec_path(path)
        problems += [f"{path}: {p}" for p in request_errors(specs[spec], spec_path, query)]
    assert problems == [], "\n".join(problems)


VONAGE_CONFIGS = [
    pytest.param("caller-id-608-redress", {}, {}, id="caller-inferred"),
    pytest.param("origin-ticket", {}, {"caller_id": CALLER}, id="caller-given"),
    pytest.param("caller-id-608-redress", {"max_pages": 2}, {}, id="bounded"),
    pytest.param("no-calls-found", {}, {"until": NOW}, id="window-with-end"),
]


@pytest.mark.parametrize(("scenario", "client_kw", "query_kw"), VONAGE_CONFIGS)
def test_vonage_requests_conform_to_the_spec(specs: dict, scenario: str, client_kw: dict, query_kw: dict) -> None:
    dest, other = materialize(scenario, NOW)
    served = FlavourServer.vonage(dest + other, now=NOW)
    app = fv.demo_application()
    with VonageClient(
        app.application_id, app.private_key_pem, base_url=served.base_url, transport=served.transport(),
        http_config=HttpConfig(**FAST, clock=FakeClock()), **client_kw,
    ) as client:  # fmt: skip
        client.fetch(Query(destination=dest[0].to if dest else CALLER, since=NOW - timedelta(days=7), **query_kw))
        client.check_connection()
    _check(specs, served)
    assert served.unauthorized == 0


BANDWIDTH_CONFIGS = [
    pytest.param("caller-id-608-redress", {}, {}, True, id="insights-on"),
    pytest.param("origin-ticket", {}, {"caller_id": CALLER}, False, id="insights-off-on-the-account"),
    pytest.param("origin-ticket", {"insights": False}, {"until": NOW}, True, id="insights-off-in-the-profile"),
]


@pytest.mark.parametrize(("scenario", "client_kw", "query_kw", "insights"), BANDWIDTH_CONFIGS)
def test_bandwidth_requests_conform_to_the_specs(
    specs: dict, scenario: str, client_kw: dict, query_kw: dict, insights: bool
) -> None:
    dest, other = materialize(scenario, NOW)
    served = FlavourServer.bandwidth(dest + other, now=NOW, insights=insights)
    creds = fb.demo_credentials()
    with BandwidthClient(
        creds["account_id"], creds["username"], creds["password"], base_url=served.base_url,
        transport=served.transport(), http_config=HttpConfig(**FAST, clock=FakeClock()), **client_kw,
    ) as client:  # fmt: skip
        client.fetch(Query(destination=dest[0].to, since=NOW - timedelta(days=6), **query_kw))
        client.check_connection()
    _check(specs, served)
    assert served.unauthorized == 0
    paths = {p for p, _ in served.requests}
    assert (
        ("/api/v1/voice/calls" in paths) is client_kw.get("insights", True)
    ) and f"/api/v2/accounts/{creds['account_id']}/calls" in paths


def test_bandwidth_continuation_requests_conform_too(specs: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bw_client, "VOICE_PAGE", 100)
    dest, other = materialize("caller-id-608-redress", NOW)
    served = FlavourServer.bandwidth(dest + other, now=NOW)
    creds = fb.demo_credentials()
    with BandwidthClient(
        creds["account_id"], creds["username"], creds["password"], base_url=served.base_url,
        transport=served.transport(), http_config=HttpConfig(**FAST, clock=FakeClock()),
    ) as client:  # fmt: skip
        client.fetch(Query(destination=dest[0].to, caller_id=CALLER, since=NOW - timedelta(days=6)))
    assert len(served.requests) > 4
    _check(specs, served)
