"""The Caller ID view: one click from a lookup's caller ID, computed in the background, readable at 440 px, and its
drafts copied to the clipboard as the report states them."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gui_support import demo_window
from sipsight.gui.caller_health_view import CallerHealthView, HealthSource
from sipsight.providers.http import HttpConfig

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=20)


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 860)) as win:
        yield win


def test_one_click_from_a_lookup_opens_the_caller_ids_health(qtbot, window):
    assert not window.results.health_link.isVisible()
    index = window.top_bar.scenario_combo.findData("caller-id-608-redress")  # as the agent picks it
    window.top_bar.scenario_combo.setCurrentIndex(index)
    window.top_bar.scenario_combo.activated.emit(index)
    with qtbot.waitSignal(window.lookup_finished, timeout=20000):
        window.look_up()
    link = window.results.health_link
    assert link.isVisible() and link.isEnabled()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    view = window.caller_health_view
    assert isinstance(view, CallerHealthView) and view.caller_id == "+17205550100"
    with qtbot.waitSignal(view.shown, timeout=20000) as shown:
        pass
    report = shown.args[0]
    assert report.verdict.status == "blocked" and "Verizon Wireless" in view.headline.text()
    assert view.table.rowCount() == len(report.by_carrier)
    engines = {view.table.item(r, 1).text() for r in range(view.table.rowCount())}
    assert {"TNS", "Hiya", "First Orion"} <= engines
    assert view.chart.days == report.by_day
    assert view.width() <= 460  # as narrow as the panel
    view.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view) or not view.isVisible())


def test_the_drafts_copy_as_the_report_states_them(qtbot):
    source = HealthSource(demo=True, scenario="network-blocked-603plus", session_options={"http_config": FAST})
    view = CallerHealthView("+17205550100", source)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.shown, timeout=20000) as shown:
        view.refresh()
    report = shown.args[0]
    [engine] = report.redress.engines
    from PySide6.QtWidgets import QPushButton

    buttons = {b.text(): b for b in view.findChildren(QPushButton)}
    qtbot.mouseClick(buttons[f"Copy {engine.engine} request"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == engine.request
    qtbot.mouseClick(buttons["Copy customer reply"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == report.redress.customer_reply


def test_a_newer_window_choice_supersedes_and_a_failure_is_said_in_words(qtbot):
    source = HealthSource(demo=True, scenario="healthy-connected", session_options={"http_config": FAST})
    view = CallerHealthView("+17205550100", source)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.shown, timeout=20000) as shown:
        view.refresh()
        view.window_box.setCurrentIndex(0)  # 7 days, asked before the first answer came back
    assert shown.args[0].window_days == 7
    failing = CallerHealthView(
        "+17205550100",
        HealthSource(demo=True, scenario="healthy-connected", session_options={"http_config": FAST, "fault": "401"}),
    )
    qtbot.addWidget(failing)
    with qtbot.waitSignal(failing.failed, timeout=20000):
        failing.refresh()
    assert failing.status.text() and "Traceback" not in failing.status.text()


def test_presenter_mode_masks_the_numbers_on_screen_but_copies_the_real_drafts(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit, QPushButton

    from sipsight.core.privacy import mask_text

    source = HealthSource(demo=True, scenario="caller-id-608-redress", session_options={"http_config": FAST})
    view = CallerHealthView("+17205550100", source, redact=mask_text)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.shown, timeout=20000) as shown:
        view.refresh()
    report = shown.args[0]
    on_screen = [
        view.headline.text(),
        view.windowTitle(),
        *(e.toPlainText() for e in view.findChildren(QPlainTextEdit)),
    ]
    assert all("555-0100" not in text for text in on_screen), on_screen
    buttons = {b.text(): b for b in view.findChildren(QPushButton)}
    qtbot.mouseClick(buttons["Copy customer reply"], Qt.MouseButton.LeftButton)
    assert "+1 720-555-0100" in QGuiApplication.clipboard().text() == report.redress.customer_reply
