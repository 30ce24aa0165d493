"""The attempts table: rows, real-value sorting, filters, CSV on the clipboard, selection sync with the timeline."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui.attempts_model import COL, COLUMNS, CSV_HEADER, ID_ROLE
from sipsight.gui.attempts_table import AttemptsTableView
from sipsight.gui.legend import OutcomeLegend
from sipsight.gui.palette import OUTCOME_INDEX
from sipsight.gui.timeline import TimelineWidget

DEST = "+13035550199"
CALLER = "+17205550100"
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def make(n: int, hours: float, outcome: OutcomeClass, to: str = DEST, **extra) -> Attempt:
    return Attempt(
        id=f"CAtest{n:05d}", start_time=T0 + timedelta(hours=hours), **{"from": CALLER}, to=to, outcome=outcome, **extra
    )


def sample() -> tuple[list[Attempt], list[Attempt]]:
    dest = [
        make(1, 0, OutcomeClass.CONNECTED, provider_status="completed", sip_code=200, sip_reason="OK", duration_s=120),
        make(2, 30, OutcomeClass.VOICEMAIL, provider_status="completed", answered_by="machine_end_beep",
             duration_s=9.5),
        make(3, 50, OutcomeClass.NETWORK_BLOCKED, provider_status="failed", sip_code=603, sip_reason="Network Blocked",
             q850_cause=21, carrier="Verizon Wireless"),
        make(4, 70, OutcomeClass.VOICEMAIL, provider_status="completed", duration_s=30.0),
    ]  # fmt: skip
    other = [
        make(10, 5, OutcomeClass.BUSY, to="+12125550101", provider_status="busy", sip_code=486, sip_reason="Busy Here"),
        make(11, 40, OutcomeClass.CONNECTED, to="+12125550102", provider_status="completed", duration_s=61.0),
    ]
    return dest, other


@pytest.fixture
def table(qtbot) -> AttemptsTableView:
    view = AttemptsTableView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    dest, other = sample()
    view.set_attempts(dest, other, tz="UTC")
    return view


def column_values(view: AttemptsTableView, key: str) -> list[str]:
    return [view.proxy.index(r, COL[key]).data() for r in range(view.proxy.rowCount())]


def test_rows_hold_every_column(table: AttemptsTableView) -> None:
    assert table.proxy.rowCount() == 6
    assert [h for _k, h in COLUMNS] == [
        table.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))
    ]
    assert {"Time", "Lane", "From", "To", "Status", "SIP", "Q.850", "Error", "Outcome", "Duration", "Ring",
            "Answered by", "Disconnected by", "Carrier", "Call ID"} == {h for _k, h in COLUMNS}  # fmt: skip
    row = table.model.row_of("CAtest00003")
    values = {key: table.model.index(row, i).data() for i, (key, _h) in enumerate(COLUMNS)}
    assert values["sip"].startswith("603+")
    assert values["q850"] == "21" and values["outcome"] == "Network blocked" and values["lane"] == "This number"
    assert values["to"] == "+1 303-555-0199" and values["carrier"] == "Verizon Wireless"
    icon = table.model.index(row, COL["outcome"]).data(Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()
    assert table.count_label.text() == "6 attempts"


def test_sort_by_time_outcome_and_codes_uses_real_values(table: AttemptsTableView) -> None:
    table.table.sortByColumn(COL["time"], Qt.SortOrder.DescendingOrder)
    ids = table.shown_ids()
    assert ids[0] == "CAtest00004" and ids[-1] == "CAtest00001"
    table.table.sortByColumn(COL["outcome"], Qt.SortOrder.AscendingOrder)
    outcomes = [table.model.attempt_at(table.model.row_of(i)).outcome for i in table.shown_ids()]
    assert [OUTCOME_INDEX[o] for o in outcomes] == sorted(OUTCOME_INDEX[o] for o in outcomes)
    assert outcomes[0] is OutcomeClass.CONNECTED  # by class order, not alphabetically ("Busy" < "Connected")
    # numbers sort as numbers (9.5 s < 30 s < 61 s < 120 s), blanks last in both directions
    table.table.sortByColumn(COL["duration"], Qt.SortOrder.AscendingOrder)
    assert column_values(table, "duration") == ["9.5 s", "30 s", "61 s", "120 s", "", ""]
    table.table.sortByColumn(COL["duration"], Qt.SortOrder.DescendingOrder)
    assert column_values(table, "duration") == ["120 s", "61 s", "30 s", "9.5 s", "", ""]
    table.table.sortByColumn(COL["sip"], Qt.SortOrder.AscendingOrder)
    assert [v.split()[0] for v in column_values(table, "sip") if v] == ["200", "486", "603+"]


def test_sort_keeps_the_selection(table: AttemptsTableView) -> None:
    table.select("CAtest00003")
    table.table.sortByColumn(COL["time"], Qt.SortOrder.DescendingOrder)
    assert table.selected_id() == "CAtest00003"
    row = table.table.currentIndex().row()
    assert table.proxy.index(row, 0).data(ID_ROLE) == "CAtest00003"


def test_text_and_outcome_filters(table: AttemptsTableView, qtbot) -> None:
    table.set_text_filter("busy")
    assert table.shown_ids() == ["CAtest00010"]
    table.set_text_filter("verizon 603")
    assert table.shown_ids() == ["CAtest00003"]
    assert table.count_label.text() == "1 of 6 attempts shown"
    table.set_text_filter("")
    with qtbot.waitSignal(table.filter_changed, timeout=1000) as blocker:
        table.outcome_combo.setCurrentIndex(table.outcome_combo.findData(OutcomeClass.VOICEMAIL.value))
    assert OutcomeClass.VOICEMAIL not in blocker.args[0] and OutcomeClass.CONNECTED in blocker.args[0]
    assert table.shown_ids() == ["CAtest00002", "CAtest00004"]
    table.outcome_combo.setCurrentIndex(0)
    assert len(table.shown_ids()) == 6


def test_legend_filter_hides_a_class_in_table_and_timeline(table: AttemptsTableView, qtbot) -> None:
    legend = OutcomeLegend()
    timeline = TimelineWidget()
    qtbot.addWidget(legend)
    qtbot.addWidget(timeline)
    dest, other = sample()
    timeline.set_attempts(dest, other, tz="UTC")
    legend.set_attempts(dest + other)
    legend.filter_changed.connect(table.set_hidden_outcomes)
    legend.filter_changed.connect(timeline.set_hidden_outcomes)
    legend.item(OutcomeClass.VOICEMAIL).click()
    assert "CAtest00002" not in table.shown_ids() and len(table.shown_ids()) == 4
    assert timeline.hidden_outcomes() == {OutcomeClass.VOICEMAIL}
    assert table.outcome_combo.currentData() == "custom"  # the combo says a legend filter is active
    legend.clear_filter()
    assert len(table.shown_ids()) == 6 and table.outcome_combo.currentIndex() == 0


def _clipboard_csv() -> tuple[list[list[str]], str]:
    mime = QApplication.clipboard().mimeData()
    assert mime.hasFormat("text/csv")
    data = bytes(mime.data("text/csv")).decode("utf-8")
    return list(csv.reader(io.StringIO(data))), mime.text()


def test_copy_selected_rows_as_csv(table: AttemptsTableView, qtbot) -> None:
    table.show()
    qtbot.waitExposed(table)
    table.select("CAtest00003")
    extra = table.proxy.mapFromSource(table.model.index(table.model.row_of("CAtest00010"), 0))
    table.table.selectionModel().select(extra, table.table.selectionModel().SelectionFlag.Select
                                        | table.table.selectionModel().SelectionFlag.Rows)  # fmt: skip
    text = table.copy_csv()
    rows, plain = _clipboard_csv()
    assert plain == text
    assert rows[0] == CSV_HEADER
    assert [r[CSV_HEADER.index("call_id")] for r in rows[1:]] == ["CAtest00010", "CAtest00003"]  # display order
    blocked = rows[2]
    assert blocked[CSV_HEADER.index("time")] == "2026-11-22T17:00:00+00:00"
    assert blocked[CSV_HEADER.index("sip_code")] == "603+"
    assert "Network Blocked" in blocked[CSV_HEADER.index("sip_reason")]
    assert blocked[CSV_HEADER.index("q850_cause")] == "21"
    assert blocked[CSV_HEADER.index("to")] == DEST
    assert blocked[CSV_HEADER.index("outcome")] == "network_blocked"
    # Ctrl+C in the table copies too; with nothing selected, every shown row goes
    table.table.selectionModel().clearSelection()
    QApplication.clipboard().clear()
    table.table.setFocus()
    qtbot.keyClick(table.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    rows, _plain = _clipboard_csv()
    assert len(rows) == 7


def test_masked_numbers_in_rows_and_csv(table: AttemptsTableView) -> None:
    table.set_mask_numbers(True)
    row = table.model.row_of("CAtest00001")
    assert table.model.index(row, COL["to"]).data() == "+1 303 •••-••99"
    rows = list(csv.reader(io.StringIO(table.copy_csv(selected_only=False))))
    assert all("0199" not in cell for r in rows for cell in r)


def test_selection_sync_both_ways(table: AttemptsTableView, qtbot) -> None:
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    dest, other = sample()
    timeline.set_attempts(dest, other, tz="UTC")
    timeline.attempt_selected.connect(table.select)
    table.attempt_selected.connect(timeline.select)
    # programmatic select does not emit (no ping-pong)
    with qtbot.assertNotEmitted(table.attempt_selected):
        table.select("CAtest00002")
    assert table.selected_id() == "CAtest00002"
    # user picks a row: the table emits, the timeline follows
    index = table.proxy.mapFromSource(table.model.index(table.model.row_of("CAtest00011"), COL["time"]))
    table.show()
    qtbot.waitExposed(table)
    with qtbot.waitSignal(table.attempt_selected, timeout=1000) as blocker:
        rect = table.table.visualRect(index)
        qtbot.mouseClick(table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["CAtest00011"]
    assert timeline.selected_id() == "CAtest00011"
    # the timeline's user selection drives the table
    timeline.attempt_selected.emit("CAtest00003")
    assert table.selected_id() == "CAtest00003"
    table.select(None)
    assert table.selected_id() is None
    with qtbot.waitSignal(table.attempt_activated, timeout=1000) as blocker:
        table.table.setCurrentIndex(index)
        qtbot.keyClick(table.table, Qt.Key.Key_Return)
    assert blocker.args == ["CAtest00011"]


def test_outcome_icons_follow_the_theme(qtbot) -> None:
    app = QApplication.instance()
    original = app.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2e"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1f1f22"))
    try:
        app.setPalette(dark)
        QApplication.processEvents()
        view = AttemptsTableView()  # created under a dark palette: dark icons from the start
        qtbot.addWidget(view)
        view.set_attempts(*sample(), tz="UTC")
        assert view.model.dark
        app.setPalette(original)  # and a live theme switch follows (Qt posts the PaletteChange)
        qtbot.waitUntil(lambda: not view.model.dark, timeout=1000)
    finally:
        app.setPalette(original)


def test_hidden_selected_row_is_deselected(table: AttemptsTableView) -> None:
    table.select("CAtest00002")
    table.set_hidden_outcomes({OutcomeClass.VOICEMAIL})
    assert table.selected_id() is None
    table.select("CAtest00002")  # hidden: nothing to select
    assert table.selected_id() is None


def test_ten_thousand_rows(qtbot) -> None:
    view = AttemptsTableView()
    qtbot.addWidget(view)
    classes = list(OutcomeClass)
    dest = [make(k, k / 60, classes[k % len(classes)], sip_code=400 + k % 200) for k in range(0, 10_000, 10)]
    other = [
        make(k, k / 60, classes[k % 4], to="+12125550100", duration_s=float(k % 300)) for k in range(10_000) if k % 10
    ]
    view.set_attempts(dest, other, tz="America/Denver")
    assert view.proxy.rowCount() == 10_000
    view.table.sortByColumn(COL["sip"], Qt.SortOrder.DescendingOrder)
    first = view.model.attempt_at(view.proxy.mapToSource(view.proxy.index(0, 0)).row())
    assert first.sip_code == max(a.sip_code for a in dest)
    view.set_hidden_outcomes({OutcomeClass.CONNECTED})
    assert view.proxy.rowCount() == 10_000 - sum(1 for a in dest + other if a.outcome is OutcomeClass.CONNECTED)
    view.select(other[-1].id)
    assert view.selected_id() == other[-1].id
    assert view.table.indexWidget(view.proxy.index(0, 0)) is None  # no per-row widgets
    assert not view.model.index(0, 0).parent().isValid() and view.model.rowCount(QModelIndex()) == 10_000


def test_copy_as_csv_goes_through_the_shared_clipboard_helper(table: AttemptsTableView, monkeypatch) -> None:
    # The offscreen platform segfaults at exit on Python-owned clipboard data unless the helper's exit hook
    # empties it; a copy that bypasses the helper never installs the hook.
    from sipsight.gui import clipboard, replies_panel

    monkeypatch.setattr(clipboard, "_exit_hook", False)
    registered = []
    monkeypatch.setattr(clipboard.atexit, "register", registered.append)
    text = table.copy_csv(selected_only=False)
    assert clipboard.exit_hook_installed() and registered == [clipboard.empty_at_exit]
    rows, plain = _clipboard_csv()
    assert plain == text and len(rows) == 7
    assert replies_panel.set_clipboard is clipboard.set_clipboard  # one helper for every copy
