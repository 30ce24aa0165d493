"""Who a Twilio client is and where it sends requests: the credentials, and the host of each Twilio service
(regional edges, or one base URL for a proxy or the simulator). Every address is checked by the one URL policy
(providers/url_policy.py): https, or plain http on this machine only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sipsight.providers import url_policy
from sipsight.providers.url_policy import check_base_url, check_host_option

DEFAULT_HOSTS = {
    "api": "https://api.twilio.com",
    "insights": "https://insights.twilio.com",
    "lookups": "https://lookups.twilio.com",
    "monitor": "https://monitor.twilio.com",
}

__all__ = ["DEFAULT_HOSTS", "TwilioCredentials", "rebase", "resolve_hosts"]


@dataclass(frozen=True)
class TwilioCredentials:
    """Basic-auth pair plus the account whose resources we read (an API key SID is not an account)."""

    account_sid: str
    username: str  # API key SID (SK...) or the Account SID itself (auth-token mode)
    secret: str = field(repr=False)

    @classmethod
    def api_key(cls, account_sid: str, key_sid: str, key_secret: str) -> TwilioCredentials:
        return cls(account_sid, key_sid, key_secret)

    @classmethod
    def auth_token(cls, account_sid: str, token: str) -> TwilioCredentials:
        return cls(account_sid, account_sid, token)


def resolve_hosts(hosts: Mapping[str, str | None] | None = None, base_url: str | None = None) -> dict[str, str]:
    """Hosts for each Twilio service; a base_url override sends every service's paths to one origin.

    Raises `url_policy.UnsafeUrl` (a ValueError) for an address credentials must not go to."""
    root = check_base_url(base_url)
    if root:
        return dict.fromkeys(DEFAULT_HOSTS, root.rstrip("/"))
    resolved = dict(DEFAULT_HOSTS)
    for key, value in (hosts or {}).items():
        checked = check_host_option(value) if key in resolved else None
        if checked:
            resolved[key] = checked
    return resolved


def rebase(root: str, link: object) -> str | None:
    """A next-page link (a path, or an absolute URL on `root`'s origin or Twilio's own hosts) re-based on `root`,
    so regional edges and the base_url override hold across pages; None when there is no next page, and
    `url_policy.UnsafeLink` for a link that may not be followed (another host, not a path, control characters)."""
    return url_policy.rebase(root, link, DEFAULT_HOSTS.values())
