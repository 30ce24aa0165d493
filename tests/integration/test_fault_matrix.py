"""Every simulator fault ends a lookup with the right typed error and a clear message, or recovers, in bounded time.

Real HTTP against the simulator; timeouts, backoff and budget are shrunk through HttpConfig so the whole
matrix runs in a few seconds.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from sipsight.core.errors import Cancelled
from sipsight.core.lookup import CancelToken
from sipsight.core.models import Query
from sipsight.providers import errors
from sipsight.providers.factory import open_provider
from sipsight.providers.http import HttpConfig

DEST = "+13035550199"
CONFIG = HttpConfig(
    connect_timeout=1.0, read_timeout=0.6, max_retries=2, backoff_base=0.02, backoff_max=0.05, budget_s=3
)


def lookup(fault: str | None, config: HttpConfig = CONFIG, scenario: str = "origin-ticket", cancel=None):
    query = Query(destination=DEST, since=datetime.now(UTC) - timedelta(days=7))
    with open_provider(demo=True, scenario=scenario, fault=fault, http_config=config) as session:
        return session.provider.fetch(query, cancel)


FAILURES = [
    ("401", errors.AuthFailed, "rejected the credentials"),
    ("403@all", errors.AuthFailed, "refused access"),
    ("404", errors.NotFound, "found no call list"),
    ("429", errors.RateLimited, "rate-limiting"),
    ("500", errors.ProviderUnavailable, "HTTP 500"),
    ("503", errors.ProviderUnavailable, "HTTP 503"),
    ("slow=2", errors.Timeout, "did not answer"),
    ("reset", errors.ProviderUnavailable, "connection"),
    ("truncated", errors.BadResponse, "incomplete"),
    ("malformed", errors.BadResponse, "not valid JSON"),
]


@pytest.mark.parametrize(("fault", "kind", "needle"), FAILURES, ids=[f[0] for f in FAILURES])
def test_fault_ends_in_a_typed_error_with_message_and_hint(fault: str, kind: type, needle: str) -> None:
    started = time.monotonic()
    with pytest.raises(errors.ProviderError) as info:
        lookup(fault)
    elapsed = time.monotonic() - started
    err = info.value
    assert type(err) is kind, f"{fault}: got {type(err).__name__}: {err.one_line()}"
    assert needle in err.message, err.message
    assert err.exit_code == 3 and err.hint, err.one_line()
    assert "\n" not in err.one_line() and "Traceback" not in err.one_line()
    assert elapsed < CONFIG.budget_s + 1.0, f"{fault} took {elapsed:.1f} s"


@pytest.mark.parametrize("fault", ["429:2", "503:1"])
def test_transient_faults_recover(fault: str) -> None:
    result = lookup(fault)
    assert result.attempts, "the lookup should have recovered and returned the scenario's calls"
    assert result.data.has_sip_codes


def test_empty_lists_are_an_honest_empty_result() -> None:
    result = lookup("empty")  # every list comes back with no items: nothing to show, nothing invented
    assert result.attempts == [] and result.caller_attempts == [] and result.caller_id is None


def test_retry_after_beyond_the_budget_is_not_waited_for() -> None:
    started = time.monotonic()
    with pytest.raises(errors.RateLimited) as info:
        lookup("429=30", HttpConfig(read_timeout=1, max_retries=3, budget_s=2))
    assert time.monotonic() - started < 1.0
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


def test_cancel_mid_lookup_returns_promptly() -> None:
    token = CancelToken()
    config = HttpConfig(read_timeout=10, budget_s=20)
    timer = threading.Timer(0.3, token.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        lookup("slow=3", config, cancel=token)
    # the session closes after the cancel; the lookup itself must have stopped well before the slow answer
    assert time.monotonic() - started < 3.0
    timer.cancel()


def test_cancel_returns_within_100ms_of_the_request() -> None:
    token = CancelToken()
    query = Query(destination=DEST, since=datetime.now(UTC) - timedelta(days=7))
    with open_provider(demo=True, fault="slow=2", http_config=HttpConfig(read_timeout=10, budget_s=20)) as session:
        holder: dict[str, float] = {}

        def worker() -> None:
            try:
                session.provider.fetch(query, token)
            except Cancelled:
                holder["done"] = time.monotonic()

        thread = threading.Thread(target=worker)
        thread.start()
        time.sleep(0.3)
        asked = time.monotonic()
        token.cancel()
        thread.join(2)
        assert "done" in holder and holder["done"] - asked < 0.1
