"""Walking every page of an OCP listing: what ``sync_iter``/``asyncio_iter`` of each paginated
operation call.

Hand-written. Every operation whose answer is an OCP page (``data.contents`` + ``data.page``) has
two generated functions that pass a page fetcher and the item's id (named by the item schema's
``x-ocp-item-id``; None when it names none, and then nothing is de-duplicated) to
:func:`iterate` / :func:`aiterate`.

OCP pages are offsets into a list that changes while it is read (new backup tasks come first):

- a task created during the walk shifts the following tasks one place on, so the first task of
  the next page is one already seen. Each id is yielded once, however often it comes back
  (items that name no id are yielded as often as they come).
- a task created after its page was read is not seen: a walk is not a snapshot.
- a task deleted during the walk shifts tasks back: one may never appear on any page.
- pages requested together (``concurrency`` above 1) may be cut by the server in any order; a
  page cut before the page ahead of it would let a task created in between slip past both, so
  such a page is requested again (see ``_Walk.cut_too_early``).

The walk follows the newest ``totalPages``, so pages added by inserts are read, but never more
than :func:`page_bound` pages, so a server that keeps announcing more pages cannot loop it
forever; reaching that bound while pages are still announced is a ResponseValidationError, not
a silently shortened list.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from .errors import RequestValidationError, ResponseValidationError

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import Future

# asyncio, contextvars and concurrent.futures are imported where a walk needs them: every
# paginated operation's module imports this one, and asyncio alone costs ``import ocp_client``
# about 15 ms.

__all__ = ["DEFAULT_CONCURRENCY", "MAX_PAGE_SIZE", "aiterate", "iterate", "page_bound"]

MAX_PAGE_SIZE = 2000
"""OCP serves at most 2000 items a page (larger sizes are clamped)."""

DEFAULT_CONCURRENCY = 4
"""Pages ``sync_iter``/``asyncio_iter`` request at once, once the page count is known."""

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


class PageResponse(Protocol[Item_co]):
    """The shape of a page (``ocp_client.Page``): its items and its page information."""

    @property
    def contents(self) -> Sequence[Item_co]: ...
    @property
    def page(self) -> _PageInfo: ...


def page_bound(first: _PageInfo, requested_size: int) -> int:
    """The most pages a walk may request: what the first answer announces, plus as many again for
    tasks created during the walk. The page size is the smaller of the requested and the reported
    one (a server may report its maximum, as the reference sample does), and the announcement the
    smaller of totalPages and what totalElements needs, so an inconsistent first answer cannot
    raise the bound beyond reason."""
    size = min(requested_size, first.size) if first.size > 0 else requested_size
    pages_needed = -(-first.total_elements // max(size, 1))  # ceiling, in integers: exact
    announced = min(first.total_pages, pages_needed)
    return 2 * max(announced, 1) + 1


def _check_bound(response: PageResponse[Any], number: int, bound: int) -> None:
    """A walk that reached its bound while the server still announces more pages would lose
    items silently: say so instead."""
    if number >= bound and response.page.total_pages > bound:
        raise ResponseValidationError(
            "data.page.totalPages",
            f"at most {bound} pages (twice the pages the first answer announced, plus one)",
            response.page.total_pages,
        )


def _check_page(response: PageResponse[Any], number: int) -> None:
    if response.page.number != number:
        raise ResponseValidationError(
            "data.page.number",
            f"{number}, the page requested",
            response.page.number,
        )


class _Walk(Generic[Item]):
    """What :func:`iterate` and :func:`aiterate` know during a walk: the ids seen, the page bound,
    the last page to request, and the ``totalElements`` of the last page taken."""

    def __init__(
        self,
        first: PageResponse[Item],
        item_key: Callable[[Item], Hashable] | None,
        *,
        size: int,
        concurrent: bool,
    ) -> None:
        _check_page(first, 1)
        self.item_key = item_key
        self.concurrent = concurrent
        self.seen: set[Hashable] = set()
        self.bound = page_bound(first.page, size)
        self.last_page = min(first.page.total_pages, self.bound)
        self.total_elements = first.page.total_elements

    def cut_too_early(self, response: PageResponse[Item]) -> bool:
        """Whether a page requested ahead must be requested again.

        Pages in flight together may reach the server in any order. If page n+1 was cut before
        page n and a task was created in between, the tasks pushed from the end of page n to the
        start of page n+1 are on neither. New tasks only raise ``totalElements``, so a page
        reporting fewer elements than the page before it was cut earlier: asked again now, after
        the page before it, it is cut later. Once is enough; fewer elements then means tasks
        were deleted, which no walk can see (see the module docstring)."""
        return self.concurrent and response.page.total_elements < self.total_elements

    def take(self, response: PageResponse[Item], number: int) -> list[Item] | None:
        """The items of page ``number`` not seen before, or None when the page is empty (the
        walk is over)."""
        _check_page(response, number)
        page = response.page
        if not response.contents:
            return None
        key = self.item_key
        if key is None:
            fresh = list(response.contents)  # no id to tell an item seen before
        else:
            fresh = []
            for item in response.contents:
                item_id = key(item)
                if item_id not in self.seen:
                    self.seen.add(item_id)
                    fresh.append(item)
        _check_bound(response, number, self.bound)
        self.last_page = min(page.total_pages, self.bound)
        self.total_elements = page.total_elements
        return fresh


def _check_concurrency(concurrency: int) -> None:
    if type(concurrency) is not int or concurrency < 1:
        raise RequestValidationError(
            "concurrency", f"expected an int of at least 1, got {concurrency!r}"
        )


def iterate(
    fetch: Callable[[int], PageResponse[Item]],
    item_key: Callable[[Item], Hashable] | None,
    *,
    size: int,
    concurrency: int = 1,
) -> Iterator[Item]:
    """Every item of every page, in order, each id once; ``fetch(n)`` answers page ``n``.

    With ``concurrency`` above 1, once the first page has told how many pages there are, up to
    ``concurrency`` pages are fetched at once by worker threads (httpx clients may be shared
    between threads), so that waiting for the server overlaps with parsing and with the
    caller's own work; each page in a copy of the caller's ``contextvars`` context. Closing the
    iterator (``break`` out of a ``for`` loop over it, ``close()``, an exception) requests no
    more pages and does not wait for those in flight, whose answers are dropped. An iterator
    still referenced after a ``break`` is not closed: use ``contextlib.closing``.

    Raises:
        errors.RequestValidationError: ``concurrency`` is not an int of at least 1, at the call
            (not at the first ``next()``), before any page is requested.
    """
    _check_concurrency(concurrency)
    return _iterate(fetch, item_key, size=size, concurrency=concurrency)


def _iterate(
    fetch: Callable[[int], PageResponse[Item]],
    item_key: Callable[[Item], Hashable] | None,
    *,
    size: int,
    concurrency: int,
) -> Iterator[Item]:
    first = fetch(1)
    walk = _Walk(first, item_key, size=size, concurrent=concurrency > 1)
    fresh = walk.take(first, 1)
    if fresh is None:
        return
    yield from fresh
    if concurrency == 1:
        number = 1
        while number < walk.last_page:
            number += 1
            fresh = walk.take(fetch(number), number)
            if fresh is None:
                return
            yield from fresh
        return
    import contextvars  # here, not at the top: see the imports
    from concurrent.futures import ThreadPoolExecutor

    next_page = 2
    pending: deque[tuple[int, Future[PageResponse[Item]]]] = deque()
    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="ocp-client-pages")
    try:
        while pending or next_page <= walk.last_page:
            while len(pending) < concurrency and next_page <= walk.last_page:
                # In a copy of the caller's context, so that context variables (tracing,
                # structured logging) reach hooks and auth on every page.
                request = contextvars.copy_context().run
                pending.append((next_page, pool.submit(request, fetch, next_page)))
                next_page += 1
            number, future = pending.popleft()
            response = future.result()
            if walk.cut_too_early(response):
                response = fetch(number)
            fresh = walk.take(response, number)
            if fresh is None:
                return
            yield from fresh
    finally:
        # However the walk ends (done, failed, left, interrupted), pages still in flight are
        # not waited for: they finish in the background and are dropped, so that an error or
        # a break reaches the caller at once rather than after the slowest page.
        pool.shutdown(wait=False, cancel_futures=True)


def aiterate(
    fetch: Callable[[int], Awaitable[PageResponse[Item]]],
    item_key: Callable[[Item], Hashable] | None,
    *,
    size: int,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> AsyncGenerator[Item, None]:
    """As :func:`iterate`, with up to ``concurrency`` pages fetched at once as asyncio tasks.
    Pages fetched ahead are cancelled when the generator is closed (``aclose()``,
    ``contextlib.aclosing``, or when it is garbage collected) or cancelled."""
    _check_concurrency(concurrency)
    return _aiterate(fetch, item_key, size=size, concurrency=concurrency)


async def _aiterate(
    fetch: Callable[[int], Awaitable[PageResponse[Item]]],
    item_key: Callable[[Item], Hashable] | None,
    *,
    size: int,
    concurrency: int,
) -> AsyncGenerator[Item, None]:
    import asyncio  # here, not at the top: see the imports

    first = await fetch(1)
    walk = _Walk(first, item_key, size=size, concurrent=concurrency > 1)
    fresh = walk.take(first, 1)
    if fresh is None:
        return
    for item in fresh:
        yield item
    next_page = 2
    pending: deque[tuple[int, asyncio.Task[PageResponse[Item]]]] = deque()
    try:
        while pending or next_page <= walk.last_page:
            while len(pending) < concurrency and next_page <= walk.last_page:
                pending.append((next_page, asyncio.ensure_future(fetch(next_page))))
                next_page += 1
            number, task = pending.popleft()
            response = await task
            if walk.cut_too_early(response):
                response = await fetch(number)
            fresh = walk.take(response, number)
            if fresh is None:
                return
            for item in fresh:
                yield item
    finally:
        for _, task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*(task for _, task in pending), return_exceptions=True)
