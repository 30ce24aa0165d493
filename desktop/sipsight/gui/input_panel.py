"""The one input: paste, drop or type a number, a conversation or a link; see what was found; correct it.

Parsing is intake's job (`sipsight.core.intake.parse`, which never raises); this panel only shows the
Case as chips and pre-fills the destination and caller ID, which the agent may edit before looking up.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.errors import InputError
from sipsight.gui.chips import ChipRow, pin_height_for_width

ROLE_LABELS = {"destination": "calling", "caller_id": "caller ID", "unknown": "number"}


class PasteInput(QPlainTextEdit):
    """Multi-line input. Enter or Ctrl+Enter looks up; Shift+Enter starts a new line; drops insert text."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PasteInput")
        self.setPlaceholderText("Paste a phone number, a customer conversation or a conversation link…")
        self.setTabChangesFocus(True)
        self.setAcceptDrops(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._lines = 3
        self._fit()

    def _fit(self) -> None:
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(int(line * self._lines + 2 * self.frameWidth() + self.document().documentMargin() * 2 + 4))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
                return
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        # Plain text only: a conversation copied from a web inbox arrives as HTML, and its markup is noise.
        if source.hasText():
            self.insertPlainText(source.text())
        elif source.hasUrls():
            self.insertPlainText("\n".join(u.toString() for u in source.urls()))


class InputPanel(QWidget):
    lookup_requested = Signal()
    case_changed = Signal(object)  # Case

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InputPanel")
        self.region = "US"
        self.case: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self.input = PasteInput(self)
        self.input.submitted.connect(self.lookup_requested)
        layout.addWidget(self.input)

        self.chips = ChipRow(self)
        self.chips.hide()
        layout.addWidget(self.chips)

        self.message = QLabel(self)
        self.message.setObjectName("InlineMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.destination = self._number_combo("Number the customer was calling")
        self.caller_id = self._number_combo("The customer's own number (caller ID); empty: taken from the calls")
        self.caller_id.lineEdit().setPlaceholderText("from the calls")
        self.destination.lineEdit().setPlaceholderText("the number the customer called")
        form.addRow("Calling", self.destination)
        form.addRow("Caller ID", self.caller_id)

        # The window owner puts the time-window controls at the start of this row; Look up ends it.
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(6)
        self.action_row.addStretch(1)
        self.lookup_button = QPushButton("Look up", self)
        self.lookup_button.setObjectName("PrimaryButton")
        self.lookup_button.setDefault(True)
        self.lookup_button.setToolTip("Look up the calls (Enter)")
        self.lookup_button.clicked.connect(self.lookup_requested)
        self.action_row.addWidget(self.lookup_button)
        self.form = form
        form.addRow("Calls in", self.action_row)
        layout.addLayout(form)

        self._parse_timer = QTimer(self)
        self._parse_timer.setSingleShot(True)
        self._parse_timer.setInterval(150)
        self._parse_timer.timeout.connect(self.parse_now)
        self.input.textChanged.connect(self._parse_timer.start)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        pin_height_for_width(self)

    def _number_combo(self, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        combo.lineEdit().returnPressed.connect(self.lookup_requested)
        return combo

    # ------------------------------------------------------------------ text
    def text(self) -> str:
        return self.input.toPlainText()

    def set_text(self, text: str) -> None:
        self.input.setPlainText(text)
        self.parse_now()

    def paste_text(self, text: str) -> None:
        """Ctrl+V anywhere in the window lands here: replaces a selection, else inserts at the cursor."""
        self.input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.input.insertPlainText(text)
        self.parse_now()

    # ------------------------------------------------------------------ parsing
    def parse_now(self) -> None:
        from sipsight.core.intake import parse

        self._parse_timer.stop()
        text = self.text()
        case = parse(text, region=self.region)
        self.case = case
        self._show_case(case, has_text=bool(text.strip()))
        self.case_changed.emit(case)

    def _show_case(self, case: Any, *, has_text: bool) -> None:
        from sipsight.core.phone import pretty

        chips: list[tuple[str, str, str]] = []
        for number in case.numbers:
            role = str(number.role)
            label = ROLE_LABELS.get(role, "number")
            chips.append((f"{label}  {pretty(number.e164)}", role, number.context or number.raw))
        for symptom in case.symptoms:
            chips.append((symptom.label, "symptom", f"“{symptom.raw}”"))
        for code in case.codes:
            chips.append((_code_label(code.ref), "code", f"“{code.raw}” ({code.ref})"))
        for link in case.links:
            chips.append((f"{link.platform} link", "link", link.url))
        self.chips.set_chips(chips)

        notes = list(case.messages) if has_text else []
        self.show_message(" ".join(notes))

        self._fill(self.destination, case.numbers, case.destination.e164 if case.destination else "")
        caller = case.caller_id.e164 if case.caller_id else ""
        self._fill(self.caller_id, case.numbers, caller)

    def _fill(self, combo: QComboBox, numbers: list[Any], current: str) -> None:
        from sipsight.core.phone import pretty

        combo.blockSignals(True)
        combo.clear()
        for number in numbers:
            combo.addItem(pretty(number.e164), number.e164)
        if current:
            index = combo.findData(current)
            combo.setCurrentIndex(index)
        else:
            combo.setCurrentIndex(-1)
            combo.setEditText("")
        combo.blockSignals(False)

    def show_message(self, text: str, *, kind: str = "note") -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ values
    def numbers(self) -> tuple[str, str | None]:
        """(destination, caller_id) in E.164; raises InputError with intake's or phone's message."""
        from sipsight.core.phone import InvalidNumber, to_e164

        dest_text = _combo_value(self.destination)
        if not dest_text:
            note = " ".join(self.case.messages) if self.case is not None and self.case.messages else ""
            raise InputError(note or "No phone number found.", "Paste the number the customer was calling, or type it.")
        try:
            destination = to_e164(dest_text, self.region)
        except InvalidNumber as err:
            raise InputError(str(err), "Correct the number in the Calling box.") from None
        caller_text = _combo_value(self.caller_id)
        caller = None
        if caller_text:
            try:
                caller = to_e164(caller_text, self.region)
            except InvalidNumber as err:
                raise InputError(str(err), "Correct or clear the Caller ID box.") from None
        if caller == destination:
            raise InputError("The caller ID is the same number as the destination.", "Clear the Caller ID box.")
        return destination, caller

    def set_numbers(self, destination: str, caller_id: str | None) -> None:
        from sipsight.core.phone import pretty

        self.destination.setEditText(pretty(destination))
        self.caller_id.setEditText(pretty(caller_id) if caller_id else "")


def _combo_value(combo: QComboBox) -> str:
    """The typed text wins over the selected item's data: the agent may have corrected it."""
    text = combo.currentText().strip()
    index = combo.currentIndex()
    if index >= 0 and combo.itemText(index) == text:
        return str(combo.itemData(index) or text)
    return text


def _code_label(ref: str) -> str:
    vocab, _, code = ref.partition(":")
    if vocab == "sip":
        return f"SIP {code}"
    if vocab == "q850":
        return f"Q.850 {code}"
    return f"{vocab} {code}".strip()
