"""Recent lookups, kept locally so an agent can reopen a case in one click.

Qt-free: the GUI shows it, the CLI could too. One JSON file in the data directory (format 2), written through
core.storage: atomically, under the file's lock, merged with what another window saved meanwhile.

An entry keeps what reopening a case needs and no more: the query (destination, caller ID, window, source),
the pasted text (other people's numbers in it masked, at most MAX_INPUT_CHARS), the diagnosis' kind, headline
and confidence, and how many calls were looked at. Never the attempts or the caller's calls to third parties:
a case reopens by looking it up again. An entry is about 1 KB plus the pasted text (format 1 kept the whole
result, ~760 KB a lookup, and is slimmed when read).

A file that cannot be read is set aside byte for byte under a unique name and the user is told (`notes`); a file
from a newer SIPSight is left untouched and this session's lookups are kept in memory only. Saving never blocks
a lookup's result (`background`: a writer thread) and a failure is logged and told once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sipsight.core import storage
from sipsight.core.models import LookupResult
from sipsight.core.paths import data_dir
from sipsight.core.privacy import mask_number, mask_text

log = logging.getLogger("sipsight.history")

FILE_NAME = "history.json"
FORMAT_VERSION = 2  # 1: each entry held the whole LookupResult, raw provider records included
# Cap on the pasted text kept per entry: enough to restore a conversation, never a whole mailbox.
MAX_INPUT_CHARS = 8000
MAX_BYTES = 64 * 1024 * 1024  # a format-1 file of 50 lookups is ~38 MB: read once, then slimmed
MAX_DEPTH = 64  # format 1 nested provider records; format 2 nests 3 deep

_SURROGATE = re.compile("[\ud800-\udfff]")
_NUMBERISH = re.compile(r"(?<![\w])\+?\d(?:[\s().\-]{0,2}\d){6,}(?![\w])")  # as core.privacy: wide on purpose


def clean_text(text: str) -> str:
    """`text` with lone surrogates (a broken paste) replaced by U+FFFD: they cannot be written as UTF-8."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def mask_others(text: str, keep: set[str]) -> str:
    """Mask every phone number in `text` but the case's own (`keep`, E.164), whatever way they are written."""
    from sipsight.core.phone import to_e164

    def one(match: re.Match[str]) -> str:
        try:
            own = to_e164(match.group(0)) in keep
        except Exception:  # not a number the phone library can read: mask it all the same
            own = False
        return match.group(0) if own else mask_number(match.group(0))

    return _NUMBERISH.sub(one, text)


class HistoryEntry(BaseModel):
    model_config = ConfigDict(extra="ignore")  # format 1's `result` is dropped when read

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    created: datetime = Field(default_factory=lambda: datetime.now(UTC))
    destination: str
    caller_id: str | None = None
    profile: str | None = None
    demo: bool = False
    scenario: str | None = None
    window: str = "7d"
    input_text: str = ""
    kind: str | None = None
    headline: str | None = None
    confidence: float | None = None
    attempts: int | None = None  # calls to the destination the lookup read
    caller_attempts: int | None = None  # the caller ID's other calls it read: a count, never their numbers

    @model_validator(mode="before")
    @classmethod
    def _clean(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()}
        result = data.get("result")
        if isinstance(result, dict):  # format 1: keep the counts, drop the rest
            for key in ("attempts", "caller_attempts"):
                if data.get(key) is None and isinstance(result.get(key), list):
                    data[key] = len(result[key])
        return data

    @property
    def masked_destination(self) -> str:
        return mask_number(self.destination)

    @property
    def masked_caller_id(self) -> str | None:
        return mask_number(self.caller_id) if self.caller_id else None

    def label(self, tz: tzinfo | None = None) -> str:
        """One line for the list: time, masked number, what it was (the headline, its numbers masked too)."""
        when = self.created.astimezone(tz) if tz is not None else self.created.astimezone()
        what = mask_text(self.headline) if self.headline else self._kind_words()
        source = " (demo)" if self.demo else ""
        return f"{when:%b %d %H:%M}  {self.masked_destination}{source}  {what}"

    def _kind_words(self) -> str:
        if not self.kind:
            return "no result"
        from sipsight.core.diagnosis import kind_label  # the advice data loads only for an entry without headline

        try:
            return kind_label(self.kind)
        except ValueError:  # a kind from a newer SIPSight
            return "a diagnosis from a newer SIPSight"


class _Future(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


class HistoryStore:
    """The recent-lookups file. Used from one thread (the GUI's); with `background` the writes run on a writer
    thread of their own. `enabled=False` (screenshots) reads and writes nothing: entries live in memory only."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        days: int = 30,
        max_entries: int = 50,
        enabled: bool = True,
        background: bool = True,
    ) -> None:
        self.path = path or data_dir() / FILE_NAME
        self.days = days
        self.max_entries = max_entries
        self.enabled = enabled
        self.background = background
        self.writable = enabled
        self.notes: list[str] = []  # what the user should be told (a file set aside, saving failed)
        self._entries: list[HistoryEntry] = []
        self._removed: set[str] = set()
        self._lock = threading.Lock()  # guards notes, the pending snapshot and the writer
        self._pending: tuple[list[HistoryEntry], set[str]] | None = None
        self._writer: threading.Thread | None = None
        self._save_failed = False
        self._copied: set[bytes] = set()
        self.load()

    # ------------------------------------------------------------------ reading
    def load(self) -> list[HistoryEntry]:
        self._entries = []
        if not self.enabled:
            return []
        try:
            entries, changed = self._read(self.path.exists())
        except _Future as future:
            self.writable = False
            self._note(
                f"The history file {self.path} was written by a newer SIPSight (format {future.version}); it is "
                "kept as it is, and this session's lookups are not saved."
            )
            return []
        self._entries = entries
        if self._prune() or changed:
            self._save()
        return self.entries()

    def _read(self, exists: bool) -> tuple[list[HistoryEntry], bool]:
        """The entries in the file (those of it that can be read) and whether it should be rewritten; an
        unusable file is set aside. Raises _Future for a newer format."""
        if not exists:
            return [], False
        try:
            got = storage.read_json(self.path, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
            if got is None:
                return [], False
            doc, raw = got
            rows = doc.get("entries") if isinstance(doc, dict) else None
            version = doc.get("version") if isinstance(doc, dict) else None
            if not isinstance(rows, list) or not isinstance(version, int) or isinstance(version, bool):
                raise storage.Unreadable("it is not a history file (no version and list of entries)")
        except storage.Unreadable as exc:
            self._set_aside(exc.reason)
            return [], False
        if version > FORMAT_VERSION:
            raise _Future(version)
        entries: list[HistoryEntry] = []
        for row in rows:
            try:
                entries.append(HistoryEntry.model_validate(row))
            except ValidationError:
                continue
        if len(entries) < len(rows):
            self._copy_aside(raw, len(rows) - len(entries), len(rows))
        return entries, version < FORMAT_VERSION or len(entries) < len(rows)

    def _set_aside(self, reason: str) -> None:
        try:
            where = f"it was moved to {storage.set_aside(self.path, 'bad')}"
        except OSError as err:
            self.writable = False  # never write over a file that could not be kept
            where = f"it could not be moved aside ({err.strerror or err}), so history is not saved this session"
        self._note(f"The history file {self.path} could not be read ({reason}); {where}.")

    def _copy_aside(self, raw: bytes, bad: int, total: int) -> None:
        digest = hashlib.sha256(raw).digest()
        if digest in self._copied:  # the same file read again to merge a save: it is kept already
            return
        self._copied.add(digest)
        try:
            where = f"the file as it was is kept at {storage.copy_aside(self.path, raw, 'bad')}"
        except OSError as err:
            self.writable = False
            where = f"the file could not be copied aside ({err.strerror or err}), so it is left as it is"
        self._note(f"{bad} of {total} entries in the history file {self.path} could not be read; {where}.")

    def _note(self, note: str) -> None:
        log.warning(note)
        with self._lock:
            self.notes.append(note)

    def entries(self) -> list[HistoryEntry]:
        """Newest first."""
        return list(self._entries)

    def get(self, entry_id: str) -> HistoryEntry | None:
        return next((e for e in self._entries if e.id == entry_id), None)

    def __len__(self) -> int:
        return len(self._entries)

    # ------------------------------------------------------------------ writing
    def add(self, entry: HistoryEntry) -> HistoryEntry:
        """Newest first; a repeat lookup of the same destination + caller ID replaces the older entry."""
        keep = {n for n in (entry.destination, entry.caller_id) if n}
        text = mask_others(clean_text(entry.input_text[:MAX_INPUT_CHARS]), keep)
        entry = entry.model_copy(update={"input_text": text})
        replaced = [e for e in self._entries if _same_case(e, entry)]
        self._removed.update(e.id for e in replaced)
        self._entries = [e for e in self._entries if not _same_case(e, entry)]
        self._entries.insert(0, entry)
        self._prune()
        self._save()
        return entry

    def add_result(self, result: LookupResult, *, input_text: str = "", window: str = "7d") -> HistoryEntry:
        diag = result.diagnosis
        return self.add(
            HistoryEntry(
                destination=result.query.destination,
                caller_id=result.caller_id or result.query.caller_id,
                profile=result.profile,
                demo=result.demo,
                scenario=result.scenario,
                window=window,
                input_text=input_text,
                kind=str(diag.kind) if diag else None,
                headline=diag.headline if diag else None,
                confidence=diag.confidence if diag else None,
                attempts=len(result.attempts),
                caller_attempts=len(result.caller_attempts),
            )
        )

    def remove(self, entry_id: str) -> None:
        self._removed.add(entry_id)
        self._entries = [e for e in self._entries if e.id != entry_id]
        self._save()

    def clear(self) -> None:
        """Forget every entry and delete the file (a file from a newer SIPSight is not this version's to delete)."""
        self.flush()
        self._removed.update(e.id for e in self._entries)
        self._entries = []
        if self.enabled and self.writable:
            try:
                with storage.locked(self.path):
                    self.path.unlink(missing_ok=True)
            except OSError as err:
                self._failed(err)

    def set_limits(self, *, days: int | None = None, max_entries: int | None = None) -> None:
        if days is not None:
            self.days = days
        if max_entries is not None:
            self.max_entries = max_entries
        if self._prune():
            self._save()

    def prune(self, now: datetime | None = None) -> int:
        """Drop entries older than `days`; returns how many went."""
        removed = self._prune(now)
        if removed:
            self._save()
        return removed

    def _prune(self, now: datetime | None = None) -> int:
        before = self._entries
        cutoff = (now or datetime.now(UTC)) - timedelta(days=max(self.days, 0))
        kept = [e for e in before if e.created >= cutoff][: max(self.max_entries, 0)]
        kept_ids = {e.id for e in kept}
        self._removed.update(e.id for e in before if e.id not in kept_ids)
        self._entries = kept
        return len(before) - len(kept)

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until what was added so far is on disk (tests, closing the window)."""
        writer = self._writer
        if writer is not None:
            writer.join(timeout)

    def _save(self) -> None:
        if not (self.enabled and self.writable):
            return
        snapshot = (list(self._entries), set(self._removed))
        if not self.background:
            self._write(*snapshot)
            return
        with self._lock:
            self._pending = snapshot
            if self._writer is None or not self._writer.is_alive():
                # not a daemon: the interpreter waits for the last write at exit
                self._writer = threading.Thread(target=self._drain, name="sipsight-history-writer")
                self._writer.start()

    def _drain(self) -> None:
        while True:
            with self._lock:
                snapshot, self._pending = self._pending, None
                if snapshot is None:
                    return
            self._write(*snapshot)

    def _write(self, entries: list[HistoryEntry], removed: set[str]) -> None:
        """Merge `entries` into the file as it is now (another window may have added to it), under its lock."""
        try:
            storage.update_text(self.path, lambda _current: self._merged_text(entries, removed), prefix=".history-")
            self._save_failed = False
        except Exception as err:  # a full disk, a read-only folder: history is a convenience, a lookup goes on
            self._failed(err)

    def _merged_text(self, entries: list[HistoryEntry], removed: set[str]) -> str | None:
        try:
            on_disk, _ = self._read(self.path.exists())
        except _Future as future:
            self.writable = False
            self._note(f"The history file {self.path} was replaced by a newer SIPSight (format {future.version}).")
            return None
        if not self.writable:
            return None
        mine = {e.id for e in entries}
        merged = list(entries)
        for other in on_disk:
            if other.id not in mine and other.id not in removed and not any(_same_case(other, e) for e in merged):
                merged.append(other)
        merged.sort(key=lambda e: e.created, reverse=True)
        cutoff = datetime.now(UTC) - timedelta(days=max(self.days, 0))
        merged = [e for e in merged if e.created >= cutoff][: max(self.max_entries, 0)]
        doc = {"version": FORMAT_VERSION, "entries": [e.model_dump(mode="json") for e in merged]}
        return json.dumps(doc, ensure_ascii=False)

    def _failed(self, err: BaseException) -> None:
        if self._save_failed:
            return
        self._save_failed = True
        self._note(
            f"Recent lookups could not be saved to {self.path} ({_reason(err)}); they are kept for this session."
        )


def _same_case(a: HistoryEntry, b: HistoryEntry) -> bool:
    return a.destination == b.destination and a.caller_id == b.caller_id


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError):
        return str(err.strerror or err)
    return type(err).__name__
