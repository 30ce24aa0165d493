"""The one HTTP layer every provider client goes through.

What it guarantees, so provider code never has to think about it:
- explicit connect/read timeouts, keep-alive connections, and at most `max_concurrency` requests in flight;
- retries with exponential backoff and jitter on 429/502/503/504 and on connection failures, honouring
  Retry-After (seconds or an HTTP date) unless it would blow the lookup's time budget; a refused connection
  is retried once only (a refusal is an answer: nothing listens there), so it is reported in well under 2 s;
- a total time budget per lookup (a `Scope`), and cancellation through a `CancelToken` that is checked
  between requests, during backoff sleeps and while a request is in flight (the caller stops waiting
  within ~50 ms; the orphaned socket read ends on its own timeout);
- typed errors (providers/errors.py) with a clear message and a hint, both naming the provider the client talks
  to: its label and hints come from the provider catalog (`core.knowledge.provider_info`);
- logs that never carry credentials or headers, and mask phone numbers to their last 4 digits.

Time comes from a `Clock` (`HttpConfig.clock`): the budget, the backoff and Retry-After waits read and sleep
on it, so tests run them on a fake clock and check what was waited instead of timing themselves.

The API is synchronous and thread-safe: the GUI calls it from a worker thread, and a lookup fans out
its per-call requests with `Scope.gather`.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httpx

from sipsight import __version__
from sipsight.core.errors import Cancelled
from sipsight.core.knowledge import provider_info
from sipsight.core.lookup import CancelToken
from sipsight.core.privacy import mask_text
from sipsight.providers.answers import read_json, status_error, tls_error, tls_failure
from sipsight.providers.errors import (
    AuthFailed,
    BadResponse,
    Offline,
    ProviderError,
    ProviderUnavailable,
    Timeout,
)
from sipsight.providers.http_timing import (  # re-exported: the HTTP layer's public names
    SYSTEM_CLOCK,
    BearerAuth,
    Clock,
    HttpConfig,
    SystemClock,
    backoff_delay,
    parse_rate_limit_reset,
    parse_retry_after,
    tls_context,
)
from sipsight.providers.url_policy import UnsafeLink, UnsafeUrl, UrlPolicy

log = logging.getLogger("sipsight.http")

T = TypeVar("T")
__all__ = [
    "SYSTEM_CLOCK", "BearerAuth", "Clock", "HttpClient", "HttpConfig", "Listing", "Scope", "SystemClock",
    "backoff_delay", "parse_rate_limit_reset", "parse_retry_after", "tls_context",
]  # fmt: skip

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# A request that changes something (a POST) is sent again only when it surely did not take effect: a 429, or a
# connection that was never made. After a 5xx or a broken-off answer it may have: the caller decides.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_POLL_S = 0.02  # how often a waiting caller looks at the cancel token and the deadline


def redact_url(url: str, params: dict[str, Any] | Sequence[tuple[str, Any]] | None = None) -> str:
    """A loggable form of a request: host + path + query, with numbers masked and secrets dropped."""
    parts = urlsplit(url)
    query = urlencode(list(params.items()) if isinstance(params, dict) else list(params or []), safe="<>,+")
    text = f"{parts.netloc}{parts.path}" + (f"?{query}" if query else (f"?{parts.query}" if parts.query else ""))
    return mask_text(text)


def is_refusal(exc: BaseException) -> bool:
    """A connection actively refused (nothing listens at that address), as opposed to a DNS or routing hiccup."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ConnectionRefusedError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    # Windows words it "... the target machine actively refused it"
    return "refused" in str(exc).lower()


@dataclass
class Scope:
    """One lookup's share of the client: its time budget, cancel token and request counter."""

    client: HttpClient
    cancel: CancelToken
    budget_s: float
    started: float
    _count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def request_count(self) -> int:
        return self._count

    @property
    def elapsed(self) -> float:
        return self.client.clock.monotonic() - self.started

    def remaining(self) -> float:
        return self.budget_s - self.elapsed

    def check(self) -> None:
        self.cancel.raise_if_cancelled()
        if self.remaining() <= 0:
            raise Timeout(
                f"The lookup did not finish within its time budget of {self.budget_s:g} s.",
                provider=self.client.provider,
            )

    def _counted(self) -> None:
        with self._lock:
            self._count += 1

    def sleep(self, seconds: float) -> None:
        if self.client.clock.sleep(seconds, self.cancel):
            self.cancel.raise_if_cancelled()

    def wait(self, future: Future[T]) -> T:
        """Wait for a future while watching the cancel token and the deadline."""
        while True:
            try:
                return future.result(timeout=_POLL_S)
            except TimeoutError:
                pass
            if self.cancel.cancelled or self.remaining() <= 0 or self.client._closed:
                future.cancel()
                self.check()
                raise Cancelled("The connection was closed while the lookup ran.")

    def get_json(self, url: str, params: dict[str, Any] | None = None, *, what: str = "data") -> Any:
        return self.client.request_json("GET", url, params, scope=self, what=what)

    def submit(self, call: Callable[[], T]) -> Future[T]:
        """Start a call now (bounded by the client); pair with `collect`."""
        return self.client._schedule(self.client._tasks, call)

    def collect(self, futures: Sequence[Future[T]]) -> list[T | ProviderError]:
        """Results of submitted calls: each a value or the ProviderError it raised.

        Cancellation and an exhausted budget are not per-call failures: they abort the whole collection
        (and cancel what has not started).
        """
        results: list[T | ProviderError] = []
        try:
            for fut in futures:
                try:
                    results.append(self.wait(fut))
                except Cancelled:
                    raise
                except Timeout as err:
                    self.check()  # when the lookup's own budget is gone, abort the whole collection
                    results.append(err)
                except ProviderError as err:
                    results.append(err)
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        return results

    def gather(self, calls: Iterable[Callable[[], T]]) -> list[T | ProviderError]:
        """Run calls concurrently and collect their results (see `collect`)."""
        return self.collect([self.submit(call) for call in calls])

    def paginate(
        self,
        url: str,
        params: dict[str, Any] | None,
        *,
        items_key: str,
        next_link: Callable[[dict[str, Any]], object],
        limit: int,
        what: str,
        max_pages: int = 20,
    ) -> Listing:
        """Collect list items page by page up to `limit`.

        `next_link(body)` is the page's raw next-page link; the client's URL policy decides whether it is followed
        (the same origin, the same resource and filters). A page that fails after the first one, or a link that
        may not be followed, ends the list there: the pages already read are kept and `stopped` says why.
        """
        listing = Listing()
        page_url = url
        page_params = params
        for _ in range(max_pages):
            try:
                body = self.get_json(page_url, page_params, what=what)
                if not isinstance(body, dict) or not isinstance(body.get(items_key), list):
                    raise BadResponse(
                        f"{self.client.label} sent a {what} page without a '{items_key}' list.",
                        provider=self.client.provider,
                    )
                listing.pages += 1
                for item in body[items_key]:
                    if isinstance(item, dict):
                        listing.items.append(item)
                    else:
                        listing.unreadable += 1
                try:
                    next_page = self.client.policy_for(url).next_page(url, params, next_link(body))
                except UnsafeLink as exc:
                    raise BadResponse(
                        f"{self.client.label} sent a {what} next-page link that was not followed ({exc})",
                        provider=self.client.provider,
                    ) from None
            except ProviderError as err:
                self.client.reword(err)
                if listing.pages == 0 or (isinstance(err, Timeout) and self.remaining() <= 0):
                    raise  # without a first page there is no list; without budget there is no lookup
                listing.stopped, listing.more = err, True
                return listing
            if len(listing.items) >= limit:
                listing.more = bool(next_page) or len(listing.items) > limit
                del listing.items[limit:]
                return listing
            if not next_page:
                return listing
            page_url, page_params = next_page, None  # the next-page link carries the whole query
        listing.more = True
        return listing


@dataclass
class Listing:
    """What `Scope.paginate` read: the items (JSON objects), whether the list had more, what could not be read."""

    items: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False  # the list goes on beyond what was read (the limit, or a stop)
    unreadable: int = 0  # entries of the list that were not JSON objects
    stopped: ProviderError | None = None  # a later page failed; the pages before it are in `items`
    pages: int = 0  # pages read


class HttpClient:
    """A keep-alive httpx client with the policies above; one per provider session, shared across lookups."""

    def __init__(
        self,
        *,
        provider: str,
        auth: tuple[str, str] | httpx.Auth | None,  # (user, password): HTTP Basic; BearerAuth(token)
        config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
        rng: random.Random | None = None,
        override: str | None = None,
        policy: UrlPolicy | None = None,
        hints: Mapping[str, str] | None = None,
        label: str | None = None,
        headers: Mapping[str, str] | None = None,
        read_error: Callable[[httpx.Response, str], ProviderError | None] | None = None,
        read_wait: Callable[[httpx.Response], float | None] | None = None,
    ) -> None:
        self.config = config or HttpConfig()
        self.clock = self.config.clock
        # the catalog name ("twilio", "signalwire"): every error names this provider and carries its hints
        self.provider = provider
        # a provider outside the telephony catalog (Intercom) names itself, and brings its hints in `hints`
        self.label = label or provider_info(provider).label
        # reads an error answer in the provider's own shape (its error list, its headers): None leaves it to
        # the generic reading (answers.status_error)
        self.read_error = read_error
        # how long a 429 without Retry-After asks to wait, in the provider's own header (Telnyx's seconds in
        # x-ratelimit-reset): None leaves it to X-RateLimit-Reset read as a Unix time (Intercom)
        self.read_wait = read_wait
        # "http://127.0.0.1:9 (SIPSIGHT_TWILIO_BASE_URL)" when a base URL override sends requests elsewhere:
        # a failure to connect then names it instead of blaming the internet connection
        self.override = override
        # where requests may go (providers/url_policy.py); without one, each request's own origin is its policy
        self.policy = policy
        # hints in place of the catalog's, by kind ("auth_failed", "forbidden", ...): credentials from the
        # environment are not "this profile"
        self.hints = dict(hints or {})
        self._rng = rng or random.Random()
        limits = httpx.Limits(
            max_connections=self.config.max_concurrency, max_keepalive_connections=self.config.max_concurrency
        )
        # A proxy from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY) is for the way out to the provider;
        # a client whose every address is on this machine (the demo, the simulator) never goes through one.
        local = policy is not None and policy.loopback_only
        try:
            self._client = httpx.Client(
                auth=auth,
                verify=tls_context(),
                timeout=self._timeout(self.config.read_timeout),
                limits=limits,
                transport=transport,
                headers={"User-Agent": f"SIPSight/{__version__}", "Accept": "application/json", **(headers or {})},
                follow_redirects=False,  # a redirect would take the credentials to an address no policy checked
                trust_env=not local,
                # and a client that also talks to real hosts still goes direct to this machine (None: no proxy)
                mounts=None if local else dict.fromkeys(("all://127.0.0.1", "all://localhost", "all://[::1]")),
            )
        except (ValueError, ImportError) as exc:  # a proxy variable httpx cannot use (a typo, socks without socksio)
            from sipsight.providers.errors import NotConfigured

            raise NotConfigured(
                f"The proxy settings in the environment cannot be used ({mask_text(str(exc))[:160]}).",
                "Check HTTPS_PROXY, HTTP_PROXY and ALL_PROXY (an http:// proxy address), or unset them.",
            ) from None
        # Network I/O runs on its own bounded pool so callers can stop waiting (cancel) at any moment;
        # fan-out tasks get a second pool so a task waiting on I/O can never starve the I/O itself.
        self._io = ThreadPoolExecutor(max_workers=self.config.max_concurrency, thread_name_prefix="sipsight-http")
        self._tasks = ThreadPoolExecutor(
            max_workers=self.config.max_concurrency * 2, thread_name_prefix="sipsight-task"
        )
        self._closed = False

    def policy_for(self, url: str) -> UrlPolicy:
        """The client's URL policy; without one configured, the origin of `url` is the only address allowed."""
        if self.policy is not None:
            return self.policy
        parts = urlsplit(url)
        return UrlPolicy([f"{parts.scheme}://{parts.netloc}"])

    def error(self, kind: type[ProviderError], message: str, **kw: Any) -> ProviderError:
        """A provider error of this client, with the client's own hint for its kind when it has one."""
        return self.reword(kind(message, provider=self.provider, **kw))

    def reword(self, err: ProviderError) -> ProviderError:
        """Give `err` this client's hint for its kind (credentials from the environment are not "this profile")."""
        key = "forbidden" if isinstance(err, AuthFailed) and err.status == 403 else err.kind
        if key and key in self.hints and err.provider == self.provider:
            err.hint = self.hints[key]
        return err

    def _timeout(self, read: float) -> httpx.Timeout:
        connect = min(self.config.connect_timeout, read)
        return httpx.Timeout(connect=connect, read=read, write=read, pool=read)

    def scope(self, cancel: CancelToken | None = None, budget_s: float | None = None) -> Scope:
        budget = self.config.budget_s if budget_s is None else budget_s
        return Scope(self, cancel or CancelToken(), budget, started=self.clock.monotonic())

    def _schedule(self, pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> Future[T]:
        # The GUI may close a session while a lookup still runs on a worker: that lookup ends as cancelled.
        if self._closed:
            raise Cancelled("The connection was closed while the lookup ran.")
        try:
            return pool.submit(fn, *args)
        except RuntimeError:
            raise Cancelled("The connection was closed while the lookup ran.") from None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._tasks.shutdown(wait=False, cancel_futures=True)
        self._io.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ one request, with retries

    def _send(
        self, method: str, url: str, params: dict[str, Any] | None, read_timeout: float, body: Any = None
    ) -> httpx.Response:
        try:
            response = self._client.request(
                method, url, params=params, json=body, timeout=self._timeout(read_timeout)
            )
        except RuntimeError:  # httpx refuses a request on a closed client: the session closed meanwhile
            if self._closed:
                raise Cancelled("The connection was closed while the lookup ran.") from None
            raise
        if self._closed:
            # The session closed while this request was on its way. Closing httpx's pool closes the connections
            # it holds at that moment, but one still being opened then is finished afterwards and kept, open,
            # by nobody: its socket would wait for the garbage collector (a ResourceWarning in whatever runs
            # then). This request was the last user of that connection, so it closes it.
            stream = response.extensions.get("network_stream")
            if stream is not None:
                stream.close()
        return response

    def request_json(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        *,
        scope: Scope,
        what: str = "data",
        body: Any = None,
    ) -> Any:
        """The JSON answer of one request, `body` sent as JSON; a POST is retried only if it surely had no effect."""
        try:
            return self._request_json(method, url, params, scope=scope, what=what, body=body)
        except ProviderError as err:
            raise self.reword(err) from None

    def _request_json(
        self, method: str, url: str, params: dict[str, Any] | None, *, scope: Scope, what: str, body: Any
    ) -> Any:
        try:
            self.policy_for(url).check_request(url)  # the credentials go with every request: never elsewhere
        except UnsafeUrl as exc:
            raise BadResponse(f"SIPSight did not send the {what} request: {exc}.", provider=self.provider) from None
        attempt = 0
        refusals = 0
        shown = redact_url(url, params)
        unsure = method.upper() not in IDEMPOTENT  # a broken-off POST may have taken effect: never sent again
        while True:
            scope.check()
            read_timeout = max(0.05, min(self.config.read_timeout, scope.remaining()))
            scope._counted()
            started = time.monotonic()  # what the network took, for the log: real time whatever the clock
            retry_after: float | None = None
            try:
                response = scope.wait(self._schedule(self._io, self._send, method, url, params, read_timeout, body))
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                tls = tls_failure(exc)
                if tls is not None:  # the same answer on every try: say what it is at once
                    log.info("%s %s TLS failure: %s", method, shown, tls)
                    raise self._tls_error(url, tls) from None
                refused = is_refusal(exc)
                refusals += refused
                log.info("%s %s failed to connect (%s%s)", method, shown, type(exc).__name__, ", refused" * refused)
                error: ProviderError = self._offline(url, refused)
                if refusals > 1:  # refused twice: retrying only makes the agent wait for the same answer
                    raise error from None
            except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
                log.info("%s %s timed out after %.1f s", method, shown, read_timeout)
                scope.check()
                raise Timeout(
                    f"{self.label} did not answer the {what} request within {read_timeout:g} s.", provider=self.provider
                ) from None
            except httpx.RemoteProtocolError as exc:
                log.info("%s %s broke off: %s", method, shown, type(exc).__name__)
                if "complete message body" in str(exc) or "incomplete" in str(exc).lower():
                    error = BadResponse(
                        f"{self.label} sent an incomplete {what} response (the connection broke off).",
                        provider=self.provider,
                    )
                else:
                    error = ProviderUnavailable(
                        f"{self.label} closed the connection before answering the {what} request.",
                        provider=self.provider,
                    )
                if unsure:
                    raise error from None
            except httpx.InvalidURL:  # the policy let nothing odd through; httpx has the last word on syntax
                raise BadResponse(
                    f"SIPSight did not send the {what} request: its address is not valid.", provider=self.provider
                ) from None
            except (httpx.ReadError, httpx.WriteError, httpx.NetworkError) as exc:
                tls = tls_failure(exc)
                if tls is not None:
                    log.info("%s %s TLS failure: %s", method, shown, tls)
                    raise self._tls_error(url, tls) from None
                log.info("%s %s connection error: %s", method, shown, type(exc).__name__)
                error = ProviderUnavailable(
                    f"The connection to {self.label} was reset during the {what} request.", provider=self.provider
                )
                if unsure:
                    raise error from None
            except httpx.HTTPError as exc:  # anything else httpx raises is a transport problem
                log.info("%s %s transport error: %s", method, shown, type(exc).__name__)
                raise ProviderUnavailable(
                    f"Could not talk to {self.label}: {type(exc).__name__}.", provider=self.provider
                ) from None
            else:
                ms = (time.monotonic() - started) * 1000
                log.debug("%s %s -> %s in %.0f ms", method, shown, response.status_code, ms)
                if response.status_code < 400:
                    return read_json(response, what, label=self.label, provider=self.provider)
                own = self.read_error(response, what) if self.read_error is not None else None
                error = own or status_error(response, what, label=self.label, provider=self.provider)
                if response.status_code not in RETRY_STATUSES or (unsure and response.status_code != 429):
                    raise error
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if retry_after is None and response.status_code == 429 and self.read_wait is not None:
                    retry_after = self.read_wait(response)
                if retry_after is None and response.status_code == 429:
                    retry_after = parse_rate_limit_reset(response.headers.get("X-RateLimit-Reset"))
            if self._closed:  # the session closed under this request (that broke it off): nothing to retry
                raise Cancelled("The connection was closed while the lookup ran.")
            if attempt >= self.config.max_retries:
                raise error
            delay = retry_after if retry_after is not None else backoff_delay(attempt, self.config, self._rng)
            if delay >= scope.remaining():
                if retry_after is not None:
                    error.message += f" {self.label} asked to wait {retry_after:.0f} s, past the time budget."
                raise error
            log.info("retrying %s %s in %.2f s (%s)", method, shown, delay, type(error).__name__)
            scope.sleep(delay)
            attempt += 1

    def _tls_error(self, url: str, reason: str) -> ProviderError:
        return tls_error(url, reason, label=self.label, provider=self.provider, override=self.override)

    def _offline(self, url: str, refused: bool) -> Offline:
        message = f"Could not reach {self.label} ({urlsplit(url).netloc})" + (
            ": the connection was refused." if refused else "."
        )
        if not self.override:
            return Offline(message, provider=self.provider)
        if refused:
            hint = f"Nothing answers at {self.override}: is the simulator running?"
            return Offline(message, hint, provider=self.provider)
        return Offline(
            message,
            f"Could not connect to {self.override}: check the address, and that the simulator or proxy runs.",
            provider=self.provider,
        )
