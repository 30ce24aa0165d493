"""Compact chips for what intake found (numbers with their roles, symptoms, codes), in a wrapping row."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Lays children left to right and wraps, so chips fit a 420 px window and a wide one alike."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m: QMargins = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + self._spacing
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()

    def clear(self) -> None:
        while self._items:
            item = self._items.pop()
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()


def pin_height_for_width(widget: QWidget) -> None:
    """Make `widget`'s minimum height what its wrapped content needs at its current width.

    A top-level window's minimum size ignores height-for-width, so a short window would otherwise squeeze
    wrapped text (chips, the headline, a banner) onto its neighbours; pinned, the results area yields instead.
    """
    layout = widget.layout()
    if layout is None or widget.width() <= 0:
        return
    height = layout.heightForWidth(widget.width()) if layout.hasHeightForWidth() else layout.minimumSize().height()
    if height > 0 and height != widget.minimumHeight():
        widget.setMinimumHeight(height)


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
