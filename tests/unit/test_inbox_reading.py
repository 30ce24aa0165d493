"""An Intercom conversation read into messages with exact authors, the intake Case, the caller-ID candidates and
SIPSight's own notes: HTML to text, author types, auto-replies, who said which symptom, attribute mapping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sipsight.core.models import AuthorKind, NumberRole
from sipsight.inbox.callerid import CONTACT_PHONE_CAVEAT, caller_id_candidates
from sipsight.inbox.case import build_case
from sipsight.inbox.html import html_to_text
from sipsight.inbox.models import CandidateKind, InboxMessage
from sipsight.inbox.note import find_notes, marker, new_note_id, note_html, note_id_in
from sipsight.inbox.transcript import author_kind, read_conversation
from sipsight.settings.model import IntercomSettings

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
T0 = int((NOW - timedelta(hours=16)).timestamp())


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Okay!</p>", "Okay!"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("<p>line<br>next<br/>last</p>", "line\nnext\nlast"),
        ("<p>We&#x27;re &amp; you&rsquo;re &lt;b&gt; &nbsp;ok</p>", "We're & you’re <b> ok"),
        ("<p>see <a href=\"https://help.example.com/a\">the article</a></p>", "see the article (https://help.example.com/a)"),
        ("<a href=\"https://x.example\">https://x.example</a>", "https://x.example"),
        ("<a href=\"javascript:alert(1)\">click</a>", "click"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<p>a</p><script>alert('x')</script><style>p{}</style><p>b</p>", "a\n\nb"),
        ("<p>   spaced    out\n  text </p>", "spaced out text"),
        ("<pre>keep this\n  line by line</pre>", "keep this\nline by line"),  # a preformatted block keeps its lines
        ("<img src=x alt=\"screenshot\"> the screen looks like that", "[image: screenshot] the screen looks like that"),
        ("plain text, no tags", "plain text, no tags"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("", ""),
        (None, ""),
    ],
)
def test_html_to_text(html: str | None, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("author", "text", "kind"),
    [
        ({"type": "user", "name": "Sarah"}, "help", AuthorKind.CUSTOMER),
        ({"type": "lead"}, "help", AuthorKind.CUSTOMER),
        ({"type": "contact"}, "help", AuthorKind.CUSTOMER),
        ({"type": "visitor_from_the_future"}, "help", AuthorKind.CUSTOMER),  # not a teammate or a bot: the customer
        ({"type": "admin", "name": "Jon", "email": "jon@crm.example.com"}, "Hi!", AuthorKind.AGENT),
        ({"type": "admin", "name": "Operator", "email": "operator+ql8el0gn@intercom.io"}, "Okay!", AuthorKind.BOT),
        ({"type": "bot", "name": "Fin"}, "Here is an article that may help", AuthorKind.BOT),
        ({"type": "team", "name": "Support"}, "Routing you now", AuthorKind.BOT),
        ({"type": "admin", "from_ai_agent": True}, "Answer", AuthorKind.BOT),
        ({"type": "bot", "name": "Operator"}, "Thank you for your message. We're currently out of the office.",
         AuthorKind.AUTO_REPLY),
        ({"type": "bot", "name": "Operator"}, "This is an Auto Reply\nback tomorrow", AuthorKind.AUTO_REPLY),
        ({"type": "user"}, "Thank you for your message earlier, it still goes to voicemail", AuthorKind.CUSTOMER),
        (None, "no author at all", AuthorKind.CUSTOMER),
    ],
)
def test_author_kind_comes_from_the_api_author(author: object, text: str, kind: AuthorKind) -> None:
    assert author_kind(author, text)[0] is kind


def _conversation(parts: list[dict], source: dict | None = None, total: int | None = None) -> dict:
    return {
        "type": "conversation",
        "id": "77",
        "created_at": T0,
        "source": source or {"type": "conversation", "id": "1", "body": "<p>My calls to the seller at 303-555-0199 "
                             "go straight to voicemail. My caller ID is 720-555-0100.</p>",
                             "author": {"type": "user", "id": "c1", "name": "Dana Reyes"}},
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "c1"}]},
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts,
                               "total_count": total if total is not None else len(parts)},
    }


PARTS = [
    {"id": "10", "part_type": "comment", "created_at": T0 + 60,
     "body": "<p>Thanks for reaching out! A teammate will be with you shortly.</p>",
     "author": {"type": "bot", "name": "Operator"}},
    {"id": "11", "part_type": "assignment", "created_at": T0 + 61, "body": None, "author": {"type": "admin"}},
    {"id": "12", "part_type": "note", "created_at": T0 + 120, "body": "<p>Could be a busy signal or the number is "
     "disconnected. Ask about 608.</p>", "author": {"type": "admin", "name": "Jon Nolen"}},
    {"id": "13", "part_type": "open", "created_at": T0 + 180, "body": "<p>Still happening today, it says it's "
     "blocked</p>", "author": {"type": "user", "id": "c1", "name": "Dana Reyes"}},
    "not a part",
]


def test_messages_keep_the_api_authors_and_skip_events() -> None:
    read = read_conversation(_conversation(PARTS))
    assert [(m.part_id, m.author, m.part_type, m.note) for m in read.messages] == [
        ("source", AuthorKind.CUSTOMER, "source", False),
        ("10", AuthorKind.AUTO_REPLY, "comment", False),
        ("12", AuthorKind.AGENT, "note", True),
        ("13", AuthorKind.CUSTOMER, "open", False),  # a reply that reopens the conversation is the customer's
    ]
    assert read.contact_ids == ["c1"]
    assert any("could not be read" in n for n in read.notes)


def test_a_conversation_over_the_part_limit_says_what_it_left_out() -> None:
    read = read_conversation(_conversation(PARTS[:1], total=812))
    assert any("812" in n and "500" in n for n in read.notes)


@pytest.mark.parametrize("body", [None, [], "x", {"conversation_parts": "nope", "source": 5, "contacts": None}])
def test_a_broken_conversation_reads_as_nothing_never_a_crash(body: object) -> None:
    assert read_conversation(body).messages == []


def test_the_case_reads_the_customers_words_and_keeps_the_others_apart() -> None:
    read = read_conversation(_conversation(PARTS))
    case = build_case(read.messages, now=NOW, customer_name="Dana Reyes")
    assert case.customer == "Dana Reyes"
    assert [p.author for p in case.parts] == [m.author for m in read.messages]
    assert case.destination is not None and case.destination.e164 == "+13035550199"
    assert case.caller_id is not None and case.caller_id.e164 == "+17205550100"
    assert case.destination.message == 0 and case.destination.author is AuthorKind.CUSTOMER
    said = {s.id for s in case.customer_symptoms}
    assert "straight_to_voicemail" in said
    blocked = [s for s in case.symptoms if s.id == "blocked"]
    assert blocked and all(s.by_customer and s.message == 3 for s in blocked)  # "it says it's blocked": the reply
    # the teammate's guesses are mentions, never what the customer reported
    agent = [s for s in case.symptoms if s.author is AuthorKind.AGENT]
    assert agent and all(not s.by_customer and s.message == 2 for s in agent)
    assert any(c.ref == "sip:608" and not c.by_customer for c in case.codes)
    assert not any(c.by_customer for c in case.codes)
    # the parts' offsets point at each message's words in the transcript
    from sipsight.inbox.case import transcript_text

    text, parts = transcript_text(read.messages)
    assert all(text[p.start:p.end] == m.text for p, m in zip(parts, read.messages, strict=True))


def test_time_hints_count_from_when_the_customer_wrote() -> None:
    message = InboxMessage(part_id="source", author=AuthorKind.CUSTOMER, author_type="user",
                           created_at=NOW - timedelta(hours=48),
                           text="Since yesterday every call to 303-555-0199 fails.")
    case = build_case([message], now=NOW)
    hours = [h.hours_ago for h in case.time_hints if h.hours_ago is not None]
    assert hours and min(hours) >= 48  # "yesterday" of a message two days old


def test_no_customer_words_is_said_not_guessed() -> None:
    agent = InboxMessage(part_id="source", author=AuthorKind.AGENT, author_type="admin",
                         text="Reaching out about 303-555-0199")
    case = build_case([agent], now=NOW)
    assert case.numbers == [] and "written nothing" in case.messages[0]


def _case(text: str = "My calls to 303-555-0199 go to voicemail."):
    return build_case([InboxMessage(part_id="source", author=AuthorKind.CUSTOMER, author_type="user", text=text)],
                      now=NOW)


CONTACT = {"id": "c1", "name": "Dana", "phone": "+1 720 555 0171",
           "custom_attributes": {"dialer_caller_id": "+17205550100", "dialer_number": "(720) 555-0102, 720-555-0103",
                                 "sid": "AC" + "0" * 31 + "1", "broken": "not a number", "flag": True}}
COMPANY = {"id": "co1", "name": "Reyes Homes", "custom_attributes": {"company_line": "+1 720 555 0104",
                                                                    "account_sid": "AC" + "0" * 32}}


def test_the_default_attribute_and_the_contact_phone_as_a_labelled_candidate() -> None:
    found, notes = caller_id_candidates(CONTACT, [], IntercomSettings(), _case())
    assert [(c.kind, c.e164, c.candidate_only) for c in found] == [
        (CandidateKind.CONTACT_ATTRIBUTE, "+17205550100", False),
        (CandidateKind.CONTACT_PHONE, "+17205550171", True),
    ]
    assert found[0].source == "contact attribute dialer_caller_id"
    assert found[1].source == "contact phone (candidate only)" and found[1].caveat == CONTACT_PHONE_CAVEAT
    assert notes == []


def test_named_contact_and_company_attributes_and_a_subaccount() -> None:
    settings = IntercomSettings(contact_attributes=["dialer_number", "broken", "flag", "missing"],
                                company_attributes=["company_line"], subaccount_attribute="sid",
                                offer_contact_phone=False)
    found, notes = caller_id_candidates(CONTACT, [COMPANY], settings, _case("My caller ID is 720-555-0105"))
    assert [(c.kind, c.e164 or c.subaccount_sid) for c in found] == [
        (CandidateKind.CONTACT_ATTRIBUTE, "+17205550102"),
        (CandidateKind.CONTACT_ATTRIBUTE, "+17205550103"),
        (CandidateKind.COMPANY_ATTRIBUTE, "+17205550104"),
        (CandidateKind.SUBACCOUNT, "AC" + "0" * 31 + "1"),
        (CandidateKind.MENTIONED, "+17205550105"),
    ]
    assert found[2].source == "company attribute company_line (Reyes Homes)"
    assert found[3].source == "sub-account SID (contact attribute sid)" and "sub-account" in found[3].caveat
    assert any("broken" in n and "not a phone number" in n for n in notes)
    assert not any(c.kind is CandidateKind.CONTACT_PHONE for c in found)


def test_a_number_from_several_sources_is_listed_once_with_each_source() -> None:
    contact = {**CONTACT, "phone": "+17205550100"}
    found, _ = caller_id_candidates(contact, [], IntercomSettings(), _case("From my caller ID 720-555-0100"))
    assert len(found) == 1 and found[0].e164 == "+17205550100"
    assert found[0].also == ["mentioned by the customer as their caller ID ('my caller ID')",
                             "contact phone (candidate only)"]
    assert not found[0].candidate_only  # the named attribute decides: it is the caller ID


def test_a_bad_subaccount_value_is_said() -> None:
    settings = IntercomSettings(subaccount_attribute="account_sid")
    contact = {"id": "c", "custom_attributes": {"account_sid": "AC123"}}
    found, notes = caller_id_candidates(contact, [COMPANY], settings, _case())
    assert [c.subaccount_sid for c in found if c.kind is CandidateKind.SUBACCOUNT] == ["AC" + "0" * 32]
    assert any("AC123" in n for n in notes)


def test_no_contact_no_candidates_but_the_customers_words() -> None:
    found, _ = caller_id_candidates(None, [], IntercomSettings(), _case("Calls from 720-555-0100 to 303-555-0199 fail"))
    assert all(c.kind is CandidateKind.MENTIONED for c in found)
    roles = {n.e164: n.role for n in _case("Calls from 720-555-0100 to 303-555-0199 fail").numbers}
    assert roles.get("+13035550199") is NumberRole.DESTINATION


def test_the_note_marker_is_words_that_come_back_and_is_found_on_the_next_fetch() -> None:
    note_id = new_note_id()
    assert note_id != new_note_id()
    body = note_html("Diagnosis: blocked\nline <2> & more\n\nEvidence", note_id)
    assert body.endswith(f"<p>{marker(note_id)}</p>") and "&lt;2&gt; &amp;" in body
    text = html_to_text(body)
    assert note_id_in(text) == note_id
    mine = InboxMessage(part_id="90", author=AuthorKind.AGENT, author_type="admin", note=True, name="Sam", text=text)
    theirs = InboxMessage(part_id="91", author=AuthorKind.AGENT, author_type="admin", note=False, text=text)  # a reply
    customer = InboxMessage(part_id="92", author=AuthorKind.CUSTOMER, author_type="user", text=text)
    found = find_notes([mine, theirs, customer])
    assert [(n.note_id, n.part_id, n.author) for n in found] == [(note_id, "90", "Sam")]


def test_a_superseding_note_names_the_one_it_supersedes_and_carries_its_own_marker() -> None:
    old = find_notes([InboxMessage(part_id="90", author=AuthorKind.AGENT, author_type="admin", note=True,
                                   created_at=NOW, text=marker("sn-0123456789"))])[0]
    body = note_html("New reading", "sn-abcdefabcd", supersedes=old)
    text = html_to_text(body)
    assert "supersedes SIPSight note sn-0123456789 of 2026-11-24 15:00 UTC" in text
    assert note_id_in(text) == "sn-abcdefabcd"
