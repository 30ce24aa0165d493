"""An Intercom conversation link pasted into the real window (the demo inbox: the Intercom simulator over HTTP on
127.0.0.1): read in the background, the transcript shown, the caller-first lookup run; every failure a banner that
keeps the link; and "Add as internal note" posted back after the agent confirms, never twice by accident."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui_support import demo_window
from sipsight.gui.inbox_actions import NO_LINK_TIP, NOT_SET_UP, link_in
from sipsight.inbox import open_intercom
from sipsight.providers.http import HttpConfig
from sipsight.settings.model import IntercomSettings

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=20)
LINK = "https://app.intercom.com/a/inbox/ql8el0gn/inbox/conversation/215469108439785"
SELLER = "+13035550199"
TIMEOUT = 30000


@pytest.fixture
def window(qtbot):
    with demo_window(qtbot, FAST, size=(440, 820)) as win:
        yield win


def _paste_link(qtbot, window, link: str = LINK):
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT) as blocker:
        window.input_panel.paste_text(link)
        qtbot.keyClick(window.input_panel.input, Qt.Key.Key_Return)
    return blocker.args[0]


def _failure(qtbot, window, link: str = LINK):
    with qtbot.waitSignal(window.inbox.fetch_failed, timeout=TIMEOUT) as blocker:
        window.input_panel.paste_text(link)
        qtbot.keyClick(window.input_panel.input, Qt.Key.Key_Return)
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert window.input_panel.text() == link  # nothing lost
    assert window.lookups.generation == 0 and not window.busy_bar.isVisible()
    return blocker.args[0]


def test_link_in_takes_only_a_lone_intercom_link():
    assert link_in(f"  {LINK}  ").conversation_id == "215469108439785"
    assert link_in(f"see {LINK}") is None  # a conversation that carries a link is a conversation
    assert link_in("+1 303 555 0199") is None and link_in("215469108439785") is None
    assert link_in("https://example.com/a/b") is None
    with pytest.raises(Exception, match="not to a conversation"):
        link_in("https://app.intercom.com/a/inbox/ql8el0gn/inbox/shared/all")


def test_a_pasted_link_reads_the_conversation_then_looks_it_up(qtbot, window):
    result = _paste_link(qtbot, window)
    case = window.inbox.case
    assert case is not None and case.conversation_id == "215469108439785"
    assert window.input_panel.text() == case.transcript  # the agent sees what was read
    assert "I spoke with the seller" in window.input_panel.text()
    assert result.destination_source == "caller_ranking" and result.query.destination == SELLER
    assert result.diagnosis is not None and window.candidates.isVisible()
    message = window.input_panel.message
    assert message.isVisible() and "Read from the Intercom conversation" in message.text()
    assert window.replies.note_button.isEnabled()


def test_a_link_whose_contact_names_only_a_subaccount_reads_its_calls(qtbot, window):
    sub = "AC" + "0" * 31 + "1"
    result = _paste_link(qtbot, window, "https://app.intercom.com/a/inbox/ql8el0gn/inbox/conversation/215469108490001")
    assert window.inbox.case.caller_id.subaccount_sid == sub and window.inbox.case.caller_id.e164 is None
    assert result.destination_source == "caller_ranking" and result.query.destination == SELLER
    assert result.message.startswith(f"The customer named no number. Sub-account {sub} (from the company ")
    assert result.caller_id == "+17205550100" and result.diagnosis is not None  # inferred from the seller's calls
    qtbot.waitUntil(lambda: window.input_panel.inferred_note.isVisible(), timeout=3000)
    assert window.input_panel.inferred_note.text() == "inferred"  # not "customer's": the contact named no caller ID


def test_a_link_to_no_conversation_is_a_banner_not_a_traceback(qtbot, window):
    err = _failure(qtbot, window, "https://app.intercom.com/a/inbox/ql8el0gn/inbox/conversation/999999999")
    assert type(err).__name__ == "NotFound"
    assert window.banner.message_label.text().startswith("Could not read the Intercom conversation")
    assert window.banner.button("Retry") is not None


def test_a_rejected_token_is_a_banner(qtbot, window):
    window.inbox.opener = lambda demo, options: open_intercom(demo=True, fault="401", **options)
    err = _failure(qtbot, window)
    assert type(err).__name__ == "AuthFailed"
    assert "token" in (window.banner.message_label.text() + window.banner.hint_label.text()).lower()


def test_no_network_is_a_banner(qtbot, window, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr("sipsight.settings.credentials.get_secret", lambda *key: "test-token")
    settings = IntercomSettings(api_base=f"http://127.0.0.1:{port}")
    window.inbox.opener = lambda demo, options: open_intercom(demo=False, settings=settings, **options)
    monkeypatch.setattr(type(window), "demo", property(lambda self: False))
    err = _failure(qtbot, window)
    assert type(err).__name__ == "Offline"
    assert "could not reach intercom" in window.banner.message_label.text().lower()


def test_without_intercom_set_up_it_says_how(qtbot, window, monkeypatch):
    monkeypatch.setattr(type(window), "demo", property(lambda self: False))  # an account, no Intercom token stored
    _failure(qtbot, window)
    assert window.banner.message_label.text() == NOT_SET_UP
    assert "sipsight profile intercom" in window.banner.hint_label.text()


def test_the_note_button_needs_a_case_from_a_link(qtbot, window):
    window.input_panel.set_text("calls to +1 303 555 0199 go to voicemail, I call from +1 720 555 0100")
    with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT):
        window.look_up()
    button = window.replies.note_button
    assert not button.isEnabled() and button.toolTip() == NO_LINK_TIP


def _post_through_dialog(qtbot, window):
    window.replies.note_button.click()
    dialog = window.inbox.dialog
    assert dialog.isVisible() and "internal note" in dialog.windowTitle().lower()
    return dialog


def test_add_as_internal_note_posts_after_confirming_and_asks_before_an_update(qtbot, window):
    _paste_link(qtbot, window)
    editor = window.replies.editors["note"]
    editor.setPlainText(editor.toPlainText() + "\nChecked with the carrier: AGENT EDIT.")

    dialog = _post_through_dialog(qtbot, window)
    assert "AGENT EDIT" in dialog.text.toPlainText()  # the agent's edits go with it
    dialog.reject()  # cancel: nothing posted
    session = window.inbox._sessions[True]
    assert session.fetch_case(LINK).existing_notes == []

    dialog = _post_through_dialog(qtbot, window)
    with qtbot.waitSignal(window.inbox.note_posted, timeout=TIMEOUT) as blocker:
        dialog.post_button.click()
    posted = blocker.args[0]
    assert posted.part["part_type"] == "note" and posted.supersedes is None
    assert posted.note_id in window.statusBar().currentMessage() and window.toast.isVisible()
    notes = session.fetch_case(LINK).existing_notes
    assert [n.note_id for n in notes] == [posted.note_id] and "AGENT EDIT" in notes[0].text

    # a second time: SIPSight's note is there, so it asks before posting an update that supersedes it
    dialog = _post_through_dialog(qtbot, window)
    dialog.post_button.click()
    qtbot.waitUntil(lambda: getattr(window.inbox, "question", None) is not None and window.inbox.question.isVisible(),
                    timeout=TIMEOUT)
    question: QMessageBox = window.inbox.question
    assert posted.note_id in question.text()
    update = next(b for b in question.buttons() if b.text() == "Post update")
    with qtbot.waitSignal(window.inbox.note_posted, timeout=TIMEOUT) as blocker:
        update.click()
    assert blocker.args[0].supersedes.note_id == posted.note_id
    assert len(session.fetch_case(LINK).existing_notes) == 2


