""""Which number did they mean?": the ranking of a caller-first lookup, one click (or Alt+1 … Alt+5) to look up
another of its numbers.

When the customer named no number, the core ranks the numbers their caller ID called (`LookupResult.candidates`,
best first) and says what it decided (`LookupResult.message`). This card shows that message, the ranked numbers
(number, one-line story, counts) with the one diagnosed marked, and when none stood out, what to ask the customer.
At 440 px the diagnosis needs the room: when a number clearly stood out the list starts folded under "Show the
ranking" (the agent's choice to unfold it is kept for the next lookups); when none did, the list is the answer.
Picking a number emits `picked(e164)`: the window looks it up as the destination, with the same caller ID, and the
card stays, marking the number picked, until a lookup that is not from this ranking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from sipsight.gui.flow_layout import pin_height_for_width
from sipsight.gui.text_format import keep_numbers_whole

if TYPE_CHECKING:
    from sipsight.core.models import Candidate, LookupResult

SHOWN = 3  # rows shown before "Show all" when nothing stood out
MAX_ROWS = 10
KEYS = 5  # Alt+1 … Alt+5 pick the rows shown first
ASK = "Which number were you calling when this happened? Please send it with its area code."
OUTCOME_WORDS = {
    "connected": "answered",
    "voicemail": "voicemail",
    "no_answer": "no answer",
    "busy": "busy",
    "unreachable": "unreachable",
    "caller_canceled": "hung up before an answer",
    "declined": "declined",
    "network_blocked": "blocked by a network",
    "invalid_number": "invalid number",
    "platform_rejected": "refused by the provider",
    "carrier_failure": "carrier failure",
    "in_progress": "in progress",
    "unknown": "unknown",
}


def counts_text(candidate: Candidate) -> str:
    """'8 calls · 3 answered · last: voicemail'."""
    calls = "1 call" if candidate.attempts == 1 else f"{candidate.attempts} calls"
    last = OUTCOME_WORDS.get(str(candidate.last_outcome), str(candidate.last_outcome).replace("_", " "))
    return f"{calls} · {candidate.connected} answered · last: {last}"


class CandidateRow(QFrame):
    """One ranked number: a click, Enter or Space looks it up."""

    activated = Signal(str)

    def __init__(self, rank: int, candidate: Candidate, state: str, redact: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        from sipsight.core.phone import pretty

        super().__init__(parent)
        self.number = candidate.number
        self.setObjectName("CandidateRow")
        self.setProperty("state", state)  # chosen (diagnosed), picked (by the agent), or "" for the rest
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        shown = keep_numbers_whole(redact(pretty(candidate.number)))
        key = f" (Alt+{rank})" if rank <= KEYS else ""
        self.setToolTip(f"{candidate.reason}\nClick to look up {shown} with the same caller ID{key}.")
        self.setAccessibleName(f"Look up {shown}: {candidate.change}")
        column = self.column = QVBoxLayout(self)
        column.setContentsMargins(8, 5, 8, 6)
        column.setSpacing(1)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.number_label = QLabel(f"{rank}. {shown}", self)
        self.number_label.setObjectName("CandidateNumber")
        top.addWidget(self.number_label)
        top.addStretch(1)
        badge_text = {"chosen": "diagnosed below", "picked": "looked up"}.get(state, "")
        self.badge = QLabel(badge_text, self)
        self.badge.setObjectName("CandidateBadge")
        self.badge.setVisible(bool(badge_text))
        top.addWidget(self.badge)
        column.addLayout(top)
        self.story = QLabel(keep_numbers_whole(redact(candidate.change)), self)
        self.story.setObjectName("CandidateStory")
        self.story.setWordWrap(True)
        column.addWidget(self.story)
        self.counts = QLabel(counts_text(candidate), self)
        self.counts.setObjectName("Caption")
        column.addWidget(self.counts)
        for label in (self.number_label, self.story, self.counts, self.badge):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.number)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.number)
            return
        super().keyPressEvent(event)


class CandidatesView(QFrame):
    """The card; hidden unless the shown result is a caller-first lookup or a number picked from its ranking."""

    picked = Signal(str)  # E.164: look it up as the destination, same caller ID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CandidatesView")
        self.redact: Callable[[str], str] = _same
        self.ranking: LookupResult | None = None  # the caller-first result whose ranking is shown
        self.current: str | None = None  # the number whose diagnosis is shown (chosen, or picked)
        self.expanded = False
        self.unfolded = False  # the agent unfolded the ranking of a chosen number: it stays so
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(5)
        title_row = QHBoxLayout()
        self.title = QLabel("Which number did they mean?", self)
        self.title.setObjectName("CandidatesTitle")
        title_row.addWidget(self.title)
        title_row.addStretch(1)
        self.toggle = QPushButton("", self)
        self.toggle.setObjectName("LinkButton")
        self.toggle.setFlat(True)
        self.toggle.clicked.connect(self._toggle)
        title_row.addWidget(self.toggle)
        layout.addLayout(title_row)
        self.message = QLabel(self)
        self.message.setObjectName("CandidatesMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.ask = QLabel(self)
        self.ask.setObjectName("CandidatesAsk")
        self.ask.setWordWrap(True)
        self.ask.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.ask)
        self.list_area = QScrollArea(self)
        self.list_area.setObjectName("CandidatesScroll")
        self.list_area.setWidgetResizable(True)
        self.list_area.setFrameShape(QFrame.Shape.NoFrame)
        self.list_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self.list_area)
        body.setObjectName("CandidatesBody")
        self.rows_layout = QVBoxLayout(body)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        self.list_area.setWidget(body)
        layout.addWidget(self.list_area)
        self.rows: list[CandidateRow] = []
        for i in range(1, KEYS + 1):
            shortcut = QShortcut(QKeySequence(f"Alt+{i}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda i=i: self.pick_rank(i))
        self.hide()

    # ------------------------------------------------------------------ showing a result
    def set_result(self, result: LookupResult) -> None:
        """A caller-first result shows its ranking; a lookup of one of its numbers (same caller ID) keeps it, marking
        that number; any other lookup hides the card."""
        if result.candidates is not None:
            self.ranking = result
            self.current = result.query.destination or None
            self.expanded = self.current is None or self.unfolded  # nothing stood out: the whole list is the answer
        elif self._from_ranking(result):
            self.current = result.query.destination
        else:
            self.ranking = None
            self.current = None
            self.hide()
            return
        self.show()  # first: the card's width decides how tall its wrapped text is
        self._render()

    def clear(self) -> None:
        self.ranking = None
        self.current = None
        self.hide()

    def _from_ranking(self, result: LookupResult) -> bool:
        ranking = self.ranking
        if ranking is None or not ranking.candidates:
            return False
        numbers = {c.number for c in ranking.candidates}
        caller = result.query.caller_id or result.caller_id
        return result.query.destination in numbers and caller == ranking.caller_id

    def _render(self) -> None:
        ranking = self.ranking
        assert ranking is not None
        candidates = list(ranking.candidates or [])[:MAX_ROWS]
        chosen = ranking.query.destination or None
        message = ranking.message or ""
        if self.current is not None and self.current != chosen:
            from sipsight.core.phone import pretty

            message = f"You picked {pretty(self.current)} from the ranking; its diagnosis is below. " + message
        self.message.setText(keep_numbers_whole(self.redact(message)))
        self.ask.setText(f"Ask the customer: “{ASK}”")
        self.ask.setVisible(chosen is None and self.current is None)
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        # the chosen number's diagnosis is below: the list starts folded
        folded = chosen is not None and self.current == chosen and not self.expanded
        if folded:
            limit = 0
        else:
            limit = len(candidates) if self.expanded else min(SHOWN, len(candidates))
            current_rank = next((i for i, c in enumerate(candidates) if c.number == self.current), -1)
            limit = max(limit, current_rank + 1)
        for rank, candidate in enumerate(candidates[:limit], start=1):
            state = ("chosen" if candidate.number == chosen else "picked") if candidate.number == self.current else ""
            row = CandidateRow(rank, candidate, state, self.redact, self.list_area.widget())
            row.activated.connect(self._activated)
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        if folded:
            self.toggle.setText(f"Show the ranking ({len(candidates)})")
        elif len(candidates) > limit:
            self.toggle.setText(f"Show all {len(candidates)}")
        elif self.expanded and (chosen is not None or len(candidates) > SHOWN):
            self.toggle.setText("Fold the ranking" if chosen is not None else "Show fewer")
        else:
            self.toggle.setText("")
        self.toggle.setVisible(bool(self.toggle.text()))
        self.toggle.setToolTip(f"The best-ranked numbers, best first (Alt+1 … Alt+{KEYS} look one up)")
        self.list_area.setVisible(bool(self.rows))
        self._fit()

    def _fit(self) -> None:
        """The rows scroll inside the card: at 440 px the timeline and the explanation keep their room."""
        # the rows just added are shown by the layout a moment later: their own heights are measured instead
        width = max(self.list_area.viewport().width(), 200)
        heights = [row.column.totalHeightForWidth(width) for row in self.rows]
        wanted = sum(heights) + self.rows_layout.spacing() * max(len(heights) - 1, 0)
        cap = 190  # about three rows; the rest scroll
        self.list_area.setFixedHeight(min(wanted, cap))
        if self.isVisible() and self.width() > 200:  # a width not laid out yet would pin a needless height
            pin_height_for_width(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        pin_height_for_width(self)  # the wrapped message must not be squeezed onto the headline

    def _toggle(self) -> None:
        self.expanded = not self.expanded
        if self.ranking is not None and self.ranking.query.destination:
            self.unfolded = self.expanded
        if self.ranking is not None:
            self._render()

    # ------------------------------------------------------------------ picking
    def _activated(self, number: str) -> None:
        if number != self.current:
            self.picked.emit(number)

    def pick_rank(self, rank: int) -> None:
        """Alt+N: the N-th number of the ranking."""
        if self.isVisible() and self.ranking is not None and 0 < rank <= len(self.ranking.candidates or []):
            self._activated((self.ranking.candidates or [])[rank - 1].number)


def _same(text: str) -> str:
    return text
