"""Number chips: hover says why intake gave the number its role; one click corrects it and looks the case up again,
the pasted text untouched."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui_support import demo_window
from sipsight.core.intake import parse
from sipsight.gui.chips import role_reason
from sipsight.gui.role_corrections import apply_corrections, role_menu
from sipsight.providers.http import HttpConfig

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=20)
TEXT = ("I called (303) 555-0199 three times and it goes straight to voicemail. "
        "My caller ID is +1 720 555 0100. Don't use the old one, 303-555-0142.")
TIMEOUT = 30000


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 820)) as win:
        yield win


def _numbers(case):
    return {n.e164: n for n in case.numbers}


def test_role_reason_quotes_the_deciding_words():
    numbers = _numbers(parse(TEXT))
    assert role_reason(numbers["+13035550199"]).startswith("the customer wrote “I called (303) 555-0199 three times")
    assert role_reason(numbers["+17205550100"]) == "the customer wrote “My caller ID is +1 720 555 0100.”"
    assert "the old one" in role_reason(numbers["+13035550142"])
    only = parse("+1 303 555 0199").numbers[0]
    assert role_reason(only) == "it is the only number in the text"


def test_corrections_move_a_role_and_set_the_previous_holder_aside():
    case = parse(TEXT)
    corrected = apply_corrections(case, {"+13035550142": "destination"})
    assert corrected.destination.e164 == "+13035550142"
    assert str(_numbers(corrected)["+13035550199"].role) == "other"
    assert corrected.caller_id.e164 == "+17205550100"
    ignored = apply_corrections(case, {"+13035550199": "other"})
    assert ignored.destination is None  # nothing falls back to the number the agent set aside
    assert apply_corrections(case, {}) is case


def _chip(window, e164):
    return next(c for c in window.input_panel.chips.chips() if c.number == e164)


def _choose(qtbot, window, e164, text):
    menu = role_menu(window.input_panel, e164)  # what a click on the chip pops up
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled()
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT) as blocker:
        action.trigger()
    return blocker.args[0]


def test_a_chip_says_why_and_one_click_corrects_it(qtbot, window):
    panel = window.input_panel
    panel.set_text(TEXT)
    chip = _chip(window, "+13035550199")
    assert chip.kind == "destination"
    assert chip.toolTip().startswith("The number the customer was calling: the customer wrote “I called (303) 555-0199")
    assert "Click to correct it" in chip.toolTip()
    panel.chips.number_clicked.disconnect(panel._offer_roles)  # the popup itself needs a real screen
    with qtbot.waitSignal(panel.chips.number_clicked) as clicked:
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert clicked.args[0] == "+13035550199"
    menu = role_menu(panel, "+13035550199")
    checked = [a.text() for a in menu.actions() if a.isChecked()]
    assert checked == ["Make it the number they called"]
    assert _chip(window, "+13035550142").kind == "other"

    # the number the customer ruled out is the one they meant after all
    result = _choose(qtbot, window, "+13035550142", "Make it the number they called")
    assert result.query.destination == "+13035550142" and result.query.caller_id == "+17205550100"
    assert panel.text() == TEXT  # the paste is untouched
    assert _chip(window, "+13035550142").kind == "destination"
    assert "you corrected it" in _chip(window, "+13035550142").toolTip()
    assert _chip(window, "+13035550199").kind == "other"
    assert "555-0142" in panel.destination.currentText()

    # ignore it: no destination left, so the lookup is caller-first from the caller ID
    result = _choose(qtbot, window, "+13035550142", "Ignore it")
    assert result.destination_source == "caller_ranking" and result.caller_id == "+17205550100"
    assert panel.destination.currentText() == "" and panel.text() == TEXT


def test_a_new_paste_forgets_the_corrections(qtbot, window):
    panel = window.input_panel
    panel.set_text(TEXT)
    _choose(qtbot, window, "+13035550142", "Make it the caller ID")
    assert panel.case.caller_id.e164 == "+13035550142"
    panel.set_text(TEXT)
    assert panel.corrections == {} and panel.case.caller_id.e164 == "+17205550100"
