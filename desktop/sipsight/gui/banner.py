"""Non-modal messages: the banner above the results (errors with Retry, clipboard offers), the busy bar of a
running lookup (with Cancel) and a brief toast.

Nothing here is a dialog: a banner never takes focus and never blocks, so a failed lookup leaves the
pasted text and the last good result exactly where they were.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipsight.gui.flow_layout import pin_height_for_width
from sipsight.gui.text_format import keep_numbers_whole

KINDS = ("error", "warning", "info", "success")


class MessageBar(QFrame):
    """A coloured bar: a bold message, an optional hint, action buttons and a close button."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(10, 8, 6, 8)
        outer.setSpacing(8)
        self._icon = QLabel(self)
        self._icon.setObjectName("MessageIcon")
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self._icon.setFixedWidth(18)
        outer.addWidget(self._icon)
        text_box = QVBoxLayout()
        text_box.setSpacing(2)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("MessageText")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("MessageHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text_box.addWidget(self.message_label)
        text_box.addWidget(self.hint_label)
        self._buttons = QHBoxLayout()
        self._buttons.setContentsMargins(0, 4, 0, 0)
        self._buttons.setSpacing(6)
        self._buttons.addStretch(1)
        text_box.addLayout(self._buttons)
        outer.addLayout(text_box, 1)
        self._close = QToolButton(self)
        self._close.setObjectName("MessageClose")
        self._close.setText("✕")
        self._close.setToolTip("Dismiss")
        self._close.setAutoRaise(True)
        self._close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._close.clicked.connect(self.dismiss)
        outer.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = "info"
        self.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        pin_height_for_width(self)

    def show_message(
        self,
        message: str,
        hint: str = "",
        *,
        kind: str = "error",
        actions: list[tuple[str, Callable[[], None]]] | None = None,
    ) -> None:
        assert kind in KINDS
        self.kind = kind
        self.setProperty("kind", kind)
        self._icon.setText({"error": "⚠", "warning": "⚠", "info": "ℹ", "success": "✓"}[kind])
        self.message_label.setText(keep_numbers_whole(message))
        self.hint_label.setText(keep_numbers_whole(hint))
        self.hint_label.setVisible(bool(hint))
        while self._buttons.count() > 1:
            item = self._buttons.takeAt(1)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for text, callback in actions or []:
            button = QPushButton(text, self)
            button.setObjectName("MessageAction")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # offers must not steal the agent's focus
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(callback)
            self._buttons.addWidget(button)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()

    def buttons(self) -> list[QPushButton]:
        return [w for w in self.findChildren(QPushButton) if w.objectName() == "MessageAction" and not w.isHidden()]

    def button(self, text: str) -> QPushButton | None:
        return next((b for b in self.buttons() if b.text() == text), None)

    def dismiss(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()


class BusyBar(QWidget):
    """While a lookup runs: what is happening, an endless progress bar and Cancel (Esc)."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BusyBar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.label = QLabel("Looking up calls…", self)
        row.addWidget(self.label, 1)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop this lookup (Esc)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("BusyProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(4)
        layout.addWidget(self.progress)
        self.hide()

    def show_busy(self, text: str) -> None:
        self.label.setText(text)
        self.show()


class Toast(QLabel):
    """A brief confirmation ("Copied") floating at the bottom of its parent; fades by hiding after `msecs`."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Toast")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_text(self, text: str, msecs: int = 1600) -> None:
        self.setText(text)
        self.adjustSize()
        parent = self.parentWidget()
        if parent is not None:
            x = (parent.width() - self.width()) // 2
            y = parent.height() - self.height() - 36
            self.move(max(x, 0), max(y, 0))
        self.raise_()
        self.show()
        self._timer.start(msecs)
