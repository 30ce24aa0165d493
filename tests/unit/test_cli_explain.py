"""`sipsight explain`: output for agents, JSON, listing, validation, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import project_paths
from sipsight.launcher import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["explain", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_608(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "608")
    assert code == 0 and err == ""
    for needle in ("sip:608  Rejected", "network_blocked", "intermediary", "For the agent:", "For the customer:",
                   "Next step:", "Retry:", "SIP 608 -> Q.850 21 (FCC 20-187)", "RFC 8688 §3.1"):
        assert needle in out, needle


def test_explain_603_plus_differs_from_603(capsys: pytest.CaptureFixture[str]) -> None:
    _, plus, _ = run(capsys, "603+")
    _, plain, _ = run(capsys, "603")
    assert "Network Blocked" in plus and "network_blocked" in plus and "ATIS-1000099" in plus
    assert "Decline" in plain and "declined" in plain and "network_blocked" not in plain


@pytest.mark.parametrize(
    ("argv", "ref"),
    [
        (["q850:21"], "q850:21"),
        (["Q.850", "cause", "21"], "q850:21"),
        (["Q.850 cause 21"], "q850:21"),
        (["twilio:21215"], "twilio:21215"),
        (["error", "21215"], "twilio:21215"),
        (["telnyx:call_rejected"], "telnyx:call_rejected"),
        (["signalwire:486"], "signalwire:486"),
        (["bandwidth:rejected"], "bandwidth:rejected"),
        (["plivo:zentrunk:4010"], "plivo:zentrunk:4010"),
    ],
)
def test_explain_accepts_the_usual_spellings(capsys: pytest.CaptureFixture[str], argv: list[str], ref: str) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out.startswith("Code:") and ref in out.splitlines()[0]


def test_mapping_both_directions_for_q850(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "q850:17")
    assert "Q.850 17 -> SIP 486 (RFC 3398 §7.2.4.1)" in out
    assert "SIP 486, 600 -> Q.850 17 (RFC 3398 §8.2.6.1)" in out


def test_blocking_codes_cite_the_fcc_for_cause_21(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "q850:21")
    assert "SIP 401, 402, 403, 407, 603 -> Q.850 21 (RFC 3398 §8.2.6.1)" in out
    assert "SIP 603+, 607, 608 -> Q.850 21 (FCC 20-187, FCC 25-15)" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "608", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["ref"] == "sip:608" and data["outcome"] == "network_blocked" and data["q850"] == 21
    assert {"agent", "customer", "next_step", "retry", "confidence", "source", "sender", "mapping"} <= set(data)


def test_unknown_code_exits_2_with_near_matches(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "609")
    assert code == 2 and out == ""
    # an unregistered SIP code is read as its class (RFC 3261 §8.1.3.2): the class's codes, by name
    assert err.count("\n") == 1 and "Unknown code '609'" in err and "reads it as 600 Busy Everywhere" in err
    assert "sip:608 Rejected" in err
    code, _, err = run(capsys, "telnyx:call_reject")
    assert code == 2 and "telnyx:call_rejected" in err


def test_a_number_that_is_no_code_gets_no_digit_neighbours(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "999")
    assert code == 2 and out == ""
    assert "not a SIP response code (100-699)" in err
    assert "sip:199" not in err and "sip:494" not in err and "Did you mean" not in err


def test_words_get_the_codes_nearest_in_meaning(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "busy here")
    assert "Did you mean sip:486 Busy Here" in err
    _, _, err = run(capsys, "network blocked")
    assert "sip:603+ Network Blocked" in err
    _, _, err = run(capsys, "unwanted call")
    assert "sip:607 Unwanted" in err and "signalwire:607" not in err  # a mirror never beside its original


@pytest.mark.parametrize("argv", [["608 607"], ["608", "607"], ["608/607"], ["608, 607"]])
def test_several_codes_are_explained_each(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("Code:")] == [
        "Code:             sip:608  Rejected",
        "Code:             sip:607  Unwanted",
    ]
    code, out, _ = run(capsys, *argv, "--json")
    assert [e["ref"] for e in json.loads(out)] == ["sip:608", "sip:607"]


def test_a_code_with_words_stays_one_code(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["603 Network Blocked"], ["Q.850 cause 21"], ["error", "21215"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and out.count("Code:") == 1, argv


def test_no_code_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2 and "No code given" in err


def test_list_vocabularies_and_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list")
    assert code == 0 and "telnyx-hangup-cause" in out and "bandwidth:" in out
    code, out, _ = run(capsys, "--list", "telnyx")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 9 and any(line.startswith("telnyx:call_rejected") for line in lines)
    code, out, _ = run(capsys, "--list", "sip", "--json")
    refs = [row["ref"] for row in json.loads(out)]
    assert refs[:3] == ["sip:100", "sip:180", "sip:181"] and "sip:603+" in refs
    code, _, err = run(capsys, "--list", "skype")
    assert code == 2 and "Unknown vocabulary" in err


def test_check_reports_problems_and_passes_good_folders(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "sip.yaml").write_text(
        "vocabularies:\n  sip:\n    - {code: 486, name: Busy, outcome: blocked, sender: callee, agent: a,"
        " customer: c, next_step: n, confidence: H, source: RFC 3261}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--check", str(bad))
    assert code == 2 and "sip.yaml: entry sip:486: outcome" in out
    good = project_paths.RESOURCES / "knowledge"
    code, out, _ = run(capsys, "--check", str(good))
    assert code == 0 and out.startswith("OK: ")
    # the outcome decision table beside the vocabularies is checked too
    table = tmp_path / "table"
    table.mkdir()
    (table / "sip.yaml").write_text((good / "sip.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (table / "outcomes.yaml").write_text(
        "source: test\nrows:\n  - {id: x, when: {codes_say: [unreachable], ring_s_atleast: 20}, outcome: no_answer,"
        " why: a broken row here, source: test}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--check", str(table))
    assert code == 2 and "outcomes.yaml" in out and "ring_s_atleast" in out
