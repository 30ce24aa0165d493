"""The fault matrix as a user meets it: `sipsight lookup` in a subprocess, with the shipped timeouts, retries and
budget, against each simulator fault and each address where nothing works (tests/fault_matrix.py has the cases).
Prints a Markdown table (fault, exit code, seconds, the one line on stderr) for docs/reliability.md.

    python bench/bench_fault_matrix.py [--only NAME]

The slow fault waits for the shipped 20 s read timeout; the whole run takes about a minute and a half.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fault_matrix  # noqa: E402


def run(case: fault_matrix.Case) -> tuple[int, float, str]:
    with fault_matrix.environment(case) as env, tempfile.TemporaryDirectory(prefix="sipsight-faults-") as home:
        full = {**os.environ, **env, "SIPSIGHT_HOME": home, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "sipsight", *fault_matrix.lookup_args()],
            env=full, capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        took = time.monotonic() - started
    line = (done.stderr.strip().splitlines() or [""])[-1] if done.returncode else "(report printed)"
    return done.returncode, took, line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    print("| fault | exit | time (s) | what the user reads |")
    print("|---|---|---|---|")
    wrong = 0
    for case in fault_matrix.CASES:
        if args.only and args.only not in case.name:
            continue
        code, took, line = run(case)
        ok = code == case.exit_code and case.needle in line and (not case.retry_after or case.retry_after in line)
        wrong += not ok
        shown = line.replace("sipsight: error: ", "").replace("|", "\\|")
        print(f"| {case.name}{'' if ok else ' **UNEXPECTED**'} | {code} | {took:.1f} | {shown} |", flush=True)
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
