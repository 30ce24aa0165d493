"""Intake reads what customers write, the way they write it: slang, typos, five languages, reason phrases, numbers
broken by e-mail programs or hidden in links, national numbers of a country named in words. Short snippets, one
behaviour each (whole conversations are in test_intake_conversations.py)."""

from __future__ import annotations

import pytest

from sipsight.core.intake import parse
from sipsight.core.models import Case, NumberRole

DEST, CALLER = "+13035550199", "+17205550100"


def roles(case: Case) -> dict[str, str]:
    return {n.e164: n.role.value for n in case.numbers}


def symptom_ids(text: str) -> list[str]:
    return [s.id for s in parse(text).symptoms]


# --------------------------------------------------------------------------- symptoms


@pytest.mark.parametrize(("text", "symptom"), [
    # slang, abbreviations, typos
    ("it goes to vm every time", "straight_to_voicemail"),
    ("str8 to voicemail, every single time", "straight_to_voicemail"),
    ("goes right to voicemal", "straight_to_voicemail"),
    ("VM instantly, no matter what time I call", "straight_to_voicemail"),
    ("it goes straight to voicemial", "straight_to_voicemail"),
    ("calls wont go thru", "call_failed"),
    ("doesnt even ring", "no_ring"),
    # Spanish, French, German, Portuguese
    ("se va directo al buzón de voz", "straight_to_voicemail"),
    ("cae en el buzon", "straight_to_voicemail"),
    ("ça tombe sur la messagerie", "straight_to_voicemail"),
    ("landet sofort auf der Mailbox", "straight_to_voicemail"),
    ("vai direto pra caixa postal", "straight_to_voicemail"),
    ("el teléfono ni siquiera suena", "no_ring"),
    ("le téléphone ne sonne même pas", "no_ring"),
    ("es klingelt gar nicht", "no_ring"),
    ("nem chega a tocar", "no_ring"),
    ("da ocupado siempre", "busy_signal"),
    ("es ist immer besetzt", "busy_signal"),
    # drops on dial, rings briefly, audio
    ("it hangs up the second I hit dial", "drops_on_dial"),
    ("the call disconnects immediately, before anything happens", "drops_on_dial"),
    ("se corta al marcar", "drops_on_dial"),
    ("ça coupe direct", "drops_on_dial"),
    ("der Anruf bricht sofort ab", "drops_on_dial"),
    ("cai assim que disco", "drops_on_dial"),
    ("it rings a couple of times and then just dies", "rings_briefly_then_drops"),
    ("rings twice then disconnects", "rings_briefly_then_drops"),
    ("they can't hear me but I hear them fine", "one_way_audio"),
    ("no me escuchan", "one_way_audio"),
    ("ils ne m'entendent pas", "one_way_audio"),
    ("when they pick up it's just dead air", "no_audio"),
    ("sem áudio nenhum quando atendem", "no_audio"),
    ("kein Ton, wenn sie abnehmen", "no_audio"),
    # ringing then voicemail is a call nobody answered
    ("it rings a few times and then goes to voicemail", "rings_no_answer"),
])
def test_customer_wording(text: str, symptom: str) -> None:
    assert symptom in symptom_ids(text)


@pytest.mark.parametrize(("text", "absent"), [
    ("it rings a couple of times and then goes to voicemail", "rings_briefly_then_drops"),  # no drop: voicemail
    ("it rings a few times and then goes to voicemail", "straight_to_voicemail"),
    ("when they pick up there's dead air", "no_ring"),  # dead air after the answer is no audio
    ("it drops immediately when they answer", "drops_on_dial"),  # that is a hang-up on answer
    ("all my calls to this seller go to voicemail", "all_calls_failing"),  # one number, not all calls
    ("I dialed a couple of times and then gave up", "rings_briefly_then_drops"),
    ("the blocker on my calendar", "blocked"),  # one letter off a word is no typo of it
    ("nunca llega al buzón de voz", "straight_to_voicemail"),
    ("ça ne va pas sur la messagerie", "straight_to_voicemail"),
    ("es geht nicht auf die Mailbox", "straight_to_voicemail"),
    ("não cai na caixa postal", "straight_to_voicemail"),
    ("No voicemail, no busy, it just doesn't connect", "busy_signal"),
    ("it goes straight to voicemail without ringing", "drops_on_dial"),
])
def test_not_this_symptom(text: str, absent: str) -> None:
    assert absent not in symptom_ids(text)


def test_both_symptoms_a_customer_states() -> None:
    assert symptom_ids("straight to voicemail, doesn't even ring") == ["straight_to_voicemail", "no_ring"]
    assert symptom_ids("it hangs up the second I hit dial. Doesn't ring") == ["drops_on_dial", "no_ring"]


# --------------------------------------------------------------------------- codes and their reason phrases


@pytest.mark.parametrize(("text", "refs"), [
    ("480 Temporarily Unavailable", ["sip:480"]),
    ("SIP/2.0 603 Decline", ["sip:603"]),
    ("the trace says 486 Busy Here", ["sip:486"]),
    ("404 Not Found on every attempt", ["sip:404"]),
    ("603 Network Blocked", ["sip:603+"]),
    ("603+ Network Blocked", ["sip:603+"]),
    ("we keep seeing 608 Rejected", ["sip:608"]),
    ("SIP/2.0 503 Service Unavailable", ["sip:503"]),
])
def test_code_with_its_reason_phrase(text: str, refs: list[str]) -> None:
    case = parse(text)
    assert [c.ref for c in case.codes] == refs
    assert case.symptoms == []  # "Busy Here" is no busy signal, "Network Blocked" no customer's "blocked"


def test_a_reason_phrase_of_another_code_is_no_code() -> None:
    assert parse("I made 480 Busy Here calls").codes == []  # 480's reason is Temporarily Unavailable
    assert parse("room 404 Not Found").codes == [] or parse("room 404 Not Found").codes[0].ref == "sip:404"


# --------------------------------------------------------------------------- numbers


def test_number_split_across_a_line_break() -> None:
    case = parse("Calls to the seller at (303) 555-\n0199 fail. My caller ID is 720 555\n0100.")
    assert roles(case) == {DEST: "destination", CALLER: "caller_id"}
    assert case.numbers[0].raw == "(303) 555-0199"


def test_number_split_under_quote_markers() -> None:
    case = parse("> the seller is at +1 303 555\n> 0199 and it goes to voicemail")
    assert [n.e164 for n in case.numbers] == [DEST]


def test_two_numbers_on_two_lines_are_not_joined() -> None:
    case = parse("seller: 303-555-0199\nmy caller ID: 720-555-0100")
    assert roles(case) == {DEST: "destination", CALLER: "caller_id"}


def test_numbers_inside_link_parameters() -> None:
    case = parse("see https://dialer.example/calls?to=%2B13035550199&from=%2B17205550100&status=failed")
    assert roles(case) == {DEST: "destination", CALLER: "caller_id"}
    # an id in a path or an unnamed parameter is no number
    assert parse("https://app.example/contacts/3035550199?id=7205550100").numbers == []


def test_a_phone_shaped_value_of_any_parameter_is_read() -> None:
    assert [n.e164 for n in parse("https://dialer.example/log?lead=%2B13035550199").numbers] == [DEST]


@pytest.mark.parametrize(("text", "e164"), [
    ("our UK team calls 020 7946 0321 and it fails", "+442079460321"),
    ("the owner in Germany, 030 23125 456, never answers", "+493023125456"),
    ("le propriétaire à Paris : 01 99 00 12 34", "+33199001234"),
    ("the vendor in Brisbane is on 07 5550 1234", "+61755501234"),
    ("o proprietário na Alemanha: 089 99998 123", "+498999998123"),
])
def test_national_number_of_a_country_named_in_words(text: str, e164: str) -> None:
    assert [n.e164 for n in parse(text).numbers] == [e164]


def test_a_national_number_without_its_country_is_not_guessed() -> None:
    assert parse("the owner's number is 020 7946 0321").numbers == []


def test_odd_phrases_do_not_cost_the_numbers() -> None:
    case = parse("(303) 555-0199 goes to voicemail, I waited 1/2 hr and tried again at 9:30. Deal is $1,299,000 for "
                 "4410 Elm St, Denver 80211, ticket #48213. My number is 720-555-0100, also what the dialer uses.")
    assert roles(case) == {DEST: "destination", CALLER: "caller_id"}
    assert case.codes == []
    assert not any("could not be read" in m for m in case.messages)


# --------------------------------------------------------------------------- roles in five languages


@pytest.mark.parametrize("text", [
    "My caller ID is 720-555-0100 and I'm calling the seller at 303-555-0199.",
    "Llamo desde el 720-555-0100 y el número del vendedor es 303-555-0199.",
    "J'appelle depuis le 720-555-0100, le numéro du vendeur est le 303-555-0199.",
    "Meine Absendernummer ist 720-555-0100, die Nummer des Verkäufers ist 303-555-0199.",
    "Meu número de saída é 720-555-0100 e o número do vendedor é 303-555-0199.",
])
def test_roles_in_each_language(text: str) -> None:
    assert roles(parse(text)) == {CALLER: "caller_id", DEST: "destination"}


@pytest.mark.parametrize("text", [
    "Calling 303-555-0199 now. Don't use the old one, 303-555-0188.",
    "The seller's number is 303-555-0199. Her old number was 303-555-0188 but we stopped dialing that one.",
    "The seller is at 303-555-0199 (303-555-0188 was a typo).",
    "No uses el número viejo 303-555-0188; el vendedor está en el 303-555-0199.",
    "Le vendeur est au 303-555-0199, n'utilisez pas l'ancien numéro 303-555-0188.",
    "Der Verkäufer ist unter 303-555-0199 erreichbar, die alte Nummer 303-555-0188 bitte nicht verwenden.",
    "O vendedor é 303-555-0199, não use o número antigo 303-555-0188.",
])
def test_a_number_the_customer_rules_out_is_other(text: str) -> None:
    assert roles(parse(text)) == {DEST: "destination", "+13035550188": "other"}


def test_callback_is_other_and_own_number_gives_way_to_the_dialers() -> None:
    case = parse("The dialer shows 720-555-0100. Call me back at 720-555-0111. The seller is 303-555-0199.")
    assert roles(case) == {CALLER: "caller_id", "+17205550111": "other", DEST: "destination"}
    case = parse("My cell is 720-555-0111. I'm calling from 720-555-0100 to the seller at 303-555-0199.")
    assert roles(case) == {"+17205550111": "other", CALLER: "caller_id", DEST: "destination"}
    assert roles(parse("My cell is 720-555-0111 and the seller is 303-555-0199.")) == {
        "+17205550111": "caller_id", DEST: "destination"}


def test_back_reference_by_the_last_four_digits() -> None:
    case = parse("Our lines are 720-555-0100 and 720-555-0111. The seller at 303-555-0199 says calls from the 0111 "
                 "line never ring.")
    assert roles(case) == {CALLER: "other", "+17205550111": "caller_id", DEST: "destination"}


def test_question_and_answer_in_a_chat() -> None:
    case = parse("Visitor: my calls keep failing\nAgent: Which number are you calling?\nVisitor: 303-555-0199\n"
                 "Agent: And which number do you call from?\nVisitor: 720-555-0100")
    assert roles(case) == {DEST: "destination", CALLER: "caller_id"}


def test_support_line_and_company_numbers_are_other() -> None:
    case = parse("Calls to the seller at 303-555-0199 fail. I called your support line at 1-800-555-0123 and waited "
                 "an hour.")
    assert roles(case) == {DEST: "destination", "+18005550123": "other"}


def test_a_lone_own_number_is_no_destination() -> None:
    case = parse("Everyone says my calls show up as Spam Likely. I call from 720-555-0100.")
    assert roles(case) == {CALLER: "caller_id"}
    assert case.destination is None
    assert any("None of the numbers found is the one the customer was calling" in m for m in case.messages)


def test_many_equal_numbers_are_left_to_the_agent_with_a_message() -> None:
    case = parse("The owner has three numbers: 303-555-0101, 303-555-0102 or 303-555-0103, all go to voicemail.")
    assert {n.role for n in case.numbers} == {NumberRole.UNKNOWN}
    assert "Found 3 numbers: check which one is the destination." in case.messages
    assert case.destination is not None  # the GUI still prefills the first one
