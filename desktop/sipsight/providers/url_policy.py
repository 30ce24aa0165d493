"""The one URL policy of every provider request: where credentials may go, and which next-page links are followed.

A provider client holds production credentials, and the HTTP layer sends them (Basic auth) with every request.
So every URL a request goes to is checked here first:

- **the configured origin**: a request goes only to the scheme, host and port of a configured service root
  (Twilio's hosts, a regional edge, a base URL override, a SignalWire space), never anywhere else;
- **no cleartext off this machine**: a root may be plain `http://` only on loopback (127.0.0.0/8, ::1,
  localhost: the simulator, a local proxy); credentials never cross a network unencrypted;
- **next-page links are data from the network**: a link is followed only when it is a path (or an absolute URL on
  the configured origin, or on the provider's own host, re-based onto the configured root), and only when it asks
  for the same resource as the query: the same path and the same filters; only the paging parameters (`Page`,
  `PageSize`, `PageToken`) may change. Anything else is an `UnsafeLink`, and the list stops there.

The configuration checks (`check_base_url`, `check_host_option`, `check_space`) raise `UnsafeUrl` (a ValueError)
saying what is wrong; the factory turns it into `NotConfigured` naming the setting. TLS verification is never
turned off anywhere in the providers (tests/unit/test_url_policy.py checks it).
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

PAGING_PARAMS = frozenset({"Page", "PageSize", "PageToken"})
_CONTROL = re.compile(r"[\x00-\x20\x7f\\]")  # control characters, spaces and backslashes never belong in a link
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeUrl(ValueError):
    """A configured address that credentials must not be sent to, or that is not an address at all."""


class UnsafeLink(ValueError):
    """A next-page link from a response that the policy refuses to follow."""


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = _DEFAULT_PORTS.get(self.scheme)
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: this machine, where plain HTTP is no exposure."""
    if not host:
        return False
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def origin_of(url: str) -> Origin:
    """scheme, host (lower case) and port (explicit or the scheme's default); UnsafeUrl when there is none."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"'{url}' is not a usable address ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise UnsafeUrl(f"'{url}' is not an http:// or https:// address")
    if not parts.hostname:
        raise UnsafeUrl(f"'{url}' names no host")
    return Origin(scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[scheme])


def check_cleartext(url: str) -> Origin:
    """The origin of `url`, refusing plain http:// to anything but this machine (credentials would travel open)."""
    origin = origin_of(url)
    if origin.scheme == "http" and not is_loopback(origin.host):
        raise UnsafeUrl(
            f"'{url}' is plain http:// to another machine, which would send the credentials unencrypted; "
            "use https:// (plain http:// only to 127.0.0.1, ::1 or localhost)"
        )
    return origin


def _no_extras(url: str) -> None:
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl(f"'{_hide_userinfo(url)}' carries a user name or password; give the credentials to the profile")
    if parts.query or parts.fragment:
        raise UnsafeUrl(f"'{url}' has a query or fragment; give only scheme, host, port and path")
    if _CONTROL.search(url):
        raise UnsafeUrl(f"{url!r} contains spaces, control characters or backslashes")


def _hide_userinfo(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://…@{host}{parts.path}"


def check_base_url(value: str | None) -> str | None:
    """A base URL override (profile `base_url`, `SIPSIGHT_TWILIO_BASE_URL`): an http(s) origin with an optional
    path, https unless loopback, no user info, query or fragment. None or blank: no override."""
    if value is None or not value.strip():
        return None
    url = value.strip()
    _no_extras(url)
    check_cleartext(url)
    return url


def check_host_option(value: str | None) -> str | None:
    """A regional host option (`--api-host`, profile `hosts.*`): a host name with an optional port, or an
    https:// origin (http:// only on loopback); no path. Returns the root URL ('https://api.dublin.ie1.twilio.com')."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    url = text if "://" in text else f"https://{text}"
    _no_extras(url)
    origin = check_cleartext(url)
    if urlsplit(url).path not in ("", "/"):
        raise UnsafeUrl(f"'{text}' has a path; a host option is a host name such as api.dublin.ie1.twilio.com")
    if not is_loopback(origin.host) and not _HOST.match(origin.host) and not _is_ip(origin.host):
        raise UnsafeUrl(f"'{text}' is not a host name")
    return str(origin)


def check_space(value: str | None) -> str:
    """A SignalWire space: 'example', 'example.signalwire.com' or an https:// URL -> its root URL."""
    text = (value or "").strip().rstrip("/")
    if not text:
        raise UnsafeUrl("no space name is set")
    if "://" in text:
        url = check_base_url(text)
        assert url is not None  # text is not blank
        return url.rstrip("/")
    host = text if "." in text else f"{text}.signalwire.com"
    if not _HOST.match(host):
        raise UnsafeUrl(f"'{text}' is not a space name (example: 'example' for example.signalwire.com)")
    return f"https://{host.lower()}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _pairs(query: str) -> list[tuple[str, str]]:
    return [(_plus(k), _plus(v)) for k, v in parse_qsl(query, keep_blank_values=True)]


def _plus(text: str) -> str:
    # an unencoded '+' decodes as a space; an E.164 number in a server's own link may arrive that way
    return "+" + text[1:] if text.startswith(" ") and text[1:].strip().isdigit() else text


def _filters(pairs: Iterable[tuple[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((k, str(v)) for k, v in pairs if k not in PAGING_PARAMS)


class UrlPolicy:
    """The service roots of one provider client, and the rules above applied to every request and next-page link.

    `roots`: the configured root URL of each service (scheme, host, port and an optional path prefix).
    `provider_hosts`: the provider's own origins, whose absolute links are re-based onto the configured root
    (Twilio's Insights links are absolute on insights.twilio.com even when a proxy or an edge was configured).
    """

    def __init__(self, roots: Iterable[str], provider_hosts: Iterable[str] = ()) -> None:
        self.roots = sorted({r.rstrip("/") for r in roots}, key=len, reverse=True)
        if not self.roots:
            raise UnsafeUrl("no address is configured")
        self.origins = {check_cleartext(r) for r in self.roots}
        self.provider_origins = {origin_of(h) for h in provider_hosts}

    @property
    def loopback_only(self) -> bool:
        """Every request stays on this machine (the demo, the simulator): no proxy may stand in between."""
        return all(is_loopback(o.host) for o in self.origins)

    def check_request(self, url: str) -> None:
        """Raise UnsafeUrl unless `url` is on a configured origin (over https, or http on loopback)."""
        if _CONTROL.search(url):
            raise UnsafeUrl(f"{url!r} contains spaces, control characters or backslashes")
        origin = check_cleartext(url)
        if origin not in self.origins:
            raise UnsafeUrl(f"{origin} is not a configured address")

    def root_of(self, url: str) -> str:
        """The configured root `url` lives under (the longest one); its origin when none does."""
        for root in self.roots:
            if url == root or url.startswith(root + "/"):
                return root
        return str(origin_of(url))

    def next_page(self, current: str, params: Mapping[str, Any] | None, link: object) -> str | None:
        """The URL of the next page, or None when `link` says there is none; UnsafeLink when it may not be followed.

        `current` and `params` are the first page's request: the next page must ask for the same path with the same
        filters (only Page, PageSize and PageToken may change).
        """
        if not link:  # null, "" (and a stray false or 0): the last page
            return None
        if not isinstance(link, str):
            raise UnsafeLink("the next-page link is not text")
        root = self.root_of(current)
        url = self._rebase(root, link)
        self.check_request(url)
        self._same_resource(current, params, url)
        return url

    def _rebase(self, root: str, link: str) -> str:
        if _CONTROL.search(link) or "#" in link:
            raise UnsafeLink("the next-page link contains spaces, control characters, backslashes or a fragment")
        if link.startswith("/") and not link.startswith("//"):
            tail = link
        elif "://" in link:
            try:
                origin = origin_of(link)
            except UnsafeUrl:
                raise UnsafeLink("the next-page link is not an http(s) address") from None
            if origin != origin_of(root) and origin not in self.provider_origins:
                raise UnsafeLink(f"the next-page link leads to another host ({origin.host})")
            parts = urlsplit(link)
            if parts.username is not None or parts.password is not None:
                raise UnsafeLink("the next-page link carries a user name or password")
            tail = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        else:
            raise UnsafeLink("the next-page link is neither a path nor an address on the configured host")
        root_path = urlsplit(root).path.rstrip("/")
        if root_path and (tail.startswith(root_path + "/") or tail.startswith(root_path + "?")):
            tail = tail[len(root_path) :]
        return root + tail

    @staticmethod
    def _same_resource(current: str, params: Mapping[str, Any] | None, url: str) -> None:
        was, now = urlsplit(current), urlsplit(url)
        if unquote(was.path) != unquote(now.path):
            raise UnsafeLink("the next-page link asks for another resource (its path differs)")
        before = _filters(params.items()) if params is not None else _filters(_pairs(was.query))
        if before != _filters(_pairs(now.query)):
            raise UnsafeLink("the next-page link changes the query's filters")


def rebase(root: str, link: object, provider_hosts: Iterable[str] = ()) -> str | None:
    """A next-page link pointed at a configured root (see `UrlPolicy.next_page`, which also checks the resource);
    None when there is no next page, UnsafeLink when the link may not be followed."""
    if not link:
        return None
    if not isinstance(link, str):
        raise UnsafeLink("the next-page link is not text")
    policy = UrlPolicy([root], provider_hosts)
    url = policy._rebase(root.rstrip("/"), link)
    policy.check_request(url)
    return url
