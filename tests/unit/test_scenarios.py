"""The scenario library: built-ins load and tell the stories they claim; trainers' files load or fail clearly."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import project_paths
from sipsight.core import paths
from sipsight.core.errors import InputError
from sipsight.core.models import DiagnosisKind
from sipsight.core.scenarios import DEFAULT_SCENARIO, get_scenario, load_scenarios, parse_scenario_text
from sipsight.simulator.calls import materialize

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
FICTIONAL = re.compile(r"^\+1\d{3}55501\d{2}$")


@pytest.fixture(scope="module")
def library():
    return load_scenarios(include_user=False)


def test_builtins_load_without_errors(library) -> None:
    assert library.errors == []
    assert len(library.scenarios) >= 13
    names = library.names()
    assert len(names) == len(set(names))
    orders = [s.order for s in library.scenarios]
    assert orders == sorted(orders)


def test_every_diagnosis_kind_has_a_scenario(library) -> None:
    covered = {s.expected.kind for s in library.scenarios}
    assert covered == set(DiagnosisKind)


def test_origin_ticket_is_first_and_default(library) -> None:
    assert library.scenarios[0].name == DEFAULT_SCENARIO == "origin-ticket"
    assert library.scenarios[0].order == 1
    assert get_scenario(None).name == "origin-ticket"


def test_unknown_scenario_names_the_available_ones() -> None:
    with pytest.raises(InputError) as info:
        get_scenario("no-such-story")
    assert "no-such-story" in info.value.message
    assert "origin-ticket" in info.value.hint


def test_origin_ticket_tells_the_ticket_story() -> None:
    scenario = get_scenario("origin-ticket")
    assert (scenario.destination, scenario.caller_id) == ("+13035550199", "+17205550100")
    assert scenario.voice_insights
    dest, other = materialize(scenario, NOW)
    recent = [c for c in dest if c.start_time >= NOW - timedelta(hours=17)]
    earlier = [c for c in dest if c.start_time < NOW - timedelta(hours=17)]
    # five attempts in the last ~16 h, each answered by a machine within 1-3 s
    assert len(recent) == 5
    for call in recent:
        assert call.status == "completed" and call.answered_by == "machine_start"
        assert 1.0 <= call.ring_s <= 3.0
        assert call.sip_code == 200 and call.disconnected_by
        assert (call.carrier, call.connection) == ("Verizon Wireless", "mobile")
    # before: a few real conversations 2-5 days ago, 1-6 minutes long
    assert 2 <= len(earlier) <= 5
    for call in earlier:
        assert call.answered_by == "human"
        assert timedelta(days=2) <= NOW - call.start_time <= timedelta(days=5)
        assert 60 <= call.duration_s <= 360
    # the caller's other calls in the same hours connect normally
    same_hours = [c for c in other if c.start_time >= NOW - timedelta(hours=17)]
    humans = [c for c in same_hours if c.answered_by == "human" and (c.duration_s or 0) > 30]
    assert len(same_hours) >= 15 and len(humans) / len(same_hours) > 0.2
    assert not any(c.sip_code in (603, 607, 608) for c in other)


def test_blocking_variants_exist(library) -> None:
    by_name = {s.name: s for s in library.scenarios}
    assert by_name["origin-ticket-no-insights"].voice_insights is False
    dest, _ = materialize(by_name["seller-607-unwanted"], NOW)
    assert any(c.sip_code == 607 for c in dest)
    # 608 with a jCard redress contact across many destinations
    dest, other = materialize(by_name["caller-id-608-redress"], NOW)
    rejected = [c for c in dest + other if c.sip_code == 608]
    assert len({c.to for c in rejected}) >= 20
    assert all(c.redress_contact for c in rejected)
    # 603+ : 603 with reason "Network Blocked" and a redress url
    dest, _ = materialize(by_name["network-blocked-603plus"], NOW)
    plus = [c for c in dest if c.sip_code == 603]
    assert plus and all(c.sip_reason == "Network Blocked" and c.redress_contact.startswith("https://") for c in plus)
    assert all(c.to_attempt().is_603_plus for c in plus)


def test_every_scenario_is_coherent(library) -> None:
    mentions = 0
    for scenario in library.scenarios:
        assert scenario.expected.kind in scenario.teaching.quiz_choices, scenario.name
        assert scenario.source and scenario.teaching.points, scenario.name
        dest, other = materialize(scenario, NOW)
        assert len(dest) + len(other) <= 520, scenario.name  # "tens to hundreds, up to ~500"
        if scenario.expected.kind is DiagnosisKind.NO_DATA:
            assert dest == [], scenario.name
        else:
            assert dest, scenario.name
        for call in dest + other:
            for number in (call.to, call.from_):
                assert FICTIONAL.match(number), f"{scenario.name}: {number} is not a 555-01xx number"
            assert call.start_time.tzinfo is not None and call.start_time <= NOW
            assert re.fullmatch(r"CA[0-9a-f]{32}", call.sid)
        digits = re.sub(r"\D", "", scenario.conversation)
        mentions += scenario.destination[2:] in digits
    # some conversations mention the destination, some do not (the origin ticket does not)
    assert 0 < mentions < len(library.scenarios)
    assert "3035550199" not in re.sub(r"\D", "", get_scenario("origin-ticket").conversation)


def test_materialize_is_deterministic() -> None:
    first = materialize("caller-id-608-redress", NOW)
    again = materialize("caller-id-608-redress", NOW)
    assert first == again
    later_dest, later_other = materialize("caller-id-608-redress", NOW + timedelta(hours=2))
    assert [c.sid for c in later_other] == [c.sid for c in first[1]]
    assert later_dest[0].start_time - first[0][0].start_time == timedelta(hours=2)
    dest, other = first
    assert [c.start_time for c in other] == sorted((c.start_time for c in other), reverse=True)
    assert len({c.sid for c in dest + other}) == len(dest) + len(other)


def test_status_only_attempt_hides_insights_fields() -> None:
    dest, _ = materialize("origin-ticket", NOW)
    full, bare = dest[0].to_attempt(), dest[0].to_attempt(insights=False)
    assert full.sip_code == 200 and full.ring_s is not None and full.carrier == "Verizon Wireless"
    assert bare.sip_code is None and bare.ring_s is None and bare.carrier is None
    assert bare.answered_by == "machine_start" and bare.provider_status == "completed"
    # SignalWire has no Insights but puts the SIP code on every call
    sw, _ = materialize("signalwire-603-decline", NOW)
    assert sw[0].to_attempt("signalwire", insights=True).sip_code == 603
    assert sw[0].to_attempt("signalwire").ring_s is None


# --------------------------------------------------------------------------- trainers' files

GOOD = project_paths.RESOURCES / "scenarios" / "09-busy-seller.yaml"


def _user_dir() -> Path:
    folder = paths.user_scenarios_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_bad_user_file_names_file_field_and_line_and_others_still_load() -> None:
    folder = _user_dir()
    text = GOOD.read_text(encoding="utf-8").replace("name: busy-seller", "name: my-busy-copy")
    (folder / "good.yaml").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if "sip_code: 486" in line)
    lines[index] = lines[index].replace("sip_code: 486", "sip_code: 986", 1)
    bad = "\n".join(lines).replace("name: my-busy-copy", "name: my-broken-copy")
    (folder / "broken.yml").write_text(bad, encoding="utf-8")

    lib = load_scenarios()
    assert "my-busy-copy" in lib.names() and "origin-ticket" in lib.names()
    assert "my-broken-copy" not in lib.names()
    [error] = lib.errors
    assert error.path.endswith("broken.yml")
    assert error.field == "calls[1].sip_code"
    assert error.line == index + 1
    assert "broken.yml" in str(error) and f"line {index + 1}" in str(error) and "699" in str(error)
    assert lib.origins["my-busy-copy"].endswith("good.yaml")


def test_unknown_key_and_missing_field_and_bad_yaml_are_reported() -> None:
    text = GOOD.read_text(encoding="utf-8")
    scenario, errors = parse_scenario_text(text.replace("title:", "titel:"), "typo.yaml")
    assert scenario is None
    fields = {e.field for e in errors}
    assert {"titel", "title"} <= fields
    typo = next(e for e in errors if e.field == "titel")
    assert typo.line == text.splitlines().index(next(x for x in text.splitlines() if x.startswith("title:"))) + 1
    scenario, errors = parse_scenario_text("name: x\n  bad: [unclosed\n", "syntax.yaml")
    assert scenario is None and errors[0].line is not None and "YAML" in errors[0].message
    scenario, errors = parse_scenario_text("- just\n- a list\n", "list.yaml")
    assert scenario is None and "mapping" in errors[0].message


def test_user_file_overrides_builtin_and_says_so() -> None:
    text = GOOD.read_text(encoding="utf-8").replace('title: "Busy: the line is engaged every time"', "title: Mine")
    (_user_dir() / "busy.yaml").write_text(text, encoding="utf-8")
    lib = load_scenarios()
    assert lib.find("busy-seller").title == "Mine"
    assert any("overrides the built-in scenario 'busy-seller'" in note for note in lib.notes)
    assert get_scenario("busy-seller").title == "Mine"
    assert load_scenarios(include_user=False).find("busy-seller").title != "Mine"


def test_semantic_checks_catch_incoherent_calls() -> None:
    text = GOOD.read_text(encoding="utf-8")
    broken = text.replace("status: busy, sip_code: 486", "status: completed, sip_code: 486", 1)
    _, errors = parse_scenario_text(broken, "x.yaml")
    assert errors[0].field == "calls[1].status" and "duration_s" in errors[0].message
    broken = text.replace("quiz_choices: [busy,", "quiz_choices: [normal,")
    _, errors = parse_scenario_text(broken, "x.yaml")
    assert [e.field for e in errors] == ["teaching.quiz_choices"] and "expected kind 'busy'" in errors[0].message
    quiz_line = next(i for i, line in enumerate(text.splitlines()) if "quiz_choices:" in line) + 1
    assert errors[0].line == quiz_line
    broken = text.replace('destination: "+16025550156"', 'destination: "602 555 0156"')
    _, errors = parse_scenario_text(broken, "x.yaml")
    assert errors[0].field == "destination" and "E.164" in errors[0].message


# --------------------------------------------------------------------------- the expected diagnosis holds


@pytest.mark.parametrize("with_message", [False, True], ids=["calls-only", "with-message"])
@pytest.mark.parametrize("name", [s.name for s in load_scenarios(include_user=False).scenarios])
def test_diagnosis_reaches_the_expected_kind(name: str, with_message: bool) -> None:
    """Each scenario's `expected` block is a contract with the diagnosis, from the calls alone and with what
    the customer's message adds (symptoms, codes, "it worked before"), as the app and the training run it."""
    import sipsight.core.lookup._analyse as pipeline
    from sipsight.core.models import DiagnosisContext, Query

    scenario = get_scenario(name)
    context = None
    if with_message:
        import sipsight.core.intake._parse as intake
        case = intake.parse(scenario.conversation, now=NOW)
        context = DiagnosisContext(
            now=NOW,
            symptoms=[s.id for s in case.symptoms],
            codes=[c.ref for c in case.codes],
            prior_contact=case.prior_contact,
        )
    dest, other = materialize(scenario, NOW)
    as_attempt = lambda c: c.to_attempt(scenario.provider, scenario.voice_insights)  # noqa: E731
    query = Query(destination=scenario.destination, since=NOW - timedelta(days=7), until=NOW)
    result = pipeline.analyse(
        query,
        [as_attempt(c) for c in dest],
        [as_attempt(c) for c in other],
        provider=scenario.provider,
        context=context,
    )
    diagnosis, expected = result.diagnosis, scenario.expected
    assert diagnosis.kind == expected.kind, (name, diagnosis.kind, diagnosis.headline)
    assert expected.min_confidence <= diagnosis.confidence <= expected.max_confidence, (name, diagnosis.confidence)
    assert set(expected.alternatives_include) <= {a.kind for a in diagnosis.alternatives}, name
