"""The knowledge base: complete against the reference tables, RFC 3398 both ways, strict validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sipsight.core.errors import InputError
from sipsight.core.knowledge._base import (
    VOCABULARIES,
    KnowledgeBase,
    KnowledgeError,
    knowledge,
    load_knowledge,
    normalize_ref,
)
from sipsight.core.models import OutcomeClass as O

# ITU-T Q.850 cause values defined by the recommendation (the gaps are unassigned values)
STANDARD_Q850 = {
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    14,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    25,
    26,
    27,
    28,
    29,
    30,
    31,
    34,
    38,
    39,
    40,
    41,
    42,
    43,
    44,
    46,
    47,
    49,
    50,
    53,
    55,
    57,
    58,
    62,
    63,
    65,
    66,
    69,
    70,
    79,
    81,
    82,
    83,
    84,
    85,
    86,
    87,
    88,
    90,
    91,
    95,
    96,
    97,
    98,
    99,
    100,
    101,
    102,
    103,
    110,
    111,
    127,
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return knowledge()


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def _rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or set(line) <= set("|- "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("Code", "Cause", ""):
            continue
        rows.append(cells)
    return rows


# --------------------------------------------------------------------------- completeness vs the reference


def test_every_sip_code_in_the_reference_table_is_in_the_kb(kb: KnowledgeBase, shared_dir: Path) -> None:
    text = (shared_dir / "reference" / "sip-knowledge.md").read_text(encoding="utf-8")
    rows = _rows(_section(text, "### 1a. Core table", "### 1b."))
    codes = {code for row in rows for code in re.findall(r"\d{3}\+?", row[0].replace("*", ""))}
    assert len(codes) > 60, "the §1a table did not parse"
    assert {"199", "401", "407", "436", "437", "438", "603+", "607", "608"} <= codes
    missing = sorted(c for c in codes if kb.find(f"sip:{c}") is None)
    assert not missing, f"codes in sip-knowledge.md §1a missing from the knowledge base: {missing}"


def test_informational_and_connected_codes_are_explained(kb: KnowledgeBase) -> None:
    for code in (180, 181, 182, 183, 199):
        assert kb.sip(code).outcome is O.IN_PROGRESS
    assert kb.sip(200).outcome is O.CONNECTED


def test_q850_has_every_standard_cause_with_a_name(kb: KnowledgeBase) -> None:
    causes = {int(e.code) for e in kb.entries("q850")}
    assert causes >= STANDARD_Q850
    assert all(e.name and not e.name.isdigit() for e in kb.entries("q850"))


def _q850_rows(shared_dir: Path) -> list[list[str]]:
    text = (shared_dir / "reference" / "sip-knowledge.md").read_text(encoding="utf-8")
    rows = _rows(_section(text, "## 2. ISDN Q.850 cause values", "### 2a."))
    assert len(rows) >= 18, "the §2 table did not parse"
    return rows


def test_isup_to_sip_matches_rfc3398_table(kb: KnowledgeBase, shared_dir: Path) -> None:
    checked = 0
    for row in _q850_rows(shared_dir):
        cause = int(re.search(r"\d+", row[0]).group())
        entry = kb.q850(cause)
        assert entry is not None, f"Q.850 cause {cause} missing"
        assert entry.name.lower() == row[1].lower(), f"cause {cause}: name {entry.name!r} vs {row[1]!r}"
        bold = re.search(r"\*\*(\d{3})\*\*", row[3])
        expected = int(bold.group(1)) if bold else None
        assert kb.q850_to_sip(cause) == expected, f"Q.850 {cause} -> SIP: got {kb.q850_to_sip(cause)}, table {expected}"
        checked += 1
    assert checked >= 18
    # the RFC's default for causes its table leaves out, and its deliberate gap
    assert kb.q850_to_sip(45) == 500
    assert kb.q850_to_sip(44) is None


def test_sip_to_isup_matches_rfc3398_table(kb: KnowledgeBase, shared_dir: Path) -> None:
    pairs: list[tuple[int, int]] = []
    for row in _q850_rows(shared_dir):
        cell = row[4]
        if "Oracle" in cell:  # a vendor's mapping, not RFC 3398
            continue
        for part in cell.split(";"):
            if "→" not in part:
                continue
            left, right = part.split("→", 1)
            target = int(re.search(r"\d+", right).group())
            pairs += [(int(code), target) for code in re.findall(r"\b\d{3}\b", left)]
    assert len(pairs) >= 30, pairs
    wrong = [(code, cause, kb.sip_to_q850(code)) for code, cause in pairs if kb.sip_to_q850(code) != cause]
    assert not wrong, f"(SIP, table cause, KB cause): {wrong}"
    assert kb.sip_to_q850(487) is None  # RFC 3398: no mapping for 487
    assert kb.sip_to_q850(499) == 31  # unlisted final code


def test_isup_causes_for_lists_the_reverse_mapping(kb: KnowledgeBase) -> None:
    assert kb.isup_causes_for(404) == [1, 2, 3, 26]
    assert set(kb.isup_causes_for(503)) >= {34, 38, 41, 42, 47, 58, 88}


# --------------------------------------------------------------------------- the blocked family


def test_603_and_603_plus_are_different_entries(kb: KnowledgeBase) -> None:
    plain = kb.sip(603)
    assert plain.ref == "sip:603" and plain.outcome is O.DECLINED
    assert kb.sip(603, "Decline") is plain
    plus = kb.sip(603, "Network Blocked")
    assert plus.ref == "sip:603+" and plus.outcome is O.NETWORK_BLOCKED
    assert kb.sip(603, "  network blocked ") is plus
    assert "ATIS-1000099" in plus.source
    assert "2026-03-25" in plus.agent
    assert kb.get("603+") is plus and kb.get("603 Network Blocked") is plus
    assert plain.q850 == plus.q850 == 21


def test_607_and_608_cite_their_rfcs(kb: KnowledgeBase) -> None:
    unwanted, rejected = kb.sip(607), kb.sip(608)
    assert unwanted.outcome is O.DECLINED and "RFC 8197" in unwanted.source
    assert rejected.outcome is O.NETWORK_BLOCKED and "RFC 8688" in rejected.source
    assert "jCard" in rejected.agent and rejected.sender == "intermediary"


@pytest.mark.parametrize(
    ("codes", "outcome"),
    [
        ((486, 600), O.BUSY),
        ((480, 408), O.UNREACHABLE),
        ((404, 410, 484, 485, 604), O.INVALID_NUMBER),
        ((487,), O.CALLER_CANCELED),
        ((433, 603, 607, 403), O.DECLINED),
        ((608,), O.NETWORK_BLOCKED),
        ((500, 501, 502, 503, 504, 505, 513, 580), O.CARRIER_FAILURE),
        ((488, 415, 606, 428, 436, 437, 438), O.CARRIER_FAILURE),
        ((400, 401, 402, 407), O.PLATFORM_REJECTED),
        ((100, 180, 183), O.IN_PROGRESS),
        ((200,), O.CONNECTED),
    ],
)
def test_sip_outcome_mapping(kb: KnowledgeBase, codes: tuple[int, ...], outcome: O) -> None:
    assert {c: kb.sip(c).outcome for c in codes} == dict.fromkeys(codes, outcome)


# --------------------------------------------------------------------------- provider vocabularies


def test_twilio_vocabularies_are_complete(kb: KnowledgeBase) -> None:
    for code in (
        "13223",
        "13224",
        "13225",
        "13226",
        "13227",
        "21215",
        "21216",
        "21217",
        "32205",
        "32224",
        "10001",
        "17002",
        "20429",
        "32011",
        "31480",
        "31486",
        "31487",
        "31600",
        "31603",
        "31404",
    ):
        assert kb.find(f"twilio:{code}") is not None, code
    statuses = {"queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"}
    assert statuses <= {e.code for e in kb.entries("twilio-status")}
    answered = {
        "unknown",
        "machine_start",
        "machine_end_beep",
        "machine_end_silence",
        "machine_end_other",
        "human",
        "fax",
    }
    assert answered <= {e.code for e in kb.entries("twilio-answered-by")}
    states = {"ringing", "completed", "busy", "fail", "noanswer", "canceled", "answered", "undialed"}
    assert states == {e.code for e in kb.entries("insights-call-state")}
    assert {"caller", "callee"} <= {e.code for e in kb.entries("insights-disconnected-by")}


def test_twilio_mirror_codes_inherit_the_sip_meaning(kb: KnowledgeBase) -> None:
    busy = kb.get("twilio:31486")
    assert busy.outcome is O.BUSY and busy.sip == 486 and "31486" in busy.source
    assert kb.get("twilio:31603").outcome is O.DECLINED


def test_platform_codes_map_to_platform_or_invalid(kb: KnowledgeBase) -> None:
    for code in ("21215", "21216", "13227", "32205", "10001", "13225"):
        assert kb.get(f"twilio:{code}").outcome is O.PLATFORM_REJECTED, code
    for code in ("13223", "13224", "13226", "21217"):
        assert kb.get(f"twilio:{code}").outcome is O.INVALID_NUMBER, code


def test_other_provider_vocabularies(kb: KnowledgeBase) -> None:
    telnyx = {
        "call_rejected",
        "normal_clearing",
        "originator_cancel",
        "timeout",
        "time_limit",
        "user_busy",
        "not_found",
        "no_answer",
        "unspecified",
    }
    assert telnyx == {e.code for e in kb.entries("telnyx")}
    assert kb.get("telnyx-sip:608").outcome is O.NETWORK_BLOCKED
    assert kb.get("signalwire:486").sip == 486
    bandwidth = {
        "hangup",
        "busy",
        "timeout",
        "cancel",
        "rejected",
        "callback-error",
        "invalid-bxml",
        "application-error",
        "account-limit",
        "node-capacity-exceeded",
        "error",
        "unknown",
    }
    assert bandwidth == {e.code for e in kb.entries("bandwidth")}
    details = {
        "invalid_number",
        "restricted",
        "declined",
        "cannot_route",
        "number_out_of_service",
        "internal_error",
        "carrier_timeout",
        "unavailable",
    }
    assert details <= {e.code for e in kb.entries("vonage-detail")}
    assert kb.get("vonage:machine").outcome is O.VOICEMAIL
    # Plivo codes are keyed by product: 4000 means different things in Voice and Zentrunk
    assert kb.get("plivo:voice:4000").outcome is O.CONNECTED
    assert kb.get("plivo:zentrunk:4000").outcome is O.PLATFORM_REJECTED
    assert kb.get("plivo:zentrunk:bad_request").ref == "plivo:zentrunk:4000"
    assert kb.provider("plivo-hangup-cause", "voice:2000").outcome is O.INVALID_NUMBER


def test_every_entry_is_complete_and_cites_a_source(kb: KnowledgeBase) -> None:
    cited = re.compile(r"RFC \d+|ITU-T|ATIS|FCC|twilio|telnyx|plivo|vonage|bandwidth|signalwire|Vonage|Telnyx", re.I)
    for e in kb.entries():
        assert e.ref == f"{VOCABULARIES[e.vocabulary]}:{e.code}"
        assert cited.search(e.source), f"{e.ref}: source {e.source!r} cites nothing recognisable"
        assert e.agent and e.customer and e.next_step and e.confidence in "HML"


# --------------------------------------------------------------------------- refs


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("608", "sip:608"),
        ("SIP 608", "sip:608"),
        ("sip:486", "sip:486"),
        ("603+", "sip:603+"),
        ("603 Network Blocked", "sip:603+"),
        ("486 Busy Here", "sip:486"),
        ("q850:21", "q850:21"),
        ("Q.850 cause 21", "q850:21"),
        ("cause 17", "q850:17"),
        ("21", "q850:21"),
        ("twilio:21215", "twilio:21215"),
        ("error 21215", "twilio:21215"),
        ("Twilio error 32205", "twilio:32205"),
        ("21216", "twilio:21216"),
        ("telnyx:call_rejected", "telnyx:call_rejected"),
        ("telnyx-hangup-cause:user_busy", "telnyx:user_busy"),
        ("signalwire:486", "signalwire:486"),
        ("bandwidth:Rejected", "bandwidth:rejected"),
        ("plivo:2000", "plivo:voice:2000"),
        ("plivo:zentrunk:4010", "plivo:zentrunk:4010"),
        ("twilio-status:no-answer", "twilio-status:no-answer"),
    ],
)
def test_normalize_ref(text: str, ref: str) -> None:
    assert normalize_ref(text) == ref


def test_normalize_ref_never_raises() -> None:
    for text in ("", "   ", "hello world", "::", "q850:", "plivo:", "🙂"):
        assert isinstance(normalize_ref(text), str)


def test_unknown_code_raises_input_error_with_near_matches(kb: KnowledgeBase) -> None:
    assert kb.find("609") is None
    with pytest.raises(InputError) as info:
        kb.get("609")
    assert info.value.exit_code == 2
    assert "sip:608" in info.value.hint
    with pytest.raises(InputError) as info:
        kb.get("telnyx:call_reject")
    assert "telnyx:call_rejected" in info.value.hint


def test_packaged_base_is_loaded_once() -> None:
    assert knowledge() is knowledge()


# --------------------------------------------------------------------------- validation of edited files

GOOD = """
vocabularies:
  sip:
    - code: 486
      name: Busy Here
      outcome: busy
      sender: callee
      agent: Busy.
      customer: Their line was busy.
      next_step: Retry later.
      retry: Later.
      confidence: H
      source: RFC 3261 §21.4.24
      q850: 17
"""


def _write(folder: Path, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_small_folder_loads_with_like_and_mirrors(tmp_path: Path) -> None:
    extra = """
vocabularies:
  twilio-error:
    - {code: 31486, like: "sip:486", source: twilio.com/docs/api/errors/31486}
mirrors:
  - {vocabulary: signalwire-sip, of: sip, source: SignalWire sip_result_code}
"""
    kb = load_knowledge(_write(tmp_path / "kb", **{"a.yaml": GOOD, "b.yaml": extra}))
    assert len(kb) == 3
    mirror = kb.get("twilio:31486")
    assert mirror.name == "Busy Here" and mirror.sip == 486 and mirror.source.endswith("31486")
    assert kb.get("signalwire:486").source.startswith("SignalWire")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("outcome: busy", "outcome: blocked"), "outcome"),
        (GOOD.replace("      source: RFC 3261 §21.4.24\n", ""), "source"),
        (GOOD.replace("confidence: H", "confidence: X"), "confidence"),
        (GOOD.replace("sender: callee", "sender: robot"), "sender"),
        (GOOD.replace("vocabularies:\n  sip:", "vocabularies:\n  skype:"), "unknown vocabulary"),
        (GOOD.replace("code: 486", "code: 4860"), "three digits"),
        (GOOD.replace("      q850: 17\n", "      q850: 17\n      colour: red\n"), "colour"),
        (GOOD.replace("      q850: 17\n", "      q850: 17\n      family: buzy\n"), "family"),
        (GOOD.replace("      q850: 17\n", "      q850: 17\n      meaning: ' '\n"), "meaning"),
        (GOOD + "  twilio-error:\n    - {code: 31486, like: 'sip:999', source: x}\n", "names no entry"),
        ("vocabularies: [\n", "not valid YAML"),
    ],
)
def test_a_bad_entry_is_reported_with_file_and_entry(tmp_path: Path, text: str, expected: str) -> None:
    folder = _write(tmp_path / "kb", **{"sip.yaml": text})
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(folder)
    message = "; ".join(info.value.problems)
    assert "sip.yaml" in message and expected in message, message
    assert info.value.one_line().startswith("Knowledge base is invalid: sip.yaml")


def test_duplicate_refs_are_rejected_across_files(tmp_path: Path) -> None:
    folder = _write(tmp_path / "kb", **{"a.yaml": GOOD, "b.yaml": GOOD})
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(folder)
    assert "duplicate ref sip:486 (first defined in a.yaml)" in info.value.problems[0]


def test_all_problems_are_collected(tmp_path: Path) -> None:
    bad = GOOD.replace("outcome: busy", "outcome: blocked").replace("confidence: H", "confidence: Z")
    other = GOOD.replace("code: 486", "code: 600").replace("sender: callee", "sender: nobody")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(_write(tmp_path / "kb", **{"a.yaml": bad, "b.yaml": other}))
    text = " | ".join(info.value.problems)
    assert "sip:486" in text and "sip:600" in text and "confidence" in text and "sender" in text


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_knowledge(tmp_path / "nope")
