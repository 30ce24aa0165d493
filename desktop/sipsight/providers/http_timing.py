"""How the HTTP layer waits and whom it trusts: its tunables (HttpConfig) and clock, the Retry-After and rate-limit
headers, the backoff between retries, the one verifying TLS context, and bearer-token auth. Re-exported by
`sipsight.providers.http`, the layer's public face."""

from __future__ import annotations

import email.utils
import functools
import os
import random
import ssl
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import httpx

from sipsight.core.lookup import CancelToken


class Clock(Protocol):
    """Where the HTTP layer's time comes from: the lookup's budget reads it, backoff and Retry-After sleep on it."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float, cancel: CancelToken) -> bool:
        """Wait `seconds`, ending early when `cancel` is set; True when it was cancelled."""
        ...


class SystemClock:
    """The real clock: `time.monotonic`, and sleeps the cancel token can cut short from any thread."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, cancel: CancelToken) -> bool:
        return cancel.wait(seconds)


SYSTEM_CLOCK = SystemClock()


@dataclass(frozen=True)
class HttpConfig:
    """Tunables; tests shrink them (and pass a fake clock) so fault scenarios finish in milliseconds."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    budget_s: float = 60.0
    max_concurrency: int = 8
    # Part of the config so that it reaches every client of a session the way the other tunables do
    # (open_provider(http_config=...), the GUI's session options); it is not a setting, so it takes no part in ==.
    clock: Clock = field(default=SYSTEM_CLOCK, compare=False)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_rate_limit_reset(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from an X-RateLimit-Reset header (the Unix time the window resets: Intercom, GitHub);
    None when absent or unreadable."""
    try:
        reset = float((value or "").strip())
    except ValueError:
        return None
    if reset != reset or reset in (float("inf"), float("-inf")):  # NaN, infinities
        return None
    return max(0.0, reset - (time.time() if now is None else now))


def backoff_delay(attempt: int, config: HttpConfig, rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, so clients never retry in lock-step."""
    ceiling = min(config.backoff_max, config.backoff_base * 2.0**attempt)
    jitter = rng.uniform(0, ceiling / 2) if rng is not None else random.uniform(0, ceiling / 2)
    return ceiling / 2 + jitter


@functools.cache
def _tls_context(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    # Building a verifying context reads the whole CA bundle (40-50 ms, holding the GIL): once per process and
    # CA setting, not once per session. Verification is always on; SSL_CERT_FILE/SSL_CERT_DIR choose the CAs.
    return httpx.create_ssl_context(trust_env=True)


def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares (the CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set)."""
    return _tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>` (Telnyx, Intercom, a Vonage JWT). `token` is called for every request, so a
    short-lived token (a JWT signed for a few minutes) is renewed without rebuilding the client."""

    def __init__(self, token: str | Callable[[], str]) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._token() if callable(self._token) else self._token
        request.headers["Authorization"] = f"Bearer {token}"
        yield request
