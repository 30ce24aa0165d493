"""The Plivo client: the Voice API's call detail records (`GET https://api.plivo.com/v1/Account/{auth_id}/Call/`), or
Zentrunk's (SIP trunking, the same path on zt.plivo.com), with HTTP Basic auth (Auth ID, Auth Token), and the
connection check (`GET /v1/Account/{auth_id}/`). What SIPSight knows about Plivo itself (label, status page, hints,
the 90 days it keeps) is its catalog entry, resources/providers/plivo.yaml.

One party's calls are one list: `to_number` and/or `from_number` (Plivo matches a number or a prefix: the exact
number is kept on this side), `call_direction=outbound`, and the window as `end_time__gte`/`end_time__lte` in UTC.
Plivo's own limits shape the requests:
- only the last 90 days can be read, and one query may span at most 30 days (a longer one is an HTTP 400): a longer
  window is read as several spans of at most 30 days, concurrently;
- without an end_time filter Plivo searches the last 7 days only, so both bounds are always sent;
- `limit` is at most 20 a page, paged by `offset`: the first page says how many there are (`meta.total_count`), and
  the pages still wanted come concurrently (providers/pages.py);
- 300 requests per 5 seconds for the account (then HTTP 429): a lookup sends a few dozen at most.
The record becomes an Attempt in records.py; the two parties are read as providers/parties.py says.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

import httpx

from sipsight.core.knowledge import knowledge, provider_info
from sipsight.core.lookup import CancelToken, FetchResult
from sipsight.core.lookup.provider_api import LookupWindow
from sipsight.core.models import Attempt, CallerQuery, Query
from sipsight.providers.errors import NotConfigured, ProviderError, caller_id_only, unsafe_address
from sipsight.providers.fields import text
from sipsight.providers.http import HttpClient, HttpConfig, Listing, Scope
from sipsight.providers.pages import Page, page_of, read_pages
from sipsight.providers.parties import PartyRead, data_profile, read_caller, read_parties
from sipsight.providers.plivo.records import NOT_AN_OBJECT, PRODUCTS, Record, call_to_attempt, read_call
from sipsight.providers.timed import timed_read
from sipsight.providers.url_policy import UnsafeUrl, UrlPolicy, check_base_url

log = logging.getLogger("sipsight.plivo")

API_ROOTS = {"voice": "https://api.plivo.com", "zentrunk": "https://zt.plivo.com"}
PAGE_SIZE = 20  # `limit`: at most 20
MAX_PAGES = 30  # per span and party: 600 calls
MAX_SPAN = timedelta(days=30)  # one query's end_time range
RETENTION = timedelta(days=90)  # what Plivo returns at all
SLACK = timedelta(hours=1)  # the list filters on end_time: a call that started in the window may end after it


def _plivo_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _digits(number: str) -> str:
    """Plivo's numbers are written without their '+'."""
    return number[1:] if number.startswith("+") else number


def spans(since: datetime, until: datetime, span: timedelta = MAX_SPAN) -> list[tuple[datetime, datetime]]:
    """[since, until] as consecutive ranges of at most `span`, newest first."""
    out = []
    high = until
    while high > since:
        low = max(since, high - span)
        out.append((low, high))
        high = low
    return out or [(since, until)]


class PlivoClient:
    """The Plivo provider; cheap to create, thread-safe, reusable across lookups (one keep-alive client)."""

    name = "plivo"  # its provider catalog entry

    def __init__(
        self,
        auth_id: str,
        auth_token: str,
        *,
        product: str = "voice",
        base_url: str | None = None,
        base_url_source: str | None = None,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        self.info = provider_info(self.name)
        self.label = self.info.label
        self.auth_id = (auth_id or "").strip()
        if not self.auth_id or not (auth_token or "").strip():
            raise NotConfigured(
                "This Plivo profile has no Auth ID or Auth Token.",
                "Add them with 'sipsight profile add NAME --provider plivo --auth-id ID' "
                "(the Auth Token is kept in the keyring).",
            )
        if product not in PRODUCTS:
            raise NotConfigured(f"Unknown Plivo product '{product}'.", "Use voice (the Voice API) or zentrunk.")
        self.product = product
        try:  # the last line of defence: the factory names the setting, this refuses whatever slipped past it
            self.root = (check_base_url(base_url) or API_ROOTS[product]).rstrip("/")
            policy = UrlPolicy([self.root])
        except UnsafeUrl as exc:
            raise unsafe_address(self.label, exc, "base URL") from None
        override = f"{self.root} ({base_url_source})" if base_url and base_url_source else None
        self.http = HttpClient(
            provider=self.name,
            auth=(self.auth_id, auth_token.strip()),
            config=http_config,
            transport=transport,
            override=override,
            policy=policy,
            hints=hints,
        )

    def close(self) -> None:
        self.http.close()

    def _url(self, path: str = "") -> str:
        return f"{self.root}/v1/Account/{quote(self.auth_id, safe='')}/{path}"

    # ------------------------------------------------------------------ public API

    def check_connection(self) -> str:
        scope = self.http.scope(budget_s=min(self.http.config.budget_s, 30.0))
        account = scope.get_json(self._url(), what="account")
        if not isinstance(account, dict):
            account = {}
        name = text(account.get("name")) or self.auth_id
        kind = text(account.get("account_type"))
        zone = text(account.get("timezone"))
        shown = f"{self.auth_id[:2]}…{self.auth_id[-4:]}" if len(self.auth_id) > 8 else self.auth_id
        details = ", ".join(x for x in (shown, kind, f"console time zone {zone}" if zone else None) if x)
        product = "Zentrunk (SIP trunking) call records" if self.product == "zentrunk" else "Voice API call records"
        return f"Connected to {self.label} account '{name}' ({details}); lookups read its {product}."

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult:
        def read(scope: Scope) -> FetchResult:
            now = datetime.now(UTC)
            parties = read_parties(scope, query, partial(self.read_party, query=query, now=now))
            caveats = self._capabilities(parties.attempts + parties.caller_attempts, query, now)
            return FetchResult(
                attempts=parties.attempts,
                caller_attempts=parties.caller_attempts,
                caller_id=parties.caller_id,
                data=data_profile(parties, caveats),
            )

        return timed_read(self.http, cancel, read, log, destination=query.destination)

    def fetch_caller(self, query: CallerQuery, cancel: CancelToken | None = None) -> FetchResult:
        """Every call of `query.caller_id` in the window: the call list filtered by `from_number` alone, one list per
        span of at most 30 days (the candidates are ranked, and the chosen number diagnosed, from these calls)."""
        caller_id_only(self.label, query)  # a sub-account SID alone: refused in words
        def read(scope: Scope) -> FetchResult:
            now = datetime.now(UTC)
            parties = read_caller(scope, query, partial(self.read_party, query=query, now=now))
            caveats = self._capabilities(parties.caller_attempts, query, now)
            return FetchResult(
                caller_attempts=parties.caller_attempts,
                caller_id=parties.caller_id,
                data=data_profile(parties, caveats),
            )

        return timed_read(self.http, cancel, read, log, caller_id=query.caller_id)

    # ------------------------------------------------------------------ one party's calls

    def read_party(
        self, scope: Scope, to: str | None, from_: str | None, limit: int, *, query: LookupWindow, now: datetime
    ) -> PartyRead:
        """The calls to `to` and/or from `from_` in the window, one list per span of at most 30 days (the newest span
        here, older ones on tasks)."""
        low = max(query.since, now - RETENTION)
        high = (query.until or now) + SLACK
        ranges = spans(low, high)
        futures = [
            scope.submit(partial(self.list_calls, scope, lo, hi, to=to, from_=from_, limit=limit))
            for lo, hi in ranges[1:]
        ]
        try:
            newest_span = self.list_calls(scope, *ranges[0], to=to, from_=from_, limit=limit)
            results = [newest_span, *scope.collect(futures)]
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        read = PartyRead()
        for result in results:
            if isinstance(result, ProviderError):
                raise result  # a span missing would look like "no calls" then
            listing, calls = result
            read.listed(listing, NOT_AN_OBJECT)
            for call in calls:
                if isinstance(call, str):
                    read.unreadable[call] += 1
                    continue
                try:
                    read.attempts.append(call_to_attempt(call, product=self.product))
                except ValueError as exc:  # read_call let it through: count it, never sink the lookup
                    log.info("%s", exc)
                    read.unreadable[str(exc).rpartition(": ")[2]] += 1
        return read

    def list_calls(
        self, scope: Scope, low: datetime, high: datetime, *, to: str | None, from_: str | None, limit: int
    ) -> tuple[Listing, list[Record | str]]:
        params: dict[str, Any] = {}
        if to:
            params["to_number"] = _digits(to)
        if from_:
            params["from_number"] = _digits(from_)
        params["call_direction"] = "outbound"
        params["end_time__gte"] = _plivo_time(low)
        params["end_time__lte"] = _plivo_time(high)
        listing = read_pages(
            scope,
            partial(self._page, scope, params),
            _plivo_page,
            page_size=PAGE_SIZE,
            limit=limit,
            max_pages=MAX_PAGES,
            what="call list",
        )
        return listing, [read_call(item) for item in listing.items]

    def _page(self, scope: Scope, params: dict[str, Any], index: int) -> Any:
        return scope.get_json(
            self._url("Call/"), {**params, "limit": PAGE_SIZE, "offset": index * PAGE_SIZE}, what="call list"
        )

    # ------------------------------------------------------------------ what the data can show

    def _capabilities(self, attempts: list[Attempt], query: LookupWindow, now: datetime) -> list[str]:
        """Caveats on what Plivo's data could not show for these calls (the provider's, before what was not read)."""
        caveats: list[str] = []
        if self.product == "zentrunk":
            caveats.append(
                "Plivo's Zentrunk records give a hangup code that maps to a SIP code, and no answering-machine "
                "result: a short answered call may be a voicemail greeting or a person."
            )
        else:
            caveats.append(
                "Plivo's call records give a hangup cause, not a SIP code, and no answering-machine result: a short "
                "answered call may be a voicemail greeting or a person, and a block (603, 607, 608) cannot be told "
                "from other rejected calls."
            )
        unknown: Counter[str] = Counter()
        kb = knowledge()
        for attempt in attempts:
            code = attempt.provider_error_code
            if code is None:
                continue
            key = code if ":" in code else f"voice:{code}"
            if kb.provider("plivo-hangup-cause", key) is None:
                unknown[f"{code} {attempt.provider_status or ''}".strip()] += 1
        if unknown:
            n = sum(unknown.values())
            names = ", ".join(name for name, _ in unknown.most_common(3))
            caveats.append(
                f"{n} call{'s' * (n != 1)} ended with a Plivo hangup cause SIPSight has no entry for ({names}): "
                f"{'they are' if n != 1 else 'it is'} shown as Plivo wrote it, without an outcome."
            )
        if any("ring_s" in a.raw.get("derived", ()) for a in attempts):
            caveats.append(
                "Ring times are worked out from each call's initiation and answer (or end) time, to the second, not "
                "read from SIP signalling."
            )
        naive = sum(1 for a in attempts if a.raw.get("naive_times"))
        if naive:
            caveats.append(
                f"Plivo sent the times of {naive} call{'s' * (naive != 1)} without a UTC offset; they were read as "
                "UTC (Plivo writes times in the time zone set in its console)."
            )
        if query.since < now - RETENTION:
            caveats.append("Plivo returns only the last 90 days of calls: older calls in the window were not read.")
        return caveats


def _plivo_page(body: Any) -> Page:
    """A Plivo list page: `objects` and `meta{total_count, limit, offset, next}`."""
    meta = body.get("meta") if isinstance(body, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    return page_of(body, "objects", total_items=meta.get("total_count"))
