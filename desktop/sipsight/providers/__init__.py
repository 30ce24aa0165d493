"""The telephony providers: what the faces (CLI, GUI) use to reach one, as one public surface.

A face opens a session (`open_provider`: a saved profile, the Twilio CLI's environment variables, or the demo),
hands it to `core.lookup.run_lookup`, and shows the typed errors below by their message and hint (each in the
provider's own words, from its catalog entry). `HttpConfig` tunes the one HTTP layer, its `Clock` included.
Each provider has one home beside this: `twilio/` and `signalwire.py`.
"""

from sipsight.providers.errors import (
    AuthFailed,
    BadResponse,
    FeatureNotEnabled,
    NotConfigured,
    NotFound,
    Offline,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    Timeout,
    TlsFailed,
)
from sipsight.providers.factory import ProviderSession, create_session, open_provider, provider_from_profile
from sipsight.providers.http import SYSTEM_CLOCK, Clock, HttpConfig

__all__ = [
    "SYSTEM_CLOCK",
    "AuthFailed",
    "BadResponse",
    "Clock",
    "FeatureNotEnabled",
    "HttpConfig",
    "NotConfigured",
    "NotFound",
    "Offline",
    "ProviderError",
    "ProviderSession",
    "ProviderUnavailable",
    "RateLimited",
    "Timeout",
    "TlsFailed",
    "create_session",
    "open_provider",
    "provider_from_profile",
]
