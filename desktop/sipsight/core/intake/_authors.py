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

from sipsight.core.intake._scan import fold
from sipsight.core.intake._vocab import AuthorWords
from sipsight.core.models import AuthorKind, MessagePart

MAX_LINES = 10_000  # lines read for structure; the rest belongs to the last part (a note says so)
MAX_PARTS = 400
_SPEAKER_LINES = 2000  # lines looked at for chat speaker labels ("Visitor: ...")
_ARTICLE_LINES = 500  # lines of one message looked at for the start of a pasted article
_HEADER_LINE = 160  # header lines are short; a longer line is always a message's text

A = AuthorKind
_QUOTE = re.compile(r"[ \t]*(?:>[ \t]?)+")
_EMAIL = re.compile(r"<?([\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)>?")
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
# A name: up to five words, each capitalised (particles and a bracketed role aside), maybe an <e-mail>.
_NAME_WORD = re.compile(r"[^\W\d_][\w.'’\-]*|\d{1,3}|\([^()]{1,30}\)|[a-z]{1,3}")
_PARTICLES = {"de", "da", "do", "dos", "das", "del", "van", "von", "der", "la", "le", "du", "di", "y", "e", "bin"}
_STAMP = re.compile(
    r"(?:\d{1,3}\s?(?:s|m|h|d|w|mo|min|mins|hr|hrs|hour|hours|day|days|wk|wks|week|weeks)|just now|now)"
    r"(?:\s+ago)?", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:[·•|]|\s[-–—]\s)\s*")
_TRAILING_STAMP = re.compile(
    r"\s+(\d{1,3}\s?(?:s|m|h|d|w|min|mins|hr|hrs|hours?|days?|weeks?)(?:\s+ago)?)$", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}[:h.]\d{2}|\b(?:19|20)\d{2}\b|\bago\b|\bhace\b|\bil y a\b|\bvor\b|\bha\b", re.IGNORECASE)
_RULE_LINE = re.compile(r"[-_=*~]{3,}")
# "to me", "To: support@acme.example", "cc: Sam": recipient lines between an e-mail's sender and its date
_RECIPIENTS = re.compile(r"(?:to|para|a|an|à|cc|bcc)\s*:?\s+\S.{0,80}")
_TABLE = re.compile(r"\|.*\|")
_HEADING = re.compile(r"#{1,6}\s+\S")
_SPEAKER = re.compile(
    r"(?:\[[^\]\n]{1,24}\]\s*|\d{1,2}:\d{2}(?:\s?[APap]\.?[Mm]\.?)?\s*[-–]?\s*)?"
    r"(?P<name>[^\W\d_][\w.'’\-]*(?: [^\W\d_][\w.'’\-]*){0,3})(?:\s*\((?P<role>[^()]{1,24})\))?:\s+\S"
)
# Labels of "Label: value" lines that are data, never a speaker in a chat transcript.
_FIELDS = {"phone", "tel", "cell", "mobile", "fax", "email", "e-mail", "subject", "from", "to", "date", "sent", "cc",
           "note", "status", "ticket", "re", "fwd", "fw", "priority", "tags", "tag", "url", "link", "error", "code",
           "caller id", "number", "time", "duration", "result", "sip", "reason", "direction", "type", "id", "ps",
           "update", "edit", "important", "warning", "tip", "example", "step", "answer", "question", "q", "a"}


@dataclass
class _Line:
    start: int
    end: int
    depth: int  # how many "> " markers
    body: str  # the text after the markers, stripped
    plain: str  # body without Markdown emphasis, for header checks
    folded: str


@dataclass
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
    lines: list[_Line] = field(default_factory=list)
    parent: _Part | None = None  # for a signature or an article split off a message: that message
    body_start: int = -1  # after the header lines (name, stamp, e-mail fields), when it has any
    said: int = 0  # lines with text so far (markers count only near the top of a message)


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


def _key(name: str) -> str:
    return " ".join(_WORDS.findall(fold(name)))


class _Lines:
    """The paste's lines (at most MAX_LINES), each read only when looked at: a long paste's structure is read
    until the MAX_PARTS cap at most, and its lines are split at C speed."""

    def __init__(self, text: str, folded: str) -> None:
        raw = text.split("\n", MAX_LINES)
        self.capped = len(raw) > MAX_LINES
        self.raw = raw[:MAX_LINES]
        self.starts: list[int] = []
        pos = 0
        for line in self.raw:
            self.starts.append(pos)
            pos += len(line) + 1
        self.folded = folded
        self.cache: dict[int, _Line] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i: int) -> _Line:
        line = self.cache.get(i)
        if line is None:
            line = self.cache[i] = self._read(i)
        return line

    def span(self, a: int, b: int) -> list[_Line]:
        return [self[k] for k in range(a, min(b, len(self.raw)))]

    def _read(self, i: int) -> _Line:
        raw, pos = self.raw[i], self.starts[i]
        end = pos + len(raw)
        depth, skip = 0, 0
        if raw.lstrip(" \t").startswith(">"):
            marks = _QUOTE.match(raw)
            if marks:
                depth, skip = marks.group(0).count(">"), marks.end()
        body = raw[skip:].strip()
        plain = folded = ""
        if len(body) <= _HEADER_LINE:  # only short lines can be headers: only they need a plain, folded form
            plain = body.replace("*", "").replace("__", "").strip(" \t_")
            # the paste is folded once, character for character; the same cuts give this line's folded form
            folded = self.folded[pos + skip : end].strip().replace("*", "").replace("__", "").strip(" \t_")
            if len(folded) != len(plain):
                folded = fold(plain)
        return _Line(pos, end, depth, body, plain or body, folded)


class _Reader:
    def __init__(self, text: str, words: AuthorWords) -> None:
        self.text = text
        self.w = words
        self.parts: list[_Part] = []
        self.people: dict[str, _Person] = {}
        self.email_like = False  # quote intros or e-mail headers: the paste reads newest first
        self.speakers: set[str] = set()

    # ----------------------------------------------------------------------- people

    def person(self, name: str | None, email: str | None = None) -> _Person | None:
        if not name and not email:
            return None
        shown = name or (email or "").split("@")[0]
        key = _key(shown)
        if not key:
            return None
        person = self.people.get(key)
        if person is None:
            person = self.people[key] = _Person(shown, len(self.people))
        if email:
            person.emails.add(email.lower())
        return person

    # ----------------------------------------------------------------------- header shapes

    def name_of(self, plain: str) -> tuple[str, str | None] | None:
        """A line that is only a name (and maybe an e-mail): ("Dana Whitfield", "dana@x.example")."""
        if not plain or len(plain) > 80 or plain[-1] in ".?!,;":
            return None
        email_match = _EMAIL.search(plain)
        email = email_match.group(1) if email_match else None
        rest = (plain[: email_match.start()] + plain[email_match.end():]) if email_match else plain
        rest = rest.strip().rstrip(":").strip().strip('"')
        if not rest:
            return (email.split("@")[0], email) if email else None
        words = rest.split()
        if len(words) > 6 or any(not _NAME_WORD.fullmatch(word) for word in words):
            return None
        if not any(word[:1].isupper() for word in words):
            return None
        for word in words:
            if word[:1].islower() and fold(word) not in _PARTICLES:
                return None
        if self.is_date(fold(rest)) or self.w.not_a_name.fullmatch(fold(rest)):
            return None
        return rest, email

    def is_date(self, folded: str) -> bool:
        if not folded or len(folded) > 60 or not _TIME.search(folded):
            return False
        leftover = [w for w in _WORDS.findall(folded) if not w.isdigit() and w not in self.w.date_words]
        return not leftover

    def stamp_header(self, line: _Line) -> tuple[str | None, str | None] | None:
        """ "Dana · 2h", "**Dana** · 10:42 AM", "Sam - 3d ago": a name and a stamp; or "**16h**" alone (no name)."""
        plain = line.plain
        if _STAMP.fullmatch(plain):
            return None, None
        sep = _SEPARATOR.search(plain) or _TRAILING_STAMP.search(plain)  # "Dana Whitfield 2h" has no separator
        if sep is None:
            return None
        stamp = plain[sep.end():].strip() if sep.re is _SEPARATOR else sep.group(1)
        if not (_STAMP.fullmatch(stamp) or self.is_date(fold(stamp))):
            return None
        named = self.name_of(plain[: sep.start()])
        return (named[0], named[1]) if named else None

    def intro(self, lines: _Lines, i: int) -> tuple[int, str | None, str | None] | None:
        """ "On Mon, Nov 23, 2026 at 9:14 AM Dana <d@x> wrote:" (one or two lines): lines used, name, e-mail."""
        line = lines[i]
        for used in (1, 2):
            if i + used > len(lines):
                break
            parts = lines.span(i, i + used)
            if any(p.depth != line.depth or len(p.plain) > _HEADER_LINE for p in parts):
                break
            plain = " ".join(p.plain for p in parts)
            folded = fold(plain)
            m = self.w.quote_intro.search(folded)
            if m and folded[: 1] and self.w.intro_start.match(folded):
                email_match = _EMAIL.search(plain)
                email = email_match.group(1) if email_match else None
                return used, self._intro_name(plain, m.start(), m.end(), email_match), email
        return None

    def _intro_name(self, plain: str, verb_start: int, verb_end: int, email: re.Match[str] | None) -> str | None:
        before = plain[: email.start()].rstrip(' "<') if email is not None else plain[:verb_start].rstrip(" ,")
        after = plain[verb_end:].strip(" :")
        if after and email is None:  # German: "Am ... schrieb Dana Whitfield:"
            named = self.name_of(after)
            if named:
                return named[0]
        if email is not None and not before.strip():
            return None
        tail: list[str] = []
        for word in reversed(before.replace(",", " ").split()):
            clean = word.strip('"')
            if not clean or not (clean[0].isupper() or fold(clean) in _PARTICLES) or any(c.isdigit() for c in clean):
                break
            if fold(clean) in self.w.date_words:
                break
            tail.insert(0, clean)
            if len(tail) == 4:
                break
        return " ".join(tail) or None

    def from_block(self, lines: _Lines, i: int) -> tuple[int, str | None, str | None, bool] | None:
        """ "From: Dana <d@x>" then Sent/Date/To/Subject lines: lines used, name, e-mail, addressed to support."""
        m = self.w.header_from.match(lines[i].folded)
        if not m:
            return None
        who = lines[i].plain[m.end():].strip()
        used, fields, to_support = 1, 0, False
        while i + used < len(lines) and used < 8:
            nxt = lines[i + used]
            field_match = self.w.header_field.match(nxt.folded)
            if not field_match:
                break
            fields += 1
            if field_match.group(1) in ("to", "para", "a", "an", "cc") and self.w.agent_word.search(nxt.folded):
                to_support = True
            used += 1
        if not fields:
            return None
        named = self.name_of(who)
        email_match = _EMAIL.search(who)
        name = named[0] if named else (email_match.group(1).split("@")[0] if email_match else None)
        return used, name, email_match.group(1) if email_match else None, to_support

    def name_and_date(self, lines: _Lines, i: int) -> tuple[int, str, str | None, bool] | None:
        """Zendesk, Gmail, Front: a name line, maybe recipient lines ("to me", "To: support@..."), then a date
        line ("Nov 23, 2026, 4:12 PM"), maybe then "to me": lines used, name, e-mail, addressed to support."""
        named = self.name_of(lines[i].plain) if lines[i].plain else None
        if named is None:
            return None
        used, to_support = 1, False
        while i + used < len(lines) and used <= 3 and lines[i + used].depth == lines[i].depth:
            nxt = lines[i + used].folded
            if self.is_date(nxt) or _STAMP.fullmatch(nxt):  # "Nov 23, 2026, 4:12 PM", or an inbox stamp "16h"
                used += 1
                if i + used < len(lines) and _RECIPIENTS.fullmatch(lines[i + used].folded):
                    to_support = to_support or bool(self.w.agent_word.search(lines[i + used].folded))
                    used += 1
                return used, named[0], named[1], to_support
            if not _RECIPIENTS.fullmatch(nxt):
                return None
            to_support = to_support or bool(self.w.agent_word.search(nxt))
            used += 1
        return None

    def verb_header(self, line: _Line) -> tuple[str, str | None, bool] | None:
        """Help Scout / Front: "Dana Whitfield replied", "Sam added a note" (maybe followed by a stamp)."""
        m = self.w.header_verb.search(line.folded)
        if not m or m.start() == 0:
            return None
        named = self.name_of(line.plain[: m.start()].strip())
        rest = line.folded[m.end():].strip(" :-·•|")
        if named is None or len(rest) > 40:
            return None
        return named[0], named[1], bool(self.w.note_verb.search(m.group(0)))

    # ----------------------------------------------------------------------- the pass

    def read(self, folded: str) -> tuple[list[_Part], bool]:
        lines = _Lines(self.text, folded)
        capped = lines.capped
        self.speakers = self._speakers(lines)
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
            header = self._header(lines, i, history)
            if header is None:
                self._mark(cur, line)
                cur.lines.append(line)
                cur.said += bool(line.body)
                i += 1
                continue
            kind, used, name, email, extra = header
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
            elif kind == "original":
                self.email_like = True
                history = True
                open_part(line.start, depth=line.depth, quoted=True)
            elif kind == "from":
                self.email_like = True
                first = not any(any(ln.body for ln in p.lines) for p in parts)
                history = history or not first
                if cur.quoted and not cur.name and not any(ln.body for ln in cur.lines[1:]):
                    cur.name, cur.email = name, email  # the part the "-----Original Message-----" line opened
                else:
                    open_part(line.start, depth=line.depth, name=name, email=email, quoted=history)
                person = self.person(name, email)
                if person is not None and extra:
                    person.to_support = True
            else:  # a message header: stamp, name and date, verb, speaker, bold name
                open_part(line.start, depth=line.depth, name=name, email=email, quoted=line.depth > 0,
                          note=extra is True)
                if kind == "speaker":
                    self._role_hint(name, str(extra))
            cur.lines.extend(lines.span(i, i + used))
            if opened and kind != "speaker":
                cur.body_start = lines[i + used - 1].end + 1  # the message's own words start after its header
            if name or email:
                self.person(name, email)
            i += used
        kept = [p for p in parts if p.lines]
        return kept or parts[:1], capped

    def _header(self, lines: _Lines, i: int,
                history: bool) -> tuple[str, int, str | None, str | None, object] | None:
        line = lines[i]
        plain = line.plain
        if not line.body or len(line.body) > _HEADER_LINE:
            return None
        # Cheap gates first: most lines are a message's text, and each shape has a mark a header cannot lack.
        colon = plain.endswith(":") or (i + 1 < len(lines) and lines[i + 1].plain.endswith(":"))
        if colon:
            found = self.intro(lines, i)
            if found:
                return "intro", found[0], found[1], found[2], None
        if (plain[:1] in "-_" or plain.endswith(":") or "begin" in line.folded) and self.w.original.fullmatch(
                line.folded.strip(" -_:>")):
            return "original", 1, None, None, None
        if ":" in plain[:12]:
            block = self.from_block(lines, i)
            if block:
                return "from", block[0], block[1], block[2], block[3]
        words = plain.count(" ") + 1
        if words <= 12 and len(plain) <= 100:
            found_header = self._short_header(lines, i, words)
            if found_header is not None:
                return found_header
        if self.speakers and ":" in line.body[:60]:
            speaker = _SPEAKER.match(line.body)
            if speaker and _key(speaker.group("name")) in self.speakers:
                return "speaker", 1, speaker.group("name"), None, speaker.group("role") or ""
        return None

    def _short_header(self, lines: _Lines, i: int,
                      words: int) -> tuple[str, int, str | None, str | None, object] | None:
        line = lines[i]
        plain = line.plain
        if len(plain) <= 14 or any(c in plain for c in "·•|") or " - " in plain or " – " in plain or " — " in plain:
            stamp = self.stamp_header(line)
            if stamp is not None:
                name, email = stamp
                used = 1
                if name is None:  # "**16h**" then "**Mark Carpenter:**" on the next line names the author
                    nxt = i + 1
                    while nxt < len(lines) and not lines[nxt].body and nxt - i < 3:
                        nxt += 1
                    if nxt < len(lines) and lines[nxt].plain.endswith(":"):
                        named = self.name_of(lines[nxt].plain)
                        if named:
                            name, email, used = named[0], named[1], nxt - i + 1
                return "stamp", used, name, email, None
        if words <= 8:
            dated = self.name_and_date(lines, i)
            if dated:
                if dated[3]:
                    person = self.person(dated[1], dated[2])
                    if person is not None:
                        person.to_support = True
                return "dated", dated[0], dated[1], dated[2], None
        verb = self.verb_header(line)
        if verb:
            return "verb", 1, verb[0], verb[1], verb[2]
        if plain.endswith(":") and (line.body.startswith("**") or 2 <= words <= 4):
            # "**Mark Carpenter:**" or "Sarah Whitfield:" on its own line; never a label ("Seller phone:")
            named = self.name_of(plain)
            if named and not self.w.label_word.search(line.folded):
                return "bold", 1, named[0], named[1], None
        return None

    def _speakers(self, lines: _Lines) -> set[str]:
        """Chat transcripts ("Visitor: ...", "[10:02] Sam: ..."): labels that start two or more lines."""
        counts: dict[str, int] = {}
        for line in lines.span(0, _SPEAKER_LINES):
            m = _SPEAKER.match(line.body) if line.body and len(line.body) < 2000 else None
            if m:
                key = _key(m.group("name"))
                if key and key not in _FIELDS and not self.w.header_field.match(key + ":"):
                    counts[key] = counts.get(key, 0) + 1
        labels = {k for k, c in counts.items() if c >= 2}
        return labels if len(labels) >= 2 else set()

    def _role_hint(self, name: str | None, role: str) -> None:
        person = self.person(name)
        if person is None or not role:
            return
        folded = fold(role)
        if self.w.agent_word.search(folded) or self.w.agent_label.fullmatch(folded):
            person.label = A.AGENT
        elif self.w.customer_label.fullmatch(folded):
            person.label = A.CUSTOMER

    def _mark(self, part: _Part, line: _Line) -> None:
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


def _starts_article(line: _Line, words: AuthorWords) -> bool:
    if not line.folded:
        return False
    return bool(_HEADING.match(line.body) or (_TABLE.fullmatch(line.body) and line.body.count("|") >= 3) or (
        words.article_marker.search(line.folded)))


def _starts_signature(lines: list[_Line], k: int, rest: list[int], words: AuthorWords) -> bool:
    line = lines[k]
    if line.body in ("--", "-- ", "—", "__") or (line.folded and words.device_footer.match(line.folded)):
        return True
    # "Thanks,", "Best regards, Dana": a sign-off with at most a few short lines after it
    return bool(line.folded and words.sign_off.fullmatch(line.folded.rstrip(" ,.!"))
                and all(len(lines[j].body) <= 80 for j in rest))


def _contact_block(lines: list[_Line], body: list[int], is_name: Callable[[str], bool]) -> tuple[int, str] | None:
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
                                  start=part.start if index else 0, end=end, note=base.note))
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
            order.setdefault(_key(part.name), position)
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
        key = _key(part.name or (part.email or "").split("@")[0])
        if key in kinds:
            return kinds[key]
    if part.note:
        return A.AGENT
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
