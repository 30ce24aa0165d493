"""Whose number is it: the destination, the customer's caller ID, or neither, decided like a tier-2 agent.

Every decision keeps its evidence (the rule, the words, the message) so the app can show why on hover and
the agent can correct it in one click. The rules and their order are in docs/intake.md ("Roles").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from sipsight.core.intake._authors import Authorship
from sipsight.core.intake._numbers import MAX_NUMBERS, Mention
from sipsight.core.intake._scan import Scan
from sipsight.core.intake._vocab import Vocabulary
from sipsight.core.models import AuthorKind, CandidateNumber, MessagePart, NumberRole, RoleEvidence, RoleRule

A, R, RR = AuthorKind, NumberRole, RoleRule
_CONTEXT = 80  # how far (chars) a cue may be from the number
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n\s*\n")
_CONJUNCTIONS = r"and|but|while|so|because|y|pero|et|mais|und|aber|e|mas|porque|parce que|weil"
_CLAUSE_END = re.compile(rf"[,.!?;](?:\s|$)|\n|\s(?:{_CONJUNCTIONS}|when|cuando|quand|wenn|quando)\s")
_CLAUSE_START = re.compile(rf",\s|\s(?:{_CONJUNCTIONS})\s")
# Between two numbers of one list ("A, B or C", "1) A 2) B"): a cue before the first is a cue for all.
_LIST_GAP = re.compile(r"(?:[\s,;/|&*•·\-]|\b(?:or|and|y|o|ou|et|oder|und|e)\b|\d{1,2}[.)])*")
_QUESTION_END = re.compile(r"[?]|\b(?:please|por favor|s'il vous pla[iî]t|bitte|por gentileza)\b", re.IGNORECASE)
_ANSWER_REACH = 600  # an answer is the opening of the customer's reply
_QUESTION_REACH = 2000
MAX_BACK_REFERENCES = 100  # last digits read as a reference to a number
_KIND_ROLE = {"destination": R.DESTINATION, "caller_id": R.CALLER_ID, "own_number": R.CALLER_ID,
              "callback": R.OTHER, "support": R.OTHER, "ruled_out": R.OTHER}
_KIND_RULE = {"destination": RR.CUE, "caller_id": RR.CUE, "own_number": RR.OWN_NUMBER, "callback": RR.CALLBACK,
              "support": RR.SUPPORT_LINE, "ruled_out": RR.RULED_OUT}
_OTHER_KINDS = ("ruled_out", "support", "callback")


@dataclass
class _Ev:
    kind: str  # destination | caller_id | own_number | ruled_out | support | callback
    rule: RoleRule
    weight: float
    cue: str
    excerpt: str
    part: MessagePart | None

    def public(self) -> RoleEvidence:
        return RoleEvidence(rule=self.rule, role=_KIND_ROLE[self.kind], cue=self.cue, excerpt=self.excerpt,
                            weight=round(self.weight, 2), message=self.part.index if self.part else None,
                            author=self.part.author if self.part else None)


@dataclass
class _Number:
    first: Mention
    part: MessagePart
    mentions: int = 0
    extension: str | None = None
    evidence: list[_Ev] = field(default_factory=list)
    outside: list[_Ev] = field(default_factory=list)  # bots, auto-replies, articles, agents' signatures
    human: bool = False  # written in a person's own words
    by_customer: bool = False  # written by the customer themselves

    def best(self, kind: str) -> _Ev | None:
        found = [e for e in self.evidence if e.kind == kind]
        return max(found, key=lambda e: e.weight) if found else None


def _excerpt(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 40) : min(len(text), end + 40)].split())


class _Reader:
    def __init__(self, text: str, scan: Scan, mentions: list[Mention], authors: Authorship, vocab: Vocabulary,
                 symptoms: list[tuple[int, int, str]]) -> None:
        self.text, self.fold, self.vocab, self.authors = text, scan.fold, vocab, authors
        self.scan = scan
        self.low = scan.low  # sentence and clause ends are found here: folded, Portuguese "é" would read as "e"
        self.mentions = mentions
        self.mention_ends = sorted(m.end for m in mentions)
        self.mention_starts = [m.start for m in mentions]  # mentions come in text order
        self.symptoms = symptoms  # (start, end, number role the symptom gives) of every symptom phrase read
        self.numbers: dict[str, _Number] = {}

    # ------------------------------------------------------------------- windows

    def windows(self, i: int) -> tuple[int, int, int, int]:
        """[before_start, number start) and [number end, after_end) for the number's own cues."""
        m = self.mentions[i]
        prev_end = self.mentions[i - 1].end if i else 0
        next_start = self.mentions[i + 1].start if i + 1 < len(self.mentions) else len(self.fold)
        lo = max(prev_end, m.start - _CONTEXT)
        before = self.low[lo : m.start]
        cuts = [e.end() for e in _SENTENCE_END.finditer(before)] + [e.end() for e in _CLAUSE_START.finditer(before)]
        lo += max(cuts, default=0)
        hi = min(next_start, m.end + _CONTEXT // 2)
        end = _CLAUSE_END.search(self.low, m.end, hi)
        return lo, m.start, m.end, end.start() if end else hi

    def previous_clause(self, i: int, lo: int) -> tuple[int, int] | None:
        """The clause before the number's own, in the same sentence ("I call from our office line, the 01 99 ...")."""
        prev_end = self.mentions[i - 1].end if i else 0
        if lo <= prev_end or lo == 0:
            return None
        start = max(prev_end, lo - _CONTEXT)
        before = self.low[start:lo]
        if _SENTENCE_END.search(before.rstrip(", \t")) and not _CLAUSE_START.search(before[-3:]):
            ends = [e.end() for e in _SENTENCE_END.finditer(before)]
            start += max(ends, default=0)
        cuts = [e.end() for e in _CLAUSE_START.finditer(self.low, start, max(start, lo - 2))]
        start = max([start, *cuts])
        return (start, lo) if start < lo else None

    def sentence(self, i: int) -> tuple[int, int, bool, bool]:
        """The number's sentence, and whether it holds the previous / the next number too."""
        m = self.mentions[i]
        lo = max(0, m.start - 2 * _CONTEXT)
        ends = [e.end() for e in _SENTENCE_END.finditer(self.low, lo, m.start)]
        lo = max(ends, default=lo)
        end = _SENTENCE_END.search(self.low, m.end, min(len(self.low), m.end + 2 * _CONTEXT))
        hi = end.start() if end else min(len(self.fold), m.end + 2 * _CONTEXT)
        prev_in = bool(i) and self.mentions[i - 1].end > lo
        next_in = i + 1 < len(self.mentions) and self.mentions[i + 1].start < hi
        return lo, hi, prev_in, next_in

    def cues(self, lo: int, start: int, end: int, hi: int, factor: float, part: MessagePart,
             kinds: tuple[str, ...] | None = None, reach: int = _CONTEXT, excerpt: str | None = None) -> list[_Ev]:
        """Cues in [lo, start) before a number and [end, hi) after it, each weighted by its distance."""
        found: list[_Ev] = []
        excerpt = _excerpt(self.text, start, end) if excerpt is None else excerpt
        for side, a, b in (("before", lo, start), ("after", end, hi)):
            if b <= a:
                continue
            for cue, s, e in self.vocab.cues[side].find(self.fold[a:b]):
                if kinds is not None and cue.role not in kinds:
                    continue
                distance = (start - (a + e)) if side == "before" else s
                # an agent is no witness of the customer's numbers, but knows the company's own
                scale = max(factor, 1.0) if cue.role == "support" else factor
                weight = cue.weight * (1.0 - 0.5 * min(distance, reach) / reach) * scale
                found.append(_Ev(cue.role, _KIND_RULE[cue.role], weight, self.text[a + s : a + e], excerpt, part))
        return found

    # ------------------------------------------------------------------- per mention

    def read(self) -> None:
        listed: list[_Ev] = []
        for i, m in enumerate(self.mentions):
            part = self.authors.at(m.start)
            number = self.numbers.get(m.e164)
            if number is None:
                number = self.numbers[m.e164] = _Number(m, part, extension=m.extension)
            number.mentions += 1
            number.extension = number.extension or m.extension
            excerpt = _excerpt(self.text, m.start, m.end)
            if part.author in (A.BOT, A.AUTO_REPLY, A.ARTICLE) or (
                    part.author is A.SIGNATURE and part.written_by is not A.CUSTOMER):
                # A bot's menu, an auto-reply, a pasted article, an agent's signature: the company's own numbers.
                number.outside.append(_Ev("support", RR.SUPPORT_LINE, 0.9, part.author.value.replace("_", " "),
                                          excerpt, part))
                continue
            number.human = True
            number.by_customer = number.by_customer or part.by_customer
            if part.author is A.SIGNATURE:
                number.evidence.append(_Ev("own_number", RR.OWN_NUMBER, 0.6, "the customer's signature", excerpt, part))
            factor = 1.0 if part.written_by is A.CUSTOMER else 0.7
            line_start = self.fold.rfind("\n", 0, m.start) + 1
            if part.forwarded and self.vocab.authors.header_from.match(self.fold, line_start):
                # "From: +1 303-555-0199" over a text the customer passes on: the other side of their calls wrote it
                number.evidence.append(_Ev("destination", RR.CUE, 0.6 * factor, "forwarded from", excerpt, part))
                continue
            lo, start, end, hi = self.windows(i)
            found = self.cues(lo, start, end, hi, factor, part)
            if not found and self.listed(i):  # "A, B or C": the cue before A is a cue for each of them
                found = [_Ev(e.kind, e.rule, e.weight, e.cue, excerpt, part) for e in listed]
            clause = None if found else self.previous_clause(i, lo)
            if clause is not None:  # an apposition: "I call from our office line, the 01 99 00 41 27"
                found = self.cues(clause[0], clause[1], end, end, 0.8 * factor, part, excerpt=excerpt)
            listed = found
            number.evidence += found
            number.evidence += self.wider_ruled_out(i, factor, part)
            if not any(e.kind != "destination" for e in found):  # "calls from X never ring": X is no number called
                number.evidence += self.symptom_after(m, end, hi, factor, part)
            if m.parameter:
                kind = "caller_id" if m.parameter in self.vocab.link_parameters["caller_id"] else "destination"
                number.evidence.append(_Ev(kind, RR.LINK_PARAMETER, 0.7 * factor, m.parameter + "=", excerpt, part))

    def listed(self, i: int) -> bool:
        if not i:
            return False
        prev, m = self.mentions[i - 1], self.mentions[i]
        return prev.end <= m.start and self.authors.at(prev.start) is self.authors.at(m.start) and bool(
            _LIST_GAP.fullmatch(self.fold, prev.end, m.start))

    def wider_ruled_out(self, i: int, factor: float, part: MessagePart) -> list[_Ev]:
        """ "214-555-0112, but we stopped dialing that one" (the rest of the sentence), "That's her old one." (the
        next sentence): only when no other number stands there to take the words."""
        m = self.mentions[i]
        lo, hi, prev_in, next_in = self.sentence(i)
        found = self.cues(m.start if prev_in else lo, m.start, m.end, m.end if next_in else hi, factor, part,
                          ("ruled_out",), reach=2 * _CONTEXT)
        if not next_in and not found:
            nxt = _SENTENCE_END.search(self.fold, hi, hi + 2) if hi < len(self.fold) else None
            start = nxt.end() if nxt else hi
            end_match = _SENTENCE_END.search(self.fold, start + 1, start + 2 * _CONTEXT)
            stop = end_match.start() if end_match else min(len(self.fold), start + 2 * _CONTEXT)
            following = i + 1 < len(self.mentions) and self.mentions[i + 1].start < stop
            if not following and self.vocab.anaphora.match(self.fold, start, stop):
                found = self.cues(start, start, start, stop, 0.8 * factor, part, ("ruled_out",), reach=2 * _CONTEXT)
                found += self.cues(start, stop, stop, stop, 0.8 * factor, part, ("ruled_out",), reach=2 * _CONTEXT)
        return found

    def symptom_after(self, m: Mention, end: int, hi: int, factor: float, part: MessagePart) -> list[_Ev]:
        """ "(303) 555-0199 goes straight to voicemail": the number that fails is the one called."""
        k = bisect_left(self.symptoms, (end, 0, ""))
        for start, stop, role in self.symptoms[k : k + 8]:
            if end <= start <= hi and start - end <= 40 and role != "none":
                return [_Ev(role, RR.SYMPTOM, 0.6 * factor, self.text[start:stop], _excerpt(self.text, m.start, m.end),
                            part)]
        return []

    # ------------------------------------------------------------------- back-references and answers

    def back_references(self, taken: list[tuple[int, int]]) -> None:
        """ "calls from the 0100 line": a cue next to the last four digits of exactly one number found."""
        by_tail: dict[str, list[str]] = {}
        for e164 in self.numbers:
            by_tail.setdefault(e164[-4:], []).append(e164)
        if not by_tail:
            return
        spans = sorted(taken)
        k = hits = 0
        for first, last in self.scan.digit_runs:
            if last - first != 4 or (first and self.fold[first - 1] in "+("):
                continue
            digits = self.fold[first:last]
            owners = by_tail.get(digits, [])
            if len(owners) != 1:
                continue
            while k < len(spans) and spans[k][1] <= first:
                k += 1
            if k < len(spans) and spans[k][0] <= first < spans[k][1]:
                continue  # the digits of the number itself, or of a link
            hits += 1
            if hits > MAX_BACK_REFERENCES:
                return
            part = self.authors.at(first)
            if part.author in (A.BOT, A.AUTO_REPLY, A.ARTICLE, A.SIGNATURE):
                continue
            factor = 0.9 * (1.0 if part.written_by is A.CUSTOMER else 0.7)
            k_prev = bisect_left(self.mention_ends, first) - 1  # cues stop at the number written before
            lo = max(0, first - _CONTEXT, self.mention_ends[k_prev] if k_prev >= 0 else 0)
            window = self.low[lo:first]
            cuts = [e.end() for e in _SENTENCE_END.finditer(window)] + [e.end() for e in _CLAUSE_START.finditer(window)]
            lo += max(cuts, default=0)
            stop = _CLAUSE_END.search(self.low, last, last + _CONTEXT // 2)
            hi = stop.start() if stop else min(len(self.fold), last + _CONTEXT // 2)
            found = self.cues(lo, first, last, hi, factor, part)
            if not any(e.kind != "destination" for e in found):
                found += self.symptom_after(Mention(first, last, digits, owners[0], None, None), last, hi, factor, part)
            for ev in found:
                ev.rule = RR.BACK_REFERENCE if ev.rule is not RR.RULED_OUT else ev.rule
                ev.cue = f"{ev.cue} … {digits}"
            self.numbers[owners[0]].evidence += found

    def answers(self) -> None:
        """An agent asks which number (called, or called from); the customer's reply answers with it."""
        parts = self.authors.parts
        for part in parts:
            if part.written_by is not A.AGENT or part.author not in (A.AGENT, A.QUOTED):
                continue
            asked = self._questions(part)
            answer = self._answer_part(part, parts) if asked else None
            if answer is not None:
                self._answered([role for role, _, _ in asked], asked[0][1], asked[-1][2], answer)

    def _questions(self, part: MessagePart) -> list[tuple[str, int, int]]:
        """The roles the part asks about, in order, with the span of each question."""
        found: list[tuple[str, int, int]] = []
        pos = part.start
        stop_at = min(part.end, part.start + _QUESTION_REACH)  # an agent asks near the top of the message
        ends = [e.end() for e in re.finditer(r"[?.!](?:\s|$)|\n", self.text[part.start : stop_at])]
        for end in [*ends, stop_at - part.start]:
            stop = part.start + end
            if stop <= pos:
                continue
            sentence = self.fold[pos:stop]
            if _QUESTION_END.search(self.text, pos, stop):
                roles: dict[str, int] = {}
                for role in ("destination", "caller_id"):
                    q = self.vocab.questions[role].search(sentence)
                    if q:
                        roles[role] = q.start()
                if len(roles) == 2 and abs(roles["caller_id"] - roles["destination"]) < 25:
                    del roles["destination"]  # "which number are you calling from": the "from" decides
                found += [(role, pos, stop) for role, _ in sorted(roles.items(), key=lambda kv: kv[1])]
            pos = stop
        return found[:4]

    def _between(self, start: int, end: int) -> list[Mention]:
        k = bisect_left(self.mention_starts, start)
        out = []
        while k < len(self.mentions) and self.mentions[k].start < end:
            out.append(self.mentions[k])
            k += 1
        return out

    def _answer_part(self, question: MessagePart, parts: list[MessagePart]) -> MessagePart | None:
        index = question.index
        if question.author is A.QUOTED:
            nxt = parts[index + 1] if index + 1 < len(parts) else None
            if nxt is not None and nxt.author is A.CUSTOMER:
                return nxt  # answered inline, under the quoted question
            for candidate in reversed(parts[:index]):  # top-posted: the reply stands above the quote
                if candidate.author is A.CUSTOMER:
                    return candidate
            return None
        for candidate in parts[index + 1 :]:
            if candidate.written_by is A.CUSTOMER and candidate.author in (A.CUSTOMER, A.QUOTED):
                return candidate
        return None

    def _answered(self, roles: list[str], q_start: int, q_end: int, answer: MessagePart) -> None:
        begin = self.authors.bodies[answer.index] if answer.index < len(self.authors.bodies) else answer.start
        reach = min(answer.end, begin + _ANSWER_REACH)
        inside = self._between(begin, reach)
        asked = self._between(q_start, q_end)
        opening = self.fold[begin:reach].lstrip(" \t\n>*_")
        # "Is it (303) 555-0199?" "No, it's ...": the guessed number is ruled out; "Yes": it has the role.
        said_no = bool(self.vocab.answers["no"].match(opening))
        for guess in asked:
            number = self.numbers[guess.e164]
            excerpt = _excerpt(self.text, guess.start, guess.end)
            if said_no and any(m.e164 != guess.e164 for m in inside):
                number.evidence.append(_Ev("ruled_out", RR.RULED_OUT, 0.8, opening[:20].strip(), excerpt, answer))
            elif len(roles) == 1 and self.vocab.answers["yes"].match(opening) and not inside:
                number.evidence.append(_Ev(roles[0], RR.ANSWER, 0.85, opening[:20].strip(), excerpt, answer))
        guessed = {g.e164 for g in asked}
        distinct = list(dict.fromkeys(m.e164 for m in inside if m.e164 not in guessed))
        plain = [e for e in distinct if not any(
            ev.weight >= 0.5 and ev.rule in (RR.CUE, RR.CALLBACK, RR.RULED_OUT, RR.SUPPORT_LINE, RR.OWN_NUMBER)
            and ev.part is not None and ev.part.index == answer.index for ev in self.numbers[e].evidence)]
        if len(plain) != len(roles):
            return
        question = " ".join(self.text[q_start:q_end].split())[:100]
        for role, e164 in zip(roles, plain, strict=True):
            first = next(m for m in inside if m.e164 == e164)
            self.numbers[e164].evidence.append(_Ev(role, RR.ANSWER, 0.85, question,
                                                   _excerpt(self.text, first.start, first.end), answer))


# --------------------------------------------------------------------------- deciding


def _decide(number: _Number) -> tuple[NumberRole, float, list[_Ev], str]:
    """The role, its confidence, the evidence that decided it first, and its internal kind (own_number kept)."""
    # The company's own numbers (a bot's menu, an agent's signature) stay the company's even when an agent
    # repeats them; only a customer writing one themselves ("I called your support line") weighs it afresh.
    evidence = number.evidence if number.by_customer else number.evidence + number.outside
    best = {kind: max((e.weight for e in evidence if e.kind == kind), default=0.0) for kind in _KIND_ROLE}
    other = max(best[k] for k in _OTHER_KINDS)
    dest, caller, own = best["destination"], best["caller_id"], best["own_number"]
    ranked = sorted(((other, "other"), (dest, "destination"), (caller, "caller_id"), (own, "own_number")),
                    key=lambda t: -t[0])
    (top, kind), (second, _) = ranked[0], ranked[1]
    if top == 0.0:
        return R.UNKNOWN, 0.0, [], ""
    if kind != "other" and top - other < 1e-9 and other >= 0.5:
        kind = "other"  # ruled out or a support line as strongly as anything else: neither role
    if top - second < 1e-9 and kind != "other":
        return R.UNKNOWN, 0.0, sorted(evidence, key=lambda e: -e.weight), ""
    if kind == "other":
        deciding = max((e for e in evidence if e.kind in _OTHER_KINDS), key=lambda e: e.weight)
    else:
        deciding = max((e for e in evidence if e.kind == kind), key=lambda e: e.weight)
    confidence = round(min(0.95, max(0.3, 0.5 + 0.45 * top - 0.45 * second)), 2)
    rest = sorted((e for e in evidence if e is not deciding), key=lambda e: -e.weight)
    role = R.OTHER if kind == "other" else _KIND_ROLE[kind]
    return role, confidence, [deciding, *rest], kind


def find_roles(text: str, scan: Scan, mentions: list[Mention], authors: Authorship, vocab: Vocabulary,
               symptoms: list[tuple[int, int, str]],
               taken: list[tuple[int, int]]) -> tuple[list[CandidateNumber], bool]:
    """The distinct numbers in the order first written, each with its role and evidence; and whether the
    MAX_NUMBERS cap dropped some."""
    reader = _Reader(text, scan, mentions, authors, vocab, symptoms)
    reader.read()
    reader.back_references(taken + [(m.start, m.end) for m in mentions])
    reader.answers()
    numbers = list(reader.numbers.values())
    capped = len(numbers) > MAX_NUMBERS
    numbers = numbers[:MAX_NUMBERS]
    decided = [(n, *_decide(n)) for n in numbers]
    out: list[CandidateNumber] = []
    kinds: list[str] = []
    for number, role, confidence, evidence, kind in decided:
        first = number.first
        out.append(CandidateNumber(
            e164=first.e164, raw=first.raw, role=role, role_confidence=confidence, extension=number.extension,
            region=first.region, context=_excerpt(text, first.start, first.end),
            role_evidence=[e.public() for e in evidence[:6]], message=number.part.index,
            author=number.part.author, mentions=number.mentions,
        ))
        kinds.append(kind)
    _own_numbers(out, kinds)
    _ambiguous(out)
    _fill_in(out, [n.human for n in numbers])
    return out, capped


def _own_numbers(numbers: list[CandidateNumber], kinds: list[str]) -> None:
    """ "my cell": the caller ID when nothing else is; a callback number (other) once the dialer's number is named."""
    dialer = any(n.role is R.CALLER_ID and k == "caller_id" for n, k in zip(numbers, kinds, strict=True))
    own = [(n.role_confidence, i) for i, (n, k) in enumerate(zip(numbers, kinds, strict=True)) if k == "own_number"]
    keep = None if dialer or not own else max(own)[1]
    for _, i in own:
        if i != keep:
            number = numbers[i]
            number.role = R.OTHER
            note = RoleEvidence(rule=RR.OWN_NUMBER, role=R.OTHER, cue="the dialer's caller ID is named" if dialer
                                else "another of the customer's numbers is likelier", weight=0.5)
            number.role_evidence = [note, *number.role_evidence]


def _support(number: CandidateNumber) -> int:
    """How many different rules point to the number's role (a cue, and its last digits elsewhere, say more)."""
    return len({e.rule for e in number.role_evidence if e.role is number.role and e.weight >= 0.3})


def _ambiguous(numbers: list[CandidateNumber]) -> None:
    """One destination and one caller ID at most. Of several numbers with a claim to one role ("A, B or C"; "our
    lines A and B"), the one held with the most confidence (within 0.05), then with more rules pointing to it,
    takes the role and the others are other; when nothing tells them apart, none has it, until the agent picks
    one."""
    for role in (R.DESTINATION, R.CALLER_ID):
        holders = [n for n in numbers if n.role is role]
        if len(holders) < 2:
            continue
        top = max(n.role_confidence for n in holders)
        tied = [n for n in holders if top - n.role_confidence <= 0.05]
        most = max(_support(n) for n in tied)
        winners = [n for n in tied if _support(n) == most]
        name = role.value.replace("_", " ")
        if len(winners) > 1:
            for n in tied:
                n.role, n.role_confidence = R.UNKNOWN, 0.0
                n.role_evidence.insert(0, RoleEvidence(rule=RR.AMBIGUOUS, role=R.UNKNOWN, weight=top,
                                                       cue=f"{len(tied)} numbers with the same claim to be the {name}"))
            winners = []
        for n in holders:
            if n.role is role and winners and n is not winners[0]:
                n.role, n.role_confidence = R.OTHER, 0.5
                cue = f"{winners[0].raw} has more that points to it as the {name}"
                n.role_evidence.insert(0, RoleEvidence(rule=RR.AMBIGUOUS, role=R.OTHER, weight=top, cue=cue))


def _fill_in(numbers: list[CandidateNumber], human: list[bool]) -> None:
    unknown = [n for n, h in zip(numbers, human, strict=True) if n.role is R.UNKNOWN and h]
    if any(n.role is R.DESTINATION for n in numbers) or len(unknown) != 1:
        return
    if any(e.rule is RR.AMBIGUOUS for e in unknown[0].role_evidence):
        return
    number = unknown[0]
    if len(numbers) == 1:
        # One number and no cue: people paste the number they could not reach.
        number.role, number.role_confidence = R.DESTINATION, 0.5
        number.role_evidence.insert(0, RoleEvidence(rule=RR.ONLY_NUMBER, role=R.DESTINATION, weight=0.5,
                                                    cue="the only number in the text", excerpt=number.context,
                                                    message=number.message, author=number.author))
    elif any(n.role is R.CALLER_ID for n in numbers) or all(
            n.role is not R.UNKNOWN for n in numbers if n is not number):
        # The customer named their own number (or the rest are ruled out): the one left is the one they call.
        number.role, number.role_confidence = R.DESTINATION, 0.4
        number.role_evidence.insert(0, RoleEvidence(rule=RR.LAST_LEFT, role=R.DESTINATION, weight=0.4,
                                                    cue="the one number left once the others are placed",
                                                    excerpt=number.context, message=number.message,
                                                    author=number.author))
