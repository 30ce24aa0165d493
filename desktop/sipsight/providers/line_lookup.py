"""The carrier of a called number, for the caller ID health view: Twilio Lookup v2 line type intelligence
(`GET /v2/PhoneNumbers/{n}?Fields=line_type_intelligence`) through the one HTTP layer and its URL policy, concurrent
and bounded, capped per check (Lookups are billed), and cached on disk with a TTL (`LineCache`, through
core.storage: re-read and merged under the file's lock, so two SIPSight processes never lose each other's entries).

`carrier_source(session)` is the `CarrierSource` (core/health/carriers_api.py) a face hands to `run_health`: a Twilio
session's, or None for a provider without Lookup here (its calls then count as 'carrier unknown', with a caveat)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sipsight.core import storage
from sipsight.core.health import CarrierLookup, LineInfo, thresholds
from sipsight.core.lookup import CancelToken, Session
from sipsight.core.paths import data_dir
from sipsight.core.phone import is_e164
from sipsight.providers.errors import ProviderError
from sipsight.providers.http import Scope

log = logging.getLogger(__name__)

CACHE_FILE = "line_lookup.json"
CACHE_VERSION = 1
MAX_BYTES = 8 * 1024 * 1024
BUDGET_S = 60.0  # one check's Lookups together


def _now() -> datetime:
    return datetime.now(UTC)


class LineCache:
    """number -> (carrier, line type, when looked up), kept for `ttl`; an unusable file is set aside, never lost."""

    def __init__(self, path: Path | None = None, *, ttl: timedelta | None = None, clock: Callable[[], datetime] = _now):
        self.path = path or data_dir() / CACHE_FILE
        self.ttl = ttl if ttl is not None else timedelta(days=thresholds().lookup.ttl_days)
        self.clock = clock

    def _entries(self, data: bytes | None) -> dict[str, dict[str, Any]]:
        if data is None:
            return {}
        try:
            doc = storage.parse_json(data, max_depth=4)
        except storage.Unreadable as err:
            aside = storage.copy_aside(self.path, data, "bad")
            log.warning("line lookup cache unusable (%s); set aside as %s", err.reason, aside.name)
            return {}
        entries = doc.get("numbers") if isinstance(doc, dict) else None
        return (
            {k: v for k, v in entries.items() if is_e164(k) and isinstance(v, dict)}
            if isinstance(entries, dict)
            else {}
        )

    def _fresh(self, entry: dict[str, Any], now: datetime) -> bool:
        try:
            when = datetime.fromisoformat(str(entry.get("at")))
        except ValueError:
            return False
        if when.tzinfo is None:  # written by hand or by something else: look it up again
            return False
        # not "0 <= age": another writer's entry stamped a moment after this one's clock read is fresh, not lost
        return now - when <= self.ttl

    def get(self, numbers: Sequence[str]) -> dict[str, LineInfo]:
        """The fresh entries among `numbers`."""
        try:
            data = storage.read_bytes(self.path, max_bytes=MAX_BYTES)
        except storage.Unreadable as err:
            log.warning("line lookup cache not read: %s", err.reason)
            return {}
        entries, now = self._entries(data), self.clock()
        return {
            n: LineInfo(carrier=_text(e.get("carrier")), line_type=_text(e.get("line_type")))
            for n in numbers
            if (e := entries.get(n)) is not None and self._fresh(e, now)
        }

    def put(self, lines: dict[str, LineInfo]) -> None:
        """Merge `lines` into the file as it is now (under its lock), dropping expired entries."""
        if not lines:
            return
        now = self.clock()

        def change(current: bytes | None) -> str:
            entries = {n: e for n, e in self._entries(current).items() if self._fresh(e, now)}
            stamp = now.isoformat()
            for number, line in lines.items():
                entries[number] = {"carrier": line.carrier, "line_type": line.line_type, "at": stamp}
            return json.dumps({"version": CACHE_VERSION, "numbers": entries}, indent=1, sort_keys=True) + "\n"

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            storage.update_text(self.path, change)
        except (OSError, storage.Unreadable) as err:  # a cache that cannot be written costs money, not the check
            log.warning("line lookup cache not written: %s", err)


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_line(body: object) -> LineInfo:
    """Lookup v2's answer -> LineInfo; carrier fields are null for the types without one (tollFree, unknown ...)."""
    info = body.get("line_type_intelligence") if isinstance(body, dict) else None
    if not isinstance(info, dict):
        return LineInfo()
    return LineInfo(carrier=_text(info.get("carrier_name")), line_type=_text(info.get("type")))


class TwilioLineLookup:
    """A CarrierSource over a Twilio client's HTTP layer (its hosts, credentials, URL policy, retries)."""

    def __init__(self, client: Any, *, cache: LineCache | None = None, cap: int | None = None) -> None:
        self.client = client
        self.cache = cache or LineCache()
        self.cap = thresholds().lookup.cap if cap is None else cap

    def _fetch(self, scope: Scope, number: str) -> LineInfo:
        url = f"{self.client.hosts['lookups']}/v2/PhoneNumbers/{quote(number, safe='')}"
        return read_line(scope.get_json(url, {"Fields": "line_type_intelligence"}, what="number lookup"))

    def resolve(self, numbers: Sequence[str], cancel: CancelToken | None = None) -> CarrierLookup:
        wanted = list(dict.fromkeys(n for n in numbers if is_e164(n)))
        cached = self.cache.get(wanted)
        missing = [n for n in wanted if n not in cached]
        todo, capped = missing[: self.cap], missing[self.cap :]
        lines = dict(cached)
        fetched: dict[str, LineInfo] = {}
        failed = 0
        if todo:
            scope = self.client.http.scope(cancel=cancel, budget_s=BUDGET_S)
            results = scope.gather(partial(self._fetch, scope, n) for n in todo)
            for number, result in zip(todo, results, strict=True):
                if isinstance(result, ProviderError):
                    failed += 1
                    log.info("number lookup failed: %s", result)
                else:
                    fetched[number] = result
            self.cache.put(fetched)
        lines |= fetched
        return CarrierLookup(
            lines=lines,
            cached=len(cached),
            looked_up=len(todo),
            capped=capped,
            failed=failed,
            cap=self.cap,
        )


def carrier_source(
    session: Session, *, cap: int | None = None, cache: LineCache | None = None, demo_scenario: str | None = None
) -> TwilioLineLookup | None:
    """Lookup v2 for a Twilio session (the demo's simulator serves it too); None for providers without it here.

    A demo keeps its own cache per scenario (the fictional numbers repeat across scenarios with other carriers)."""
    provider = session.provider
    if getattr(provider, "name", None) != "twilio" or "lookups" not in getattr(provider, "hosts", {}):
        return None
    if cache is None and demo_scenario:
        cache = LineCache(data_dir() / "demo" / f"line_lookup-{demo_scenario}.json")
    return TwilioLineLookup(provider, cache=cache, cap=cap)
