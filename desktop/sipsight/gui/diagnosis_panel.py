"""The explanation: headline with a worded confidence meter, then evidence, next steps, caveats, alternatives.

Evidence items link to their attempts (clicking one selects them in the timeline and table), because
"show me" is what makes an agent trust a conclusion enough to send the reply.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QScrollArea, QVBoxLayout, QWidget

from sipsight.gui.flow_layout import pin_height_for_width
from sipsight.gui.text_format import keep_numbers_whole

if TYPE_CHECKING:
    from sipsight.core.models import DiagnosisKind, LookupResult, Query

# Which colour family a diagnosis kind takes (the QSS styles HeadlineCard[tone=...]).
KIND_TONES = {
    "recipient_blocked": "bad",
    "caller_id_flagged": "bad",
    "likely_spam_labeled": "warn",
    "voicemail_pickup": "warn",
    "no_answer": "warn",
    "busy": "warn",
    "unreachable": "warn",
    "invalid_number": "bad",
    "caller_canceled": "neutral",
    "platform_restriction": "bad",
    "carrier_fault": "bad",
    "normal": "good",
    "no_data": "neutral",
}


def confidence_word(value: float) -> str:
    """The word of the confidence's band (resources/diagnosis/claims.yaml): the same word as the note and the CLI."""
    from sipsight.core.diagnosis import band_word

    return band_word(value)


def kind_title(kind: DiagnosisKind | str) -> str:
    """The kind as people read it: its label in the knowledge base (resources/diagnosis/advice.yaml), never its id."""
    key = str(kind)
    try:
        from sipsight.core.diagnosis import kind_label

        return kind_label(key)
    except (ValueError, KeyError, ImportError):  # a kind this version's advice does not know
        return key.replace("_", " ").capitalize()


EMPTY = "Paste a number or a conversation, then press Enter."
NO_CHOICE = "No number stood out, so nothing was diagnosed: pick one from the ranking above, or ask the customer."

class ConfidenceMeter(QWidget):
    """'Confidence  [██████░░░] likely': a labelled bar whose words carry the meaning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        caption = QLabel("Confidence", self)
        caption.setObjectName("Caption")
        layout.addWidget(caption)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("ConfidenceMeter")
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        layout.addWidget(self.bar, 1)
        self.word = QLabel(self)
        self.word.setObjectName("ConfidenceWord")
        layout.addWidget(self.word)

    def set_value(self, value: float) -> None:
        percent = round(value * 100)
        self.bar.setValue(percent)
        word = confidence_word(value)
        self.word.setText(word)
        tip = f"{word} ({percent}%)"
        self.setToolTip(tip)
        self.bar.setAccessibleName(f"Confidence: {tip}")


class HeadlineCard(QFrame):
    """Always visible above the tabs: what is going on, in one line, and how sure we are."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HeadlineCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.kind = QLabel(self)
        self.kind.setObjectName("KindLabel")
        top.addWidget(self.kind)
        top.addStretch(1)
        self.source = QLabel(self)
        self.source.setObjectName("Caption")
        top.addWidget(self.source)
        layout.addLayout(top)
        self.headline = QLabel(self)
        self.headline.setObjectName("Headline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.headline)
        self.meter = ConfidenceMeter(self)
        layout.addWidget(self.meter)
        self.redact: Callable[[str], str] = _same  # presenter mode: privacy.mask_text
        self.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        pin_height_for_width(self)

    def set_result(self, result: LookupResult) -> None:
        diag = result.diagnosis
        if diag is None:
            self.hide()
            return
        tone = KIND_TONES.get(str(diag.kind), "neutral")
        self.setProperty("tone", tone)
        self.kind.setText(kind_title(diag.kind).upper())
        stats = diag.stats or {}
        n = stats.get("attempts", len(result.attempts))
        self.source.setText(f"{n} call{'s' if n != 1 else ''} in {_span(result.query)}")
        self.headline.setText(keep_numbers_whole(self.redact(diag.headline)))
        self.meter.set_value(diag.confidence)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()


class DiagnosisPanel(QScrollArea):
    """Evidence (clickable), next steps, caveats, alternatives with how to tell them apart."""

    evidence_clicked = Signal(list)  # attempt ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DiagnosisPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # text wraps instead
        body = QWidget(self)
        body.setObjectName("PanelBody")
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(10, 8, 10, 10)
        self._layout.setSpacing(4)
        self.setWidget(body)
        self._evidence: list[list[str]] = []
        self.redact: Callable[[str], str] = _same  # presenter mode: privacy.mask_text
        self.sections: dict[str, QLabel] = {}
        for key, title in (
            ("evidence", "Evidence"),
            ("next_steps", "Next steps"),
            ("caveats", "What the data cannot show"),
            ("alternatives", "It could also be"),
        ):
            heading = QLabel(title, body)
            heading.setObjectName("SectionTitle")
            label = QLabel(body)
            label.setObjectName("SectionBody")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
            )
            label.setOpenExternalLinks(False)
            label.linkActivated.connect(self._link)
            self._layout.addWidget(heading)
            self._layout.addWidget(label)
            self.sections[key] = label
            label.setProperty("heading", heading)
        self._layout.addStretch(1)
        self.empty = QLabel(EMPTY, body)
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._layout.insertWidget(0, self.empty)
        self._set_visible(False)

    def _set_visible(self, shown: bool) -> None:
        for label in self.sections.values():
            label.setVisible(shown and bool(label.text()))
            label.property("heading").setVisible(shown and bool(label.text()))
        self.empty.setVisible(not shown)

    def clear(self, empty: str = "") -> None:
        for label in self.sections.values():
            label.setText("")
        self.empty.setText(empty or EMPTY)
        self._set_visible(False)

    def set_result(self, result: LookupResult) -> None:
        diag = result.diagnosis
        if diag is None:
            self.clear(NO_CHOICE if result.candidates is not None else "")
            return
        self._evidence = [list(e.attempt_ids) for e in diag.evidence]

        def m(text: str) -> str:  # masked in presenter mode; a number never broken over two lines
            return keep_numbers_whole(self.redact(text))

        rows = []
        for i, ev in enumerate(diag.evidence):
            link = ""
            if ev.attempt_ids:
                n = len(ev.attempt_ids)
                link = f' <a href="ev:{i}">show {n} call{"s" if n != 1 else ""}</a>'
            rows.append(f"{_esc(m(ev.text))}{link}")
        self.sections["evidence"].setText(_bullets(rows))
        self.sections["next_steps"].setText(_numbered([_esc(m(s)) for s in diag.next_steps]))
        self.sections["caveats"].setText(_bullets([_esc(m(c)) for c in diag.caveats]))
        alts = []
        for alt in diag.alternatives:
            text = f"<b>{_esc(kind_title(alt.kind))}</b> ({confidence_word(alt.confidence)}): {_esc(m(alt.why))}"
            if alt.how_to_tell:
                text += f"<br/><i>How to tell:</i> {_esc(m(alt.how_to_tell))}"
            alts.append(text)
        self.sections["alternatives"].setText(_bullets(alts))
        self._set_visible(True)

    def _link(self, href: str) -> None:
        if href.startswith("ev:"):
            index = int(href[3:])
            if 0 <= index < len(self._evidence):
                self.evidence_clicked.emit(self._evidence[index])

    def evidence_attempts(self) -> list[list[str]]:
        return list(self._evidence)


def _span(query: Query) -> str:
    """'24 h', '7 days', '30 days': the window the calls were looked up in, as the agent chose it."""
    from datetime import UTC, datetime

    end = query.until or datetime.now(UTC)
    hours = (end - query.since).total_seconds() / 3600
    if hours <= 36:
        return f"{max(round(hours), 1)} h"
    return f"{round(hours / 24)} days"


def _same(text: str) -> str:
    return text


def _esc(text: str) -> str:
    return html.escape(text or "", quote=False)


def _bullets(items: list[str]) -> str:
    if not items:
        return ""
    return "".join(f'<p style="margin:0 0 5px 0">•&nbsp;{item}</p>' for item in items)


def _numbered(items: list[str]) -> str:
    if not items:
        return ""
    return "".join(f'<p style="margin:0 0 5px 0">{i}.&nbsp;{item}</p>' for i, item in enumerate(items, 1))
