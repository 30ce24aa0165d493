"""Properties of intake over generated input: it never raises, and a number is found wherever it sits."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import project_paths
from sipsight.core.intake import parse
from sipsight.core.intake._scan import Phrase, Scan, fold
from sipsight.core.intake._vocab import phrase_regex, vocabulary
from sipsight.core.models import Case, InputKind

# Area codes the numbering plan accepts with the fictional 555-01xx line numbers (checked below, not assumed).
AREA_CODES = ["201", "202", "206", "212", "303", "305", "312", "404", "415", "503", "617", "702", "720", "808", "917"]

NOTATIONS = [
    "({a}) {x}-{l}", "{a}.{x}.{l}", "{a}-{x}-{l}", "{a} {x} {l}", "{a}{x}{l}", "+1 {a} {x} {l}", "+1 ({a}) {x}-{l}",
    "1-{a}-{x}-{l}", "+1{a}{x}{l}", "tel:+1{a}{x}{l}", "+1-{a}-{x}-{l}",
]

# Filler text that holds no digits of its own (any other digits could form a second number) but any other
# character: letters of every script, emoji, punctuation, controls. Spaces/newlines keep the number a token.
FILLER = st.text(st.characters(blacklist_categories=("Nd", "Cs")), max_size=200)
SEPARATORS = st.sampled_from([" ", "\n", "\t", " : ", "\n\n", ", ", " (", ") "])


@st.composite
def us_numbers(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(AREA_CODES))
    line = f"01{draw(st.integers(0, 99)):02d}"
    notation = draw(st.sampled_from(NOTATIONS))
    return notation.format(a=area, x="555", l=line), f"+1{area}555{line}"


def test_generated_numbers_are_valid_in_the_numbering_plan() -> None:
    for area in AREA_CODES:
        assert phonenumbers.is_valid_number(phonenumbers.parse(f"+1{area}5550100", None)), area


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
@example("\x00")
@example("ðŸ••" * 50)
@example("+" * 500)
@example("(" * 300 + "1" * 300)
@example("https://" + "a" * 3000)
@example("İ" * 100)
def test_any_text_gives_a_case(text: str) -> None:
    case = parse(text)
    assert isinstance(case, Case)
    assert case.text_length == len(text)
    assert all(n.e164.startswith("+") and n.e164[1:].isdigit() for n in case.numbers)
    assert len({n.e164 for n in case.numbers}) == len(case.numbers)  # deduplicated
    if not text.strip():
        assert case.kind is InputKind.EMPTY
    if case.kind is InputKind.EMPTY:
        assert case.numbers == [] and case.symptoms == [] and case.codes == []
    if not case.numbers:
        assert case.messages, "a case without a number always says what is missing"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
@example(b"\xff\xfe" + "(303) 555-0199".encode("utf-16-le"))
@example(b"\x00" * 100)
def test_any_bytes_give_a_case(data: bytes) -> None:
    case = parse(data)
    assert isinstance(case, Case)


@settings(max_examples=300, deadline=None)
@given(us_numbers(), FILLER, SEPARATORS, FILLER, SEPARATORS)
@example(("201 555 0100", "+12015550100"), "[", ") ", "", " ")  # stray brackets before the digits
@example(("(201) 555-0100", "+12015550100"), "CONVERSATION", " ", "", " ")  # an id word before a phone-shaped number
@example(("+1 201 555 0100", "+12015550100"), ":( ", " ", "", " ")  # a bracket and two spaces before the "+"
@example(("(201) 555-0100", "+12015550100"), ":( ", ") ", "", " ")  # the matcher takes in "( ) " before the number
@example(("(201) 555-0100", "+12015550100"), "+", " ", "", " ")  # a stray "+" is no country code (+20 ...)
@example(("(201) 555-0100", "+12015550100"), "+", ") ", "", " ")
@example(("(201) 555-0100", "+12015550100"), "+", " ", "", " ")  # a stray "+" is no country code (+20 ...)
def test_a_number_embedded_in_text_is_found(number: tuple[str, str], before: str, sep1: str, after: str,
                                            sep2: str) -> None:
    written, e164 = number
    case = parse(before + sep1 + written + sep2 + after)
    assert [n.e164 for n in case.numbers] == [e164]
    assert case.destination is not None or case.caller_id is not None


@settings(max_examples=100, deadline=None)
@given(us_numbers())
def test_a_lone_number_in_any_notation_is_a_number_paste(number: tuple[str, str]) -> None:
    written, e164 = number
    case = parse(written)
    assert case.kind is InputKind.NUMBER
    assert [n.e164 for n in case.numbers] == [e164]
    assert case.destination is not None and case.destination.e164 == e164


@settings(max_examples=100, deadline=None)
@given(st.lists(us_numbers(), min_size=1, max_size=6), FILLER)
def test_every_distinct_number_is_found_once(numbers: list[tuple[str, str]], filler: str) -> None:
    text = "\n".join(f"{filler}\n{written}\n" for written, _ in numbers)
    found = [n.e164 for n in parse(text).numbers]
    assert found == list(dict.fromkeys(e164 for _, e164 in numbers))


# The fast phrase matcher (literal-first regexes on folded text, skipped when a word is missing) must find exactly
# what the plain regex of the same phrase finds on the folded text.
_PHRASES = sorted({p.text for s in vocabulary().symptoms for p in s.phrases.phrases} | {
    p.text for p in vocabulary().prior_contact.phrases})
_COMPILED = [(p, Phrase.of(p), re.compile(phrase_regex(p))) for p in _PHRASES]
_WORDS = sorted({w for p in _PHRASES for w in re.findall(r"\w+", p)} | {"voicemail", "İ", "Straight", "NOT"})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(_PHRASES).map(lambda p: p.replace(" ", "-")), st.sampled_from(_PHRASES).map(str.upper),
    st.sampled_from(_WORDS), st.sampled_from([" ", "  ", "-", "'", "’", ". ", "\n", "é", "<!>"]), st.text(max_size=3),
), max_size=60))
def test_fast_phrase_matching_equals_plain_regex(parts: list[str]) -> None:
    text = "".join(parts)
    scan = Scan(text)
    folded = fold(text)  # phrases match folded text: lower case, accents off, same offsets
    assert len(folded) == len(text)
    for phrase, fast_phrase, plain_pattern in _COMPILED:
        fast = [m.start() for m in fast_phrase.matches(scan)]
        plain = [m.start() for m in plain_pattern.finditer(folded)]
        assert fast == plain, phrase


# --------------------------------------------------------------------------- never lose the paste

_TIER2 = sorted((project_paths.DATA / "conversations" / "tier2").glob("*.txt"))
_CONVERSATIONS = [p.read_text(encoding="utf-8") for p in _TIER2]
# A fragment of anything: letters of every script, digits, punctuation, controls, stray markers of the inbox shapes.
FRAGMENT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["> ", ">>", "On Mon, Nov 23, 2026 at 9:14 AM Dana <d@x.example> wrote:",
                     "-----Original Message-----", "From: Support <support@acme.example>", "Sent: Monday", "**16h**",
                     "Operator · 2h", "--", "Thanks,", "### Heading", "| a | b | c |", "1/2 hr", "$1,299", "ticket #",
                     "http://", "www.", "(", "+", "555-",
                     "This is an Auto Reply", "Internal note", "Visitor: hi", "don't use", "my caller ID is"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_CONVERSATIONS) - 1), FRAGMENT, st.integers(0, 200), st.booleans())
@example(0, "1/2 hr", 0, False)
@example(0, "**16h**", 3, True)
@example(11, "", 3, False)  # inside a number broken across lines: not a place a fragment can go
def test_no_fragment_loses_a_number(which: int, fragment: str, where: int, own_paragraph: bool) -> None:
    text = _CONVERSATIONS[which]
    lines = text.split("\n")
    at = where % (len(lines) + 1)
    # between the two halves of a number an e-mail program broke ("(503) 555-" / "0177") is inside the number
    assume(not (0 < at < len(lines) and re.search(r"[0-9(.\-]\s*$", lines[at - 1])
                and re.match(r"[\s>]*[0-9(]", lines[at])))
    inserted = ["", fragment, ""] if own_paragraph else [fragment]
    changed = "\n".join(lines[:at] + inserted + lines[at:])
    before = {n.e164 for n in parse(text).numbers}
    after = parse(changed)
    assert before <= {n.e164 for n in after.numbers}, fragment
    assert not any("could not be read" in m for m in after.messages), after.messages


def test_the_fragment_that_once_emptied_a_case_is_read() -> None:
    case = parse("(303) 555-0199 goes to voicemail, I waited 1/2 hr")
    assert [(n.e164, n.role.value) for n in case.numbers] == [("+13035550199", "destination")]
    assert [s.id for s in case.symptoms] == ["straight_to_voicemail"]
    assert not any("could not be read" in m for m in case.messages)


# --------------------------------------------------------------------------- every scan linear

# Inputs that made a scan quadratic or worse before (1 MB of "www." took minutes, of "(" 1.7 s), and the shapes
# every step looks for. Reading four times as much must take about four times as long, never sixteen.
_ADVERSARIAL = ["www.", "://", "0123456789", "+1 (", "(", "https://example.com/a?to=%2B1303555,",
                "I called the seller at 303 555 0199 and it went to voicemail ", "**Dana Whitfield** · 2h\nhi\n",
                "On Mon, Nov 23, 2026 at 9:14 AM Dana <d@x.example> wrote:\n> ", "Visitor: call 0199\n",
                "the old one, ", "rings a couple of times "]


def _cpu_seconds(text: str) -> float:
    import gc
    import time

    best = float("inf")
    gc.disable()
    try:
        for _ in range(3):  # the quickest of three: another process on the machine only ever adds time
            started = time.process_time()
            parse(text)
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def _distinct_quotes(size: int) -> str:
    blocks = (f"On Mon, Nov {i % 28 + 1}, 2026 at 9:{i % 60:02d} AM Dana Reyes{i} <d{i}@x.example> wrote:\n"
              + "> " * (i % 4 + 1) + f"the seller {i} goes to voicemail, call {i}\n" for i in range(size // 60))
    return "".join(blocks)[:size]


@pytest.mark.parametrize("unit", [*_ADVERSARIAL, "distinct quoted replies"])
def test_reading_time_grows_linearly(unit: str) -> None:
    if unit == "distinct quoted replies":  # repeated lines are read once: distinct ones show the cost of structure
        small, big = _distinct_quotes(250_000), _distinct_quotes(1_000_000)
    else:
        small = (unit * (250_000 // len(unit) + 1))[:250_000]
        big = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    parse(small)  # warm the vocabulary and the caches
    ratio = _cpu_seconds(big) / max(_cpu_seconds(small), 1e-3)
    assert ratio < 8.0, f"{unit!r}: 4x the text took {ratio:.1f}x the time (linear is about 4)"
