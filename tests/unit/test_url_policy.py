"""The one URL policy of every provider request (providers/url_policy.py): credentials go only to the configured
origin, never in cleartext off this machine, and a next-page link is followed only when it asks for the same
resource. Property tests throw hostile links and addresses at it; the rest pins the configuration checks, TLS
verification (never off) and the proxy rule (loopback never through a proxy)."""

from __future__ import annotations

import ipaddress
import re
import ssl
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import project_paths
from sipsight.providers.url_policy import (
    PAGING_PARAMS,
    UnsafeLink,
    UnsafeUrl,
    UrlPolicy,
    check_base_url,
    check_cleartext,
    check_host_option,
    check_space,
    is_loopback,
    origin_of,
)

ROOT = "https://api.twilio.com"
CALLS = f"{ROOT}/2010-04-01/Accounts/AC{'0' * 32}/Calls.json"
PARAMS = {"To": "+13035550199", "StartTime>": "2026-11-20", "PageSize": 50}
POLICY = UrlPolicy([ROOT, "https://insights.twilio.com"], provider_hosts=["https://insights.twilio.com"])

# pieces a hostile link is built from: other hosts, port and user-info tricks, encodings, control characters
PIECES = st.sampled_from(
    [
        ".attacker.example", "attacker.example", "@attacker.example", ":8443", "0", "//", "/", "\\", "%2F", "%2e%2e",
        "..", "?", "#", "&", "=", "To=%2B13035550199", "PageToken=PA1", "Page=2", "http://", "https://",
        "api.twilio.com", "api.twilio.com.attacker.example", "insights.twilio.com", "\x00", "\n", " ", "\t",
        "/2010-04-01/Accounts/AC" + "0" * 32 + "/Calls.json", "StartTime%3E=2026-11-20", "From=%2B1720", "ä", "[::1]",
        "127.0.0.1", "localhost",
    ]
)  # fmt: skip
LINKS = st.one_of(st.lists(PIECES, min_size=1, max_size=8).map("".join), st.text(max_size=60))


@settings(max_examples=3000, deadline=None)
@given(LINKS)
def test_a_hostile_link_never_takes_the_credentials_elsewhere(link: str) -> None:
    try:
        url = POLICY.next_page(CALLS, PARAMS, link)
    except (UnsafeLink, UnsafeUrl):
        return
    if url is None:
        assert not link
        return
    parts = urlsplit(url)
    assert origin_of(url) == origin_of(ROOT), (link, url)
    assert parts.path == urlsplit(CALLS).path and not re.search(r"[\x00-\x20\\]", url), (link, url)
    got = {(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in PAGING_PARAMS}
    assert {k for k, _ in got} == {"To", "StartTime>"}, (link, url)
    httpx.URL(url)  # and httpx can send it as it is


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["Page", "PageSize", "PageToken"]), st.text(alphabet="AP0123456789abcdef", max_size=12))
def test_only_paging_parameters_may_change(name: str, value: str) -> None:
    link = f"/2010-04-01/Accounts/AC{'0' * 32}/Calls.json?To=%2B13035550199&StartTime%3E=2026-11-20&{name}={value}"
    assert POLICY.next_page(CALLS, PARAMS, link) == ROOT + link


@pytest.mark.parametrize(
    ("link", "why"),
    [
        (".attacker.example/x", "neither a path"),
        ("0/x", "neither a path"),
        ("//attacker.example/x", "neither a path"),
        ("https://attacker.example/2010-04-01/x", "another host"),
        ("https://api.twilio.com.attacker.example/x", "another host"),
        ("/2010-04-01/Accounts/AC1/Calls.json?To=%2B13035550199&StartTime%3E=2026-11-20", "another resource"),
        (f"{urlsplit(CALLS).path}?To=%2B13035550199&Page=1", "filters"),
        (f"{urlsplit(CALLS).path}?To=%2B13035550199&StartTime%3E=2026-11-20&Status=busy", "filters"),
        (f"{urlsplit(CALLS).path}?To=%2B13035550199&StartTime%3E=2026-11-20\x00", "control"),
    ],
)
def test_what_each_refusal_says(link: str, why: str) -> None:
    with pytest.raises(UnsafeLink, match=why):
        POLICY.next_page(CALLS, PARAMS, link)


def test_absolute_links_on_the_providers_own_host_follow_the_configured_root() -> None:
    proxy = UrlPolicy(["https://proxy.example.test/twilio"], provider_hosts=["https://insights.twilio.com"])
    first = "https://proxy.example.test/twilio/v1/Voice/Summaries"
    link = "https://insights.twilio.com/v1/Voice/Summaries?To=%2B13035550199&Page=1&PageToken=PAx"
    assert proxy.next_page(first, {"To": "+13035550199"}, link) == (
        "https://proxy.example.test/twilio/v1/Voice/Summaries?To=%2B13035550199&Page=1&PageToken=PAx"
    )
    # a link that already carries the root's path is not given it twice
    assert proxy.next_page(first, {"To": "+13035550199"}, "/twilio/v1/Voice/Summaries?To=%2B13035550199&Page=1")


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))
def test_all_of_127_0_0_0_8_is_loopback(b: int, c: int, d: int) -> None:
    assert is_loopback(f"127.{b}.{c}.{d}")
    assert check_cleartext(f"http://127.{b}.{c}.{d}:8080/x").scheme == "http"


@given(st.ip_addresses())
def test_plain_http_only_to_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    host = f"[{address}]" if address.version == 6 else str(address)
    if address.is_loopback or (address.version == 6 and address.ipv4_mapped and address.ipv4_mapped.is_loopback):
        check_cleartext(f"http://{host}:9/")
    else:
        with pytest.raises(UnsafeUrl, match="unencrypted"):
            check_cleartext(f"http://{host}:9/")
    check_cleartext(f"https://{host}:9/")  # https is fine anywhere


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "localhost.", "[::1]", "127.0.0.1", "127.9.9.9"])
def test_loopback_names(host: str) -> None:
    assert check_base_url(f"http://{host}:8080") == f"http://{host}:8080"


@pytest.mark.parametrize(
    "url",
    [
        "http://api.twilio.com",
        "http://10.0.0.5:8080",
        "http://proxy.corp.example:3128",
        "http://localhost.attacker.example",
        "http://127.0.0.1.attacker.example",
        "http://user:pw@127.0.0.1:9",
        "https://127.0.0.1:9/?x=1",
        "https://h.example/x#frag",
        "ftp://h.example",
        "https://",
        "https://h ost.example",
    ],
)
def test_base_urls_that_would_expose_credentials_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_base_url(url)


@pytest.mark.parametrize(
    ("value", "root"),
    [
        ("api.dublin.ie1.twilio.com", "https://api.dublin.ie1.twilio.com"),
        ("https://api.sydney.au1.twilio.com/", "https://api.sydney.au1.twilio.com"),
        ("api.example.test:8443", "https://api.example.test:8443"),
        ("http://127.0.0.1:9", "http://127.0.0.1:9"),
    ],
)
def test_host_options_become_roots(value: str, root: str) -> None:
    assert check_host_option(value) == root


@pytest.mark.parametrize(
    "value",
    ["http://api.dublin.ie1.twilio.com", "api.twilio.com/evil", "api.twilio.com?x", "user@api.twilio.com", "a b"],
)
def test_bad_host_options_are_refused(value: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_host_option(value)


def test_signalwire_spaces() -> None:
    assert check_space("example") == "https://example.signalwire.com"
    assert check_space("example.signalwire.com") == "https://example.signalwire.com"
    assert check_space("http://127.0.0.1:9") == "http://127.0.0.1:9"
    for bad in ("http://example.signalwire.com", "exa mple", "example.signalwire.com/x?y", ""):
        with pytest.raises(UnsafeUrl):
            check_space(bad)


# ----------------------------------------------------------------------------- where the rules are applied


def test_the_factory_refuses_cleartext_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from sipsight.providers.errors import NotConfigured
    from sipsight.providers.factory import ENV_BASE_URL, create_session

    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x")
    monkeypatch.setenv(ENV_BASE_URL, "http://twilio-proxy.example.test:8080")
    with pytest.raises(NotConfigured) as info:
        create_session()
    assert ENV_BASE_URL in info.value.message and "unencrypted" in info.value.message and info.value.exit_code == 2


def test_a_profile_with_cleartext_hosts_or_base_url_never_reaches_httpx() -> None:
    from sipsight.providers.errors import NotConfigured
    from sipsight.providers.factory import provider_from_profile
    from sipsight.settings import credentials
    from sipsight.settings.model import Hosts, Profile

    credentials.set_secret("lab", "auth_token", "token")
    credentials.set_secret("sw", "api_token", "token")
    sid = "AC" + "0" * 32
    cases = [
        (Profile(name="lab", account_sid=sid, auth_mode="auth_token", base_url="http://10.1.2.3"), "base_url"),
        (Profile(name="lab", account_sid=sid, auth_mode="auth_token", hosts=Hosts(api="http://api.twilio.com")), "api"),
        (Profile(name="lab", account_sid=sid, auth_mode="auth_token", hosts=Hosts(insights="i.example/x")), "insights"),
        (Profile(name="sw", provider="signalwire", account_sid="p", space="http://example.signalwire.com"), "space"),
    ]
    for profile, named in cases:
        with pytest.raises(NotConfigured) as info:
            provider_from_profile(profile)
        assert named in info.value.message.lower(), info.value.message
        assert info.value.exit_code == 2


def test_a_client_built_by_hand_refuses_cleartext_too() -> None:
    from sipsight.providers.errors import NotConfigured
    from sipsight.providers.signalwire import SignalWireClient
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials

    with pytest.raises(NotConfigured):
        TwilioClient(TwilioCredentials.auth_token("AC1", "t"), base_url="http://api.example.test")
    with pytest.raises(NotConfigured):
        TwilioClient(TwilioCredentials.auth_token("AC1", "t"), hosts={"api": "http://api.example.test"})
    with pytest.raises(NotConfigured):
        SignalWireClient("p", "t", base_url="http://sw.example.test")


def test_tls_verification_is_never_turned_off() -> None:
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials

    source = project_paths.DESKTOP / "sipsight" / "providers"
    for path in Path(source).rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified", code), path
    client = TwilioClient(TwilioCredentials.auth_token("AC1", "t"))
    try:
        transport = client.http._client._transport
        context = transport._pool._ssl_context  # httpx's own transport, as a lookup uses it
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    finally:
        client.close()


def test_loopback_never_goes_through_a_proxy_but_real_hosts_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    local = TwilioClient(TwilioCredentials.auth_token("AC1", "t"), base_url="http://127.0.0.1:8099")
    real = TwilioClient(TwilioCredentials.auth_token("AC1", "t"))
    try:
        for url in ("http://127.0.0.1:8099/x", "http://localhost:8099/x"):
            assert local.http._client._transport_for_url(httpx.URL(url)) is local.http._client._transport
        proxied = real.http._client._transport_for_url(httpx.URL("https://api.twilio.com/x"))
        assert proxied is not real.http._client._transport  # the proxy's transport
        direct = real.http._client._transport_for_url(httpx.URL("http://127.0.0.1:8099/x"))
        assert direct is real.http._client._transport
    finally:
        local.close()
        real.close()
