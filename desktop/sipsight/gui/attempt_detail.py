"""One call attempt in full: every field, the provider's raw record (collapsible), and its codes explained."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.timezones import zone_for_display
from sipsight.gui.palette import outcome_label
from sipsight.gui.text_format import keep_numbers_whole

if TYPE_CHECKING:
    from sipsight.core.models import Attempt

FIELDS = (
    ("start_time", "Started"),
    ("outcome", "Outcome"),
    ("provider_status", "Status"),
    ("sip_label", "SIP code"),
    ("sip_reason", "SIP reason"),
    ("q850_cause", "Q.850 cause"),
    ("provider_error_code", "Error code"),
    ("answered_by", "Answered by"),
    ("ring_s", "Rang (s)"),
    ("duration_s", "Talked (s)"),
    ("pdd_ms", "Post-dial delay (ms)"),
    ("disconnected_by", "Hung up by"),
    ("from_", "From"),
    ("to", "To"),
    ("carrier", "Carrier"),
    ("line_type", "Line type"),
    ("redress_contact", "Redress contact"),
    ("insights_state", "Voice Insights"),
    ("provider", "Provider"),
    ("id", "ID"),
)


class AttemptDetail(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AttemptDetail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # values wrap instead
        self.tz = "UTC"
        self.attempt: Attempt | None = None
        body = QWidget(self)
        body.setObjectName("PanelBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.title = QLabel(body)
        self.title.setObjectName("SectionTitle")
        head.addWidget(self.title, 1)
        self.explain_button = QPushButton("Explain codes", body)
        self.explain_button.setToolTip("What each code of this call means, from the knowledge base")
        self.explain_button.clicked.connect(self.explain)
        head.addWidget(self.explain_button)
        layout.addLayout(head)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(1, 1)
        layout.addLayout(self.grid)
        self.explanation = QLabel(body)
        self.explanation.setObjectName("Explanation")
        self.explanation.setWordWrap(True)
        self.explanation.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.hide()
        layout.addWidget(self.explanation)
        self.raw_toggle = QToolButton(body)
        self.raw_toggle.setObjectName("Disclosure")
        self.raw_toggle.setText("Raw record (JSON)")
        self.raw_toggle.setCheckable(True)
        self.raw_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.raw_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.raw_toggle.toggled.connect(self._toggle_raw)
        layout.addWidget(self.raw_toggle)
        self.raw = QPlainTextEdit(body)
        self.raw.setReadOnly(True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setMinimumHeight(160)
        self.raw.hide()
        layout.addWidget(self.raw)
        layout.addStretch(1)
        self.setWidget(body)
        self._value_labels: list[QLabel] = []
        self.redact: Callable[[str], str] = lambda text: text  # presenter mode: privacy.mask_text

    def _toggle_raw(self, shown: bool) -> None:
        self.raw_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.raw.setVisible(shown)

    def set_attempt(self, attempt: Attempt | None, tz: str = "UTC") -> None:
        self.attempt = attempt
        self.tz = tz
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._value_labels = []
        self.explanation.hide()
        self.explanation.clear()
        if attempt is None:
            self.title.setText("")
            self.raw.clear()
            return
        zone, _label = zone_for_display(tz)
        self.title.setText(f"Call at {attempt.start_time.astimezone(zone):%a %b %d, %H:%M:%S}")
        row = 0
        for attr, label in FIELDS:
            value = getattr(attempt, attr, None)
            if value is None or value == "":
                continue
            if attr == "start_time":
                value = f"{value.astimezone(zone):%Y-%m-%d %H:%M:%S %Z}"
            elif attr == "outcome":
                value = outcome_label(value)
            key = QLabel(label, self.widget())
            key.setObjectName("FieldName")
            text = QLabel(keep_numbers_whole(self.redact(str(value))), self.widget())
            text.setObjectName("FieldValue")
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            # long tokens (SIDs) must not widen the pane: they clip and stay selectable instead
            if len(str(value)) > 24:
                text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                text.setToolTip(str(value))
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(text, row, 1, Qt.AlignmentFlag.AlignTop)
            self._value_labels.append(text)
            row += 1
        record = {"normalised": attempt.to_json(), "raw": attempt.raw}
        self.raw.setPlainText(self.redact(json.dumps(record, indent=2, default=str, ensure_ascii=False)))

    def field_texts(self) -> list[str]:
        return [label.text() for label in self._value_labels]

    def explain(self) -> None:
        if self.attempt is None:
            return
        from sipsight.core.knowledge import explain_attempt

        entries = explain_attempt(self.attempt)
        if not entries:
            self.explanation.setText("<i>No code on this call has an entry in the knowledge base.</i>")
        else:
            blocks = []
            for entry in entries:
                retry = f"<br/><b>Retry:</b> {html.escape(entry.retry)}" if entry.retry else ""
                blocks.append(
                    f"<p style='margin:0 0 8px 0'><b>{html.escape(entry.ref)} · {html.escape(entry.name)}</b><br/>"
                    f"{html.escape(entry.agent)}<br/><b>Next:</b> {html.escape(entry.next_step)}{retry}<br/>"
                    f"<span style='color:gray'>Source: {html.escape(entry.source)}</span></p>"
                )
            self.explanation.setText("".join(blocks))
        self.explanation.show()
