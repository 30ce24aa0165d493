"""The Intercom REST client: the few requests SIPSight makes, through the one HTTP layer (providers/http.py).

Every request carries `Authorization: Bearer <token>`, `Accept: application/json` and the pinned `Intercom-Version`;
goes only to the configured API base (the URL policy: https, or http on this machine for the simulator); is retried
by the HTTP layer on 429 after `X-RateLimit-Reset` (a POST on nothing else: it may have taken effect); and fails as a
typed provider error in Intercom's words (inbox/errors.py).

Requests ([SPEC] operationIds): `GET /me` (identifyAdmin), `GET /conversations/{id}` (retrieveConversation),
`GET /contacts/{id}` (ShowContact, following a merge's 410), `GET /contacts/{id}/companies`
(listCompaniesForAContact), `POST /conversations/{id}/reply` (replyConversation, an admin note)."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

import httpx

from sipsight.core.lookup import CancelToken
from sipsight.inbox.data import intercom_data
from sipsight.inbox.errors import LABEL, PROVIDER, ContactMerged, hint, read_intercom_error
from sipsight.providers.errors import BadResponse, ProviderError
from sipsight.providers.http import BearerAuth, HttpClient, HttpConfig, Scope
from sipsight.providers.url_policy import UrlPolicy

MERGE_HOPS = 3  # Intercom's Link header already resolves chains of up to 3 merges ([SPEC] ShowContact)
_EMPTY_HINT_KINDS = {"auth_failed", "rate_limited", "unavailable", "not_found", "bad_response", "timeout", "offline",
                     "feature_not_enabled"}


class IntercomClient:
    """One workspace's API through one access token; thread-safe, one per session."""

    def __init__(
        self,
        token: str,
        *,
        api_base: str,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
        override: str | None = None,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.version = intercom_data().api_version
        self.http = HttpClient(
            provider=PROVIDER,
            label=LABEL,
            auth=BearerAuth(token),
            config=http_config,
            transport=transport,
            override=override,
            policy=UrlPolicy([self.api_base]),
            headers={"Intercom-Version": self.version},
            read_error=read_intercom_error,
        )
        self._me: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> IntercomClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def scope(self, cancel: CancelToken | None = None) -> Scope:
        return self.http.scope(cancel)

    def _call(self, method: str, path: str, scope: Scope, *, what: str, params: dict[str, Any] | None = None,
              body: Any = None) -> dict[str, Any]:
        try:
            got = self.http.request_json(method, self.api_base + path, params, scope=scope, what=what, body=body)
        except ProviderError as err:
            if not err.hint and err.kind in _EMPTY_HINT_KINDS:  # raised by the HTTP layer itself: Intercom's words
                err.hint = hint(err.kind)
            raise
        if not isinstance(got, dict):
            raise BadResponse(f"Intercom sent a {what} answer that is not a JSON object.", hint("bad_response"),
                              provider=PROVIDER)
        return got

    # ------------------------------------------------------------------ requests

    def me(self, scope: Scope) -> dict[str, Any]:
        """The admin the token belongs to (cached): its `id` authors notes, `app.id_code` is the workspace."""
        with self._lock:
            if self._me is not None:
                return self._me
        me = self._call("GET", "/me", scope, what="me")
        if not isinstance(me.get("id"), str | int) or isinstance(me.get("id"), bool):
            raise BadResponse("Intercom's /me answer names no admin id.", hint("bad_response"), provider=PROVIDER)
        with self._lock:
            self._me = me
        return me

    def conversation(self, conversation_id: str, scope: Scope) -> dict[str, Any]:
        return self._call("GET", f"/conversations/{_segment(conversation_id)}", scope, what="conversation")

    def contact(self, contact_id: str, scope: Scope) -> tuple[dict[str, Any], str | None]:
        """The contact, following a merge to the contact it went to; (contact, the id it was merged from or None)."""
        asked, current = contact_id, contact_id
        for _ in range(MERGE_HOPS + 1):
            try:
                return self._call("GET", f"/contacts/{_segment(current)}", scope, what="contact"), (
                    asked if current != asked else None)
            except ContactMerged as merged:
                if not merged.canonical_id or merged.canonical_id == current:
                    raise
                current = merged.canonical_id
        raise BadResponse("Intercom's contact merges lead on and on; the contact was not read.", hint("bad_response"),
                          provider=PROVIDER)

    def contact_companies(self, contact_id: str, scope: Scope) -> list[dict[str, Any]]:
        body = self._call("GET", f"/contacts/{_segment(contact_id)}/companies", scope, what="companies")
        data = body.get("data")
        return [c for c in data if isinstance(c, dict)] if isinstance(data, list) else []

    def reply_note(self, conversation_id: str, admin_id: str, body_html: str, scope: Scope) -> dict[str, Any]:
        """Post an internal note (never a customer-visible reply): the conversation as Intercom answers it."""
        request = {"message_type": "note", "type": "admin", "admin_id": admin_id, "body": body_html}
        return self._call("POST", f"/conversations/{_segment(conversation_id)}/reply", scope, what="note",
                          body=request)


def _segment(value: str) -> str:
    """An id as one path segment: nothing in it can reach another path."""
    return quote(str(value), safe="")
