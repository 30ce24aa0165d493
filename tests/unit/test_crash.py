"""Crash reports: masked, in the log file, and honest when the log cannot be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sipsight.core import crash
from sipsight.launcher import main


def _boom() -> None:
    raise RuntimeError("lookup of +1 303 555 0199 with token=s3cr3t failed")


def test_record_crash_masks_numbers_and_secrets() -> None:
    try:
        _boom()
    except RuntimeError as err:
        path = crash.record_crash(err)
    assert path is not None
    text = Path(path).read_text(encoding="utf-8")
    assert "RuntimeError" in text and "0199" in text
    assert "555 0199" not in text and "s3cr3t" not in text


def test_unwritable_log_folder_is_said_not_claimed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SIPSIGHT_HOME", str(blocker))
    monkeypatch.setattr("sipsight.cli.cmd_explain.run", lambda args: _boom())
    assert main(["explain", "608"]) == 1
    err = capsys.readouterr().err
    assert "could not be saved" in err and "written to" not in err
