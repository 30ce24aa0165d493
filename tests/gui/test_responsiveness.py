"""The window keeps answering while it works: a paste is read by intake on a pool thread (a newer paste
supersedes it, Enter waits for it), and a result is set on the panel in steps. The figures (the longest stall)
are bench/gui_stalls.py's; these tests check the mechanics, without timing anything."""

from __future__ import annotations

import threading

import pytest

from gui_support import demo_window
from sipsight.providers.http import HttpConfig

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=10)
FILLER = "Agent: thanks, we are checking the call logs for you today.\n" * 4000  # ~240 KB


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 860)) as win:
        yield win


def test_a_big_paste_is_parsed_off_the_gui_thread_and_superseded_by_a_newer_one(qtbot, window, monkeypatch):
    import sipsight.core.intake as intake

    threads: list[bool] = []
    gate = threading.Event()
    real = intake.parse

    def parse(text, region="US"):
        if text.strip():
            threads.append(threading.current_thread() is threading.main_thread())
        if "first" in text:
            gate.wait(5)  # the first paste is still being read when the second arrives
        return real(text, region=region)

    monkeypatch.setattr(intake, "parse", parse)
    panel = window.input_panel
    panel.paste_text("first: call (303) 555-0142 please\n" + FILLER)
    qtbot.waitUntil(lambda: bool(threads), timeout=3000)
    assert panel.parse_pending() and threads == [False]
    panel.set_text("")
    panel.paste_text("second: the seller at (303) 555-0199, I call from 720-555-0100\n" + FILLER)
    gate.set()
    qtbot.waitUntil(lambda: not panel.parse_pending(), timeout=5000)
    assert threads == [False, False]
    assert panel.case is not None and panel.case.destination.e164 == "+13035550199"
    qtbot.wait(50)  # the superseded parse's result has come back by now, and was dropped
    assert panel.numbers() == ("+13035550199", "+17205550100")


def test_enter_right_after_a_paste_looks_up_what_was_pasted(qtbot, window):
    panel = window.input_panel
    panel.paste_text("The seller at (303) 555-0199 blocks me, I call from 720-555-0100\n" + FILLER)
    assert panel.parse_pending()
    with qtbot.waitSignal(window.lookup_finished, timeout=20000) as blocker:
        window.look_up()
    assert blocker.args[0].query.destination == "+13035550199"
    assert window.lookups.last_request.query.caller_id == "+17205550100"


def test_a_result_is_set_in_steps_and_lookup_finished_follows_the_last(qtbot, window):
    window.input_panel.set_text("(303) 555-0199")
    seen: list[tuple[bool, bool]] = []
    window.lookups.succeeded.connect(lambda r: seen.append((window.results.rendering, False)))
    with qtbot.waitSignal(window.lookup_finished, timeout=20000) as blocker:
        window.look_up()
    result = blocker.args[0]
    assert seen and seen[0][0] is True  # when the result arrived, the parts were still to be filled
    assert not window.results.rendering
    assert window.results.table.shown_ids() and window.results.timeline.attempt(result.attempts[0].id) is not None
    assert window.results.diagnosis.sections["evidence"].text()

