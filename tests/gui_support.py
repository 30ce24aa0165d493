"""The demo main window as the GUI tests open it: shown, started, with the test's HTTP settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sipsight.gui.app import GuiOptions, create_window
from sipsight.gui.lookup_request import SessionOptions
from sipsight.gui.main_window import MainWindow
from sipsight.gui.text_format import keep_numbers_whole
from sipsight.providers.http import HttpConfig
from sipsight.settings.model import Settings


@contextmanager
def demo_window(qtbot: Any, http_config: HttpConfig, size: tuple[int, int] | None = None) -> Iterator[MainWindow]:
    win = create_window(GuiOptions(demo=True, theme="light"), Settings(), install_hooks=False)
    qtbot.addWidget(win)
    if size:
        win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    win.lookups.session_options = SessionOptions(http_config=http_config)
    try:
        yield win
    finally:  # a lookup still running must not outlive its test
        win.lookups.cancel()
        win.lookups.wait_idle(5000)


def shown(text: str) -> str:
    """`text` as a label shows it: phone numbers joined by no-break spaces and hyphens (gui.text_format)."""
    return keep_numbers_whole(text)
