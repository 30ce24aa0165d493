"""The desktop app's longest event-loop stall while it works: a lookup (the result rendered) and a 1 MB paste.

A 5 ms QTimer records the gap between its ticks on the GUI thread; the longest gap, less the timer's own 5 ms,
is the longest time the window could not answer a click, a key or a repaint. Target: under 50 ms.

On a shared machine the operating system also takes the CPU away from SIPSight (another process runs), and
such a gap is not SIPSight's doing. So each gap is also measured in SIPSight's own CPU time (the process', both
threads): `own` is the smaller of the wall-clock gap and the CPU time the process used during it. A gap from
SIPSight's work (Python on either thread holds the GIL, Qt paints) has own == wall; a gap from a busy machine
has own << wall. `GUI thread` is the most CPU time the GUI thread itself spent between two ticks (its own work,
without waiting for the GIL or for a core). The load average is printed beside the figures.
Used by bench_gui.py (`--stalls`) and runnable alone:

    QT_QPA_PLATFORM=offscreen python bench/gui_stalls.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

STALL_TARGET_MS = 50.0
TICK_MS = 5
PASTE_BYTES = 1_000_000


class StallMeter:
    """The longest gap between 5 ms timer ticks on the GUI thread, and what was running around it."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = self.last_cpu = self.last_gui = 0.0
        self.longest = self.longest_own = self.longest_gui = 0.0

    def _tick(self) -> None:
        now, cpu, gui = time.perf_counter(), time.process_time(), time.thread_time()
        if self.last:
            gap = now - self.last
            self.longest = max(self.longest, gap)
            self.longest_own = max(self.longest_own, min(gap, cpu - self.last_cpu))
            self.longest_gui = max(self.longest_gui, gui - self.last_gui)
        self.last, self.last_cpu, self.last_gui = now, cpu, gui

    def start(self) -> None:
        self.longest = self.longest_own = self.longest_gui = 0.0
        self.last, self.last_cpu, self.last_gui = time.perf_counter(), time.process_time(), time.thread_time()
        self.timer.start()

    def stop(self) -> tuple[float, float, float]:
        """(wall, own, gui) in ms: the longest stall (the gap less the timer's own interval); the same gap in
        SIPSight's CPU time (both threads); the most CPU the GUI thread itself spent between two ticks."""
        self.timer.stop()
        self._tick()
        return (
            max(self.longest * 1000 - TICK_MS, 0.0),
            max(self.longest_own * 1000 - TICK_MS, 0.0),
            self.longest_gui * 1000,
        )


def _wait(app: object, done: Callable[[], bool], timeout_s: float = 60) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)


def _settle(app: object, seconds: float = 0.2) -> None:
    """Let the event loop run a moment (repaints, queued calls) before the stall is read."""
    end = time.monotonic() + seconds
    _wait(app, lambda: time.monotonic() > end)


def paste_text(size: int = PASTE_BYTES) -> str:
    """A 1 MB paste: a long conversation export with the case's numbers near the top."""
    head = (
        "Customer: I spoke with the seller at (303) 555-0199 a few times. Now when I call from 720-555-0100 "
        "it goes straight to voicemail. Did they block my number?\n"
    )
    filler = "Agent: Thanks for the details, we are checking the call logs for you today.\n"
    return (head + filler * (size // len(filler)))[:size]


Figures = dict[str, list[tuple[float, float, float]]]


def measure(runs: int = 3, scenario: str = "origin-ticket") -> Figures:
    """{what: [(wall, own, gui) longest stall per run, ms]} for a cold lookup, warm lookups and a 1 MB paste, in one
    process."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sipsight.gui.app import GuiOptions, create_window, ensure_app
    from sipsight.settings.model import Settings

    app = ensure_app()
    window = create_window(GuiOptions(demo=True, scenario=scenario, theme="light"), Settings(), install_hooks=False)
    window.persist = False
    window.resize(440, 900)
    window.show()
    _wait(app, window.isVisible)
    window.finish_startup()
    from sipsight.gui.background import pending_ops

    _wait(app, lambda: pending_ops() == 0, 20)  # the warm-up after the first paint, while the agent reads the window
    meter = StallMeter()
    figures: Figures = {"lookup (cold)": [], "lookup": [], "paste 1 MB": []}
    done: list[object] = []
    window.lookup_finished.connect(done.append)
    window.lookup_failed.connect(done.append)
    sc = next(s for s in window.scenarios if s.name == scenario)
    for run in range(runs + 1):
        window.prefill_scenario(sc)
        done.clear()
        meter.start()
        window.look_up()
        _wait(app, lambda: bool(done))
        _wait(app, lambda: not window.results.rendering, 10)
        _settle(app)
        figures["lookup (cold)" if run == 0 else "lookup"].append(meter.stop())
    text = paste_text()
    for _ in range(runs):
        window.input_panel.set_text("")
        _wait(app, lambda: not window.input_panel.parse_pending())
        meter.start()
        window.input_panel.paste_text(text)
        _wait(app, lambda: not window.input_panel.parse_pending(), 30)
        _settle(app)
        figures["paste 1 MB"].append(meter.stop())
    window.close()
    return figures


def report(figures: Figures) -> list[str]:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"cpu cores: {os.cpu_count()}, load average {load:.2f}"]
    for what, values in figures.items():
        wall = max(v[0] for v in values)
        own = max(v[1] for v in values)
        gui = max(v[2] for v in values)
        lines.append(
            f"longest GUI stall, {what:<13}: wall {wall:6.1f} ms (median {statistics.median(v[0] for v in values):5.1f}"
            f", {len(values)} runs)  own {own:5.1f} ms  GUI thread {gui:5.1f} ms  target {STALL_TARGET_MS:.0f} ms  "
            f"ratio wall {wall / STALL_TARGET_MS:.2f}, own {own / STALL_TARGET_MS:.2f}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", default="origin-ticket")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        os.environ["SIPSIGHT_HOME"] = home
        os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        for line in report(measure(args.runs, args.scenario)):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
