"""The Intercom client and the demo Intercom simulator against Intercom's official OpenAPI description (2.16, read
from ../shared, never copied): every request the client makes is an operation of the spec, with valid path and query
parameters, headers and body; every body the simulator serves validates against the schema of its operation."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from sipsight.inbox.client import IntercomClient
from sipsight.inbox.session import IntercomSession
from sipsight.settings.model import IntercomSettings
from sipsight.simulator.intercom import IntercomSimulator
from spec_tools import response_errors, schema_errors

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
SETTINGS = IntercomSettings(company_attributes=["dialer_line"], subaccount_attribute="twilio_subaccount_sid")


@cache
def _load(path: str) -> dict[str, Any]:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.fixture
def spec(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "provider-specs" / "intercom" / "api.intercom.io.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is absent: Intercom's official OpenAPI description lives there")
    return _load(str(path))


def _operation(spec: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(template, operation, path parameters) of a concrete request; the most specific template wins."""
    templates = sorted(spec["paths"], key=lambda t: (t.count("{"), -len(t)))
    for template in templates:
        names = re.findall(r"\{([^}]+)\}", template)
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$"
        match = re.match(pattern, path)
        if match and method.lower() in spec["paths"][template]:
            return template, spec["paths"][template][method.lower()], dict(zip(names, match.groups(), strict=True))
    raise AssertionError(f"no {method} {path} in the spec")


def _schema(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def request_problems(spec: dict[str, Any], method: str, path: str, query: list[tuple[str, str]],
                     headers: dict[str, str], body: Any) -> list[str]:
    template, op, path_params = _operation(spec, method, path)
    params = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
    problems = []
    for name, value in path_params.items():
        schema = _schema(spec, params[("path", name)].get("schema", {}))
        if schema.get("type") == "integer" and not value.isdigit():
            problems.append(f"{template}: {name}={value!r} is not an integer")
    for name, value in query:
        param = params.get(("query", name))
        if param is None:
            problems.append(f"{template}: query parameter {name!r} is not declared")
        elif _schema(spec, param.get("schema", {})).get("type") == "boolean" and value not in ("true", "false"):
            problems.append(f"{template}: {name}={value!r} is not a boolean")
    version = _schema(spec, params[("header", "Intercom-Version")]["schema"])
    if headers.get("Intercom-Version") not in version["enum"]:
        problems.append(f"{template}: Intercom-Version {headers.get('Intercom-Version')!r} is not in the spec's enum")
    if "application/json" not in headers.get("Accept", ""):
        problems.append(f"{template}: Accept is {headers.get('Accept')!r}")
    if "requestBody" in op:
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        problems += [f"{template} body: {e}" for e in schema_errors(spec, schema["$ref"].rsplit("/", 1)[1], body)]
    elif body is not None:
        problems.append(f"{template}: a body where the spec has none")
    return problems


def test_the_checker_itself_catches_mistakes(spec: dict[str, Any]) -> None:
    ok = {"Intercom-Version": "2.16", "Accept": "application/json"}
    assert request_problems(spec, "GET", "/conversations/123", [], ok, None) == []
    assert request_problems(spec, "GET", "/conversations/abc", [], ok, None)  # the GET id is an integer
    assert request_problems(spec, "GET", "/conversations/123", [("per_page", "5")], ok, None)
    assert request_problems(spec, "GET", "/me", [], {**ok, "Intercom-Version": "3.0"}, None)
    assert request_problems(spec, "POST", "/conversations/1/reply", [], ok, {"message_type": "note", "type": "admin",
                                                                          "admin_id": "1", "body": "x"}) == []
    assert request_problems(spec, "POST", "/conversations/1/reply", [], ok, {"message_type": "shout", "type": "admin",
                                                                          "admin_id": "1"})
    with pytest.raises(AssertionError):
        _operation(spec, "DELETE", "/me")


def test_every_request_the_client_makes_is_in_the_spec(spec: dict[str, Any]) -> None:
    with IntercomSimulator(now=NOW, include_user=False) as sim:
        client = IntercomClient(sim.token, api_base=sim.base_url)
        with IntercomSession(client=client, settings=SETTINGS, label="test") as inbox:
            for scenario in ("origin-ticket", "caller-id-608-redress", "spam-label-low-answer"):
                case = inbox.fetch_case(sim.link(scenario))
            inbox.post_note(case, "Diagnosis: test")
        logged = list(sim.requests)
    kinds = {(r.method, re.sub(r"/[0-9a-f]{6,}", "/{id}", r.path)) for r in logged}
    assert kinds == {("GET", "/conversations/{id}"), ("GET", "/contacts/{id}"), ("GET", "/contacts/{id}/companies"),
                     ("GET", "/me"), ("POST", "/conversations/{id}/reply")}
    problems = [p for r in logged for p in request_problems(spec, r.method, r.path, r.query, r.headers, r.body)]
    assert problems == [], "\n".join(problems)


def _get(sim: IntercomSimulator, path: str) -> httpx.Response:
    return httpx.get(sim.base_url + path, headers={"Authorization": f"Bearer {sim.token}", "Accept": "application/json",
                                                    "Intercom-Version": "2.16"})


def test_every_body_the_simulator_serves_validates(spec: dict[str, Any]) -> None:
    with IntercomSimulator(now=NOW, include_user=False) as sim:
        me = _get(sim, "/me")
        assert me.status_code == 200 and not response_errors(spec, "/me", me.json())
        for cid, data in sim.workspace.conversations.items():
            for query in ("", "?display_as=plaintext"):
                got = _get(sim, f"/conversations/{cid}{query}")
                assert got.status_code == 200
                problems = response_errors(spec, f"/conversations/{cid}", got.json())
                assert not problems, f"{data.scenario}: {problems[:5]}"
            contact = _get(sim, f"/contacts/{data.contact.id}")
            assert not response_errors(spec, f"/contacts/{data.contact.id}", contact.json()), data.scenario
            companies = _get(sim, f"/contacts/{data.contact.id}/companies")
            assert not response_errors(spec, f"/contacts/{data.contact.id}/companies", companies.json())
        reply = httpx.post(f"{sim.base_url}/conversations/215469108439785/reply",
                           headers={"Authorization": f"Bearer {sim.token}", "Accept": "application/json"},
                           json={"message_type": "note", "type": "admin", "admin_id": "991267459", "body": "<p>x</p>"})
        assert reply.status_code == 200
        assert not response_errors(spec, "/conversations/215469108439785/reply", reply.json(), method="post")
        parts = reply.json()["conversation_parts"]["conversation_parts"]
        assert parts[-1]["part_type"] == "note"


@pytest.mark.parametrize("fault", ["401", "403", "404", "429", "500", "503"])
def test_error_bodies_are_intercoms_error_list(spec: dict[str, Any], fault: str) -> None:
    with IntercomSimulator(now=NOW, fault=fault, include_user=False) as sim:
        got = _get(sim, "/conversations/215469108439785")
    assert got.status_code == int(fault)
    assert not schema_errors(spec, "error", got.json())
    if fault == "429":
        assert got.headers["X-RateLimit-Limit"] == "167" and got.headers["X-RateLimit-Remaining"] == "0"
        assert int(got.headers["X-RateLimit-Reset"]) > 0


def test_a_merged_contact_answers_410_with_the_canonical_link(spec: dict[str, Any]) -> None:
    with IntercomSimulator(now=NOW, include_user=False) as sim:
        data = next(d for d in sim.workspace.conversations.values() if d.contact.merged_from)
        got = _get(sim, f"/contacts/{data.contact.merged_from}")
    assert got.status_code == 410 and got.json()["errors"][0]["code"] == "contact_merged"
    assert got.headers["Link"] == f'</contacts/{data.contact.id}>; rel="canonical"'
    assert not schema_errors(spec, "error", got.json())
