"""The training walkthrough window (PySide6): cases step by step, quiz mode, presenter mode, summary export.

The main window opens it with `open_training(...)`; the Qt-free rules live in `sipsight.training`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from sipsight.gui.lookup_request import SessionOptions
    from sipsight.gui.training.window import TrainingWindow


def open_training(
    parent: QWidget | None = None,
    presenter: bool = False,
    *,
    tz: str = "UTC",
    session_options: SessionOptions | None = None,
) -> TrainingWindow:
    """Create and show the training window; times in `tz`, the demo provider with `session_options`.

    The window is a separate top-level window owned by `parent` (closed with it). Returns the window.
    """
    from sipsight.gui.training.window import TrainingWindow

    window = TrainingWindow(parent, presenter=presenter, tz=tz, session_options=session_options)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


__all__ = ["open_training"]
