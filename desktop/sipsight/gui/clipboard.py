"""Putting data on the system clipboard, the one way every copy in the app goes (replies, CSV, training)."""

from __future__ import annotations

import atexit

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

_exit_hook = False


def empty_at_exit() -> None:
    """Empty the clipboard (the offscreen platform's exit hook, see set_clipboard)."""
    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()


def set_clipboard(mime: QMimeData) -> None:
    """Hand `mime` to the clipboard.

    The offscreen platform (tests, --screenshot) frees clipboard data owned by Python at interpreter exit
    in a way that crashes PySide6 (segfault after the last line ran); emptying it at exit avoids that.
    Real platforms keep the clipboard as is, so the agent's copy survives quitting the app.
    """
    global _exit_hook
    if not _exit_hook and QGuiApplication.platformName() == "offscreen":
        atexit.register(empty_at_exit)
        _exit_hook = True
    QGuiApplication.clipboard().setMimeData(mime)


def exit_hook_installed() -> bool:
    """Whether the offscreen exit hook is registered (tests check that every copy path goes through here)."""
    return _exit_hook
