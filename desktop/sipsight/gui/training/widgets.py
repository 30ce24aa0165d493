"""Small building blocks of the training pages: wrapped labels, choice cards, the step bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from sipsight.training.session import STEP_TITLES, Step


def label(text: str = "", name: str = "TrBody", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    widget = QLabel(text, parent)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def restyle(widget: QWidget, **props: str) -> None:
    """Set dynamic properties the style sheet selects on, and make the style notice."""
    for key, value in props.items():
        widget.setProperty(key, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    for child in widget.findChildren(QWidget):
        child.style().unpolish(child)
        child.style().polish(child)


class ChoiceCard(QFrame):
    """A clickable answer with its key number and, once answered, its feedback (text wraps, unlike a button)."""

    clicked = Signal()

    def __init__(self, key: int, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TrChoice")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.enabled_for_answers = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 10)
        outer.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.key = QLabel(str(key), self)
        self.key.setObjectName("TrChoiceKey")
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.key, 0, Qt.AlignmentFlag.AlignTop)
        self.text = label(text, "TrChoiceText", self)
        row.addWidget(self.text, 1)
        outer.addLayout(row)
        self.feedback = label("", "TrFeedback", self)
        self.feedback.hide()
        outer.addWidget(self.feedback)
        self.setAccessibleName(f"Choice {key}: {text}")

    def set_state(self, state: str, feedback: str = "", tone: str = "") -> None:
        """state: "" (open), "right", "wrong", "answer" (the right one, shown after a wrong pick), "locked"."""
        self.feedback.setText(feedback)
        self.feedback.setVisible(bool(feedback))
        self.feedback.setProperty("tone", tone)
        restyle(self, state=state)

    def state(self) -> str:
        return str(self.property("state") or "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.clicked.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class StepBar(QWidget):
    """The six steps as chips: done, current (with its title), to come. Only the current chip carries its
    title, so the bar fits a small window; the others say theirs in a tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.chips: dict[Step, QLabel] = {}
        for step in Step:
            chip = QLabel(str(int(step)), self)
            chip.setObjectName("TrStepChip")
            chip.setTextFormat(Qt.TextFormat.PlainText)
            chip.setToolTip(f"Step {int(step)}: {STEP_TITLES[step]}")
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(chip)
            self.chips[step] = chip
        row.addStretch(1)
        self.setAccessibleName("Steps")

    def set_current(self, current: Step | None) -> None:
        for step, chip in self.chips.items():
            state = "" if current is None else ("current" if step == current else ("done" if step < current else ""))
            chip.setText(f"{int(step)}  {STEP_TITLES[step]}" if state == "current" else f"{int(step)}")
            if chip.property("state") != state:
                restyle(chip, state=state)
        if current is not None:
            self.setAccessibleDescription(f"Step {int(current)} of {len(Step)}: {STEP_TITLES[current]}")
