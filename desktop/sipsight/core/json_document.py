"""LookupResult <-> the versioned JSON document (`--json`, exports; docs/json-schema.md).

The schema file is resources/schema/report-v1.json (JSON Schema 2020-12). SCHEMA_VERSION changes
its major number when a field is removed, renamed or changes meaning; additions bump the minor.
`read_attempts_document` is the reverse direction for `sipsight diagnose`: a list of attempts, an
object with attempts, or a previous report, with errors that name the attempt and the field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from sipsight.core.errors import InputError
from sipsight.core.models import Attempt, Candidate, CaseStats, LookupResult

SCHEMA = "sipsight.report"
SCHEMA_VERSION = "1.2"

ATTEMPT_FIELDS = (
    "id",
    "start_time",
    "from",
    "to",
    "provider",
    "provider_status",
    "sip_code",
    "sip_reason",
    "q850_cause",
    "provider_error_code",
    "answered_by",
    "duration_s",
    "ring_s",
    "pdd_ms",
    "disconnected_by",
    "carrier",
    "line_type",
    "redress_contact",
    "insights_state",
    "outcome",
)


def iso_z(when: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z suffix (2026-11-23T14:02:11Z); None stays None."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    text = when.isoformat(timespec="milliseconds" if when.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def attempt_to_dict(attempt: Attempt) -> dict[str, Any]:
    data = attempt.model_dump(mode="json", by_alias=True)
    data["start_time"] = iso_z(attempt.start_time)
    data["outcome"] = attempt.outcome.value
    return {key: data.get(key) for key in ATTEMPT_FIELDS}


def to_document(result: LookupResult, generated_at: datetime | None = None) -> dict[str, Any]:
    """The JSON document of one lookup (schema sipsight.report, version SCHEMA_VERSION)."""
    d = result.diagnosis
    diagnosis = None
    if d is not None:
        diagnosis = {
            "kind": d.kind.value,
            "confidence": round(d.confidence, 4),
            "headline": d.headline,
            "evidence": [{"text": e.text, "attempt_ids": list(e.attempt_ids), "weight": e.weight} for e in d.evidence],
            "next_steps": list(d.next_steps),
            "caveats": list(d.caveats),
            "alternatives": [
                {"kind": a.kind.value, "confidence": round(a.confidence, 4), "why": a.why, "how_to_tell": a.how_to_tell}
                for a in d.alternatives
            ],
            "stats": json.loads(json.dumps(d.stats, default=_json_default)),
        }
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso_z(generated_at or datetime.now(UTC)),
        "query": {
            "destination": result.query.destination or None,
            "destination_source": result.destination_source,
            "caller_id": result.caller_id or result.query.caller_id,
            "since": iso_z(result.query.since),
            "until": iso_z(result.query.until),
            "provider": result.provider,
            "profile": result.profile,
            "demo": result.demo,
            "scenario": result.scenario,
        },
        "data": result.data.model_dump(mode="json"),
        "line_type": result.line_type,
        "attempts": [attempt_to_dict(a) for a in result.attempts],
        "caller_attempts": [attempt_to_dict(a) for a in result.caller_attempts],
        "diagnosis": diagnosis,
        "case_stats": _case_stats(case_stats_of(result)) if d is not None else None,
        "candidates": None if result.candidates is None else [candidate_to_dict(c) for c in result.candidates],
        "message": result.message,
        "replies": {"customer": result.replies.customer, "internal_note": result.replies.internal_note},
    }


def candidate_to_dict(candidate: Candidate) -> dict[str, Any]:
    """One ranked number of a caller-first lookup (docs/json-schema.md, `candidates`)."""
    return {
        "number": candidate.number,
        "attempts": candidate.attempts,
        "connected": candidate.connected,
        "last_outcome": candidate.last_outcome.value,
        "last_call": iso_z(candidate.last_call),
        "change": candidate.change,
        "score": candidate.score,
        "reason": candidate.reason,
        "signals": dict(candidate.signals),
    }


def case_stats_of(result: LookupResult) -> CaseStats:
    """The diagnosis's statistics; for a diagnosis built without them, computed from the result's attempts."""
    if result.diagnosis is not None and result.diagnosis.case_stats is not None:
        return result.diagnosis.case_stats
    from sipsight.core.diagnosis import stats_for

    return stats_for(result.attempts, result.caller_attempts)


def _case_stats(stats: CaseStats) -> dict[str, Any]:
    """CaseStats as JSON: times as UTC with a Z, like every other time in the document."""
    converted: dict[str, Any] = _times_z(stats.model_dump(mode="python"))
    return converted


def _times_z(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _times_z(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_times_z(v) for v in value]
    if isinstance(value, datetime):
        return iso_z(value)
    return value


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def schema() -> dict[str, Any]:
    """The JSON Schema of the document (resources/schema/report-v1.json)."""
    from sipsight.core.resources import read_text

    loaded = json.loads(read_text("schema", "report-v1.json"))
    if not isinstance(loaded, dict):  # a packaged file: only a broken build gets here
        raise TypeError("resources/schema/report-v1.json is not a JSON object")
    return loaded


# --------------------------------------------------------------------------- reading attempts back


@dataclass
class AttemptsInput:
    attempts: list[Attempt]
    caller_attempts: list[Attempt]
    caller_id: str | None = None
    destination: str | None = None
    provider: str | None = None


def _field_error(where: str, err: ValidationError) -> InputError:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(attempt)"
    loc = "from" if loc == "from_" else loc
    value = first.get("input")
    shown = "" if isinstance(value, dict) else f" (got {json.dumps(value, default=str)[:40]})"
    more = len(err.errors()) - 1
    extra = f"; {more} more problem{'s' if more > 1 else ''} in this attempt" if more else ""
    return InputError(
        f"{where}, field '{loc}': {first['msg']}{shown}{extra}.",
        "Each attempt needs at least id, start_time (ISO 8601), from and to; see docs/json-schema.md.",
    )


def parse_attempts(items: object, where: str) -> list[Attempt]:
    if not isinstance(items, list):
        raise InputError(f"{where} must be a list of attempts, not {_json_type(items)}.", "See docs/json-schema.md.")
    out = []
    for index, item in enumerate(items):
        label = f"{where}[{index}]"
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            label += f" (id {item['id']})"
        if not isinstance(item, dict):
            raise InputError(f"{label} must be an object, not {_json_type(item)}.", "See docs/json-schema.md.")
        data = {k: v for k, v in item.items() if k not in ("from_",)}
        if data.get("outcome") is None:
            data.pop("outcome", None)
        try:
            out.append(Attempt.model_validate(data))
        except ValidationError as err:
            raise _field_error(label, err) from None
    return out


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def read_attempts_document(data: object) -> AttemptsInput:
    """A JSON list of attempts, an object {"attempts": [...], ...}, or a previous sipsight report."""
    if isinstance(data, list):
        return AttemptsInput(parse_attempts(data, "attempts"), [])
    if not isinstance(data, dict):
        raise InputError(
            f'Expected a list of attempts or an object with "attempts", not {_json_type(data)}.',
            "See docs/json-schema.md for the attempt shape.",
        )
    if "attempts" not in data:
        raise InputError('The JSON object has no "attempts" list.', "See docs/json-schema.md for the attempt shape.")
    attempts = parse_attempts(data["attempts"], "attempts")
    callers = parse_attempts(data.get("caller_attempts") or [], "caller_attempts")
    found = data.get("query") if data.get("schema") == SCHEMA else None
    query: dict[str, Any] = found if isinstance(found, dict) else {}
    caller_id = data.get("caller_id") or query.get("caller_id")
    destination = data.get("destination") or query.get("destination")
    for name, value in (("caller_id", caller_id), ("destination", destination)):
        if value is not None and not isinstance(value, str):
            raise InputError(f'"{name}" must be a phone number as text, not {_json_type(value)}.')
    provider = query.get("provider") if query else data.get("provider")
    return AttemptsInput(attempts, callers, caller_id, destination, provider if isinstance(provider, str) else None)


def most_common(values: Sequence[str]) -> str | None:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    # ties: the first seen, so the answer does not depend on dict order quirks
    return max(counts, key=lambda k: counts[k]) if counts else None
