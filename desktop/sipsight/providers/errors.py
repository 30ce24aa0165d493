"""Typed provider errors: each one a clear sentence for the agent plus a hint that says what to do.

The classes are shared by every provider; what the agent reads is the provider's own. An error raised for a
provider (`provider="signalwire"`) takes its hint from that provider's catalog entry (resources/providers/,
`core.knowledge.provider_info`), so a SignalWire failure names SignalWire and its status page, never Twilio.

Every provider error exits the CLI with code 3, so scripts can tell "the provider let us down"
(3) from "you typed something wrong" (2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sipsight.core.errors import InputError, SipsightError
from sipsight.core.knowledge import provider_info, provider_names

if TYPE_CHECKING:
    from sipsight.core.models import CallerQuery


class ProviderError(SipsightError):
    """Anything that went wrong talking to a telephony provider."""

    exit_code = 3
    kind: ClassVar[str | None] = None  # the catalog hint that fits this error (core.knowledge's HINT_KINDS)

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        provider: str | None = None,
        status: int | None = None,
        code: int | None = None,
    ):
        if hint is None:
            # a provider outside the catalog (Intercom) has no catalog hints: its client gives its own
            known = provider is not None and provider in provider_names()
            hint = provider_info(provider).hints[self.kind] if known and provider and self.kind else ""
        super().__init__(message, hint)
        self.provider = provider  # the catalog name of the provider ("twilio", "signalwire"), when known
        self.status = status  # HTTP status, when there was one
        self.code = code  # the provider's own error code (Twilio "code"), when given


class AuthFailed(ProviderError):
    kind = "auth_failed"


class FeatureNotEnabled(ProviderError):
    kind = "feature_not_enabled"


class NotFound(ProviderError):
    kind = "not_found"


class RateLimited(ProviderError):
    kind = "rate_limited"


class ProviderUnavailable(ProviderError):
    kind = "unavailable"


class BadResponse(ProviderError):
    kind = "bad_response"


class Timeout(ProviderError):
    kind = "timeout"


class Offline(ProviderError):
    kind = "offline"


class TlsFailed(Offline):
    """No secure connection could be made: a certificate not trusted (an intercepting proxy or antivirus), or
    HTTPS to a server that speaks plain HTTP. Never retried (the answer would be the same), and never solved by
    turning certificate checks off. Its hint is its own: what to check depends on which of the two it was."""


class NotConfigured(SipsightError):
    """No usable account: a setup problem, not a provider failure (exit 2, like other usage errors)."""

    exit_code = 2


def caller_id_only(label: str, query: CallerQuery) -> str:
    """The caller ID of a caller-first lookup, for a provider that has no sub-accounts to read (all but Twilio): a
    lookup by sub-account SID alone is refused in words (and without a From filter the list would be the whole
    account's)."""
    if query.caller_id:
        return query.caller_id
    raise InputError(
        f"A {label} profile cannot look calls up by sub-account ({query.account_sid}): sub-account SIDs are "
        "Twilio's.",
        "Give the customer's caller ID instead (the number their dialer calls from).",
    )


def unsafe_address(label: str, reason: object, setting: str = "base URL setting") -> NotConfigured:
    """A configured address credentials may not go to (providers/url_policy.py), refused when a client is built:
    the last line of defence behind the factory, which names the setting."""
    return NotConfigured(
        f"{label} cannot be reached safely at the configured address: {reason}.",
        f"Fix the {setting} (https://, or http:// only to this machine).",
    )
