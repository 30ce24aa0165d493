"""Desktop app benchmark: cold start to a shown window, and resident memory after a demo lookup.

    python bench/bench_gui.py [--runs 5]

(a) cold start: a fresh `python -m sipsight gui --demo` process per run, timed from just before the process
    is spawned to the window's first expose event (the app prints a marker there when SIPSIGHT_BENCH_PROBE
    is "startup", then quits). Target 0.8 s (on 2 cores). The median of --runs is reported.
(b) memory: VmRSS from /proc/self/status with the window open after a demo lookup of the origin ticket
    (SIPSIGHT_BENCH_PROBE=memory). Target 150 MB.
(c) the longest event-loop stall during a lookup (the result rendered) and during a 1 MB paste, from a 5 ms
    QTimer's gaps, in wall-clock time and in SIPSight's own CPU time (gui_stalls.py). Target 50 ms.
The timeline helper's benchmark (bench_timeline.py) runs too when it is importable.
A ratio below 1.0 meets the target. Linux only for (b) (/proc).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP_TARGET_S = 0.8
MEMORY_TARGET_MB = 150.0


def _env(probe: str, home: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["SIPSIGHT_BENCH_PROBE"] = probe
    env["SIPSIGHT_HOME"] = home  # a clean home: no saved geometry, no history, no profiles
    env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return env


def _run(args: list[str], probe: str, home: str, marker: str) -> tuple[float, str]:
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "sipsight", "gui", *args],
        env=_env(probe, home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith(marker)), None)
    if line is None:
        raise SystemExit(f"no {marker} marker (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return started, line.split()[1]


def cold_start(runs: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as home:
        _run(["--demo"], "startup", home, "SIPSIGHT_SHOWN")  # warm the OS file cache once, like a second launch
        for _ in range(runs):
            started, shown = _run(["--demo"], "startup", home, "SIPSIGHT_SHOWN")
            times.append(float(shown) - started)
    return statistics.median(times)


def memory_mb() -> float:
    with tempfile.TemporaryDirectory() as home:
        _, kb = _run(
            ["--demo", "--scenario", "origin-ticket", "--lookup", "+13035550199"], "memory", home, "SIPSIGHT_RSS_KB"
        )
    return int(kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stalls-only", action="store_true", help="only (c), the event-loop stalls")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import gui_stalls

    if args.stalls_only:
        return gui_stalls.main(["--runs", str(args.runs)])
    print(f"cpu cores: {os.cpu_count()}")
    start = cold_start(args.runs)
    print(
        f"cold start to shown window: {start * 1000:7.0f} ms  target {STARTUP_TARGET_S * 1000:.0f} ms  "
        f"ratio {start / STARTUP_TARGET_S:.2f}"
    )
    if Path("/proc/self/status").exists():
        rss = memory_mb()
        print(
            f"memory after a demo lookup: {rss:7.1f} MB  target {MEMORY_TARGET_MB:.0f} MB  "
            f"ratio {rss / MEMORY_TARGET_MB:.2f}"
        )
    else:
        print("memory after a demo lookup: skipped (no /proc)")
    print("--- event-loop stalls (gui_stalls.py)")
    gui_stalls.main(["--runs", str(args.runs)])
    try:
        import bench_timeline  # the timeline helper's benchmark, when present
    except ImportError:
        return 0
    print("--- bench_timeline")
    return int(bench_timeline.main([]) or 0)


if __name__ == "__main__":
    sys.exit(main())
