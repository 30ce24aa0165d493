"""The panel at its real width: the inferred caller ID in its box, numbers never broken over two lines."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics, QTextLayout

from gui_support import demo_window
from sipsight.gui.text_format import NB_HYPHEN, NBSP, keep_numbers_whole
from sipsight.providers.http import HttpConfig

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=10)


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 860)) as win:
        yield win


def test_the_inferred_caller_id_fills_its_box_after_a_lookup(qtbot, window):
    panel = window.input_panel
    panel.set_text("(303) 555-0199")
    assert panel.caller_id.currentText() == ""
    with qtbot.waitSignal(window.lookup_finished, timeout=20000) as blocker:
        window.look_up()
    result = blocker.args[0]
    assert result.query.caller_id is None and result.caller_id
    assert panel.numbers() == ("+13035550199", result.caller_id)
    assert panel.inferred_note.isVisible() and panel.inferred_note.text() == "inferred"
    panel.destination.setEditText("(303) 555-0142")  # another destination: that caller ID was this one's
    assert panel.caller_id.currentText() == "" and not panel.inferred_note.isVisible()



@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Calls to +1 303-555-0199 now go to voicemail", "+1 303-555-0199"),
        ("from (303) 555-0199, again", "(303) 555-0199"),
        ("masked: +1 303 •••-••99 today", "+1 303 •••-••99"),
        ("+13035550199", "+13035550199"),
    ],
)
def test_a_number_is_one_unbreakable_word(text: str, number: str) -> None:
    shown = keep_numbers_whole(text)
    whole = number.replace(" ", NBSP).replace("-", NB_HYPHEN)
    assert whole in shown and shown.replace(NBSP, " ").replace(NB_HYPHEN, "-") == text
    assert keep_numbers_whole("within 1-3 s, 31 of 36 (86%)") == "within 1-3 s, 31 of 36 (86%)"


def test_the_headline_never_wraps_inside_a_number(qtbot, window) -> None:
    window.input_panel.set_text("(303) 555-0199")
    with qtbot.waitSignal(window.lookup_finished, timeout=20000):
        window.look_up()
    label = window.headline.headline
    text = label.text()
    assert "555" in text and "303 555" not in text and "303-555" not in text
    for width in range(120, 420, 7):  # wherever the panel's width puts the line ends
        layout = QTextLayout(text, label.font())
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(text[line.textStart() : line.textStart() + line.textLength()])
        layout.endLayout()
        number = next(w for w in text.split(" ") if "555" in w)
        assert any(number in line for line in lines), (width, lines)
    assert QFontMetrics(label.font()).horizontalAdvance(NB_HYPHEN) > 0  # the font draws the no-break hyphen


AGENT_THEN_CUSTOMER = """Mark Carpenter (agent):
Thanks for reaching out! Do your calls go straight to voicemail, or do you see a 608 error?

Sarah Whitfield:
My calls to (303) 555-0199 just ring and ring, nobody answers. I call from 720-555-0100."""


def test_what_only_the_agent_wrote_is_mentioned_not_the_customers(window) -> None:
    panel = window.input_panel
    panel.set_text(AGENT_THEN_CUSTOMER)
    chips = {chip.text(): chip for chip in panel.chips.chips()}
    assert "Straight to voicemail (mentioned)" in chips or any("(mentioned)" in t and "oicemail" in t for t in chips)
    assert "SIP 608 (mentioned)" in chips
    mentioned = [c for t, c in chips.items() if "(mentioned)" in t]
    assert all(c.kind == "mentioned" and "not by the customer" in c.toolTip() for c in mentioned)
    theirs = [c for c in panel.chips.chips() if c.kind == "symptom"]
    assert theirs
    assert all("(mentioned)" not in c.text() and c.toolTip().startswith("The customer wrote") for c in theirs)
    assert not any("sip:" in c.toolTip() or "sip:" in c.text() for c in panel.chips.chips())  # no internal ids
