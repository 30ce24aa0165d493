"""Fast phrase matching for intake: a 1 MB paste must be read in well under a second.

Python's regex engine is fast only when a pattern starts with a literal, so every vocabulary
phrase is its own literal-first regex over the lower-cased text, and a phrase is tried only when
all its words occur in the text at all (one set of words, built once per paste).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_GAP = r"[\W_]*"
# Lower-case ASCII letters and digits stay; everything else, non-ASCII included, splits words. Splitting
# too much only lets more phrases through to the real regex; never splitting too little keeps it exact.
_WORD_BYTES = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))


def _words(text: str) -> list[bytes]:
    return text.encode("utf-8", "replace").translate(_WORD_BYTES).split()


class Scan:
    """One paste, prepared for phrase matching: lower-cased text (same offsets) and its set of words."""

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        if len(low) != len(text):  # "İ" lower-cases to two characters: keep offsets aligned
            low = text.replace("\u0130", "i").lower()
        if len(low) != len(text):  # not in Unicode 15, but cheap to guard
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        self.low = low
        self.words = frozenset(_words(low))

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
        stripped = phrase.strip()
        words = _WORD.findall(stripped.lower())
        if not words:  # punctuation-only, e.g. "<!>"
            return cls(stripped, (), re.compile(re.escape(stripped.lower())), False)
        body = _GAP.join(re.escape(w) for w in words)
        lead = "" if is_word_char(stripped[0]) else re.escape(stripped[0]) + r"\s*"
        tail = r"\b" if is_word_char(stripped[-1]) else r"\s*" + re.escape(stripped[-1])
        pattern = re.compile(lead + body + tail)
        return cls(stripped, tuple(_words(" ".join(words))), pattern, is_word_char(stripped[0]))

    def matches(self, scan: Scan, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        if self.words and not scan.has_words(self.words):
            return
        low = scan.low
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
