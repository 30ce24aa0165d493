"""Concurrent settings writers: how many changes survive when writers overlap (docs/reliability.md).

    python bench/bench_settings_writers.py [--writers 30] [--rounds 3] [--source DIR]

(a) `--writers` real `sipsight profile add` processes started together (each imports SIPSight, then waits at a
    gate so the writes overlap instead of being spread out by interpreter start-up);
(b) a desktop-like writer (a copy loaded at start, a preference saved later the way the window saves it) while
    half as many CLI processes add profiles.
`--source DIR` runs the SIPSight package found in DIR (e.g. an older checkout's `desktop/`, from
`git archive <commit> desktop | tar -x -C /tmp/old`) instead of this one, to measure before and after on the same
machine. The ratio printed is profiles kept / profiles added (1.0: nothing lost).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WRITER = """
import sys, os, time
from pathlib import Path
from sipsight.launcher import main
import sipsight.cli.cmd_profile, sipsight.settings.store, sipsight.settings.credentials
gate = Path(sys.argv[1])
Path(f"{gate}.{os.getpid()}").touch()
while not gate.exists():
    time.sleep(0.002)
sys.exit(main(sys.argv[2:]))
"""

# The desktop app as it saves a preference: the whole copy it loaded at start (before), or only what changed.
_DESKTOP = """
import sys, os, time
from pathlib import Path
from sipsight.settings import store
gate = Path(sys.argv[1])
copy = store.load_settings()
Path(f"{gate}.{os.getpid()}").touch()
while not gate.exists():
    time.sleep(0.002)
for i in range(40):
    if hasattr(store, "set_preferences"):
        store.set_preferences(always_on_top=bool(i % 2))
    else:
        copy.always_on_top = bool(i % 2)
        store.save_settings(copy)
    time.sleep(0.005)
"""


def _env(home: Path, source: Path | None) -> dict[str, str]:
    env = {**os.environ, "SIPSIGHT_HOME": str(home), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def _spawn(code: str, gate: Path, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(gate), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write(b"s3cr3t\n")
    proc.stdin.close()
    return proc


def _round(writers: int, desktop: bool, source: Path | None) -> tuple[int, int, float]:
    """(profiles added, profiles kept, seconds from the gate to the last exit)."""
    with tempfile.TemporaryDirectory() as tmp:
        home, gate = Path(tmp) / "home", Path(tmp) / "go"
        env = _env(home, source)
        names = [f"p{i:02d}" for i in range(writers)]
        procs = [
            _spawn(
                _WRITER,
                gate,
                env,
                "profile",
                "add",
                n,
                "--account-sid",
                "AC" + "0" * 32,
                "--auth-mode",
                "auth_token",
                "--secret-stdin",
            )
            for n in names
        ]
        if desktop:
            procs.append(_spawn(_DESKTOP, gate, env))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(gate.parent.glob("go.*"))) < len(procs):
            time.sleep(0.05)
        start = time.perf_counter()
        gate.touch()
        for proc in procs:
            proc.wait(timeout=300)
        elapsed = time.perf_counter() - start
        listing = subprocess.run(
            [
                sys.executable,
                "-c",
                "from sipsight.settings.store import load_settings as l; print(' '.join(p.name for p in l().profiles))",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        kept = len(set(listing.stdout.split()) & set(names))
        return writers, kept, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--source", type=Path, help="the folder holding the sipsight package to run")
    args = parser.parse_args(argv)
    label = str(args.source) if args.source else "this checkout"
    print(f"concurrent settings writers ({label}), {args.rounds} rounds")
    for desktop, writers, what in (
        (False, args.writers, f"{args.writers} CLI 'profile add' at once"),
        (True, args.writers // 2, f"desktop saving a preference 40x + {args.writers // 2} CLI adds"),
    ):
        for n in range(args.rounds):
            added, kept, elapsed = _round(writers, desktop, args.source)
            print(f"  {what:55} round {n + 1}: kept {kept:>2}/{added}  ratio {kept / added:.2f}  ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
