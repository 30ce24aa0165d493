"""The attempts table's data: one row per attempt (both lanes), its columns as text, sorting by real values and
the CSV row of each attempt. The view (filtering, selection, copying) is `attempts_table.py`.

Public API (AttemptsTableModel, a QAbstractTableModel):
    set_attempts(attempts, other_attempts=(), tz="local");  set_mask_numbers(bool)
    prepare_rows(attempts, other_attempts, tz, masked) -> PreparedRows (Qt-free work: a pool thread may run it);
    set_prepared(PreparedRows): the rows in, one cheap model reset on the GUI thread
    attempt_at(row) -> Attempt;  lane_at(row) -> int;  row_of(id) -> int | None;  time_zone_label() -> str
    sort(column, order) sorts by real values (times, codes, outcome order), blanks last either way
    csv_row(row) -> list[str] (CSV_HEADER's columns);  COLUMNS: (key, header) pairs;  ID_ROLE: a cell's attempt id

Sorting happens here with precomputed keys (Python's sort, milliseconds for 10,000 rows), so no
per-comparison call crosses from C++ into Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TypeAlias

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from sipsight.core.models import Attempt
from sipsight.core.timezones import zone_for_display
from sipsight.gui.palette import OUTCOME_INDEX, OUTCOME_ORDER, outcome_icon, outcome_label
from sipsight.gui.timeline_layout import LANE_TITLES
from sipsight.gui.timeline_text import format_number, sip_reason_name, sip_text

ID_ROLE = Qt.ItemDataRole.UserRole + 1

# What an agent reads first comes first (it must fit the 440 px panel): when, to which number, what happened, the
# code. Both lanes are in one table, so the number called is second: it tells this number's calls from the others.
COLUMNS: list[tuple[str, str]] = [
    ("time", "Time"),
    ("to", "To"),
    ("outcome", "Outcome"),
    ("sip", "SIP"),
    ("lane", "Lane"),
    ("from", "From"),
    ("status", "Status"),
    ("q850", "Q.850"),
    ("error", "Error"),
    ("duration", "Duration"),
    ("ring", "Ring"),
    ("answered_by", "Answered by"),
    ("disconnected_by", "Disconnected by"),
    ("carrier", "Carrier"),
    ("call_id", "Call ID"),
]
COL = {key: i for i, (key, _header) in enumerate(COLUMNS)}
_NUMERIC = {COL["q850"], COL["duration"], COL["ring"]}

CSV_HEADER = [
    "time", "lane", "from", "to", "status", "sip_code", "sip_reason", "q850_cause", "error_code", "outcome",
    "duration_s", "ring_s", "answered_by", "disconnected_by", "carrier", "call_id",
]  # fmt: skip
LANE_SHORT = ("This number", "Other")


def _secs(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f} s" if value >= 10 or value == int(value) else f"{value:.1f} s"


Sortable: TypeAlias = datetime | int | float | str | tuple[int, bool]  # one type per column
SortKey: TypeAlias = Sortable | None  # None: a blank cell, sorted last
CellData: TypeAlias = str | int | QIcon | None


@dataclass(frozen=True)
class PreparedRows:
    """The table's rows with their texts, built off the GUI thread (`prepare_rows`)."""

    tz_name: str
    masked: bool
    rows: list[tuple[Attempt, int]]
    display: list[tuple[str, ...]]
    search: list[str]


def prepare_rows(attempts: Sequence[Attempt], other_attempts: Sequence[Attempt], tz: str, masked: bool) -> PreparedRows:
    """Every row's texts, time-sorted: pure Python, so a result's rows are built on a pool thread."""
    zone, _label = zone_for_display(tz)
    rows = [(a, 0) for a in attempts] + [(a, 1) for a in other_attempts]
    rows.sort(key=lambda r: r[0].start_time)
    display = [_format(a, lane, zone, masked) for a, lane in rows]
    search = [
        " ".join((*d, a.outcome.value, a.sip_reason or "")).casefold()
        for (a, _lane), d in zip(rows, display, strict=True)
    ]
    return PreparedRows(tz, masked, rows, display, search)


def _format(a: Attempt, lane: int, zone: tzinfo, masked: bool) -> tuple[str, ...]:
    local = a.start_time.astimezone(zone)
    values = {
        "time": local.strftime("%a %d %b %H:%M"),  # seconds and the year in its tooltip
        "lane": LANE_SHORT[lane],
        "from": format_number(a.from_, masked),
        "to": format_number(a.to, masked),
        "status": a.provider_status or "",
        "sip": sip_text(a),
        "q850": "" if a.q850_cause is None else str(a.q850_cause),
        "error": a.provider_error_code or "",
        "outcome": outcome_label(a.outcome),
        "duration": _secs(a.duration_s),
        "ring": _secs(a.ring_s),
        "answered_by": a.answered_by or "",
        "disconnected_by": a.disconnected_by or "",
        "carrier": a.carrier or "",
        "call_id": a.id,
    }
    return tuple(values[key] for key, _header in COLUMNS)


class AttemptsTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Attempt, int]] = []  # (attempt, lane)
        self._display: list[tuple[str, ...]] = []
        self._search: list[str] = []
        self._row_of: dict[str, int] = {}
        self._tz, self._tz_label = zone_for_display("local")
        self.tz_name = "local"
        self._masked = False
        self.dark = False

    # ------------------------------------------------------------------ data in

    def set_attempts(
        self, attempts: Sequence[Attempt], other_attempts: Sequence[Attempt] = (), tz: str = "local"
    ) -> None:
        self.set_prepared(prepare_rows(attempts, other_attempts, tz, self._masked))

    def set_prepared(self, prepared: PreparedRows) -> None:
        """Rows built by `prepare_rows` (with this model's masking; other rows are formatted again here)."""
        if prepared.masked != self._masked:
            prepared = prepare_rows(
                [a for a, lane in prepared.rows if lane == 0],
                [a for a, lane in prepared.rows if lane == 1],
                prepared.tz_name,
                self._masked,
            )
        self.beginResetModel()
        self.tz_name = prepared.tz_name
        self._tz, self._tz_label = zone_for_display(prepared.tz_name)
        self._rows = list(prepared.rows)
        self._display = list(prepared.display)
        self._search = list(prepared.search)
        self._row_of = {a.id: i for i, (a, _lane) in enumerate(self._rows)}
        self.endResetModel()

    @property
    def masked(self) -> bool:
        return self._masked

    def set_mask_numbers(self, masked: bool) -> None:
        if masked != self._masked:
            self._masked = masked
            self.set_prepared(PreparedRows(self.tz_name, not masked, self._rows, self._display, self._search))

    def time_zone_label(self) -> str:
        return self._tz_label

    def attempt_at(self, row: int) -> Attempt:
        return self._rows[row][0]

    def lane_at(self, row: int) -> int:
        return self._rows[row][1]

    def row_of(self, attempt_id: str) -> int | None:
        return self._row_of.get(attempt_id)

    def search_text(self, row: int) -> str:
        return self._search[row]

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL["time"]:
            return f"Times in {self._tz_label}"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> CellData:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[row][col]
        if role == ID_ROLE:
            return self._rows[row][0].id
        if role == Qt.ItemDataRole.DecorationRole and col == COL["outcome"]:
            return outcome_icon(self._rows[row][0].outcome, 16, self.dark)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        return None

    def _tooltip(self, row: int, col: int) -> str | None:
        a, lane = self._rows[row]
        if col == COL["time"]:
            return a.start_time.astimezone(self._tz).strftime("%A %d %B %Y, %H:%M:%S %Z")
        if col == COL["to"]:
            return f"{self._display[row][col]} ({'this number' if lane == 0 else 'another number'})"
        if col == COL["lane"]:
            return LANE_TITLES[lane]
        if col == COL["sip"] and a.sip_code is not None:
            name = sip_reason_name(a.sip_code, a.sip_reason)
            received = f" (received: {a.sip_reason})" if a.sip_reason and a.sip_reason != name else ""
            return f"SIP {a.sip_label} {name or ''}{received}".strip()
        if col == COL["outcome"]:
            return outcome_label(a.outcome)
        return self._display[row][col] or None

    # ------------------------------------------------------------------ sorting

    def _key(self, col: int) -> Callable[[int], SortKey]:
        key = COLUMNS[col][0]
        rows = self._rows
        display = self._display

        def getter(i: int) -> SortKey:
            a, lane = rows[i]
            match key:
                case "time":
                    return a.start_time
                case "lane":
                    return lane
                case "sip":
                    return None if a.sip_code is None else (a.sip_code, a.is_603_plus)
                case "q850":
                    return a.q850_cause
                case "outcome":
                    return OUTCOME_INDEX.get(a.outcome, len(OUTCOME_ORDER))
                case "duration":
                    return a.duration_s
                case "ring":
                    return a.ring_s
                case "from":
                    return a.from_
                case "to":
                    return a.to
                case _:
                    text = display[i][col]
                    return text.casefold() if text else None

        return getter

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        getter = self._key(column)
        # Time is the tie-breaker: rows start time-sorted and Python's sort is stable.
        base = sorted(range(len(self._rows)), key=lambda i: self._rows[i][0].start_time)
        keyed = [(getter(i), i) for i in base]
        known: list[tuple[Sortable, int]] = [(k, i) for k, i in keyed if k is not None]
        blanks = [i for k, i in keyed if k is None]
        known.sort(key=lambda item: item[0], reverse=order == Qt.SortOrder.DescendingOrder)
        new_order = [i for _k, i in known] + blanks  # blanks last in both directions
        position = {old: new for new, old in enumerate(new_order)}
        old_persistent = self.persistentIndexList()
        self._rows = [self._rows[i] for i in new_order]
        self._display = [self._display[i] for i in new_order]
        self._search = [self._search[i] for i in new_order]
        self._row_of = {a.id: i for i, (a, _lane) in enumerate(self._rows)}
        self.changePersistentIndexList(
            old_persistent, [self.index(position[p.row()], p.column()) for p in old_persistent]
        )
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ CSV

    def csv_row(self, row: int) -> list[str]:
        a, lane = self._rows[row]

        def num(value: float | int | None) -> str:
            return "" if value is None else f"{value:g}"

        return [
            a.start_time.astimezone(self._tz).isoformat(timespec="seconds"),
            LANE_TITLES[lane],
            format_number(a.from_, True) if self._masked else a.from_,
            format_number(a.to, True) if self._masked else a.to,
            a.provider_status or "",
            a.sip_label or "",
            (sip_reason_name(a.sip_code, a.sip_reason) or "") if a.sip_code is not None else "",
            num(a.q850_cause),
            a.provider_error_code or "",
            a.outcome.value,
            num(a.duration_s),
            num(a.ring_s),
            a.answered_by or "",
            a.disconnected_by or "",
            a.carrier or "",
            a.id,
        ]
