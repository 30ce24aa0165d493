"""The background primitive: work off the GUI thread, callbacks on it, failures delivered, the loop free meanwhile."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QTimer

from sipsight.gui import background
from sipsight.gui.background import BackgroundOp


def test_work_runs_in_a_pool_thread_and_success_arrives_on_the_gui_thread(qtbot):
    main = threading.current_thread()
    seen = {}

    def work() -> int:
        seen["work_thread"] = threading.current_thread()
        return 42

    def ok(value: int) -> None:
        seen["value"] = value
        seen["callback_thread"] = threading.current_thread()

    BackgroundOp(op=work, success=ok).failure(lambda err: seen.setdefault("error", err)).run_in_background()
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen["value"] == 42 and "error" not in seen
    assert seen["work_thread"] is not main
    assert seen["callback_thread"] is main
    qtbot.waitUntil(lambda: background.pending_ops() == 0, timeout=1000)


def test_failure_arrives_on_the_gui_thread(qtbot):
    main = threading.current_thread()
    seen = {}

    def work() -> int:
        raise ValueError("nope")

    def failed(err: BaseException) -> None:
        seen["err"] = err
        seen["thread"] = threading.current_thread()

    BackgroundOp(op=work, success=lambda v: seen.setdefault("value", v)).failure(failed).run_in_background()
    qtbot.waitUntil(lambda: "err" in seen, timeout=3000)
    assert isinstance(seen["err"], ValueError) and "value" not in seen
    assert seen["thread"] is main


def test_a_failure_nobody_handles_goes_to_the_error_hooks(qtbot, monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, err, tb: reported.append(err))

    def work() -> None:
        raise KeyError("unhandled")

    BackgroundOp(op=work, success=lambda _v: None).run_in_background()
    qtbot.waitUntil(lambda: bool(reported), timeout=3000)
    assert isinstance(reported[0], KeyError)


def test_gui_thread_is_free_while_work_waits(qtbot):
    """The work waits until the GUI thread has ticked a timer five times: it ends only if the loop turns."""
    ticks: list[int] = []
    gate = threading.Event()

    def tick() -> None:
        ticks.append(1)
        if len(ticks) >= 5:
            gate.set()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    done: list[object] = []
    BackgroundOp(op=lambda: "released" if gate.wait(10) else "starved", success=done.append).failure(
        done.append
    ).run_in_background()
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    timer.stop()
    assert done == ["released"] and len(ticks) >= 5


def test_an_op_that_ends_after_the_app_let_go_of_it_ends_quietly(qtbot, capfd):
    """Quitting (a window closed, a screenshot taken) while an op runs deletes its relay; the op's end is then
    dropped, not a traceback printed from a pool thread ('Signal source has been deleted')."""
    import shiboken6
    from PySide6.QtCore import QThreadPool

    release, ran = threading.Event(), threading.Event()
    pool = QThreadPool()

    def work() -> int:
        release.wait(5)
        ran.set()
        return 1

    before = set(background._pending)
    BackgroundOp(op=work, success=lambda _: None).run_in_background(pool)
    [relay] = background._pending - before
    background._pending.discard(relay)
    shiboken6.delete(relay)
    release.set()
    assert pool.waitForDone(5000) and ran.is_set()
    err = capfd.readouterr().err
    assert "Signal source has been deleted" not in err and "Traceback" not in err
