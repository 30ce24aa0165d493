"""Typed provider errors: each one a clear sentence for the agent plus a hint that says what to do.

Every provider error exits the CLI with code 3, so scripts can tell "the provider let us down"
(3) from "you typed something wrong" (2).
"""

from __future__ import annotations

from sipsight.core.errors import SipsightError


class ProviderError(SipsightError):
    """Anything that went wrong talking to a telephony provider."""

    exit_code = 3
    default_hint = ""

    def __init__(self, message: str, hint: str | None = None, *, status: int | None = None, code: int | None = None):
        super().__init__(message, self.default_hint if hint is None else hint)
        self.status = status  # HTTP status, when there was one
        self.code = code  # the provider's own error code (Twilio "code"), when given


class AuthFailed(ProviderError):
    default_hint = (
        "Check the Account SID and the API key and secret (or Auth Token) of this profile; "
        "'sipsight profile test NAME' checks them."
    )


class FeatureNotEnabled(ProviderError):
    default_hint = "Turn on Voice Insights Advanced Features in the Twilio Console (Voice > Settings > Voice Insights)."


class NotFound(ProviderError):
    default_hint = "Check the Account SID (and the sub-account setting) of this profile."


class RateLimited(ProviderError):
    default_hint = "Twilio is throttling this account's API use; wait a minute and try again."


class ProviderUnavailable(ProviderError):
    default_hint = "The provider's API is having trouble; try again in a few minutes (see status.twilio.com)."


class BadResponse(ProviderError):
    default_hint = "Try again; if it keeps happening, check the profile's base URL or regional hosts."


class Timeout(ProviderError):
    default_hint = "The network or the provider is slow right now; try again, or narrow the time window (--since)."


class Offline(ProviderError):
    default_hint = "Check the internet connection (and any proxy or VPN), then try again."


class NotConfigured(SipsightError):
    """No usable account: a setup problem, not a provider failure (exit 2, like other usage errors)."""

    exit_code = 2
