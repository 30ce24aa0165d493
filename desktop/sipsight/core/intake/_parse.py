"""Intake: whatever the agent pasted (a number, a conversation, a link) -> a `Case`. Never raises.

The pieces live in intake_text (decoding, mojibake, size cap), intake_numbers (numbers and their
roles), intake_mentions (codes, symptoms, prior contact, time hints, links) and intake_vocab (the
YAML vocabulary). docs/intake.md describes what is recognised and how to add a phrasing.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from sipsight.core.errors import SipsightError
from sipsight.core.intake._mentions import find_codes, find_links, find_prior_contact, find_symptoms, find_time_hints
from sipsight.core.intake._numbers import MAX_CLUSTERS, MAX_NUMBERS, find_numbers, lenient_single
from sipsight.core.intake._scan import Scan
from sipsight.core.intake._text import prepare, url_spans
from sipsight.core.intake._vocab import vocabulary
from sipsight.core.models import CandidateNumber, Case, InputKind, NumberRole
from sipsight.core.phone import DEFAULT_REGION, InvalidNumber, to_e164

log = logging.getLogger(__name__)

NOTHING = "Nothing was pasted."
NO_NUMBER = "No phone number found: paste the number you were calling, or type it."
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
            "Part of this text could not be read; type the number you were calling instead.")
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


def _parse(raw: str | bytes, *, region: str, now: datetime) -> Case:
    prepared = prepare(raw)
    text = prepared.text
    case = Case(text_length=prepared.original_length, messages=list(prepared.notes))
    if not text.strip():
        case.kind = InputKind.EMPTY
        case.messages = [*case.messages, NOTHING] if not prepared.binary else case.messages
        return case

    vocab = vocabulary()
    links_at = url_spans(text)
    found = find_numbers(text, region, vocab, links_at)
    case.numbers = found.numbers

    short = len(text) <= _SHORT
    if short and len(case.numbers) == 1 and _leftover_words(text, found.spans) == 0:
        case.kind = InputKind.NUMBER
    elif short and len(links_at) == 1 and not case.numbers and _leftover_words(text, links_at) <= _LEFTOVER_WORDS:
        case.kind = InputKind.LINK
    elif short and not case.numbers and (_NUMBERISH.match(text) or _TEL.match(text)) and any(c.isdigit() for c in text):
        case.kind = InputKind.NUMBER
        _lone_number(case, text, region)
    else:
        case.kind = InputKind.CONVERSATION

    case.links = find_links(text, links_at, vocab, keep_unknown=case.kind is InputKind.LINK)
    if case.kind is not InputKind.LINK:
        scan = Scan(text)
        taken = found.spans + links_at
        case.codes = find_codes(scan, taken, vocab)
        case.symptoms = find_symptoms(scan, vocab)
        case.prior_contact = find_prior_contact(scan, vocab)
        case.time_hints = find_time_hints(scan, now, vocab, taken)
    case.messages = case.messages + _messages(case, capped=found.capped, clusters_capped=found.clusters_capped)
    return case


def _lone_number(case: Case, text: str, region: str) -> None:
    """A paste that is only digits but no valid number: keep a possible one, or say what is wrong."""
    mention = lenient_single(text, region)
    if mention is not None:
        case.numbers = [CandidateNumber(e164=mention.e164, raw=mention.raw, role=NumberRole.DESTINATION,
                                        role_confidence=0.5, extension=mention.extension, region=mention.region,
                                        context=mention.raw)]
        case.messages = [*case.messages,
                         f"{mention.e164} is not a number in use in its country's numbering plan: check the digits."]
        return
    try:
        to_e164(text, region)
    except InvalidNumber as exc:
        case.messages = [*case.messages, f"{exc} Check the digits, or paste the whole conversation."]


def _messages(case: Case, *, capped: bool, clusters_capped: bool) -> list[str]:
    notes: list[str] = []
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
    roles = {n.role for n in case.numbers}
    settled = len(case.numbers) == 2 and roles == {NumberRole.DESTINATION, NumberRole.CALLER_ID}
    if len(case.numbers) > 1 and not settled:  # one destination and one caller ID need no second look
        notes.append(f"Found {len(case.numbers)} numbers: check which one is the destination.")
    if capped:
        notes.append(f"The text holds a great many phone numbers; only the first {MAX_NUMBERS} were kept.")
    if clusters_capped:
        notes.append(f"The text holds a great many digits; only the first {MAX_CLUSTERS} runs of digits were checked "
                     "for phone numbers.")
    return notes


def _platform_name(platform: str) -> str:
    # With its article, for "Recognised an Intercom conversation link".
    return {"intercom": "an Intercom", "zendesk": "a Zendesk", "front": "a Front", "helpscout": "a Help Scout",
            "hubspot": "a HubSpot"}.get(platform, f"a {platform}")
