"""Bad input on the command line: one clear line and exit 2, never a traceback, a wrong exit code or a silent loss.

Each test is a case found in the release QA pass that used to end differently (a crash log, exit 0 on
nothing, a demo report when an account was asked for, a field dropped without a word).
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from sipsight.launcher import main

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ATTEMPT = {"id": "CAdemo1", "start_time": "2026-11-20T10:00:00Z", "from": "+17205550100", "to": "+13035550199"}


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_clear_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sipsight"), err
    assert "Traceback" not in err and "unexpected error" not in err
    return lines[0]


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(data), encoding="utf-8"))


# --------------------------------------------------------------------------- lookup


def test_lookup_scenario_with_profile_is_refused_not_a_silent_demo(capsys) -> None:
    code, out, err = run(["lookup", "+13035550199", "--profile", "work", "--scenario", "origin-ticket"], capsys)
    assert code == 2 and not out
    assert "--scenario is a demo option" in one_clear_line(err)


def test_lookup_empty_scenario_name(capsys) -> None:
    code, _, err = run(["lookup", "+13035550199", "--scenario", ""], capsys)
    assert code == 2
    assert "--scenario needs a scenario name" in one_clear_line(err)


@pytest.mark.parametrize("window", ["0d", "0h", "00m"])
def test_lookup_empty_window(window: str, capsys) -> None:
    code, out, err = run(["lookup", "+13035550199", "--demo", "--since", window], capsys)
    assert code == 2 and not out
    assert "empty window" in one_clear_line(err)


@pytest.mark.parametrize("command", [["lookup", "3035550199", "--demo"], ["summary", "--demo"]])
def test_unknown_region_is_named(command: list[str], capsys) -> None:
    code, _, err = run([*command, "--region", "ZZ"], capsys)
    assert code == 2
    assert "--region 'ZZ' is not a country code" in one_clear_line(err)


def test_lookup_honours_no_color_on_a_terminal(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    code, out, err = run(["lookup", "+13035550199", "--demo"], capsys)
    assert code == 0, err
    assert "Calls to +1 303-555-0199" in out
    assert not ANSI.search(out)


# --------------------------------------------------------------------------- diagnose


def test_diagnose_deeply_nested_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = run(["diagnose", str(path)], capsys)
    assert code == 2
    assert "nested too deeply" in one_clear_line(err)


def test_diagnose_names_fields_it_ignores(tmp_path: Path, capsys) -> None:
    path = tmp_path / "calls.json"
    path.write_text(json.dumps([{**ATTEMPT, "sip_response_code": 608, "duration": 12}]))
    code, out, err = run(["diagnose", str(path)], capsys)
    assert code == 0
    assert "Calls to +1 303-555-0199" in out
    assert "ignored unknown attempt field(s): sip_response_code, duration" in err


def test_diagnose_known_fields_give_no_note(tmp_path: Path, capsys) -> None:
    path = tmp_path / "calls.json"
    path.write_text(json.dumps({"attempts": [{**ATTEMPT, "sip_code": 608, "duration_s": 0}], "caller_attempts": []}))
    code, _, err = run(["diagnose", str(path)], capsys)
    assert code == 0
    assert "ignored" not in err


def test_missing_file_message_ends_its_sentence(tmp_path: Path, capsys) -> None:
    code, _, err = run(["diagnose", str(tmp_path / "nope.json")], capsys)
    assert code == 2
    assert f"File not found: {tmp_path / 'nope.json'}. Check the path" in one_clear_line(err)


# --------------------------------------------------------------------------- triage


def test_triage_empty_stdin_is_an_error(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"  \n")
    code, out, err = run(["triage", "--json"], capsys)
    assert code == 2 and not out
    assert "Standard input is empty" in one_clear_line(err)


def test_triage_binary_stdin_is_an_error(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, bytes(range(256)) * 40)
    code, out, err = run(["triage"], capsys)
    assert code == 2 and not out
    assert "looks like binary data" in one_clear_line(err)


def test_triage_text_still_works(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"I call (303) 555-0199 and get 608")
    code, out, _ = run(["triage"], capsys)
    assert code == 0
    assert "sip:608" in out


# --------------------------------------------------------------------------- simulate


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "-1"], "not a TCP port"),
        (["--port", "70000"], "not a TCP port"),
        (["--port", "abc"], "'abc' is not a whole number"),
        (["--latency-ms", "-5"], "cannot be negative"),
    ],
)
def test_simulate_bad_numbers_are_usage_errors(argv: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", *argv])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert message in err
    assert "unexpected error" not in err


# --------------------------------------------------------------------------- explain


def test_explain_full_width_digits(capsys) -> None:
    code, out, err = run(["explain", "\uff16\uff10\uff18"], capsys)
    assert code == 0, err
    assert "sip:608" in out


def test_explain_check_on_a_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "sip.yaml"
    path.write_text("entries: []\n")
    code, _, err = run(["explain", "--check", str(path)], capsys)
    assert code == 2
    assert "is a file, not a folder" in one_clear_line(err)


def test_explain_check_on_an_empty_folder_is_not_ok(tmp_path: Path, capsys) -> None:
    code, out, err = run(["explain", "--check", str(tmp_path)], capsys)
    assert code == 2
    assert not out.startswith("OK")
    assert "No knowledge entries" in one_clear_line(err)


# --------------------------------------------------------------------------- profile add


def _add(capsys, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, str, str]:
    _stdin(monkeypatch, b"demo-secret\n")
    return run(["profile", "add", "work", *extra, "--secret-stdin"], capsys)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--account-sid", "  "], "A twilio profile needs --account-sid (its Account SID)"),
        (["--account-sid", "AC" + "0" * 32, "--region", "ZZZ"], "--region 'ZZZ' is not a country code"),
        (["--account-sid", "AC" + "0" * 32, "--base-url", "notaurl"], "--base-url 'notaurl' cannot be used"),
    ],
)
def test_profile_add_refuses_what_no_provider_accepts(
    extra: list[str], message: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sipsight.settings.store import load_settings

    code, out, err = _add(capsys, monkeypatch, *extra)
    assert code == 2 and not out
    assert message in one_clear_line(err)
    assert load_settings().profiles == []  # nothing half-saved


def test_profile_add_without_a_terminal_says_how(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    def no_tty(prompt: str = "", stream=None) -> str:
        import warnings

        warnings.warn("Can not control echo on the terminal.", getpass.GetPassWarning, stacklevel=2)
        return ""

    monkeypatch.setattr(getpass, "getpass", no_tty)
    code, _, err = run(["profile", "add", "work", "--account-sid", "AC" + "0" * 32], capsys)
    assert code == 2
    assert "There is no terminal to type the Auth Token in" in one_clear_line(err)


def test_profile_add_unwritable_home(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SIPSIGHT_HOME", str(blocker))  # config/ cannot be created under a file
    code, _, err = _add(capsys, monkeypatch, "--account-sid", "AC" + "0" * 32)
    assert code == 2
    assert "Cannot save the settings" in one_clear_line(err)


def test_simulate_list_with_a_broken_scenario_file_exits_2(capsys) -> None:
    from sipsight.core.scenarios import user_scenarios_dir

    folder = user_scenarios_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.yaml").write_text("name: [unclosed\n")
    code = main(["simulate", "--list"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "origin-ticket" in out  # the good scenarios are still listed
    assert "mine.yaml" in err


def test_triage_utf16_file_is_text_not_binary(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ticket.txt"  # Windows Notepad's "Unicode"
    path.write_bytes("I call (303) 555-0199 and get 608".encode("utf-16"))
    code, out, err = run(["triage", str(path)], capsys)
    assert code == 0, err
    assert "+1 303-555-0199" in out and "sip:608" in out


def test_unquoted_number_with_spaces_gets_a_quoting_hint(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["lookup", "+1", "303", "555", "0199", "--demo"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert 'must be in quotes, e.g. "+1 303 555 0199"' in err


def test_other_stray_words_get_the_plain_usage_hint(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["lookup", "+13035550199", "--demo", "foo"])
    err = capsys.readouterr().err
    assert "quotes" not in err and "--help" in err


def test_summary_demo_refuses_since_instead_of_ignoring_it(capsys) -> None:
    code, out, err = run(["summary", "--demo", "--since", "zz"], capsys)
    assert code == 2 and not out
    assert "--since is for a NUMBER lookup" in one_clear_line(err)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--base-url", "http://example.com"], "--base-url"),
        (["--base-url", "https://user:pw@api.example.com"], "--base-url"),
        (["--api-host", "http://api.example.com"], "--api-host"),
        (["--insights-host", "https://insights.example.com/path"], "--insights-host"),
    ],
)
def test_profile_add_refuses_an_address_that_would_get_the_secret_in_clear(args, option, capsys) -> None:
    from sipsight.launcher import main

    code = main(["profile", "add", "lab", "--account-sid", "AC" + "0" * 32, "--secret-stdin", *args])
    err = capsys.readouterr().err
    assert code == 2 and option in err and "sipsight: error:" in err
