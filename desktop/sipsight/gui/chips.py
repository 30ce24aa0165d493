"""Compact chips for what intake found (numbers with their roles, symptoms, codes), in a wrapping row.

A number's chip says on hover why intake gave it its role (`role_reason`: the deciding evidence in plain words) and
one click on it offers the corrections (the window re-runs the lookup with the corrected case)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from sipsight.gui.flow_layout import FlowLayout

if TYPE_CHECKING:
    from sipsight.core.models import CandidateNumber

WHO = {"customer": "the customer", "agent": "the agent", "bot": "a bot", "auto_reply": "an auto-reply"}
ROLE_TITLES = {
    "destination": "The number the customer was calling",
    "caller_id": "The customer's caller ID",
    "other": "Not looked up (a support line, a callback number, or one the customer ruled out)",
    "unknown": "Role not decided",
}
# rules whose evidence is a fact about the whole text, not words next to the number
PLAIN_RULES = {
    "only_number": "it is the only number in the text",
    "last_left": "it is the one number left once the others were placed",
    "ambiguous": "several numbers have equal claims: check which one is which",
}
EXCERPT_CHARS = 90


def _sentence(excerpt: str, cue: str) -> str:
    """The sentence of `excerpt` holding the cue, trimmed: the words that decided, not the whole paragraph."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", excerpt.strip()) if s.strip()] or [excerpt.strip()]
    index = next((i for i, s in enumerate(sentences) if cue and cue.lower() in s.lower()), 0)
    found = sentences[index]
    # the excerpt is cut at a fixed width: a word cut at either edge is left out
    if index == 0 and found[:1].islower() and " " in found and found.split(" ", 1)[0].isalpha():
        found = "…" + found.split(" ", 1)[1]
    if index == len(sentences) - 1 and " " in found and found.rsplit(" ", 1)[1].isalpha():
        found = found.rsplit(" ", 1)[0] + "…"
    return found if len(found) <= EXCERPT_CHARS else found[: EXCERPT_CHARS - 1].rstrip() + "…"


def role_reason(number: CandidateNumber) -> str:
    """Why intake gave `number` its role, in plain words: "the customer wrote “I called (303) 555-0199 …”"."""
    if not number.role_evidence:
        return "no words in the text decided it"
    evidence = number.role_evidence[0]
    rule = str(evidence.rule)
    if rule in PLAIN_RULES:
        return PLAIN_RULES[rule]
    who = WHO.get(str(evidence.author), "the text") if evidence.author is not None else "the text"
    words = _sentence(evidence.excerpt, evidence.cue) if evidence.excerpt else evidence.cue
    verb = "says" if who == "the text" else "wrote"
    return f"{who} {verb} “{words}”" if words else f"{who} named it so"


def number_tooltip(number: CandidateNumber, redact: object = None, corrected: bool = False) -> str:
    """The chip's hover: its role, why, and that a click corrects it."""
    role = str(number.role)
    title = ROLE_TITLES.get(role, ROLE_TITLES["unknown"])
    why = "you corrected it" if corrected else role_reason(number)
    text = f"{title}: {why}."
    if callable(redact):
        text = str(redact(text))
    return f"{text}\nClick to correct it (the number they called, the caller ID, or ignore it)."


class Chip(QLabel):
    """One found item. `kind` (destination, caller_id, number, symptom, code, link, note) picks its colours."""

    clicked = Signal(str, QPoint)  # a number chip's E.164 and where (global) the click was

    def __init__(
        self, text: str, kind: str, tooltip: str = "", parent: QWidget | None = None, number: str = ""
    ) -> None:
        super().__init__(text, parent)
        self.setObjectName("Chip")
        self.setProperty("kind", kind)
        self.kind = kind
        self.number = number  # E.164 for a number's chip: clickable, to correct its role
        self.setToolTip(tooltip)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        if number:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setAccessibleDescription("Click to correct its role")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.number and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.number, self.mapToGlobal(event.position().toPoint()))
            return
        super().mouseReleaseEvent(event)


class ChipRow(QWidget):
    number_clicked = Signal(str, QPoint)  # a number chip was clicked: offer the corrections

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChipRow")
        self.flow = FlowLayout(self)
        sp = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)

    def set_chips(self, chips: list[tuple[str, str, str]] | list[tuple[str, str, str, str]]) -> None:
        """chips: (text, kind, tooltip) or, for a number, (text, kind, tooltip, E.164)."""
        self.flow.clear()
        for text, kind, tip, *number in chips:
            chip = Chip(text, kind, tip, self, number=number[0] if number else "")
            chip.clicked.connect(self.number_clicked)
            self.flow.addWidget(chip)
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
