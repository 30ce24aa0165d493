"""Opening a provider: a saved profile (any of the six providers), the Twilio CLI's environment variables, or the
built-in demo (serving any of the six providers' APIs).

The GUI keeps one `ProviderSession` open across lookups: creating it is cheap (no network), and the
provider inside is thread-safe, so a worker thread can run one lookup while the next is queued.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sipsight.core.knowledge import provider_info
from sipsight.core.lookup import Provider
from sipsight.providers.bandwidth import BandwidthClient
from sipsight.providers.errors import NotConfigured
from sipsight.providers.http import HttpConfig
from sipsight.providers.plivo import PlivoClient
from sipsight.providers.signalwire import SignalWireClient
from sipsight.providers.telnyx import TelnyxClient
from sipsight.providers.twilio.account import TwilioCredentials
from sipsight.providers.twilio.client import TwilioClient
from sipsight.providers.url_policy import check_base_url as check_safe_base_url
from sipsight.providers.url_policy import check_host_option
from sipsight.providers.vonage import VonageClient
from sipsight.settings import credentials
from sipsight.settings.model import Profile, Settings, check_base_url
from sipsight.settings.store import load_settings

if TYPE_CHECKING:
    from sipsight.simulator.server import Simulator

ENV_BASE_URL = "SIPSIGHT_TWILIO_BASE_URL"


@dataclass
class ProviderSession:
    provider: Provider
    label: str  # what the UI shows: "Twilio (profile 'work')", "Demo data: Origin ticket"
    demo: bool = False
    scenario: str | None = None
    profile: str | None = None
    timezone: str | None = None
    region: str | None = None
    # the customer's own caller ID when the session knows it: the demo's scenario customer (a conversation that names
    # no number is then looked up caller-first, `core.lookup.lookup_case`); later the inbox contact's
    contact_caller_id: str | None = None
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def close(self) -> None:
        with self._lock:
            closers, self._closers = self._closers, []
        for close in [self.provider.close, *closers]:
            close()

    def __enter__(self) -> ProviderSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def env_base_url() -> str | None:
    """SIPSIGHT_TWILIO_BASE_URL when set; a typo is a setup error (exit 2), not "the provider is having trouble",
    and plain http:// to another machine is refused (the credentials would travel unencrypted)."""
    try:
        return check_safe_base_url(check_base_url(os.environ.get(ENV_BASE_URL)))
    except ValueError as exc:
        raise NotConfigured(
            f"{ENV_BASE_URL} is not a usable address: {exc}.",
            f"Set {ENV_BASE_URL} to the origin to send Twilio requests to (a proxy or the simulator), or unset it.",
        ) from None


def profile_base_url(profile: Profile) -> str | None:
    """The profile's own base_url (validated again: a model built without validation must not reach httpx)."""
    try:
        return check_safe_base_url(check_base_url(profile.base_url))
    except ValueError as exc:
        raise NotConfigured(
            f"The base_url of profile '{profile.name}' is not a usable address: {exc}.",
            f"Fix it with 'sipsight profile add {profile.name} --base-url https://HOST:PORT ...' "
            "(http:// only to this machine), or remove it to use the provider's own hosts.",
        ) from None


def profile_hosts(profile: Profile) -> dict[str, str | None]:
    """The profile's regional hosts, each checked (a host name or an https:// origin; http:// only to this machine)."""
    hosts = profile.hosts.by_service()
    for service, value in hosts.items():
        try:
            check_host_option(value)
        except ValueError as exc:
            raise NotConfigured(
                f"The {service} host of profile '{profile.name}' is not usable: {exc}.",
                f"Fix it with 'sipsight profile add {profile.name} --{service}-host HOST ...' "
                "(a host name such as api.dublin.ie1.twilio.com), or remove it.",
            ) from None
    return hosts


ENV_HINTS = {
    "auth_failed": "Check the TWILIO_ACCOUNT_SID / TWILIO_API_KEY variables (with TWILIO_API_SECRET, or "
    "TWILIO_AUTH_TOKEN): this lookup used the environment's credentials, not a saved profile.",
    "forbidden": "The API key in TWILIO_API_KEY may be restricted or belong to another account than "
    "TWILIO_ACCOUNT_SID; use a Standard API key of that account.",
    "not_found": "Check TWILIO_ACCOUNT_SID (the account whose calls are read) in the environment.",
}


def env_hints(base_url: str | None) -> dict[str, str]:
    """Hints for credentials from the environment: the variables, not "this profile"."""
    hints = dict(ENV_HINTS)
    where = f"check {ENV_BASE_URL} ({base_url})" if base_url else "the provider may be having trouble"
    hints["bad_response"] = f"Try again; if it keeps happening, {where}."
    return hints


def env_credentials() -> TwilioCredentials | None:
    """Credentials from the environment, named as the Twilio CLI names them; None when not set."""
    account = os.environ.get("TWILIO_ACCOUNT_SID", "").strip()
    if not account:
        return None
    key, secret = os.environ.get("TWILIO_API_KEY", "").strip(), os.environ.get("TWILIO_API_SECRET", "").strip()
    token = os.environ.get("TWILIO_AUTH_TOKEN", "").strip()
    if key and secret:
        return TwilioCredentials.api_key(account, key, secret)
    if token:
        return TwilioCredentials.auth_token(account, token)
    raise NotConfigured(
        "TWILIO_ACCOUNT_SID is set but neither TWILIO_API_KEY + TWILIO_API_SECRET nor TWILIO_AUTH_TOKEN is.",
        "Set an API key and secret (recommended) or the Auth Token in the environment, or use a saved profile.",
    )


def provider_from_profile(profile: Profile, *, http_config: HttpConfig | None = None) -> Provider:
    secret = credentials.get_secret(profile.name, profile.secret_field)
    if not secret:
        raise NotConfigured(
            f"No secret is stored for profile '{profile.name}'.",
            f"Enter it again with 'sipsight profile add {profile.name} ...' "
            "(without a system keyring, secrets last one session only).",
        )
    own_url = profile_base_url(profile)
    own_source = f"base_url of profile '{profile.name}'"
    if profile.provider in OTHER_PROVIDERS:
        return other_client(profile, secret, own_url, own_source, http_config)
    if profile.provider == "signalwire":
        return SignalWireClient(
            profile.account_sid,
            secret,
            space=profile.space,
            base_url=own_url,
            base_url_source=own_source,
            http_config=http_config,
        )
    if profile.auth_mode == "api_key":
        creds = TwilioCredentials.api_key(profile.account_sid, profile.api_key_sid or "", secret)
    else:
        creds = TwilioCredentials.auth_token(profile.account_sid, secret)
    base_url, source = (own_url, own_source) if own_url else (env_base_url(), ENV_BASE_URL)
    return TwilioClient(
        creds,
        hosts=profile_hosts(profile),
        base_url=base_url,
        base_url_source=source,
        subaccounts=profile.subaccounts,
        line_type_lookup=profile.line_type_lookup,
        http_config=http_config,
    )


OTHER_PROVIDERS = ("telnyx", "plivo", "vonage", "bandwidth")


def other_client(
    profile: Profile, secret: str, url: str | None, source: str, http_config: HttpConfig | None
) -> Provider:
    """A Telnyx, Plivo, Vonage or Bandwidth client from a profile and its secret (the keyring's)."""
    if profile.provider == "telnyx":
        return TelnyxClient(secret, base_url=url, base_url_source=source, http_config=http_config)
    if profile.provider == "plivo":
        return PlivoClient(
            profile.account_sid, secret, product=profile.product, base_url=url, base_url_source=source,
            http_config=http_config,
        )  # fmt: skip
    if profile.provider == "vonage":  # a stored key that is no RSA private key: NotConfigured, saying so
        return VonageClient(profile.account_sid, secret, base_url=url, base_url_source=source, http_config=http_config)
    return BandwidthClient(
        profile.account_sid, profile.api_user or "", secret, insights=profile.insights, base_url=url,
        base_url_source=source, http_config=http_config,
    )  # fmt: skip


def demo_client(provider_name: str, sim: Simulator, http_config: HttpConfig | None) -> Provider:
    """The real client of `provider_name`, talking real HTTP to the simulator serving that provider's flavour."""
    creds, url = sim.credentials(), sim.base_url
    if provider_name == "signalwire":
        return SignalWireClient(sim.account_sid, sim.auth_token, base_url=url, http_config=http_config)
    if provider_name == "telnyx":
        return TelnyxClient(creds["api_key"], base_url=url, http_config=http_config)
    if provider_name == "plivo":
        return PlivoClient(creds["auth_id"], creds["auth_token"], base_url=url, http_config=http_config)
    if provider_name == "vonage":
        return VonageClient(creds["application_id"], creds["private_key"], base_url=url, http_config=http_config)
    if provider_name == "bandwidth":
        return BandwidthClient(
            creds["account_id"], creds["username"], creds["password"], base_url=url, http_config=http_config
        )
    return TwilioClient(
        TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
        base_url=url,
        line_type_lookup=True,
        http_config=http_config,
    )


def _demo_session(
    scenario: str | None,
    latency_ms: int,
    fault: str | None,
    http_config: HttpConfig | None,
    provider_name: str | None = None,
) -> ProviderSession:
    from sipsight.core.scenarios import get_scenario
    from sipsight.simulator.server import Simulator

    chosen = get_scenario(scenario)
    name = provider_name or chosen.provider  # the demo provider chosen, else the scenario's own
    sim = Simulator(scenario=chosen.name, provider=name, latency_ms=latency_ms, fault=fault).start()
    try:
        if name != "twilio":
            provider: Provider = demo_client(name, sim, http_config)
        else:
            provider = TwilioClient(
                TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
                base_url=sim.base_url,
                line_type_lookup=True,
                http_config=http_config,
            )
    except BaseException:
        sim.stop()
        raise
    own = "" if name == chosen.provider else f" ({provider_info(name).label})"
    return ProviderSession(
        provider=provider,
        label=f"Demo data: {chosen.title}{own}",
        demo=True,
        scenario=chosen.name,
        contact_caller_id=chosen.caller_id,  # the scenario's customer, as an inbox contact would name them
        _closers=[sim.stop],
    )


def create_session(
    *,
    profile: str | None = None,
    demo: bool = False,
    scenario: str | None = None,
    latency_ms: int = 0,
    fault: str | None = None,
    http_config: HttpConfig | None = None,
    settings: Settings | None = None,
    demo_provider: str | None = None,
) -> ProviderSession:
    """A session the caller must close: `session.close()`, or a `with` block (as `open_provider`). The demo serves
    `demo_provider`'s API (one of the six provider names; default: the scenario's own provider)."""
    if demo or scenario:
        return _demo_session(scenario, latency_ms, fault, http_config, demo_provider)
    settings = settings or load_settings()
    if profile is None:
        creds = env_credentials()
        if creds is not None:
            base_url = env_base_url()
            client = TwilioClient(
                creds,
                base_url=base_url,
                base_url_source=ENV_BASE_URL,
                http_config=http_config,
                hints=env_hints(base_url),
            )
            return ProviderSession(
                provider=client,
                label=f"{client.label} (environment credentials)",
                timezone=settings.timezone,
                region=settings.default_region,
            )
        profile = settings.active_profile or (settings.profiles[0].name if len(settings.profiles) == 1 else None)
        if profile is None:
            raise NotConfigured(
                "No provider account is configured.",
                "Add one with 'sipsight profile add NAME --account-sid AC... --api-key SK...', set TWILIO_ACCOUNT_SID "
                "with TWILIO_API_KEY and TWILIO_API_SECRET, or try the demo with --demo.",
            )
    chosen = settings.profile(profile)
    if chosen is None:
        known = ", ".join(p.name for p in settings.profiles) or "none yet"
        raise NotConfigured(
            f"There is no profile named '{profile}' (profiles: {known}).", "See 'sipsight profile list'."
        )
    provider = provider_from_profile(chosen, http_config=http_config)
    return ProviderSession(
        provider=provider,
        label=f"{provider_info(chosen.provider).label} (profile '{chosen.name}')",
        profile=chosen.name,
        timezone=chosen.timezone or settings.timezone,
        region=chosen.default_region or settings.default_region,
    )


# `with open_provider(...) as session:` closes the session when the block ends (ProviderSession.__exit__)
open_provider = create_session
