"""A left-to-right layout that wraps, height-for-width aware (Qt's flow-layout example), and the pinning helper.

The intake chips and the outcome legend both wrap to fit a 420 px side panel and a wide window alike.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Lays children left to right and wraps; hidden widgets take no room. v_spacing defaults to h_spacing."""

    def __init__(self, parent: QWidget | None = None, h_spacing: int = 4, v_spacing: int | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h = h_spacing
        self._v = h_spacing if v_spacing is None else v_spacing
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
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def clear(self) -> None:
        """Remove and delete every widget (the chip row refills itself on each parse)."""
        while self._items:
            widget = self._items.pop().widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y = area.x(), y + line_height + self._v
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._h
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()


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
