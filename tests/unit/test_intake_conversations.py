"""Intake reads whole conversations like a tier-2 agent: who wrote what, whose number is which, and what the
customer (not an agent, a bot or an article) says happens.

Every conversation here was written for these tests (tests/data/conversations/tier2/), one or more per failure
kind of issue 11, in each inbox's own shape; none comes from the held-out inbox set (tests/data/inbox/), which
only test_inbox_accuracy.py reads, as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

import project_paths
from sipsight.core.intake import parse
from sipsight.core.models import AuthorKind, Case, NumberRole, RoleRule

TIER2 = project_paths.DATA / "conversations" / "tier2"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@dataclass
class Want:
    destination: str | None
    caller_id: str | None
    other: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # equal claims, left to the agent
    customer_symptoms: list[str] = field(default_factory=list)
    mentioned_symptoms: list[str] = field(default_factory=list)  # only an agent, a bot, an article wrote them
    customer_codes: list[str] = field(default_factory=list)
    mentioned_codes: list[str] = field(default_factory=list)
    prior_contact: bool = False
    customer: str | None = None
    region: str = "US"


CONVERSATIONS = {
    # support lines: a bot's number, the support line an agent gives, the agent's signature
    "intercom_support_lines": Want(
        "+14045550148", "+19175550163", other=["+18885550107", "+18665550182"],
        customer_symptoms=["call_failed", "straight_to_voicemail", "no_ring"], customer="Wendell Okafor"),
    "zendesk_caller_only": Want(
        None, "+16175550154", other=["+18445550190"], customer_symptoms=["spam_likely"], customer="Tomas Lindgren"),
    # a number the customer rules out, even though the agent's internal note calls it the primary
    "zendesk_dont_use_old": Want(
        "+13035550172", "+17205550119", other=["+13035550131"],
        customer_symptoms=["call_failed", "rings_briefly_then_drops", "one_number_only"], prior_contact=True,
        customer="Marisol Duarte"),
    # three skip-traced numbers; one later ruled out by its last four digits; the other two are equal candidates
    "helpscout_three_sellers": Want(
        None, "+19155550108", other=["+19155550131"], unknown=["+19155550144", "+19155550152"],
        customer_symptoms=["straight_to_voicemail", "no_ring"], customer="Kendra Oduya"),
    # back-reference: "calls from the 0174 line" makes that line the caller ID, the other line is other
    "hubspot_back_reference": Want(
        "+17735550129", "+13125550174", other=["+13125550161"],
        customer_symptoms=["spam_likely", "rings_no_answer"], customer="Rhonda Vasquez"),
    # question-and-answer pairs: inline under the quoted questions, top-posted, and correcting the agent's guess
    "gmail_inline_answers": Want(
        "+12125550184", "+19175550126", other=["+12125550110"], customer_symptoms=["rings_once_then_drops"],
        mentioned_symptoms=["call_failed"]),
    "outlook_top_posted_answer": Want(
        "+14155550166", "+17025550137", other=["+18775550153"], customer_symptoms=["straight_to_voicemail"],
        customer="Nadia Kowalczyk"),
    "intercom_agent_guesses": Want(
        "+13055550159", "+13055550141", other=["+13055550188"], customer_symptoms=["call_failed", "error_icon"],
        customer="Curtis Vandermeer"),
    # callback number against the dialer's caller ID (and a number split by e-mail wrapping, drops on dial)
    "outlook_split_callback": Want(
        "+15035550177", "+15035550128", other=["+19715550145"], customer_symptoms=["drops_on_dial", "no_ring"],
        mentioned_symptoms=["call_failed"]),
    # languages
    "helpscout_es_vendedor": Want(
        "+12105550137", "+12105550190", other=["+18305550104"],
        customer_symptoms=["straight_to_voicemail", "no_ring", "one_number_only"],
        mentioned_symptoms=["all_calls_failing"], prior_contact=True, customer="Lucía Ferreira"),
    "front_fr_messagerie": Want(
        "+33465712018", "+33199004127", customer_symptoms=["straight_to_voicemail", "no_ring"],
        customer="Émilie Garnier"),
    "zendesk_de_mailbox": Want(
        "+494066969214", "+493023125880", other=["+498999998120"],
        customer_symptoms=["straight_to_voicemail", "no_ring"], customer="Jonas Weber"),
    "intercom_pt_caixa_postal": Want(
        "+14075550163", "+14075550121", customer_symptoms=["straight_to_voicemail", "no_ring"],
        mentioned_symptoms=["call_failed", "hangs_up_on_answer"], prior_contact=True, customer="Rafael Souza"),
    # numbers inside link parameters; national numbers whose country the text names
    "plain_dialer_links": Want("+17025550183", "+17025550112", customer_symptoms=["error_icon"]),
    "plain_uk_team": Want("+442079460321", "+442079460874", customer_symptoms=["call_failed", "straight_to_voicemail"]),
    # codes written with their reason phrases, in a trace the customer pasted and in the agent's answer
    "zendesk_sip_trace": Want(
        "+17205550156", "+17205550102", customer_symptoms=["no_ring"], mentioned_symptoms=["blocked"],
        customer_codes=["sip:100", "sip:603", "sip:480", "sip:486"], mentioned_codes=["sip:608", "sip:603+"],
        customer="Devon Harlow"),
    # slang and typos; a fraction, a time, a price, an address and a ticket id next to the numbers
    "plain_slang_typos": Want(
        "+17025550133", "+17025550188", customer_symptoms=["straight_to_voicemail", "no_ring", "one_number_only"]),
    "plain_odd_phrases": Want("+13035550199", "+17205550100", customer_symptoms=["straight_to_voicemail"]),
    # audio: dead air once answered is no audio, "can't hear her" one-way
    "intercom_dead_air": Want(
        None, "+12065550147", customer_symptoms=["no_audio", "one_way_audio"],
        mentioned_symptoms=["straight_to_voicemail"], customer="Priya Nandakumar"),
    # a help-centre article pasted by the agent: its symptoms, codes and support line are nobody's experience
    "outlook_kb_article": Want(
        "+15125550106", "+15125550181", other=["+18555550119"], customer_symptoms=["rings_no_answer"],
        mentioned_symptoms=["straight_to_voicemail", "no_ring", "recorded_message", "blocked", "spam_likely"],
        mentioned_codes=["sip:603", "sip:608"], customer="Marcus Bell"),
    # a text from the seller the customer forwards: the seller's number wrote it, its words are the customer's paste
    "gmail_forwarded_text": Want(
        "+13035550199", "+17205550100", customer_symptoms=["rings_once_then_drops", "spam_likely"]),
    # no number at all, in a chat widget transcript
    "chat_no_number": Want(
        None, None, customer_symptoms=["all_calls_failing", "drops_on_dial", "no_ring"],
        customer_codes=["twilio:31603"], customer="Visitor"),
}


def read(name: str, region: str = "US") -> Case:
    return parse((TIER2 / f"{name}.txt").read_text(encoding="utf-8"), region=region, now=NOW)


def test_every_conversation_file_has_its_expectation() -> None:
    assert {p.stem for p in TIER2.glob("*.txt")} == set(CONVERSATIONS)


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_conversation_reads_like_a_tier2_agent(name: str) -> None:
    want = CONVERSATIONS[name]
    case = read(name, want.region)
    roles = {n.e164: n.role for n in case.numbers}
    destination = [e for e, role in roles.items() if role is NumberRole.DESTINATION]
    assert destination == ([want.destination] if want.destination else [])
    assert (case.caller_id.e164 if case.caller_id else None) == want.caller_id
    assert sorted(e for e, role in roles.items() if role is NumberRole.OTHER) == sorted(want.other)
    assert sorted(e for e, role in roles.items() if role is NumberRole.UNKNOWN) == sorted(want.unknown)
    assert [s.id for s in case.customer_symptoms] == want.customer_symptoms
    assert sorted(s.id for s in case.symptoms if not s.by_customer) == sorted(want.mentioned_symptoms)
    assert [c.ref for c in case.customer_codes] == want.customer_codes
    assert sorted(c.ref for c in case.codes if not c.by_customer) == sorted(want.mentioned_codes)
    assert case.prior_contact is want.prior_contact
    assert case.customer == want.customer
    if want.destination:
        assert case.destination is not None and case.destination.e164 == want.destination


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_every_decision_keeps_its_evidence(name: str) -> None:
    case = read(name, CONVERSATIONS[name].region)
    for number in case.numbers:
        if number.role is NumberRole.UNKNOWN and not number.role_evidence:
            continue
        deciding = number.role_evidence[0]
        assert deciding.role is number.role, number
        assert deciding.cue, number  # the words that decided it (or what the default rule says)
        for evidence in number.role_evidence:
            if evidence.message is not None:
                part = case.parts[evidence.message]
                assert evidence.author is part.author
        assert number.message is not None and case.parts[number.message].author is number.author
    for mention in [*case.symptoms, *case.codes]:
        assert mention.message is not None
        part = case.parts[mention.message]
        assert (mention.author, mention.by_customer) == (part.author, part.by_customer)


def test_parts_cover_the_text_in_order() -> None:
    for name in CONVERSATIONS:
        case = read(name)
        assert case.parts[0].start == 0 and case.parts[-1].end == case.text_length
        assert [p.index for p in case.parts] == list(range(len(case.parts)))
        assert all(a.end == b.start for a, b in zip(case.parts, case.parts[1:], strict=False))


# --------------------------------------------------------------------------- the evidence a decision shows


def evidence(case: Case, e164: str) -> list[tuple[RoleRule, str]]:
    number = next(n for n in case.numbers if n.e164 == e164)
    return [(e.rule, e.cue) for e in number.role_evidence]


def test_ruled_out_number_shows_the_customers_words() -> None:
    case = read("zendesk_dont_use_old")
    rule, cue = evidence(case, "+13035550131")[0]
    assert rule is RoleRule.RULED_OUT and cue.lower() in {"the old one", "don't use"}
    note = next(n for n in case.numbers if n.e164 == "+13035550131").role_evidence[0]
    assert case.parts[note.message or 0].author is AuthorKind.CUSTOMER


def test_back_reference_names_the_last_digits() -> None:
    assert evidence(read("hubspot_back_reference"), "+13125550174")[0] == (RoleRule.BACK_REFERENCE, "calls from … 0174")


def test_answers_name_the_question_they_answer() -> None:
    case = read("gmail_inline_answers")
    rule, cue = evidence(case, "+12125550184")[0]
    assert rule is RoleRule.ANSWER and "Which number were you trying to call?" in cue
    rule, cue = evidence(case, "+19175550126")[0]
    assert rule is RoleRule.ANSWER and "which number do you call from" in cue
    # the agent guessed a number, the customer said no: the guess is ruled out by the customer's answer
    rule, cue = evidence(read("intercom_agent_guesses"), "+13055550188")[0]
    assert rule is RoleRule.RULED_OUT and cue.startswith("no")


def test_callback_and_own_numbers_give_way_to_the_dialers_caller_id() -> None:
    assert evidence(read("outlook_split_callback"), "+19715550145")[0][0] is RoleRule.OWN_NUMBER
    assert evidence(read("helpscout_es_vendedor"), "+18305550104")[0] == (RoleRule.CALLBACK, "pueden contactarme al")
    # no dialer number named: "my number" is the caller ID
    assert evidence(read("plain_odd_phrases"), "+17205550100")[0] == (RoleRule.OWN_NUMBER, "My number")


def test_support_lines_say_where_they_were_written() -> None:
    case = read("intercom_support_lines")
    bot = next(n for n in case.numbers if n.e164 == "+18885550107")
    assert bot.role_evidence[0].rule is RoleRule.SUPPORT_LINE and bot.author is AuthorKind.BOT
    line = next(n for n in case.numbers if n.e164 == "+18665550182")
    assert (line.role_evidence[0].rule, line.role_evidence[0].cue) == (RoleRule.SUPPORT_LINE, "our support line")
    signature = next(e for e in line.role_evidence if e.cue == "signature")
    assert (signature.rule, signature.author) == (RoleRule.SUPPORT_LINE, AuthorKind.SIGNATURE)


def test_link_parameters_and_symptoms_are_evidence() -> None:
    case = read("plain_dialer_links")
    assert evidence(case, "+17025550183")[0] == (RoleRule.LINK_PARAMETER, "to=")
    assert evidence(case, "+17025550112")[0] == (RoleRule.LINK_PARAMETER, "from=")
    assert evidence(read("plain_odd_phrases"), "+13035550199")[0] == (RoleRule.SYMPTOM, "goes to voicemail")


# --------------------------------------------------------------------------- who wrote what


def kinds(case: Case) -> list[tuple[AuthorKind, AuthorKind, str | None]]:
    return [(p.author, p.written_by, p.name) for p in case.parts]


def test_intercom_bots_agents_and_the_customer() -> None:
    A = AuthorKind
    assert kinds(read("intercom_support_lines")) == [
        (A.CUSTOMER, A.CUSTOMER, None),  # "Conversation with ..." and the link
        (A.CUSTOMER, A.CUSTOMER, "Wendell Okafor"),
        (A.BOT, A.BOT, "Operator"),
        (A.BOT, A.BOT, "Operator"),
        (A.CUSTOMER, A.CUSTOMER, "Wendell Okafor"),
        (A.AGENT, A.AGENT, "Tess Lindqvist"),
        (A.SIGNATURE, A.AGENT, "Tess Lindqvist"),
    ]


def test_zendesk_internal_note_is_the_agents() -> None:
    case = read("zendesk_dont_use_old")
    note = next(p for p in case.parts if p.note)
    assert (note.author, note.name) == (AuthorKind.AGENT, "Ben Achterberg")


def test_email_quotes_are_attributed_to_whoever_wrote_them() -> None:
    A = AuthorKind
    case = read("outlook_top_posted_answer")
    assert kinds(case) == [
        (A.CUSTOMER, A.CUSTOMER, None),  # the reply on top answers the support team's quoted message
        (A.SIGNATURE, A.CUSTOMER, None),
        (A.QUOTED, A.AGENT, "Acme Dialer Support"),
        (A.SIGNATURE, A.AGENT, "Acme Dialer Support"),
        (A.QUOTED, A.CUSTOMER, "Nadia Kowalczyk"),  # her first e-mail: still her words
    ]
    inline = read("gmail_inline_answers")
    answers = [p for p in inline.parts if p.author is A.CUSTOMER]
    assert len(answers) >= 3  # the lines under each quoted question are the customer's
    assert all(p.written_by is A.AGENT for p in inline.parts if p.author is A.QUOTED)


def test_article_inside_an_agents_reply() -> None:
    case = read("outlook_kb_article")
    article = next(p for p in case.parts if p.author is AuthorKind.ARTICLE)
    text = (TIER2 / "outlook_kb_article.txt").read_text(encoding="utf-8")
    assert text[article.start : article.end].lstrip().startswith("### Why do my calls go straight to voicemail?")


def test_a_forwarded_message_is_the_forwarders_paste() -> None:
    case = read("gmail_forwarded_text")
    forwarded = next(p for p in case.parts if p.forwarded)
    assert (forwarded.author, forwarded.written_by, forwarded.by_customer) == (AuthorKind.QUOTED, AuthorKind.CUSTOMER,
                                                                               True)
    assert evidence(case, "+13035550199")[0] == (RoleRule.CUE, "forwarded from")


def test_chat_transcript_speakers() -> None:
    case = read("chat_no_number")
    assert [(p.author, p.name) for p in case.parts] == [
        (AuthorKind.CUSTOMER, "Visitor"), (AuthorKind.CUSTOMER, "Visitor"), (AuthorKind.AGENT, "Agent"),
        (AuthorKind.CUSTOMER, "Visitor"), (AuthorKind.AGENT, "Agent"),
    ]


def test_plain_text_is_all_the_customers() -> None:
    for name in ("plain_slang_typos", "plain_odd_phrases", "plain_uk_team", "plain_dialer_links"):
        case = read(name)
        assert [(p.author, p.written_by) for p in case.parts] == [(AuthorKind.CUSTOMER, AuthorKind.CUSTOMER)], name


def test_customer_lists_only_what_the_customer_said() -> None:
    case = read("outlook_kb_article")
    assert {s.id for s in case.symptoms} > {s.id for s in case.customer_symptoms}
    assert all(s.by_customer for s in case.customer_symptoms)
    assert case.customer_codes == []
