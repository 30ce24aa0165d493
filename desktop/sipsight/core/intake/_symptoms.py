"""Symptoms as customers write them (slang, typos, five languages), and prior contact, each traced to the
message it came from: an agent's question or a pasted article only *mentions* a symptom."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from sipsight.core.intake._authors import Authorship
from sipsight.core.intake._scan import Claimed, Phrase, Scan
from sipsight.core.intake._vocab import Symptom, Vocabulary
from sipsight.core.models import SymptomMention

MAX_MATCHES = 50  # places one symptom is read before choosing where it was said
MAX_TYPOS = 20
MAX_TYPO_SCAN = 20_000  # distinct words looked at in all
MAX_TYPO_WORDS = 4000  # distinct words (of a fuzzy word's length and first letter) looked at for a typo
MAX_ANSWERED = 5000
_SENTENCE = re.compile(r"[.!?;\n]")
_CLAUSE = re.compile(r"[,.;:!?\n]")


@dataclass
class Symptoms:
    mentions: list[SymptomMention]
    spans: list[tuple[int, int, str]]  # every phrase read (start, end, the number role it gives a number before it)


def negated(scan: Scan, vocab: Vocabulary, start: int) -> bool:
    """A negation among the three words before `start`, in the same clause ("it does not go to voicemail")."""
    clause = _CLAUSE.split(scan.fold[max(0, start - 40) : start])[-1]
    last_words = " ".join(clause.split()[-3:])
    return bool(last_words) and bool(vocab.negation.search(" " + last_words + " "))


def _one_edit(a: str, b: str) -> bool:
    """True when b is a with one letter inserted, deleted, replaced, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def _typos(scan: Scan, fuzzy: list[str]) -> dict[str, str]:
    """Words of the paste that are one letter off a fuzzy vocabulary word ("voicemal" -> "voicemail")."""
    if not fuzzy:
        return {}
    index: dict[str, set[str]] = {}
    for word in fuzzy:
        for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            index.setdefault(key, set()).add(word)
    firsts = {w[0] for w in fuzzy}
    low, high = min(len(w) for w in fuzzy) - 1, max(len(w) for w in fuzzy) + 1
    known = set(fuzzy)
    found: dict[str, str] = {}
    examined = 0
    for seen, raw in enumerate(scan.words):
        if seen >= MAX_TYPO_SCAN:  # a megabyte of distinct words is no customer's message: typos are best effort
            break
        if not low <= len(raw) <= high:
            continue
        word = raw.decode("latin-1")
        if word[0] not in firsts or word in known or not word.isalpha():
            continue
        examined += 1
        if examined > MAX_TYPO_WORDS or len(found) >= MAX_TYPOS:
            break
        keys = {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}
        for key in keys:
            match = next((w for w in index.get(key, ()) if _one_edit(w, word)), None)
            if match:
                found[word] = match
                break
    return found


def _variants(symptom: Symptom, typos: dict[str, str]) -> list[Phrase]:
    """The symptom's phrases with a fuzzy word written as the customer mistyped it."""
    out: list[Phrase] = []
    for typo, word in typos.items():
        for phrase in symptom.phrases.phrases:
            words = [w.decode() for w in phrase.words]
            for i in range(len(words)):
                for j in range(i + 1, min(len(words), i + 3) + 1):
                    if "".join(words[i:j]) == word:
                        out.append(Phrase.of(" ".join([*words[:i], typo, *words[j:]])))
    return out


class _Reader:
    def __init__(self, scan: Scan, vocab: Vocabulary, authors: Authorship, skip: list[tuple[int, int]]) -> None:
        self.scan, self.vocab, self.authors = scan, vocab, authors
        self.skip = Claimed(skip)
        self.answered = [m.start() for p in vocab.answered.phrases for m in _limited(p.matches(scan), MAX_ANSWERED)]
        self.answered.sort()

    def negated(self, start: int) -> bool:
        return negated(self.scan, self.vocab, start)

    def after_answer(self, start: int, end: int | None = None) -> bool:
        """An "answered" word earlier in the same sentence, not too far back; or, given the phrase's end, just
        after it in the same clause ("it drops immediately when they answer")."""
        i = bisect_left(self.answered, start)
        if end is not None and i < len(self.answered) and 0 <= self.answered[i] - end <= 25 and not _CLAUSE.search(
                self.scan.fold, end, self.answered[i]):
            return True
        i -= 1
        if i < 0 or start - self.answered[i] > 100:
            return False
        return not _SENTENCE.search(self.scan.fold, self.answered[i], start)

    def earlier_in_sentence(self, start: int, pattern: re.Pattern[str]) -> bool:
        """One of the words earlier in the same sentence, itself not negated ("it rings, then voicemail" but not
        "it never rings, straight to voicemail")."""
        fold = self.scan.fold
        lo = max(0, start - 100)
        ends = [m.end() for m in _SENTENCE.finditer(fold, lo, start)]
        return any(not self.negated(m.start()) for m in pattern.finditer(fold, max([lo, *ends]), start))

    def followed(self, end: int, pattern: re.Pattern[str]) -> bool:
        stop = _SENTENCE.search(self.scan.fold, end, end + 80)
        return bool(pattern.search(self.scan.fold, end, stop.start() if stop else min(len(self.scan.fold), end + 80)))

    def candidates(self, symptom: Symptom, typos: dict[str, str]) -> Iterator[tuple[int, int, int]]:
        """(priority, start, end) of every acceptable place the symptom is written, at most MAX_MATCHES."""
        count = 0
        if symptom.after_answer is not None:
            for phrase in symptom.after_answer.phrases:
                for m in phrase.matches(self.scan):
                    if self.after_answer(m.start(), m.end()) and self.ok(m.start(), m.end()):
                        count += 1
                        yield 2, m.start(), m.end()
                    if count >= MAX_MATCHES:
                        return
        if symptom.then is not None and symptom.followed_by is not None:
            for phrase in symptom.then.phrases:
                for m in phrase.matches(self.scan):
                    if self.followed(m.end(), symptom.followed_by) and self.ok(m.start(), m.end()):
                        count += 1
                        yield 1, m.start(), m.end()
                    if count >= MAX_MATCHES:
                        return
        for phrase in [*symptom.phrases.phrases, *_variants(symptom, typos)]:
            for m in phrase.matches(self.scan):
                if symptom.before_answer and self.after_answer(m.start(), m.end()):
                    continue
                if symptom.unless_after is not None and self.earlier_in_sentence(m.start(), symptom.unless_after):
                    continue
                if symptom.unless_followed_by is not None and symptom.unless_followed_by.match(self.scan.fold, m.end()):
                    continue
                if self.ok(m.start(), m.end()):
                    count += 1
                    yield 1, m.start(), m.end()
                if count >= MAX_MATCHES:
                    return

    def ok(self, start: int, end: int) -> bool:
        return not self.skip.overlaps(start, end) and not self.negated(start)


def _limited(matches: Iterator[re.Match[str]], limit: int) -> Iterator[re.Match[str]]:
    for count, m in enumerate(matches):
        if count >= limit:
            return
        yield m


def find_symptoms(scan: Scan, vocab: Vocabulary, authors: Authorship, skip: list[tuple[int, int]]) -> Symptoms:
    """Each symptom once: where the customer said it if they did (else its first mention), in text order.

    Overlapping phrases of two symptoms ("voicemail before it rings" against "before it rings") count once,
    for the more specific reading: an after-answer phrase, else the longer phrase."""
    reader = _Reader(scan, vocab, authors, skip)
    typos = _typos(scan, vocab.fuzzy)
    found = [(priority, start, end, symptom) for symptom in vocab.symptoms
             for priority, start, end in reader.candidates(symptom, typos)]
    found.sort(key=lambda f: (-f[0], -(f[2] - f[1]), f[1]))
    claimed: list[tuple[int, int, str]] = []
    kept: list[tuple[int, int, Symptom]] = []
    for _, start, end, symptom in found:
        if any(a < end and start < b and sid != symptom.id for a, b, sid in claimed):
            continue
        claimed.append((start, end, symptom.id))
        kept.append((start, end, symptom))
    chosen: dict[str, tuple[int, SymptomMention]] = {}
    for start, end, symptom in sorted(kept, key=lambda k: k[0]):
        part = authors.at(start)
        mention = SymptomMention(id=symptom.id, label=symptom.label, raw=scan.text[start:end], message=part.index,
                                 author=part.author, by_customer=part.by_customer)
        held = chosen.get(symptom.id)
        if held is None or (mention.by_customer and not held[1].by_customer):
            chosen[symptom.id] = (start, mention)
    mentions = [m for _, m in sorted(chosen.values(), key=lambda c: c[0])]
    spans: list[tuple[int, int, str]] = sorted((start, end, str(symptom.number_role)) for start, end, symptom in kept)
    return Symptoms(mentions, spans)


def find_prior_contact(scan: Scan, vocab: Vocabulary, authors: Authorship) -> bool:
    """The customer says they reached the other side before (an agent asking "have you spoken to them?" is not)."""
    def accept(m: re.Match[str]) -> bool:
        return not negated(scan, vocab, m.start()) and authors.at(m.start()).by_customer

    return vocab.prior_contact.first(scan, accept) is not None

