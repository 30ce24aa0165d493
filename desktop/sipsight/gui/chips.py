"""Compact chips for what intake found (numbers with their roles, symptoms, codes), in a wrapping row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from sipsight.gui.flow_layout import FlowLayout


class Chip(QLabel):
    """One found item. `kind` (destination, caller_id, number, symptom, code, link, note) picks its colours."""

    def __init__(self, text: str, kind: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("Chip")
        self.setProperty("kind", kind)
        self.kind = kind
        self.setToolTip(tooltip)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)


class ChipRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChipRow")
        self.flow = FlowLayout(self)
        sp = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)

    def set_chips(self, chips: list[tuple[str, str, str]]) -> None:
        """chips: (text, kind, tooltip)."""
        self.flow.clear()
        for text, kind, tip in chips:
            self.flow.addWidget(Chip(text, kind, tip, self))
        self.setVisible(bool(chips))
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        # The window's minimum size ignores height-for-width; without this a short window would squeeze the
        # wrapped chips onto the widgets around them.
        width = self.width() if self.width() > 0 else 400
        height = self.flow.heightForWidth(width)
        if height != self.minimumHeight():
            self.setMinimumHeight(height)
            self.updateGeometry()

    def chips(self) -> list[Chip]:
        return [c for c in self.findChildren(Chip) if not c.isHidden() and c.parent() is self]
