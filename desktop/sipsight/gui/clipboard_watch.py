"""Optional clipboard watch (off by default): when the agent copies a number or a conversation elsewhere,
offer the lookup without stealing focus.

Only the offer is made here; the window shows it in a non-modal bar. Our own copies (Copy reply...) are
ignored, and the same text is offered once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from sipsight.core.privacy import mask_number

if TYPE_CHECKING:
    from sipsight.core.models import Case

MAX_TEXT = 20000  # a copied spreadsheet is not a conversation; don't parse megabytes on every copy


def masked_display(e164: str) -> str:
    """'+13035550199' -> '+1 303 •••-0199': the area code and last four are enough to recognise it."""
    digits = "".join(c for c in e164 if c.isdigit())
    if e164.startswith("+1") and len(digits) == 11:
        return f"+1 {digits[1:4]} •••-{digits[-4:]}"
    return mask_number(e164)


class ClipboardWatch(QObject):
    offer = Signal(str, object)  # text, Case

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = False
        self.region = "US"
        self._ignore_text: str | None = None
        self._last_offered: str | None = None
        QGuiApplication.clipboard().dataChanged.connect(self._changed)

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        if enabled:
            # what is already on the clipboard was copied before the agent asked for this
            self._last_offered = QGuiApplication.clipboard().text()

    def ignore_next(self, text: str) -> None:
        """Our own copy: do not offer it back."""
        self._ignore_text = text

    def _changed(self) -> None:
        if not self.enabled:
            return
        text = QGuiApplication.clipboard().text()
        if not text.strip() or len(text) > MAX_TEXT:
            return
        if text == self._ignore_text or text == self._last_offered:
            return
        case = self.examine(text)
        if case is None:
            return
        self._last_offered = text
        self.offer.emit(text, case)

    def examine(self, text: str) -> Case | None:
        """The Case when the text has a number worth looking up, else None."""
        from sipsight.core.intake import parse

        case = parse(text, region=self.region)
        return case if case.destination is not None else None
