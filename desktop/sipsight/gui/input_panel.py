"""The one input: paste, drop or type a number, a conversation or a link; see what was found; correct it.

Parsing is intake's job (`sipsight.core.intake.parse`, which never raises); this panel only shows the
Case as chips and pre-fills the destination and caller ID, which the agent may edit before looking up.
A paste, a pause in typing and any long text are parsed on a pool thread (a 1 MB paste must not freeze the
window); a newer text supersedes a parse still running. `when_parsed(callback)` runs once the text is read.

In presenter mode (a projector, a screen share) the typed text and both number boxes are replaced by
read-only masked copies under a "Presenter mode: numbers hidden" note; pasting still works (it replaces
the text) and the lookup reads the real, hidden values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.errors import InputError
from sipsight.gui.chips import ChipRow
from sipsight.gui.flow_layout import pin_height_for_width

if TYPE_CHECKING:
    from sipsight.core.models import CandidateNumber, Case

SYNC_PARSE_CHARS = 20_000  # set_text parses a text this short at once (under a few ms); longer ones off the GUI thread
ROLE_LABELS = {"destination": "calling", "caller_id": "caller ID", "unknown": "number"}
PRESENTER_NOTE = "Presenter mode: numbers hidden"
MENTIONED = "Mentioned in the pasted text (by an agent, a bot, an auto-reply or an article), not by the customer"
# Intake asks the agent to check the roles whenever it finds more than one number; pointless when it
# assigned both roles to two distinct numbers (the chips already say which is which).


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


@dataclass
class MaskedCopies:
    """Presenter mode's read-only stand-ins: the note above them, the text and the two numbers, all masked."""

    note: QLabel
    text: PasteInput
    destination: QLineEdit
    caller_id: QLineEdit


class InputPanel(QWidget):
    lookup_requested = Signal()
    case_changed = Signal(object)  # Case
    roles_corrected = Signal()  # the agent corrected a number's role on its chip: look the corrected case up

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InputPanel")
        self.region = "US"
        self.case: Case | None = None
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        # Presenter mode's masked copies are built the first time it is turned on: they cost startup time.
        self.presenter = False
        self.redact: Callable[[str], str] = _same
        self.masked: MaskedCopies | None = None

        self.input = PasteInput(self)
        self.input.submitted.connect(self.lookup_requested)
        self.input.textChanged.connect(self._refresh_masked)
        layout.addWidget(self.input)

        self.chips = ChipRow(self)
        self.chips.number_clicked.connect(self._offer_roles)
        self.chips.hide()
        self.corrections: dict[str, str] = {}  # E.164 -> the role the agent gave it (kept while the text is edited)
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
        _line_edit(self.caller_id).setPlaceholderText("from the calls")
        _line_edit(self.destination).setPlaceholderText("the number the customer called")
        self._number_rows = (QHBoxLayout(), QHBoxLayout())  # each: its combo, or in presenter mode a masked copy
        for row, combo in zip(self._number_rows, (self.destination, self.caller_id), strict=True):
            row.addWidget(combo, 1)
            combo.currentTextChanged.connect(self._refresh_masked)
        self.inferred_note = QLabel("inferred", self)
        self.inferred_note.setObjectName("Caption")
        self.inferred_note.setToolTip("Taken from the calls: the caller ID this number's calls came from")
        self.inferred_note.hide()
        self._number_rows[1].addWidget(self.inferred_note)
        self._inferred: str | None = None  # the caller ID the last lookup inferred, while the box still shows it
        self.caller_id.currentTextChanged.connect(self._caller_edited)
        self.destination.currentTextChanged.connect(self._destination_edited)
        form.addRow("Calling", self._number_rows[0])
        form.addRow("Caller ID", self._number_rows[1])

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

        self._parse_timer = QTimer(self)  # intake runs once the agent pauses typing
        self._parse_timer.setSingleShot(True)
        self._parse_timer.setInterval(150)
        self._parse_timer.timeout.connect(self.parse_in_background)
        self.input.textChanged.connect(self._parse_timer.start)
        self._parse_generation = 0  # a parse's result is shown only if no newer text came since
        self._parsing = False
        self._after_parse: list[Callable[[], None]] = []

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        pin_height_for_width(self)

    # ------------------------------------------------------------------ presenter mode
    def set_presenter(self, on: bool) -> None:
        """Presenter mode: the text and the numbers show masked and read-only; the real values stay for the lookup."""
        if self.presenter == bool(on):
            return
        self.presenter = bool(on)
        self.redact = _same
        if self.presenter:
            from sipsight.core.privacy import mask_text

            self.redact = mask_text
        masked = self._masked_copies() if self.presenter else self.masked
        if masked is not None:
            masked.note.setVisible(self.presenter)
            masked.text.setVisible(self.presenter)
            masked.destination.setVisible(self.presenter)
            masked.caller_id.setVisible(self.presenter)
        for widget in (self.input, self.destination, self.caller_id):
            widget.setVisible(not self.presenter)
        if self.case is not None:
            self._show_case(self.case, has_text=bool(self.text().strip()))
        self._refresh_masked()

    def _masked_copies(self) -> MaskedCopies:
        if self.masked is not None:
            return self.masked
        layout = self._layout
        note = QLabel(PRESENTER_NOTE, self)
        note.setObjectName("PresenterNote")
        note.setToolTip("Turn presenter mode off in Settings > General to see and edit the numbers.")
        layout.insertWidget(layout.indexOf(self.input), note)
        text = PasteInput(self)  # Enter still looks up
        text.submitted.connect(self.lookup_requested)
        text.setObjectName("MaskedInput")
        text.setReadOnly(True)
        text.setAccessibleName("Pasted text, numbers hidden (presenter mode)")
        text.setPlaceholderText("Paste (Ctrl+V) a number or a conversation; numbers stay hidden")
        layout.insertWidget(layout.indexOf(self.input) + 1, text)
        tips = ("Number the customer was calling (hidden: presenter mode)", "The customer's caller ID (hidden)")
        boxes = []
        for row, tip in zip(self._number_rows, tips, strict=True):
            box = QLineEdit(self)
            box.setReadOnly(True)
            box.setToolTip(tip)
            box.setAccessibleName(tip)
            row.addWidget(box)
            boxes.append(box)
        self.masked = MaskedCopies(note, text, boxes[0], boxes[1])
        return self.masked

    def _refresh_masked(self, *_: object) -> None:
        if not self.presenter or self.masked is None:
            return
        self.masked.text.setPlainText(self.redact(self.text()))
        self.masked.destination.setText(self.redact(self.destination.currentText()))
        self.masked.caller_id.setText(self.redact(self.caller_id.currentText()))

    def _number_combo(self, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        _line_edit(combo).returnPressed.connect(self.lookup_requested)
        return combo

    # ------------------------------------------------------------------ text
    def text(self) -> str:
        return self.input.toPlainText()

    def set_text(self, text: str) -> None:
        self.corrections = {}  # a new text: intake's roles again
        self.input.setPlainText(text)
        if len(text) <= SYNC_PARSE_CHARS:
            self.parse_now()
        else:
            self._parse_soon()

    def set_case(self, text: str, case: Case) -> None:
        """Show `text` with a case already read from it (an inbox conversation, read from its messages' real authors):
        intake does not read the text again."""
        self.input.setPlainText(text)
        self._parse_timer.stop()
        self._parse_generation += 1
        self._parsing = False
        self.corrections = {}
        self._take_case(case, text)

    def paste_text(self, text: str) -> None:
        """Ctrl+V anywhere in the window lands here: replaces a selection, else inserts at the cursor.

        In presenter mode the text is hidden (no cursor to aim at), so a paste replaces it: a new case.
        """
        if self.presenter:
            self.set_text(text)
            return
        self.input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.input.insertPlainText(text)
        self._parse_soon()

    # ------------------------------------------------------------------ parsing
    def parse_pending(self) -> bool:
        """True while the text waits for intake (150 ms after the last key) or intake reads it on a pool thread."""
        return self._parse_timer.isActive() or self._parsing

    def when_parsed(self, callback: Callable[[], None]) -> None:
        """`callback` once intake has read the current text (at once when it has; a pending parse starts now)."""
        if not self.parse_pending():
            callback()
            return
        self._after_parse.append(callback)
        if self._parse_timer.isActive():
            self.parse_in_background()

    def _parse_soon(self) -> None:
        """Parse on the next turn of the event loop: reading a huge text back out of the editor is a step of its own."""
        self._parse_timer.start(0)
        self._parse_timer.setInterval(150)

    def parse_now(self) -> None:
        """Parse on this thread (short texts, and when the text must be read before going on)."""
        from sipsight.core.intake import parse

        self._parse_timer.stop()
        self._parse_generation += 1  # a background parse still running is now stale
        self._parsing = False
        text = self.text()
        self._take_case(parse(text, region=self.region), text)

    def parse_in_background(self) -> None:
        """Parse on a pool thread; the chips and numbers follow when it is done, unless a newer text came."""
        from sipsight.core.intake import parse
        from sipsight.gui.background import BackgroundOp

        self._parse_timer.stop()
        self._parse_generation += 1
        generation = self._parse_generation
        self._parsing = True
        text, region = self.text(), self.region

        def done(case: Case) -> None:
            if generation == self._parse_generation:
                self._parsing = False
                self._take_case(case, text)

        def failed(err: BaseException) -> None:  # intake never raises; should it, the text is read here instead
            if generation == self._parse_generation:
                self.parse_now()

        BackgroundOp(op=lambda: parse(text, region=region), success=done).failure(failed).run_in_background()

    def _take_case(self, case: Case, text: str) -> None:
        from sipsight.gui.role_corrections import apply_corrections

        case = apply_corrections(case, self.corrections)
        self.case = case
        self._show_case(case, has_text=bool(text.strip()))
        self.case_changed.emit(case)
        waiting, self._after_parse = self._after_parse, []
        for callback in waiting:
            callback()

    def _show_case(self, case: Case, *, has_text: bool) -> None:
        from sipsight.core.phone import pretty
        from sipsight.core.privacy import mask_presenter
        from sipsight.gui.chips import number_tooltip

        shown = mask_presenter if self.presenter else pretty
        redact = self.redact
        chips: list[tuple[str, ...]] = []
        for number in case.numbers:
            role = str(number.role)
            label = ROLE_LABELS.get(role, "number")
            tip = number_tooltip(number, redact, corrected=number.e164 in self.corrections)
            chips.append((f"{label}  {shown(number.e164)}", role, tip, number.e164))
        # What the customer wrote is said as theirs; what only an agent, a bot, an auto-reply or a pasted article
        # says is "mentioned in the pasted text" (a plain chip), never the customer's words.
        for symptom in case.symptoms:
            quote = redact(f"“{symptom.raw}”")
            if symptom.by_customer:
                chips.append((symptom.label, "symptom", f"The customer wrote {quote}"))
            else:
                chips.append((f"{symptom.label} (mentioned)", "mentioned", f"{MENTIONED}: {quote}"))
        for code in case.codes:
            if code.by_customer:
                chips.append((_code_label(code.ref), "code", f"The customer wrote “{code.raw}”"))
            else:
                chips.append((f"{_code_label(code.ref)} (mentioned)", "mentioned", f"{MENTIONED}: “{code.raw}”"))
        for link in case.links:
            chips.append((f"{link.platform} link", "link", redact(link.url)))
        self.chips.set_chips(chips)  # type: ignore[arg-type]  # 3-tuples and a number's 4-tuples

        self.show_message(" ".join(case.messages) if has_text else "")

        self._fill(self.destination, case.numbers, case.destination.e164 if case.destination else "")
        caller = case.caller_id.e164 if case.caller_id else ""
        self._fill(self.caller_id, case.numbers, caller)
        self._inferred = None  # a new text: its own numbers, nothing inferred yet
        self.inferred_note.hide()
        self._refresh_masked()  # the fill blocks the combos' signals

    def _offer_roles(self, e164: str, where: QPoint) -> None:
        from sipsight.gui.role_corrections import role_menu

        self.role_menu = role_menu(self, e164)
        self.role_menu.popup(where)

    def correct_role(self, e164: str, role: str) -> None:
        """The agent's correction of a number's role (destination, caller_id, other): the chips and boxes follow and
        the lookup runs again with the corrected case; the text stays as it is."""
        if self.case is None or all(n.e164 != e164 for n in self.case.numbers):
            return
        self.corrections[e164] = role
        self._take_case(self.case, self.text())
        self.roles_corrected.emit()

    def _fill(self, combo: QComboBox, numbers: list[CandidateNumber], current: str) -> None:
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
        self.message.setText(self.redact(text))
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))
        pin_height_for_width(self)  # the panel's height follows its message (shown, hidden, rewrapped)

    # ------------------------------------------------------------------ values
    def numbers(self, *, caller_first: bool = False) -> tuple[str, str | None]:
        """(destination, caller_id) in E.164; raises InputError with intake's or phone's message.

        `caller_first`: an empty Calling box is allowed (destination ""): the lookup finds which number the customer
        meant from the caller ID's calls (the caller ID typed, or one the lookup knows: the contact's, the demo's)."""
        from sipsight.core.phone import InvalidNumber, to_e164

        dest_text = _combo_value(self.destination)
        destination = ""
        if not dest_text and not caller_first:
            note = " ".join(self.case.messages) if self.case is not None and self.case.messages else ""
            if note:  # intake's note already says what to do: said once
                raise InputError(note, "")
            raise InputError("No phone number found.", "Paste the number the customer was calling, or type it.")
        try:
            destination = to_e164(dest_text, self.region) if dest_text else ""
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

    def show_inferred_caller(self, caller_id: str, *, ranked: bool = False) -> None:
        """After a lookup with an empty Caller ID box: the caller ID the calls came from, marked as inferred; after a
        caller-first lookup (`ranked`), the customer's caller ID it started from (the inbox contact's, the demo's)."""
        from sipsight.core.phone import pretty

        if _combo_value(self.caller_id):
            return
        self.inferred_note.setText("customer's" if ranked else "inferred")
        self.inferred_note.setToolTip(
            "The customer's caller ID (from their contact, or the demo's customer): the calls ranked to find the number"
            if ranked
            else "Taken from the calls: the caller ID this number's calls came from"
        )
        self.caller_id.setEditText(pretty(caller_id))
        self._inferred = self.caller_id.currentText()
        self.inferred_note.setVisible(not self.presenter)

    def _caller_edited(self, text: str) -> None:
        if self._inferred is not None and text != self._inferred:
            self._inferred = None
            self.inferred_note.hide()

    def _destination_edited(self, _text: str) -> None:
        """Another destination: the caller ID inferred for the last one is not this one's; the box empties."""
        if self._inferred is not None and self.caller_id.currentText() == self._inferred:
            self.caller_id.setEditText("")


def _same(text: str) -> str:
    return text


def _line_edit(combo: QComboBox) -> QLineEdit:
    """The text field of an editable combo box (it has one from setEditable(True) on)."""
    edit = combo.lineEdit()
    assert edit is not None, "the number boxes are editable"
    return edit


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
    if vocab in ("twilio", "signalwire"):
        return f"{vocab.capitalize()} error {code}"
    return f"{vocab} {code}".strip()
