"""Time hints: when the trouble started or the calls were made ("16h", "3 days ago", "yesterday", "Nov 20")."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sipsight.core.intake._scan import Claimed, Scan, is_word_char
from sipsight.core.intake._vocab import Vocabulary
from sipsight.core.models import TimeHint

MAX_TIME_HINTS = 20
# Digit runs looked at as possible dates; a log dump of numbers would otherwise cost seconds.
MAX_DIGIT_CANDIDATES = 2000
MAX_AGO = 2000
MAX_NAMED = 200  # mentions of one weekday or month name looked at
Spans = list[tuple[int, int]]



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
        self.claimed = Claimed(taken)

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
    for count, (run, _) in enumerate(scan.digit_runs):
        if count >= MAX_DIGIT_CANDIDATES:
            break
        start = run
        if start > 0 and low[start - 1] in "/-.":
            continue
        m = _DIGIT_TIME.match(low, start)
        if m is None:
            continue
        if m.group("iso"):
            y, mo, d = (int(x) for x in m.group(0).split("-"))
            hints.add(start, m.end(), _date_hours(now, y, mo, d))
        elif m.group("md"):
            # "1/2 hr" is read as a date "1/2" only: the stamp after it is no part of the date
            parts = [int(x) for x in low[start : m.end("md")].split("/")]
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
    count = 0
    while pos >= 0 and count < MAX_AGO:
        count += 1
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
        for count, m in enumerate(re.finditer(day + r"\b", low)):
            if count >= MAX_NAMED or len(hints.hits) >= MAX_TIME_HINTS:
                break
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
        for count, m in enumerate(re.finditer(word + r"\b", low)):
            if count >= MAX_NAMED or len(hints.hits) >= MAX_TIME_HINTS:
                break
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


