"""Qt's own messages ('This plugin does not support propagateSizeHints()', font and painter warnings) go to
SIPSight's log, never to the user's terminal: `sipsight gui --screenshot` and `sipsight summary --format pdf`
print nothing but their result.

    install()          for the rest of the process (the desktop app; before the QApplication exists)
    with routed(): ... only around some work (a PDF written from the command line or a script)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("sipsight.qt")
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def to_log(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    log.log(_LEVELS.get(kind, logging.WARNING), "Qt: %s", message)


def install() -> None:
    qInstallMessageHandler(to_log)


@contextmanager
def routed() -> Iterator[None]:
    previous = qInstallMessageHandler(to_log)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
