"""Guard against Qt bindings that corrupt the interpreter (PySide6 6.12.0 on Python 3.11).

That release drops a reference to None on every void Qt call; a long session then aborts with
"none_dealloc". pyproject.toml excludes it; this test fails if such a build is installed anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget


def test_void_qt_calls_keep_none_refcount(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(200):
        widget.setEnabled(True)
    # Other threads may touch None meanwhile; a leak shows as a drop of ~200.
    assert sys.getrefcount(None) - before > -50
