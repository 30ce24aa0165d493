"""The desktop app and its saved data: targeted settings changes (a profile the CLI adds while the window is open
survives the pin, the settings dialog and closing), and the notes of the settings store and the history in a
warning banner that a lookup does not dismiss."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import project_paths
from gui_support import demo_window
from sipsight.providers.http import HttpConfig

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=10)
SID = "AC" + "0" * 32


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 860)) as win:
        yield win


def _cli_profile_add(name: str) -> None:
    """`sipsight profile add` in another process, as an agent's script would run it beside the open window."""
    env = {**os.environ, "PYTHONPATH": str(project_paths.DESKTOP)}
    args = ["profile", "add", name, "--account-sid", SID, "--auth-mode", "auth_token", "--secret-stdin"]
    proc = subprocess.run(
        [sys.executable, "-m", "sipsight", *args],
        input="not-a-real-token\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr


def _profiles() -> list[str]:
    from sipsight.settings.store import load_settings

    return [p.name for p in load_settings().profiles]


def test_a_profile_added_by_the_cli_survives_the_pin_and_closing(qtbot, window):
    from sipsight.settings.store import load_settings

    _cli_profile_add("from-cli")
    window.top_bar.pin_button.setChecked(True)
    assert _profiles() == ["from-cli"] and load_settings().always_on_top is True
    _cli_profile_add("second")
    window.window_picker.set_key("30d")
    window.resize(500, 700)
    window.close()
    saved = load_settings()
    assert [p.name for p in saved.profiles] == ["from-cli", "second"]
    assert saved.window_geometry and saved.lookup_window == "30d" and saved.always_on_top is True


def test_the_settings_dialog_saves_its_changes_onto_the_file_as_it_is_now(qtbot, window):
    from sipsight.settings.store import load_settings

    _cli_profile_add("old")
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    assert dialog.profile_list.item(0).text() == "old"  # the dialog shows the file as it is, not the start copy
    dialog.profile_list.setCurrentRow(0)
    dialog.name_edit.setText("renamed")
    dialog.test_button.click()  # commits the rename to the dialog (the test itself fails: no such account)
    _cli_profile_add("while-open")  # the CLI, while the dialog is open
    dialog.clipboard_check.setChecked(True)
    dialog.agent_name_edit.setText("  Alex  ")
    dialog.company_name_edit.setText("Acme Dialer")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    saved = load_settings()
    assert sorted(p.name for p in saved.profiles) == ["renamed", "while-open"]
    assert saved.active_profile == "renamed" and saved.clipboard_watch is True
    assert (saved.agent_name, saved.company_name) == ("Alex", "Acme Dialer")
    assert window.settings == saved

    window.open_settings()
    dialog = window.settings_dialog
    rows = [dialog.profile_list.item(i).text() for i in range(dialog.profile_list.count())]
    dialog.profile_list.setCurrentRow(rows.index("while-open"))
    dialog.remove_button.click()
    _cli_profile_add("third")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert sorted(_profiles()) == ["renamed", "third"]
    window.close()
    assert sorted(_profiles()) == ["renamed", "third"]


def test_history_and_settings_notes_stay_in_the_banner_through_a_lookup(qtbot, _isolated_home):
    from sipsight.core.history import FILE_NAME
    from sipsight.core.paths import config_dir, data_dir

    data_dir().mkdir(parents=True, exist_ok=True)
    (data_dir() / FILE_NAME).write_text("{ not json", encoding="utf-8")
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "settings.json").write_text('{"schema_version": 1, "theme": 7}', encoding="utf-8")
    from sipsight.gui.app import GuiOptions, create_window
    from sipsight.gui.lookup_request import SessionOptions

    win = create_window(GuiOptions(demo=True, theme="light"), install_hooks=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.banner.isVisible() and win.banner.kind == "warning"
    assert "settings.json" in win.banner.hint_label.text() and "bad-" in win.banner.hint_label.text()
    win.finish_startup()
    win.lookups.session_options = SessionOptions(http_config=FAST)
    hint = win.banner.hint_label.text()
    assert "history" in hint and "moved to" in hint, hint
    win.input_panel.set_text("(303) 555-0199")
    with qtbot.waitSignal(win.lookup_finished, timeout=20000):
        win.look_up()
    assert win.banner.isVisible() and win.banner.hint_label.text() == hint  # a lookup does not dismiss a note
    win.lookups.wait_idle(5000)
    win.banner.dismiss()
    assert not win.banner.isVisible()


def test_the_reply_is_signed_with_the_agent_and_company_from_settings(qtbot, window):
    from sipsight.settings.model import Settings

    window.apply_settings(Settings(agent_name="Alex", company_name="Acme Dialer"))
    window.top_bar.choose_source(demo=True, profile=None, scenario="origin-ticket")
    window.input_panel.set_text("(303) 555-0199")
    with qtbot.waitSignal(window.lookup_finished, timeout=20000) as blocker:
        window.look_up()
    reply = blocker.args[0].replies.customer
    assert "Alex" in reply and "Acme Dialer" in reply
    assert window.replies.editors["reply"].toPlainText() == reply
