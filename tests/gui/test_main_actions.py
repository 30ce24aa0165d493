"""Main-window actions that join the app to the training mode and the summary export."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt

from gui_support import demo_window
from sipsight.providers.http import HttpConfig

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=10)


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 860)) as win:
        yield win


def test_training_button_opens_one_training_window(qtbot, window):
    assert window.top_bar.training_button.toolTip().startswith("Training")
    qtbot.mouseClick(window.top_bar.training_button, Qt.MouseButton.LeftButton)
    first = window.training_window
    qtbot.waitExposed(first)
    assert first.isVisible() and first.windowTitle()
    # a second click raises the same window instead of opening another
    qtbot.mouseClick(window.top_bar.training_button, Qt.MouseButton.LeftButton)
    assert window.training_window is first
    first.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first) or not first.isVisible())


def test_summary_export_saves_a_pdf_and_reports_a_bad_folder(qtbot, window, tmp_path: Path):
    assert not window.replies.export_button.isEnabled()
    window.prefill_scenario(next(s for s in window.scenarios if s.name == "origin-ticket"))
    with qtbot.waitSignal(window.lookup_finished, timeout=20000):
        window.look_up()
    assert window.replies.export_button.isEnabled()

    target = tmp_path / "case.pdf"
    with qtbot.waitSignal(window.replies.exported, timeout=20000) as saved:
        window.replies.export_summary(str(target))
    assert saved.args == [str(target)]
    assert target.read_bytes().startswith(b"%PDF")

    with qtbot.waitSignal(window.replies.export_failed, timeout=5000) as failed:
        window.replies.export_summary(str(tmp_path / "missing" / "case.md"))
    message, hint = failed.args
    assert "does not exist" in message and hint
    assert window.banner.isVisible()
    assert window.lookups.result is not None  # the last good result stays
