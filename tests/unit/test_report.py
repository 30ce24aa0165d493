"""The JSON document: shape, UTC times, schema validation, and reading it back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from test_replies import DATA, DEST, make_result

from sipsight.core import json_document as report
from sipsight.core.errors import InputError
from sipsight.core.models import Attempt, DiagnosisKind
from sipsight.core.scenarios import load_scenarios

SCHEMA_FILE = Path(report.__file__).parents[3] / "resources" / "schema" / "report-v1.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = report.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_packaged_schema_is_the_repository_file() -> None:
    assert report.schema() == json.loads(SCHEMA_FILE.read_text())
    assert report.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("kind", list(DiagnosisKind))
def test_document_validates_for_every_kind(kind: DiagnosisKind, validator) -> None:
    result = make_result(kind, 0.55, sip_code=608, sip_reason="Rejected", q850_cause=21, pdd_ms=850)
    result.replies.customer = "hello"
    doc = report.to_document(result)
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, errors[0].message if errors else ""
    json.dumps(doc)  # serialisable as is


def test_document_shape_and_times(validator) -> None:
    result = make_result(DiagnosisKind.RECIPIENT_BLOCKED, 0.7234)
    when = datetime(2026, 11, 24, 7, 0, 0, 250000, tzinfo=UTC)
    doc = report.to_document(result, generated_at=when)
    assert doc["schema"] == "sipsight.report" and doc["schema_version"] == report.SCHEMA_VERSION == "1.2"
    assert doc["generated_at"] == "2026-11-24T07:00:00.250Z"
    assert doc["query"] == {
        "destination": DEST,
        "destination_source": "given",
        "caller_id": "+17205550100",
        "since": "2026-11-20T00:00:00Z",
        "until": None,
        "provider": "twilio",
        "profile": None,
        "demo": False,
        "scenario": None,
    }
    first = doc["attempts"][0]
    assert list(first) == list(report.ATTEMPT_FIELDS)
    assert first["start_time"] == "2026-11-21T16:00:00Z"
    assert first["from"] == "+17205550100" and first["outcome"] == "voicemail"
    assert len(doc["caller_attempts"]) == 12
    d = doc["diagnosis"]
    assert d["kind"] == "recipient_blocked" and d["confidence"] == 0.7234
    assert d["alternatives"][0] == {
        "kind": "unreachable",
        "confidence": 0.2,
        "why": "Phone off",
        "how_to_tell": "Try in a day",
    }
    assert d["evidence"][0]["attempt_ids"] == ["CAdemo0007origin"]
    assert d["stats"]["change_at"] == "2026-11-23T04:00:00Z"
    assert set(doc["replies"]) == {"customer", "internal_note"}
    # 1.1: the statistics every text states (a hand-built diagnosis has them computed from the attempts)
    cs = doc["case_stats"]
    assert cs["this_number"]["calls"] == 7 and cs["this_number"]["voicemail"] == 7
    assert cs["other_numbers_window"]["calls"] == 12 and cs["other_numbers_window"]["numbers"] == 12
    assert cs["this_number"]["first"] == "2026-11-21T16:00:00Z"
    assert set(cs["claims"]) >= {"others_fine", "only_this_number", "changed"}


def test_stats_with_datetimes_are_serialised(validator) -> None:
    result = make_result(DiagnosisKind.NORMAL)
    result.diagnosis = result.diagnosis.model_copy(
        update={"stats": {"first_time": datetime(2026, 11, 21, tzinfo=UTC), "carriers": ("X",)}}
    )
    doc = report.to_document(result)
    assert doc["diagnosis"]["stats"] == {"first_time": "2026-11-21T00:00:00Z", "carriers": ["X"]}
    assert not list(validator.iter_errors(doc))


def test_schema_rejects_a_wrong_document(validator) -> None:
    doc = report.to_document(make_result(DiagnosisKind.BUSY))
    doc["attempts"][0]["outcome"] = "exploded"
    doc["attempts"][0]["start_time"] = "2026-11-21 16:00"
    messages = " ".join(e.message for e in validator.iter_errors(doc))
    assert "exploded" in messages and "2026-11-21 16:00" in messages


def test_no_diagnosis_is_null(validator) -> None:
    result = make_result(DiagnosisKind.BUSY)
    result.diagnosis = None
    doc = report.to_document(result)
    assert doc["diagnosis"] is None
    assert not list(validator.iter_errors(doc))


# --------------------------------------------------------------------------- reading back


def test_a_report_reads_back_into_the_same_attempts() -> None:
    result = make_result(DiagnosisKind.VOICEMAIL_PICKUP)
    doc = json.loads(json.dumps(report.to_document(result)))
    back = report.read_attempts_document(doc)
    assert back.destination == DEST and back.caller_id == "+17205550100" and back.provider == "twilio"
    assert [a.model_dump() for a in back.attempts] == [a.model_dump() for a in result.attempts]
    assert len(back.caller_attempts) == 12


def test_list_and_object_inputs() -> None:
    flat = json.loads((DATA / "blocked-608-flat.json").read_text())
    back = report.read_attempts_document(flat)
    assert len(back.attempts) == 10 and back.caller_attempts == [] and back.destination is None
    back = report.read_attempts_document(json.loads((DATA / "origin-ticket.json").read_text()))
    assert back.destination == DEST and len(back.caller_attempts) == 12


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("text", "Expected a list of attempts or an object"),
        ({"calls": []}, 'no "attempts" list'),
        ({"attempts": {"id": 1}}, "attempts must be a list of attempts, not an object"),
        ([1], r"attempts\[0\] must be an object, not a number"),
        ([{"id": "CAdemo1", "from": "+17205550100", "to": DEST}], r"attempts\[0\] \(id CAdemo1\), field 'start_time'"),
        (
            [{"id": "CAdemo2", "start_time": "2026-11-23T10:00:00Z", "to": DEST}],
            r"attempts\[0\] \(id CAdemo2\), field 'from'",
        ),
        (
            [{"id": "CAdemo3", "start_time": "2026-11-23T10:00:00Z", "from": "x", "to": DEST, "sip_code": "six"}],
            r"field 'sip_code'.*got \"six\"",
        ),
        ({"attempts": [], "destination": 3035550199}, '"destination" must be a phone number as text'),
    ],
)
def test_bad_input_names_the_attempt_and_field(data, message) -> None:
    with pytest.raises(InputError, match=message):
        report.read_attempts_document(data)


def test_iso_z() -> None:
    assert report.iso_z(datetime(2026, 11, 23, 10, 0)) == "2026-11-23T10:00:00Z"
    assert report.iso_z(None) is None
    a = Attempt.model_validate(
        {"id": "CAdemo9", "start_time": "2026-11-23T03:00:00-07:00", "from": "+17205550100", "to": DEST}
    )
    assert report.attempt_to_dict(a)["start_time"] == "2026-11-23T10:00:00Z"


# --------------------------------------------------------------------------- end to end over the built-in scenarios


@pytest.mark.parametrize("name", load_scenarios(include_user=False).names())
def test_every_builtin_scenario_end_to_end(name: str, validator) -> None:
    """Scenario -> attempts -> pipeline -> replies, summary and a valid document (whatever the diagnosis says)."""
    import re

    from test_replies import JARGON

    from sipsight.core.lookup import analyse
    from sipsight.core.models import Query
    from sipsight.core.phone import pretty
    from sipsight.core.replies import callflow, summary
    from sipsight.core.scenarios import get_scenario
    from sipsight.simulator.calls import materialize

    scenario = get_scenario(name)
    now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    dest_calls, other_calls = materialize(scenario, now)
    to_attempt = lambda c: c.to_attempt(scenario.provider, scenario.voice_insights)  # noqa: E731
    query = Query(destination=scenario.destination, since=datetime(2026, 11, 17, 15, 0, tzinfo=UTC), until=now)
    result = analyse(
        query,
        [to_attempt(c) for c in dest_calls],
        [to_attempt(c) for c in other_calls],
        provider=scenario.provider,
        tz="America/Denver",
        demo=True,
        scenario=name,
    )
    customer = result.replies.customer
    body = customer.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]  # between the greeting and the sign-off
    assert len(body.split()) <= 160
    assert pretty(scenario.destination) in customer
    assert re.search(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b", customer)
    plain = customer.replace(pretty(scenario.destination), "").replace(pretty(scenario.caller_id), "")
    assert not JARGON.findall(plain), (name, JARGON.findall(plain), customer)
    for a in result.attempts:
        assert a.id in result.replies.internal_note
    doc = report.to_document(result)
    assert not list(validator.iter_errors(doc)), [e.message for e in validator.iter_errors(doc)][:3]
    assert doc["query"]["demo"] is True and doc["query"]["scenario"] == name
    md = summary.render_markdown(result, "America/Denver")
    path = callflow.path_for(result.diagnosis, result.attempts)
    if result.diagnosis.kind is not DiagnosisKind.NO_DATA:
        assert path and f"class {','.join(path)} casePath" in md
    assert "http" not in summary.render_svg(path)
