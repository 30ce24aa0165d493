"""The training walkthrough window (PySide6): cases step by step, quiz mode, presenter mode, summary export.

The main window opens it with `open_training(self)`; the Qt-free rules live in `sipsight.training`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def open_training(
    parent: QWidget | None = None, presenter: bool | None = None, *, session_options: dict[str, Any] | None = None
) -> Any:
    """Create and show the training window; `presenter` None follows the settings' presenter mode.

    The window is a separate top-level window owned by `parent` (closed with it). Returns the window.
    """
    from sipsight.gui.training.window import TrainingWindow

    settings = getattr(parent, "settings", None)
    if presenter is None:
        presenter = bool(getattr(settings, "presenter_mode", False))
    tz = getattr(parent, "tz", None) or "UTC"
    options = session_options if session_options is not None else dict(getattr(parent, "session_options", {}) or {})
    window = TrainingWindow(parent, presenter=presenter, tz=tz, session_options=options)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


__all__ = ["open_training"]
