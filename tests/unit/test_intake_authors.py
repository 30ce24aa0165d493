"""Who wrote what: message parts and their author kinds from the transcript's own structure (short pastes in each
inbox's and mail program's shape; whole conversations are in test_intake_conversations.py)."""

from __future__ import annotations

from sipsight.core.intake import parse
from sipsight.core.models import AuthorKind, Case

A = AuthorKind


def shape(case: Case) -> list[tuple[AuthorKind, AuthorKind, str | None]]:
    return [(p.author, p.written_by, p.name) for p in case.parts]


def said_by_customer(case: Case) -> list[str]:
    return [s.id for s in case.customer_symptoms]


def test_plain_text_is_one_customer_message() -> None:
    case = parse("hi, calls to 303-555-0199 go straight to voicemail")
    assert shape(case) == [(A.CUSTOMER, A.CUSTOMER, None)]
    assert case.customer is None


def test_intercom_stamps_bots_notes_and_the_header() -> None:
    case = parse("Conversation with Dana Reyes\n\nDana Reyes · 3h\nit goes straight to voicemail\n\n"
                 "Operator · 3h\nOur team typically replies in a few hours. Busy signal? Try again later.\n\n"
                 "Alex Moreno · Note · 2h\ncustomer may be blocked, check 608s\n\n"
                 "Alex Moreno · 1h\nHi Dana! Does it ring?")
    assert shape(case) == [(A.CUSTOMER, A.CUSTOMER, None), (A.CUSTOMER, A.CUSTOMER, "Dana Reyes"),
                           (A.BOT, A.BOT, "Operator"), (A.AGENT, A.AGENT, "Alex Moreno"),
                           (A.AGENT, A.AGENT, "Alex Moreno")]
    assert case.parts[3].note and not case.parts[4].note
    assert case.customer == "Dana Reyes"
    assert said_by_customer(case) == ["straight_to_voicemail"]
    assert {s.id for s in case.symptoms if not s.by_customer} == {"busy_signal", "blocked"}
    assert [(c.ref, c.by_customer) for c in case.codes] == [("sip:608", False)]


def test_a_bare_stamp_then_a_bold_name() -> None:
    case = parse("**16h**\n_This is an Auto Reply_\nWe are out of the office.\n\n**16h**\n**S:**\nIt goes straight to "
                 "voicemail.\n\n**16h**\n**Mark Carpenter:**\nwe'll look at it")
    assert [(p.author, p.name) for p in case.parts] == [(A.AUTO_REPLY, None), (A.CUSTOMER, "S"),
                                                         (A.AGENT, "Mark Carpenter")]


def test_zendesk_requester_and_assignee() -> None:
    case = parse("#48211 Calls fail\n\nRequester: Marcus Bell\nAssignee: Jo Lee\n\nJo Lee\nNov 23, 2026, 4:40 PM\n"
                 "Hi Marcus, is it a busy signal?\n\nMarcus Bell\nNov 23, 2026, 5:02 PM\nNo, it rings once then drops.")
    assert [(p.author, p.name) for p in case.parts] == [(A.CUSTOMER, None), (A.AGENT, "Jo Lee"),
                                                         (A.CUSTOMER, "Marcus Bell")]
    # the subject is the customer's; the agent's "busy signal?" is only a mention
    assert said_by_customer(case) == ["call_failed", "rings_once_then_drops"]


def test_help_scout_and_front_verbs() -> None:
    case = parse("Dana Reyes replied\nNov 23 at 4:12pm\n\nStraight to voicemail again.\n\nSam Ito added a note\n"
                 "Nov 23 at 4:30pm\n\nprobably spam likely\n\nPriya Das commented\nlooks blocked to me")
    assert [(p.author, p.name, p.note) for p in case.parts] == [
        (A.CUSTOMER, "Dana Reyes", False), (A.AGENT, "Sam Ito", True), (A.AGENT, "Priya Das", True)]
    assert said_by_customer(case) == ["straight_to_voicemail"]


def test_gmail_quote_intros_in_other_languages() -> None:
    for intro in ("El lun, 23 nov 2026 a las 9:14, Soporte Acme <soporte@acme.example> escribió:",
                  "Le lun. 23 nov. 2026 à 09:14, Support Acme <support@acme.example> a écrit :",
                  "Am Mo., 23. Nov. 2026 um 09:14 Uhr schrieb Support Acme <support@acme.example>:",
                  "Em seg., 23 de nov. de 2026 às 09:14, Suporte Acme <suporte@acme.example> escreveu:"):
        case = parse(f"Goes straight to voicemail.\n\n{intro}\n> Does it go straight to voicemail or do you get a busy "
                     "signal?\n")
        assert [(p.author, p.written_by) for p in case.parts][-1] == (A.QUOTED, A.AGENT), intro
        assert said_by_customer(case) == ["straight_to_voicemail"], intro
        assert [s.id for s in case.symptoms if not s.by_customer] == ["busy_signal"], intro


def test_quoted_customer_message_is_still_the_customers() -> None:
    case = parse("Hi Dana, thanks, we're checking.\n\nJo\nAcme Support\n\nOn Mon, Nov 23, 2026 at 9:14 AM Dana Reyes "
                 "<dana@reyes.example> wrote:\n> Calls to my seller go straight to voicemail, no ring at all.\n")
    quoted = case.parts[-1]
    assert (quoted.author, quoted.written_by, quoted.name) == (A.QUOTED, A.CUSTOMER, "Dana Reyes")
    assert case.parts[0].written_by is A.AGENT  # the reply on top answers the customer's quoted message
    assert said_by_customer(case) == ["straight_to_voicemail", "no_ring"]


def test_outlook_header_blocks() -> None:
    case = parse("Still failing.\n\nFrom: Acme Support <support@acme.example>\n"
                 "Sent: Monday, November 23, 2026 4:51 PM\n"
                 "To: Dana Reyes <dana@reyes.example>\nSubject: RE: calls\n\nIs it a busy signal?\n\n"
                 "-----Original Message-----\nFrom: Dana Reyes <dana@reyes.example>\nSent: Monday 3:20 PM\n"
                 "To: support@acme.example\nSubject: calls\n\nEvery call fails with an error icon.")
    assert [(p.author, p.written_by, p.name) for p in case.parts] == [
        (A.CUSTOMER, A.CUSTOMER, None), (A.QUOTED, A.AGENT, "Acme Support"), (A.QUOTED, A.CUSTOMER, "Dana Reyes")]
    assert case.customer == "Dana Reyes"
    assert said_by_customer(case) == ["error_icon"] or "error_icon" in said_by_customer(case)
    assert "busy_signal" not in said_by_customer(case)


def test_signatures_of_the_customer_and_of_the_agent() -> None:
    case = parse("Dana Reyes replied\nNov 23 at 4:12pm\n\nThe seller is 303-555-0199.\n\nThanks,\nDana\n"
                 "Cell: 720-555-0100\n\nJo Lee replied\nNov 23 at 4:30pm\n\nChecking now.\n\n--\n"
                 "Jo Lee | Acme Support\n1-800-555-0123")
    assert [(p.author, p.written_by) for p in case.parts] == [
        (A.CUSTOMER, A.CUSTOMER), (A.SIGNATURE, A.CUSTOMER), (A.AGENT, A.AGENT), (A.SIGNATURE, A.AGENT)]
    roles = {n.e164: n.role.value for n in case.numbers}
    assert roles == {"+13035550199": "destination", "+17205550100": "caller_id", "+18005550123": "other"}


def test_an_out_of_office_reply_is_no_message_of_the_customer() -> None:
    case = parse("Auto Reply\nThis is an automatic reply: I am out of the office until Monday. For urgent matters call "
                 "1-800-555-0123.")
    assert case.parts[0].author is A.AUTO_REPLY
    assert [n.role.value for n in case.numbers] == ["other"]


def test_a_customer_may_say_they_were_out_of_the_office() -> None:
    case = parse("I was out of the office yesterday and now every call goes straight to voicemail.")
    assert case.parts[0].author is A.CUSTOMER
    assert said_by_customer(case) == ["straight_to_voicemail"]


def test_a_heading_in_the_customers_own_text_is_no_article() -> None:
    case = parse("# (303) 555-0199 goes to voicemail")
    assert case.parts[0].author is A.CUSTOMER
    assert [n.role.value for n in case.numbers] == ["destination"]


def test_label_lines_are_not_authors() -> None:
    case = parse("Seller phone:\n303-555-0199\nCaller ID:\n720-555-0100\nIt goes to voicemail.")
    assert len(case.parts) == 1
    assert {n.e164: n.role.value for n in case.numbers} == {"+13035550199": "destination", "+17205550100": "caller_id"}


def test_very_long_threads_say_where_authorship_stopped() -> None:
    text = "".join(f"**Dana Reyes** · {i % 50 + 1}h\nstill voicemail {i}\n" for i in range(2000))
    case = parse(text)
    assert any("who wrote what was read" in m for m in case.messages)
    assert case.parts[-1].end == len(text)
