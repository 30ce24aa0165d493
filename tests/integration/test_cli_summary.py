"""`sipsight summary`: Markdown to stdout, HTML and PDF files, a real NUMBER lookup through environment
credentials against the simulator, headless PDF in a fresh process, and clear one-line errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sipsight.core.scenarios import get_scenario
from sipsight.launcher import main
from sipsight.simulator.server import Simulator


def test_demo_markdown_goes_to_stdout(capsys) -> None:
    assert main(["summary", "--demo"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("## Educational Summary: What Was the Problem?")
    assert "```mermaid\nflowchart TD" in out and "**How to Identify:**" in out and "> **Tip:**" in out
    assert "+1 303-555-0199" in out  # the origin ticket's destination
    assert err == ""


def test_demo_scenario_html_to_a_file_says_where(capsys, tmp_path: Path) -> None:
    target = tmp_path / "busy.html"
    assert main(["summary", "--demo", "--scenario", "busy-seller", "--format", "html", "--output", str(target)]) == 0
    out, err = capsys.readouterr()
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script" not in page
    busy = get_scenario("busy-seller")
    assert "busy" in page.lower() and busy.destination[-4:] in page.replace("-", "")
    assert out == "" and str(target.resolve()) in err


def test_format_follows_the_output_suffix(capsys, tmp_path: Path) -> None:
    target = tmp_path / "case.md"
    assert main(["summary", "--scenario", "seller-607-unwanted", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("## Educational Summary")
    assert "607" in target.read_text(encoding="utf-8")


def test_pdf_defaults_to_a_file_in_the_current_folder(capsys, qapp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["summary", "--demo", "--scenario", "caller-id-608-redress", "--format", "pdf"]) == 0
    out, err = capsys.readouterr()
    pdf = tmp_path / "sipsight-summary.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20000
    # the chart is drawn, not pasted: no image in the file, and its text is text (the fonts are embedded)
    assert b"/Subtype /Image" not in data and b"FontFile2" in data
    # the text flows on portrait pages, then the call-flow section on one landscape page (8 pt labels need it)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert len(boxes) == len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2
    assert all(float(w) < float(h) for w, h in boxes[:-1]) and float(boxes[-1][0]) > float(boxes[-1][1])
    assert out == "" and f"Summary PDF written to {pdf.resolve()}" in err


def test_pdf_works_headless_in_a_fresh_process(tmp_path: Path) -> None:
    """No display and no QT_QPA_PLATFORM: the command picks the offscreen platform itself."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    target = tmp_path / "out.pdf"
    run = subprocess.run(
        [sys.executable, "-m", "sipsight", "summary", "--demo", "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert target.read_bytes().startswith(b"%PDF") and str(target) in run.stderr
    assert run.stdout == "" and run.stderr.splitlines() == [f"Summary PDF written to {target.resolve()}"]  # quiet


def test_number_lookup_uses_the_account_like_sipsight_lookup(capsys, monkeypatch) -> None:
    with Simulator(scenario="caller-id-608-redress").start() as sim:
        scenario = get_scenario("caller-id-608-redress")
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", sim.account_sid)
        monkeypatch.setenv("TWILIO_API_KEY", sim.api_key_sid)
        monkeypatch.setenv("TWILIO_API_SECRET", sim.api_key_secret)
        monkeypatch.setenv("SIPSIGHT_TWILIO_BASE_URL", sim.base_url)
        national = scenario.destination[2:5] + "-" + scenario.destination[5:8] + "-" + scenario.destination[8:]
        code = main(["summary", national, "--from", scenario.caller_id, "--tz", "UTC", "--since", "7d"])
        assert any(r.path.endswith("/Calls.json") for r in sim.requests)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "608" in out and "```mermaid" in out and "Rejected" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary"], "Give the NUMBER to look up, or --demo"),
        (["summary", "--demo", "--scenario", "no-such-case"], "Unknown scenario 'no-such-case'"),
        (["summary", "--demo", "--output", "/no/such/folder/x.md"], "The folder /no/such/folder does not exist."),
        (["summary", "+13035550199", "--profile", "nobody"], "no profile named 'nobody'"),
        (["summary", "not-a-number", "--demo", "--from", "xyz"], "sipsight: error:"),
    ],
)
def test_errors_are_one_clear_line(capsys, argv, message) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2 or (code == 3 and "profile" in message), err
    assert message in err and "Traceback" not in err and out == ""
    assert len(err.strip().splitlines()) == 1


def test_output_that_is_a_folder_is_refused(capsys, tmp_path: Path) -> None:
    assert main(["summary", "--demo", "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_profile_and_demo_are_exclusive(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["summary", "--demo", "--profile", "work"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is where no file can be created")
def test_unwritable_pdf_path_is_one_clear_line_without_qt_noise(tmp_path: Path) -> None:
    """Qt writes its warnings to the process's stderr itself: only a fresh process shows what the user sees."""
    run = subprocess.run(
        [sys.executable, "-m", "sipsight", "summary", "--demo", "--format", "pdf", "--output", "/proc/x.pdf"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SIPSIGHT_HOME": str(tmp_path)},
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith("sipsight: error: Cannot write the PDF to /proc/x.pdf")
    assert "QPainter" not in run.stderr


def test_qt_messages_while_writing_a_pdf_go_to_the_log_not_the_terminal(qapp, capfd, caplog, monkeypatch) -> None:
    from sipsight.core.errors import InputError
    from sipsight.export import pdf

    # past the up-front check, Qt itself meets the unwritable file and complains
    monkeypatch.setattr(pdf, "_check_writable", lambda path: None)
    with caplog.at_level("DEBUG", logger="sipsight.qt"), pytest.raises(InputError):
        pdf.html_to_pdf("<p>x</p>", "/proc/x.pdf")
    assert "QPainter" not in capfd.readouterr().err
    assert any("QPainter" in r.getMessage() for r in caplog.records)


def test_an_existing_pdf_is_overwritten_and_no_empty_file_is_left_on_failure(qapp, tmp_path: Path) -> None:
    from sipsight.export import pdf

    target = tmp_path / "old.pdf"
    target.write_bytes(b"old")
    assert pdf.html_to_pdf("<p>x</p>", target) == target and target.read_bytes().startswith(b"%PDF")
    fresh = tmp_path / "new.pdf"
    pdf._check_writable(fresh)
    assert not fresh.exists()
