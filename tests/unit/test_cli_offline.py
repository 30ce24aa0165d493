"""`sipsight diagnose` and `sipsight triage` end to end through the real entry point, plus the text renderer."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from test_replies import DATA, make_result

from sipsight.cli.text_report import render_case, render_result, use_color
from sipsight.core import json_document as report
from sipsight.core.models import Case, DiagnosisKind
from sipsight.launcher import main

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CONVERSATION = (
    "Hi, I spoke with the seller at (303) 555-0199 a few times over the phone, but since yesterday when I call "
    "from my number 720-555-0100 it goes straight to voicemail. Do you think they blocked my number? I saw 608."
)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- diagnose


def test_diagnose_text_report(capsys) -> None:
    code, out, err = run(["diagnose", str(DATA / "origin-ticket.json"), "--tz", "America/Denver"], capsys)
    assert code == 0, err
    assert not ANSI.search(out), "captured output is not a terminal: no colour"
    assert "Calls to +1 303-555-0199 from +1 720-555-0100" in out
    assert "CAdemo" not in out.split("== Diagnosis ==")[0]  # the timeline shows times, the note shows ids
    assert "Nov 23 08:00 MST" in out
    for heading in ("== Diagnosis ==", "== Reply to the customer ==", "== Internal note =="):
        assert heading in out
    assert re.search(r"\((?:Blocked|Caller ID|Answered|Phone|Line|Rang|Number|Hung|Stopped|Carrier|No )[^)]*: "
                     r"(?:very likely|likely|possible), \d+%\)", out)
    assert "same caller ID, other numbers: in the same hours: 12 calls to 12 numbers" in out


def test_diagnose_json_validates_against_the_schema(capsys) -> None:
    code, out, err = run(["diagnose", str(DATA / "origin-ticket.json"), "--json", "--tz", "UTC"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    jsonschema.Draft202012Validator(report.schema()).validate(doc)
    assert doc["query"]["destination"] == "+13035550199"
    assert doc["query"]["caller_id"] == "+17205550100"
    assert len(doc["attempts"]) == 7 and len(doc["caller_attempts"]) == 12
    assert doc["diagnosis"]["kind"] in {k.value for k in DiagnosisKind}
    assert doc["replies"]["customer"] and doc["replies"]["internal_note"]


def test_diagnose_flat_list_picks_the_most_common_destination(capsys, tmp_path: Path) -> None:
    code, out, err = run(["diagnose", str(DATA / "blocked-608-flat.json"), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["query"]["destination"] == "+13035550199"
    assert len(doc["attempts"]) == 4
    # the caller's calls to the other numbers become the baseline
    assert {a["to"] for a in doc["caller_attempts"]} == {f"+1303555{n:04d}" for n in range(110, 116)}
    # an explicit destination wins
    code, out, _ = run(["diagnose", str(DATA / "blocked-608-flat.json"), "--json", "--to", "(303) 555-0112"], capsys)
    assert code == 0 and json.loads(out)["query"]["destination"] == "+13035550112"


def test_diagnose_reads_its_own_report_back(capsys, tmp_path: Path) -> None:
    code, out, _ = run(["diagnose", str(DATA / "origin-ticket.json"), "--json"], capsys)
    assert code == 0
    saved = tmp_path / "report.json"
    saved.write_text(out, encoding="utf-8")
    code, again, err = run(["diagnose", str(saved), "--json"], capsys)
    assert code == 0, err
    first, second = json.loads(out), json.loads(again)
    assert second["attempts"] == first["attempts"]
    assert second["diagnosis"]["kind"] == first["diagnosis"]["kind"]


def test_diagnose_reads_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO((DATA / "origin-ticket.json").read_text()))
    code, out, err = run(["diagnose", "-", "--json"], capsys)
    assert code == 0, err and json.loads(out)["schema"] == "sipsight.report"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diagnose", "no-such-file.json"], "File not found: no-such-file.json"),
        (["diagnose", str(DATA / "broken.json")], r"broken\.json is not valid JSON: .* at line 2, column \d+"),
        (["diagnose", str(DATA / "bad-field.json")], r"attempts\[1\] \(id CAdemo0301bad\), field 'start_time'"),
        (["diagnose", str(DATA)], "is a folder, not a file"),
        (["diagnose", str(DATA / "origin-ticket.json"), "--tz", "Mars/Olympus"], "'Mars/Olympus' is not a time zone"),
        (["diagnose", str(DATA / "origin-ticket.json"), "--to", "12"], "--destination:"),
        (["diagnose", str(DATA / "origin-ticket.json"), "--to", "+13035550150"], "No attempt in the file was to"),
    ],
)
def test_diagnose_bad_input_exits_2_with_a_clear_message(args, message, capsys) -> None:
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("sipsight: error: ")
    assert re.search(message, err), err
    assert "Traceback" not in err


def test_diagnose_empty_file_and_empty_list(capsys, tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("  \n")
    (tmp_path / "none.json").write_text("[]")
    assert run(["diagnose", str(tmp_path / "empty.json")], capsys)[2].count("is empty") == 1
    code, _, err = run(["diagnose", str(tmp_path / "none.json")], capsys)
    assert code == 2 and "holds no call attempts" in err


def test_diagnose_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["diagnose"])
    assert exc.value.code == 2
    assert "ATTEMPTS.json" in capsys.readouterr().err


# --------------------------------------------------------------------------- triage


def test_triage_text(capsys, tmp_path: Path) -> None:
    path = tmp_path / "conversation.txt"
    path.write_text(CONVERSATION, encoding="utf-8")
    code, out, err = run(["triage", str(path)], capsys)
    assert code == 0, err
    assert "+1 303-555-0199" in out and "+1 720-555-0100" in out
    assert "Numbers:" in out and "Symptoms:" in out
    assert "Goes straight to voicemail" in out and "straight_to_voicemail" not in out  # the label, not the id
    assert "sip:608" in out
    assert "Likely explanations" in out


def test_triage_json_from_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(CONVERSATION.encode())))
    code, out, err = run(["triage", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    case = Case.model_validate(doc["case"])
    assert {n.e164 for n in case.numbers} >= {"+13035550199", "+17205550100"}
    assert doc["hypotheses"]["kind"] in {k.value for k in DiagnosisKind}


def test_triage_errors_exit_2(capsys, monkeypatch) -> None:
    code, _, err = run(["triage", "missing.txt"], capsys)
    assert code == 2 and "File not found: missing.txt" in err
    code, _, err = run(["triage", "--region", "ZZ", "-"], capsys)
    assert code == 2 and "--region 'ZZ'" in err

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty())
    code, _, err = run(["triage"], capsys)
    assert code == 2 and "No conversation given" in err


# --------------------------------------------------------------------------- renderer


def test_render_result_colours_only_when_asked(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = make_result(DiagnosisKind.CALLER_ID_FLAGGED, 0.8, sip_code=608, sip_reason="Rejected")
    result.replies.customer = "Customer text"
    coloured = render_result(result, "America/Denver", True)
    plain = render_result(result, "America/Denver", False)
    assert ANSI.search(coloured) and not ANSI.search(plain)
    assert ANSI.sub("", coloured) == plain
    timeline = [line for line in plain.splitlines() if "+17205550100" in line and "+13035550199" in line]
    assert len(timeline) == 7
    assert "Nov 21 09:00 MST" in timeline[0] and "608 Rejected" in timeline[0] and "voicemail" in timeline[0]
    assert "(caller_id_flagged" not in plain and ", caller_id_flagged" not in plain  # labels, never kind ids
    assert "ring 1s" in timeline[-1] and "talk 0:08" in timeline[-1]
    assert "Caller ID blocked by network spam analytics: very likely, 80%" in plain
    assert "Caveats:" in plain and "Alternatives:" in plain
    assert "Customer text" in plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(render_result(result, "UTC", True))


def test_use_color_needs_a_tty_and_no_no_color(monkeypatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(Tty()) is True
    assert use_color(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(Tty()) is False


def test_render_case_without_hypotheses() -> None:
    text = render_case(Case(messages=["No phone number found"]))
    assert "No phone number found" in text and "Likely explanations" not in text


def test_diagnose_normalises_numbers_in_the_file(capsys, tmp_path: Path) -> None:
    items = json.loads((DATA / "blocked-608-flat.json").read_text())
    for item in items:
        item["to"] = item["to"].replace("+1303", "(303) ").replace("5550", "555-0")
        item["from"] = "720.555.0100"
    path = tmp_path / "local-notation.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    code, out, err = run(["diagnose", str(path), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["query"]["destination"] == "+13035550199" and doc["query"]["caller_id"] == "+17205550100"
    jsonschema.Draft202012Validator(report.schema()).validate(doc)


def test_diagnose_signs_the_reply_with_the_settings(capsys) -> None:
    from sipsight.settings.model import Settings
    from sipsight.settings.store import save_settings

    save_settings(Settings(agent_name="Dana", company_name="Acme CRM"))
    assert main(["diagnose", str(DATA / "origin-ticket.json"), "--tz", "UTC", "--json"]) == 0
    reply = json.loads(capsys.readouterr().out)["replies"]["customer"]
    assert reply.endswith("Best regards,\nDana, Acme CRM")
