"""What the Intercom client needs of the one HTTP layer (providers/http.py), checked on a MockTransport: a provider
outside the telephony catalog names itself, extra headers (a pinned API version), a JSON body, a POST never sent
twice when it may have taken effect, 429 waits read from X-RateLimit-Reset, and a provider's own error reader."""

from __future__ import annotations

import dataclasses
import time

import httpx
import pytest

from fake_clock import FakeClock
from sipsight.providers import errors
from sipsight.providers.http import BearerAuth, HttpClient, HttpConfig, parse_rate_limit_reset

FAST = HttpConfig(connect_timeout=0.5, read_timeout=1.0, max_retries=3, backoff_base=0.01, backoff_max=0.05, budget_s=9)
URL = "https://api.intercom.io/conversations/1/reply"
HINTS = {"unavailable": "Intercom's own hint."}


def _client(handler, clock: FakeClock | None = None, **kw) -> HttpClient:
    config = dataclasses.replace(FAST, clock=clock or FakeClock())
    return HttpClient(
        provider="intercom",
        label="Intercom",
        auth=BearerAuth("tok-123"),
        config=config,
        transport=httpx.MockTransport(handler),
        hints=HINTS,
        **kw,
    )


def _seq(*answers):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        item = answers[min(len(seen), len(answers) - 1)]
        seen.append(request)
        if isinstance(item, Exception):
            raise item
        return item

    handler.seen = seen  # type: ignore[attr-defined]
    return handler


def test_a_provider_outside_the_catalog_names_itself_and_sends_its_headers_and_body() -> None:
    handler = _seq(httpx.Response(200, json={"ok": True}))
    with _client(handler, headers={"Intercom-Version": "2.14"}) as c:
        got = c.request_json("POST", URL, scope=c.scope(), body={"message_type": "note"}, what="note")
    assert got == {"ok": True}
    sent = handler.seen[0]
    assert sent.headers["Intercom-Version"] == "2.14"
    assert sent.headers["Authorization"] == "Bearer tok-123"
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.content == b'{"message_type":"note"}' or b'"message_type": "note"' in sent.content


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(503), httpx.Response(502), httpx.ReadError("reset by peer"), httpx.RemoteProtocolError("closed")],
)
def test_a_post_that_may_have_taken_effect_is_never_sent_again(answer) -> None:
    handler = _seq(answer, httpx.Response(200, json={}))
    with _client(handler) as c, pytest.raises(errors.ProviderUnavailable) as info:
        c.request_json("POST", URL, scope=c.scope(), body={}, what="note")
    assert len(handler.seen) == 1
    assert "Intercom" in info.value.message and info.value.hint == "Intercom's own hint."


def test_a_get_is_still_retried_after_a_503() -> None:
    handler = _seq(httpx.Response(503), httpx.Response(200, json={"x": 1}))
    with _client(handler) as c:
        assert c.request_json("GET", URL, scope=c.scope()) == {"x": 1}
    assert len(handler.seen) == 2


def test_a_post_that_never_connected_is_sent_again() -> None:
    handler = _seq(httpx.ConnectError("no route"), httpx.Response(200, json={"x": 1}))
    with _client(handler) as c:
        assert c.request_json("POST", URL, scope=c.scope(), body={}) == {"x": 1}
    assert len(handler.seen) == 2


def test_a_429_waits_until_x_ratelimit_reset_then_retries_even_a_post() -> None:
    reset = str(int(time.time()) + 7)
    handler = _seq(httpx.Response(429, headers={"X-RateLimit-Reset": reset}), httpx.Response(200, json={"x": 1}))
    clock = FakeClock()
    with _client(handler, clock) as c:
        assert c.request_json("POST", URL, scope=c.scope(), body={}) == {"x": 1}
    assert len(handler.seen) == 2
    assert len(clock.sleeps) == 1 and 5.0 <= clock.sleeps[0] <= 7.0


def test_parse_rate_limit_reset() -> None:
    assert parse_rate_limit_reset("1010", now=1000.0) == 10.0
    assert parse_rate_limit_reset("900", now=1000.0) == 0.0  # already past: no wait
    assert parse_rate_limit_reset(None) is None
    assert parse_rate_limit_reset("soon") is None
    assert parse_rate_limit_reset("nan") is None


def test_the_providers_own_error_reader_stands_in_for_the_generic_one() -> None:
    def read_error(response: httpx.Response, what: str) -> errors.ProviderError | None:
        if response.status_code == 410:
            return errors.NotFound(f"gone: {response.headers['Link']}", "follow it", provider="intercom", status=410)
        return None

    handler = _seq(httpx.Response(410, headers={"Link": "</contacts/2>"}, json={}))
    with _client(handler, read_error=read_error) as c, pytest.raises(errors.NotFound) as info:
        c.request_json("GET", URL, scope=c.scope())
    assert info.value.message == "gone: </contacts/2>" and info.value.hint == "follow it"
    # without a reading of its own, the generic one (no catalog entry: no catalog hint, never a crash)
    handler = _seq(httpx.Response(403, json={"message": "nope"}))
    with _client(handler, read_error=read_error) as c, pytest.raises(errors.AuthFailed) as info2:
        c.request_json("GET", URL, scope=c.scope())
    assert "Intercom refused access" in info2.value.message and info2.value.provider == "intercom"
