"""Intake: whatever the agent pasted (a number, a conversation, a link) -> a `Case`. Never raises.

The steps, in order: the text (_text.py), who wrote what (_authors.py), where numbers are written
(_numbers.py), codes (_codes.py), symptoms and prior contact (_symptoms.py), whose number is which
(_roles.py), time hints (_times.py), links (_links.py); the vocabulary is _vocab.py. Each step runs on
its own: when one fails, what the others read is kept and the message names what could not be read.
docs/intake.md describes what is recognised and how to add a phrasing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from sipsight.core.errors import SipsightError
from sipsight.core.intake._authors import MAX_PARTS, Authorship, read_authors
from sipsight.core.intake._codes import Codes, find_codes
from sipsight.core.intake._headers import MAX_LINES
from sipsight.core.intake._links import find_links
from sipsight.core.intake._numbers import MAX_CLUSTERS, MAX_NUMBERS, Mention, Mentions, find_mentions, lenient_single
from sipsight.core.intake._roles import find_roles
from sipsight.core.intake._scan import Scan
from sipsight.core.intake._symptoms import Symptoms, find_prior_contact, find_symptoms
from sipsight.core.intake._text import prepare, url_spans
from sipsight.core.intake._times import find_time_hints
from sipsight.core.intake._vocab import vocabulary
from sipsight.core.models import AuthorKind, CandidateNumber, Case, InputKind, MessagePart, NumberRole
from sipsight.core.phone import DEFAULT_REGION, InvalidNumber, to_e164

log = logging.getLogger(__name__)
T = TypeVar("T")

NOTHING = "Nothing was pasted."
NO_NUMBER = "No phone number found: paste or type the number the customer was calling."
NO_DESTINATION = ("None of the numbers found is the one the customer was calling (only their own or other numbers): "
                  "type the number they were calling.")
# Text left after removing the number or the link, below which the paste "is" that number or link
# ("Phone: ", "tel:", "<...>", "ext 12").
_LEFTOVER_WORDS = 3
# A paste longer than this is a conversation whatever it holds (a number or a link alone is short).
_SHORT = 4000
_NUMBERISH = re.compile(r"^[\s+()\d.\-\u2010-\u2015/]*(?:(?:ext\.?|x|#)\s*\d+)?\s*$", re.IGNORECASE)
_TEL = re.compile(r"^\s*<?\s*tel:", re.IGNORECASE)


def parse(text: str | bytes, *, region: str = DEFAULT_REGION, now: datetime | None = None) -> Case:
    """Read pasted text (or bytes) into a Case. Never raises: a failure inside becomes a message."""
    try:
        return _parse(text, region=_region(region), now=_now(now))
    except Exception as exc:  # the agent must always get an answer, never a traceback
        log.exception("intake failed")
        length = len(text) if isinstance(text, str | bytes) else 0
        # A broken vocabulary file names itself; anything else is our bug, not the agent's.
        message = exc.one_line() if isinstance(exc, SipsightError) else (
            "Part of this text could not be read; type the number the customer was calling instead.")
        return Case(kind=InputKind.CONVERSATION if length else InputKind.EMPTY, text_length=length, messages=[message])


def _region(region: str | None) -> str:
    region = (region or DEFAULT_REGION).strip().upper()
    return region if re.fullmatch(r"[A-Z]{2}", region) else DEFAULT_REGION


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def _leftover_words(text: str, spans: list[tuple[int, int]]) -> int:
    pieces, last = [], 0
    for start, end in sorted(spans):
        pieces.append(text[last:start])
        last = max(last, end)
    pieces.append(text[last:])
    rest = " ".join(pieces)
    rest = re.sub(r"\b(?:tel|phone|number|ext|x|cell|mobile|call|url|link|https?)\b", " ", rest, flags=re.IGNORECASE)
    return len(re.findall(r"\w+", rest))


class _Steps:
    """Runs each step on its own: a step that fails leaves its default and a message, never an empty case."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def run(self, what: str, step: Callable[[], T], default: T) -> T:
        try:
            return step()
        except SipsightError:
            raise  # a broken vocabulary file: the whole read stops and names the file
        except Exception:
            log.exception("intake step failed: %s", what)
            self.failed.append(what)
            return default


def _plain(text: str) -> Authorship:
    return Authorship([MessagePart(index=0, author=AuthorKind.CUSTOMER, written_by=AuthorKind.CUSTOMER, start=0,
                                   end=len(text))], starts=[0])


def _unplaced(mentions: list[Mention]) -> list[CandidateNumber]:
    """Numbers without roles, when deciding the roles failed: the numbers themselves are never lost."""
    seen: dict[str, CandidateNumber] = {}
    for m in mentions:
        seen.setdefault(m.e164, CandidateNumber(e164=m.e164, raw=m.raw, extension=m.extension, region=m.region,
                                                context=m.raw))
    return list(seen.values())[:MAX_NUMBERS]


def _parse(raw: str | bytes, *, region: str, now: datetime) -> Case:
    prepared = prepare(raw)
    text = prepared.text
    case = Case(text_length=prepared.original_length, messages=list(prepared.notes))
    if not text.strip():
        case.kind = InputKind.EMPTY
        case.messages = [*case.messages, NOTHING] if not prepared.binary else case.messages
        return case

    vocab = vocabulary()
    steps = _Steps()
    scan = Scan(text)
    no_links: list[tuple[int, int]] = []
    links_at = steps.run("links", lambda: url_spans(text, scan.low), no_links)
    authors = steps.run("who wrote what", lambda: read_authors(text, vocab.authors, scan.fold), _plain(text))
    found = steps.run("phone numbers", lambda: find_mentions(text, region, vocab, links_at, scan), Mentions([]))
    steps.failed += found.failed
    spans = [(m.start, m.end) for m in found.mentions]
    taken = spans + links_at
    codes = steps.run("codes", lambda: find_codes(scan, taken, vocab, authors), Codes([], []))
    symptoms = steps.run("symptoms", lambda: find_symptoms(scan, vocab, authors, codes.spans + links_at),
                         Symptoms([], []))
    numbers, capped = steps.run(
        "whose number is which", lambda: find_roles(text, scan, found.mentions, authors, vocab, symptoms.spans, taken),
        (_unplaced(found.mentions), len({m.e164 for m in found.mentions}) > MAX_NUMBERS))
    case.numbers = numbers
    case.parts, case.customer = authors.parts, authors.customer

    short = len(text) <= _SHORT
    if short and len(case.numbers) == 1 and _leftover_words(text, spans) == 0:
        case.kind = InputKind.NUMBER
        _only_number(case)
    elif short and len(links_at) == 1 and not case.numbers and _leftover_words(text, links_at) <= _LEFTOVER_WORDS:
        case.kind = InputKind.LINK
    elif short and not case.numbers and (_NUMBERISH.match(text) or _TEL.match(text)) and any(c.isdigit() for c in text):
        case.kind = InputKind.NUMBER
        _lone_number(case, text, region)
    else:
        case.kind = InputKind.CONVERSATION

    case.links = steps.run("links", lambda: find_links(text, links_at, vocab, keep_unknown=case.kind is InputKind.LINK),
                           [])
    if case.kind is not InputKind.LINK:
        case.codes, case.symptoms = codes.mentions, symptoms.mentions
        case.prior_contact = steps.run("prior contact", lambda: find_prior_contact(scan, vocab, authors), False)
        case.time_hints = steps.run("time hints", lambda: find_time_hints(scan, now, vocab, taken + codes.spans), [])
    case.messages = case.messages + _messages(case, capped=capped, clusters_capped=found.capped,
                                              authors_capped=authors.capped, failed=steps.failed)
    return case


def _only_number(case: Case) -> None:
    """A paste that is one number and nothing else: the number they could not reach, whatever it looks like."""
    number = case.numbers[0]
    if number.role is not NumberRole.DESTINATION:
        number.role, number.role_confidence = NumberRole.DESTINATION, 0.5


def _lone_number(case: Case, text: str, region: str) -> None:
    """A paste that is only digits but no valid number: keep a possible one, or say what is wrong."""
    mention = lenient_single(text, region)
    if mention is not None:
        case.numbers = [CandidateNumber(e164=mention.e164, raw=mention.raw, role=NumberRole.DESTINATION,
                                        role_confidence=0.5, extension=mention.extension, region=mention.region,
                                        context=mention.raw, message=0, author=AuthorKind.CUSTOMER)]
        case.messages = [*case.messages,
                         f"{mention.e164} is not a number in use in its country's numbering plan: check the digits."]
        return
    try:
        to_e164(text, region)
    except InvalidNumber as exc:
        case.messages = [*case.messages, f"{exc} Check the digits, or paste the whole conversation."]


def _messages(case: Case, *, capped: bool, clusters_capped: bool, authors_capped: bool, failed: list[str]) -> list[str]:
    notes: list[str] = []
    if failed:
        notes.append(f"Part of this text could not be read ({', '.join(dict.fromkeys(failed))}); "
                     "everything else in it was read.")
    if case.kind is InputKind.LINK and case.links:
        link = case.links[0]
        if link.platform == "unknown":
            notes.append("This link is not from a support inbox SIPSight knows (Intercom, Zendesk, Front, Help Scout, "
                         "HubSpot).")
        elif link.conversation_id:
            notes.append(f"Recognised {_platform_name(link.platform)} conversation link "
                         f"(conversation {link.conversation_id}).")
        else:
            notes.append(f"Recognised {_platform_name(link.platform)} link, but not which conversation it points to.")
    if not case.numbers and not any("numbering plan" in m or "Check the digits" in m for m in case.messages):
        notes.append(NO_NUMBER)
    elif case.numbers and case.destination is None:
        notes.append(NO_DESTINATION)
    roles = [n.role for n in case.numbers if n.role is not NumberRole.OTHER]
    settled = sorted(roles) == sorted([NumberRole.DESTINATION, NumberRole.CALLER_ID]) or roles == [
        NumberRole.DESTINATION]
    if len(case.numbers) > 1 and not settled and case.destination is not None:  # else NO_DESTINATION says it
        notes.append(f"Found {len(case.numbers)} numbers: check which one is the destination.")
    if capped:
        notes.append(f"The text holds a great many phone numbers; only the first {MAX_NUMBERS} were kept.")
    if clusters_capped:
        notes.append(f"The text holds a great many digits; only the first {MAX_CLUSTERS} runs of digits were checked "
                     "for phone numbers.")
    if authors_capped:
        notes.append(f"The conversation is very long; who wrote what was read for its first {MAX_LINES:,} lines or "
                     f"{MAX_PARTS} messages only.")
    return notes


def _platform_name(platform: str) -> str:
    # With its article, for "Recognised an Intercom conversation link".
    return {"intercom": "an Intercom", "zendesk": "a Zendesk", "front": "a Front", "helpscout": "a Help Scout",
            "hubspot": "a HubSpot"}.get(platform, f"a {platform}")
