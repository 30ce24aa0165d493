"""Phone numbers in pasted text: where each one is written, found with phonenumbers.

Besides numbers written out, a tier-2 agent also reads a number an e-mail program broke across two lines,
a number inside a link's query (percent-encoded), and a national number whose country the text names in
words ("our UK team: 020 7946 0958"). Roles are decided elsewhere (_roles.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import parse_qsl, urlsplit

import phonenumbers

from sipsight.core.intake._scan import Scan
from sipsight.core.intake._vocab import Vocabulary

# Running PhoneNumberMatcher over megabytes is slow, so it only sees small windows around digit
# clusters that could be a number at all (7+ digits with the usual separators).
# ASCII digits only: a pattern starting with a plain character class keeps the regex engine's fast path.
# A number never spans lines nor a sentence end (". "), so neither joins two numbers into one cluster.
# A cluster starts and ends with a digit (a leading "+" or "(" is taken in afterwards): a pattern led by a
# bracket would retry 28 characters at every bracket of a text full of them (1 MB of "(" took 1.7 s).
_CLUSTER = re.compile(r"[0-9][0-9 \t()\-\u2010-\u2015.]{5,28}[0-9]")
_SENTENCE_GAP = re.compile(r"\.[ \t]")
_PIECE = re.compile(r"[0-9].*[0-9]", re.DOTALL)
_DIGITS = re.compile(r"\d")
_TOKEN_TAIL = re.compile(r"\S{0,40}")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
# A line break inside a number (e-mail wrapping): digits or a separator, the break (maybe "> " markers on the
# next line), then a digit or a bracket.
log = logging.getLogger(__name__)
_BREAK = re.compile(r"[0-9\-.)][ \t]*\n(?:[ \t]*>)*[ \t]*(?=[0-9(])")
_LEFT = re.compile(r"[0-9+()\-. \t]{1,24}$")
_RIGHT = re.compile(r"[0-9()\-. \t]{1,24}")
MAX_CLUSTERS = 150  # a log dump with thousands of digit runs: check the first ones only (~1 ms each)
MAX_BREAKS = 100
MAX_LINK_PARAMETERS = 50
_LINK_CHARS = 4096
MAX_NUMBERS = 50
_WINDOW_BEFORE = 8
_WINDOW_AFTER = 16  # room for " ext. 1234"
Spans = list[tuple[int, int]] | tuple[tuple[int, int], ...]


@dataclass
class Mention:
    start: int
    end: int
    raw: str
    e164: str
    extension: str | None
    region: str | None
    how: str = "text"  # text | split (across a line break) | link (a URL parameter) | country (named in words)
    parameter: str | None = None  # the URL parameter's name, for a number read from a link


@dataclass
class Mentions:
    mentions: list[Mention]
    capped: bool = False  # more digit runs than MAX_CLUSTERS: the rest were not checked
    failed: list[str] = field(default_factory=list)  # the kinds of numbers that could not be read


def _mask(text: str, spans: Spans) -> str:
    # Conversation ids in links (".../conversation/215469108439785") are not phone numbers.
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _is_id(vocab: Vocabulary, text: str, start: int, raw: str) -> bool:
    # Ids are bare digit runs ("ticket #2154691084"); a number written the way phones are written
    # ("(201) 555-0100", "+1 ...") is a phone number whatever word stands before it.
    return raw.strip().isdigit() and bool(vocab.not_a_number.search(text[max(0, start - 24) : start]))


_BRACKETS = re.compile(r"[()\[\]{}]")
_STRAY_PLUS = re.compile(r"\+(?!\(?\d)")  # a country-code prefix is "+1 ...", "+(44) ..."; anything else is stray


def _matches(window: str, region: str) -> list[tuple[int, int, phonenumbers.PhoneNumberMatch]]:
    matcher = phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID)
    return [(m.start, m.end, m) for m in matcher]


def _mention(start: int, end: int, match: phonenumbers.PhoneNumberMatch, how: str = "text",
             raw: str | None = None) -> Mention:
    number = match.number
    return Mention(start, end, raw if raw is not None else match.raw_string,
                   phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                   number.extension or None, phonenumbers.region_code_for_number(number), how)


def _pieces(scan: str) -> Iterator[tuple[int, int]]:
    """Digit clusters that could be a number: a sentence end (". ") splits one, and a "+" or "(" just before
    the first digit belongs to it."""
    for cluster in _CLUSTER.finditer(scan):
        start, end = cluster.span()
        cuts = [start, *(g.end() for g in _SENTENCE_GAP.finditer(scan, start, end)), end]
        for a, b in pairwise(cuts):
            piece = _PIECE.search(scan, a, b)
            if piece is None or piece.end() - piece.start() < 7:
                continue
            first = piece.start()
            while first > 0 and piece.start() - first < 2 and scan[first - 1] in "+(":
                first -= 1
            yield first, piece.end()


def _worth_matching(cluster: str, nanp: bool) -> bool:
    """Cheap pre-check before the (costly) matcher: enough digits, and for North America the right count."""
    digits = len(_DIGITS.findall(cluster))
    if digits < 7:
        return False
    if not nanp or cluster.lstrip("(").startswith("+"):
        return True
    # Dialled from North America: 10 digits, 11 with the leading 1, more when two numbers sit side by side
    # or an 011 international prefix leads; 7 to 9 digits are ids, prices or local numbers we cannot place
    # (a national number of a country the text names starts with its trunk 0 and is tried later).
    return digits >= 10 or (digits >= 9 and cluster.lstrip("( ").startswith("0"))


class _Finder:
    def __init__(self, text: str, region: str, vocab: Vocabulary, url_spans: list[tuple[int, int]], scan: Scan):
        self.text = text
        self.region = region
        self.vocab = vocab
        self.url_spans = url_spans
        self.scan_text = _STRAY_PLUS.sub(" ", _mask(text, url_spans))
        self.found: dict[tuple[int, int], Mention] = {}
        self.checked: dict[tuple[str, str], list[tuple[int, int, phonenumbers.PhoneNumberMatch]]] = {}
        self.distinct: set[str] = set()
        self.unread: list[tuple[int, int, int, int]] = []  # clusters no valid number came out of, with their window
        self.scan = scan
        self._countries: list[tuple[str, list[int]]] | None = None

    def matches(self, window: str, region: str) -> list[tuple[int, int, phonenumbers.PhoneNumberMatch]]:
        key = (window, region)
        if key not in self.checked:  # the same number quoted again costs nothing
            self.checked[key] = _matches(window, region)
        return self.checked[key]

    def add(self, mention: Mention) -> None:
        span = (mention.start, mention.end)
        if span not in self.found:
            self.found[span] = mention
            self.distinct.add(mention.e164)

    def clusters(self) -> bool:
        scan = self.scan_text
        nanp = phonenumbers.country_code_for_region(self.region) == 1
        count = 0
        for first, last in _pieces(scan):
            if not _worth_matching(scan[first:last], nanp):
                continue
            if len(self.distinct) > MAX_NUMBERS:
                break
            count += 1
            if count > MAX_CLUSTERS:
                return True
            lo = max(0, first - _WINDOW_BEFORE)
            # Never cut a token in half: phonenumbers tells "2026-11-23 10:15:00" from a number by what follows.
            tail = _TOKEN_TAIL.match(scan, last + _WINDOW_AFTER)
            hi = tail.end() if tail else last + _WINDOW_AFTER
            if not self._cluster(first, last, lo, hi, self.region):
                self.unread.append((first, last, lo, hi))
        return False

    def _cluster(self, first: int, last: int, lo: int, hi: int, region: str, how: str = "text") -> bool:
        """The numbers the matcher reads in the window [lo, hi) around the digit cluster [first, last)."""
        scan = self.scan_text
        window = scan[lo:hi]
        lead = scan[lo:first]
        # the matcher may take in an opening bracket and the spaces before the digits ("(  +1 201 ..."), which
        # the cluster (it starts at the "+") leaves out: a match may start that far back, no further
        reach = max(2, len(lead) - len(lead.rstrip(" \t([{")))
        found = self._take(self.matches(window, region), lo, first, last, reach, how)
        if not found and _BRACKETS.search(lead):
            # Stray brackets just before the digits make the matcher reject the whole candidate ("[) 201 555
            # 0100") or take them in (":( ) (201) 555-0100" matches from the first "("); what follows the
            # last bracket still is a number.
            lo += max(lead.rfind(c) for c in "()[]{}") + 1
            found = self._take(self.matches(scan[lo:hi], region), lo, first, last, reach, how)
        return found

    def _take(self, matches: list[tuple[int, int, phonenumbers.PhoneNumberMatch]], lo: int, first: int, last: int,
              reach: int, how: str) -> bool:
        scan = self.scan_text
        found = False
        for start, end, match in matches:
            span = (lo + start, lo + end)
            # A match starting after this cluster is found (with its own context) by the next cluster.
            if not first - reach <= span[0] < last:
                continue
            if span in self.found or _is_id(self.vocab, scan, span[0], match.raw_string) or _ISO_DATE.match(
                    match.raw_string):
                continue
            self.add(_mention(span[0], span[1], match, how))
            found = True
        return found

    # ------------------------------------------------------------------- national numbers of a named country

    def countries(self) -> list[tuple[str, list[int]]]:
        """Regions the text names in words, with where (computed once, only when a number needs it)."""
        if self._countries is None:
            named = []
            for region, words in self.vocab.countries.words:
                if region == self.region:
                    continue
                positions = [m.start() for phrase in words.phrases for m in phrase.matches(self.scan)][:50]
                if positions:
                    named.append((region, sorted(positions)))
            self._countries = named
        return self._countries

    def by_nearest_country(self, pos: int) -> list[str]:
        return [region for region, _ in sorted(self.countries(), key=lambda rp: min(abs(p - pos) for p in rp[1]))]

    def national(self) -> None:
        for start, end, lo, hi in self.unread:
            if len(self.distinct) > MAX_NUMBERS or not self.countries():
                return
            if not self.scan_text[start:end].lstrip("( ").startswith("0"):
                continue  # national numbers abroad start with their trunk prefix 0
            for region in self.by_nearest_country(start):
                if self._cluster(start, end, lo, hi, region, how="country"):
                    break

    # ------------------------------------------------------------------- numbers broken across lines

    def split(self) -> None:
        text = self.scan_text
        for count, brk in enumerate(_BREAK.finditer(text)):
            if count >= MAX_BREAKS or len(self.distinct) > MAX_NUMBERS:
                return
            left = _LEFT.search(text, max(0, brk.start() - 24), brk.start() + 1)
            right = _RIGHT.match(text, brk.end())
            if left is None or right is None or sum(c.isdigit() for c in left.group() + right.group()) < 7:
                continue
            head = left.group().rstrip(" \t")
            glue = "" if head.endswith(("-", ".", "(")) else " "
            for region in [self.region, *self.by_nearest_country(brk.start())]:
                if self._joined(head, glue, left.start(), right, region):
                    break

    def _joined(self, head: str, glue: str, head_at: int, right: re.Match[str], region: str) -> bool:
        joined = head + glue + right.group()
        cut = len(head) + len(glue)
        found = False
        for start, end, match in self.matches(joined, region):
            if start >= cut or end <= cut:
                continue  # wholly on one line: found as it is
            begin, finish = head_at + start, right.start() + (end - cut)
            if any(a < finish and begin < b for a, b in self.found) or _is_id(
                    self.vocab, self.scan_text, begin, match.raw_string):
                continue
            self.add(_mention(begin, finish, match, "split", raw=joined[start:end]))
            found = True
        return found

    # ------------------------------------------------------------------- numbers inside links

    def links(self) -> None:
        params = self.vocab.link_parameters
        for start, end in self.url_spans:
            # a link's first few kilobytes hold its parameters; a megabyte-long "link" is no dialer report
            url = self.text[start : min(end, start + _LINK_CHARS)]
            if "=" not in url:
                continue
            try:
                parts = urlsplit(url if "://" in url else "https://" + url)
                pairs = parse_qsl(parts.query, keep_blank_values=False)[:MAX_LINK_PARAMETERS]
                if "=" in parts.fragment:
                    pairs += parse_qsl(parts.fragment)[:MAX_LINK_PARAMETERS]
            except ValueError:
                continue
            for key, value in pairs:
                name = key.lower()
                value = value.strip()
                if value.lower().startswith("tel:"):
                    value = value[4:]
                known = name in params["destination"] or name in params["caller_id"]
                if not (known or value.startswith("+")) or len(_DIGITS.findall(value)) < 7 or len(value) > 40:
                    continue
                mention = self._link_value(value, start)
                if mention is None:
                    continue
                at = url.find(key + "=")
                mention.start, mention.end = (start + at, start + at + len(key) + 1 + len(value)) if at >= 0 else (
                    start, end)
                mention.end = min(mention.end, end)
                mention.parameter = name if known else None
                self.add(mention)

    def _link_value(self, value: str, pos: int) -> Mention | None:
        for region in [self.region, *self.by_nearest_country(pos)]:
            try:
                number = phonenumbers.parse(value, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return Mention(pos, pos, value, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                               number.extension or None, phonenumbers.region_code_for_number(number),
                               "link" if region == self.region else "country")
        return None


def find_mentions(text: str, region: str, vocab: Vocabulary, url_spans: Spans, scan: Scan) -> Mentions:
    """Every place a phone number is written, in text order."""
    # A "+" set apart from the digits ("+ (201) 555-0100", "+) 202 ...") is no country-code prefix: read as one,
    # it would turn a US number into +20 (Egypt).
    finder = _Finder(text, region, vocab, list(url_spans), scan)
    capped = finder.clusters()
    failed = []
    # Each kind of number is read on its own: one that fails never loses the numbers written out plainly.
    for what, step in (("national numbers", finder.national), ("numbers split across lines", finder.split),
                       ("numbers in links", finder.links)):
        try:
            step()
        except Exception:
            log.exception("intake: %s", what)
            failed.append(what)
    return Mentions(sorted(finder.found.values(), key=lambda m: m.start), capped, failed)


def lenient_single(text: str, region: str) -> Mention | None:
    """A pasted lone number that is possible but not valid (an unusual area code): still worth a lookup."""
    raw = text.strip()
    body = raw[4:] if raw.lower().startswith("tel:") else raw
    try:
        number = phonenumbers.parse(body.split(";", 1)[0], region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    start = text.find(raw)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Mention(start, start + len(raw), raw, e164, number.extension or None,
                   phonenumbers.region_code_for_number(number))
