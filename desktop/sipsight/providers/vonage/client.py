"""The Vonage provider: the Voice API's call list (GET /v1/calls) read with an application JWT, the connection check,
and `fetch`, which reads the account's calls newest first and keeps the destination's and the caller ID's
(listing.py). What SIPSight knows about Vonage itself (label, hints, status page) is its provider catalog entry,
resources/providers/vonage.yaml."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from sipsight.core.knowledge import provider_info
from sipsight.core.lookup import CancelToken, FetchResult
from sipsight.core.models import CallerQuery, Query
from sipsight.providers.errors import BadResponse, caller_id_only, unsafe_address
from sipsight.providers.http import BearerAuth, HttpClient, HttpConfig, Scope
from sipsight.providers.timed import timed_read
from sipsight.providers.twilio.records import as_int
from sipsight.providers.url_policy import UnsafeUrl, UrlPolicy, check_base_url
from sipsight.providers.vonage.app_token import ApplicationKey
from sipsight.providers.vonage.listing import MAX_PAGES, CallerListing, CallListing

log = logging.getLogger("sipsight.vonage")

VONAGE_API = "https://api.nexmo.com"  # voice.yml servers: https://api.nexmo.com/v1/calls
CALLS_PATH = "/v1/calls"


class VonageClient:
    """The Vonage provider; cheap to create, thread-safe, reusable across lookups (one keep-alive client).

    `application_id` and `private_key` (the application's PEM text, kept in the keyring) sign a short-lived JWT for
    every request. `base_url` sends the requests elsewhere (a proxy, the simulator; http:// only to this machine)."""

    name = "vonage"  # its provider catalog entry

    def __init__(
        self,
        application_id: str,
        private_key: str,
        *,
        base_url: str | None = None,
        base_url_source: str | None = None,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
        hints: Mapping[str, str] | None = None,
        max_pages: int = MAX_PAGES,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.info = provider_info(self.name)
        self.label = self.info.label
        self.key = ApplicationKey(application_id, private_key, wall_clock=wall_clock)
        try:  # the factory names the setting; this refuses whatever slipped past it
            root = check_base_url(base_url) or VONAGE_API
            policy = UrlPolicy([root], provider_hosts=[VONAGE_API])
        except UnsafeUrl as exc:
            raise unsafe_address(self.label, exc) from None
        self.root = root.rstrip("/")
        self.max_pages = max(1, max_pages)
        override = f"{base_url.rstrip('/')} ({base_url_source})" if base_url and base_url_source else None
        self.http = HttpClient(
            provider=self.name,
            auth=BearerAuth(self.key.token),
            config=http_config,
            transport=transport,
            override=override,
            policy=policy,
            hints=hints,
        )

    @property
    def calls_url(self) -> str:
        return f"{self.root}{CALLS_PATH}"

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> VonageClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_connection(self) -> str:
        scope = self.http.scope(budget_s=min(self.http.config.budget_s, 30.0))
        body = scope.get_json(self.calls_url, {"page_size": 1, "order": "desc"}, what="call list")
        count = as_int(body.get("count"), 0) if isinstance(body, dict) else None
        app = self.key.application_id
        held = f" ({count:,} calls on record)" if count is not None else ""
        return (
            f"Connected to {self.label} (application {app[:4]}…{app[-4:]}): the Voice API call list answers{held}. "
            "Vonage exposes no SIP codes: lookups show call status only."
        )

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult:
        return timed_read(
            self.http,
            cancel,
            lambda scope: CallListing(self, scope, query).execute(),
            log,
            destination=query.destination,
        )

    def fetch_caller(self, query: CallerQuery, cancel: CancelToken | None = None) -> FetchResult:
        """Every call of `query.caller_id` in the window: the account's call list newest first (it has no `from`
        filter), kept when from the caller ID, bounded like a destination lookup (listing.py)."""
        caller_id_only(self.label, query)  # a sub-account SID alone: refused in words
        return timed_read(
            self.http,
            cancel,
            lambda scope: CallerListing(self, scope, query).execute(),
            log,
            caller_id=query.caller_id,
        )

    def list_page(self, scope: Scope, params: dict[str, Any], record_index: int) -> dict[str, Any]:
        """One page of the call list (`record_index` counts records, not pages); BadResponse when it is not one."""
        body = scope.get_json(self.calls_url, {**params, "record_index": record_index}, what="call list")
        if not isinstance(body, dict) or not ("_embedded" in body or "count" in body):
            raise BadResponse(f"{self.label} sent a call list page that is not a call list.", provider=self.name)
        return body
