"""Codes in a paste (SIP, 603+, Twilio, Q.850), each traced to the message it was read from.

Every finder starts from something cheap to find (a literal, or a digit) and looks around it, because a
pattern that starts with a word boundary or an alternation crawls over a 1 MB paste.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sipsight.core.intake._authors import Authorship
from sipsight.core.intake._scan import Claimed, Scan, is_word_char
from sipsight.core.intake._vocab import Vocabulary
from sipsight.core.models import CodeMention

MAX_CODES = 50
# Digit runs looked at as possible codes; a log dump of numbers would otherwise cost seconds.
MAX_DIGIT_CANDIDATES = 2000
MAX_MENTIONS = 500  # places codes are written, before keeping one per code

_GLUED_BEFORE = set(".,$€£/:+-")
_GLUED_AFTER = re.compile(r"\w|[.,:/\-][0-9]")
_PLUS = re.compile(r"\s*(?:\+(?:\s*\(?\s*network\s+blocked\b\)?)?|\(?\s*network\s+blocked\b\)?)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_Q850 = re.compile(
    r"(?:q\.?\s?850(?:[\s:#=\-]*(?:cause|reason))?|(?:hangup\s+|release\s+|isup\s+)?cause)(?:[\s:#=\-]*code)?"
    r"[\s:#=\-]*(?P<n>[0-9]{1,3})\b"
)


@dataclass
class Codes:
    mentions: list[CodeMention]
    spans: list[tuple[int, int]]  # every place a code was read, reason phrases included (never a symptom)


def find_codes(scan: Scan, taken: list[tuple[int, int]], vocab: Vocabulary, authors: Authorship) -> Codes:
    text, low = scan.text, scan.low
    seen: list[tuple[int, int, str, str]] = []  # start, end, ref, raw
    claimed = Claimed(taken)

    def add(ref: str, raw: str, span: tuple[int, int]) -> None:
        claimed.add(span)
        if len(seen) < MAX_MENTIONS:
            seen.append((span[0], span[1], ref, " ".join(raw.split())))

    for anchor in ("cause", "850"):
        pos = low.find(anchor)
        count = 0
        while pos >= 0 and count < MAX_DIGIT_CANDIDATES:
            count += 1
            lo = max(0, pos - (5 if anchor == "850" else 16))
            for m in _Q850.finditer(low, lo, pos + 40):
                if m.end() <= pos or (m.start() > 0 and is_word_char(low[m.start() - 1])):
                    continue
                n = int(m.group("n"))
                if 1 <= n <= 127 and m.start("n") not in claimed:
                    add(f"q850:{n}", text[m.start() : m.end()], m.span())
                break
            pos = low.find(anchor, pos + 1)

    standalone_sip = {str(c) for c in vocab.codes.standalone_sip}
    standalone_twilio = {str(c) for c in vocab.codes.standalone_twilio}
    context_words = vocab.code_context_words
    count = 0
    for start, end in scan.digit_runs:  # a code is a whole run of 3 or 5 digits
        if count >= MAX_DIGIT_CANDIDATES:
            break
        if end - start not in (3, 5) or low[start] == "0":
            continue
        code = low[start:end]
        count += 1
        # Not glued to a word, a price, a time or another number ("$603", "6:03", "603-555", "x608").
        if start > 0 and (is_word_char(low[start - 1]) or low[start - 1] in _GLUED_BEFORE):
            continue
        plural = low.startswith("s", end) and not is_word_char(low[end + 1 : end + 2] or " ")  # "check the 608s"
        if _GLUED_AFTER.match(low, end) and not (code == "603" and low.startswith("+", end)) and not plural:
            continue
        if start in claimed:
            continue
        plus = _PLUS.match(low, end) if code == "603" else None
        reason = vocab.reason_phrases.get(code) if len(code) == 3 and plus is None else None
        reason_match = reason.match(low, end) if reason is not None else None
        before = low[max(0, start - 30) : start]
        # The context regexes are costly: only a window holding one of their words is worth them.
        near = context_words.isdisjoint(_WORD.findall(before)) is False
        if plus is None and reason_match is None and not (
                (len(code) == 3 and code[0] in "123456" and (code in standalone_sip or near))
                or (len(code) == 5 and (code in standalone_twilio or near))):
            continue
        if vocab.not_code_before.search(low, max(0, start - 16), start):
            continue
        if reason_match is not None:
            # "480 Temporarily Unavailable", "SIP/2.0 603 Decline": a code followed by its own reason phrase
            add(f"sip:{code}", text[start : reason_match.end()], (start, reason_match.end()))
            continue
        if plus is None and vocab.not_code_after.match(low, end):
            continue
        if plus is not None:
            add("sip:603+", text[start : plus.end()], (start, plus.end()))
        elif len(code) == 3 and (code in standalone_sip or vocab.sip_context.search(before)):
            add(f"sip:{code}", code, (start, end))
        elif len(code) == 5 and (code in standalone_twilio or vocab.twilio_context.search(before)):
            add(f"twilio:{code}", code, (start, end))
    return _attributed(seen, authors)


def _attributed(seen: list[tuple[int, int, str, str]], authors: Authorship) -> Codes:
    """One mention per code: where the customer wrote it if they did, else its first mention."""
    chosen: dict[str, tuple[int, CodeMention]] = {}
    for start, _end, ref, raw in sorted(seen):
        part = authors.at(start)
        mention = CodeMention(ref=ref, raw=raw, message=part.index, author=part.author, by_customer=part.by_customer)
        held = chosen.get(ref)
        if held is None:
            if len(chosen) < MAX_CODES:
                chosen[ref] = (start, mention)
        elif mention.by_customer and not held[1].by_customer:
            chosen[ref] = (start, mention)
    ordered = sorted(chosen.values(), key=lambda c: c[0])
    return Codes([m for _, m in ordered], [(s, e) for s, e, _, _ in seen])
