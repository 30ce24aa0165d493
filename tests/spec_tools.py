"""Check JSON responses (and request query strings) against the official OpenAPI specs in ../shared.

The specs are OpenAPI 3.0: `nullable: true` is not JSON Schema, so schemas are translated
(nullable -> anyOf [null, schema]) and validated with Draft 7, whose `$ref` ignores sibling keywords
just as OpenAPI 3.0 does. `$ref`s resolve inside the same spec file. Formats are not asserted
(the specs use custom ones such as date-time-rfc-2822).

Usage:
    spec = load_spec(shared_dir / "provider-specs/twilio/twilio_api_v2010.json")
    assert not schema_errors(spec, "api.v2010.account.call", body)
    assert not response_errors(spec, "/2010-04-01/Accounts/{AccountSid}/Calls.json", body)
    assert not request_errors(spec, "/2010-04-01/Accounts/AC.../Calls.json", [("StartTime>", "2026-01-01")])
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema


@cache
def _load(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_spec(path: Path | str) -> dict[str, Any]:
    """The parsed spec (cached: the v2010 file is ~2 MB)."""
    return _load(str(Path(path).resolve()))


def translate(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema (Draft 7): nullable becomes anyOf with null."""
    if isinstance(node, list):
        return [translate(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: translate(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [{"type": "null"}, out]}
    return out


# id(spec) -> (spec, translated components); holding the spec keeps its id unique
_TRANSLATED: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def _components(spec: dict[str, Any]) -> dict[str, Any]:
    entry = _TRANSLATED.get(id(spec))
    if entry is None or entry[0] is not spec:
        entry = (spec, translate(spec.get("components", {})))
        _TRANSLATED[id(spec)] = entry
    return entry[1]


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    # the components ride along in the root document so "#/components/schemas/..." resolves in place
    document = {**translate(schema), "components": _components(spec)}
    return jsonschema.Draft7Validator(document)


def _errors(validator: jsonschema.Draft7Validator, instance: Any) -> list[str]:
    found = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in found]


def schema_errors(spec: dict[str, Any], name: str, instance: Any) -> list[str]:
    """Problems of `instance` against components.schemas[name]; [] when it conforms."""
    if name not in spec.get("components", {}).get("schemas", {}):
        raise KeyError(f"schema {name!r} is not in the spec")
    return _errors(_validator(spec, {"$ref": f"#/components/schemas/{name}"}), instance)


def operation(spec: dict[str, Any], path: str, method: str = "get") -> tuple[str, dict[str, Any]]:
    """(template, operation) for a template path or a concrete one ('/v1/Voice/CA.../Summary')."""
    paths = spec["paths"]
    if path in paths:
        return path, paths[path][method.lower()]
    for template, item in paths.items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise KeyError(f"no {method.upper()} {path} in the spec")


def response_errors(
    spec: dict[str, Any], path: str, instance: Any, method: str = "get", status: str = "200"
) -> list[str]:
    """Problems of a response body against the operation's documented response schema."""
    _, op = operation(spec, path, method)
    schema = op["responses"][status]["content"]["application/json"]["schema"]
    return _errors(_validator(spec, schema), instance)


def request_errors(spec: dict[str, Any], path: str, query: list[tuple[str, str]], method: str = "get") -> list[str]:
    """Unknown query parameters, and values that do not fit the parameter's schema (enums, integer bounds)."""
    _, op = operation(spec, path, method)
    params = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "query"}
    problems = []
    for name, value in query:
        if name not in params:
            problems.append(f"{name}: not a query parameter of this operation")
            continue
        schema = params[name].get("schema", {})
        target = spec["components"]["schemas"].get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
        kind = target.get("type")
        coerced: Any = value
        if kind == "integer":
            if not re.fullmatch(r"-?\d+", value):
                problems.append(f"{name}: {value!r} is not an integer")
                continue
            coerced = int(value)
        elif kind == "boolean":
            if value.lower() not in ("true", "false"):
                problems.append(f"{name}: {value!r} is not true/false")
            continue
        problems.extend(f"{name}={value!r}: {e}" for e in _errors(_validator(spec, schema), coerced))
    return problems
