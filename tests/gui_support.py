"""The demo main window as the GUI tests open it: shown, started, with the test's HTTP settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sipsight.gui.app import GuiOptions, create_window
from sipsight.providers.http import HttpConfig
from sipsight.settings.model import Settings


@contextmanager
def demo_window(qtbot: Any, http_config: HttpConfig, size: tuple[int, int] | None = None) -> Iterator[Any]:
    win = create_window(GuiOptions(demo=True, theme="light"), Settings(), install_hooks=False)
    qtbot.addWidget(win)
    if size:
        win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    win.session_options = {"http_config": http_config}
    try:
        yield win
    finally:  # a lookup still running must not outlive its test
        win.runner.cancel()
        win.runner.wait_idle(5000)
