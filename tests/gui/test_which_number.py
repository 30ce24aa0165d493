"""Caller-first lookups in the real window: the origin ticket pasted as it is, "Which number did they mean?", and
picking another number from the ranking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui_support import demo_window
from project_paths import SHARED
from sipsight.providers.http import HttpConfig

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=20)
SELLER = "+13035550199"
CUSTOMER = "+17205550100"
TIMEOUT = 30000


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 820)) as win:
        yield win


def _origin_ticket() -> str:
    return (SHARED / "reference" / "origin-ticket.md").read_text(encoding="utf-8")


def _paste_and_enter(qtbot, window, text: str):
    window.input_panel.paste_text(text)
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(window.input_panel.input, Qt.Key.Key_Return)
    return blocker.args[0]


def test_the_origin_ticket_pasted_as_it_is_leads_to_the_seller(qtbot, window):
    text = _origin_ticket()
    result = _paste_and_enter(qtbot, window, text)

    # no number in the ticket: the demo customer's caller ID, ranked, and the seller stands out
    assert result.destination_source == "caller_ranking"
    assert result.query.destination == SELLER and result.caller_id == CUSTOMER
    assert result.diagnosis is not None and result.attempts
    assert window.input_panel.text() == text  # nothing lost
    assert window.headline.isVisible()

    view = window.candidates
    assert view.isVisible()
    assert "clearly stands out" in view.message.text()
    assert not view.rows and view.toggle.text() == "Show the ranking (10)"  # folded: the diagnosis has the room
    assert not window.input_panel.message.isVisible()  # intake's "No phone number found" no longer holds
    qtbot.mouseClick(view.toggle, Qt.MouseButton.LeftButton)
    assert view.rows[0].number == SELLER and view.rows[0].property("state") == "chosen"
    assert view.rows[0].badge.isVisible() and not view.ask.isVisible()
    assert all(row.property("state") == "" for row in view.rows[1:])
    assert "calls" in view.rows[0].counts.text() and view.rows[0].story.text()
    assert "555" in window.input_panel.caller_id.currentText()  # the caller ID the ranking started from
    assert window.input_panel.inferred_note.text() == "customer's"
    assert window.replies.editors["reply"].toPlainText()


def test_clicking_a_candidate_looks_it_up_with_the_same_caller_id(qtbot, window):
    first = _paste_and_enter(qtbot, window, _origin_ticket())
    other = first.candidates[1].number
    qtbot.mouseClick(window.candidates.toggle, Qt.MouseButton.LeftButton)
    row = window.candidates.rows[1]
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    picked = blocker.args[0]
    assert picked.query.destination == other and picked.query.caller_id == CUSTOMER
    assert picked.candidates is None  # a destination lookup of the picked number
    view = window.candidates
    assert view.isVisible() and view.current == other  # the ranking stays, marking the number picked
    marked = [r for r in view.rows if r.property("state") == "picked"]
    assert [r.number for r in marked] == [other]
    assert "You picked" in view.message.text()

    # Alt+1 goes back to the first number of the ranking
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT) as blocker:
        view.pick_rank(1)
    assert blocker.args[0].query.destination == SELLER


def test_when_no_number_stands_out_the_list_and_what_to_ask(qtbot, window):
    window.top_bar.choose_scenario("busy-seller")
    window.input_panel.set_text("my calls keep failing, can you check?")
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT) as blocker:
        window.look_up()
    result = blocker.args[0]
    assert result.query.destination == "" and result.diagnosis is None and result.candidates
    view = window.candidates
    assert view.isVisible() and view.ask.isVisible() and "Ask the customer" in view.ask.text()
    assert "none of the" in view.message.text()
    assert len(view.rows) == len(result.candidates[:10])  # the whole list: it is the answer
    assert all(row.property("state") == "" for row in view.rows)
    assert not window.headline.isVisible()
    assert window.results.diagnosis.empty.text().startswith("No number stood out")
    assert "no number stood out" in window.source_label.text()
    assert not window.banner.isVisible()


def test_a_lookup_outside_the_ranking_hides_it(qtbot, window):
    _paste_and_enter(qtbot, window, _origin_ticket())
    window.input_panel.set_text("I keep getting voicemail when I call +1 303 555 0142 from +1 720 555 0100")
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT):
        window.look_up()
    assert window.candidates.isHidden() and window.candidates.ranking is None


def test_the_card_fits_the_narrow_window(qtbot, window):
    _paste_and_enter(qtbot, window, _origin_ticket())
    view = window.candidates
    assert window.results.height() > 150  # folded: the tabs keep room under the card
    qtbot.mouseClick(view.toggle, Qt.MouseButton.LeftButton)
    assert view.width() <= window.width()
    for row in view.rows:  # every row's story wraps inside the card: nothing is cut at 440 px
        assert row.story.width() <= row.width()
        assert row.story.heightForWidth(row.story.width()) <= row.story.height() + 1



def test_presenter_mode_masks_the_ranking(qtbot, window):
    from sipsight.settings.model import Settings

    window.apply_settings(Settings(presenter_mode=True))
    _paste_and_enter(qtbot, window, _origin_ticket())
    view = window.candidates
    qtbot.mouseClick(view.toggle, Qt.MouseButton.LeftButton)
    shown = [view.message.text(), *(r.number_label.text() for r in view.rows), *(r.toolTip() for r in view.rows)]
    digits = "".join(ch for ch in " ".join(shown) if ch.isdigit())
    assert "5550199" not in digits and "5550100" not in digits
    assert view.rows[0].number == SELLER  # the real number stays behind the masked row: a click looks it up
