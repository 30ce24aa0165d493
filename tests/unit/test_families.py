"""Families: which code names which family is knowledge-base data, `family()` reads it in classify's order, and the
rules can only name a family through the `Family` enum (a misspelt one is a type error)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import project_paths
from diagnosis_factory import Calls
from sipsight.core.diagnosis import Family, diagnose
from sipsight.core.diagnosis import _families as families
from sipsight.core.diagnosis.rules import setup as setup_rules
from sipsight.core.knowledge import KnowledgeError, _classify, code_family, knowledge, load_knowledge
from sipsight.core.models import DiagnosisKind, OutcomeClass

F = Family
O = OutcomeClass  # noqa: E741 - reads like the enum it abbreviates
KNOWLEDGE = project_paths.ROOT / "resources" / "knowledge"


def test_every_family_has_a_kind_and_words() -> None:
    named = set(Family) - {F.OTHER}
    assert set(families.FAMILY_KIND) == named
    assert set(families.FAMILY_WORDS) == named
    assert set(families.OUTCOME_FAMILY.values()) <= set(Family)


@pytest.mark.parametrize(
    ("ref", "family"),
    [
        ("sip:608", F.BLOCK),
        ("sip:603+", F.BLOCK),
        ("sip:603", F.DECLINE),
        ("sip:607", F.UNWANTED),
        ("sip:404", F.INVALID),
        ("sip:484", F.FORMAT),
        ("sip:480", F.UNREACHABLE),
        ("sip:487", F.CANCELED),
        ("sip:503", F.CARRIER),
        ("sip:403", F.FORBIDDEN),
        ("sip:433", F.CONFIG),
        ("sip:438", F.CONFIG),
        ("sip:580", F.CONFIG),
        ("twilio:21215", F.PLATFORM),
        ("twilio:10001", F.PLATFORM),
        ("sip:200", None),
        ("sip:302", None),
        ("twilio:13225", None),  # a platform refusal the rule explains only generically
    ],
)
def test_the_knowledge_base_names_each_code_s_family(ref: str, family: Family | None) -> None:
    assert knowledge().get(ref).family is family


def test_platform_and_setup_codes_carry_their_meaning_and_step() -> None:
    for entry in knowledge().entries():
        if entry.family in (F.PLATFORM, F.CONFIG) and entry.vocabulary in ("sip", "twilio-error"):
            assert entry.meaning and not entry.meaning.endswith("."), entry.ref  # a clause the rules quote
            assert entry.next_step, entry.ref


@pytest.mark.parametrize(
    ("fields", "family"),
    [
        ({"sip_code": 603, "provider_error_code": "10001"}, F.PLATFORM),  # the platform's refusal wins
        ({"sip_code": 486, "provider_error_code": "31603"}, F.BUSY),  # a mirror code is no refusal: the SIP code
        ({"sip_code": 484, "provider_error_code": "13223"}, F.FORMAT),  # a refusal with no family: the SIP code
        ({"sip_code": 603, "sip_reason": "Network Blocked"}, F.BLOCK),
        ({"provider_error_code": "21215", "provider": "telnyx"}, None),  # not Telnyx's error vocabulary
        ({"sip_code": 599}, None),  # an unregistered code names no family (its class does not)
        ({"sip_code": 200}, None),
    ],
)
def test_code_family_reads_the_codes_in_classify_s_order(fields: dict[str, object], family: Family | None) -> None:
    assert code_family(Calls()(1, **fields)) is family


def _knowledge_copy(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    sip = folder / "sip.yaml"
    text = sip.read_text(encoding="utf-8")
    assert text.count(old) == 1
    sip.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_a_knowledge_base_entry_s_family_drives_the_diagnosis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    c = Calls()
    busy = [c.coded(h, O.BUSY, 486, "Busy Here") for h in (4, 3, 2, 1)]
    assert diagnose(busy, c.others_ok()).kind is DiagnosisKind.BUSY

    # the team lead decides 486 is the caller's setup, with a meaning and a step: the diagnosis follows the data
    edited = load_knowledge(
        _knowledge_copy(
            tmp_path,
            "    - code: 486\n      family: busy\n",
            "    - code: 486\n      family: config\n      meaning: the test line refuses every call\n",
        )
    )
    monkeypatch.setattr(_classify, "knowledge", lambda: edited)
    monkeypatch.setattr(setup_rules, "knowledge", lambda: edited)
    d = diagnose(busy, c.others_ok())
    assert d.kind is DiagnosisKind.PLATFORM_RESTRICTION
    assert d.stats["rule"] == "caller-setup"
    assert "because the test line refuses every call" in d.headline
    assert edited.get("sip:486").next_step in d.next_steps


def test_without_a_family_a_code_is_judged_by_its_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = load_knowledge(_knowledge_copy(tmp_path, "    - code: 607\n      family: unwanted\n", "    - code: 607\n"))
    monkeypatch.setattr(_classify, "knowledge", lambda: edited)
    assert families.family(Calls()(1, sip_code=607), "declined") is F.DECLINE  # the outcome's family


def test_a_misspelt_family_is_refused_when_the_knowledge_base_loads(tmp_path: Path) -> None:
    block = "    - code: 608\n      family: block\n"
    folder = _knowledge_copy(tmp_path, block, block.replace("block", "blok"))
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(folder)
    assert any(p.startswith("sip.yaml: entry sip:608: family:") for p in err.value.problems), err.value.problems


RULE_WITH_A_TYPO = """
from sipsight.core.diagnosis import Family
from sipsight.core.diagnosis._facts import Facts


def instant_voicemail(f: Facts) -> list[str]:
    return f.focus.ids_of({family})
"""


@pytest.mark.parametrize(("family", "ok"), [('"vm_fsat"', False), ('"vm_fast"', False), ("Family.VM_FAST", True)])
def test_a_rule_that_names_a_family_by_string_is_a_type_error(tmp_path: Path, family: str, ok: bool) -> None:
    module = tmp_path / "typo_rule.py"
    module.write_text(RULE_WITH_A_TYPO.format(family=family), encoding="utf-8")
    mypy = Path(sys.executable).with_name("mypy")
    out = subprocess.run(
        [str(mypy), "--config-file", "pyproject.toml", "--no-error-summary", str(module)],
        cwd=project_paths.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert out.returncode == 0, out.stdout
    else:
        assert 'incompatible type "str"; expected "Family"' in out.stdout, out.stdout
