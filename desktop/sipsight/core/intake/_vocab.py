"""The intake vocabulary (resources/intake/*.yaml): validated once, compiled to regexes once.

Phrases are data so a team lead can add a customer's wording (in any of the five languages) without
touching code; every phrase is compiled the same way (`phrase_regex`, on folded text: lower case, accents
off) so the matching rules in docs/intake.md hold everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from pydantic import BaseModel

from sipsight.core.errors import InputError
from sipsight.core.intake._scan import PhraseSet, fold
from sipsight.core.intake._vocab_files import (
    LANGUAGES,
    ROLE_CUES,
    AuthorsFile,
    CodesFile,
    CountriesFile,
    CuesFile,
    LinkPlatform,
    LinksFile,
    SymptomDef,
    SymptomsFile,
    TimesFile,
)
from sipsight.core.yaml_models import load_model

__all__ = ["AuthorWords", "LinkPlatform", "SymptomsFile", "Vocabulary", "phrase_regex", "vocabulary"]

M = TypeVar("M", bound=BaseModel)

_WORD = re.compile(r"\w+")
# Between the words of a phrase: any run of spaces or punctuation, or nothing ("voice mail" ~ "voicemail").
_GAP = r"[\W_]*"


def phrase_regex(phrase: str) -> str:
    """Regex source for one vocabulary phrase, matched on folded text: punctuation and spacing between words
    ignored, whole words."""
    phrase = fold(phrase.strip())
    words = _WORD.findall(phrase)
    if not words:  # punctuation-only phrases such as "<!>" match literally
        return re.escape(phrase)
    body = _GAP.join(re.escape(w) for w in words)
    lead = r"\b" if re.match(r"\w", phrase) else re.escape(phrase[0])
    tail = r"\b" if re.search(r"\w$", phrase) else re.escape(phrase[-1])
    return f"{lead}{body}{tail}"


def _alternation(phrases: list[str]) -> str:
    unique = sorted({fold(p.strip()) for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(phrase_regex(p) for p in unique) or r"(?!x)x"


# --------------------------------------------------------------------------- compiled pieces


class Symptom:
    def __init__(self, spec: SymptomDef) -> None:
        self.id = spec.id
        self.label = spec.label
        self.phrases = PhraseSet(spec.all_phrases())
        self.then = PhraseSet(spec.then.phrases) if spec.then else None
        self.followed_by = re.compile(_alternation(spec.then.followed_by)) if spec.then else None
        self.after_answer = PhraseSet(spec.after_answer) if spec.after_answer else None
        self.before_answer = spec.before_answer
        self.unless_after = re.compile(_alternation(spec.unless_after)) if spec.unless_after else None
        self.unless_followed_by = (re.compile(rf"[\s,]*(?:{_alternation(spec.unless_followed_by)})")
                                   if spec.unless_followed_by else None)
        self.number_role = spec.number_role
        self.texts = [p.text for p in self.phrases.phrases]


@dataclass(frozen=True)
class Cue:
    role: str  # one of ROLE_CUES
    phrase: str
    weight: float


_TOKEN = re.compile(r"[^\W_]+")
_MAX_CUE_WORDS = 8


def _glued(words: list[str]) -> list[tuple[str, ...]]:
    """Every way of writing the words with some of them glued ("call back number", "callback number" ...)."""
    if len(words) > 6:
        return [tuple(words), ("".join(words),)]
    variants: list[tuple[str, ...]] = []
    for mask in range(1 << max(0, len(words) - 1)):
        out, current = [], words[0]
        for k, word in enumerate(words[1:]):
            if mask >> k & 1:
                current += word
            else:
                out.append(current)
                current = word
        variants.append((*out, current))
    return variants


class CueSet:
    """Every role's cues for one side of a number, looked up by their words: at a position the longest cue
    wins, so "call me back at" is a callback, never the "call" of a destination.

    Matching is the phrase rule of docs/intake.md (whole words, any spacing or punctuation or none between
    them) done with a table of word sequences instead of one regex alternation, which would try every cue
    at every character (2 ms a window; the table takes microseconds)."""

    def __init__(self, cues: list[Cue]) -> None:
        self.table: dict[tuple[str, ...], list[tuple[Cue, str, str]]] = {}
        for cue in cues:
            text = fold(cue.phrase.strip())
            words = _TOKEN.findall(text)
            if not words:
                continue
            lead = "" if text[0].isalnum() else text[0]  # "(seller)", "- seller": the symbol is part of the cue
            tail = "" if text[-1].isalnum() else text[-1]
            for key in _glued(words[:_MAX_CUE_WORDS]):
                entries = self.table.setdefault(key, [])
                same = next((k for k, (c, le, ta) in enumerate(entries) if (le, ta) == (lead, tail)), None)
                if same is None:
                    entries.append((cue, lead, tail))
                elif cue.weight > entries[same][0].weight:
                    entries[same] = (cue, lead, tail)
        for entries in self.table.values():
            entries.sort(key=lambda e: -(len(e[1]) + len(e[2])))  # "(seller)" before "seller"
        self.max_words = max((len(k) for k in self.table), default=1)
        self.firsts = frozenset(k[0] for k in self.table)

    def find(self, folded: str) -> list[tuple[Cue, int, int]]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
        found: list[tuple[Cue, int, int]] = []
        i = 0
        while i < len(tokens):
            hit = None
            if tokens[i][2] not in self.firsts:  # no cue starts with this word
                i += 1
                continue
            for j in range(min(len(tokens), i + self.max_words), i, -1):
                entries = self.table.get(tuple(t[2] for t in tokens[i:j]))
                if entries:
                    hit = self._fits(folded, entries, tokens[i][0], tokens[j - 1][1])
                    if hit is not None:
                        found.append(hit)
                        i = j
                        break
            if hit is None:
                i += 1
        return found

    @staticmethod
    def _fits(folded: str, entries: list[tuple[Cue, str, str]], start: int, end: int) -> tuple[Cue, int, int] | None:
        for cue, lead, tail in entries:
            s, e = start, end
            if lead:
                before = folded[:s].rstrip()
                if not before.endswith(lead):
                    continue
                s = len(before) - 1
            if tail:
                after = folded[e:]
                stripped = after.lstrip()
                if not stripped.startswith(tail):
                    continue
                e += len(after) - len(stripped) + 1
            return cue, s, e
        return None


class AuthorWords:
    """authors.yaml, compiled: each list becomes one regex over folded lines."""

    def __init__(self, spec: AuthorsFile) -> None:
        def alt(items: list[str]) -> str:
            return _alternation(items)

        self.bot_name = re.compile(rf"(?:{alt(spec.bots)})(?:\W|$)")
        self.agent_word = re.compile(alt(spec.agent_words))
        self.customer_label = re.compile(alt(spec.customer_labels))
        self.agent_label = re.compile(alt(spec.agent_labels))
        self.label_line = re.compile(
            rf"(?:(?P<customer>{alt(spec.customer_labels)})|(?P<agent>{alt(spec.agent_labels)}))[ \t]*:?[ \t]+(?=\S)")
        self.header_verb = re.compile(rf"\s(?:{alt(spec.header_verbs)})")
        self.quote_intro = re.compile(rf"(?:{alt(spec.quote_intro_verbs)})[^\n]{{0,90}}:\s*$")
        self.intro_start = re.compile(rf"(?:{alt(spec.quote_intro_starts)})")
        self.original = re.compile(rf"(?:-+\s*)?(?:{alt(spec.original_message)})(?:\s*-+)?\s*:?")
        self.forwarded = re.compile(rf"(?:-+\s*)?(?:{alt(spec.forwarded_message)})(?:\s*-+)?\s*:?")
        self.header_from = re.compile(rf"(?:{alt(spec.header_from)})\s*:\s*")
        self.header_field = re.compile(rf"({alt(spec.header_fields)})\s*:")
        self.auto_reply = re.compile(alt(spec.auto_reply))
        self.acknowledgement = re.compile(alt(spec.acknowledgements))
        self.note_line = re.compile(alt(spec.notes))
        self.note_label = re.compile(rf"(?:{alt(spec.notes)})\s*:")
        self.note_verb = re.compile(alt(spec.note_verbs))
        self.sign_off = re.compile(rf"(?:{alt(spec.sign_offs)})(?:[\s,!.]+[^\W\d_]+(?:\s[^\W\d_]+)?)?")
        self.device_footer = re.compile(alt(spec.device_footers))
        self.article_marker = re.compile(alt(spec.article_markers))
        self.date_words = frozenset(fold(w) for w in spec.date_words)
        self.label_word = re.compile(alt(spec.label_words))
        self.not_a_name = re.compile(alt(spec.greetings + spec.sign_offs + spec.notes + spec.customer_labels
                                         + spec.agent_labels + spec.header_from + spec.header_fields))


class Countries:
    """countries.yaml: which regions the text names, and where."""

    def __init__(self, spec: CountriesFile) -> None:
        self.words = [(region, PhraseSet(words)) for region, words in spec.countries.items()]


# --------------------------------------------------------------------------- the vocabulary


class Vocabulary:
    """Everything intake matches against, compiled once per process."""

    def __init__(self, symptoms: SymptomsFile, cues: CuesFile, times: TimesFile, links: LinksFile,
                 codes: CodesFile, authors: AuthorsFile, countries: CountriesFile) -> None:
        self.symptoms = [Symptom(s) for s in symptoms.symptoms]
        self.answered = PhraseSet([p for lang in LANGUAGES for p in symptoms.answered.get(lang, [])])
        self.fuzzy = [fold(w) for w in symptoms.fuzzy]
        langs = list(cues.languages.values())
        self.cues = {
            side: CueSet([Cue(role, c.phrase, c.weight) for lang in langs for role in ROLE_CUES
                          for c in getattr(getattr(lang, role), side)])
            for side in ("before", "after")
        }
        self.questions = {
            role: re.compile(_alternation([q for lang in langs for q in getattr(lang.questions, role)]))
            for role in ("destination", "caller_id")
        }
        self.answers = {
            kind: re.compile(rf"\W*(?:{_alternation([w for lang in langs for w in getattr(lang, 'answers_' + kind)])})")
            for kind in ("no", "yes")
        }
        self.anaphora = re.compile(rf"\W*(?:{_alternation([w for lang in langs for w in lang.anaphora])})")
        self.prior_contact = PhraseSet([p for lang in langs for p in lang.prior_contact])
        negations = [fold(n) for lang in langs for n in lang.negations]
        words = sorted({n for n in negations if not n.startswith("n'") and n != "n't"}, key=len, reverse=True)
        # "n't" is glued to its verb ("haven't", "doesn’t": the apostrophe folds to "?"); French "n'" to the next
        # word ("n'entend"): neither has a word boundary of its own.
        self.negation = re.compile(
            rf"(?:^|\W)(?:{'|'.join(re.escape(w) for w in words)})(?:\W|$)|n['’?]t\b|(?:^|\W)n['’?](?=\w)")
        # Words may stand a space away on the same line ("ticket 123", "order no. 123"); a symbol must touch
        # the digits ("#2154691084"), since "# " starts a Markdown heading.
        id_words = "|".join(_edge_phrase(p) for p in cues.not_a_number_before if re.search(r"\w", p))
        id_symbols = "|".join(re.escape(p) for p in cues.not_a_number_before if not re.search(r"\w", p))
        self.not_a_number = re.compile(
            rf"(?:(?:{id_words})[ \t]*(?:#|no\.?|number|:)?[ \t]*|(?:{id_symbols}))\Z", re.IGNORECASE
        )
        self.link_parameters = {
            "destination": {p.lower() for p in cues.link_parameters.destination},
            "caller_id": {p.lower() for p in cues.link_parameters.caller_id},
        }
        self.times = times
        self.relative_times = {t.phrase.lower(): t for t in times.relative}
        self.anchored_times = {t.phrase.lower(): t for t in times.anchored}
        self.time_phrases = PhraseSet([t.phrase for t in times.relative] + [t.phrase for t in times.anchored])
        self.links = [
            (p, [re.compile(rf"^(?:{h})$", re.IGNORECASE) for h in p.hosts], re.compile(p.path, re.IGNORECASE))
            for p in links.platforms
        ]
        self.codes = codes
        # every word of the context phrases: a window without any of them cannot hold a context
        self.code_context_words = frozenset(w for p in codes.sip_context + codes.twilio_context
                                            for w in re.findall(r"[a-z0-9]+", p.lower()))
        self.sip_context = _ends_with_context(codes.sip_context)
        self.twilio_context = _ends_with_context(codes.twilio_context)
        self.not_code_before = re.compile(
            r"(?:" + "|".join(_edge_phrase(p) for p in codes.not_code_before) + r")\s*$", re.IGNORECASE
        )
        # Used with .match(text, pos): no "^", which would only match at the very start of the text.
        self.not_code_after = re.compile(
            r"\s*(?:" + "|".join(_edge_phrase(p) for p in codes.not_code_after) + r")", re.IGNORECASE
        )
        self.reason_phrases = {
            str(code): re.compile(r"[ \t]*[-:(\"']?[ \t]*(?:" + _alternation(phrases) + r")", re.IGNORECASE)
            for code, phrases in codes.reason_phrases.items()
        }
        self.authors = AuthorWords(authors)
        self.countries = Countries(countries)


def _edge_phrase(phrase: str) -> str:
    # Symbols ("#", "$") stand alone; words need a word boundary so "paid" does not end in "id".
    return phrase_regex(phrase) if re.search(r"\w", phrase) else re.escape(phrase)


def _ends_with_context(words: list[str]) -> re.Pattern[str]:
    # One of the words, then at most two more words ("got a", "error code was"), then the number.
    joined = "|".join(_edge_phrase(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:{joined})(?:[\s:#=\-]+(?:an?|the|was|is|of|code|sip|response|error)\b)?[\s:#=\-]*$",
                      re.IGNORECASE)


def _validated(model: type[M], name: str) -> M:
    hint = "Fix the file (see docs/intake.md for its format)."
    try:
        return load_model(model, "intake", name, InputError, hint)
    except InputError:
        raise
    except Exception as exc:  # a YAML syntax error (an unquoted "#" or ": " in a phrase) names the file too
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise InputError(f"resources/intake/{name} is not valid YAML{where}: {problem}", hint) from None


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, validated and compiled (cached: packaged data never changes at run time)."""
    return Vocabulary(
        _validated(SymptomsFile, "symptoms.yaml"),
        _validated(CuesFile, "cues.yaml"),
        _validated(TimesFile, "times.yaml"),
        _validated(LinksFile, "links.yaml"),
        _validated(CodesFile, "codes.yaml"),
        _validated(AuthorsFile, "authors.yaml"),
        _validated(CountriesFile, "countries.yaml"),
    )
