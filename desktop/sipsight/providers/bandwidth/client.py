"""The Bandwidth provider: the Voice API's call list (GET /accounts/{accountId}/calls) and, where the account has it,
Bandwidth Insights' call records (GET /voice/calls, the SIP codes), with the API user's credentials (HTTP Basic), the
connection check, and `fetch`, which runs a lookup's requests (rounds.py). What SIPSight knows about Bandwidth itself
(label, hints, the 7-day retention) is its provider catalog entry, resources/providers/bandwidth.yaml."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from sipsight.core.knowledge import provider_info
from sipsight.core.lookup import CancelToken, FetchResult
from sipsight.core.lookup.provider_api import LookupWindow
from sipsight.core.models import CallerQuery, Query
from sipsight.providers.bandwidth.records import NOT_AN_OBJECT, CallList, read_call, read_insights, start_of
from sipsight.providers.bandwidth.rounds import LookupRounds
from sipsight.providers.errors import (
    AuthFailed,
    BadResponse,
    NotConfigured,
    ProviderError,
    Timeout,
    caller_id_only,
    unsafe_address,
)
from sipsight.providers.http import HttpClient, HttpConfig, Scope
from sipsight.providers.timed import timed_read
from sipsight.providers.timestamps import iso_z
from sipsight.providers.twilio.records import as_int
from sipsight.providers.url_policy import UnsafeUrl, UrlPolicy, check_base_url

log = logging.getLogger("sipsight.bandwidth")

VOICE_API = "https://voice.bandwidth.com/api/v2"  # bandwidth.yml, the Voice paths' servers
INSIGHTS_API = "https://insights.bandwidth.com/api/v1"  # insights.yml servers
VOICE_PAGE = 10_000  # listCalls pageSize maximum (and the most calls it returns): one request covers a week
MAX_VOICE_PAGES = 5  # more than 10,000 calls of one number in the window: continue from the newest start time read
INSIGHTS_PAGE_MAX = 10_000  # insights.yml limit maximum
MAX_INSIGHTS_PAGES = 3
_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class BandwidthClient:
    """The Bandwidth provider; cheap to create, thread-safe, reusable across lookups (one keep-alive client).

    `account_id` is the Bandwidth account; `username`/`password` an API user's credentials (HTTP Basic, which both
    specs accept beside OAuth2 client credentials). `insights` says whether to read Bandwidth Insights (the profile's
    setting; an account without it answers 401/403 and the lookup degrades to disconnect causes). `base_url` sends
    both services to one origin (a proxy, the simulator): the Voice API under /api/v2, Insights under /api/v1."""

    name = "bandwidth"  # its provider catalog entry

    def __init__(
        self,
        account_id: str,
        username: str,
        password: str,
        *,
        insights: bool = True,
        base_url: str | None = None,
        base_url_source: str | None = None,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        self.info = provider_info(self.name)
        self.label = self.info.label
        account = (account_id or "").strip()
        if not _ACCOUNT.match(account) or not username or not password:
            raise NotConfigured(
                "This Bandwidth profile lacks its account ID, API username or password.",
                "Set the Bandwidth account ID and an API user's username and password in the profile.",
            )
        self.account_id = account
        self.insights = insights
        try:  # the factory names the setting; this refuses whatever slipped past it
            root = check_base_url(base_url)
            self.voice_root = f"{root.rstrip('/')}/api/v2" if root else VOICE_API
            self.insights_root = f"{root.rstrip('/')}/api/v1" if root else INSIGHTS_API
            policy = UrlPolicy([self.voice_root, self.insights_root], provider_hosts=[VOICE_API, INSIGHTS_API])
        except UnsafeUrl as exc:
            raise unsafe_address(self.label, exc) from None
        override = f"{base_url.rstrip('/')} ({base_url_source})" if base_url and base_url_source else None
        self.http = HttpClient(
            provider=self.name,
            auth=(username, password),
            config=http_config,
            transport=transport,
            override=override,
            policy=policy,
            hints=hints,
        )

    @property
    def calls_url(self) -> str:
        return f"{self.voice_root}/accounts/{quote(self.account_id, safe='')}/calls"

    @property
    def insights_url(self) -> str:
        return f"{self.insights_root}/voice/calls"

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> BandwidthClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ public API

    def check_connection(self) -> str:
        scope = self.http.scope(budget_s=min(self.http.config.budget_s, 30.0))
        body = scope.get_json(self.calls_url, {"pageSize": 1}, what="call list")
        if not isinstance(body, list):
            raise BadResponse(f"{self.label} sent a call list that is not a list.", provider=self.name)
        summary = f"Connected to {self.label} account {self.account_id}: the Voice API call list answers."
        if not self.insights:
            return summary + " Bandwidth Insights: not used by this profile (lookups show disconnect causes only)."
        try:
            scope.get_json(self.insights_url, {"accountId": self.account_id, "limit": 1}, what="Insights call list")
        except AuthFailed:
            return summary + " Bandwidth Insights: not enabled for this account or user (no SIP codes)."
        except ProviderError as err:
            return summary + f" Bandwidth Insights: could not check ({err.message})"
        return summary + " Bandwidth Insights: on (SIP codes available)."

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult:
        return timed_read(
            self.http,
            cancel,
            lambda scope: LookupRounds(self, scope, query).execute(),
            log,
            destination=query.destination,
        )

    def fetch_caller(self, query: CallerQuery, cancel: CancelToken | None = None) -> FetchResult:
        """Every call of `query.caller_id` in the window (the Voice API's `from` filter, and Insights' `callingNumber`
        when the profile reads Insights): 1 or 2 requests, as the caller ID's share of a destination lookup."""
        caller_id_only(self.label, query)  # a sub-account SID alone: refused in words
        return timed_read(
            self.http,
            cancel,
            lambda scope: LookupRounds(self, scope, query).execute_caller(),
            log,
            caller_id=query.caller_id,
        )

    # ------------------------------------------------------------------ the endpoints a lookup reads

    def list_calls(self, scope: Scope, query: LookupWindow, *, to: str | None, from_: str | None) -> CallList:
        """The Voice API's calls in the window (filtered by number on the server), all of them: the API sorts oldest
        first, so the newest are on the last page. A full page goes on from the newest start time it held."""
        params: dict[str, Any] = {}
        if to:
            params["to"] = to
        if from_:
            params["from"] = from_
        params["minStartTime"] = iso_z(query.since)
        if query.until is not None:
            params["maxStartTime"] = iso_z(query.until)
        params["pageSize"] = VOICE_PAGE
        found = CallList()
        seen: set[str] = set()
        for _ in range(MAX_VOICE_PAGES):
            try:
                body = scope.get_json(self.calls_url, params, what="call list")
                if not isinstance(body, list):
                    raise BadResponse(f"{self.label} sent a call list that is not a list.", provider=self.name)
            except ProviderError as err:
                if found.pages == 0 or (isinstance(err, Timeout) and scope.remaining() <= 0):
                    raise
                found.stopped = err
                return found
            found.pages += 1
            newest: datetime | None = None
            for item in body:
                read = read_call(item)
                if isinstance(read, str):
                    found.unreadable[read] += 1
                    continue
                start = start_of(read)
                newest = start if newest is None or (start is not None and start > newest) else newest
                if read["callId"] not in seen:
                    seen.add(read["callId"])
                    found.records.append(read)
            if len(body) < VOICE_PAGE:
                return found
            following = iso_z(newest) if newest is not None else None
            if following is None or following == params["minStartTime"]:
                found.truncated = True  # a whole page within one second: the list cannot move on
                return found
            params = {**params, "minStartTime": following}  # inclusive: the calls of that second come again
        found.truncated = True
        return found

    def list_insights(
        self, scope: Scope, query: LookupWindow, *, called: str | None, calling: str | None, limit: int
    ) -> CallList:
        """Insights' outbound call records in the window, newest first, up to `limit`."""
        params: dict[str, Any] = {"accountId": self.account_id}
        if called:
            params["calledNumber"] = called
        if calling:
            params["callingNumber"] = calling
        params["startTime"] = f"gte:{iso_z(query.since)}"  # without it, Insights answers the last 24 hours only
        params["callDirection"] = "OUTBOUND"
        params["sort"] = "startTime:desc"
        size = max(1, min(INSIGHTS_PAGE_MAX, limit))
        params["limit"] = size
        found = CallList()
        seen: set[str] = set()
        offset = 0
        for _ in range(MAX_INSIGHTS_PAGES):
            try:
                body = scope.get_json(self.insights_url, {**params, "offset": offset}, what="Insights call list")
                data = body.get("data") if isinstance(body, dict) else None
                items = data.get("calls") if isinstance(data, dict) else None
                if data is not None and not isinstance(items, list | None):
                    raise BadResponse(f"{self.label} sent an Insights page without a call list.", provider=self.name)
                if not isinstance(body, dict) or "data" not in body:
                    raise BadResponse(f"{self.label} sent an Insights answer without data.", provider=self.name)
            except ProviderError as err:
                if found.pages == 0 or (isinstance(err, Timeout) and scope.remaining() <= 0):
                    raise
                found.stopped = err
                return found
            found.pages += 1
            items = items if isinstance(items, list) else []
            for item in items:
                read = read_insights(item)
                if isinstance(read, str):
                    found.unreadable[read if isinstance(item, dict) else NOT_AN_OBJECT] += 1
                elif read["callId"] not in seen:
                    seen.add(read["callId"])
                    found.records.append(read)
            offset += len(items)
            total = as_int(data.get("totalCount"), 0) if isinstance(data, dict) else None
            if len(items) < size or len(found.records) >= limit or (total is not None and offset >= total):
                return found
        found.truncated = True
        return found
