"""Who a Twilio client is and where it sends requests: the credentials, and the host of each Twilio service
(regional edges, or one base URL for a proxy or the simulator), which next-page links are kept on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_HOSTS = {
    "api": "https://api.twilio.com",
    "insights": "https://insights.twilio.com",
    "lookups": "https://lookups.twilio.com",
    "monitor": "https://monitor.twilio.com",
}


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
    """Hosts for each Twilio service; a base_url override sends every service's paths to one origin."""
    if base_url:
        root = base_url.rstrip("/")
        return dict.fromkeys(DEFAULT_HOSTS, root)
    resolved = dict(DEFAULT_HOSTS)
    for key, value in (hosts or {}).items():
        if value and key in resolved:
            resolved[key] = value if "://" in value else f"https://{value}"
            resolved[key] = resolved[key].rstrip("/")
    return resolved


def rebase(root: str, link: object) -> str | None:
    """A next-page link (relative, or absolute on Twilio's own host) pointed at our configured root.

    Keeps regional edges and the base_url override in force across pages. The link comes from a response body,
    so anything but a non-empty string means "no next page".
    """
    if not link or not isinstance(link, str):
        return None
    parts = urlsplit(link)
    tail = parts.path + (f"?{parts.query}" if parts.query else "")
    root_path = urlsplit(root).path.rstrip("/")
    if root_path and tail.startswith(root_path + "/"):
        tail = tail[len(root_path) :]
    return root.rstrip("/") + tail
