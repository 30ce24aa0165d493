"""The attempts table: the timeline's attempts as sortable, filterable rows, with "Copy as CSV".

Public API:
    AttemptsTableView(QWidget)   a filter field, an outcome combo, a row count, "Copy as CSV", a QTableView
        set_attempts(attempts, other_attempts=(), tz="local");  clear()
        select(attempt_id | None)       programmatic (no signal); scrolls to the row
        selected_id() -> str | None;  shown_ids() -> list[str]
        set_hidden_outcomes(set[OutcomeClass])  (the legend's filter; programmatic, no signal)
        set_text_filter(text);  set_mask_numbers(bool)
        copy_csv(selected_only=True) -> str   puts text/csv and plain text on the clipboard (all shown rows if
                                              none are selected); Ctrl+C in the table does the same
        signals: attempt_selected(str id), attempt_activated(str id) (double click / Enter),
                 filter_changed(set[OutcomeClass]) when the user picks an outcome in the combo (hidden classes)
    model: the AttemptsTableModel (attempts_model.py) holding the rows, their texts and their sort order

Sorting happens in the source model with precomputed keys; the proxy here only filters, so no per-comparison
call crosses from C++ into Python.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFontMetrics, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui.attempts_model import COL, CSV_HEADER, ID_ROLE, AttemptsTableModel, PreparedRows, prepare_rows
from sipsight.gui.clipboard import set_clipboard
from sipsight.gui.palette import OUTCOME_ORDER, is_dark, outcome_icon, outcome_label


class _FilterProxy(QSortFilterProxyModel):
    """Filters by outcome class and text; sorting is delegated to the source model (see module doc)."""

    def __init__(self, model: AttemptsTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.attempts = model
        self.setSourceModel(model)
        self.hidden: set[OutcomeClass] = set()
        self.needle = ""
        self.this_only = False  # only the calls to the number looked up (lane 0)
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.attempts
        if self.this_only and model.lane_at(source_row) != 0:
            return False
        if self.hidden and model.attempt_at(source_row).outcome in self.hidden:
            return False
        return not self.needle or all(word in model.search_text(source_row) for word in self.needle.split())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.attempts.sort(column, order)

    def refilter(self) -> None:
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)


class _Table(QTableView):
    activated_row = Signal(QModelIndex)
    copy_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # QAbstractItemView would copy one cell's text on Ctrl+C; the agent wants whole rows as CSV.
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class AttemptsTableView(QWidget):
    attempt_selected = Signal(str)
    attempt_activated = Signal(str)
    filter_changed = Signal(object)  # set[OutcomeClass]: the hidden classes, when the combo changes them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._syncing = False
        self.model = AttemptsTableModel(self)
        self.model.dark = is_dark(self)
        self.proxy = _FilterProxy(self.model, self)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter: number, code, carrier…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter attempts by text")
        self.filter_edit.textChanged.connect(self._text_changed)

        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setAccessibleName("Filter attempts by outcome")
        self.outcome_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.outcome_combo.setMinimumContentsLength(12)
        self._fill_combo()
        self.outcome_combo.currentIndexChanged.connect(self._combo_changed)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Rows shown")
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.this_only = QCheckBox("This number only", self)
        self.this_only.setToolTip("Show only the calls to the number looked up, not the caller's other calls")
        self.this_only.toggled.connect(self.set_this_number_only)

        self.copy_button = QToolButton(self)
        self.copy_button.setText("Copy as CSV")
        self.copy_button.setToolTip("Copy the selected rows (or every shown row) as CSV (Ctrl+C)")
        self.copy_button.clicked.connect(lambda: self.copy_csv())

        self.table = _Table(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setAccessibleName("Call attempts")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_count)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated_row.connect(self._activated)
        self.table.copy_requested.connect(lambda: self.copy_csv())
        copy = QAction("Copy as CSV", self.table)
        copy.triggered.connect(lambda: self.copy_csv())
        self.table.addAction(copy)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.outcome_combo)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        second = QHBoxLayout()
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.this_only)
        second.addStretch(1)
        second.addWidget(self.count_label)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._apply_metrics()
        self._update_count()

    # ------------------------------------------------------------------ public API

    def set_attempts(
        self, attempts: Sequence[Attempt], other_attempts: Sequence[Attempt] = (), tz: str = "local"
    ) -> None:
        self.set_prepared(prepare_rows(attempts, other_attempts, tz, self.model.masked))

    def set_prepared(self, prepared: PreparedRows) -> None:
        """Rows built off the GUI thread by `attempts_model.prepare_rows`."""
        selected = self.selected_id()
        self.model.set_prepared(prepared)
        if self.proxy.sort_column >= 0:
            self.model.sort(self.proxy.sort_column, self.proxy.sort_order)
        self.table.horizontalHeader().setToolTip(f"Times in {self.model.time_zone_label()}")
        self._update_count()
        if selected:
            self.select(selected)

    def clear(self) -> None:
        self.set_attempts((), (), tz=self.model.tz_name)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return str(index.data(ID_ROLE))

    def select(self, attempt_id: str | None) -> None:
        """Select and show the attempt's row without emitting attempt_selected (use it to sync with the timeline)."""
        self._syncing = True
        try:
            row = self.model.row_of(attempt_id) if attempt_id else None
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else QModelIndex()
            selection = self.table.selectionModel()
            if not proxy_index.isValid():
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
                return
            selection.setCurrentIndex(
                proxy_index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(proxy_index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def set_hidden_outcomes(self, hidden: Iterable[OutcomeClass]) -> None:
        hidden = set(hidden)
        if hidden != self.proxy.hidden:
            self.proxy.hidden = hidden
            self.proxy.refilter()
        self._sync_combo()
        self._update_count()

    def hidden_outcomes(self) -> set[OutcomeClass]:
        return set(self.proxy.hidden)

    def set_this_number_only(self, on: bool) -> None:
        """Only the calls to the number looked up (the caller's other calls hidden); the check box follows."""
        on = bool(on)
        if self.this_only.isChecked() != on:
            self.this_only.setChecked(on)  # calls back here through toggled
            return
        if on != self.proxy.this_only:
            self.proxy.this_only = on
            self.proxy.refilter()
            self._update_count()

    def set_text_filter(self, text: str) -> None:
        self.filter_edit.setText(text)

    def set_mask_numbers(self, masked: bool) -> None:
        selected = self.selected_id()
        self.model.set_mask_numbers(bool(masked))
        if selected:
            self.select(selected)

    def shown_ids(self) -> list[str]:
        """Attempt ids of the shown rows, in display order."""
        return [self.proxy.index(r, 0).data(ID_ROLE) for r in range(self.proxy.rowCount())]

    def copy_csv(self, selected_only: bool = True) -> str:
        """Copy rows as CSV (header + rows in display order); returns the text put on the clipboard."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}) if selected_only else []
        if not rows:
            rows = list(range(self.proxy.rowCount()))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for proxy_row in rows:
            source_row = self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row()
            writer.writerow(self.model.csv_row(source_row))
        text = buffer.getvalue()
        mime = QMimeData()
        mime.setData("text/csv", text.encode("utf-8"))
        mime.setText(text)
        set_clipboard(mime)
        return text

    # ------------------------------------------------------------------ internals

    def _fill_combo(self) -> None:
        dark = is_dark(self)
        self.outcome_combo.blockSignals(True)
        current = self.outcome_combo.currentData()
        self.outcome_combo.clear()
        self.outcome_combo.addItem("All outcomes", None)
        for outcome in OUTCOME_ORDER:
            self.outcome_combo.addItem(outcome_icon(outcome, 16, dark), outcome_label(outcome), outcome.value)
        self.outcome_combo.addItem("Legend filter", "custom")
        self._custom_index = self.outcome_combo.count() - 1
        index = self.outcome_combo.findData(current)
        self.outcome_combo.setCurrentIndex(max(index, 0))
        self.outcome_combo.blockSignals(False)

    def _sync_combo(self) -> None:
        hidden = self.proxy.hidden
        shown = [o for o in OUTCOME_ORDER if o not in hidden]
        if not hidden:
            data = None
        elif len(shown) == 1:
            data = shown[0].value
        else:
            data = "custom"
        self.outcome_combo.blockSignals(True)
        self.outcome_combo.setCurrentIndex(max(self.outcome_combo.findData(data), 0))
        self.outcome_combo.blockSignals(False)

    def _combo_changed(self, index: int) -> None:
        data = self.outcome_combo.itemData(index)
        if data == "custom":
            return  # only the legend sets a mixed filter; picking it keeps the current one
        hidden = set() if data is None else {o for o in OUTCOME_ORDER if o.value != data}
        self.set_hidden_outcomes(hidden)
        self.filter_changed.emit(set(hidden))

    def _text_changed(self, text: str) -> None:
        needle = text.casefold().strip()
        if needle != self.proxy.needle:
            self.proxy.needle = needle
            self.proxy.refilter()
            self._update_count()

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"{shown} of {total} attempts shown" if shown != total else f"{total} attempt{'s' if total != 1 else ''}"
        selection = self.table.selectionModel()
        selected = len(selection.selectedRows()) if selection is not None else 0
        if selected > 1:
            text += f" · {selected} selected"
        self.count_label.setText(text)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid():
            self.attempt_selected.emit(current.data(ID_ROLE))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.attempt_activated.emit(index.data(ID_ROLE))

    def _apply_metrics(self) -> None:
        fm = QFontMetrics(self.table.font())
        self.table.verticalHeader().setDefaultSectionSize(fm.height() + 8)
        samples = {
            "time": "Wed 30 Sep 00:00", "lane": "This number", "from": "+1 303-555-0199", "to": "+1 303-555-0199",
            "status": "no-answer", "sip": "603+ Network Blocked", "q850": "Q.850", "error": "21215",
            "outcome": "Platform rejected", "duration": "00 min 00 s", "ring": "00.0 s",
            "answered_by": "machine_end_beep", "disconnected_by": "Disconnected by", "carrier": "Verizon Wireless",
        }  # fmt: skip
        for key, sample in samples.items():
            extra = 30 if key == "outcome" else 18
            self.table.setColumnWidth(COL[key], fm.horizontalAdvance(sample) + extra)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.dark = is_dark(self)
            self._fill_combo()
            if self.model.rowCount():
                col = COL["outcome"]
                self.model.dataChanged.emit(
                    self.model.index(0, col),
                    self.model.index(self.model.rowCount() - 1, col),
                    [Qt.ItemDataRole.DecorationRole],
                )
        elif event.type() == QEvent.Type.FontChange:
            self._apply_metrics()
        super().changeEvent(event)
