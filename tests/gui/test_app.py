"""The desktop app end to end, offscreen: paste -> lookup on the simulator (real HTTP) -> timeline, diagnosis,
copy; busy state, cancel and supersede; history; clipboard watch; scenario picker; the screenshot command."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage

import project_paths
from gui_support import demo_window, shown
from sipsight.gui import background
from sipsight.gui.app import GuiOptions, create_window
from sipsight.providers.http import HttpConfig
from sipsight.settings.model import Settings

CONVERSATION = (
    "Hi, I spoke with the seller at (303) 555-0199 a few times last week. Now when I call from my number "
    "720-555-0100 it goes straight to voicemail and the screen shows an error. Did they block my number?"
)
FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=10)
LOOKUP_TIMEOUT_MS = 20000


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 860)) as win:
        yield win


def _look_up(qtbot, win):
    with qtbot.waitSignal(win.lookup_finished, timeout=LOOKUP_TIMEOUT_MS) as blocker:
        win.look_up()
    return blocker.args[0]


def test_paste_lookup_shows_timeline_diagnosis_and_copies_reply(qtbot, window):
    QGuiApplication.clipboard().setText(CONVERSATION)
    window.results.tabs.setFocus()  # focus away from the input: Ctrl+V anywhere routes there
    qtbot.keyClick(window.results.tabs, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.input_panel.text() == CONVERSATION
    qtbot.waitUntil(lambda: not window.input_panel.parse_pending(), timeout=5000)  # intake reads it on a pool thread
    kinds = [chip.kind for chip in window.input_panel.chips.chips()]
    assert "destination" in kinds and "caller_id" in kinds
    assert window.input_panel.numbers() == ("+13035550199", "+17205550100")

    with qtbot.waitSignal(window.lookup_finished, timeout=LOOKUP_TIMEOUT_MS) as blocker:
        qtbot.keyClick(window.input_panel.input, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert result.demo and result.attempts and result.diagnosis is not None

    # timeline and table hold the attempts; the headline card and explanation show the diagnosis
    for attempt in result.attempts:
        assert window.results.timeline.attempt(attempt.id) is not None
    assert window.results.table.shown_ids()
    assert window.headline.isVisible()
    assert window.headline.headline.text() == shown(result.diagnosis.headline)
    assert window.headline.meter.word.text() in {"possible", "likely", "very likely"}
    assert window.results.diagnosis.sections["evidence"].text()
    assert window.top_bar.demo_badge.isVisible() and window.top_bar.demo_badge.text() == "DEMO DATA"

    # copy reply: plain text and HTML on the clipboard, and a transient confirmation
    window.results.tabs.setCurrentIndex(1)
    qtbot.mouseClick(window.replies.buttons["reply"], Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == result.replies.customer.strip() or mime.text() == result.replies.customer
    assert mime.hasHtml() and "<p>" in mime.html()
    assert window.toast.isVisible() and "copied" in window.toast.text().lower()
    qtbot.waitUntil(lambda: not window.toast.isVisible(), timeout=4000)

    qtbot.mouseClick(window.replies.buttons["note"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().mimeData().text() == result.replies.internal_note

    # the summary: Markdown as text, the rendered HTML as html
    qtbot.mouseClick(window.replies.buttons["summary"], Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text().lstrip().startswith("#")
    assert "<svg" in mime.html() or "<html" in mime.html().lower()


def test_edited_reply_is_what_gets_copied(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    _look_up(qtbot, window)
    window.replies.editors["reply"].setPlainText("Hello,\n\nShort answer.\n\n- one\n- two")
    window.replies.copy("reply")
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text().startswith("Hello,")
    assert "<ul><li>one</li><li>two</li></ul>" in mime.html()


def test_evidence_click_selects_its_attempts_and_shows_the_record(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    result = _look_up(qtbot, window)
    with_ids = [i for i, ev in enumerate(result.diagnosis.evidence) if ev.attempt_ids]
    assert with_ids, "the origin ticket's diagnosis cites attempts"
    index = with_ids[0]
    first = result.diagnosis.evidence[index].attempt_ids[0]
    window.results.diagnosis.sections["evidence"].linkActivated.emit(f"ev:{index}")
    assert window.results.tabs.currentIndex() == 2
    assert window.results.timeline.selected_id() == first
    assert window.results.table.selected_id() == first
    assert window.results.detail.isVisible() and window.results.detail.attempt.id == first
    assert first in window.results.detail.raw.toPlainText()
    window.results.detail.explain_button.click()
    assert window.results.detail.explanation.isVisible() and window.results.detail.explanation.text()


def test_table_selection_drives_timeline_and_detail(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    result = _look_up(qtbot, window)
    target = result.attempts[-1].id
    window.results.table.attempt_selected.emit(target)
    assert window.results.timeline.selected_id() == target
    assert window.results.detail.attempt.id == target
    window.results.timeline.attempt_selected.emit("")
    assert not window.results.detail.isVisible()


def test_event_loop_keeps_turning_during_a_slow_lookup(qtbot, window):
    """The lookup (real HTTP to the simulator) waits in its thread until the GUI thread has ticked a timer
    TICKS times: it can only finish if the event loop turns while the lookup is busy."""
    ticks_needed = 10
    ticks: list[bool] = []  # the lookup's busy state at each tick
    gate = threading.Event()
    real_run = window.lookups.run

    def gated_run(request, token):
        if not gate.wait(LOOKUP_TIMEOUT_MS / 1000):
            raise TimeoutError("the GUI thread never ticked while the lookup waited")
        return real_run(request, token)

    window.lookups.run = gated_run
    window.input_panel.set_text(CONVERSATION)
    timer = QTimer()
    timer.setInterval(5)

    def tick() -> None:
        ticks.append(window.lookups.busy and window.busy_bar.isVisible())
        if len(ticks) >= ticks_needed:
            gate.set()

    timer.timeout.connect(tick)
    timer.start()
    window.look_up()
    assert window.lookups.busy and window.busy_bar.isVisible() and window.busy_bar.cancel_button.isVisible()
    with qtbot.waitSignal(window.lookup_finished, timeout=LOOKUP_TIMEOUT_MS) as blocker:
        pass
    timer.stop()
    assert blocker.args[0] is not None and blocker.args[0].attempts
    # every one of the first ticks ran while the lookup was busy: the GUI thread never waited for it
    assert len(ticks) >= ticks_needed and all(ticks[:ticks_needed])
    assert not window.busy_bar.isVisible()


def test_newer_lookup_supersedes_the_slow_one(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    delivered = []
    window.lookup_finished.connect(delivered.append)
    window.lookups.session_options = {"http_config": FAST, "latency_ms": 1500}
    window.look_up()
    first = window.lookups.generation
    window.lookups.session_options = {"http_config": FAST}
    window.top_bar.scenario_combo.setCurrentIndex(window.top_bar.scenario_combo.findData("busy-seller"))
    with qtbot.waitSignal(window.lookup_finished, timeout=LOOKUP_TIMEOUT_MS):
        window.look_up()
    assert window.lookups.generation == first + 1
    assert window.lookups.wait_idle(15000)  # the first one finishes (or is cancelled) in its thread...
    qtbot.waitUntil(lambda: background.pending_ops() == 0, timeout=5000)  # ...and what it delivered was handled
    assert len(delivered) == 1 and delivered[0].scenario == "busy-seller"
    assert window.lookups.result.scenario == "busy-seller"


def test_cancel_keeps_the_previous_result(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    good = _look_up(qtbot, window)
    delivered = []
    window.lookup_finished.connect(delivered.append)
    window.lookups.session_options = {"http_config": FAST, "latency_ms": 2000}
    window.look_up()
    assert window.busy_bar.isVisible()
    qtbot.mouseClick(window.busy_bar.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.busy_bar.isVisible() and not window.lookups.busy
    assert window.lookups.wait_idle(10000)
    qtbot.waitUntil(lambda: background.pending_ops() == 0, timeout=5000)  # the late result arrived: dropped
    assert delivered == [] and window.lookups.result is good
    assert not window.banner.isVisible()
    assert window.headline.headline.text() == shown(good.diagnosis.headline)


def test_no_number_shows_intakes_message_inline(qtbot, window, monkeypatch):
    """With an account (not the demo, whose customer's caller ID is known) and no caller ID, nothing to look up."""
    monkeypatch.setattr(type(window), "demo", property(lambda self: False))
    window.input_panel.set_text("hello, my calls keep failing")
    window.input_panel.destination.setEditText("")
    window.look_up()
    assert window.lookups.generation == 0
    message = window.input_panel.message
    assert message.isVisible() and message.property("kind") == "error"
    assert "number" in message.text().lower()
    assert message.text().lower().count("paste") == 1  # intake's note, said once (no second hint saying it again)


def test_bad_typed_number_is_an_inline_message(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    window.input_panel.destination.setEditText("12")
    window.look_up()
    assert window.lookups.generation == 0
    assert window.input_panel.message.isVisible() and "12" in window.input_panel.message.text()


def test_corrected_numbers_are_used(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    window.input_panel.destination.setEditText("303-555-0142")
    window.input_panel.caller_id.setEditText("")
    window.look_up()
    assert window.lookups.last_request.query.destination == "+13035550142"
    assert window.lookups.last_request.query.caller_id is None
    window.lookups.cancel()


def test_time_window_custom_range(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    window.window_picker.set_key("24h")
    window.look_up()
    span = window.lookups.last_request.query
    assert 23.9 < (window.lookups.last_request.context.now - span.since).total_seconds() / 3600 < 24.1
    window.lookups.cancel()
    window.window_picker.set_key("custom")
    assert window.window_picker.since_edit.isVisible() and window.window_picker.until_edit.isVisible()
    window.window_picker.since_edit.setDate(window.window_picker.until_edit.date().addDays(-3))
    window.look_up()
    query = window.lookups.last_request.query
    assert query.until is not None and 2.0 < (query.until - query.since).total_seconds() / 86400 <= 4.0
    window.lookups.cancel()


def test_scenario_picker_prefills_the_conversation(qtbot, window):
    index = window.top_bar.scenario_combo.findData("seller-607-unwanted")
    assert index >= 0
    window.top_bar.scenario_combo.setCurrentIndex(index)
    window.top_bar.scenario_combo.activated.emit(index)
    scenario = next(s for s in window.scenarios if s.name == "seller-607-unwanted")
    assert window.input_panel.text() == scenario.conversation.strip()
    destination, _caller = window.input_panel.numbers()
    assert destination == scenario.destination
    assert "607" in window.source_label.text() or scenario.title in window.source_label.text()


def test_drop_text_onto_the_window(qtbot, window):
    mime = QMimeData()
    mime.setText(CONVERSATION)
    event = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    assert window.input_panel.text() == CONVERSATION


def test_history_reopens_with_a_new_lookup_and_masks_numbers(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    window.window_picker.set_key("30d")
    _look_up(qtbot, window)
    entries = window.lookups.history_entries()
    assert len(entries) == 1 and entries[0].destination == "+13035550199" and entries[0].window == "30d"
    window.fill_history_menu()
    labels = [a.text() for a in window.top_bar.history_menu.actions() if a.text()]
    assert any("0199" in label and "303555" not in label.replace(" ", "") for label in labels)
    assert not any("555-0199" in label or "5550199" in label.replace(" ", "") for label in labels)

    window.input_panel.set_text("something else")
    window.window_picker.set_key("24h")
    generation = window.lookups.generation
    with qtbot.waitSignal(window.lookup_finished, timeout=LOOKUP_TIMEOUT_MS) as blocker:
        window.open_history_entry(entries[0].id)
    assert window.lookups.generation == generation + 1  # the history keeps no calls: the case is looked up again
    request = window.lookups.last_request
    assert request.input_text == CONVERSATION and window.input_panel.text() == CONVERSATION
    assert request.query.destination == "+13035550199" and request.query.caller_id == "+17205550100"
    assert request.window == "30d"
    assert window.results.timeline.attempt(blocker.args[0].attempts[0].id) is not None

    window.clear_history()
    assert window.lookups.history_entries() == []
    window.fill_history_menu()
    assert [a.text() for a in window.top_bar.history_menu.actions()] == ["No recent lookups"]


def test_clipboard_watch_offers_without_stealing_focus(qtbot, window):
    window.clipboard.set_enabled(True)
    window.input_panel.input.setFocus()
    focused = QGuiApplication.focusObject()
    QGuiApplication.clipboard().setText("Can you check 303-555-0199 please")
    qtbot.waitUntil(window.offer_bar.isVisible, timeout=3000)
    assert window.offer_bar.message_label.text() == shown("Look up +1 303 •••-0199 from the clipboard?")
    assert QGuiApplication.focusObject() is focused
    assert window.lookups.generation == 0  # only an offer until the agent accepts
    with qtbot.waitSignal(window.lookup_finished, timeout=LOOKUP_TIMEOUT_MS):
        window.offer_bar.button("Look up").click()
    assert window.lookups.result.query.destination == "+13035550199"

    # our own copies are not offered back
    window.offer_bar.dismiss()
    window.replies.copy("reply")
    qtbot.wait(100)
    assert not window.offer_bar.isVisible()


def test_clipboard_watch_is_off_by_default(qtbot, window):
    assert Settings().clipboard_watch is False
    assert window.clipboard.enabled is False
    QGuiApplication.clipboard().setText("303-555-0199")
    qtbot.wait(100)
    assert not window.offer_bar.isVisible()


def test_always_on_top_and_geometry_are_remembered(qtbot, window, _isolated_home):
    from sipsight.settings.store import load_settings

    window.top_bar.pin_button.setChecked(True)
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    window.resize(520, 700)
    window.close()
    saved = load_settings()
    assert saved.always_on_top is True and saved.window_geometry
    again = create_window(GuiOptions(demo=True, theme="light"), saved, install_hooks=False)
    qtbot.addWidget(again)
    assert again.width() == 520 and again.height() == 700
    assert again.top_bar.pin_button.isChecked()


def test_dark_theme_applies_a_dark_palette(qtbot):
    from PySide6.QtGui import QPalette

    win = create_window(GuiOptions(demo=True, theme="dark"), Settings(), install_hooks=False)
    qtbot.addWidget(win)
    assert win.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3
    from sipsight.gui.theme import apply_theme

    apply_theme(QGuiApplication.instance(), "light")
    assert win.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.8


def test_screenshot_command_writes_a_png(tmp_path):
    out = tmp_path / "shot.png"
    proc = subprocess.run(
        [sys.executable, "-m", "sipsight", "gui", "--screenshot", str(out), "--size", "420x760", "--theme", "light"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # nothing but its result: Qt's own messages ('propagateSizeHints') go to the log
    assert proc.stderr == "" and proc.stdout.splitlines() == [f"screenshot written to {out}"]
    image = QImage(str(out))
    assert image.width() == round(420 * image.devicePixelRatio()) or image.width() >= 420
    assert image.height() >= 700


def test_cli_stays_qt_free_until_gui_runs():
    code = (
        "import sys\n"
        "from sipsight.launcher import build_parser\n"
        "build_parser(['gui'])\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=_env())
    assert proc.stdout.strip() == "False", proc.stderr


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(project_paths.DESKTOP)
    return env


def test_settings_dialog_tests_the_connection_saves_and_looks_up_with_the_profile(qtbot, window):
    from sipsight.settings.store import load_settings
    from sipsight.simulator.server import Simulator

    with Simulator(scenario="origin-ticket") as sim:
        window.open_settings()
        dialog = window.settings_dialog
        qtbot.waitExposed(dialog)
        assert dialog.keyring_note.isVisible() and "this session only" in dialog.keyring_note.text()
        assert dialog.empty_note.isVisible()
        dialog.name_edit.setText("work")
        dialog.account_edit.setText(sim.account_sid)
        dialog.key_edit.setText(sim.api_key_sid)
        dialog.base_url_edit.setText(sim.base_url)

        dialog.secret_edit.setText("wrong-secret")
        dialog.test_button.click()
        assert dialog.test_result.property("kind") == "busy"  # the dialog stays responsive while it tests
        qtbot.waitUntil(lambda: dialog.test_result.property("kind") == "error", timeout=LOOKUP_TIMEOUT_MS)
        assert "credentials" in dialog.test_result.text().lower() or "401" in dialog.test_result.text()

        dialog.secret_edit.setText(sim.api_key_secret)
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.test_result.property("kind") == "ok", timeout=LOOKUP_TIMEOUT_MS)
        assert dialog.test_result.text().startswith("✓ Connected")

        dialog.clipboard_check.setChecked(True)
        dialog.history_days.setValue(7)
        with qtbot.waitSignal(dialog.saved, timeout=2000):
            dialog.save()
        saved = load_settings()
        assert [p.name for p in saved.profiles] == ["work"] and saved.active_profile == "work"
        assert saved.clipboard_watch is True and saved.history_days == 7
        assert "secret" not in (window.settings.model_dump_json().lower().replace("secret_field", ""))
        assert window.clipboard.enabled and window.lookups.history is not None and window.lookups.history.days == 7

        # the window now looks in the account: no demo badge, no scenario picker, a real (simulated) provider
        assert window.profile == "work" and not window.demo
        assert not window.top_bar.demo_badge.isVisible() and not window.top_bar.scenario_combo.isVisible()
        window.input_panel.set_text(CONVERSATION)
        result = _look_up(qtbot, window)
        assert not result.demo and result.profile == "work" and result.attempts
        assert any(r.path.endswith("/Calls.json") for r in sim.requests)


def test_presenter_mode_masks_numbers_in_the_results(qtbot):
    win = create_window(GuiOptions(demo=True, theme="light"), Settings(presenter_mode=True), install_hooks=False)
    qtbot.addWidget(win)
    win.show()
    win.finish_startup()
    win.lookups.session_options = {"http_config": FAST}
    win.input_panel.set_text(CONVERSATION)
    result = _look_up(qtbot, win)
    assert "303-555-0199" in result.diagnosis.headline  # the data has it...
    shown = [
        win.headline.headline.text(),
        win.results.diagnosis.sections["evidence"].text(),
        win.results.diagnosis.sections["next_steps"].text(),
        win.replies.editors["reply"].toPlainText(),
        win.replies.editors["note"].toPlainText(),
    ]
    for text in shown:  # ...the screen does not
        digits = "".join(c for c in text if c.isdigit() or c == "\n")
        assert "3035550199" not in digits and "7205550100" not in digits, text[:200]
    assert "0199" in win.headline.headline.text()
    win.lookups.wait_idle(5000)


def test_display_zone_comes_from_core_timezones(monkeypatch, qtbot):
    from sipsight.gui import attempt_detail, lookup_controller, main_window, timeline_text
    from sipsight.gui.lookup_controller import LookupController

    for module in (main_window, timeline_text, attempt_detail):  # one reading of 'local' and of a name, in core
        assert not {"_local_tz", "_zone", "_resolve_tz", "resolve_tz"} & set(vars(module)), module
    assert lookup_controller.zone_for_display.__module__ == "sipsight.core.timezones"
    monkeypatch.setenv("TZ", "America/Denver")
    lookups = LookupController(time_zone=None)
    assert (lookups.tz, lookups.zone_label) == ("America/Denver", "America/Denver")
    for value, name, label in (
        ("local", "America/Denver", "America/Denver"),
        ("Europe/Berlin", "Europe/Berlin", "Europe/Berlin"),
        ("utc", "UTC", "UTC"),
        ("UTC", "UTC", "UTC"),
        ("Mars/Olympus", "Mars/Olympus", "UTC (Mars/Olympus unknown)"),  # kept: a lookup says it is no zone
    ):
        lookups.set_time_zone(value)
        assert (lookups.tz, lookups.zone_label) == (name, label), value
    assert lookups.zone.utcoffset(datetime(2026, 11, 20)) == timedelta(0)


def test_a_custom_range_beyond_the_providers_retention_is_said_in_the_banner(qtbot, window):
    window.input_panel.set_text(CONVERSATION)
    good = _look_up(qtbot, window)
    window.window_picker.set_key("custom")
    window.window_picker.since_edit.setDate(window.window_picker.until_edit.date().addDays(-45))
    generation = window.lookups.generation
    with qtbot.assertNotEmitted(window.lookups.started):
        window.look_up()
    assert window.lookups.generation == generation  # nothing was started
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "more than 30 days" in window.banner.message_label.text()
    assert "30 days" in window.banner.hint_label.text() and window.banner.button("Retry") is None
    # the pasted text and the last good result stay as they were
    assert window.input_panel.text() == CONVERSATION
    assert window.lookups.result is good and window.headline.headline.text() == shown(good.diagnosis.headline)
    window.window_picker.since_edit.setDate(window.window_picker.until_edit.date().addDays(-3))
    with qtbot.waitSignal(window.lookup_finished, timeout=LOOKUP_TIMEOUT_MS):
        window.look_up()
    assert not window.banner.isVisible()


def test_no_check_the_destination_note_when_both_roles_are_assigned(qtbot, window):
    panel = window.input_panel
    panel.set_text(CONVERSATION)  # intake: destination 0199, caller ID 0100: nothing to double-check
    assert panel.case.destination.e164 == "+13035550199" and panel.case.caller_id.e164 == "+17205550100"
    assert "check which one" not in panel.message.text()
    # a second number with no role: the agent must still check
    panel.set_text("The seller is at 303-555-0199, or maybe 201-555-0123.")
    assert panel.case.caller_id is None
    assert "check which one is the destination" in panel.message.text() and not panel.message.isHidden()
    # three numbers, two of them roled: still ambiguous
    panel.set_text("I called 303-555-0199 from 720-555-0100 and from 201-555-0123")
    assert "check which one is the destination" in panel.message.text()


def test_presenter_mode_masks_the_input_and_the_number_boxes(qtbot):
    win = create_window(GuiOptions(demo=True, theme="light"), Settings(presenter_mode=True), install_hooks=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    win.lookups.session_options = {"http_config": FAST}
    panel = win.input_panel
    QGuiApplication.clipboard().setText(CONVERSATION)
    win.paste_into_input()
    assert panel.text() == CONVERSATION  # the real text is kept for the lookup...
    assert panel.masked.note.isVisible() and panel.masked.note.text() == "Presenter mode: numbers hidden"
    assert not panel.input.isVisible() and panel.masked.text.isVisible() and panel.masked.text.isReadOnly()
    assert not panel.destination.isVisible() and panel.masked.destination.isVisible()
    shown = [
        panel.masked.text.toPlainText(),
        panel.masked.destination.text(),
        panel.masked.caller_id.text(),
        panel.message.text(),
        *(chip.text() for chip in panel.chips.chips()),
        *(chip.toolTip() for chip in panel.chips.chips()),
    ]
    for text in shown:  # ...and nothing on screen shows a whole number
        digits = "".join(c for c in text if c.isdigit())
        assert "5550199" not in digits and "5550100" not in digits, text
    assert panel.masked.text.toPlainText().endswith("error. Did they block my number?")
    assert "0199" in panel.masked.destination.text() and "0100" in panel.masked.caller_id.text()
    assert panel.numbers() == ("+13035550199", "+17205550100")
    result = _look_up(qtbot, win)
    assert result.query.destination == "+13035550199"
    # presenter mode off: the editable input and boxes come back with the same values
    win.apply_settings(Settings(presenter_mode=False))
    assert panel.input.isVisible() and not panel.masked.text.isVisible() and not panel.masked.note.isVisible()
    assert panel.destination.isVisible() and "555-0199" in panel.destination.currentText()
    win.lookups.wait_idle(5000)


def test_screenshot_ignores_and_keeps_the_saved_window_size(tmp_path):
    """A screenshot is the same on any machine (440x820 by default) and never overwrites the agent's window size."""
    import json

    env = {**_env(), "QT_QPA_PLATFORM": "offscreen", "SIPSIGHT_HOME": str(tmp_path / "home")}
    code = "from sipsight.settings.store import settings_path; print(settings_path())"
    where = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    settings_file = Path(where.stdout.strip())
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps({"schema_version": 1, "window_geometry": None}), encoding="utf-8")
    out = tmp_path / "shot.png"
    proc = subprocess.run(
        [sys.executable, "-m", "sipsight", "gui", "--screenshot", str(out), "--theme", "light"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    image = QImage(str(out))
    ratio = image.devicePixelRatio()
    assert (image.width(), image.height()) == (round(440 * ratio), round(820 * ratio))
    assert json.loads(settings_file.read_text(encoding="utf-8")).get("window_geometry") is None
    assert not list((tmp_path / "home").rglob("history.json"))  # a screenshot saves no lookup either
