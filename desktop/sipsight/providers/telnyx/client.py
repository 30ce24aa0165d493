"""The Telnyx client: API v2 (https://api.telnyx.com/v2) with a Bearer API v2 key, reading the two lists a lookup
needs and the connection check. What SIPSight knows about Telnyx itself (label, status page, hints) is its catalog
entry, resources/providers/telnyx.yaml.

One party's calls (the destination's, or the caller ID's) are two lists read concurrently:
- `GET /v2/call_events?filter[to]=...&filter[from]=...&filter[type]=webhook&filter[occurred_at][gte]=...`: the
  webhook events of each call leg (initiated, answered, answering-machine result, hangup with hangup_cause,
  hangup_source and sip_hangup_cause). Telnyx searches the last 24 hours only without a leg id, and takes one
  occurred_at filter per request: the window's end is applied to the results. Ordered by time, oldest first, 250 a
  page: the newest pages are the ones read.
- `GET /v2/detail_records?filter[record_type]=call-control&filter[cld]=...&filter[cli]=...&filter[direction]=outbound
  &filter[created_at][gte]=...&sort=-created_at`: one detail record per leg, 50 a page, newest first, further back
  than the events: it dates the call and its talk time.
Both lists page by number; the first page says how many there are, and the rest come concurrently (providers/pages.py).
The leg's events and record become one Attempt (records.py); the two parties are read as providers/parties.py says.

Rate limits: a 429 carries `x-ratelimit-reset`, the seconds until the window resets, and no Retry-After; the client
reads it as the wait the HTTP layer honours (`_rate_limit_reset`, the layer's `read_wait`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

import httpx

from sipsight.core.knowledge import provider_info
from sipsight.core.lookup import CancelToken, FetchResult
from sipsight.core.lookup.provider_api import LookupWindow
from sipsight.core.models import Attempt, CallerQuery, Query
from sipsight.providers.errors import AuthFailed, NotConfigured, ProviderError, Timeout, caller_id_only, unsafe_address
from sipsight.providers.fields import as_float, as_int
from sipsight.providers.http import BearerAuth, HttpClient, HttpConfig, Listing, Scope
from sipsight.providers.pages import Page, page_of, read_pages
from sipsight.providers.parties import PartyRead, data_profile, read_caller, read_parties
from sipsight.providers.telnyx.records import (
    NOT_AN_OBJECT,
    Event,
    Record,
    leg_to_attempt,
    legs_of,
    read_event,
    read_record,
)
from sipsight.providers.timed import timed_read
from sipsight.providers.timestamps import iso_z
from sipsight.providers.url_policy import UnsafeUrl, UrlPolicy, check_base_url

log = logging.getLogger("sipsight.telnyx")

API_ROOT = "https://api.telnyx.com"
API_PREFIX = "/v2"
EVENT_PAGE_SIZE = 250  # page[size] of /call_events: 1-250
RECORD_PAGE_SIZE = 50  # page[size] of /detail_records: 1-50
EVENTS_PER_CALL = 4  # initiated, answered, machine detection, hangup: what a page of events holds per call
MAX_PAGES = 20  # per list and party: 5,000 events, 1,000 records
EVENT_WINDOW = timedelta(hours=24)  # /call_events without a leg id searches the last 24 hours
MAX_RESET_S = 3600.0  # an x-ratelimit-reset beyond an hour is not a wait to honour


def _rate_limit_reset(response: httpx.Response) -> float | None:
    """Telnyx's 429 says when to come back in `x-ratelimit-reset` (seconds until the window resets), not in
    Retry-After: the wait the HTTP layer honours."""
    reset = as_float(response.headers.get("x-ratelimit-reset"))
    return reset if reset is not None and 0 <= reset <= MAX_RESET_S else None


class TelnyxClient:
    """The Telnyx provider; cheap to create, thread-safe, reusable across lookups (one keep-alive client)."""

    name = "telnyx"  # its provider catalog entry

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        base_url_source: str | None = None,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        self.info = provider_info(self.name)
        self.label = self.info.label
        if not (api_key or "").strip():
            raise NotConfigured(
                "This Telnyx profile has no API key.",
                "Add it with 'sipsight profile add NAME --provider telnyx' (the key is kept in the keyring).",
            )
        try:  # the last line of defence: the factory names the setting, this refuses whatever slipped past it
            self.root = (check_base_url(base_url) or API_ROOT).rstrip("/")
            policy = UrlPolicy([self.root])
        except UnsafeUrl as exc:
            raise unsafe_address(self.label, exc, "base URL") from None
        override = f"{self.root} ({base_url_source})" if base_url and base_url_source else None
        self.http = HttpClient(
            provider=self.name,
            auth=BearerAuth(api_key.strip()),
            config=http_config,
            transport=transport,
            override=override,
            policy=policy,
            hints=hints,
            read_wait=_rate_limit_reset,
        )

    def close(self) -> None:
        self.http.close()

    def _url(self, path: str) -> str:
        return f"{self.root}{API_PREFIX}{path}"

    # ------------------------------------------------------------------ public API

    def check_connection(self) -> str:
        """Read one event and one detail record: the key works, and reads what a lookup reads."""
        scope = self.http.scope(budget_s=min(self.http.config.budget_s, 30.0))
        events, records = scope.gather(
            [
                partial(scope.get_json, self._url("/call_events"),
                        {"filter[type]": "webhook", "page[size]": 1}, what="call events"),
                partial(scope.get_json, self._url("/detail_records"),
                        {"filter[record_type]": "call-control", "filter[date_range]": "today", "page[size]": 1},
                        what="detail records"),
            ]
        )  # fmt: skip
        for answer in (events, records):
            if isinstance(answer, AuthFailed) and answer.status == 401:
                raise answer  # the key itself is refused: nothing else to say
        if isinstance(events, ProviderError) and isinstance(records, ProviderError):
            raise records
        parts = [
            self._probe(events, "call events", "in the last 24 hours"),
            self._probe(records, "call-control detail records", "today"),
        ]
        return f"Connected to {self.label} with the API key: " + "; ".join(parts) + "."

    @staticmethod
    def _probe(answer: Any, what: str, when: str) -> str:
        if isinstance(answer, ProviderError):
            return f"{what}: could not be read ({answer.message.rstrip('.')})"
        meta = answer.get("meta") if isinstance(answer, dict) else None
        total = as_int(meta.get("total_results"), 0) if isinstance(meta, dict) else None
        return f"{what}: readable" + (f" ({total} {when})" if total is not None else "")

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult:
        def read(scope: Scope) -> FetchResult:
            parties = read_parties(scope, query, partial(self.read_party, query=query))
            caveats = self._capabilities(parties.attempts + parties.caller_attempts)
            return FetchResult(
                attempts=parties.attempts,
                caller_attempts=parties.caller_attempts,
                caller_id=parties.caller_id,
                data=data_profile(parties, caveats),
            )

        return timed_read(self.http, cancel, read, log, destination=query.destination)

    def fetch_caller(self, query: CallerQuery, cancel: CancelToken | None = None) -> FetchResult:
        """Every call of `query.caller_id` in the window: its call events and its detail records, read at once and
        merged by leg as a destination's are (the candidates are ranked, and the chosen number diagnosed, from them)."""
        caller_id_only(self.label, query)  # a sub-account SID alone: refused in words
        def read(scope: Scope) -> FetchResult:
            parties = read_caller(scope, query, partial(self.read_party, query=query, every_number=True))
            caveats = self._capabilities(parties.caller_attempts)
            return FetchResult(
                caller_attempts=parties.caller_attempts,
                caller_id=parties.caller_id,
                data=data_profile(parties, caveats),
            )

        return timed_read(self.http, cancel, read, log, caller_id=query.caller_id)

    # ------------------------------------------------------------------ one party's calls

    def read_party(
        self,
        scope: Scope,
        to: str | None,
        from_: str | None,
        limit: int,
        *,
        query: LookupWindow,
        every_number: bool = False,
    ) -> PartyRead:
        """The calls to `to` and/or from `from_`.

        The destination's calls (`to` given): their events and detail records read concurrently and merged by leg;
        the records reach back further and show when the number last connected. The caller ID's calls to other
        numbers (`to` None): their events only, because the comparison between this number and the others must read
        both from data of the same kind, and a detail record can neither tell a voicemail greeting from a person nor
        say how an unanswered call ended; the records stand in only when the events cannot be read.
        Without one of the two lists the lookup goes on with the other and says what is missing; without both, the
        records' error is the lookup's. A caller-first read (`every_number`) is read like a destination's: every number
        the caller ID called is a candidate, and the one chosen is diagnosed from these calls."""
        events_limit = limit * EVENTS_PER_CALL
        if to is None and not every_number:
            try:
                events_res: tuple[Listing, list[Event | str]] | ProviderError = self.list_events(
                    scope, query, to=None, from_=from_, limit=events_limit
                )
            except ProviderError as err:
                if isinstance(err, Timeout) and scope.remaining() <= 0:
                    raise
                events_res = err
            records_res: tuple[Listing, list[Record | str]] | ProviderError | None = None
            if isinstance(events_res, ProviderError):
                records_res = self.list_records(scope, query, cld=None, cli=from_, limit=limit)
            return self._merge(events_res, records_res, caller=True)
        # the events on a task, the records here: the waits nest no deeper than the pages need (parties.py)
        events_fut = scope.submit(partial(self.list_events, scope, query, to=to, from_=from_, limit=events_limit))
        try:
            records_res = self.list_records(scope, query, cld=to, cli=from_, limit=limit)
        except ProviderError as err:
            if isinstance(err, Timeout) and scope.remaining() <= 0:
                events_fut.cancel()
                raise
            records_res = err
        except BaseException:
            events_fut.cancel()
            raise
        return self._merge(scope.collect([events_fut])[0], records_res, caller=False)

    def _merge(
        self,
        events_res: tuple[Listing, list[Event | str]] | ProviderError,
        records_res: tuple[Listing, list[Record | str]] | ProviderError | None,
        *,
        caller: bool,
    ) -> PartyRead:
        """One party's events and records as attempts, with what could not be read."""
        if isinstance(events_res, ProviderError) and isinstance(records_res, ProviderError):
            raise records_res
        if isinstance(events_res, ProviderError) and records_res is None:
            raise events_res
        read = PartyRead()
        events: list[Event | str] = []
        records: list[Record | str] = []
        if isinstance(events_res, ProviderError):
            read.notes.append(
                f"{self.label}'s call events could not be read ({events_res.message.rstrip('.')}): the calls come "
                "from the detail records alone, which show whether each call was answered and how long it lasted, "
                "not its hangup cause, SIP code or answering-machine result."
            )
        else:
            listing, events = events_res
            read.listed(listing, NOT_AN_OBJECT)
        if caller and not isinstance(events_res, ProviderError):
            read.notes.append(
                "The caller ID's other calls are compared over Telnyx's call events, which reach back 24 hours: "
                "its detail records go further but cannot tell a voicemail greeting from a person or say how an "
                "unanswered call ended, so the comparison reads both sides from the same kind of data."
            )
        elif isinstance(records_res, ProviderError):
            read.notes.append(
                f"{self.label}'s detail records could not be read ({records_res.message.rstrip('.')}): only the "
                "calls in Telnyx's call events (the last 24 hours) are shown."
            )
        elif records_res is not None:
            listing, records = records_res
            read.listed(listing, NOT_AN_OBJECT)
        for reason in (r for r in [*events, *records] if isinstance(r, str)):
            read.unreadable[reason] += 1
        good_events = [e for e in events if isinstance(e, Event)]
        good_records = [r for r in records if isinstance(r, dict)]
        for leg in legs_of(good_events, good_records):
            try:
                read.attempts.append(leg_to_attempt(leg))
            except ValueError as exc:  # one odd leg must not sink the lookup; it is counted in a caveat
                log.info("%s", exc)
                read.unreadable[str(exc).rpartition(": ")[2]] += 1
        return read

    def list_events(
        self, scope: Scope, query: LookupWindow, *, to: str | None, from_: str | None, limit: int
    ) -> tuple[Listing, list[Event | str]]:
        params: dict[str, Any] = {"filter[type]": "webhook"}
        if to:
            params["filter[to]"] = to
        if from_:
            params["filter[from]"] = from_
        # one occurred_at filter per request: the start; the window's end is applied to the calls
        params["filter[occurred_at][gte]"] = iso_z(query.since)
        listing = read_pages(
            scope,
            partial(self._page, scope, "/call_events", params, EVENT_PAGE_SIZE, "call events"),
            _telnyx_page,
            page_size=EVENT_PAGE_SIZE,
            limit=limit,
            max_pages=MAX_PAGES,
            what="call events",
            newest_last=True,
        )
        return listing, [read_event(item) for item in listing.items]

    def list_records(
        self, scope: Scope, query: LookupWindow, *, cld: str | None, cli: str | None, limit: int
    ) -> tuple[Listing, list[Record | str]]:
        params: dict[str, Any] = {"filter[record_type]": "call-control", "filter[direction]": "outbound"}
        if cld:
            params["filter[cld]"] = cld
        if cli:
            params["filter[cli]"] = cli
        params["filter[created_at][gte]"] = iso_z(query.since)
        if query.until is not None:
            params["filter[created_at][lt]"] = iso_z(query.until + timedelta(seconds=1))
        params["sort"] = "-created_at"
        listing = read_pages(
            scope,
            partial(self._page, scope, "/detail_records", params, RECORD_PAGE_SIZE, "detail records"),
            _telnyx_page,
            page_size=RECORD_PAGE_SIZE,
            limit=limit,
            max_pages=MAX_PAGES,
            what="detail records",
        )
        return listing, [read_record(item) for item in listing.items]

    def _page(self, scope: Scope, path: str, params: dict[str, Any], size: int, what: str, index: int) -> Any:
        return scope.get_json(self._url(path), {**params, "page[number]": index + 1, "page[size]": size}, what=what)

    # ------------------------------------------------------------------ what the data can show

    def _capabilities(self, attempts: list[Attempt]) -> list[str]:
        """Caveats on what Telnyx's data could not show for these calls (the provider's, before what was not read)."""
        caveats: list[str] = []
        from_records = [a for a in attempts if not a.raw.get("events") and "record" in a.raw]
        if from_records:
            n = len(from_records)
            caveats.append(
                f"{n} call{'s' * (n != 1)} older than Telnyx's 24-hour call-event search "
                f"{'come' if n != 1 else 'comes'} from detail records: whether "
                f"{'each was' if n != 1 else 'it was'} answered and for how long, without the hangup cause, SIP "
                "code, ring time or answering-machine result."
            )
        with_events = [a for a in attempts if a.raw.get("events")]
        answered = [a for a in with_events if a.duration_s]
        if answered and not any(a.answered_by for a in with_events):
            caveats.append(
                "Telnyx's events carry no answering-machine result for these calls (detection was not requested): "
                "a short answered call may be a voicemail greeting or a person."
            )
        return caveats


def _telnyx_page(body: Any) -> Page:
    """A Telnyx list page: `data` and `meta{total_pages, total_results}`."""
    meta = body.get("meta") if isinstance(body, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    return page_of(body, "data", total_items=meta.get("total_results"), total_pages=meta.get("total_pages"))
