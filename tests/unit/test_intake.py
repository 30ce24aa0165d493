"""Intake: pasted numbers, conversations and links become a Case with the right numbers, roles,
codes, symptoms, time hints and links, and a clear message when something is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

import project_paths
from sipsight.core.intake import _text as intake_text
from sipsight.core.intake._parse import NO_NUMBER, NOTHING, parse
from sipsight.core.intake._vocab import LinkPlatform, SymptomsFile, vocabulary
from sipsight.core.models import Case, InputKind, NumberRole

CONVERSATIONS = project_paths.DATA / "conversations"
# A Tuesday afternoon: every relative time below is computed against it.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEST, CALLER = "+13035550199", "+17205550100"

SYMPTOM_IDS = {
    "straight_to_voicemail", "blocked", "busy_signal", "rings_once_then_drops", "no_ring", "rings_no_answer",
    "error_icon", "call_failed", "spam_likely", "not_in_service", "hangs_up_on_answer", "recorded_message",
    "all_calls_failing", "one_number_only", "call_dropped",
    # issue 11: what customers also describe
    "drops_on_dial", "one_way_audio", "no_audio", "rings_briefly_then_drops",
}


def read(name: str) -> str:
    return (CONVERSATIONS / f"{name}.txt").read_text(encoding="utf-8")


def numbers(case: Case) -> list[tuple[str, str, str | None]]:
    return [(n.e164, n.role.value, n.extension) for n in case.numbers]


# --------------------------------------------------------------------------- vocabulary


def test_symptom_vocabulary_has_exactly_the_ids_the_diagnosis_reads() -> None:
    assert {s.id for s in vocabulary().symptoms} == SYMPTOM_IDS


def test_every_symptom_has_several_phrasings() -> None:
    for symptom in vocabulary().symptoms:
        assert len(symptom.phrases.phrases) >= 3, symptom.id


def test_vocabulary_files_are_validated_with_clear_errors() -> None:
    with pytest.raises(ValidationError, match="more than once"):
        SymptomsFile.model_validate({"version": 1, "symptoms": [
            {"id": "busy_signal", "label": "Busy", "phrases": ["busy"]},
            {"id": "busy_signal", "label": "Busy again", "phrases": ["engaged"]},
        ]})
    with pytest.raises(ValidationError, match="group named id"):
        LinkPlatform.model_validate({"platform": "acme", "hosts": ["acme\\.example"], "path": "/c/\\d+", "source": "x"})


# --------------------------------------------------------------------------- the origin ticket


def test_origin_ticket_conversation_is_copied_verbatim(shared_dir: Path) -> None:
    original = (shared_dir / "reference" / "origin-ticket.md").read_text(encoding="utf-8")
    assert read("origin_ticket") in original


def test_origin_ticket() -> None:
    case = parse(read("origin_ticket"), now=NOW)
    assert case.kind is InputKind.CONVERSATION
    assert case.numbers == []
    assert case.codes == []
    assert [s.id for s in case.symptoms] == ["straight_to_voicemail", "blocked", "error_icon"]
    assert next(s.raw for s in case.symptoms if s.id == "error_icon") == "<!>"
    assert case.prior_contact is True
    assert [(t.raw, t.hours_ago) for t in case.time_hints] == [("16h", 16.0)]
    [link] = case.links
    assert (link.platform, link.conversation_id, link.api_host) == ("intercom", "215469108439785", "api.intercom.io")
    assert isinstance(link.conversation_id, str)
    assert case.messages == [NO_NUMBER]


# --------------------------------------------------------------------------- other conversations

EXPECTED = {
    "intercom_caller_and_seller": dict(
        numbers=[(CALLER, "caller_id", None), (DEST, "destination", None)],
        codes=["sip:608"],
        symptoms=["spam_likely", "straight_to_voicemail", "one_number_only", "error_icon"],
        times=[("2h", 2.0), ("last week", 168.0), ("yesterday", 24.0), ("1h", 1.0), ("45m", 0.75)],
        links=[("intercom", "190044512387761", "api.eu.intercom.io")],
        prior=True,
    ),
    "zendesk_busy_signal": dict(
        numbers=[("+13125550142", "destination", "204"), (CALLER, "caller_id", None)],
        codes=[],  # not the ticket #48211, the zip 60601, the $1,299.00 or the times
        symptoms=["busy_signal", "one_number_only"],
        times=[("Nov 23, 2026", 27.0), ("today", 4.0), ("this morning", 6.0), ("3 days ago", 72.0)],
        links=[],
        prior=False,
    ),
    "email_thread": dict(
        # The caller ID only appears in the signature ("Cell:"), twice; the seller's number in a quoted reply.
        numbers=[(CALLER, "caller_id", None), ("+14155550123", "destination", None)],
        codes=["twilio:21215"],
        symptoms=["call_failed", "recorded_message", "not_in_service"],
        times=[("23 Nov", 27.0), ("this morning", 6.0), ("on Friday", 99.0), ("Nov 22, 2026", 51.0)],
        links=[],
        prior=True,
    ),
    "international_numbers": dict(
        numbers=[("+442079460958", "caller_id", None), ("+12065550177", "destination", None)],
        codes=["q850:21"],
        symptoms=["rings_once_then_drops"],
        times=[("3h", 3.0), ("last Tuesday", 171.0)],
        links=[],
        prior=True,
    ),
    "mojibake": dict(
        numbers=[(DEST, "destination", None), (CALLER, "caller_id", None)],
        codes=[],
        symptoms=["straight_to_voicemail", "error_icon"],
        times=[("16h", 16.0), ("since Monday", 27.0)],
        links=[],
        prior=False,
    ),
    "all_calls_failing": dict(
        numbers=[(CALLER, "caller_id", None)],
        codes=["sip:403"],
        symptoms=["all_calls_failing", "call_failed", "error_icon"],
        times=[("6h", 6.0), ("this morning", 6.0), ("today", 4.0)],
        links=[],
        prior=False,
    ),
    "hubspot_hangs_up": dict(
        numbers=[("+16175550150", "destination", None)],
        codes=["sip:607", "twilio:31603"],
        symptoms=["hangs_up_on_answer", "recorded_message"],
        times=[("2d", 48.0), ("yesterday", 24.0), ("1d", 24.0), ("two days ago", 48.0)],
        links=[("hubspot", "8734512690", "api.hubapi.com")],
        prior=True,
    ),
    "noisy_numbers": dict(
        # Order/invoice ids, a price, a street address, a zip, a suite, an IP, a version and log times are not numbers.
        numbers=[(DEST, "destination", None)],
        codes=["sip:486"],  # "608 Main St" and "suite 607" are addresses, "$603.00" a price
        symptoms=["rings_no_answer"],
        times=[("5h", 5.0), ("11/20/2026", 99.0), ("2026-11-23", 27.0)],
        links=[],
        prior=False,
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_conversation(name: str) -> None:
    want = EXPECTED[name]
    case = parse(read(name), now=NOW)
    assert case.kind is InputKind.CONVERSATION
    assert numbers(case) == want["numbers"]
    assert [c.ref for c in case.codes] == want["codes"]
    assert [s.id for s in case.symptoms] == want["symptoms"]
    assert [(t.raw, t.hours_ago) for t in case.time_hints] == want["times"]
    assert [(lk.platform, lk.conversation_id, lk.api_host) for lk in case.links] == want["links"]
    assert case.prior_contact is want["prior"]
    check = f"Found {len(want['numbers'])} numbers: check which one is the destination."
    settled = sorted(role for _, role, _ in want["numbers"]) == ["caller_id", "destination"]
    if len(want["numbers"]) > 1 and not settled:
        assert check in case.messages
    else:  # one destination and one caller ID: nothing to double-check
        assert check not in case.messages
    dest = case.destination
    assert dest is None or dest.e164 == next(n for n, role, _ in want["numbers"] if role == "destination")


def test_mojibake_conversation_is_repaired_and_says_so() -> None:
    case = parse(read("mojibake"), now=NOW)
    assert any("garbled" in m for m in case.messages)
    caller = case.caller_id
    assert caller is not None and caller.raw == "720\u2011555\u20110100"  # the non-breaking hyphens came back
    # Unrepaired, "doesnâ€™t ring" would not read as "doesn't ring".
    assert [s.id for s in parse("the phone doesnâ€™t ring").symptoms] == ["no_ring"]


def test_conversation_given_as_bytes_reads_the_same() -> None:
    text = read("intercom_caller_and_seller")
    assert parse(text.encode("utf-8"), now=NOW) == parse(text, now=NOW)
    assert parse(b"\xef\xbb\xbf" + text.encode("utf-8"), now=NOW).numbers == parse(text, now=NOW).numbers
    assert numbers(parse(text.encode("utf-16"), now=NOW)) == numbers(parse(text, now=NOW))


# --------------------------------------------------------------------------- a single number, any notation


@pytest.mark.parametrize(("pasted", "e164", "extension"), [
    ("(303) 555-0199", DEST, None),
    ("303.555.0199", DEST, None),
    ("303-555-0199", DEST, None),
    ("3035550199", DEST, None),
    ("+1 303 555 0199", DEST, None),
    ("+1 (303) 555-0199", DEST, None),
    ("1-303-555-0199", DEST, None),
    ("1 303 555 0199", DEST, None),
    ("+13035550199", DEST, None),
    ("tel:+13035550199", DEST, None),
    ("<tel:+1-303-555-0199>", DEST, None),
    ("  (303) 555-0199  \n", DEST, None),
    ("(303) 555-0199 x12", DEST, "12"),
    ("303.555.0199 ext. 12", DEST, "12"),
    ("303-555-0199 ext 12", DEST, "12"),
    ("+1 303 555 0199 extension 12", DEST, "12"),
    ("+44 20 7946 0958", "+442079460958", None),
    ("+44 (0)20 7946 0958", "+442079460958", None),
    ("Phone: (720) 555-0100", CALLER, None),
])
def test_single_number_notations(pasted: str, e164: str, extension: str | None) -> None:
    case = parse(pasted)
    assert case.kind is InputKind.NUMBER
    [number] = case.numbers
    assert (number.e164, number.extension) == (e164, extension)
    assert number.role is NumberRole.DESTINATION  # a lone number is the one they could not reach
    assert number.role_confidence == 0.5  # moderate: nothing said so
    assert case.destination == number
    assert case.messages == []


def test_national_notation_uses_the_region() -> None:
    [number] = parse("020 7946 0958", region="GB").numbers
    assert (number.e164, number.region) == ("+442079460958", "GB")
    assert parse("020 7946 0958", region="US").numbers == []
    assert parse("(303) 555-0199", region="not a region").numbers[0].e164 == DEST  # falls back to US


def test_number_outside_the_numbering_plan_is_kept_with_a_warning() -> None:
    case = parse("+1 555 555 0199")
    assert case.kind is InputKind.NUMBER
    assert [n.e164 for n in case.numbers] == ["+15555550199"]
    assert "check the digits" in case.messages[0]


def test_too_short_number_says_why() -> None:
    case = parse("303-555-01")
    assert case.kind is InputKind.NUMBER
    assert case.numbers == []
    assert case.messages == ["'303-555-01' has the wrong number of digits for a phone number. Check the digits, "
                             "or paste the whole conversation."]


def test_the_same_number_in_three_notations_is_one_candidate() -> None:
    case = parse("I called (303) 555-0199, then 303.555.0199 x7, then +1 303 555 0199 again.")
    assert numbers(case) == [(DEST, "destination", "7")]
    assert case.numbers[0].raw == "(303) 555-0199"


# --------------------------------------------------------------------------- what is not a number


@pytest.mark.parametrize("text", [
    "It failed on 12/10/2026 at 10:30 and again on 2026-11-23 10:15:00.",
    "Ticket #2154691084 and order 3035550142 and case 7205550100",
    "The plan costs $1,299.00 or $3035550199 lol",
    "Office: 80202 Denver, suite 607",
    "SIP 603, 607, 608 and 31603",
    "IP 192.168.100.200, build 10.2.3456789",
    "https://app.intercom.com/a/inbox/ql8el0gn/inbox/shared/all/conversation/215469108439785",
    "conversation id 2154691084",
])
def test_dates_ids_prices_zips_codes_and_links_are_not_numbers(text: str) -> None:
    assert parse(text).numbers == []


# --------------------------------------------------------------------------- roles


@pytest.mark.parametrize(("text", "want"), [
    ("My caller ID is (720) 555-0100 and I'm trying to reach the seller at (303) 555-0199.",
     [(CALLER, "caller_id"), (DEST, "destination")]),
    ("I call from 720-555-0100. The homeowner is 303-555-0199",
     [(CALLER, "caller_id"), (DEST, "destination")]),
    ("(720) 555-0100 is my cell, the lead is (303) 555-0199",
     [(CALLER, "caller_id"), (DEST, "destination")]),
    ("Calls from +17205550100 to +13035550199 fail",
     [(CALLER, "caller_id"), (DEST, "destination")]),
    # a callback number is where to reach the customer, not what the dialer calls from
    ("Please call me at 720 555 0100 about the seller 303 555 0199",
     [(CALLER, "other"), (DEST, "destination")]),
    ("I tried calling 303.555.0199. (720) 555-0100 is my number.",
     [(DEST, "destination"), (CALLER, "caller_id")]),
    ("the number I dialed: 303 555 0199 (seller) and our line +1 720 555 0100",
     [(DEST, "destination"), (CALLER, "caller_id")]),
    ("their number 303-555-0199, my cell 720-555-0100", [(DEST, "destination"), (CALLER, "caller_id")]),
    ("My number is 720-555-0100. Here is the other one: 303-555-0199",
     [(CALLER, "caller_id"), (DEST, "destination")]),  # the only one left is most likely the destination
])
def test_role_guess(text: str, want: list[tuple[str, str]]) -> None:
    case = parse(text)
    assert [(n.e164, n.role.value) for n in case.numbers] == want
    for number in case.numbers:
        assert 0.0 < number.role_confidence <= 0.95
        assert number.role_evidence and number.role_evidence[0].role is number.role  # the deciding evidence first
    assert case.caller_id is None or case.caller_id.e164 == CALLER


def test_two_numbers_with_the_same_claim_are_left_to_the_agent() -> None:
    case = parse("prospect (303) 555-0199 / owner (212) 555-0150")
    assert [(n.e164, n.role) for n in case.numbers] == [(DEST, NumberRole.UNKNOWN),
                                                        ("+12125550150", NumberRole.UNKNOWN)]
    assert all(n.role_evidence[0].rule.value == "ambiguous" for n in case.numbers)
    assert "Found 2 numbers: check which one is the destination." in case.messages


def test_strong_nearby_cue_is_more_confident_than_a_weak_one() -> None:
    strong = parse("calling the seller at (303) 555-0199 and my caller ID (720) 555-0100").numbers[0]
    weak = parse("from +17205550100 to +13035550199").numbers[1]
    inferred = parse("My number is 720-555-0100. Here is the other one: 303-555-0199").numbers[1]
    assert strong.role_confidence > weak.role_confidence > inferred.role_confidence


def test_numbers_without_cues_are_unknown_and_the_agent_is_asked() -> None:
    case = parse("303-555-0199\n303-555-0198\n303-555-0197")
    assert [n.role for n in case.numbers] == [NumberRole.UNKNOWN] * 3
    assert case.messages == ["Found 3 numbers: check which one is the destination."]
    assert case.destination is not None and case.destination.e164 == DEST


def test_number_context_excerpt_is_short_and_includes_the_number() -> None:
    [number] = parse("blah " * 50 + "call the seller on (303) 555-0199 please " + "blah " * 50).numbers
    assert "(303) 555-0199" in number.context and len(number.context) < 120


def test_at_most_fifty_numbers_are_kept() -> None:
    text = "\n".join(f"+1 303 555 01{i:02d}" for i in range(60))
    case = parse(text)
    assert len(case.numbers) == 50
    assert any("only the first 50 were kept" in m for m in case.messages)


# --------------------------------------------------------------------------- codes


@pytest.mark.parametrize(("text", "refs"), [
    ("608", ["sip:608"]),
    ("it says 603+", ["sip:603+"]),
    ("603 Network Blocked", ["sip:603+"]),
    ("SIP 486", ["sip:486"]),
    ("got a 480 every time", ["sip:480"]),
    ("the API returned 404", ["sip:404"]),
    ("response code: 503", ["sip:503"]),
    ("error 21215", ["twilio:21215"]),
    ("Twilio 13227 warning", ["twilio:13227"]),
    ("31603", ["twilio:31603"]),
    ("Q.850 cause 21", ["q850:21"]),
    ("q850 16", ["q850:16"]),
    ("cause code 17", ["q850:17"]),
    ("hangup cause 34", ["q850:34"]),
    ("codes 603, 607 and 608", ["sip:603", "sip:607", "sip:608"]),
])
def test_codes_are_normalised_to_refs(text: str, refs: list[str]) -> None:
    assert [c.ref for c in parse(text).codes] == refs


@pytest.mark.parametrize("text", [
    "I made 486 calls today",  # a count, no SIP-ish context
    "area code 603",
    "it costs $603",
    "at 6:03 pm",
    "603 Main Street",
    "suite 608",
    "zip 21215",  # five digits with no error/twilio context
    "(603) 555-0199",  # an area code inside a phone number
    "because 12 of them",
    "room 480 code",
])
def test_numbers_that_are_not_codes(text: str) -> None:
    assert parse(text).codes == []


# --------------------------------------------------------------------------- symptoms and prior contact


@pytest.mark.parametrize(("text", "symptom"), [
    ("it goes STRAIGHT-TO-VOICEMAIL!!", "straight_to_voicemail"),
    ("goes straight to voice mail", "straight_to_voicemail"),
    ("Straight to VM again", "straight_to_voicemail"),
    ("I think they blocked me", "blocked"),
    ("all I hear is a busy signal", "busy_signal"),
    ("it rings once and then dies", "rings_once_then_drops"),
    ("the phone doesnt ring at all", "no_ring"),
    ("it rings and rings", "rings_no_answer"),
    ("there's a <!> next to it", "error_icon"),
    ("I see an error icon", "error_icon"),
    ("red exclamation point", "error_icon"),
    ("the call failed", "call_failed"),
    ("their phone shows Scam Likely", "spam_likely"),
    ("shows spam risk", "spam_likely"),
    ("Potential Spam on caller ID", "spam_likely"),
    ("number is not in service", "not_in_service"),
    ("it hangs up as soon as they pick up", "hangs_up_on_answer"),
    ("a recorded message plays", "recorded_message"),
    ("all my calls fail", "all_calls_failing"),
    ("it's only this number", "one_number_only"),
    ("the call dropped after a minute", "call_dropped"),
])
def test_symptom_phrasings(text: str, symptom: str) -> None:
    assert symptom in [s.id for s in parse(text).symptoms]


@pytest.mark.parametrize("text", [
    "it does not go straight to voicemail",
    "I never got a busy signal",
    "they haven't blocked me, I think",
    "unblocked",
])
def test_negated_or_partial_words_are_not_symptoms(text: str) -> None:
    assert parse(text).symptoms == []


@pytest.mark.parametrize(("text", "prior"), [
    ("I spoke with the seller a few times", True),
    ("was talking to them last week", True),
    ("they answered before", True),
    ("I talked to her on Monday", True),
    ("I have never spoken to them", False),
    ("they never answered", False),
    ("it goes to voicemail", False),
])
def test_prior_contact(text: str, prior: bool) -> None:
    assert parse(text).prior_contact is prior


# --------------------------------------------------------------------------- time hints


@pytest.mark.parametrize(("text", "raw", "hours"), [
    ("this morning", "this morning", 6.0),  # 09:00 today
    ("yesterday", "yesterday", 24.0),
    ("last night", "last night", 18.0),  # 21:00 yesterday
    ("3 days ago", "3 days ago", 72.0),
    ("an hour ago", "an hour ago", 1.0),
    ("last week", "last week", 168.0),
    ("**16h**", "16h", 16.0),
    ("Mark · 6h", "6h", 6.0),
    ("2d", "2d", 48.0),
    ("on Monday", "on Monday", 27.0),  # noon yesterday
    ("Tuesday", "Tuesday", 3.0),  # noon today
    ("11/20/2026", "11/20/2026", 99.0),
    ("2026-11-23", "2026-11-23", 27.0),
    ("Nov 20th", "Nov 20th", 99.0),
    ("December 1", "December 1", 8595.0),  # said in November: last December
])
def test_time_hints(text: str, raw: str, hours: float) -> None:
    hints = parse(text, now=NOW).time_hints
    assert [(h.raw, h.hours_ago) for h in hints] == [(raw, hours)]


def test_stamp_inside_a_sentence_is_not_a_time_hint() -> None:
    assert parse("I waited 16h for a reply and called 3 times", now=NOW).time_hints == []


def test_naive_now_is_taken_as_utc() -> None:
    assert parse("yesterday", now=datetime(2026, 11, 24, 15, 0)).time_hints[0].hours_ago == 24.0


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize(("url", "platform", "conversation_id", "api_host"), [
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/shared/all/conversation/215469108439785?view=List",
     "intercom", "215469108439785", "api.intercom.io"),
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/conversation/215469108439785", "intercom", "215469108439785",
     "api.intercom.io"),
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/admin/5521873/conversation/215469108439785",
     "intercom", "215469108439785", "api.intercom.io"),
    ("https://app.intercom.io/a/apps/ql8el0gn/inbox/inbox/conversation/215469108439785", "intercom",
     "215469108439785", "api.intercom.io"),
    ("https://app.intercom.io/a/apps/ql8el0gn/inbox/inbox/5521873/conversations/215469108439785", "intercom",
     "215469108439785", "api.intercom.io"),
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/search/conversation/215469108439785"
     "#part_id=user-message-215469108439785-99887766", "intercom", "215469108439785", "api.intercom.io"),
    ("https://app.eu.intercom.com/a/inbox/ql8el0gn/inbox/shared/all/conversation/42", "intercom", "42",
     "api.eu.intercom.io"),
    ("https://app.au.intercom.com/a/inbox/ql8el0gn/inbox/shared/all/conversation/42", "intercom", "42",
     "api.au.intercom.io"),
    ("https://acme-homes.zendesk.com/agent/tickets/48211", "zendesk", "48211", "acme-homes.zendesk.com"),
    ("https://app.frontapp.com/open/cnv_55c8c149", "front", "cnv_55c8c149", "api2.frontapp.com"),
    ("https://secure.helpscout.net/conversation/2417683921/18342?folderId=7781", "helpscout", "2417683921",
     "api.helpscout.net"),
    ("https://app.hubspot.com/live-messages/24681357/inbox/8734512690", "hubspot", "8734512690", "api.hubapi.com"),
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/shared/all", "intercom", None, "api.intercom.io"),
    ("https://example.com/tickets/12", "unknown", None, None),
])
def test_links(url: str, platform: str, conversation_id: str | None, api_host: str | None) -> None:
    case = parse(url)
    assert case.kind is InputKind.LINK
    [link] = case.links
    assert (link.url, link.platform, link.conversation_id, link.api_host) == (url, platform, conversation_id, api_host)
    assert case.numbers == [] and case.codes == [] and case.time_hints == []


def test_link_messages() -> None:
    assert parse("https://acme-homes.zendesk.com/agent/tickets/48211").messages == [
        "Recognised a Zendesk conversation link (conversation 48211).", NO_NUMBER]
    assert parse("<https://app.intercom.com/a/inbox/x/inbox/conversation/215469108439785>").messages[0] == (
        "Recognised an Intercom conversation link (conversation 215469108439785).")
    assert "not from a support inbox" in parse("https://example.com/x").messages[0]


def test_only_support_inbox_links_are_listed_in_a_conversation() -> None:
    case = parse("See https://example.com/pricing and https://acme.zendesk.com/agent/tickets/7. Also (303) 555-0199.")
    assert case.kind is InputKind.CONVERSATION
    assert [(lk.platform, lk.conversation_id) for lk in case.links] == [("zendesk", "7")]


# --------------------------------------------------------------------------- kinds and messages


@pytest.mark.parametrize("pasted", ["", "   \n\t ", b"", "\x00\x00"])
def test_nothing_pasted(pasted: str | bytes) -> None:
    case = parse(pasted)
    assert case.kind is InputKind.EMPTY
    assert NOTHING in case.messages or "This looks like binary data, not text." in case.messages


def test_text_without_a_number_asks_for_one() -> None:
    case = parse("Hi, my calls keep failing, can you help?")
    assert case.kind is InputKind.CONVERSATION
    assert case.messages == [NO_NUMBER]


def test_binary_data_is_named() -> None:
    case = parse(bytes(range(256)) * 40)
    assert isinstance(case, Case)
    assert case.messages[0] == "This looks like binary data, not text."


def test_five_megabytes_are_read_in_part_and_say_so() -> None:
    text = ("I called the seller at (303) 555-0199 and it went straight to voicemail. " * 70_000)[:5_000_000]
    case = parse(text)
    assert case.text_length == 5_000_000
    assert f"The text was very long; only the first {intake_text.MAX_CHARS:,} characters were read." in case.messages
    assert [n.e164 for n in case.numbers] == [DEST]
    assert [s.id for s in case.symptoms] == ["straight_to_voicemail"]


def test_long_email_threads_read_each_quoted_line_once() -> None:
    message = "Calls to the seller at +1 (415) 555-0123 keep failing with a busy signal, every single time.\n"
    thread = "".join(f"On day {i} Dana wrote:\n" + "> " * (i % 5) + message + "Thanks,\n\n" for i in range(2000))
    case = parse(thread, now=NOW)
    assert len(thread) > intake_text.DEDUPE_ABOVE
    assert "Repeated lines (quoted replies) were read once; 1,999 repeats skipped." in case.messages
    assert [(n.e164, n.role.value) for n in case.numbers] == [("+14155550123", "destination")]
    assert [s.id for s in case.symptoms] == ["call_failed", "busy_signal"]
    # A short paste is read as it is, repeats included.
    assert intake_text.prepare(thread[:5000]).text == thread[:5000]


def test_mojibake_is_repaired_only_when_it_is_clearly_utf8_read_as_cp1252() -> None:
    assert intake_text.repair_mojibake("clock ðŸ••") == ("clock 🕕", True)
    assert intake_text.repair_mojibake("donâ€™t") == ("don’t", True)
    assert intake_text.repair_mojibake("naïve café, Ça va, 5 °C") == ("naïve café, Ça va, 5 °C", False)
    assert parse("naïve café").messages == [NO_NUMBER]


def test_unusual_input_types_never_raise() -> None:
    for value in (None, 12, bytearray(b"(303) 555-0199"), memoryview(b"(303) 555-0199"), "İstanbul (303) 555-0199"):
        assert isinstance(parse(value), Case)  # type: ignore[arg-type]
    assert [n.e164 for n in parse(bytearray(b"(303) 555-0199")).numbers] == [DEST]
    assert [n.e164 for n in parse("İİİ (303) 555-0199 straight to voicemail").numbers] == [DEST]


def test_an_internal_failure_becomes_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import sipsight.core.intake._parse as intake

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(intake, "prepare", boom)
    case = parse("(303) 555-0199")
    assert case.kind is InputKind.CONVERSATION
    assert case.messages == ["Part of this text could not be read; type the number the customer was calling instead."]


@pytest.mark.parametrize(("step", "named"), [
    ("find_roles", "whose number is which"), ("read_authors", "who wrote what"), ("find_codes", "codes"),
    ("find_symptoms", "symptoms"), ("find_time_hints", "time hints"), ("find_prior_contact", "prior contact"),
])
def test_a_failing_step_is_named_and_loses_nothing_else(monkeypatch: pytest.MonkeyPatch, step: str, named: str) -> None:
    import sipsight.core.intake._parse as intake

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(intake, step, boom)
    case = parse("My caller ID is (720) 555-0100. The seller at (303) 555-0199 goes straight to voicemail, SIP 480, "
                 "since yesterday.", now=NOW)
    assert {n.e164 for n in case.numbers} == {CALLER, DEST}  # the numbers are never lost
    assert f"Part of this text could not be read ({named}); everything else in it was read." in case.messages
    if step != "find_symptoms":
        assert [s.id for s in case.symptoms] == ["straight_to_voicemail"]
    if step != "find_codes":
        assert [c.ref for c in case.codes] == ["sip:480"]
    if step not in ("find_roles", "read_authors"):
        assert case.destination is not None and case.destination.e164 == DEST


def test_a_broken_vocabulary_file_is_named_in_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import sipsight.core.intake._parse as intake
    import sipsight.core.intake._vocab as intake_vocab
    import sipsight.core.yaml_models as yaml_models

    monkeypatch.setattr(yaml_models, "load_yaml", lambda *parts: {"version": 1, "symptoms": [{"id": "Bad Id"}]})
    monkeypatch.setattr(intake, "vocabulary", intake_vocab.vocabulary.__wrapped__)
    case = parse("(303) 555-0199")
    assert case.messages[0].startswith("resources/intake/symptoms.yaml is invalid at symptoms.0.")
    assert "docs/intake.md" in case.messages[0]
