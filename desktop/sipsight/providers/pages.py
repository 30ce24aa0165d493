"""Lists paged by number or offset (Telnyx `page[number]`, Plivo `offset`), read in two rounds instead of one request
after another: the first page says how many there are, then the pages still wanted are fetched at once through
`Scope.gather` (at most the HTTP layer's concurrency in flight). Twilio's lists hand out a next-page link per page
and are read by `Scope.paginate`; these lists need no link, so no link has to pass the URL policy either.

What a list read keeps is a `Listing` (providers/http.py), the same record `Scope.paginate` returns: the items, whether
the list had more, the entries that were not JSON objects, and the error a later page ended in (the pages that came
back are kept; without the first page there is no list at all).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sipsight.providers.errors import BadResponse, ProviderError, Timeout
from sipsight.providers.http import Listing, Scope


@dataclass(frozen=True)
class Page:
    """One page as its provider's list reading found it: the entries, and the size of the whole list when the page
    said (the number of items, or of pages)."""

    entries: list[Any]
    total_items: int | None = None
    total_pages: int | None = None


PageReader = Callable[[Any], Page]  # a page's JSON body -> Page; BadResponse for a body that is not a page


def _count(value: object, high: int = 10**9) -> int | None:
    """A count from a page's meta: a non-negative integer (bool is not one), capped so arithmetic stays sane."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return min(value, high)


def page_of(body: Any, items_key: str, *, total_items: object = None, total_pages: object = None) -> Page:
    """The usual page: a JSON object with its list under `items_key`; the totals as the provider's meta gave them."""
    if not isinstance(body, dict) or not isinstance(body.get(items_key), list):
        raise ValueError(f"a page without a '{items_key}' list")
    return Page(list(body[items_key]), _count(total_items), _count(total_pages))


def read_pages(
    scope: Scope,
    fetch: Callable[[int], Any],
    read: PageReader,
    *,
    page_size: int,
    limit: int,
    max_pages: int,
    what: str,
    newest_last: bool = False,
) -> Listing:
    """Up to `limit` items of a list fetched by page index (`fetch(0)` is the first page): the first page, then the
    pages still wanted concurrently. `newest_last` (a list in ascending time order): the pages wanted are the last
    ones, since a lookup wants the newest items. A page that fails after the first one is left out and `stopped` says
    why; the budget running out or a cancel ends the whole read (`Scope.collect`)."""
    client = scope.client

    def get(index: int) -> Page:
        body = fetch(index)
        try:
            return read(body)
        except ValueError as exc:
            raise BadResponse(
                f"{client.label} sent a {what} page that could not be read ({exc}).", provider=client.provider
            ) from None

    listing = Listing()
    first = get(0)  # without the first page there is no list: its error is the read's
    _add(listing, first)
    wanted = max(1, min(max_pages, math.ceil(max(1, limit) / max(1, page_size))))
    pages = _pages_in(first, page_size)
    if pages is None:  # no totals: one page after another while they come back full
        return _sequential(scope, listing, first, get, page_size, wanted)
    to_read = list(range(1, min(pages, wanted)))
    if newest_last and pages > wanted:
        to_read = list(range(pages - wanted + 1, pages))
    listing.more = pages > len(to_read) + 1
    for result in scope.gather(partial(get, index) for index in to_read):
        if isinstance(result, ProviderError):
            listing.stopped = listing.stopped or client.reword(result)
            listing.more = True
        else:
            _add(listing, result)
    return listing


def _pages_in(first: Page, page_size: int) -> int | None:
    if first.total_pages is not None:
        return max(1, first.total_pages)
    if first.total_items is not None:
        return max(1, math.ceil(first.total_items / max(1, page_size)))
    return None


def _sequential(
    scope: Scope, listing: Listing, first: Page, get: Callable[[int], Page], size: int, wanted: int
) -> Listing:
    last = first
    for index in range(1, wanted):
        if len(last.entries) < size:
            return listing
        try:
            last = get(index)
        except ProviderError as err:
            if isinstance(err, Timeout) and scope.remaining() <= 0:
                raise  # without budget there is no lookup
            listing.stopped, listing.more = scope.client.reword(err), True
            return listing
        _add(listing, last)
    listing.more = len(last.entries) >= size
    return listing


def _add(listing: Listing, page: Page) -> None:
    listing.pages += 1
    for entry in page.entries:
        if isinstance(entry, dict):
            listing.items.append(entry)
        else:
            listing.unreadable += 1
