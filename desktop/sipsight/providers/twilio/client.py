"""The Twilio client: one method per Twilio endpoint a lookup reads, the connection check, and `fetch`, which hands a
lookup to its request rounds (rounds.py). What SIPSight knows about Twilio itself (label, console, hints, retention)
is its provider catalog entry, resources/providers/twilio.yaml."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from sipsight.core.errors import InputError
from sipsight.core.knowledge import provider_info
from sipsight.core.lookup import CancelToken, FetchResult
from sipsight.core.lookup.provider_api import LookupWindow
from sipsight.core.models import Attempt, CallerQuery, Query
from sipsight.providers.errors import (
    AuthFailed,
    BadResponse,
    FeatureNotEnabled,
    NotFound,
    ProviderError,
    Timeout,
    unsafe_address,
)
from sipsight.providers.http import HttpClient, HttpConfig, Scope
from sipsight.providers.timed import timed_read
from sipsight.providers.twilio.account import DEFAULT_HOSTS, TwilioCredentials, resolve_hosts
from sipsight.providers.twilio.caller_rounds import CallerRounds
from sipsight.providers.twilio.records import (
    NOT_AN_OBJECT,
    CallPage,
    Record,
    Summaries,
    call_to_attempt,
    is_sid,
    read_call,
    text,
)
from sipsight.providers.twilio.rounds import LookupRounds
from sipsight.providers.url_policy import UnsafeLink, UnsafeUrl, UrlPolicy

log = logging.getLogger("sipsight.twilio")

SUBACCOUNT_CACHE_S = 300.0
_ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")
T = TypeVar("T")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TwilioClient:
    """The Twilio provider; cheap to create, thread-safe, reusable across lookups (one keep-alive client)."""

    name = "twilio"  # its provider catalog entry
    api_prefix = "/2010-04-01"
    has_insights = True
    reads_subaccounts = True  # a caller-first lookup by sub-account SID (`CallerQuery.account_sid`)

    def __init__(
        self,
        credentials: TwilioCredentials,
        *,
        hosts: Mapping[str, str | None] | None = None,
        base_url: str | None = None,
        base_url_source: str | None = None,
        subaccounts: str = "this",
        line_type_lookup: bool = False,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        self.info = provider_info(self.name)
        self.label = self.info.label
        self.credentials = credentials
        try:  # the last line of defence: the factory names the setting, this refuses whatever slipped past it
            self.hosts = resolve_hosts(hosts, base_url)
            policy = UrlPolicy(self.hosts.values(), provider_hosts=self.provider_hosts())
        except UnsafeUrl as exc:
            raise unsafe_address(self.label, exc, "base URL or host setting") from None
        self.subaccounts = subaccounts
        self.line_type_lookup = line_type_lookup
        # who set the base URL ("SIPSIGHT_TWILIO_BASE_URL", "profile 'lab' base_url"): named when nothing answers there
        override = f"{base_url.rstrip('/')} ({base_url_source})" if base_url and base_url_source else None
        self.http = HttpClient(
            provider=self.name,
            auth=(credentials.username, credentials.secret),
            config=http_config,
            transport=transport,
            override=override,
            policy=policy,
            hints=hints,
        )
        self._accounts_cache: tuple[float, list[str]] | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ URLs

    def _api(self, path: str) -> str:
        return f"{self.hosts['api']}{self.api_prefix}{path}"

    def _calls_url(self, account_sid: str) -> str:
        return self._api(f"/Accounts/{self._path_sid(account_sid)}/Calls.json")

    def provider_hosts(self) -> list[str]:
        """The provider's own origins, whose absolute next-page links are re-based onto the configured hosts."""
        return list(DEFAULT_HOSTS.values())

    @staticmethod
    def _next_api_link(body: Record) -> object:
        return body.get("next_page_uri")

    @staticmethod
    def _path_sid(sid: str) -> str:
        """A SID for a URL path: read_call and the accounts list let only SID-shaped text through; quote anyway."""
        return quote(sid, safe="")

    # ------------------------------------------------------------------ public API

    def check_connection(self) -> str:
        scope = self.http.scope(budget_s=min(self.http.config.budget_s, 30.0))
        sid = self.credentials.account_sid
        account = scope.get_json(self._api(f"/Accounts/{sid}.json"), what="account")
        if not isinstance(account, dict):
            account = {}
        name = text(account.get("friendly_name")) or sid
        status = text(account.get("status")) or "unknown status"
        summary = f"Connected to {self.label} account '{name}' ({sid[:2]}…{sid[-4:]}, {status})."
        if self.has_insights:
            summary += " " + self._insights_probe(scope)
        return summary

    def _insights_probe(self, scope: Scope) -> str:
        try:
            scope.get_json(
                f"{self.hosts['insights']}/v1/Voice/Summaries",
                {"StartTime": "1h", "PageSize": 1},
                what="Voice Insights",
            )
        except (FeatureNotEnabled, AuthFailed):
            return "Voice Insights Advanced Features: off (lookups show call status, not SIP codes)."
        except ProviderError as err:
            return f"Voice Insights: could not check ({err.message})"
        return "Voice Insights Advanced Features: on (SIP codes available)."

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult:
        if not query.destination:  # without a To filter the call list would be the whole account's
            raise ValueError("fetch needs the destination; a lookup without one is fetch_caller's")
        return timed_read(
            self.http,
            cancel,
            lambda scope: LookupRounds(self, scope, query).execute(),
            log,
            destination=query.destination,
        )

    def fetch_caller(self, query: CallerQuery, cancel: CancelToken | None = None) -> FetchResult:
        """Every call of `query.caller_id` in the window (a caller-first lookup), or of the sub-account
        `query.account_sid` whatever number it came from: its call list and Summaries list at once, then only the
        summaries the list lacked (caller_rounds.py)."""
        if query.account_sid:
            sid = query.account_sid.strip()
            if not self.reads_subaccounts:
                raise InputError(
                    f"A {self.label} profile cannot look calls up by sub-account ({sid}): that is Twilio's.",
                    "Give the customer's caller ID instead (the number their dialer calls from).",
                )
            if not _ACCOUNT_SID.fullmatch(sid):
                raise InputError(
                    f"'{sid[:40]}' is not a Twilio account SID (AC and 32 hex digits).",
                    "Check the sub-account SID (the contact's attribute, or --account).",
                )
            query = query.model_copy(update={"account_sid": sid})
        return timed_read(
            self.http,
            cancel,
            lambda scope: CallerRounds(self, scope, query).execute(),
            log,
            caller_id=query.caller_id,
            account=query.account_sid,
        )

    # ------------------------------------------------------------------ the endpoints a lookup reads

    def accounts(self, scope: Scope) -> list[str]:
        """The account SIDs to search: this one, or it and all its active sub-accounts (cached for 5 minutes)."""
        if self.subaccounts != "all":
            return [self.credentials.account_sid]
        now = self.http.clock.monotonic()
        with self._lock:
            cached = self._accounts_cache
        if cached and now - cached[0] < SUBACCOUNT_CACHE_S:
            return cached[1]
        listing = scope.paginate(
            self._api("/Accounts.json"),
            {"Status": "active", "PageSize": 1000},
            items_key="accounts",
            next_link=self._next_api_link,
            limit=5000,
            what="sub-account list",
        )
        if listing.stopped is not None:  # a partial list of accounts would look like "no calls" in the others
            raise listing.stopped
        sids = [self.credentials.account_sid]
        for account in listing.items:
            sid = account.get("sid")
            if is_sid(sid) and sid not in sids:
                sids.append(sid)
        with self._lock:
            self._accounts_cache = (self.http.clock.monotonic(), sids)
        return sids

    def list_calls(
        self, scope: Scope, account_sid: str, query: LookupWindow, *, to: str | None, from_: str | None, limit: int
    ) -> CallPage:
        params: dict[str, Any] = {}
        if to:
            params["To"] = to
        if from_:
            params["From"] = from_
        # The spec's parameter is literally named "StartTime>" (on or after, a UTC date); the exact window
        # is applied to the results, since the API filters by whole days.
        params["StartTime>"] = query.since.strftime("%Y-%m-%d")
        if query.until is not None:
            params["StartTime<"] = (query.until + timedelta(days=1)).strftime("%Y-%m-%d")
        params["PageSize"] = max(1, min(1000, limit))
        listing = scope.paginate(
            self._calls_url(account_sid),
            params,
            items_key="calls",
            next_link=self._next_api_link,
            limit=limit,
            what="call list",
        )
        page = CallPage(more=listing.more)
        page.unreadable[NOT_AN_OBJECT] += listing.unreadable
        for item in listing.items:
            read = read_call(item)
            if isinstance(read, str):
                page.unreadable[read] += 1
            else:
                page.calls.append(read)
        page.unreadable = +page.unreadable  # without the zero counts
        if listing.stopped is not None:
            page.stopped.append((listing.pages, listing.stopped.message.rstrip(".")))
        return page

    def list_summaries(
        self,
        scope: Scope,
        query: LookupWindow,
        *,
        to: str | None,
        from_: str | None,
        wanted: set[str] | None,
        limit: int,
        subaccount: str | None = None,
    ) -> Summaries:
        """Voice Insights summaries by call SID, from the list endpoint (one request covers up to 1000 calls)."""
        params: dict[str, Any] = {}
        if to:
            params["To"] = to
        if from_:
            params["From"] = from_
        params["StartTime"] = _iso(query.since)
        if query.until is not None:
            params["EndTime"] = _iso(query.until)
        params["ProcessingState"] = "all"  # include partial summaries of calls that ended minutes ago
        params["SortBy"] = "start_time"
        if subaccount:
            params["Subaccount"] = subaccount
        params["PageSize"] = max(1, min(1000, limit))
        found: Summaries = {}
        first = f"{self.hosts['insights']}/v1/Voice/Summaries"
        url: str | None = first
        page_params: dict[str, Any] | None = params
        for page in range(5):
            if url is None:
                break
            try:
                body = self._insights(scope.get_json, url, page_params, what="Voice Insights call summaries")
                if not isinstance(body, dict) or not isinstance(body.get("call_summaries"), list):
                    raise BadResponse(
                        f"{self.label} sent a Voice Insights page without a 'call_summaries' list.", provider=self.name
                    )
                for item in body["call_summaries"]:
                    if isinstance(item, dict) and is_sid(item.get("call_sid")):
                        found[item["call_sid"]] = item
                meta = body.get("meta")
                link = meta.get("next_page_url") if isinstance(meta, dict) else None
                try:
                    url = self.http.policy_for(first).next_page(first, params, link)
                except UnsafeLink as exc:
                    raise BadResponse(
                        f"{self.label} sent a Voice Insights next-page link that was not followed ({exc})",
                        provider=self.name,
                    ) from None
            except ProviderError as err:
                if page == 0 or (isinstance(err, Timeout) and scope.remaining() <= 0):
                    raise
                # the summaries already read are kept: the calls they lack are fetched one by one (round 3)
                log.info("Voice Insights list stopped after %d pages: %s", page, err.message)
                break
            page_params = None
            if (wanted is not None and wanted <= found.keys()) or len(found) >= limit:
                break
        return found

    def fetch_summary(self, scope: Scope, call_sid: str) -> Record | None:
        try:
            body = self._insights(
                scope.get_json,
                f"{self.hosts['insights']}/v1/Voice/{self._path_sid(call_sid)}/Summary",
                {"ProcessingState": "partial"},  # a partial summary beats none for a call that just ended
                what="Voice Insights call summary",
            )
        except NotFound:
            return None
        return body if isinstance(body, dict) else None

    def fetch_notifications(self, scope: Scope, account_sid: str, call_sid: str) -> list[Record]:
        body = scope.get_json(
            self._api(f"/Accounts/{self._path_sid(account_sid)}/Calls/{self._path_sid(call_sid)}/Notifications.json"),
            {"PageSize": 20},
            what="call notifications",
        )
        items = body.get("notifications") if isinstance(body, dict) else None
        return [n for n in items if isinstance(n, dict)] if isinstance(items, list) else []

    def fetch_line_type(self, scope: Scope, number: str) -> str | None:
        body = scope.get_json(
            f"{self.hosts['lookups']}/v2/PhoneNumbers/{quote(number, safe='')}",
            {"Fields": "line_type_intelligence"},
            what="number lookup",
        )
        info = body.get("line_type_intelligence") if isinstance(body, dict) else None
        kind = info.get("type") if isinstance(info, dict) else None
        return kind if isinstance(kind, str) and kind else None

    def to_attempt(self, call: Record, summary: Record | None, notes: list[Record] | None) -> Attempt:
        return call_to_attempt(call, summary, notes, provider=self.name)

    def _insights(self, get: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Voice Insights answers 403 when Advanced Features is off: a missing feature, not bad credentials."""
        try:
            return get(*args, **kwargs)
        except AuthFailed as err:
            if err.status != 403:
                raise
            raise FeatureNotEnabled(
                "Voice Insights Advanced Features is not enabled for this account (HTTP 403).",
                provider=self.name,
                status=403,
                code=err.code,
            ) from None
