"""What to answer: the customer reply, the internal note and the educational summary, editable, one click to copy.

The clipboard gets plain text AND HTML: a help-desk editor pastes the HTML with its paragraphs and
lists intact, a plain field takes the text. An edited text wins over the generated HTML (we rebuild the
HTML from the agent's words rather than paste something they removed).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipsight.gui.clipboard import set_clipboard

if TYPE_CHECKING:
    from sipsight.core.models import LookupResult

PARTS = ("reply", "note", "summary")
BUTTON_TEXT = {"reply": "Copy reply", "note": "Copy internal note", "summary": "Copy summary"}
TAB_TEXT = {"reply": "Customer reply", "note": "Internal note", "summary": "Summary"}


def text_to_html(text: str) -> str:
    """Plain text -> simple HTML: blank lines make paragraphs, '- ' lines make a list."""
    blocks = []
    for para in text.strip().split("\n\n"):
        lines = para.splitlines()
        if lines and all(line.lstrip().startswith(("- ", "* ", "• ")) for line in lines):
            items = "".join(f"<li>{html.escape(line.lstrip()[2:].strip())}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return "\n".join(blocks)


class RepliesPanel(QWidget):
    copying = Signal(str)  # the plain text, just before it goes to the clipboard (the clipboard watch skips it)
    copied = Signal(str)  # part
    exported = Signal(str)  # the path the summary was saved to
    export_failed = Signal(str, str)  # message, hint
    note_requested = Signal()  # "Add as internal note": post the note to the conversation the case came from

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RepliesPanel")
        self.tz = "UTC"
        self._result: LookupResult | None = None
        self._generated: dict[str, str] = {}
        self._summary_html = ""
        self.redact: Callable[[str], str] = lambda text: text  # presenter mode: what the projector may show
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        for part in PARTS:
            button = QPushButton(BUTTON_TEXT[part], self)
            button.setObjectName("PrimaryButton" if part == "reply" else "CopyButton")
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, p=part: self.copy(p))
            buttons.addWidget(button)
            self.buttons[part] = button
        self.buttons["reply"].setToolTip("Copy the customer reply (Ctrl+Shift+C)")
        self.buttons["note"].setToolTip("Copy the internal note for the ticket")
        self.buttons["summary"].setToolTip("Copy the educational summary (Markdown text + HTML)")
        layout.addLayout(buttons)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("ReplyTabs")
        self.tabs.setDocumentMode(True)
        self.editors: dict[str, QPlainTextEdit] = {}
        self.export_button = QToolButton(self)
        self.export_button.setObjectName("ExportSummaryButton")
        self.export_button.setText("Save summary as PDF, HTML or Markdown…")
        self.export_button.setToolTip("Save the educational summary to a file (the format follows the file name)")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._choose_export_path)
        self.note_button = QPushButton("Add as internal note…", self)
        self.note_button.setObjectName("AddNoteButton")
        self.note_button.clicked.connect(self.note_requested)
        self.set_note_target(False, "Only for a case read from an Intercom conversation link.")
        for part in PARTS:
            editor = QPlainTextEdit(self)
            editor.setObjectName(f"{part}Editor")
            editor.setPlaceholderText("Appears after a lookup.")
            self.editors[part] = editor
            page: QWidget = editor
            # the summary also goes to a file, the note to the conversation: their buttons sit under them
            under = {"summary": self.export_button, "note": self.note_button}.get(part)
            if under is not None:
                page = QWidget(self)
                column = QVBoxLayout(page)
                column.setContentsMargins(0, 0, 0, 0)
                column.setSpacing(4)
                column.addWidget(editor, 1)
                column.addWidget(under, 0, Qt.AlignmentFlag.AlignRight)
            self.tabs.addTab(page, TAB_TEXT[part])
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)

    def set_result(self, result: LookupResult, tz: str = "UTC") -> None:
        self._result = result
        self.tz = tz
        self._summary_html = ""
        self._generated = {
            "reply": self.redact(result.replies.customer),
            "note": self.redact(result.replies.internal_note),
            "summary": "",
        }
        for part in PARTS:
            self.editors[part].setPlainText(self._generated[part])
            self.buttons[part].setEnabled(bool(self._generated[part]) or part == "summary")
        self.export_button.setEnabled(True)
        if self.tabs.currentIndex() == PARTS.index("summary"):
            self._ensure_summary()

    def set_note_target(self, linked: bool, reason: str) -> None:
        """The shown case came from a conversation link (the note can go there), or `reason` says why not."""
        self.note_button.setEnabled(linked)
        self.note_button.setToolTip(
            "Post this note on the Intercom conversation (after you confirm): teammates see it, the customer does not"
            if linked
            else reason
        )

    def note_text(self) -> str:
        """The internal note as the agent left it; in presenter mode an unedited note is the real (unmasked) one."""
        text = self.editors["note"].toPlainText()
        if self._result is not None and text == self._generated.get("note"):
            return self._result.replies.internal_note
        return text

    def clear(self) -> None:
        self.export_button.setEnabled(False)
        self._result = None
        self._generated = {}
        for part in PARTS:
            self.editors[part].clear()
            self.buttons[part].setEnabled(False)

    def _tab_changed(self, index: int) -> None:
        if PARTS[index] == "summary":
            self._ensure_summary()

    def _ensure_summary(self) -> None:
        """The summary renders on demand (it draws a flowchart); the reply and note are already there."""
        if self._result is None or self._generated.get("summary"):
            return
        from sipsight.core.replies.summary import render_html, render_markdown

        markdown = self.redact(render_markdown(self._result, tz=self.tz))
        self._summary_html = self.redact(render_html(self._result, tz=self.tz))
        self._generated["summary"] = markdown
        self.editors["summary"].setPlainText(markdown)

    def texts(self, part: str) -> tuple[str, str]:
        """(plain, html) for a part as it would be copied now."""
        if part == "summary":
            self._ensure_summary()
        plain = self.editors[part].toPlainText()
        if part == "summary" and plain == self._generated.get("summary") and self._summary_html:
            return plain, self._summary_html
        return plain, text_to_html(plain)

    def _choose_export_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the educational summary", "sipsight-summary.pdf", "PDF (*.pdf);;HTML (*.html);;Markdown (*.md)"
        )
        if path:
            self.export_summary(path)

    def export_summary(self, path: str) -> None:
        """Save the summary of the shown result; the format follows the file's suffix."""
        from sipsight.core.errors import SipsightError
        from sipsight.export.pdf import export_summary

        if self._result is None:
            return
        try:
            written = export_summary(self._result, path, tz=self.tz)
        except SipsightError as err:
            self.export_failed.emit(err.message, err.hint)
            return
        except OSError as err:
            self.export_failed.emit(f"Could not save the summary: {err.strerror or err}.", "Choose another folder.")
            return
        self.exported.emit(str(written))

    def copy(self, part: str) -> None:
        plain, rich = self.texts(part)
        if not plain.strip():
            return
        mime = QMimeData()
        mime.setText(plain)
        mime.setHtml(rich)
        self.copying.emit(plain)
        set_clipboard(mime)
        self.copied.emit(part)
