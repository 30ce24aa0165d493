"""Writers that overlap lose nothing: real CLI processes adding profiles at once, and a desktop-like writer whose
copy is stale (docs/reliability.md). Each writer re-reads the file under its lock (settings.store)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sipsight.settings.store import load_settings, set_preferences

ACCOUNT = "AC" + "0" * 32
WRITERS = 30

# Each process imports SIPSight first, then waits for the gate: the writes start together instead of being
# spread out by interpreter start-up, which is what makes lost updates likely.
_GATED = """
import sys, time
from pathlib import Path
from sipsight.launcher import main
import sipsight.cli.cmd_profile, sipsight.settings.store, sipsight.settings.credentials
gate = Path(sys.argv[1])
Path(sys.argv[1] + "." + str(__import__("os").getpid())).touch()  # ready
while not gate.exists():
    time.sleep(0.002)
sys.exit(main(sys.argv[2:]))
"""


def _start(gate: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _GATED, str(gate), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write("s3cr3t-for-the-session\n")
    proc.stdin.close()
    return proc


def _add_args(name: str) -> list[str]:
    return ["profile", "add", name, "--account-sid", ACCOUNT, "--auth-mode", "auth_token", "--secret-stdin"]


def _finish(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        proc.wait(timeout=120)
        assert proc.stdout is not None and proc.stderr is not None
        with proc.stdout, proc.stderr:
            proc.stdout.read()
            err = proc.stderr.read()
        assert proc.returncode == 0, err
        assert "Traceback" not in err


def _release(gate: Path, procs: list[subprocess.Popen[str]]) -> None:
    """Open the gate once every process has imported SIPSight and waits (or after a minute, whatever)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(gate.parent.glob(gate.name + ".*"))) < len(procs):
        time.sleep(0.05)
    gate.touch()


@pytest.mark.slow
def test_thirty_concurrent_profile_adds_lose_nothing(tmp_path: Path) -> None:
    gate = tmp_path / "go"
    procs = [_start(gate, *_add_args(f"p{i:02d}")) for i in range(WRITERS)]
    _release(gate, procs)
    _finish(procs)
    settings = load_settings()
    assert sorted(p.name for p in settings.profiles) == [f"p{i:02d}" for i in range(WRITERS)]
    assert settings.active_profile is not None


@pytest.mark.slow
def test_desktop_preferences_and_cli_adds_at_once_lose_nothing(tmp_path: Path) -> None:
    """The desktop app saving preferences (pin, window size) while CLI processes add profiles."""
    gate = tmp_path / "go"
    procs = [_start(gate, *_add_args(f"c{i:02d}")) for i in range(WRITERS // 2)]
    _release(gate, procs)
    for i in range(40):
        set_preferences(always_on_top=bool(i % 2), window_geometry=f"geometry-{i}")
    _finish(procs)
    settings = load_settings()
    assert sorted(p.name for p in settings.profiles) == [f"c{i:02d}" for i in range(WRITERS // 2)]
    assert (settings.always_on_top, settings.window_geometry) == (True, "geometry-39")


def test_a_stale_desktop_copy_keeps_a_profile_added_by_the_cli_meanwhile(tmp_path: Path) -> None:
    """The bug: the window loaded its settings at start and wrote that copy back at close."""
    window_copy = load_settings()
    gate = tmp_path / "go"
    gate.touch()
    _finish([_start(gate, *_add_args("from-cli"))])
    window_copy.always_on_top = True
    set_preferences(always_on_top=window_copy.always_on_top)  # what the window calls instead of saving its copy
    settings = load_settings()
    assert [p.name for p in settings.profiles] == ["from-cli"] and settings.always_on_top


def test_threads_of_one_process_lose_nothing_either() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sipsight.settings.model import Profile
    from sipsight.settings.store import save_profile

    def add(i: int) -> None:
        save_profile(Profile(name=f"t{i:02d}", account_sid=ACCOUNT, auth_mode="auth_token"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, range(WRITERS)))
    assert sorted(p.name for p in load_settings().profiles) == [f"t{i:02d}" for i in range(WRITERS)]
