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

Failed pages. A page whose call fails after the call's own retries (``max_retries``: one
request) with an error that may pass (see :func:`retryable`: no answer, a timeout, 429, 502,
503, 504, a body cut short or garbled) is asked again, within the walk's budget
(:class:`WalkRetry`; default :data:`DEFAULT_WALK_RETRY`: each page up to 5 more times, 100 more
pages over the walk). When the walk gives up, or on any other error a page's call raises, the
error carries where the walk stopped as ``error.walk`` (a :class:`Resume`, or an
:class:`AsyncResume` from ``asyncio_iter``)::

    try:
        for task in op.sync_iter(cluster_id, client=client):
            handle(task)
    except errors.OcpError as error:
        walk = getattr(error, "walk", None)
        if walk is None:
            raise  # not a page's error: an argument, or a server that breaks the walk's rules
        for task in walk.resume():  # the rest of the walk, nothing yielded before
            handle(task)

``resume()`` requests the pages from the one that failed (``walk.next_page``), with the same
client and arguments (so the client must still be open), and skips the ids already yielded
(``walk.seen``); each call resumes from the same point. A resumed walk that fails carries its
own ``error.walk``.

Leaving a walk (``break``, ``close()``, an exception, Ctrl-C) requests no more pages and does
not wait for those in flight. ``sync_iter``'s pages in flight run on daemon threads, which the
interpreter does not join at exit, so that a process left by Ctrl-C or ``sys.exit`` ends at
once rather than when the slowest page answers (a ``ThreadPoolExecutor``'s threads are joined).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import random
import ssl
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import httpx

from . import _json
from ._validation import retries, seconds
from .errors import (
    OcpError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
    TransportError,
)

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import Future

# asyncio, contextvars, threading and concurrent.futures are imported where a walk needs them:
# every paginated operation's module imports this one, and asyncio alone costs
# ``import ocp_client`` about 15 ms.

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_WALK_RETRY",
    "MAX_PAGE_SIZE",
    "PAGE_THREAD_NAME",
    "AsyncResume",
    "Resume",
    "WalkRetry",
    "aiterate",
    "iterate",
    "page_bound",
    "retryable",
]

MAX_PAGE_SIZE = 2000
"""OCP serves at most 2000 items a page (larger sizes are clamped)."""

DEFAULT_CONCURRENCY = 4
"""Pages ``sync_iter``/``asyncio_iter`` request at once, once the page count is known."""

PAGE_THREAD_NAME = "ocp-client-pages"
"""The name (a prefix) of the threads that fetch ``sync_iter``'s pages ahead."""

logger = logging.getLogger("ocp_client.pagination")

Item = TypeVar("Item")
Item_co = TypeVar("Item_co", covariant=True)

# Statuses of a ServerError that a later attempt may not get: a proxy or OCP overloaded or
# restarting. A 500 is OCP's "unexpected error", as likely to come back as not.
_RETRY_STATUSES = frozenset({502, 503, 504})
# Causes of a TransportError that no later attempt can cure: the certificate, the URL, the
# redirects and what this client sends stay the same.
_PERMANENT_CAUSES: tuple[type[BaseException], ...] = (
    ssl.SSLCertVerificationError,
    httpx.UnsupportedProtocol,
    httpx.TooManyRedirects,
    httpx.LocalProtocolError,
    httpx.InvalidURL,
)
_CAUSE_DEPTH = 16  # how far down __cause__/__context__ a cause is looked for
_MAX_EXPONENT = 64  # 2.0 ** 64 seconds is beyond any cap


@dataclasses.dataclass(frozen=True)
class WalkRetry:
    """How a walk asks again for a page whose call failed, after the call's own retries.

    ``page_retries``: how many more times one page is asked after failing (5: up to 6 calls,
    each with its own ``max_retries``). ``max_retries``: pages asked again over the whole walk,
    whatever page (100). Before asking a page again for the ``n``-th time (from 0) the walk
    waits ``random(0, min(backoff_max, backoff_base * 2**n))`` seconds, or after a 429 the
    server's Retry-After / RateLimit-Reset, capped at ``backoff_max``. ``WalkRetry(0, 0)``: a
    page's error ends the walk at once.

    To change the default of every walk, assign :data:`DEFAULT_WALK_RETRY`.
    """

    page_retries: int = 5
    max_retries: int = 100
    backoff_base: float = 0.1
    backoff_max: float = 5.0

    def __post_init__(self) -> None:
        # The SDK's one rule for retries and seconds (RequestValidationError, a ValueError).
        for name in ("page_retries", "max_retries"):
            object.__setattr__(self, name, retries(f"WalkRetry.{name}", getattr(self, name)))
        for name in ("backoff_base", "backoff_max"):
            value = seconds(f"WalkRetry.{name}", getattr(self, name), zero=True)
            object.__setattr__(self, name, value)


DEFAULT_WALK_RETRY = WalkRetry()
"""The budget of every walk that is given none (see :class:`WalkRetry`)."""


def retryable(error: BaseException) -> bool:
    """Whether asking a page again may get it: no answer or a timeout (not a certificate, URL
    or redirect problem), 429, 502, 503, 504, or a body that is not JSON at all (cut
    short or garbled on the way: a body that is JSON but breaks the spec would break it again)."""
    if isinstance(error, TransportError):
        return not _caused_by(error, _PERMANENT_CAUSES)
    if isinstance(error, RateLimitError):
        return True
    if isinstance(error, ServerError):
        return error.status_code in _RETRY_STATUSES
    if isinstance(error, ResponseValidationError):
        return _not_json(error.response)
    return False


def _not_json(response: httpx.Response | None) -> bool:
    """Whether a body is no JSON at all. Its error alone cannot tell: a body cut short fails
    where the cut is (``data.contents[49].taskId: expected a JSON string``), as a value that
    breaks the spec does."""
    if response is None:
        return False
    try:
        _json.loads(response.content)
    except ValueError:
        return True
    except httpx.ResponseNotRead:
        return False
    return False


def _caused_by(error: BaseException, causes: tuple[type[BaseException], ...]) -> bool:
    current: BaseException | None = error
    for _ in range(_CAUSE_DEPTH):
        if current is None:
            return False
        if isinstance(current, causes):
            return True
        current = current.__cause__ or current.__context__
    return False


class _Budget:
    """The retries a walk has left; decides, after a page failed, whether to ask it again and
    after how long."""

    def __init__(self, policy: WalkRetry) -> None:
        self.policy = policy
        self.used = 0

    def wait(self, error: OcpError, number: int, failures: int) -> float | None:
        """Seconds to wait before asking page ``number`` again, None to give up; ``failures``:
        how often this page failed before this error."""
        policy = self.policy
        if not retryable(error):
            return None
        if failures >= policy.page_retries or self.used >= policy.max_retries:
            logger.debug(
                "page %d failed (%s): giving up, %d page retries used",
                number,
                type(error).__name__,
                self.used,
            )
            return None
        self.used += 1
        hinted = None
        if isinstance(error, RateLimitError):
            hinted = error.retry_after if error.retry_after is not None else error.reset
        if hinted is not None:
            wait = min(float(hinted), policy.backoff_max)
        else:
            cap = min(policy.backoff_max, policy.backoff_base * 2.0 ** min(failures, _MAX_EXPONENT))
            wait = random.uniform(0.0, cap)
        # The error's class only: messages may carry the URL, and its query values.
        logger.debug(
            "page %d failed (%s): asking again in %.3f s", number, type(error).__name__, wait
        )
        return wait


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
        self.yielded = 0

    def copy(self) -> _Walk[Item]:
        """This walk's state, apart: what a resumed walk starts from."""
        twin = copy.copy(self)
        twin.seen = set(self.seen)
        return twin

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
        self.yielded += len(fresh)
        return fresh


def _check_concurrency(concurrency: int) -> None:
    if type(concurrency) is not int or concurrency < 1:
        raise RequestValidationError(
            "concurrency", f"expected an int of at least 1, got {concurrency!r}"
        )


def _check_retry(retry: WalkRetry | None) -> WalkRetry:
    if retry is None:
        return DEFAULT_WALK_RETRY
    if not isinstance(retry, WalkRetry):
        raise RequestValidationError(
            "walk_retry", f"expected an ocp_client._pagination.WalkRetry, got {retry!r}"
        )
    return retry


@dataclasses.dataclass(frozen=True)
class _Options:
    size: int
    concurrency: int
    retry: WalkRetry


class _Resume(Generic[Item]):
    """Where a walk stopped: the page it was asking for and the ids it had yielded."""

    def __init__(
        self,
        fetch: Any,
        item_key: Callable[[Item], Hashable] | None,
        options: _Options,
        walk: _Walk[Item] | None,
        number: int,
    ) -> None:
        self._fetch = fetch
        self._item_key = item_key
        self._options = options
        self._walk = None if walk is None else walk.copy()
        self.next_page = number
        """The page the walk was asking for when it stopped: the first a resumed walk asks."""

    @property
    def seen(self) -> frozenset[Hashable]:
        """The ids the walk yielded (none when its items name no id: nothing is de-duplicated)."""
        return frozenset(()) if self._walk is None else frozenset(self._walk.seen)

    @property
    def yielded(self) -> int:
        """How many items the walk yielded before it stopped."""
        return 0 if self._walk is None else self._walk.yielded

    def _state(self) -> _Walk[Item] | None:
        return None if self._walk is None else self._walk.copy()  # each resume starts afresh

    def __repr__(self) -> str:
        return f"<{type(self).__name__} next_page={self.next_page} yielded={self.yielded}>"


class Resume(_Resume[Item]):
    """``error.walk`` of a page's error in ``sync_iter`` (see the module docstring)."""

    def resume(self) -> Iterator[Item]:
        """The rest of the walk: the items from :attr:`next_page` on, none yielded before;
        with the walk's client, arguments and concurrency, and a fresh retry budget."""
        return _iterate(self._fetch, self._item_key, self._options, self._state(), self.next_page)


class AsyncResume(_Resume[Item]):
    """``error.walk`` of a page's error in ``asyncio_iter`` (see the module docstring)."""

    def resume(self) -> AsyncGenerator[Item, None]:
        """As :meth:`Resume.resume`, asynchronously."""
        return _aiterate(self._fetch, self._item_key, self._options, self._state(), self.next_page)


def iterate(
    fetch: Callable[[int], PageResponse[Item]],
    item_key: Callable[[Item], Hashable] | None,
    *,
    size: int,
    concurrency: int = 1,
    retry: WalkRetry | None = None,
) -> Iterator[Item]:
    """Every item of every page, in order, each id once; ``fetch(n)`` answers page ``n``.

    With ``concurrency`` above 1, once the first page has told how many pages there are, up to
    ``concurrency`` pages are fetched at once by daemon threads (httpx clients may be shared
    between threads), so that waiting for the server overlaps with parsing and with the
    caller's own work; each page in a copy of the caller's ``contextvars`` context. Closing the
    iterator (``break`` out of a ``for`` loop over it, ``close()``, an exception) requests no
    more pages and does not wait for those in flight, whose answers are dropped. An iterator
    still referenced after a ``break`` is not closed: use ``contextlib.closing``.

    A page whose call fails is asked again within ``retry`` (default
    :data:`DEFAULT_WALK_RETRY`); the error that ends the walk carries ``error.walk``, a
    :class:`Resume` (see the module docstring).

    Raises:
        errors.RequestValidationError: ``concurrency`` is not an int of at least 1, or
            ``retry`` not a :class:`WalkRetry`, at the call (not at the first ``next()``),
            before any page is requested.
    """
    _check_concurrency(concurrency)
    options = _Options(size, concurrency, _check_retry(retry))
    return _iterate(fetch, item_key, options, None, 1)


def _ahead(fetch: Callable[[int], PageResponse[Item]], number: int) -> Future[PageResponse[Item]]:
    """Page ``number`` fetched by a daemon thread, in a copy of the caller's context (so that
    context variables, for tracing or structured logging, reach hooks and auth)."""
    import contextvars  # here, not at the top: see the imports
    import threading
    from concurrent.futures import Future

    future: Future[PageResponse[Item]] = Future()
    context = contextvars.copy_context()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return  # the walk ended before this thread started
        try:
            response = context.run(fetch, number)
        except BaseException as error:  # raised by the walk, in the caller's thread
            future.set_exception(error)
        else:
            future.set_result(response)

    # A daemon thread: the interpreter does not wait for it at exit (see the module docstring).
    threading.Thread(target=run, name=f"{PAGE_THREAD_NAME}-{number}", daemon=True).start()
    return future


def _iterate(
    fetch: Callable[[int], PageResponse[Item]],
    item_key: Callable[[Item], Hashable] | None,
    options: _Options,
    walk: _Walk[Item] | None,
    number: int,
) -> Iterator[Item]:
    budget = _Budget(options.retry)

    def page(number: int, failed: OcpError | None = None) -> PageResponse[Item]:
        """Page ``number``, asked again within the budget; ``failed``: its call's error."""
        failures = 0
        while True:  # bounded: each failure counts against the budget
            if failed is not None:
                wait = budget.wait(failed, number, failures)
                if wait is None:
                    failed.walk = Resume(fetch, item_key, options, walk, number)
                    raise failed
                time.sleep(wait)
                failures += 1
            try:
                return fetch(number)
            except OcpError as error:
                failed = error

    if walk is None:
        first = page(1)
        walk = _Walk(first, item_key, size=options.size, concurrent=options.concurrency > 1)
        fresh = walk.take(first, 1)
        if fresh is None:
            return
        yield from fresh
        number = 2
    if options.concurrency == 1:
        while number <= walk.last_page:
            fresh = walk.take(page(number), number)
            if fresh is None:
                return
            yield from fresh
            number += 1
        return
    pending: deque[tuple[int, Future[PageResponse[Item]]]] = deque()
    try:
        while pending or number <= walk.last_page:
            while len(pending) < options.concurrency and number <= walk.last_page:
                pending.append((number, _ahead(fetch, number)))
                number += 1
            taken, future = pending.popleft()
            try:
                response = future.result()
            except OcpError as error:
                response = page(taken, error)  # asked again in this thread, pages ahead wait
            if walk.cut_too_early(response):
                response = page(taken)
            fresh = walk.take(response, taken)
            if fresh is None:
                return
            yield from fresh
    finally:
        # However the walk ends (done, failed, left, interrupted), pages still in flight are
        # not waited for: they finish in the background and are dropped, so that an error or
        # a break reaches the caller at once rather than after the slowest page.
        for _, future in pending:
            future.cancel()


def aiterate(
    fetch: Callable[[int], Awaitable[PageResponse[Item]]],
    item_key: Callable[[Item], Hashable] | None,
    *,
    size: int,
    concurrency: int = DEFAULT_CONCURRENCY,
    retry: WalkRetry | None = None,
) -> AsyncGenerator[Item, None]:
    """As :func:`iterate`, with up to ``concurrency`` pages fetched at once as asyncio tasks;
    the error that ends the walk carries an :class:`AsyncResume` as ``error.walk``. Pages
    fetched ahead are cancelled when the generator is closed (``aclose()``,
    ``contextlib.aclosing``, or when it is garbage collected) or cancelled."""
    _check_concurrency(concurrency)
    options = _Options(size, concurrency, _check_retry(retry))
    return _aiterate(fetch, item_key, options, None, 1)


async def _aiterate(
    fetch: Callable[[int], Awaitable[PageResponse[Item]]],
    item_key: Callable[[Item], Hashable] | None,
    options: _Options,
    walk: _Walk[Item] | None,
    number: int,
) -> AsyncGenerator[Item, None]:
    import asyncio  # here, not at the top: see the imports

    budget = _Budget(options.retry)

    async def page(number: int, failed: OcpError | None = None) -> PageResponse[Item]:
        failures = 0
        while True:  # bounded: each failure counts against the budget
            if failed is not None:
                wait = budget.wait(failed, number, failures)
                if wait is None:
                    failed.walk = AsyncResume(fetch, item_key, options, walk, number)
                    raise failed
                await asyncio.sleep(wait)
                failures += 1
            try:
                return await fetch(number)
            except OcpError as error:
                failed = error

    if walk is None:
        first = await page(1)
        walk = _Walk(first, item_key, size=options.size, concurrent=options.concurrency > 1)
        fresh = walk.take(first, 1)
        if fresh is None:
            return
        for item in fresh:
            yield item
        number = 2
    pending: deque[tuple[int, asyncio.Task[PageResponse[Item]]]] = deque()
    try:
        while pending or number <= walk.last_page:
            while len(pending) < options.concurrency and number <= walk.last_page:
                pending.append((number, asyncio.ensure_future(fetch(number))))
                number += 1
            taken, task = pending.popleft()
            try:
                response = await task
            except OcpError as error:
                response = await page(taken, error)
            if walk.cut_too_early(response):
                response = await page(taken)
            fresh = walk.take(response, taken)
            if fresh is None:
                return
            for item in fresh:
                yield item
    finally:
        for _, task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*(task for _, task in pending), return_exceptions=True)
