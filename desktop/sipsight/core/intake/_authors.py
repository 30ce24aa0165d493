"""Who wrote what: a paste split into message parts, each with its author kind, from the transcript's own
structure (inbox stamps, name and date lines, e-mail headers, quote intros, "> " quoting, signatures, articles).

A tier-2 agent reads a conversation by who says what: the customer's words describe the problem, an agent's
question only names a possibility, a bot's menu or a pasted article is nobody's experience. Everything here is
one pass over the lines (at most MAX_LINES of them, at most MAX_PARTS parts), so a megabyte stays fast.
The vocabulary (bots, labels, verbs, sign-offs...) is resources/intake/authors.yaml.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from sipsight.core.intake._headers import Headers, Line, Lines, name_key
from sipsight.core.intake._scan import fold
from sipsight.core.intake._vocab import AuthorWords
from sipsight.core.models import AuthorKind, MessagePart

MAX_PARTS = 400
_ARTICLE_LINES = 500  # lines of one message looked at for the start of a pasted article
A = AuthorKind
_TABLE = re.compile(r"\|.*\|")
_HEADING = re.compile(r"#{1,6}\s+\S")
@dataclass(eq=False)  # a part is itself: compared by identity (list.index must not compare every line)
class _Part:
    start: int
    depth: int = 0
    name: str | None = None
    email: str | None = None
    quoted: bool = False  # an earlier message quoted in a reply
    bot: bool = False
    note: bool = False
    auto: str | None = None  # "strong" or "weak" auto-reply marker in its first lines
    article: bool = False
    signature: bool = False
    lines: list[Line] = field(default_factory=list)
    parent: _Part | None = None  # for a signature or an article split off a message: that message
    body_start: int = -1  # after the header lines (name, stamp, e-mail fields), when it has any
    said: int = 0  # lines with text so far (markers count only near the top of a message)
    forwarded: bool = False  # a message passed on by whoever wrote the part before it


@dataclass
class _Person:
    name: str
    order: int  # first appearance in the paste
    emails: set[str] = field(default_factory=set)
    label: AuthorKind | None = None  # named customer or agent by a label or a bracketed role
    to_support: bool = False  # wrote an e-mail addressed to the support team
    kind: AuthorKind | None = None


@dataclass
class Authorship:
    """The parts of one paste, in order; `at(offset)` is the part holding a character."""

    parts: list[MessagePart]
    customer: str | None = None
    capped: bool = False
    starts: list[int] = field(default_factory=list)
    bodies: list[int] = field(default_factory=list)  # where each part's own words start, after its header

    def at(self, pos: int) -> MessagePart:
        return self.parts[max(0, bisect_right(self.starts, pos) - 1)]


class _Reader(Headers):
    """One pass over the lines: message parts, and the people who wrote them."""

    def __init__(self, text: str, words: AuthorWords) -> None:
        super().__init__(words)
        self.text = text
        self.parts: list[_Part] = []
        self.people: dict[str, _Person] = {}
        self.email_like = False  # quote intros or e-mail headers: the paste reads newest first

    # ----------------------------------------------------------------------- people

    def person(self, name: str | None, email: str | None = None) -> _Person | None:
        if not name and not email:
            return None
        shown = name or (email or "").split("@")[0]
        key = name_key(shown)
        if not key:
            return None
        person = self.people.get(key)
        if person is None:
            person = self.people[key] = _Person(shown, len(self.people))
        if email:
            person.emails.add(email.lower())
        return person

    # ----------------------------------------------------------------------- header shapes

    # ----------------------------------------------------------------------- the pass

    def read(self, folded: str) -> tuple[list[_Part], bool]:
        lines = Lines(self.text, folded)
        capped = lines.capped
        self.speakers = self.find_speakers(lines)
        history = False  # after a quote intro or a second e-mail header: older messages, newest first
        intro_names: dict[int, tuple[str | None, str | None]] = {}
        cur = _Part(0)
        parts = [cur]
        i = 0

        def open_part(start: int, **kw: object) -> _Part:
            nonlocal cur
            if not cur.lines and parts and parts[-1] is cur and len(parts) > 1 and not cur.name:
                parts.pop()  # an empty part left by a marker line: the new header replaces it
            new = _Part(start, **kw)  # type: ignore[arg-type]
            parts.append(new)
            cur = new
            return new

        while i < len(lines):
            if len(parts) >= MAX_PARTS:
                capped = True  # the rest belongs to the last part (its lines are not read: no signature there)
                break
            line = lines[i]
            if line.body and line.depth != cur.depth:
                named = intro_names.get(line.depth, (None, None)) if line.depth else (None, None)
                quoted = line.depth > 0 or (history and cur.quoted)
                open_part(line.start, depth=line.depth, name=named[0], email=named[1], quoted=quoted)
                if named[0] or named[1]:
                    self.person(named[0], named[1])
            header = self.header(lines, i)
            if header is None:
                self._mark(cur, line)
                cur.lines.append(line)
                cur.said += bool(line.body)
                i += 1
                continue
            kind, used, name, email = header.kind, header.used, header.name, header.email
            opened = True
            if kind == "intro":
                self.email_like = True
                intro_names[line.depth + 1] = (name, email)
                k = i + used
                while k < len(lines) and not lines[k].body and k - i < 50:
                    k += 1
                opened = k >= len(lines) or not lines[k].body or lines[k].depth == line.depth
                if opened:  # without "> " markers the quoted message simply follows the intro line
                    open_part(line.start, depth=line.depth, name=name, email=email, quoted=True)
                    history = True
            elif kind == "original" and header.forwarded:
                # a forwarded message is part of the forwarder's own: a seller's text the customer passes on
                open_part(line.start, depth=line.depth, quoted=True, forwarded=True)
            elif kind == "original":
                self.email_like = True
                history = True
                open_part(line.start, depth=line.depth, quoted=True)
            elif kind == "from" and cur.forwarded and not any(ln.body for ln in cur.lines[1:]):
                pass  # the forwarded message's own header: its sender is no author of this paste
            elif kind == "from":
                self.email_like = True
                first = not any(any(ln.body for ln in p.lines) for p in parts)
                history = history or not first
                if cur.quoted and not cur.name and not any(ln.body for ln in cur.lines[1:]):
                    cur.name, cur.email = name, email  # the part the "-----Original Message-----" line opened
                else:
                    open_part(line.start, depth=line.depth, name=name, email=email, quoted=history)
            else:  # a message header: stamp, name and date, verb, speaker, bold name
                open_part(line.start, depth=line.depth, name=name, email=email, quoted=line.depth > 0,
                          note=header.note)
                if kind == "speaker":
                    self._role_hint(name, header.role)
            cur.lines.extend(lines.span(i, i + used))
            if opened and kind != "speaker":
                cur.body_start = lines[i + used - 1].end + 1  # the message's own words start after its header
            person = self.person(name, email) if (name or email) and not cur.forwarded else None
            if person is not None and header.to_support:
                person.to_support = True
            i += used
        kept = [p for p in parts if p.lines]
        return kept or parts[:1], capped

    def _role_hint(self, name: str | None, role: str) -> None:
        person = self.person(name)
        if person is None or not role:
            return
        folded = fold(role)
        if self.w.agent_word.search(folded) or self.w.agent_label.fullmatch(folded):
            person.label = A.AGENT
        elif self.w.customer_label.fullmatch(folded):
            person.label = A.CUSTOMER

    def _mark(self, part: _Part, line: Line) -> None:
        """Labels, note markers and auto-reply phrases inside a part's lines."""
        folded = line.folded
        if not folded:
            return
        label = self.w.label_line.match(folded)
        if label:
            value = line.plain[len(line.plain) - len(folded) + label.end():].strip(" :-")
            named = self.name_of(value)
            person = self.person(named[0], named[1]) if named else None
            if person is not None:
                person.label = A.CUSTOMER if label.group("customer") else A.AGENT
            return
        recent = part.said < 3
        if recent and (self.w.note_line.fullmatch(folded.strip(" ()[]:-")) or self.w.note_label.match(folded)):
            part.note = True  # "Internal note" on its own line, or "Note interne : ..." opening the text
        if recent and part.auto is None:
            if self.w.auto_reply.search(folded):
                part.auto = "strong"
            elif self.w.acknowledgement.search(folded):
                part.auto = "weak"


def _split_tail(part: _Part, words: AuthorWords, is_name: Callable[[str], bool], *, articles: bool) -> list[_Part]:
    """A message's signature and a pasted article become parts of their own (same author, own kind)."""
    lines = part.lines
    body = [k for k, ln in enumerate(lines) if ln.body and ln.start >= part.body_start]
    if not body:
        return [part]
    cut = next(((k, "article") for k in body[:_ARTICLE_LINES] if _starts_article(lines[k], words)),
               None) if articles else None
    if cut is not None and not (_HEADING.match(lines[cut[0]].body) or _TABLE.fullmatch(lines[cut[0]].body)):
        # "Here's an article from our help center:" introduces the article: it starts on the next line
        later = [k for k in body if k > cut[0]]
        cut = (later[0], "article") if later else cut
    if cut is None:
        # a signature sits at the end: only the last few lines can start one
        tail = body[-8:]
        cut = next(((k, "signature") for n, k in enumerate(tail)
                    if _starts_signature(lines, k, tail[n + 1 :], words)), None)
    if cut is None:
        cut = _contact_block(lines, body, is_name)
    if cut is None:
        return [part]
    k, what = cut
    if k == body[0]:  # the whole message is an article or a signature block
        part.article, part.signature = what == "article", what == "signature"
        return [part]
    tail_part = _Part(lines[k].start, depth=part.depth, name=part.name, email=part.email, quoted=part.quoted,
                      bot=part.bot, note=part.note, lines=lines[k:], parent=part)
    tail_part.article, tail_part.signature = what == "article", what == "signature"
    part.lines = lines[:k]
    return [part, tail_part]


def _starts_article(line: Line, words: AuthorWords) -> bool:
    if not line.folded:
        return False
    return bool(_HEADING.match(line.body) or (_TABLE.fullmatch(line.body) and line.body.count("|") >= 3) or (
        words.article_marker.search(line.folded)))


def _starts_signature(lines: list[Line], k: int, rest: list[int], words: AuthorWords) -> bool:
    line = lines[k]
    if line.body in ("--", "-- ", "—", "__") or (line.folded and words.device_footer.match(line.folded)):
        return True
    # "Thanks,", "Best regards, Dana": a sign-off with at most a few short lines after it
    return bool(line.folded and words.sign_off.fullmatch(line.folded.rstrip(" ,.!"))
                and all(len(lines[j].body) <= 80 for j in rest))


def _contact_block(lines: list[Line], body: list[int], is_name: Callable[[str], bool]) -> tuple[int, str] | None:
    """A last paragraph that starts with a name and holds contact details ("Tess Lindqvist / Customer Support /
    Direct: 1-866-...") is a signature, sign-off or not."""
    last = body[-1]
    first = last
    while first - 1 >= body[0] and lines[first - 1].body:
        first -= 1
    block = [lines[j] for j in range(first, last + 1)]
    if first == body[0] or not 2 <= len(block) <= 6 or any(len(ln.body) > 70 for ln in block):
        return None
    if not is_name(block[0].plain) or not any(re.search(r"\d|@|\||www\.|https?:", ln.body) for ln in block[1:]):
        return None
    return first, "signature"


def read_authors(text: str, words: AuthorWords, folded: str | None = None) -> Authorship:
    """The paste's parts in order, each with its author kind, and the customer's name when it can be told."""
    reader = _Reader(text, words)
    raw, capped = reader.read(fold(text) if folded is None else folded)
    kinds = _decide_people(reader, raw)
    parts: list[tuple[_Part, AuthorKind]] = []
    previous: AuthorKind = A.CUSTOMER
    for part in raw:
        person = _person_kind(reader, part, kinds, raw, previous)
        if not (part.quoted or part.depth) and person in (A.CUSTOMER, A.AGENT):
            previous = person  # an unnamed part goes on the last unquoted speaker's message
        # A customer's own message is theirs whatever it looks like ("# (303) 555-0199" is no article heading);
        # only someone else's message holds a pasted article.
        pieces = _split_tail(part, words, lambda line: reader.name_of(line) is not None,
                             articles=person is not A.CUSTOMER)
        parts += [(piece, person) for piece in pieces]
    result: list[MessagePart] = []
    for index, (part, person) in enumerate(parts):
        end = parts[index + 1][0].start if index + 1 < len(parts) else len(text)
        base = part.parent or part
        author = _author_kind(part, person, words)
        written_by = A.BOT if author is A.BOT else person
        result.append(MessagePart(index=index, author=author, written_by=written_by, name=base.name,
                                  start=part.start if index else 0, end=end, note=base.note,
                                  forwarded=base.forwarded))
    customer = next((p.name for p in sorted(reader.people.values(), key=lambda p: p.order) if p.kind is A.CUSTOMER),
                    None)
    bodies = [max(p.start, p.body_start) if index else max(0, p.body_start) for index, (p, _) in enumerate(parts)]
    return Authorship(result, customer, capped, [p.start for p in result], bodies)


def _decide_people(reader: _Reader, parts: list[_Part]) -> dict[str, AuthorKind]:
    words = reader.w
    support_domains = {
        e.split("@", 1)[1] for p in reader.people.values() for e in p.emails
        if words.agent_word.search(fold(e.split("@", 1)[0].replace(".", " ").replace("-", " ").replace("_", " ")))
    }
    order: dict[str, int] = {}
    for position, part in enumerate(parts):
        if part.name:
            order.setdefault(name_key(part.name), position)
    for key, person in reader.people.items():
        folded = fold(person.name)
        locals_ = [e.split("@", 1)[0].replace(".", " ").replace("-", " ").replace("_", " ") for e in person.emails]
        if words.bot_name.match(folded) and person.label is not A.CUSTOMER:
            person.kind = A.BOT
        elif person.label is not None:
            person.kind = person.label
        elif words.agent_word.search(folded) or any(words.agent_word.search(fold(loc)) for loc in locals_) or any(
                e.split("@", 1)[1] in support_domains for e in person.emails):
            person.kind = A.AGENT
        elif person.to_support:
            person.kind = A.CUSTOMER
        order.setdefault(key, len(parts) + person.order)
    if not any(p.kind is A.CUSTOMER for p in reader.people.values()):
        open_ = [(order[k], k) for k, p in reader.people.items() if p.kind is None]
        if open_:
            # Chats and inbox threads read oldest first; e-mail replies newest first (the customer wrote first).
            key = (max(open_) if reader.email_like and not _chat_like(parts) else min(open_))[1]
            reader.people[key].kind = A.CUSTOMER
    kinds: dict[str, AuthorKind] = {}
    for key, person in reader.people.items():
        person.kind = person.kind or A.AGENT
        kinds[key] = person.kind
    return kinds


def _chat_like(parts: list[_Part]) -> bool:
    return sum(1 for p in parts if p.name and not p.quoted) > sum(1 for p in parts if p.quoted)


def _opposite(kind: AuthorKind) -> AuthorKind:
    return A.AGENT if kind is A.CUSTOMER else A.CUSTOMER


def _person_kind(reader: _Reader, part: _Part, kinds: dict[str, AuthorKind], parts: list[_Part],
                 previous: AuthorKind) -> AuthorKind:
    if part.name or part.email:
        key = name_key(part.name or (part.email or "").split("@")[0])
        if key in kinds:
            return kinds[key]
    if part.note:
        return A.AGENT
    if part.forwarded:  # passed on by whoever wrote the message it stands in
        container = _container(part, parts)
        return previous if container is None else _person_kind(reader, container, kinds, parts, previous)
    if part.quoted or part.depth:
        # A quoted message without a named author answers the message that quotes it.
        container = _container(part, parts)
        if container is None:
            return A.AGENT
        if reader.email_like:
            return _opposite(_person_kind(reader, container, kinds, parts, previous))
        return _person_kind(reader, container, kinds, parts, previous)
    index = parts.index(part)
    if index == 0:
        # The top of an e-mail reply answers the first quoted message below it.
        nxt = next((p for p in parts[1:] if p.quoted and (p.name or p.email)), None)
        if nxt is not None and reader.email_like:
            return _opposite(_person_kind(reader, nxt, kinds, parts, previous))
        return A.CUSTOMER
    return previous


def _container(part: _Part, parts: list[_Part]) -> _Part | None:
    index = parts.index(part)
    for candidate in reversed(parts[:index]):
        if (candidate.parent is None and candidate.depth < part.depth) or (
                part.depth == 0 and not candidate.quoted and candidate.parent is None):
            return candidate
    return None


def _author_kind(part: _Part, person: AuthorKind, words: AuthorWords) -> AuthorKind:
    base = part.parent or part
    if part.article:
        return A.ARTICLE
    if part.signature:
        return A.SIGNATURE
    if person is A.BOT or base.bot:
        return A.BOT
    if base.auto == "strong" or (base.auto == "weak" and person is not A.CUSTOMER):
        return A.AUTO_REPLY
    if base.quoted or base.depth:
        return A.QUOTED
    return person
