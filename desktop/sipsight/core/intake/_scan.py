"""Fast phrase matching for intake: a 1 MB paste must be read in well under a second.

Python's regex engine is fast only when a pattern starts with a literal, so every vocabulary
phrase is its own literal-first regex over the folded text (lower case, accents off, same
offsets), and a phrase is tried only when all its words occur in the text at all (one set of
words, built once per paste).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sipsight.core.intake._text import lower_same_length

_WORD = re.compile(r"\w+")
_GAP = r"[\W_]*"
# Lower-case ASCII letters and digits stay; everything else splits words. Splitting too much only lets more
# phrases through to the real regex; never splitting too little keeps it exact.
_WORD_BYTES = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))


def _fold_table() -> bytes:
    # Latin-1 letters with an accent lose it ("é" -> "e", "ç" -> "c", "ñ" -> "n"), so "buzon" finds "buzón"
    # and "ca sonne" finds "ça sonne". A byte table keeps the folding at C speed (str.translate with a dict
    # takes ~80 ms a megabyte).
    table = bytearray(range(256))
    for code in range(0xC0, 0x100):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base.isalpha():
            table[code] = ord(base.lower())
    return bytes(table)


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case, Latin-1 accents off, same length: what every phrase is matched against.

    Characters beyond Latin-1 become "?" (a separator): the languages intake reads (English, Spanish, French,
    German, Portuguese) write with Latin-1 letters, and "’", "–" or an emoji separate words either way."""
    low = lower_same_length(text)
    if low.isascii():
        return low
    return low.encode("latin-1", "replace").translate(_FOLD).decode("latin-1")


def _words(text: str) -> list[bytes]:
    return text.encode("latin-1", "replace").translate(_WORD_BYTES).split()


_DIGIT_RUN = re.compile(r"[0-9]+")
MAX_DIGIT_RUNS = 10_000  # runs of digits read in all (a column of numbers is no conversation)


class Scan:
    """One paste, prepared for phrase matching: lower-cased and folded text (same offsets) and its set of words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = lower_same_length(text)
        self.fold = self.low if self.low.isascii() else fold(text)
        self.words = frozenset(_words(self.fold))
        self._digit_runs: list[tuple[int, int]] | None = None

    @property
    def digit_runs(self) -> list[tuple[int, int]]:
        """Where the runs of ASCII digits are (the first MAX_DIGIT_RUNS), found once for codes, dates and last
        digits: a scan for digits costs ~8 ms a megabyte even where there are none."""
        if self._digit_runs is None:
            runs: list[tuple[int, int]] = []
            for m in _DIGIT_RUN.finditer(self.low):
                runs.append(m.span())
                if len(runs) >= MAX_DIGIT_RUNS:
                    break
            self._digit_runs = runs
        return self._digit_runs

    def has_words(self, words: tuple[bytes, ...]) -> bool:
        """True when the words occur, each alone or glued to its neighbours ("voice mail" written "voicemail")."""
        n = len(words)
        reachable = [True] + [False] * n  # reachable[i]: words[:i] can be read off tokens of the text
        for i in range(n):
            if reachable[i]:
                for j in range(i + 1, n + 1):
                    if b"".join(words[i:j]) in self.words:
                        reachable[j] = True
        return reachable[n]


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class Phrase:
    text: str
    words: tuple[bytes, ...]
    pattern: re.Pattern[str]
    word_start: bool  # needs a word boundary before it (checked in Python: a leading \b costs the fast path)

    @classmethod
    def of(cls, phrase: str) -> Phrase:
        stripped = fold(phrase.strip())
        words = _WORD.findall(stripped)
        if not words:  # punctuation-only, e.g. "<!>"
            return cls(phrase.strip(), (), re.compile(re.escape(stripped)), False)
        body = _GAP.join(re.escape(w) for w in words)
        lead = "" if is_word_char(stripped[0]) else re.escape(stripped[0]) + r"\s*"
        tail = r"\b" if is_word_char(stripped[-1]) else r"\s*" + re.escape(stripped[-1])
        pattern = re.compile(lead + body + tail)
        return cls(phrase.strip(), tuple(_words(" ".join(words))), pattern, is_word_char(stripped[0]))

    def matches(self, scan: Scan, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        if self.words and not scan.has_words(self.words):
            return
        low = scan.fold
        for m in self.pattern.finditer(low, start, len(low) if end is None else end):
            if self.word_start and m.start() > 0 and is_word_char(low[m.start() - 1]):
                continue
            yield m


class PhraseSet:
    def __init__(self, phrases: list[str]) -> None:
        # Longest first: "yesterday morning" claims its text before "yesterday" does.
        self.phrases = [Phrase.of(p) for p in sorted(set(phrases), key=len, reverse=True)]

    def first(self, scan: Scan, accept: Callable[[re.Match[str]], bool] | None = None) -> re.Match[str] | None:
        """The earliest match of any phrase that `accept` (if given) lets through."""
        best: re.Match[str] | None = None
        for phrase in self.phrases:
            limit = best.start() if best else None
            for m in phrase.matches(scan, 0, None if limit is None else limit + len(phrase.text) + 8):
                if best is not None and m.start() >= best.start():
                    break
                if accept is None or accept(m):
                    best = m
                    break
        return best


class Claimed:
    """Text already claimed (numbers, links, codes): sorted spans, so a look-up is a bisection."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self.spans = sorted(spans or [])

    def add(self, span: tuple[int, int]) -> None:
        insort(self.spans, span)

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.spans, (pos, float("inf")))
        # Spans may nest (a link holding digits), so look back a little, not just at the nearest start.
        return any(a <= pos < b for a, b in self.spans[max(0, i - 4) : i])

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.spans, (end, float("inf")))
        return any(a < end and start < b for a, b in self.spans[max(0, i - 4) : i])
