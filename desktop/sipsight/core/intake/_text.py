"""Turning whatever was pasted into text intake can read: bytes, binary, mojibake, huge pastes."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

# A 1 MB conversation is read whole; beyond this the rest is dropped (with a note) so a 5 MB paste
# cannot stall the app.
MAX_CHARS = 1_100_000

# Control characters (except tab/newline/CR) become spaces, so offsets stay put and no regex trips on them.
# (A regex, not str.translate: translate takes ~150 ms on a megabyte of text holding an emoji.)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")

# The cp1252 characters that stand for bytes 0x80-0x9F when UTF-8 was read as Windows-1252.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONT = "\u0080-\u00bf" + re.escape(_CP1252_HIGH)
# A UTF-8 lead byte (as Latin-1/cp1252 text) followed by continuation bytes: "Ã©", "â€™", "ðŸ••".
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}(?:[\u00c2-\u00f4][{_CONT}]{{1,3}})*")


# A link starts with a literal ("http", "www."), so the regex engine jumps between candidates at C speed, and
# a match resumes where the last one ended: every character is looked at a bounded number of times (the
# old find-then-extend scan went back over the same text for every "www." in it: 1 MB of "www." took minutes).
_HTTP = re.compile(r"https?://[^\s<>\"'`)\]]+")
_WWW = re.compile(r"www\.[^\s<>\"'`)\]]+")
_URL_TRAILING = ".,;:!?*_"
MAX_URLS = 200


def lower_same_length(text: str) -> str:
    """text.lower() with the same offsets ("İ" lower-cases to two characters: it becomes "i")."""
    low = text.lower()
    if len(low) != len(text):
        low = text.replace("\u0130", "i").lower()
    if len(low) != len(text):  # not in Unicode 15, but cheap to guard
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def url_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Where the http(s):// and www. links are, trailing punctuation excluded (at most MAX_URLS of them)."""
    low = lower_same_length(text) if low is None else low
    found: list[tuple[int, int]] = []
    for pattern in (_HTTP, _WWW):
        count = 0
        for m in pattern.finditer(low):
            start, end = m.span()
            if start > 0 and text[start - 1].isalnum():  # "xhttps://", "awww.": not the start of a link
                continue
            while end > start and text[end - 1] in _URL_TRAILING:
                end -= 1
            body = start + 4 if pattern is _WWW else low.index("://", start) + 3
            if end <= body:
                continue  # nothing after the scheme or the "www."
            found.append((start, end))
            count += 1
            if count >= MAX_URLS:
                break
    # "https://www.example.com" is found by both patterns: keep the outer link, once
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans[:MAX_URLS]


# Long pastes are mostly e-mail threads quoting each other: each distinct line is read once.
DEDUPE_ABOVE = 100_000
# More lines than this is not a thread of messages (random text, a column of values): not worth the loop.
MAX_DEDUPE_LINES = 60_000
MIN_DEDUPE_LENGTH = 30


def _drop_repeated_lines(text: str) -> tuple[str, int]:
    lines = text.split("\n")
    if len(lines) > MAX_DEDUPE_LINES or len(set(lines)) == len(lines):
        return text, 0
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        key = line.lstrip("> \t") if line.startswith(">") else line
        # Short lines (names, stamps, "Thanks,") are the thread's structure: only long ones are quoted content.
        if key in seen and len(key) >= MIN_DEDUPE_LENGTH:
            continue
        seen.add(key)
        kept.append(line)
    dropped = len(lines) - len(kept)
    return ("\n".join(kept), dropped) if dropped else (text, 0)


@dataclass
class Prepared:
    text: str  # what the rest of intake reads (cleaned, repaired, capped)
    original_length: int
    notes: list[str] = field(default_factory=list)
    binary: bool = False


def decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def looks_binary(data: bytes | str) -> bool:
    """NULs, or many replacement/control characters: a file, not something a person typed."""
    sample = data[:65536]
    if not sample:
        return False
    if isinstance(sample, bytes):
        if b"\x00" in sample:
            return True
        sample = sample.decode("utf-8", errors="replace")
    return len(_BAD.findall(sample)) / len(sample) > 0.1


def _byte_of(char: str) -> int | None:
    code = ord(char)
    if code < 256:
        return code
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None


def _repair_run(match: re.Match[str]) -> str:
    run = match.group(0)
    raw = bytes(b for b in (_byte_of(c) for c in run) if b is not None)
    if len(raw) != len(run):
        return run
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run  # not clearly UTF-8 read as Latin-1/cp1252: leave it as the customer wrote it


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 that was read as Latin-1/cp1252 ("ðŸ••" -> "🕕", "donâ€™t" -> "don’t"), run by run."""
    if not _MOJIBAKE.search(text):
        return text, False
    fixed = _MOJIBAKE.sub(_repair_run, text)
    return fixed, fixed != text


def prepare(text: str | bytes) -> Prepared:
    binary = False
    if isinstance(text, bytes | bytearray | memoryview):
        data = bytes(text)
        text = decode(data)
        # A UTF-16 paste is full of NUL bytes yet is plain text once decoded: judge what was decoded then.
        utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        binary = looks_binary(text if utf16 else data)
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    else:
        binary = looks_binary(text)
    original_length = len(text)
    notes: list[str] = []
    if binary:
        notes.append("This looks like binary data, not text.")
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"The text was very long; only the first {MAX_CHARS:,} characters were read.")
    if _CONTROLS.search(text):
        text = _CONTROLS.sub(" ", text)
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    if len(text) > DEDUPE_ABOVE:
        text, dropped = _drop_repeated_lines(text)
        if dropped:
            notes.append(f"Repeated lines (quoted replies) were read once; {dropped:,} repeats skipped.")
    text, repaired = repair_mojibake(text) if not text.isascii() else (text, False)
    if repaired:
        notes.append("Some characters were garbled (text copied with the wrong encoding) and were repaired.")
    return Prepared(text=text, original_length=original_length, notes=notes, binary=binary)
