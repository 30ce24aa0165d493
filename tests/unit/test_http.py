"""The one HTTP layer: retries, Retry-After, budget, cancellation, concurrency bound, typed errors, redaction.

These drive httpx through a MockTransport (the mechanics, not a provider); provider behaviour over real
HTTP is in test_lookup_e2e.py and test_fault_matrix.py. Waits run on a FakeClock (tests/fake_clock.py), so the
tests check what was slept, never how long they took; the few that need real threads wait on events.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from fake_clock import FakeClock
from sipsight.core.errors import Cancelled, SipsightError
from sipsight.core.lookup import CancelToken
from sipsight.providers import errors
from sipsight.providers.http import SYSTEM_CLOCK, HttpClient, HttpConfig, backoff_delay, parse_retry_after

FAST = HttpConfig(connect_timeout=0.5, read_timeout=1.0, max_retries=3, backoff_base=0.01, backoff_max=0.05, budget_s=5)
URL = "https://api.example.test/2010-04-01/Accounts/AC1/Calls.json"


def client(
    handler, config: HttpConfig = FAST, rng: random.Random | None = None, provider: str = "twilio"
) -> HttpClient:
    transport = httpx.MockTransport(handler)
    return HttpClient(provider=provider, auth=("SKuser", "s3cr3t-value"), config=config, transport=transport, rng=rng)


def on(clock: FakeClock, config: HttpConfig = FAST, **changes: float) -> HttpConfig:
    return dataclasses.replace(config, clock=clock, **changes)


def sequence(*responses):
    """A handler answering with the given responses (or raising the given exceptions) in order."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        item = responses[min(len(seen), len(responses) - 1)]
        seen.append(request)
        if isinstance(item, Exception):
            raise item
        return item

    handler.seen = seen  # type: ignore[attr-defined]
    return handler


def test_retries_503_then_succeeds_and_counts_requests() -> None:
    handler = sequence(httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"ok": 1}))
    clock = FakeClock()
    with client(handler, on(clock), rng=random.Random(3)) as c:
        scope = c.scope()
        assert scope.get_json(URL) == {"ok": 1}
        assert scope.request_count == 3
    same_dice = random.Random(3)
    assert clock.sleeps == [backoff_delay(0, FAST, same_dice), backoff_delay(1, FAST, same_dice)]


def test_500_is_not_retried() -> None:
    handler = sequence(httpx.Response(500, json={"code": 20500, "message": "Internal Server Error"}))
    clock = FakeClock()
    with client(handler, on(clock)) as c, pytest.raises(errors.ProviderUnavailable) as info:
        c.scope().get_json(URL)
    assert len(handler.seen) == 1 and clock.sleeps == []
    assert "HTTP 500" in info.value.message and "20500" in info.value.message


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, errors.AuthFailed), (403, errors.AuthFailed), (404, errors.NotFound), (400, errors.BadResponse)],
)
def test_status_errors_are_typed_with_hint_and_exit_3(status: int, kind: type) -> None:
    body = {"code": 20003, "message": "Authenticate", "status": status}
    with client(sequence(httpx.Response(status, json=body))) as c, pytest.raises(kind) as info:
        c.scope().get_json(URL, what="call list")
    err = info.value
    assert isinstance(err, SipsightError) and err.exit_code == 3
    assert err.hint and err.status == status
    assert f"HTTP {status}" in err.one_line()


def test_429_retry_after_seconds_is_honoured() -> None:
    handler = sequence(
        httpx.Response(429, headers={"Retry-After": "0.3"}),
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(200, json={}),
    )
    clock = FakeClock()
    with client(handler, on(clock)) as c:
        c.scope().get_json(URL)
    assert clock.sleeps == [0.3, 2.0]  # what the server asked for, not the backoff (at most 0.05 s here)


def test_retry_after_as_an_http_date_is_honoured() -> None:
    later = datetime.now(UTC) + timedelta(seconds=3)
    handler = sequence(
        httpx.Response(503, headers={"Retry-After": format_datetime(later, usegmt=True)}), httpx.Response(200, json={})
    )
    clock = FakeClock()
    with client(handler, on(clock)) as c:
        c.scope().get_json(URL)
    [slept] = clock.sleeps
    assert 1.0 < slept <= 3.0  # the date, read against the wall clock; whole seconds on the wire


def test_retry_after_longer_than_budget_fails_fast_with_rate_limited() -> None:
    handler = sequence(httpx.Response(429, headers={"Retry-After": "120"}))
    clock = FakeClock()
    with client(handler, on(clock)) as c, pytest.raises(errors.RateLimited) as info:
        c.scope(budget_s=2).get_json(URL)
    assert clock.sleeps == []  # not waited for at all: the lookup fails at once
    assert "120 s" in info.value.message and len(handler.seen) == 1


def test_429_exhausting_retries_is_rate_limited() -> None:
    handler = sequence(httpx.Response(429, json={"code": 20429, "message": "Too Many Requests"}))
    clock = FakeClock()
    with client(handler, on(clock)) as c, pytest.raises(errors.RateLimited):
        c.scope().get_json(URL)
    assert len(handler.seen) == FAST.max_retries + 1
    assert len(clock.sleeps) == FAST.max_retries  # a backoff between each two tries, none after the last
    assert all(FAST.backoff_base / 2 <= d <= FAST.backoff_max for d in clock.sleeps)


ERROR_ANSWERS = [
    (httpx.Response(401), errors.AuthFailed),
    (httpx.Response(403), errors.AuthFailed),
    (httpx.Response(404), errors.NotFound),
    (httpx.Response(429), errors.RateLimited),
    (httpx.Response(503), errors.ProviderUnavailable),
    (httpx.Response(200, content=b'{"calls": ['), errors.BadResponse),
    (httpx.ReadTimeout("slow"), errors.Timeout),
    (httpx.ConnectError("[Errno -3] Temporary failure in name resolution"), errors.Offline),
]


@pytest.mark.parametrize(
    ("answer", "kind"), ERROR_ANSWERS, ids=[k.__name__ + str(i) for i, (_, k) in enumerate(ERROR_ANSWERS)]
)
def test_errors_speak_of_the_provider_the_client_talks_to(answer: httpx.Response | Exception, kind: type) -> None:
    with client(sequence(answer), on(FakeClock()), provider="signalwire") as c, pytest.raises(kind) as info:
        c.scope().get_json(URL)
    err = info.value
    assert err.provider == "signalwire" and err.hint
    assert "twilio" not in err.one_line().lower(), err.one_line()  # neither its name nor its status page
    if kind is errors.ProviderUnavailable:
        assert "status.signalwire.com" in err.hint
    with client(sequence(answer), on(FakeClock()), provider="twilio") as c, pytest.raises(kind) as info:
        c.scope().get_json(URL)
    assert "signalwire" not in info.value.one_line().lower()
    if kind is errors.ProviderUnavailable:
        assert "status.twilio.com" in info.value.hint and info.value.message.startswith("Twilio ")


def test_parse_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == pytest.approx(30)
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_backoff_is_exponential_capped_and_jittered() -> None:
    cfg = HttpConfig(backoff_base=0.5, backoff_max=4.0)
    rng = random.Random(7)
    delays = [[backoff_delay(n, cfg, rng) for _ in range(50)] for n in range(6)]
    for n, ds in enumerate(delays):
        ceiling = min(4.0, 0.5 * 2**n)
        assert all(ceiling / 2 <= d <= ceiling for d in ds)
        assert len({round(d, 6) for d in ds}) > 10  # jitter: not lock-step
    assert max(delays[5]) <= 4.0


def test_connect_errors_are_retried_then_offline() -> None:
    handler = sequence(httpx.ConnectError("[Errno -3] Temporary failure in name resolution"))
    clock = FakeClock()
    with client(handler, on(clock)) as c, pytest.raises(errors.Offline) as info:
        c.scope().get_json(URL)
    assert len(handler.seen) == FAST.max_retries + 1 and len(clock.sleeps) == FAST.max_retries
    assert "api.example.test" in info.value.message and "internet connection" in info.value.hint


def _refused() -> httpx.ConnectError:
    # as httpx raises it: the OS error is the cause, the text is the OS's
    try:
        raise httpx.ConnectError("[Errno 111] Connection refused") from ConnectionRefusedError(111, "refused")
    except httpx.ConnectError as exc:
        return exc


def test_refused_connection_is_retried_once_only() -> None:
    handler = sequence(_refused())
    with client(handler) as c, pytest.raises(errors.Offline) as info:
        c.scope().get_json(URL)
    assert len(handler.seen) == 2  # a refusal is an answer, not a glitch: one retry, not FAST.max_retries
    assert "refused" in info.value.message and "api.example.test" in info.value.message
    assert "internet connection" in info.value.hint  # no override: the default hint


def test_refused_connection_is_retried_once_with_the_shipped_settings() -> None:
    # A refusal is an answer: with the shipped retry settings it costs one retry, not four with backoff.
    handler = sequence(_refused())
    clock = FakeClock()
    with client(handler, HttpConfig(clock=clock)) as c, pytest.raises(errors.Offline):
        c.scope().get_json(URL)
    assert len(handler.seen) == 2
    [waited] = clock.sleeps  # one backoff of the shipped settings, well under 2 s, before it is reported
    assert HttpConfig().backoff_base / 2 <= waited <= HttpConfig().backoff_base


def test_connect_error_then_success_recovers() -> None:
    handler = sequence(_refused(), httpx.Response(200, json={"a": 1}))
    with client(handler) as c:
        assert c.scope().get_json(URL) == {"a": 1}


def test_an_override_is_named_when_nothing_answers_there() -> None:
    override = "http://127.0.0.1:9 (SIPSIGHT_TWILIO_BASE_URL)"
    transport = httpx.MockTransport(sequence(_refused()))
    with (
        HttpClient(provider="twilio", auth=None, config=FAST, transport=transport, override=override) as c,
        pytest.raises(errors.Offline) as info,
    ):
        c.scope().get_json(URL)
    assert info.value.hint == f"Nothing answers at {override}: is the simulator running?"
    assert "internet" not in info.value.one_line()
    transport = httpx.MockTransport(sequence(httpx.ConnectError("[Errno -2] Name or service not known")))
    with (
        HttpClient(provider="twilio", auth=None, config=FAST, transport=transport, override=override) as c,
        pytest.raises(errors.Offline) as info,
    ):
        c.scope().get_json(URL)
    assert override in info.value.hint and "internet" not in info.value.hint


def test_read_timeout_is_a_timeout_without_retry() -> None:
    handler = sequence(httpx.ReadTimeout("slow"))
    with client(handler) as c, pytest.raises(errors.Timeout):
        c.scope().get_json(URL)
    assert len(handler.seen) == 1


@pytest.mark.parametrize(
    ("response", "needle"),
    [
        (httpx.Response(200, content=b""), "empty"),
        (httpx.Response(200, content=b"{'calls': None}"), "not valid JSON"),
        (httpx.Response(200, content=b'{"calls": [{"sid": "CA'), "incomplete"),
    ],
)
def test_bad_bodies_are_bad_response(response: httpx.Response, needle: str) -> None:
    with client(sequence(response)) as c, pytest.raises(errors.BadResponse) as info:
        c.scope().get_json(URL)
    assert needle in info.value.message


def test_cancel_during_backoff_stops_the_retries() -> None:
    token = CancelToken()
    clock = FakeClock(on_sleep=lambda seconds: token.cancel())  # the agent cancels while the lookup waits
    handler = sequence(httpx.Response(503))
    config = HttpConfig(max_retries=5, backoff_base=5.0, backoff_max=5.0, clock=clock)
    with client(handler, config) as c, pytest.raises(Cancelled):
        c.scope(token).get_json(URL)
    assert len(handler.seen) == 1 and len(clock.sleeps) == 1  # no request after the cancel


def test_the_real_clock_wakes_a_sleep_when_cancelled() -> None:
    token = CancelToken()
    threading.Timer(0.05, token.cancel).start()
    started = time.monotonic()
    assert SYSTEM_CLOCK.sleep(60, token) is True
    assert time.monotonic() - started < 30  # generous: only a sleep that ignored the cancel takes the full minute
    assert SYSTEM_CLOCK.sleep(0.01, CancelToken()) is False


def test_cancel_mid_request_returns_without_waiting_for_the_answer() -> None:
    entered, release = threading.Event(), threading.Event()

    def slow(request: httpx.Request) -> httpx.Response:
        entered.set()
        release.wait(10)
        return httpx.Response(200, json={})

    token = CancelToken()
    with client(slow, HttpConfig(read_timeout=30, budget_s=60)) as c:
        threading.Thread(target=lambda: entered.wait(10) and token.cancel()).start()
        try:
            with pytest.raises(Cancelled):  # a get_json that waited for the answer would return {} instead
                c.scope(token).get_json(URL)
            assert not release.is_set()
        finally:
            release.set()


def test_budget_bounds_the_whole_lookup_and_caps_each_read_timeout() -> None:
    clock = FakeClock()
    read_timeouts: list[float] = []

    def slow(request: httpx.Request) -> httpx.Response:
        read_timeouts.append(request.extensions["timeout"]["read"])
        clock.advance(0.15)  # each answer takes 0.15 s
        return httpx.Response(503)

    config = HttpConfig(read_timeout=1, max_retries=10, backoff_base=0.02, backoff_max=0.02, budget_s=0.4, clock=clock)
    with client(slow, config) as c, pytest.raises(errors.ProviderUnavailable):
        c.scope().get_json(URL)
    # 0.15 + 0.01..0.02 per try: the third answer leaves no time for another backoff, so it is the last
    assert len(read_timeouts) == 3
    assert read_timeouts[0] == pytest.approx(0.4) and read_timeouts[0] > read_timeouts[1] > read_timeouts[2]
    assert len(clock.sleeps) == 2


def test_an_exhausted_budget_is_a_timeout_before_the_next_request() -> None:
    clock = FakeClock()
    handler = sequence(httpx.Response(503), httpx.Response(200, json={}))
    with client(handler, on(clock, budget_s=1)) as c:
        scope = c.scope()
        clock.advance(1.5)
        with pytest.raises(errors.Timeout) as info:
            scope.get_json(URL)
    assert handler.seen == [] and "time budget of 1 s" in info.value.message


def test_concurrency_is_bounded_and_gather_returns_errors_per_call() -> None:
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        if request.url.params.get("n") == "3":
            return httpx.Response(404)
        return httpx.Response(200, json={"n": request.url.params["n"]})

    with client(handler, HttpConfig(max_concurrency=3, budget_s=10)) as c:
        scope = c.scope()
        results = scope.gather([(lambda n=n: scope.get_json(URL, {"n": n})) for n in range(10)])
    assert 1 < state["max"] <= 3
    assert isinstance(results[3], errors.NotFound)
    assert [r["n"] for i, r in enumerate(results) if i != 3] == [str(i) for i in range(10) if i != 3]
    assert scope.request_count == 10


def test_paginate_follows_links_and_stops_at_limit() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("Page", "0"))
        nxt = f"https://api.example.test/list?PageSize=2&Page={page + 1}" if page < 9 else None
        return httpx.Response(200, json={"items": [{"i": page * 2}, {"i": page * 2 + 1}], "next": nxt})

    with client(handler) as c:
        scope = c.scope()
        listing = scope.paginate(
            "https://api.example.test/list",
            {"PageSize": 2},
            items_key="items",
            next_link=lambda b: b["next"],
            limit=5,
            what="list",
        )
    assert [i["i"] for i in listing.items] == [0, 1, 2, 3, 4] and listing.more and listing.stopped is None
    assert scope.request_count == 3


def _pages(*bodies):
    """A list endpoint answering page N with bodies[N] (a dict, a Response or an exception)."""

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("Page", "0"))
        item = bodies[min(page, len(bodies) - 1)]
        if isinstance(item, Exception):
            raise item
        return item if isinstance(item, httpx.Response) else httpx.Response(200, json=item)

    return handler


def _list(c: HttpClient, params=None):
    return c.scope().paginate(
        "https://api.example.test/list", params or {"To": "+13035550199"}, items_key="items",
        next_link=lambda b: b.get("next"), limit=100, what="call list",
    )  # fmt: skip


def _page(n: int, nxt: str | None = "default") -> dict:
    link = f"/list?To=%2B13035550199&Page={n + 1}&PageToken=PA{n}" if nxt == "default" else nxt
    return {"items": [{"i": n}], "next": link}


def test_a_failing_later_page_keeps_the_pages_already_read() -> None:
    with client(_pages(_page(0), _page(1), httpx.Response(500, json={"code": 20500})), config=on(FakeClock())) as c:
        listing = _list(c)
    assert [i["i"] for i in listing.items] == [0, 1] and listing.pages == 2 and listing.more
    assert isinstance(listing.stopped, errors.ProviderUnavailable) and "HTTP 500" in listing.stopped.message


def test_a_failing_first_page_is_the_error() -> None:
    with client(_pages(httpx.Response(404, json={"code": 20404})), config=on(FakeClock())) as c, pytest.raises(
        errors.NotFound
    ):
        _list(c)


@pytest.mark.parametrize(
    "link",
    [
        ".attacker.example/x",  # glued onto the host: api.example.test.attacker.example
        "0/x",  # glued onto the host: a port
        "//attacker.example/list?To=%2B13035550199",
        "https://attacker.example/list?To=%2B13035550199&Page=1",
        "https://api.example.test@attacker.example/list?To=%2B13035550199",
        "http://api.example.test/list?To=%2B13035550199&Page=1",  # the same host, but in cleartext
        "/list?To=%2B13035550199&Page=1\x00",
        "/other?To=%2B13035550199&Page=1",  # another resource
        "/list?To=%2B19995550100&Page=1",  # another filter value
        "/list?Page=1",  # a filter dropped
        "/list?To=%2B13035550199&From=%2B17205550100&Page=1",  # a filter added
        ["/list?Page=1"],
    ],
)
def test_a_next_page_link_outside_the_policy_is_not_followed(link) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=_page(0, link))

    with client(handler) as c:
        listing = _list(c)
    assert len(seen) == 1, seen  # the credentials never went to the link
    assert [i["i"] for i in listing.items] == [0] and listing.more
    assert isinstance(listing.stopped, errors.BadResponse) and "not followed" in listing.stopped.message


def test_paging_parameters_may_change_and_an_absolute_link_on_the_origin_is_followed() -> None:
    bodies = [
        _page(0, "https://api.example.test/list?To=%2B13035550199&PageSize=7&Page=1&PageToken=PA0"),
        _page(1, "/list?Page=2&To=+13035550199"),  # another order; an unencoded + reads as a space
        _page(2, None),
    ]
    with client(_pages(*bodies)) as c:
        listing = _list(c)
    assert [i["i"] for i in listing.items] == [0, 1, 2] and listing.stopped is None and not listing.more


def test_entries_that_are_not_objects_are_counted_not_dropped_silently() -> None:
    with client(_pages({"items": [{"i": 0}, 7, "x", None, [1]], "next": None})) as c:
        listing = _list(c)
    assert [i["i"] for i in listing.items] == [0] and listing.unreadable == 4


def test_requests_go_only_to_the_policys_origins() -> None:
    from sipsight.providers.url_policy import UrlPolicy

    handler = sequence(httpx.Response(200, json={}))
    c = HttpClient(
        provider="twilio", auth=("u", "p"), config=FAST, transport=httpx.MockTransport(handler),
        policy=UrlPolicy(["https://api.example.test"]),
    )  # fmt: skip
    with c:
        c.scope().get_json("https://api.example.test/x")
        for url in ("https://other.example/x", "http://api.example.test/x", "https://api.example.test:8443/x"):
            with pytest.raises(errors.BadResponse, match="did not send"):
                c.scope().get_json(url)
    assert len(handler.seen) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"[" * 100_000,
    ],
)
def test_deep_json_is_a_bad_response_not_a_recursion_error(body: bytes) -> None:
    with client(sequence(httpx.Response(200, content=body))) as c, pytest.raises(errors.BadResponse) as info:
        c.scope().get_json(URL)
    assert "deeper than" in info.value.message or "not valid JSON" in info.value.message


def test_deep_json_in_an_error_body_still_gives_the_status_error() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with client(sequence(httpx.Response(404, content=deep))) as c, pytest.raises(errors.NotFound):
        c.scope().get_json(URL)


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    from sipsight.providers.answers import json_too_deep

    assert not json_too_deep(b'{"a": "' + b"[{" * 1000 + b'", "b": [1, [2]]}')
    assert json_too_deep(b"[" * 65 + b"]" * 65) and not json_too_deep(b"[" * 64 + b"]" * 64)
    # escaped quotes do not end a string, an escaped backslash does not escape the quote after it
    assert not json_too_deep(b"[" + b'"a\\"[[[{\\n",' * 100 + b"1]")
    assert json_too_deep(b'["x\\\\", ' + b"[" * 70 + b"]" * 70 + b"]")
    assert not json_too_deep(b'["x\\\\", ' + b"[" * 60 + b"]" * 60 + b', "[[[[[[[[[["]' * 10)


def test_nan_and_infinity_are_read_as_unreadable_values() -> None:
    with client(sequence(httpx.Response(200, content=b'{"d": Infinity, "e": NaN, "f": -Infinity}'))) as c:
        assert c.scope().get_json(URL) == {"d": None, "e": None, "f": None}


def test_logs_never_show_secrets_or_full_numbers(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sipsight")
    handler = sequence(httpx.Response(503), httpx.Response(200, json={}))
    with client(handler) as c:
        c.scope().get_json(URL, {"To": "+13035550199", "StartTime>": "2026-11-20"})
    text = caplog.text
    assert "0199" in text and "3035550199" not in text
    assert "s3cr3t-value" not in text and "Authorization" not in text and "Basic " not in text
    assert handler.seen[0].headers["Authorization"].startswith("Basic ")  # it was sent, just never logged


def test_closing_the_client_mid_lookup_ends_it_as_cancelled() -> None:
    entered, release = threading.Event(), threading.Event()

    def slow(request: httpx.Request) -> httpx.Response:
        entered.set()
        release.wait(10)
        return httpx.Response(503)

    c = client(slow, HttpConfig(read_timeout=30, max_retries=3, backoff_base=0.01, backoff_max=0.01, budget_s=60))
    scope = c.scope()
    threading.Thread(target=lambda: entered.wait(10) and c.close()).start()
    try:
        with pytest.raises(Cancelled):
            scope.gather([lambda: scope.get_json(URL), lambda: scope.get_json(URL)])
        assert not release.is_set()  # it ended without waiting for the answers in flight
    finally:
        release.set()
    with pytest.raises(Cancelled):
        scope.get_json(URL)


def test_bearer_auth_sends_a_fresh_token_on_every_request() -> None:
    from sipsight.providers.http import BearerAuth

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={"ok": True})

    tokens = iter(["t1", "t2"])
    client = HttpClient(
        provider="telnyx",
        auth=BearerAuth(lambda: next(tokens)),
        config=HttpConfig(),
        transport=httpx.MockTransport(handler),
    )
    with client:
        scope = client.scope()
        scope.get_json("https://api.telnyx.com/v2/x")
        scope.get_json("https://api.telnyx.com/v2/x")
    assert seen == ["Bearer t1", "Bearer t2"]
