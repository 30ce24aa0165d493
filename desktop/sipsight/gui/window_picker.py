"""Which calls to look at: 24 h / 7 days / 30 days, or a custom range of dates (two date pickers)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QBoxLayout, QComboBox, QDateEdit, QLabel, QWidget

from sipsight.gui.lookup_request import CUSTOM, WINDOWS, TimeWindow

Preset = Literal["24h", "7d", "30d"]
PRESETS: tuple[Preset, ...] = ("24h", "7d", "30d")


class WindowPicker:
    """The window combo and the custom range's date pickers, placed at the start of `row` (the Look up row)."""

    def __init__(self, parent: QWidget, row: QBoxLayout, initial: str = "7d") -> None:
        self.combo = QComboBox(parent)
        self.combo.setObjectName("WindowCombo")
        self.combo.setToolTip("Which calls to look at")
        for key, text, _ in WINDOWS:
            self.combo.addItem(text, key)
        self.combo.setCurrentIndex(max(self.combo.findData(initial), 0))
        self.combo.currentIndexChanged.connect(self._changed)
        today = QDate.currentDate()
        self.since_edit = QDateEdit(today.addDays(-7), parent)
        self.until_edit = QDateEdit(today, parent)
        for edit, tip in ((self.since_edit, "From (inclusive)"), (self.until_edit, "To (inclusive)")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("MMM d")
            edit.setMaximumDate(today)
            edit.setToolTip(tip)
            edit.hide()
        self.until_label = QLabel("–", parent)
        self.until_label.hide()
        for i, widget in enumerate((self.combo, self.since_edit, self.until_label, self.until_edit)):
            row.insertWidget(i, widget)

    def _changed(self, *_: int) -> None:
        custom = self.key() == CUSTOM
        for widget in (self.since_edit, self.until_label, self.until_edit):
            widget.setVisible(custom)

    def key(self) -> str:
        return str(self.combo.currentData())

    def set_key(self, key: str) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(key), 0))

    def preset(self) -> Preset | None:
        """The chosen preset, which the settings remember; None for a custom range."""
        return next((p for p in PRESETS if p == self.key()), None)

    def window(self) -> TimeWindow:
        if self.key() != CUSTOM:
            return TimeWindow(self.key())
        return TimeWindow(CUSTOM, _day(self.since_edit), _day(self.until_edit))


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())
