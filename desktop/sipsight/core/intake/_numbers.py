"""Phone numbers in pasted text: found with phonenumbers, deduplicated, each with a role guess."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

from sipsight.core.intake._vocab import Vocabulary
from sipsight.core.models import CandidateNumber, NumberRole

# Running PhoneNumberMatcher over megabytes is slow, so it only sees small windows around digit
# clusters that could be a number at all (7+ digits with the usual separators).
# ASCII digits only: a pattern starting with a plain character class keeps the regex engine's fast path.
# A number never spans lines nor a sentence end (". "), so neither joins two numbers into one cluster.
_CLUSTER = re.compile(r"[0-9+(](?:[0-9 \t()\-\u2010-\u2015]|\.(?! )){5,28}[0-9]")
_DIGITS = re.compile(r"\d")
_TOKEN_TAIL = re.compile(r"\S{0,40}")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
MAX_CLUSTERS = 150  # a log dump with thousands of digit runs: check the first ones only (~1 ms each)
MAX_NUMBERS = 50
_WINDOW_BEFORE = 8
_WINDOW_AFTER = 16  # room for " ext. 1234"
_CONTEXT = 80  # how far (chars) a role cue may be from the number
Spans = list[tuple[int, int]] | tuple[tuple[int, int], ...]
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n\s*\n")
# A cue after the number belongs to it only up to the next clause ("X and I'm calling the seller").
_CLAUSE_END = re.compile(r"[,.!?;](?:\s|$)|\n|\s(?:and|but|while|so|because|when)\s", re.IGNORECASE)
_CLAUSE_START = re.compile(r",\s|\s(?:and|but|while|so|because)\s", re.IGNORECASE)


@dataclass
class Mention:
    start: int
    end: int
    raw: str
    e164: str
    extension: str | None
    region: str | None


@dataclass
class Found:
    numbers: list[CandidateNumber] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # every mention, for the code finder
    capped: bool = False  # more distinct numbers than MAX_NUMBERS
    clusters_capped: bool = False  # more digit runs than MAX_CLUSTERS: the rest were not checked


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


def find_mentions(text: str, region: str, vocab: Vocabulary, url_spans: Spans) -> tuple[list[Mention], bool]:
    # A "+" set apart from the digits ("+ (201) 555-0100", "+) 202 ...") is no country-code prefix: read as one,
    # it would turn a US number into +20 (Egypt).
    scan = _STRAY_PLUS.sub(" ", _mask(text, url_spans))
    mentions: dict[tuple[int, int], Mention] = {}
    checked: dict[str, list[tuple[int, int, phonenumbers.PhoneNumberMatch]]] = {}
    clusters = 0
    capped = False
    nanp = phonenumbers.country_code_for_region(region) == 1
    distinct: set[str] = set()
    for cluster in _CLUSTER.finditer(scan):
        if not _worth_matching(cluster.group(0), nanp):
            continue
        if len(distinct) > MAX_NUMBERS:
            break
        clusters += 1
        if clusters > MAX_CLUSTERS:
            capped = True
            break
        lo = max(0, cluster.start() - _WINDOW_BEFORE)
        # Never cut a token in half: phonenumbers tells "2026-11-23 10:15:00" from a number by what follows.
        tail = _TOKEN_TAIL.match(scan, cluster.end() + _WINDOW_AFTER)
        hi = tail.end() if tail else cluster.end() + _WINDOW_AFTER
        window = scan[lo:hi]
        if window not in checked:  # the same number quoted again costs nothing
            checked[window] = _matches(window, region)
        lead = scan[lo : cluster.start()]
        # the matcher may take in an opening bracket and the spaces before the digits ("(  +1 201 ..."), which
        # the cluster (it starts at the "+") leaves out: a match may start that far back, no further
        reach = max(2, len(lead) - len(lead.rstrip(" \t([{")))
        if not checked[window] and _BRACKETS.search(lead):
            # Stray brackets just before the digits ("[) 201 555 0100") make the matcher reject the
            # whole candidate; what follows the last bracket still is a number.
            lo += max(lead.rfind(c) for c in "()[]{}") + 1
            window = scan[lo:hi]
            checked[window] = checked.get(window) or _matches(window, region)
        for start, end, match in checked[window]:
            span = (lo + start, lo + end)
            # A match starting after this cluster is found (with its own context) by the next cluster.
            if not cluster.start() - reach <= span[0] < cluster.end():
                continue
            if span in mentions or _is_id(vocab, scan, span[0], match.raw_string) or _ISO_DATE.match(match.raw_string):
                continue
            number = match.number
            mentions[span] = Mention(
                start=span[0],
                end=span[1],
                raw=match.raw_string,
                e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                extension=number.extension or None,
                region=phonenumbers.region_code_for_number(number),
            )
            distinct.add(mentions[span].e164)
    return sorted(mentions.values(), key=lambda m: m.start), capped


_BRACKETS = re.compile(r"[()\[\]{}]")
_STRAY_PLUS = re.compile(r"\+(?!\(?\d)")  # a country-code prefix is "+1 ...", "+(44) ..."; anything else is stray


def _matches(window: str, region: str) -> list[tuple[int, int, phonenumbers.PhoneNumberMatch]]:
    matcher = phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID)
    return [(m.start, m.end, m) for m in matcher]


def _worth_matching(cluster: str, nanp: bool) -> bool:
    """Cheap pre-check before the (costly) matcher: enough digits, and for North America the right count."""
    digits = len(_DIGITS.findall(cluster))
    if digits < 7:
        return False
    if not nanp or cluster.lstrip("(").startswith("+"):
        return True
    # Dialled from North America: 10 digits, 11 with the leading 1, more when two numbers sit side by side
    # or an 011 international prefix leads; 7 to 9 digits are ids, prices or local numbers we cannot place.
    return digits >= 10


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


# --------------------------------------------------------------------------- roles


def _cue_hits(vocab: Vocabulary, window: str, side: str) -> list[tuple[str, int, int, float]]:
    hits = [
        (role, m.start(), m.end(), weight)
        for role in ("destination", "caller_id")
        for pattern, weight in vocab.role_cues[(role, side)]
        for m in pattern.finditer(window)
    ]
    # A cue inside a longer cue is part of it: "call" in "I call from", "reach" in "reach me at".
    return [h for h in hits if not any(o[1] <= h[1] and h[2] <= o[2] and (o[2] - o[1]) > (h[2] - h[1]) for o in hits)]


def _score(hits: list[tuple[str, int, int, float]], role: str, length: int, *, before: bool) -> float:
    """Score of the best cue for `role`: its weight, less the further it is from the number."""
    best = 0.0
    for cue_role, start, end, weight in hits:
        if cue_role != role:
            continue
        distance = length - end if before else start
        best = max(best, weight * (1.0 - 0.5 * min(distance, _CONTEXT) / _CONTEXT))
    return best


def _windows(text: str, mention: Mention, prev_end: int, next_start: int) -> tuple[str, str]:
    # Cues belong to this number only: stop at the neighbouring numbers and at sentence ends.
    lo = max(prev_end, mention.start - _CONTEXT)
    before = text[lo : mention.start]
    ends = list(_SENTENCE_END.finditer(before)) + list(_CLAUSE_START.finditer(before))
    if ends:
        before = before[max(e.end() for e in ends) :]
    hi = min(next_start, mention.end + _CONTEXT // 2)
    after = text[mention.end : hi]
    end = _CLAUSE_END.search(after)
    if end:
        after = after[: end.start()]
    return before, after


def role_scores(text: str, mentions: list[Mention], vocab: Vocabulary) -> list[dict[str, float]]:
    scores = []
    for i, mention in enumerate(mentions):
        prev_end = mentions[i - 1].end if i else 0
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        before, after = _windows(text, mention, prev_end, next_start)
        hits_before, hits_after = _cue_hits(vocab, before, "before"), _cue_hits(vocab, after, "after")
        scores.append({
            role: max(_score(hits_before, role, len(before), before=True),
                      _score(hits_after, role, len(after), before=False))
            for role in ("destination", "caller_id")
        })
    return scores


def _decide(dest: float, caller: float) -> tuple[NumberRole, float]:
    if dest == caller:
        return NumberRole.UNKNOWN, 0.0
    role = NumberRole.DESTINATION if dest > caller else NumberRole.CALLER_ID
    high, low = max(dest, caller), min(dest, caller)
    return role, round(min(0.95, max(0.3, 0.5 + 0.45 * high - 0.45 * low)), 2)


def _excerpt(text: str, mention: Mention) -> str:
    lo = max(0, mention.start - 40)
    hi = min(len(text), mention.end + 40)
    return " ".join(text[lo:hi].split())


def find_numbers(text: str, region: str, vocab: Vocabulary, url_spans: Spans = ()) -> Found:
    mentions, capped = find_mentions(text, region, vocab, list(url_spans))
    scores = role_scores(text, mentions, vocab)
    merged: dict[str, tuple[Mention, dict[str, float]]] = {}
    for mention, score in zip(mentions, scores, strict=True):
        if mention.e164 not in merged:
            merged[mention.e164] = (mention, dict(score))
            continue
        first, best = merged[mention.e164]
        if first.extension is None and mention.extension:
            first.extension = mention.extension
        for role, value in score.items():
            best[role] = max(best[role], value)
    found = Found(spans=[(m.start, m.end) for m in mentions], clusters_capped=capped)
    for mention, score in list(merged.values())[:MAX_NUMBERS]:
        role, confidence = _decide(score["destination"], score["caller_id"])
        found.numbers.append(CandidateNumber(
            e164=mention.e164, raw=mention.raw, role=role, role_confidence=confidence,
            extension=mention.extension, region=mention.region, context=_excerpt(text, mention),
        ))
    found.capped = len(merged) > MAX_NUMBERS
    _fill_in_roles(found.numbers)
    return found


def _fill_in_roles(numbers: list[CandidateNumber]) -> None:
    unknown = [n for n in numbers if n.role is NumberRole.UNKNOWN]
    if len(numbers) == 1 and unknown:
        # One number and no cue: people paste the number they could not reach.
        unknown[0].role, unknown[0].role_confidence = NumberRole.DESTINATION, 0.5
        return
    has_dest = any(n.role is NumberRole.DESTINATION for n in numbers)
    has_caller = any(n.role is NumberRole.CALLER_ID for n in numbers)
    if len(unknown) == 1 and has_caller and not has_dest:
        # The customer named their own number; the other one is most likely the one they call.
        unknown[0].role, unknown[0].role_confidence = NumberRole.DESTINATION, 0.4
