"""Recent lookups, kept locally so an agent can reopen a case in one click.

Qt-free: the GUI shows it, the CLI could too. One JSON file in the data directory, written atomically
(a crash mid-write must not lose the whole history). Entries older than `days` are pruned on load and
on every add; the list shows numbers masked (the file itself stays local, like the provider's own logs).
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from sipsight.core.models import LookupResult
from sipsight.core.paths import data_dir
from sipsight.core.privacy import mask_number
from sipsight.core.storage import atomic_write_text

log = logging.getLogger("sipsight.history")

FILE_NAME = "history.json"
FORMAT_VERSION = 1
# Cap on the pasted text kept per entry: enough to restore a conversation, never a whole mailbox.
MAX_INPUT_CHARS = 8000


class HistoryEntry(BaseModel):
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
    result: dict[str, Any] | None = None  # LookupResult as JSON, attempts' raw records included

    @property
    def masked_destination(self) -> str:
        return mask_number(self.destination)

    @property
    def masked_caller_id(self) -> str | None:
        return mask_number(self.caller_id) if self.caller_id else None

    def label(self, tz: tzinfo | None = None) -> str:
        """One line for the list: time, masked number, what it was."""
        when = self.created.astimezone(tz) if tz is not None else self.created.astimezone()
        what = self.headline or (self.kind or "").replace("_", " ") or "no result"
        source = " (demo)" if self.demo else ""
        return f"{when:%b %d %H:%M}  {self.masked_destination}{source}  {what}"

    def restore(self) -> LookupResult | None:
        """The stored result, or None when it is missing or no longer readable (a model change)."""
        if not self.result:
            return None
        try:
            return LookupResult.model_validate(self.result)
        except ValidationError:
            log.info("history entry %s: stored result no longer valid; re-run the lookup", self.id)
            return None


def result_to_json(result: LookupResult) -> dict[str, Any]:
    """LookupResult -> JSON-safe dict. Attempt.raw is excluded from normal dumps; the detail view needs it."""
    data = result.model_dump(mode="json", by_alias=True)
    for key in ("attempts", "caller_attempts"):
        for dumped, attempt in zip(data.get(key) or [], getattr(result, key), strict=False):
            dumped["raw"] = json.loads(json.dumps(attempt.raw, default=str))
    return data


class HistoryStore:
    """The recent-lookups file. Not thread-safe: the GUI uses it from the main thread only."""

    def __init__(self, path: Path | None = None, *, days: int = 30, max_entries: int = 50) -> None:
        self.path = path or data_dir() / FILE_NAME
        self.days = days
        self.max_entries = max_entries
        self._entries: list[HistoryEntry] = []
        self.load()

    # ------------------------------------------------------------------ reading
    def load(self) -> list[HistoryEntry]:
        self._entries = []
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as err:
            log.warning("history unreadable (%s); starting empty", err)
            return []
        try:
            doc = json.loads(text)
            rows = doc.get("entries", []) if isinstance(doc, dict) else []
        except json.JSONDecodeError:
            log.warning("history file %s is not valid JSON; starting empty", self.path)
            rows = []
        for row in rows:
            try:
                self._entries.append(HistoryEntry.model_validate(row))
            except ValidationError:
                continue  # one bad row must not cost the rest
        if self._prune():
            self._save()
        return self.entries()

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
        entry = entry.model_copy(update={"input_text": entry.input_text[:MAX_INPUT_CHARS]})
        self._entries = [
            e for e in self._entries if not (e.destination == entry.destination and e.caller_id == entry.caller_id)
        ]
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
                result=result_to_json(result),
            )
        )

    def remove(self, entry_id: str) -> None:
        self._entries = [e for e in self._entries if e.id != entry_id]
        self._save()

    def clear(self) -> None:
        self._entries = []
        self.path.unlink(missing_ok=True)

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
        before = len(self._entries)
        cutoff = (now or datetime.now(UTC)) - timedelta(days=max(self.days, 0))
        kept = [e for e in self._entries if e.created >= cutoff]
        self._entries = kept[: max(self.max_entries, 0)]
        return before - len(self._entries)

    def _save(self) -> None:
        doc = {"version": FORMAT_VERSION, "entries": [e.model_dump(mode="json") for e in self._entries]}
        try:
            atomic_write_text(self.path, json.dumps(doc, ensure_ascii=False), prefix=".history-")
        except OSError as err:  # a full disk must not break a lookup; the history is a convenience
            log.warning("could not save history: %s", err)
