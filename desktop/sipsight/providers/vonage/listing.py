"""One Vonage lookup: the account's call list read newest first, filtered on this side.

GET /v1/calls has no `to` or `from` filter (voice.yml `getCalls`: status, date_start, date_end, page_size,
record_index, order, conversation_uuid). So SIPSight asks for the account's calls in the lookup's window, newest
first (`order=desc`, 100 a page, the most the API gives), and keeps those to the destination and those from the
caller ID to other numbers. The same pages serve both, so the caller's calls cost no request of their own, even when
the caller ID is inferred.

Requests: the first page (which says how many records the window holds: `count`), then the pages after it, a few at
a time (Vonage allows 15 requests a second), until one of:
- every record in the window is read (a window with up to 100 calls: 1 request);
- enough is read: the latest `max_attempts` calls to the number and `max_caller_attempts` of the caller ID's;
- the bound: `max_pages` pages (30: 3,000 records). A caveat then says how far back the list was read.
A page that fails after the first keeps the pages before it (older calls are then not read, and a caveat says so).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sipsight.core.callers import infer_caller_id
from sipsight.core.lookup import FetchResult
from sipsight.core.models import Attempt, CallerQuery, DataProfile, Query
from sipsight.core.phone import pretty
from sipsight.providers.errors import BadResponse, ProviderError, Timeout, caller_id_only
from sipsight.providers.http import Scope
from sipsight.providers.timestamps import iso_z
from sipsight.providers.twilio.records import as_int
from sipsight.providers.vonage.records import NOT_AN_OBJECT, call_to_attempt, phone_number, read_call

if TYPE_CHECKING:  # the client runs the listing; the listing only calls its page method
    from sipsight.providers.vonage.client import VonageClient

log = logging.getLogger("sipsight.vonage")

PAGE_SIZE = 100  # the most voice.yml allows
MAX_PAGES = 30  # the bound of one lookup: 3,000 records of the account
WAVE = 4  # pages asked for at once after the first

NO_REASON_CAVEAT = (
    "Vonage's call records carry no SIP code, no reason and no answering-machine result: 'rejected' covers a person "
    "declining and a carrier or network block (SIP 603, 607, 608) alike, and 'failed' does not say why. Only the "
    "pattern across the caller ID's other numbers can tell a block from a decline; Vonage says more only in the "
    "call's event webhook (its 'detail': restricted, declined, cannot_route ...)."
)
SOME_REASON_CAVEAT = (
    "Vonage gives no SIP code: outcomes come from the call status and, where the record carries it, the webhook's "
    "'detail' (restricted, declined ...), which names the reason in Vonage's words, not the network's."
)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


class CallListing:
    """One lookup's state; lives only for the duration of `VonageClient.fetch`."""

    def __init__(self, client: VonageClient, scope: Scope, query: Query) -> None:
        self.c = client
        self.scope = scope
        self.q = query
        self.attempts: dict[str, Attempt] = {}  # every readable record of the window, by UUID (pages may overlap)
        self.records = 0  # records on the pages read
        self.unreadable: Counter[str] = Counter()  # records that are not calls at all: whose they were is unknown
        self.dest_unreadable: Counter[str] = Counter()  # records to the number that could not be read
        self.pages = 0
        self.stopped: ProviderError | None = None
        self.more = False  # the window holds records that were not read
        self.bounded = False  # reading stopped at the bound (max_pages), not because enough was read

    # reading ----------------------------------------------------------------

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"date_start": iso_z(self.q.since)}
        if self.q.until is not None:
            params["date_end"] = iso_z(self.q.until)
        params.update({"page_size": PAGE_SIZE, "order": "desc"})
        return params

    def _take(self, body: dict[str, Any]) -> int:
        """Read one page's records; how many entries the page had."""
        embedded = body.get("_embedded")
        if embedded is None:  # a page without `_embedded` (an empty window may come so) holds no calls
            return 0
        items = embedded.get("calls") if isinstance(embedded, dict) else None
        if not isinstance(items, list):
            raise BadResponse(f"{self.c.label} sent a call list page without a 'calls' list.", provider=self.c.name)
        dest = self.q.destination
        for item in items:
            self.records += 1
            read = read_call(item)
            if isinstance(read, str):
                to = phone_number(item.get("to")) if isinstance(item, dict) else ""
                (self.dest_unreadable if dest and to == dest else self.unreadable)[read] += 1
                continue
            try:
                attempt = call_to_attempt(read)
            except ValueError as exc:  # read_call let it through: never expected, but one record must not sink it
                log.warning("a call record could not be read: %s", exc)
                self.unreadable[NOT_AN_OBJECT] += 1
                continue
            self.attempts.setdefault(attempt.id, attempt)
        return len(items)

    def _read_pages(self) -> None:
        params = self._params()
        first = self.c.list_page(self.scope, params, 0)  # without a first page there is no lookup
        self.pages = 1
        count = as_int(first.get("count"), 0)
        size = self._take(first)
        if size < PAGE_SIZE or (count is not None and count <= PAGE_SIZE):
            return
        total = -(-count // PAGE_SIZE) if count is not None else None  # pages in the window, when Vonage said
        index = 1
        while total is None or index < total:
            if self._enough():
                self.more = True
                return
            if index >= self.c.max_pages:
                self.more = self.bounded = True
                return
            wave = range(index, min(index + (WAVE if total is not None else 1), self.c.max_pages, total or 10**9))
            results = self.scope.gather([partial(self.c.list_page, self.scope, params, i * PAGE_SIZE) for i in wave])
            for result in results:  # in page order: a failed page ends the list (what follows it is older, past a gap)
                if isinstance(result, ProviderError):
                    if isinstance(result, Timeout) and self.scope.remaining() <= 0:
                        raise result
                    self.stopped, self.more = result, True
                    return
                try:
                    size = self._take(result)
                except BadResponse as err:
                    self.stopped, self.more = err, True
                    return
                self.pages += 1
                if size < PAGE_SIZE:
                    return
            index = wave.stop

    def _enough(self) -> bool:
        """The latest calls to the number and the caller ID's are in: the rest of the window is older."""
        q = self.q
        dest = self._dest()
        if len(dest) < q.max_attempts:
            return False
        caller = q.caller_id or infer_caller_id(dest[: q.max_attempts])
        return caller is None or len(self._caller(caller)) >= q.max_caller_attempts

    # what was read ----------------------------------------------------------------

    def _in_window(self) -> list[Attempt]:
        q = self.q
        found = [
            a
            for a in self.attempts.values()
            if a.start_time >= q.since and (q.until is None or a.start_time <= q.until)
        ]
        return sorted(found, key=lambda a: (a.start_time, a.id), reverse=True)

    def _dest(self) -> list[Attempt]:
        q = self.q
        return [
            a for a in self._in_window() if a.to == q.destination and (q.caller_id is None or a.from_ == q.caller_id)
        ]

    def _caller(self, caller: str) -> list[Attempt]:
        return [a for a in self._in_window() if a.from_ == caller and a.to != self.q.destination]

    def execute(self) -> FetchResult:
        q = self.q
        self._read_pages()
        every_dest = self._dest()
        attempts = every_dest[: q.max_attempts]
        caller = q.caller_id or infer_caller_id(attempts)
        every_caller = self._caller(caller) if caller else []
        caller_attempts = every_caller[: q.max_caller_attempts]
        caveats = [SOME_REASON_CAVEAT if any("detail" in a.raw for a in attempts) else NO_REASON_CAVEAT]
        if len(every_dest) > q.max_attempts or (self.more and len(every_dest) >= q.max_attempts):
            caveats.append(
                f"Only the latest {q.max_attempts} calls to the number in the window were read; older ones were not."
            )
        if caller and (
            len(every_caller) > q.max_caller_attempts or (self.more and len(caller_attempts) == q.max_caller_attempts)
        ):
            caveats.append(f"Only the caller ID's latest {q.max_caller_attempts} calls in the window were compared.")
        caveats += self._list_caveats()
        if caller and not q.caller_id:
            caveats.append(f"The caller ID {pretty(caller)} was inferred: most calls to the number came from it.")
        if any("ring_s" in a.raw.get("derived", ()) for a in attempts + caller_attempts):
            caveats.append(
                "Ring times are worked out from each call's start and end time (to the second), not read from SIP "
                "signalling."
            )
        data = DataProfile(
            has_sip_codes=False,
            has_answered_by=False,
            has_caller_history=caller is not None,
            provider_caveats=caveats,
        )
        return FetchResult(attempts=attempts, caller_attempts=caller_attempts, caller_id=caller, data=data)

    def _list_caveats(self) -> list[str]:
        out: list[str] = []
        oldest = min((a.start_time for a in self.attempts.values()), default=None)
        reach = f", back to {_when(oldest)}" if oldest is not None else ""
        if self.stopped is not None:
            out.append(
                f"The Vonage call list stopped after {self.pages} page{'s' * (self.pages != 1)} "
                f"({self.stopped.message.rstrip('.')}); the calls read{reach} are shown, older ones were not read."
            )
        elif self.bounded:
            out.append(
                "Vonage's call list cannot be filtered by number, so SIPSight reads the account's calls newest first "
                f"and keeps this number's and the caller ID's: it stopped at its limit of {self.records:,} records "
                f"({self.pages} pages){reach}. Calls before that were not read; narrow the window (--since) to "
                "reach further back in a busy account."
            )
        left_out = sum(self.dest_unreadable.values())
        if left_out:
            why = "; ".join(reason for reason, _ in self.dest_unreadable.most_common())
            out.append(
                f"{left_out} call{'s' * (left_out != 1)} to the number could not be read ({why}); "
                f"{'they are' if left_out > 1 else 'it is'} left out."
            )
        other = sum(self.unreadable.values())
        if other:
            why = "; ".join(reason for reason, _ in self.unreadable.most_common())
            out.append(
                f"{other} of the {self.records:,} records on the account's call list could not be read ({why}); "
                "any calls to the number or from the caller ID among them are left out."
            )
        return out


class CallerListing(CallListing):
    """A caller-first lookup (`VonageClient.fetch_caller`): the same pages, newest first, keeping every call from the
    caller ID to any number, until `max_calls` of them are in, the window is read, or the bound is reached. The
    caller ID's calls cost no more requests than a destination lookup's: the pages are the account's either way."""

    def __init__(self, client: VonageClient, scope: Scope, query: CallerQuery) -> None:
        window = Query(
            destination="", caller_id=query.caller_id, since=query.since, until=query.until, max_attempts=0,
            max_caller_attempts=query.max_calls,
        )  # fmt: skip
        super().__init__(client, scope, window)
        self.caller_id = caller_id_only(client.label, query)

    def _enough(self) -> bool:
        return len(self._caller(self.caller_id)) >= self.q.max_caller_attempts

    def execute(self) -> FetchResult:
        q = self.q
        self._read_pages()
        every = self._caller(self.caller_id)
        calls = every[: q.max_caller_attempts]
        caveats = [SOME_REASON_CAVEAT if any("detail" in a.raw for a in calls) else NO_REASON_CAVEAT]
        if len(every) > q.max_caller_attempts or (self.more and len(calls) == q.max_caller_attempts):
            caveats.append(
                f"Only the caller ID's latest {q.max_caller_attempts} calls in the window were read; older ones were "
                "not ranked."
            )
        caveats += self._list_caveats()
        if any("ring_s" in a.raw.get("derived", ()) for a in calls):
            caveats.append(
                "Ring times are worked out from each call's start and end time (to the second), not read from SIP "
                "signalling."
            )
        data = DataProfile(
            has_sip_codes=False, has_answered_by=False, has_caller_history=True, provider_caveats=caveats
        )
        return FetchResult(caller_attempts=calls, caller_id=self.caller_id, data=data)
