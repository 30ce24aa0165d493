"""The recent-lookups menu of the window (Ctrl+H): the newest first, every number masked; one click reopens a case
(its text, numbers, window and source) and looks it up again. The history itself is `sipsight.core.history`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from sipsight.gui.main_window import MainWindow


def fill(window: MainWindow) -> None:
    menu = window.top_bar.history_menu
    menu.clear()
    entries = window.lookups.history_entries()
    if not entries:
        empty = menu.addAction("No recent lookups")
        empty.setEnabled(False)
        return
    for entry in entries[:20]:  # the headline may name a number too: the whole line is masked
        action = QAction(entry.label(window.lookups.zone), menu)
        action.setToolTip("Reopen this case")
        action.triggered.connect(lambda _=False, eid=entry.id: window.open_history_entry(eid))
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction("Clear history", window.clear_history)


def reopen(window: MainWindow, entry_id: str) -> None:
    """The history keeps no calls, only what the case was: it is put back and looked up again. A caller-first
    lookup where no number stood out kept no destination: it is caller-first again."""
    entry = window.lookups.history_entry(entry_id)
    if entry is None:
        return
    window.input_panel.set_text(entry.input_text or entry.destination)
    if entry.destination:
        window.input_panel.set_numbers(entry.destination, entry.caller_id)
    window.window_picker.set_key(entry.window if entry.window != "custom" else "7d")
    window.top_bar.choose_source(demo=entry.demo, profile=entry.profile, scenario=entry.scenario)
    window.look_up()
