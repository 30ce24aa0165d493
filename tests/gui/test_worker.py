"""The background primitive: work off the GUI thread, callbacks on it, failures delivered, stale lookups dropped."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QTimer

from sipsight.gui import worker
from sipsight.gui.worker import LookupRunner, run_in_background


def test_work_runs_in_a_pool_thread_and_success_arrives_on_the_gui_thread(qtbot):
    main = threading.current_thread()
    seen = {}

    def work():
        seen["work_thread"] = threading.current_thread()
        return 42

    def ok(value):
        seen["value"] = value
        seen["callback_thread"] = threading.current_thread()

    run_in_background(work, ok, lambda err: seen.setdefault("error", err))
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen["value"] == 42 and "error" not in seen
    assert seen["work_thread"] is not main
    assert seen["callback_thread"] is main
    qtbot.waitUntil(lambda: worker.pending_jobs() == 0, timeout=1000)


def test_failure_arrives_on_the_gui_thread(qtbot):
    main = threading.current_thread()
    seen = {}

    def work():
        raise ValueError("nope")

    def failed(err):
        seen["err"] = err
        seen["thread"] = threading.current_thread()

    run_in_background(work, lambda v: seen.setdefault("value", v), failed)
    qtbot.waitUntil(lambda: "err" in seen, timeout=3000)
    assert isinstance(seen["err"], ValueError) and "value" not in seen
    assert seen["thread"] is main


def test_gui_thread_is_free_while_work_sleeps(qtbot):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    done = []
    started = time.monotonic()
    run_in_background(lambda: time.sleep(0.4) or "slept", done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    timer.stop()
    assert done == ["slept"]
    assert len(ticks) >= 0.4 * (time.monotonic() - started) / 0.01


def test_runner_drops_results_of_superseded_generations(qtbot, monkeypatch):
    """A newer start() supersedes: the older lookup's token is cancelled and its late result is dropped."""
    release = threading.Event()
    tokens = []

    def fake_lookup(request, token):
        tokens.append(token)
        if request == "slow":
            release.wait(5)
        return f"result of {request}"

    monkeypatch.setattr(worker, "_lookup", fake_lookup)
    runner = LookupRunner()
    got, failed = [], []
    runner.succeeded.connect(lambda gen, result: got.append((gen, result)))
    runner.failed.connect(lambda gen, err: failed.append(err))
    first = runner.start("slow")
    qtbot.waitUntil(lambda: len(tokens) == 1, timeout=2000)
    second = runner.start("fast")
    assert second == first + 1
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    assert tokens[0].cancelled and not tokens[1].cancelled
    release.set()
    assert runner.wait_idle(3000)
    qtbot.wait(50)
    assert got == [(second, "result of fast")] and failed == []
    assert not runner.busy


def test_runner_cancel_drops_the_result_and_reports_cancelled(qtbot, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(worker, "_lookup", lambda request, token: release.wait(5) and "late")
    runner = LookupRunner()
    got, cancelled = [], []
    runner.succeeded.connect(lambda gen, result: got.append(result))
    runner.cancelled.connect(cancelled.append)
    gen = runner.start("x")
    assert runner.busy
    runner.cancel()
    assert cancelled == [gen] and not runner.busy
    release.set()
    assert runner.wait_idle(3000)
    qtbot.wait(50)
    assert got == []
    runner.cancel()  # a second cancel with nothing running is a no-op
    assert cancelled == [gen]
