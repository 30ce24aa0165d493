"""Everything else intake reads from text: codes, symptoms, prior contact, time hints, links.

Each finder starts from something cheap to find (a literal, or a digit) and looks around it,
because a pattern that starts with a word boundary or an alternation crawls over a 1 MB paste.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sipsight.core.intake._scan import Scan, is_word_char
from sipsight.core.intake._vocab import Vocabulary
from sipsight.core.models import CodeMention, ConversationLink, SymptomMention, TimeHint

MAX_TIME_HINTS = 20
MAX_CODES = 50
MAX_LINKS = 20
# Digit runs looked at as possible codes or dates; a log dump of numbers would otherwise cost seconds.
MAX_DIGIT_CANDIDATES = 2000

Spans = list[tuple[int, int]]


class _Taken:
    """Text already claimed (numbers, links, earlier codes): sorted, so a look-up is a bisection."""

    def __init__(self, spans: Spans) -> None:
        self.spans = sorted(spans)

    def add(self, span: tuple[int, int]) -> None:
        insort(self.spans, span)

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.spans, (pos, float("inf")))
        # Spans may nest (a link holding digits), so look back a little, not just at the nearest start.
        return any(a <= pos < b for a, b in self.spans[max(0, i - 4) : i])


# --------------------------------------------------------------------------- codes

# 3-digit (SIP) and 5-digit (Twilio) codes, not glued to other digits, words, prices or times.
_CODE = re.compile(r"[1-9][0-9]{2}(?:[0-9]{2})?(?![0-9])")
_GLUED_BEFORE = set(".,$€£/:+-")
_GLUED_AFTER = re.compile(r"\w|[.,:/\-][0-9]")
_PLUS = re.compile(r"\s*(?:\+|\(?\s*network\s+blocked\b\)?)", re.IGNORECASE)
_Q850 = re.compile(
    r"(?:q\.?\s?850(?:[\s:#=\-]*(?:cause|reason))?|(?:hangup\s+|release\s+|isup\s+)?cause)(?:[\s:#=\-]*code)?"
    r"[\s:#=\-]*(?P<n>[0-9]{1,3})\b"
)


def find_codes(scan: Scan, number_spans: Spans, vocab: Vocabulary) -> list[CodeMention]:
    text, low = scan.text, scan.low
    found: dict[str, tuple[int, CodeMention]] = {}
    taken = _Taken(number_spans)

    def add(ref: str, raw: str, span: tuple[int, int]) -> None:
        taken.add(span)
        if ref not in found and len(found) < MAX_CODES:
            found[ref] = (span[0], CodeMention(ref=ref, raw=" ".join(raw.split())))

    for anchor in ("cause", "850"):
        pos = low.find(anchor)
        while pos >= 0:
            lo = max(0, pos - (5 if anchor == "850" else 16))
            for m in _Q850.finditer(low, lo, pos + 40):
                if m.end() <= pos or (m.start() > 0 and is_word_char(low[m.start() - 1])):
                    continue
                n = int(m.group("n"))
                if 1 <= n <= 127 and m.start("n") not in taken:
                    add(f"q850:{n}", text[m.start() : m.end()], m.span())
                break
            pos = low.find(anchor, pos + 1)

    standalone_sip = {str(c) for c in vocab.codes.standalone_sip}
    standalone_twilio = {str(c) for c in vocab.codes.standalone_twilio}
    for count, m in enumerate(_CODE.finditer(low)):
        if count >= MAX_DIGIT_CANDIDATES:
            break
        code, start, end = m.group(0), m.start(), m.end()
        # Not glued to a word, a price, a time or another number ("$603", "6:03", "603-555", "x608").
        if start > 0 and (is_word_char(low[start - 1]) or low[start - 1] in _GLUED_BEFORE):
            continue
        if _GLUED_AFTER.match(low, end) and not (code == "603" and low.startswith("+", end)):
            continue
        if start in taken or vocab.not_code_before.search(low, max(0, start - 16), start):
            continue
        plus = _PLUS.match(low, end) if code == "603" else None
        if plus is None and vocab.not_code_after.match(low, end):
            continue
        before = low[max(0, start - 30) : start]
        if plus is not None:
            add("sip:603+", text[start : plus.end()], (start, plus.end()))
        elif len(code) == 3 and code[0] in "123456" and (code in standalone_sip or vocab.sip_context.search(before)):
            add(f"sip:{code}", code, (start, end))
        elif len(code) == 5 and (code in standalone_twilio or vocab.twilio_context.search(before)):
            add(f"twilio:{code}", code, (start, end))
    return [mention for _, mention in sorted(found.values(), key=lambda f: f[0])]


# --------------------------------------------------------------------------- symptoms and prior contact


def _not_negated(scan: Scan, vocab: Vocabulary) -> Callable[[re.Match[str]], bool]:
    def accept(match: re.Match[str]) -> bool:
        before = scan.low[max(0, match.start() - 40) : match.start()]
        clause = re.split(r"[,.;:!?\n]", before)[-1]
        last_words = " ".join(clause.split()[-3:])
        return not (last_words and vocab.negation.search(" " + last_words + " "))

    return accept


def find_symptoms(scan: Scan, vocab: Vocabulary) -> list[SymptomMention]:
    accept = _not_negated(scan, vocab)
    hits = []
    for symptom in vocab.symptoms:
        match = symptom.phrases.first(scan, accept)
        if match:
            raw = scan.text[match.start() : match.end()]
            hits.append((match.start(), SymptomMention(id=symptom.id, label=symptom.label, raw=raw)))
    return [mention for _, mention in sorted(hits, key=lambda h: h[0])]


def find_prior_contact(scan: Scan, vocab: Vocabulary) -> bool:
    return vocab.prior_contact.first(scan, _not_negated(scan, vocab)) is not None


# --------------------------------------------------------------------------- time hints

# Starts with a digit (the fast path); the kind is told apart after the match.
_DIGIT_TIME = re.compile(
    r"[0-9](?P<iso>[0-9]{3}-[0-9]{1,2}-[0-9]{1,2}\b)?(?P<md>[0-9]?/[0-9]{1,2}(?:/(?:20)?[0-9]{2})?(?![0-9/]))?"
    r"(?P<stamp>[0-9]{0,2} ?(?:mins?|hrs?|wk|[smhdw])(?![a-z0-9]))?"
)
_STAMP_PARTS = re.compile(r"(?P<n>[0-9]{1,3}) ?(?P<u>[a-z]+)")
# What may precede a stamp on its line: a name and a separator ("Mark · ", "Lena Fischer "), no digits.
_STAMP_LEAD = re.compile(r"[^\n0-9]{0,40}(?:[·•|\-–—,]\s*|\s)$")
_AGO = re.compile(
    r"(?:^|\W)(?P<n>[0-9]{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|couple of|few|several)\s*"
    r"(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|[smhdw])\s+ago$"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_WORDS = {m: i + 1 for i, m in enumerate(_MONTHS)} | {
    name: i + 1 for i, name in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"))
} | {"sept": 9}
_AFTER_MONTH = re.compile(r"\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>20[0-9]{2}))?")
_BEFORE_MONTH = re.compile(r"(?:^|\W)(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\s+$")


def _unit_hours(vocab: Vocabulary, unit: str) -> float | None:
    units = vocab.times.units
    return units.get(unit) or (units.get(unit[:-1]) if unit.endswith("s") else None)


def _count(vocab: Vocabulary, word: str) -> float | None:
    word = " ".join(word.split())
    return float(word) if word.isdigit() else vocab.times.number_words.get(word)


def _hours_between(now: datetime, then: datetime) -> float:
    return round(max(0.0, (now - then).total_seconds() / 3600), 2)


def _date_hours(now: datetime, year: int | None, month: int, day: int) -> float | None:
    try:
        then = now.replace(year=year or now.year, month=month, day=day, hour=12, minute=0, second=0, microsecond=0)
        if year is None and then > now + timedelta(days=1):
            then = then.replace(year=then.year - 1)  # "Nov 30" said in January means last year's
    except ValueError:
        return None
    return _hours_between(now, then) if then <= now + timedelta(days=1) else None


class _Hints:
    def __init__(self, text: str, taken: Spans) -> None:
        self.text = text
        self.hits: list[tuple[int, TimeHint]] = []
        self.seen: set[str] = set()
        self.claimed = _Taken(taken)

    def add(self, start: int, end: int, hours: float | None, raw: str | None = None) -> None:
        raw = raw if raw is not None else self.text[start:end]
        key = " ".join(raw.lower().split())
        if key in self.seen or start in self.claimed or len(self.hits) >= MAX_TIME_HINTS:
            return
        self.seen.add(key)
        self.claimed.add((start, end))
        self.hits.append((start, TimeHint(raw=raw, hours_ago=hours)))


def _digit_times(scan: Scan, now: datetime, vocab: Vocabulary, hints: _Hints) -> None:
    low = scan.low
    for count, m in enumerate(_DIGIT_TIME.finditer(low)):
        if count >= MAX_DIGIT_CANDIDATES:
            break
        start = m.start()
        if start > 0 and (low[start - 1].isdigit() or low[start - 1] in "/-."):
            continue
        if m.group("iso"):
            y, mo, d = (int(x) for x in m.group(0).split("-"))
            hints.add(start, m.end(), _date_hours(now, y, mo, d))
        elif m.group("md"):
            parts = [int(x) for x in m.group(0).split("/")]
            year = (parts[2] + 2000 if parts[2] < 100 else parts[2]) if len(parts) == 3 else None
            hours = _date_hours(now, year, parts[0], parts[1])
            if hours is not None:
                hints.add(start, m.end(), hours)
        elif m.group("stamp"):
            _stamp(scan, m, vocab, hints)


def _stamp(scan: Scan, m: re.Match[str], vocab: Vocabulary, hints: _Hints) -> None:
    """Inbox stamps ("16h", "**2d**", "Mark · 6h") count only on their own line, or at the end of a short one."""
    low = scan.low
    line_start = low.rfind("\n", 0, m.start()) + 1
    line_end = low.find("\n", m.end())
    after = low[m.end() : len(low) if line_end < 0 else line_end]
    before = low[line_start : m.start()]
    if after.strip(" \t*_.") or not (not before.strip(" \t*_>#") or _STAMP_LEAD.match(before)):
        return
    parts = _STAMP_PARTS.match(m.group(0))
    unit = _unit_hours(vocab, parts.group("u")) if parts else None
    if parts and unit is not None:
        raw = parts.group("n") + parts.group("u")
        hints.add(m.start(), m.end(), round(int(parts.group("n")) * unit, 2), raw=raw)


def _ago(scan: Scan, vocab: Vocabulary, hints: _Hints) -> None:
    low = scan.low
    pos = low.find("ago")
    while pos >= 0:
        end = pos + 3
        if (pos == 0 or not is_word_char(low[pos - 1])) and (end >= len(low) or not is_word_char(low[end])):
            m = _AGO.search(low[max(0, pos - 30) : end])
            if m:
                start = max(0, pos - 30) + m.start("n")
                n, unit = _count(vocab, m.group("n")), _unit_hours(vocab, m.group("u"))
                hours = round(n * unit, 2) if n is not None and unit is not None else None
                hints.add(start, end, hours)
        pos = low.find("ago", pos + 1)


def _phrases(scan: Scan, now: datetime, vocab: Vocabulary, hints: _Hints) -> None:
    for phrase in vocab.time_phrases.phrases:
        for m in phrase.matches(scan):
            if m.start() in hints.claimed:
                continue
            key = " ".join(m.group(0).split())
            anchored = vocab.anchored_times.get(key)
            if anchored is not None:
                then = (now - timedelta(days=anchored.days_back)).replace(hour=anchored.hour, minute=0, second=0,
                                                                           microsecond=0)
                hints.add(m.start(), m.end(), _hours_between(now, then))
            elif key in vocab.relative_times:
                hints.add(m.start(), m.end(), vocab.relative_times[key].hours)
            break


def _named_days(scan: Scan, now: datetime, hints: _Hints) -> None:
    low = scan.low
    for index, day in enumerate(_WEEKDAYS):
        if day.encode() not in scan.words:
            continue
        for m in re.finditer(day + r"\b", low):
            if m.start() > 0 and is_word_char(low[m.start() - 1]):
                continue
            lead = re.search(r"(?:last|on|since|this past)\s+$", low[max(0, m.start() - 12) : m.start()])
            start = m.start() - (len(lead.group(0)) if lead else 0)
            days_back = (now.weekday() - index) % 7
            if days_back == 0 and lead and lead.group(0).startswith("last"):
                days_back = 7
            then = (now - timedelta(days=days_back)).replace(hour=12, minute=0, second=0, microsecond=0)
            hints.add(start, m.end(), _hours_between(now, then))
    for word, month in _MONTH_WORDS.items():
        if word.encode() not in scan.words:
            continue
        for m in re.finditer(word + r"\b", low):
            if m.start() > 0 and is_word_char(low[m.start() - 1]):
                continue
            after = _AFTER_MONTH.match(low, m.end())
            if after:
                year = int(after.group("y")) if after.group("y") else None
                hints.add(m.start(), after.end(), _date_hours(now, year, month, int(after.group("d"))))
                continue
            before = _BEFORE_MONTH.search(low[max(0, m.start() - 8) : m.start()])
            if before:
                start = max(0, m.start() - 8) + before.start("d")
                hints.add(start, m.end(), _date_hours(now, None, month, int(before.group("d"))))


def find_time_hints(scan: Scan, now: datetime, vocab: Vocabulary, taken: Spans) -> list[TimeHint]:
    hints = _Hints(scan.text, taken)
    _digit_times(scan, now, vocab, hints)
    _ago(scan, vocab, hints)
    _phrases(scan, now, vocab, hints)
    _named_days(scan, now, hints)
    return [hint for _, hint in sorted(hints.hits, key=lambda h: h[0])]


# --------------------------------------------------------------------------- links


def parse_link(url: str, vocab: Vocabulary) -> ConversationLink:
    full = url if "://" in url else "https://" + url
    try:
        parts = urlsplit(full)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ConversationLink(url=url, platform="unknown")
    for spec, hosts, path in vocab.links:
        host_match = next((m for m in (h.match(host) for h in hosts) if m), None)
        if host_match is None:
            continue
        id_match = path.search(parts.path)
        api_host = spec.api_hosts.get(host)
        if api_host is None and spec.api_host:
            api_host = spec.api_host.format(**host_match.groupdict())
        return ConversationLink(url=url, platform=spec.platform, api_host=api_host,
                                conversation_id=id_match.group("id") if id_match else None)
    return ConversationLink(url=url, platform="unknown")


def find_links(text: str, url_spans: Spans, vocab: Vocabulary, *, keep_unknown: bool = False) -> list[ConversationLink]:
    """Support-inbox links in the text; other URLs (a pricing page, a screenshot) only when asked."""
    links: dict[str, ConversationLink] = {}
    for start, end in url_spans:
        url = text[start:end]
        if url in links:
            continue
        link = parse_link(url, vocab)
        if link.platform != "unknown" or keep_unknown:
            links[url] = link
        if len(links) >= MAX_LINKS:
            break
    return list(links.values())
