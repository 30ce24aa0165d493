"""Every simulator fault ends a lookup with the right typed error and a clear message, or recovers, and no
fault leaves a socket open behind it.

Real HTTP against the simulator. Retries, Retry-After and the budget run on a FakeClock (tests/fake_clock.py):
the tests check what the lookup waited for, not how long it took, so a busy machine cannot fail them. Read
timeouts stay real and generous (httpx enforces them on the socket), except where a timeout is the point.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

import fault_matrix
from fake_clock import FakeClock
from sipsight.core.errors import Cancelled
from sipsight.core.knowledge import provider_info
from sipsight.core.lookup import CancelToken, FetchResult
from sipsight.core.models import Query
from sipsight.providers import errors
from sipsight.providers.factory import open_provider
from sipsight.providers.http import HttpClient, HttpConfig
from sipsight.simulator import Simulator

DEST = "+13035550199"
# A Retry-After (1 s by default) or a backoff costs no real time on the fake clock, and its budget outlasts any
# sum of the waits a fault can cause; the read timeout only ends a request that never comes (slow, below).
CONFIG = HttpConfig(connect_timeout=5, read_timeout=10, max_retries=2, backoff_base=0.02, backoff_max=0.05, budget_s=60)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def lookup(
    fault: str | None,
    config: HttpConfig = CONFIG,
    scenario: str = "origin-ticket",
    cancel: CancelToken | None = None,
    provider: str | None = None,
) -> FetchResult:
    query = Query(destination=DEST, since=datetime.now(UTC) - timedelta(days=7))
    with open_provider(
        demo=True, scenario=scenario, fault=fault, http_config=config, demo_provider=provider
    ) as session:
        return session.provider.fetch(query, cancel)


def on(clock: FakeClock, config: HttpConfig = CONFIG, **changes: float) -> HttpConfig:
    return dataclasses.replace(config, clock=clock, **changes)


FAILURES = [
    ("401", errors.AuthFailed, "rejected the credentials"),
    ("403@all", errors.AuthFailed, "refused access"),
    ("404", errors.NotFound, "found no call list"),
    ("429", errors.RateLimited, "rate-limiting"),
    ("500", errors.ProviderUnavailable, "HTTP 500"),
    ("503", errors.ProviderUnavailable, "HTTP 503"),
    ("slow=30", errors.Timeout, "did not answer"),
    ("reset", errors.ProviderUnavailable, "connection"),
    ("truncated", errors.BadResponse, "incomplete"),
    ("malformed", errors.BadResponse, "not valid JSON"),
]


# each provider's demo: the errors are shared classes, but what the agent reads is the provider's own
SCENARIOS = {
    "twilio": "origin-ticket", "signalwire": "signalwire-603-decline", "telnyx": "origin-ticket",
    "plivo": "origin-ticket", "vonage": "origin-ticket", "bandwidth": "origin-ticket",
}  # fmt: skip
OWN_WORDS = {("404", "telnyx"): "found no detail records"}  # what that provider's list is called
STATUS_PAGES = {
    "twilio": "status.twilio.com", "signalwire": "status.signalwire.com", "telnyx": "status.telnyx.com",
    "plivo": "status.plivo.com", "vonage": "vonageapi.statuspage.io", "bandwidth": "status.bandwidth.com",
}  # fmt: skip


@pytest.mark.parametrize("provider", list(SCENARIOS))
@pytest.mark.parametrize(("fault", "kind", "needle"), FAILURES, ids=[f[0] for f in FAILURES])
def test_fault_ends_in_a_typed_error_with_message_and_hint(
    fault: str, kind: type, needle: str, provider: str, clock: FakeClock
) -> None:
    # slow=30 answers after 30 s: a 0.5 s read timeout gives up long before, however busy the machine
    config = on(clock, read_timeout=0.5) if fault.startswith("slow") else on(clock)
    with pytest.raises(errors.ProviderError) as info:
        lookup(fault, config, scenario=SCENARIOS[provider], provider=provider)
    err = info.value
    assert type(err) is kind, f"{fault}: got {type(err).__name__}: {err.one_line()}"
    needle = OWN_WORDS.get((fault, provider), needle)
    assert needle in err.message, err.message
    assert err.exit_code == 3 and err.hint, err.one_line()
    assert "\n" not in err.one_line() and "Traceback" not in err.one_line()
    assert err.provider == provider and err.message.startswith(provider_info(provider).label), err.one_line()
    others = [p for p in SCENARIOS if p != provider]
    assert not any(other in err.one_line().lower() for other in others), err.one_line()
    if kind is errors.ProviderUnavailable:
        assert STATUS_PAGES[provider] in err.hint, err.hint
    if fault == "403@all" and provider == "signalwire":  # no API keys to restrict there: its own credentials
        assert err.hint == provider_info("signalwire").hints["auth_failed"]
    if fault == "429":
        assert clock.sleeps and set(clock.sleeps) == {1.0}  # the simulator's Retry-After, each time
    elif fault in ("503", "reset"):
        assert clock.sleeps and all(CONFIG.backoff_base / 2 <= s <= CONFIG.backoff_max for s in clock.sleeps)
    else:
        assert clock.sleeps == [], f"{fault} is not worth a retry"


@pytest.mark.parametrize("provider", ["telnyx", "plivo", "vonage", "bandwidth"])
def test_faults_that_pass_are_recovered_from_for_each_newer_provider(provider: str) -> None:
    plain = lookup(None, on(FakeClock()), provider=provider)
    rate_clock, busy_clock = FakeClock(), FakeClock()
    limited = lookup("429:2", on(rate_clock), provider=provider)  # Retry-After, or Telnyx's x-ratelimit-reset
    busy = lookup("503:1", on(busy_clock), provider=provider)
    assert rate_clock.sleeps == [1.0, 1.0] and len(busy_clock.sleeps) == 1
    for result in (limited, busy):
        assert [a.id for a in result.attempts] == [a.id for a in plain.attempts] and len(plain.attempts) == 8
        assert result.data.has_sip_codes == plain.data.has_sip_codes
    assert limited.request_count == plain.request_count + 2 and busy.request_count == plain.request_count + 1
    assert lookup("empty", provider=provider).attempts == []  # nothing to show, nothing invented


@pytest.mark.parametrize(
    ("provider", "fault", "caveat"),
    [
        ("bandwidth", "403", "Bandwidth Insights is not enabled for this account"),
        ("bandwidth", "503@insights", "Bandwidth Insights did not answer"),
        ("telnyx", "503@events", "Telnyx's call events could not be read"),
    ],
)
def test_a_secondary_list_failing_degrades_honestly(provider: str, fault: str, caveat: str) -> None:
    result = lookup(fault, provider=provider)
    assert len(result.attempts) == 8
    assert any(caveat in c for c in result.data.provider_caveats), result.data.provider_caveats
    assert not result.data.has_answered_by


def test_a_rate_limit_that_passes_is_waited_out_as_asked(clock: FakeClock) -> None:
    plain = lookup(None, on(FakeClock()))
    result = lookup("429:2", on(clock))  # the first two requests: 429 with Retry-After: 1
    assert clock.sleeps == [1.0, 1.0]  # Retry-After honoured, not the 0.02 s backoff
    assert result.request_count == plain.request_count + 2
    assert len(result.attempts) == len(plain.attempts) > 0 and result.data.has_sip_codes


def test_a_503_that_passes_is_retried_after_a_backoff(clock: FakeClock) -> None:
    result = lookup("503:1", on(clock))
    [waited] = clock.sleeps
    assert CONFIG.backoff_base / 2 <= waited <= CONFIG.backoff_base  # the first backoff step, with its jitter
    assert result.attempts and result.data.has_sip_codes


def test_empty_lists_are_an_honest_empty_result() -> None:
    result = lookup("empty")  # every list comes back with no items: nothing to show, nothing invented
    assert result.attempts == [] and result.caller_attempts == [] and result.caller_id is None


def test_retry_after_beyond_the_budget_is_not_waited_for(clock: FakeClock) -> None:
    with pytest.raises(errors.RateLimited) as info:
        lookup("429=30", on(clock, max_retries=3, budget_s=2))
    assert clock.sleeps == []
    assert "asked to wait 30 s" in info.value.message


@pytest.mark.parametrize("fault", ["403", "503@insights", "malformed@insights"])
def test_insights_faults_degrade_honestly_instead_of_failing(fault: str) -> None:
    result = lookup(fault)
    assert result.attempts and not result.data.has_sip_codes
    first = result.data.provider_caveats[0]
    assert "Voice Insights" in first
    if fault == "403":
        assert "Advanced Features is off" in first


def test_notifications_fault_is_reported_not_fatal() -> None:
    result = lookup("500@notifications", scenario="origin-ticket-no-insights")
    assert result.attempts
    assert any("notifications" in c for c in result.data.provider_caveats)


def test_line_type_lookup_fault_is_a_caveat() -> None:
    result = lookup("500@lookups")
    assert result.attempts and result.line_type is None
    assert any("line-type lookup" in c for c in result.data.provider_caveats)


def test_cancel_mid_lookup_does_not_wait_for_the_answer() -> None:
    # Every answer takes 30 s and the read timeout is 60 s: only a lookup that stops at the cancel ends as
    # Cancelled (one that waited would end in 30 s with the calls, or in 60 s as a Timeout).
    token = CancelToken()
    timer = threading.Timer(0.3, token.cancel)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            lookup("slow=30", HttpConfig(read_timeout=60, budget_s=120), cancel=token)
    finally:
        timer.cancel()


def test_cancel_ends_a_lookup_on_another_thread_promptly() -> None:
    token = CancelToken()
    query = Query(destination=DEST, since=datetime.now(UTC) - timedelta(days=7))
    outcome: list[BaseException] = []
    with open_provider(demo=True, fault="slow=30", http_config=HttpConfig(read_timeout=60, budget_s=120)) as session:

        def worker() -> None:
            try:
                session.provider.fetch(query, token)
            except BaseException as exc:  # handed to the test thread, which asserts on it
                outcome.append(exc)

        thread = threading.Thread(target=worker)
        thread.start()
        time.sleep(0.3)  # the lookup's first requests are on their way (and held for 30 s)
        asked = time.monotonic()
        token.cancel()
        thread.join(15)
        # generous: the HTTP layer looks at the token every 20 ms; only a lookup that waits for the answer fails it
        assert not thread.is_alive() and time.monotonic() - asked < 10
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)


def test_closing_a_session_mid_request_leaves_no_socket_open() -> None:
    """A connection being opened when the session closes is closed by its own request, not left to the GC.

    It used to survive in httpx's emptied pool until the garbage collector found it; its ResourceWarning then
    failed whichever test was running at that moment (pytest turns warnings into errors), which is why fault
    cases passed alone and failed in full runs.
    """
    entered, release, answered = threading.Event(), threading.Event(), threading.Event()
    streams: list[Any] = []  # httpcore's network streams: their sockets say whether they were closed

    class HeldAtTheDoor(httpx.BaseTransport):
        """A real transport whose requests wait until the test lets them through: after the close."""

        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            entered.set()
            release.wait(10)
            response = self.inner.handle_request(request)
            streams.append(response.extensions["network_stream"])
            answered.set()
            return response

        def close(self) -> None:
            self.inner.close()

    with Simulator() as sim:
        client = HttpClient(provider="twilio", auth=(sim.account_sid, sim.auth_token), transport=HeldAtTheDoor())
        scope = client.scope()

        def fetch() -> None:
            with contextlib.suppress(Cancelled):  # it may see the close first: the socket is what matters here
                scope.get_json(f"{sim.base_url}/v1/Alerts")

        worker = threading.Thread(target=fetch)
        worker.start()
        assert entered.wait(10)
        client.close()
        release.set()
        assert answered.wait(10)
        worker.join(10)
        sockets = [s.get_extra_info("socket") for s in streams]
        for _ in range(250):  # the request closes it right after its answer is read
            if all(sock.fileno() == -1 for sock in sockets):
                break
            time.sleep(0.02)
        assert all(sock.fileno() == -1 for sock in sockets), "the connection opened after the close is still open"


# ----------------------------------------------------------------------------- the CLI fault matrix


@pytest.mark.parametrize("case", fault_matrix.CASES, ids=[c.name for c in fault_matrix.CASES])
def test_cli_fault_matrix(case: fault_matrix.Case, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """`sipsight lookup` under every fault: the exit code, one clear line, and the Retry-After kept.

    In-process with the shipped retry policy on a fake clock (the shipped timings are measured by
    bench/bench_fault_matrix.py and in docs/reliability.md); the slow fault uses a short real read timeout.
    """
    from sipsight.launcher import main
    from sipsight.providers import http

    clock = FakeClock()
    shipped = HttpConfig()
    fast = dataclasses.replace(shipped, clock=clock, read_timeout=0.5 if case.fault == "slow=30" else 10)
    monkeypatch.setattr(http, "HttpConfig", lambda: fast)  # what a client builds when given no config
    with fault_matrix.environment(case) as env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        started = time.monotonic()
        code = main(fault_matrix.lookup_args())
        took = time.monotonic() - started
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == case.exit_code, (code, err)
    assert took < 10, f"{case.name} took {took:.1f} s"
    if case.exit_code == 0:
        assert out.strip() and not err.strip()
        return
    assert len(lines) == 1 and "Traceback" not in err and "unexpected error" not in err, err
    assert case.needle in lines[0], lines[0]
    if case.retry_after:
        assert case.retry_after in lines[0] and clock.sleeps == []  # said, and not waited past the budget
    if case.fault == "429":
        assert set(clock.sleeps) == {1.0}  # the simulator's Retry-After, honoured on each retry of each request
    if case.address == "tls":
        assert clock.sleeps == [] and "http://" in lines[0]  # not retried; says what to check
    if case.address == "closed":
        # a refusal is retried once only: one first backoff step for each request of the first round
        assert clock.sleeps and all(s <= shipped.backoff_base for s in clock.sleeps) and len(clock.sleeps) <= 3
