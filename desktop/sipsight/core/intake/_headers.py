"""Header shapes: the lines that start a message in a pasted conversation, and the name they give its author.

Inbox stamps ("Dana · 2h", "**16h**"), a name then a date line (Zendesk, Gmail, Front), Help Scout and Front
verbs ("Dana replied", "Sam commented"), e-mail header blocks (From/Sent/To/Subject), quote intros ("On ...
Dana <d@x> wrote:"), Outlook's "-----Original Message-----", "**Name:**" lines and chat speaker labels. Each
check starts with a cheap gate: most lines are a message's text, and a header cannot lack its mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sipsight.core.intake._scan import fold
from sipsight.core.intake._vocab import AuthorWords

MAX_LINES = 10_000  # lines read for structure; the rest belongs to the last part (a note says so)
_SPEAKER_LINES = 2000  # lines looked at for chat speaker labels ("Visitor: ...")
_HEADER_LINE = 160  # header lines are short; a longer line is always a message's text

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
class Line:
    start: int
    end: int
    depth: int  # how many "> " markers
    body: str  # the text after the markers, stripped
    plain: str  # body without Markdown emphasis, for header checks
    folded: str


@dataclass
class Header:
    """A header found at a line: its shape, how many lines it takes, and the author it names."""

    kind: str  # intro | original | from | stamp | dated | verb | bold | speaker
    used: int
    name: str | None = None
    email: str | None = None
    note: bool = False  # "Sam added a note", "Alex commented": an internal note
    to_support: bool = False  # an e-mail addressed to the support team: its sender is the customer
    role: str = ""  # a speaker's bracketed role ("Agent (Sam):")
    forwarded: bool = False  # "---------- Forwarded message ---------": the forwarder passes it on


def name_key(name: str) -> str:
    """A name as compared: folded words ("**Dana Whitfield**" and "dana whitfield" are one person)."""
    return " ".join(_WORDS.findall(fold(name)))


class Lines:
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
        self.cache: dict[int, Line] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i: int) -> Line:
        line = self.cache.get(i)
        if line is None:
            line = self.cache[i] = self._read(i)
        return line

    def span(self, a: int, b: int) -> list[Line]:
        return [self[k] for k in range(a, min(b, len(self.raw)))]

    def _read(self, i: int) -> Line:
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
        return Line(pos, end, depth, body, plain or body, folded)


class Headers:
    """The header shapes, over one paste's lines."""

    def __init__(self, words: AuthorWords) -> None:
        self.w = words
        self.speakers: set[str] = set()

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

    def stamp_header(self, line: Line) -> tuple[str | None, str | None, bool] | None:
        """ "Dana · 2h", "**Dana** · 10:42 AM", "Sam - 3d ago", "Alex · Note · 2h": a name, maybe annotations, and a
        stamp; or "**16h**" alone (no name). The flag says an annotation marks an internal note."""
        plain = line.plain
        if _STAMP.fullmatch(plain):
            return None, None, False
        fields = [f.strip() for f in _SEPARATOR.split(plain) if f.strip()]
        if len(fields) < 2:
            trailing = _TRAILING_STAMP.search(plain)  # "Dana Whitfield 2h" has no separator
            if trailing is None:
                return None
            fields = [plain[: trailing.start()], trailing.group(1)]
        stamp = fields[-1]
        if len(fields) > 4 or not (_STAMP.fullmatch(stamp) or self.is_date(fold(stamp))):
            return None
        named = self.name_of(fields[0])
        if named is None:
            return None
        # what stands between the name and the stamp: "Note", "Internal note", "via email", "Seen"
        note = any(self.w.note_line.fullmatch(fold(f).strip(" ()[]")) for f in fields[1:-1])
        return named[0], named[1], note

    def intro(self, lines: Lines, i: int) -> tuple[int, str | None, str | None] | None:
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

    def from_block(self, lines: Lines, i: int) -> tuple[int, str | None, str | None, bool] | None:
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

    def name_and_date(self, lines: Lines, i: int) -> tuple[int, str, str | None, bool] | None:
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

    def verb_header(self, line: Line) -> tuple[str, str | None, bool] | None:
        """Help Scout / Front: "Dana Whitfield replied", "Sam added a note" (maybe followed by a stamp)."""
        m = self.w.header_verb.search(line.folded)
        if not m or m.start() == 0:
            return None
        named = self.name_of(line.plain[: m.start()].strip())
        rest = line.folded[m.end():].strip(" :-·•|")
        if named is None or len(rest) > 40:
            return None
        return named[0], named[1], bool(self.w.note_verb.search(m.group(0)))

    def header(self, lines: Lines, i: int) -> Header | None:
        """The header starting at line i, if one does."""
        line = lines[i]
        plain = line.plain
        if not line.body or len(line.body) > _HEADER_LINE:
            return None
        # Cheap gates first: most lines are a message's text, and each shape has a mark a header cannot lack.
        colon = plain.endswith(":") or (i + 1 < len(lines) and lines[i + 1].plain.endswith(":"))
        if colon:
            found = self.intro(lines, i)
            if found:
                return Header("intro", found[0], found[1], found[2])
        if plain[:1] in "-_" or plain.endswith(":") or "begin" in line.folded:
            marker = line.folded.strip(" -_:>")
            if self.w.original.fullmatch(marker):
                return Header("original", 1)
            if self.w.forwarded.fullmatch(marker):
                return Header("original", 1, forwarded=True)
        if ":" in plain[:12]:
            block = self.from_block(lines, i)
            if block:
                return Header("from", block[0], block[1], block[2], to_support=block[3])
        words = plain.count(" ") + 1
        if words <= 12 and len(plain) <= 100:
            found_header = self._short_header(lines, i, words)
            if found_header is not None:
                return found_header
        if self.speakers and ":" in line.body[:60]:
            speaker = _SPEAKER.match(line.body)
            if speaker and name_key(speaker.group("name")) in self.speakers:
                return Header("speaker", 1, speaker.group("name"), role=speaker.group("role") or "")
        return None

    def _short_header(self, lines: Lines, i: int, words: int) -> Header | None:
        line = lines[i]
        plain = line.plain
        if len(plain) <= 14 or any(c in plain for c in "·•|") or " - " in plain or " – " in plain or " — " in plain:
            stamp = self.stamp_header(line)
            if stamp is not None:
                name, email, note = stamp
                used = 1
                if name is None:  # "**16h**" then "**Mark Carpenter:**" on the next line names the author
                    nxt = i + 1
                    while nxt < len(lines) and not lines[nxt].body and nxt - i < 3:
                        nxt += 1
                    if nxt < len(lines) and lines[nxt].plain.endswith(":"):
                        named = self.name_of(lines[nxt].plain)
                        if named:
                            name, email, used = named[0], named[1], nxt - i + 1
                return Header("stamp", used, name, email, note=note)
        if words <= 8:
            dated = self.name_and_date(lines, i)
            if dated:
                return Header("dated", dated[0], dated[1], dated[2], to_support=dated[3])
        verb = self.verb_header(line)
        if verb:
            return Header("verb", 1, verb[0], verb[1], note=verb[2])
        if plain.endswith(":") and (line.body.startswith("**") or 2 <= words <= 4):
            # "**Mark Carpenter:**" or "Sarah Whitfield:" on its own line; never a label ("Seller phone:")
            named = self.name_of(plain)
            if named and not self.w.label_word.search(line.folded):
                return Header("bold", 1, named[0], named[1])
        return None

    def find_speakers(self, lines: Lines) -> set[str]:
        """Chat transcripts ("Visitor: ...", "[10:02] Sam: ..."): labels that start two or more lines."""
        counts: dict[str, int] = {}
        for line in lines.span(0, _SPEAKER_LINES):
            m = _SPEAKER.match(line.body) if line.body and len(line.body) < 2000 else None
            if m:
                label = name_key(m.group("name"))
                if label and label not in _FIELDS and not self.w.header_field.match(label + ":"):
                    counts[label] = counts.get(label, 0) + 1
        labels = {k for k, c in counts.items() if c >= 2}
        return labels if len(labels) >= 2 else set()
