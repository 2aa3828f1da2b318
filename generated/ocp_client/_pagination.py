"""Walking every page of an OCP listing: what ``sync_iter``/``asyncio_iter`` of each paginated
operation call.

Hand-written (tools/codegen/runtime/_pagination.py). The endpoint template generates, for every
operation whose success body is an OCP page (``data.contents`` + ``data.page``), two functions
that pass a page fetcher and the item's id (named by the page schema's ``x-ocp-page-item-id``) to
:func:`iterate` / :func:`aiterate`.

OCP pages are offsets into a list that changes while it is read (new backup tasks come first):

- a task created during the walk shifts the following tasks one place on, so the first task of
  the next page is one already seen. Each id is yielded once, however often it comes back.
- a task created after its page was read is not seen: a walk is not a snapshot.
- a task deleted during the walk shifts tasks back: one may never appear on any page.

The walk follows the newest ``totalPages``, so pages added by inserts are read, but never more
than :func:`page_bound` pages, so a server that keeps announcing more pages cannot loop it
forever; reaching that bound while pages are still announced is a ResponseValidationError, not
a silently shortened list.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from .errors import ResponseValidationError

__all__ = ["DEFAULT_CONCURRENCY", "MAX_PAGE_SIZE", "aiterate", "iterate", "page_bound"]

MAX_PAGE_SIZE = 2000
"""OCP serves at most 2000 items a page (larger sizes are clamped)."""

DEFAULT_CONCURRENCY = 4
"""Pages ``asyncio_iter`` requests at once, once the page count is known."""

Item = TypeVar("Item")
Item_co = TypeVar("Item_co", covariant=True)


class _PageInfo(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def total_elements(self) -> int: ...
    @property
    def total_pages(self) -> int: ...


class _PageData(Protocol[Item_co]):
    @property
    def contents(self) -> Sequence[Item_co]: ...
    @property
    def page(self) -> _PageInfo: ...


class PageResponse(Protocol[Item_co]):
    """The shape of a paginated OCP response model, as the generated models have it."""

    @property
    def data(self) -> _PageData[Item_co]: ...


def page_bound(first: _PageInfo, requested_size: int) -> int:
    """The most pages a walk may request: what the first answer announces, plus as many again for
    tasks created during the walk. The page size is the smaller of the requested and the reported
    one (a server may report its maximum, as the reference sample does), and the announcement the
    smaller of totalPages and what totalElements needs, so an inconsistent first answer cannot
    raise the bound beyond reason."""
    size = min(requested_size, first.size) if first.size > 0 else requested_size
    announced = min(first.total_pages, math.ceil(first.total_elements / max(size, 1)))
    return 2 * max(announced, 1) + 1


def _check_bound(response: PageResponse[Any], number: int, bound: int) -> None:
    """A walk that reached its bound while the server still announces more pages would lose
    items silently: say so instead."""
    if number >= bound and response.data.page.total_pages > bound:
        raise ResponseValidationError(
            "data.page.totalPages",
            f"at most {bound} pages (twice the pages the first answer announced, plus one)",
            response.data.page.total_pages,
        )


def _check_page(response: PageResponse[Any], number: int) -> None:
    if response.data.page.number != number:
        raise ResponseValidationError(
            "data.page.number",
            f"{number}, the page requested",
            response.data.page.number,
        )


def _new_items(
    contents: Sequence[Item], item_key: Callable[[Item], Hashable], seen: set[Hashable]
) -> list[Item]:
    fresh = []
    for item in contents:
        key = item_key(item)
        if key not in seen:
            seen.add(key)
            fresh.append(item)
    return fresh


def iterate(
    fetch: Callable[[int], PageResponse[Item]],
    item_key: Callable[[Item], Hashable],
    *,
    size: int,
) -> Iterator[Item]:
    """Every item of every page, in order, each id once; ``fetch(n)`` answers page ``n``."""
    seen: set[Hashable] = set()
    first = fetch(1)
    _check_page(first, 1)
    yield from _new_items(first.data.contents, item_key, seen)
    bound = page_bound(first.data.page, size)
    last_page = min(first.data.page.total_pages, bound)
    number = 1
    while number < last_page:
        number += 1
        response = fetch(number)
        _check_page(response, number)
        if not response.data.contents:
            return
        yield from _new_items(response.data.contents, item_key, seen)
        _check_bound(response, number, bound)
        last_page = min(response.data.page.total_pages, bound)


async def aiterate(
    fetch: Callable[[int], Awaitable[PageResponse[Item]]],
    item_key: Callable[[Item], Hashable],
    *,
    size: int,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> AsyncGenerator[Item, None]:
    """As :func:`iterate`, fetching up to ``concurrency`` pages at once once the first page has
    told how many there are; items still come in page order. Pages fetched ahead are cancelled
    when the generator is closed (``aclose()``, ``contextlib.aclosing``, or when it is garbage
    collected) or cancelled."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, not {concurrency!r}")
    seen: set[Hashable] = set()
    first = await fetch(1)
    _check_page(first, 1)
    for item in _new_items(first.data.contents, item_key, seen):
        yield item
    bound = page_bound(first.data.page, size)
    last_page = min(first.data.page.total_pages, bound)
    next_page = 2
    pending: deque[tuple[int, asyncio.Task[PageResponse[Item]]]] = deque()
    try:
        while pending or next_page <= last_page:
            while len(pending) < concurrency and next_page <= last_page:
                pending.append((next_page, asyncio.ensure_future(fetch(next_page))))
                next_page += 1
            number, task = pending.popleft()
            response = await task
            _check_page(response, number)
            if not response.data.contents:
                return
            for item in _new_items(response.data.contents, item_key, seen):
                yield item
            _check_bound(response, number, bound)
            last_page = min(response.data.page.total_pages, bound)
    finally:
        for _, task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*(task for _, task in pending), return_exceptions=True)
