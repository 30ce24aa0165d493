"""One provider read, measured and logged the same way for all six providers: the requests it cost and how long it
took (`FetchResult.request_count`, `elapsed_s`; the benchmarks and the status bar read them), and one log line with
the number masked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sipsight.core.privacy import mask_number

if TYPE_CHECKING:
    from sipsight.core.lookup.provider_api import CancelToken, FetchResult
    from sipsight.providers.http import HttpClient, Scope


def timed_read(
    http: HttpClient,
    cancel: CancelToken | None,
    read: Callable[[Scope], FetchResult],
    log: logging.Logger,
    *,
    destination: str | None = None,
    caller_id: str | None = None,
    account: str | None = None,
) -> FetchResult:
    """`read` in a fresh request scope of `http`; a destination lookup names `destination`, a caller-first one
    `caller_id` or the sub-account (`account`) whose calls it reads."""
    clock = http.clock
    started = clock.monotonic()
    scope = http.scope(cancel)
    result = read(scope)
    result.request_count = scope.request_count
    result.elapsed_s = clock.monotonic() - started
    if destination is not None:
        log.info(
            "lookup of %s: %d attempts, %d caller attempts, %d requests in %.2f s",
            mask_number(destination),
            len(result.attempts),
            len(result.caller_attempts),
            result.request_count,
            result.elapsed_s,
        )
    else:
        log.info(
            "caller-first lookup of %s: %d calls, %d requests in %.2f s",
            mask_number(caller_id) if caller_id else f"sub-account {account}",
            len(result.caller_attempts),
            result.request_count,
            result.elapsed_s,
        )
    return result
