"""Intercom's error answers as the typed provider errors (providers/errors.py), each in Intercom's own words: its
error list (`{"type": "error.list", "errors": [{"code", "message"}]}`, [SPEC] schema `error`), the permission a 403
is missing, the canonical contact of a 410, the reset time of a 429."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from sipsight.core.privacy import mask_text
from sipsight.inbox.data import intercom_data
from sipsight.providers.errors import (
    AuthFailed,
    BadResponse,
    NotFound,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)

PROVIDER, LABEL = "intercom", "Intercom"
_SCOPE = re.compile(r"required scope \(([a-z_]+)\)")
_LINK = re.compile(r"<\s*/contacts/([^/>\s]+)\s*>")
_MAX_BODY = 256 * 1024


class ContactMerged(NotFound):
    """A contact merged into another (410 Gone, code contact_merged): `canonical_id` is where it went, when the
    Link header said so ([SPEC] ShowContact: `Link: </contacts/{canonical_id}>; rel="canonical"`)."""

    def __init__(self, message: str, hint: str | None = None, *, canonical_id: str | None, status: int = 410) -> None:
        super().__init__(message, hint, provider=PROVIDER, status=status)
        self.canonical_id = canonical_id


def hint(kind: str) -> str:
    return intercom_data().hints[kind]


def _first_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of the first error of Intercom's error list; empty strings when the body has none."""
    if len(response.content) > _MAX_BODY:
        return "", ""
    try:
        body: Any = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return "", ""
    errors = body.get("errors") if isinstance(body, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    code, message = first.get("code"), first.get("message")
    said = " ".join(message.split())[:200] if isinstance(message, str) else ""
    return (code if isinstance(code, str) else ""), said


def read_intercom_error(response: httpx.Response, what: str) -> ProviderError:
    """The typed error of one Intercom error answer; `what` is the request's name ("conversation", "note" ...)."""
    status = response.status_code
    code, message = _first_error(response)
    said = ", ".join(p for p in (code, mask_text(message)) if p)
    tail = f"HTTP {status}" + (f": {said}" if said else "")
    if status == 401:
        return AuthFailed(f"Intercom rejected the access token ({tail}).", hint("auth_failed"), provider=PROVIDER,
                          status=status)
    if status == 403:
        if code == "api_plan_restricted":
            return AuthFailed(f"Intercom refused the {what} request ({tail}).", hint("plan_restricted"),
                              provider=PROVIDER, status=status)
        return AuthFailed(f"Intercom refused access to the {what}: {missing_permission(message, what)} ({tail}).",
                          hint("forbidden"), provider=PROVIDER, status=status)
    if status == 404:
        return NotFound(f"Intercom found no such {what} ({tail}).", hint("not_found"), provider=PROVIDER,
                        status=status)
    if status == 406:
        return BadResponse(f"Intercom would not answer the {what} request in JSON ({tail}).", hint("not_acceptable"),
                           provider=PROVIDER, status=status)
    if status == 410:
        match = _LINK.search(response.headers.get("Link", ""))
        return ContactMerged(f"This Intercom contact was merged into another ({tail}).",
                             "SIPSight follows the merge to the contact it went to; if this persists, open the "
                             "conversation in Intercom.", canonical_id=match.group(1) if match else None)
    if status == 429:
        return RateLimited(f"Intercom is rate-limiting this app ({tail}).", hint("rate_limited"), provider=PROVIDER,
                           status=status)
    if status >= 500:
        return ProviderUnavailable(f"Intercom is not available right now ({tail}).", hint("unavailable"),
                                   provider=PROVIDER, status=status)
    return BadResponse(f"Intercom did not accept the {what} request ({tail}).", hint("bad_response"),
                       provider=PROVIDER, status=status)


def missing_permission(message: str, what: str) -> str:
    """The permission a 403 names ("You do not have the required scope (read_conversations) ..."), in the Developer
    Hub's words when known; else the one this request needs."""
    match = _SCOPE.search(message)
    permissions = intercom_data().permissions
    if match:
        scope = match.group(1)
        named = {"read_conversations": "conversation", "write_conversations": "note",
                 "read_users_companies": "contact", "read_admins": "me"}.get(scope)
        label = f"'{permissions[named]}' " if named in permissions else ""
        return f"the app lacks the {label}permission (scope {scope})"
    needed = permissions.get(what)
    return f"the app may lack the '{needed}' permission" if needed else "the app lacks a permission"
