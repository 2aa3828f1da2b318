"""Retries and a deadline for each request, as an httpx transport that wraps another.

Hand-written.

A transport is the layer where a retry belongs: it sees every attempt (after auth has signed the
request, before the endpoint layer parses anything), it works the same for ``httpx.Client`` and
``httpx.AsyncClient``, and it keeps the endpoint functions free of loops. Each attempt reads the
whole response body before it counts as an answer, so that a body cut short is a failed attempt
like any other (the response returned holds the body in memory: ``stream=True`` gains nothing).

What is retried depends on whether the server may have acted on the request:

- a request that provably never reached the server (``ConnectError``, ``ConnectTimeout``,
  ``PoolTimeout``), whatever its method: nothing was sent;
- an idempotent request, besides: ``ReadTimeout``, ``WriteTimeout``, a reset connection
  (``ReadError``, ``WriteError``), a connection closed before a response or in the middle of its
  body (``RemoteProtocolError`` "Server disconnected" / "peer closed connection"), and responses
  whose status is in ``RetryPolicy.retry_statuses`` (408, 429, 502, 503, 504);
- never a TLS failure (a certificate that does not verify will not verify on the next attempt),
  nor a malformed response, nor a request whose body cannot be sent again (an iterator).

A request is idempotent when sending it twice means the same as sending it once. Each operation
says whether its requests are (the spec's safe methods, and operations marked
``x-ocp-idempotent``) with the request extension :data:`IDEMPOTENT_EXTENSION`; a request without
it (sent on the client's httpx client directly) is idempotent when its method is in
``RetryPolicy.retry_methods`` (GET, HEAD, OPTIONS).

Waits use exponential backoff with full jitter, so that clients that failed together do not come
back together; on 429 and 503 the server's own ``Retry-After`` or ``RateLimit-Reset`` replaces
the jittered wait.

The request extension :data:`DEADLINE_EXTENSION` bounds the whole request in seconds: every
attempt, every wait and every body. Each socket operation's timeout is cut to the time left (so a
server trickling a byte at a time cannot hold the request past it), no wait that would pass it is
started, and when it passes :class:`DeadlineExceeded` (an ``httpx.TimeoutException``) is raised.

When every attempt fails, the last response is returned, or the last httpx exception propagates
unchanged: the transport stays a plain httpx transport, and the endpoint layer maps exceptions to
``ocp_client.errors.TransportError`` as it does without retries.

A single call can change the policy with the request extension :data:`RETRY_EXTENSION`::

    client.get(url, extensions={RETRY_EXTENSION: 0})  # no retries for this call
    client.get(url, extensions={RETRY_EXTENSION: RetryPolicy(max_retries=5)})
    client.get(url, extensions={DEADLINE_EXTENSION: 20.0})  # 20 s for everything
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime
import email.utils
import logging
import random as _random
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from collections.abc import Set as AbstractSet
from types import TracebackType
from typing import Self, TypeVar

import httpx

from . import _validation

__all__ = [
    "DEADLINE_EXTENSION",
    "IDEMPOTENT_EXTENSION",
    "RETRY_EXTENSION",
    "AsyncRetryTransport",
    "DeadlineExceeded",
    "RetryPolicy",
    "RetryTransport",
    "UnusableRedirect",
    "retrying",
]

RETRY_EXTENSION = "ocp_retry"
"""The ``request.extensions`` key of a per-request policy: a :class:`RetryPolicy`, or an ``int``
that replaces only ``max_retries`` of the transport's policy (``0`` turns retries off)."""

IDEMPOTENT_EXTENSION = "ocp_idempotent"
"""The ``request.extensions`` key of whether sending a request twice means the same as sending it
once: True lets a request of any method be retried (a POST the spec marks idempotent), False
none; without it, the policy's ``retry_methods`` decide."""

DEADLINE_EXTENSION = "ocp_deadline"
"""The ``request.extensions`` key of the seconds (above 0) the whole request may take: every
attempt, wait and body; without it, only each socket operation's own timeout bounds it."""

logger = logging.getLogger("ocp_client.retry")

# How errors name the extensions, as the argument that is wrong.
_RETRY_ARGUMENT = f"request.extensions[{RETRY_EXTENSION!r}]"
_DEADLINE_ARGUMENT = f"request.extensions[{DEADLINE_EXTENSION!r}]"


class DeadlineExceeded(httpx.TimeoutException):
    """The request's :data:`DEADLINE_EXTENSION` passed before an answer was read whole."""


class UnusableRedirect(httpx.UnsupportedProtocol):
    """A 3xx whose ``Location`` is not a URL httpx can read (``mailto:``, ``javascript:``,
    ``data:``, a malformed IDNA host such as ``http://xn--/``). httpx builds the redirect request
    even when it does not follow redirects, and would raise ``InvalidURL`` or ``idna``'s errors,
    which are no ``httpx.TransportError``."""


ClientT = TypeVar("ClientT", httpx.Client, httpx.AsyncClient)

# Statuses whose Retry-After / RateLimit-Reset headers say when to come back (RFC 9110 §10.2.3,
# OCP's rate limiter).
_HINTED_STATUSES = frozenset({429, 503})
# Methods that RFC 9110 §9.2.2 does not make idempotent: repeating them may repeat their effect.
_NON_IDEMPOTENT_METHODS = frozenset({"POST", "PATCH", "CONNECT"})
# httpcore's message when the connection closed before any byte of a response arrived (HTTP/1.1:
# "Server disconnected without sending a response."; HTTP/2: "Server disconnected"). Any other
# RemoteProtocolError means a malformed response was received, so the server did act on the
# request and answered badly: a retry would not help. Should httpcore reword it, such errors are
# simply no longer retried, which is the safe side.
_NOTHING_RECEIVED = "Server disconnected"
# The cut-off peers closing early: "peer closed connection without sending complete message body:
# received 10 bytes, expected 100" (or "incomplete chunked read"). The request was read, but an
# idempotent one may be sent again.
_CUT_SHORT = "peer closed connection"
# TLS failures that a new attempt would meet again (unlike an EOF during the handshake).
_TRANSIENT_TLS = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)
# Causes followed from an httpx exception to the ssl error under it (httpx -> httpcore -> ssl).
_MAX_CAUSES = 8
# The monotonic time a sync request must end by, for the network streams of its thread.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "ocp_client_deadline", default=None
)
_DELTA_SECONDS = re.compile(r"\d+(\.\d+)?")
# 2.0 ** 64 seconds is beyond any cap; a larger exponent would overflow float arithmetic.
_MAX_EXPONENT = 64


async def _async_sleep(seconds: float) -> None:
    """``asyncio.sleep``, imported on first use: ``import ocp_client`` does not import asyncio
    (about 15 ms), which only async callers need."""
    import asyncio

    await asyncio.sleep(seconds)


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    ``max_retries`` counts retries, not attempts: 2 means at most 3 attempts. Before retry ``n``
    (from 0) the wait is ``random(0, min(backoff_max, backoff_base * 2**n))`` (full jitter), or on
    429 and 503 the server's Retry-After / RateLimit-Reset capped at ``backoff_max``. Retrying
    stops early when the sum of the waits would exceed ``max_total_wait``.

    ``sleep``, ``async_sleep`` and ``random`` (called as ``random(low, high)``) are injectable so
    that tests can use a fake clock and fixed jitter. ``retry_statuses`` and ``retry_methods``
    accept any set and are stored as frozensets (methods upper-cased), so a policy is hashable.
    """

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_total_wait: float = 30.0
    retry_statuses: AbstractSet[int] = frozenset({408, 429, 502, 503, 504})
    retry_methods: AbstractSet[str] = frozenset({"GET", "HEAD", "OPTIONS"})
    sleep: Callable[[float], None] = dataclasses.field(default=time.sleep, repr=False)
    async_sleep: Callable[[float], Awaitable[None]] = dataclasses.field(
        default=_async_sleep, repr=False
    )
    random: Callable[[float, float], float] = dataclasses.field(default=_random.uniform, repr=False)

    def __post_init__(self) -> None:
        """Fail at construction, naming the argument, rather than on the first failed request
        (``errors.RequestValidationError`` for the retries and the seconds: 0 s is allowed, a
        retry without a wait)."""
        retries = _validation.retries("RetryPolicy.max_retries", self.max_retries)
        object.__setattr__(self, "max_retries", retries)
        for name in ("backoff_base", "backoff_max", "max_total_wait"):
            value = _validation.seconds(f"RetryPolicy.{name}", getattr(self, name), zero=True)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "retry_statuses", _statuses(self.retry_statuses))
        object.__setattr__(self, "retry_methods", _methods(self.retry_methods))
        for name in ("sleep", "async_sleep", "random"):
            if not callable(getattr(self, name)):
                raise TypeError(f"RetryPolicy.{name} must be callable")


def _statuses(value: Iterable[int]) -> frozenset[int]:
    if isinstance(value, int | str | bytes):
        raise TypeError(f"RetryPolicy.retry_statuses must be a set of ints, got {value!r}")
    statuses = frozenset(value)
    for status in statuses:
        if isinstance(status, bool) or not isinstance(status, int):
            raise TypeError(f"RetryPolicy.retry_statuses holds a non-int: {status!r}")
        if not 400 <= status <= 599:
            raise ValueError(f"RetryPolicy.retry_statuses: {status} is not an error status")
    return statuses


def _methods(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str | bytes):
        raise TypeError(f"RetryPolicy.retry_methods must be a set of method names, got {value!r}")
    methods = set()
    for method in value:
        if not isinstance(method, str):
            raise TypeError(f"RetryPolicy.retry_methods holds a non-str: {method!r}")
        methods.add(method.upper())
    unsafe = sorted(methods & _NON_IDEMPOTENT_METHODS)
    if unsafe:
        raise ValueError(f"RetryPolicy.retry_methods: {', '.join(unsafe)} is not idempotent")
    return frozenset(methods)


def _delta_seconds(value: str) -> float | None:
    value = value.strip()
    return float(value) if _DELTA_SECONDS.fullmatch(value) else None


def _http_date(value: str) -> datetime.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # Overflow: a year of 12 digits
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=datetime.UTC)


def _hinted_wait(response: httpx.Response) -> float | None:
    """Seconds the server asks us to wait, or None if it does not say (or says it unreadably).

    Retry-After wins over RateLimit-Reset, as the IETF RateLimit-headers draft says. A
    Retry-After date is measured from the response's own Date header when there is one, so that
    a skew between the server's clock and ours does not matter.
    """
    retry_after = response.headers.get("Retry-After")
    if retry_after is not None:
        seconds = _delta_seconds(retry_after)
        if seconds is not None:
            return seconds
        when = _http_date(retry_after)
        if when is not None:
            now = _http_date(response.headers.get("Date", "")) or datetime.datetime.now(
                datetime.UTC
            )
            return max(0.0, (when - now).total_seconds())
    reset = response.headers.get("RateLimit-Reset")
    return None if reset is None else _delta_seconds(reset)


def _tls_refused(exc: BaseException) -> bool:
    """Whether ``exc`` comes from a TLS failure that another attempt would meet again: a
    certificate that does not verify, a protocol the server does not speak."""
    cause: BaseException | None = exc
    for _ in range(_MAX_CAUSES):  # bounded: a cause chain could be a cycle
        if cause is None:
            return False
        if isinstance(cause, ssl.SSLError) and not isinstance(cause, _TRANSIENT_TLS):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _never_sent(exc: httpx.TransportError) -> bool:
    """Whether the request provably never reached the server: no connection was made."""
    connect = httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
    return isinstance(exc, connect) and not _tls_refused(exc)


def _retryable_error(exc: httpx.TransportError, idempotent: bool) -> bool:
    if _never_sent(exc):
        return True
    if not idempotent or _tls_refused(exc):
        return False
    lost = httpx.ReadTimeout | httpx.WriteTimeout | httpx.ReadError | httpx.WriteError
    if isinstance(exc, lost):
        return True
    # Any other RemoteProtocolError means a malformed response was received: the server did
    # act on the request and answered badly, and a retry would not help.
    return isinstance(exc, httpx.RemoteProtocolError) and str(exc).startswith(
        (_NOTHING_RECEIVED, _CUT_SHORT)
    )


def _policy_for(request: httpx.Request, default: RetryPolicy) -> RetryPolicy:
    override = request.extensions.get(RETRY_EXTENSION)
    if override is None:
        return default
    if isinstance(override, RetryPolicy):
        return override
    retries = _validation.retries(_RETRY_ARGUMENT, override, also="a RetryPolicy")
    return dataclasses.replace(default, max_retries=retries)


def _idempotent(request: httpx.Request, policy: RetryPolicy) -> bool:
    said = request.extensions.get(IDEMPOTENT_EXTENSION)
    if said is None:
        return request.method in policy.retry_methods
    if not isinstance(said, bool):
        raise TypeError(
            f"request.extensions[{IDEMPOTENT_EXTENSION!r}] must be a bool, got {said!r}"
        )
    return said


def _replayable(request: httpx.Request) -> bool:
    """Whether the body can be sent again: an iterator body is gone after the first attempt."""
    return isinstance(request.stream, httpx.ByteStream)


class _Clock:
    """The deadline of one request (``DEADLINE_EXTENSION``), started when the transport first
    sees it; without one, nothing is bounded here."""

    def __init__(self, request: httpx.Request) -> None:
        given = request.extensions.get(DEADLINE_EXTENSION)
        seconds = None if given is None else _validation.seconds(_DEADLINE_ARGUMENT, given)
        self.request = request
        self.seconds: float | None = seconds
        self.at = None if seconds is None else time.monotonic() + seconds
        # The request's own timeouts, before each attempt cuts them to the time left.
        self._timeouts: dict[str, float | None] = dict(request.extensions.get("timeout") or {})

    def remaining(self) -> float | None:
        return None if self.at is None else self.at - time.monotonic()

    def passed(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def exceeded(self) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"the deadline of {self.seconds:g} s for the whole request passed",
            request=self.request,
        )

    def start_attempt(self) -> None:
        """Cut each of the request's timeouts (connect, read, write, pool) to the time left."""
        left = self.remaining()
        if left is None:
            return
        if left <= 0:
            raise self.exceeded()
        cut: dict[str, float] = {}
        for name in ("connect", "read", "write", "pool"):
            own = self._timeouts.get(name)
            cut[name] = left if own is None else min(own, left)
        self.request.extensions["timeout"] = cut


class _Attempts:
    """The retry budget of one request: decides, after each failed attempt, whether to retry and
    after how long, and logs it. Every decision counts an attempt, which bounds the loops."""

    def __init__(self, policy: RetryPolicy, request: httpx.Request, clock: _Clock) -> None:
        self.policy = policy
        self.request = request
        self.clock = clock
        self.idempotent = _idempotent(request, policy)
        self.replayable = _replayable(request)
        self.failed = 0
        self.waited = 0.0

    def after_response(self, response: httpx.Response) -> float | None:
        status = response.status_code
        if status not in self.policy.retry_statuses or not self.idempotent:
            return None
        hinted = _hinted_wait(response) if status in _HINTED_STATUSES else None
        return self._next(f"HTTP {status}", hinted)

    def after_error(self, exc: httpx.TransportError) -> float | None:
        if not _retryable_error(exc, self.idempotent):
            return None
        return self._next(type(exc).__name__, None)

    def _next(self, reason: str, hinted: float | None) -> float | None:
        policy = self.policy
        retry = self.failed
        self.failed += 1
        if not self.replayable:
            self._log("giving up, the body cannot be sent again", reason)
            return None
        if retry >= policy.max_retries:
            self._log("giving up, no retries left", reason)
            return None
        if hinted is not None:
            wait = min(hinted, policy.backoff_max)
        else:
            cap = min(policy.backoff_max, policy.backoff_base * 2.0 ** min(retry, _MAX_EXPONENT))
            wait = min(max(policy.random(0.0, cap), 0.0), cap)
        if self.waited + wait > policy.max_total_wait:
            self._log(f"giving up, a wait of {wait:.3f} s would exceed max_total_wait", reason)
            return None
        left = self.clock.remaining()
        if left is not None and wait >= left:
            self._log(f"giving up, a wait of {wait:.3f} s would pass the deadline", reason)
            return None
        self.waited += wait
        self._log(f"retrying in {wait:.3f} s", reason)
        return wait

    def _log(self, outcome: str, reason: str) -> None:
        # The path only: query values and headers may carry credentials.
        logger.debug(
            "%s %s: attempt %d of %d failed (%s); %s",
            self.request.method,
            self.request.url.path,
            self.failed,
            self.policy.max_retries + 1,
            reason,
            outcome,
        )


def _check_location(response: httpx.Response, request: httpx.Request) -> None:
    """Raise :class:`UnusableRedirect` for a 3xx whose Location httpx could not read."""
    location = response.headers.get("Location")
    if location is None or not 300 <= response.status_code < 400:
        return
    try:  # as httpx.Client._redirect_url reads it (httpx 0.28)
        url = httpx.URL(location)
        if url.scheme and not url.host:  # reading .host decodes IDNA, which may fail
            url = url.copy_with(host=request.url.host)
        if url.is_relative_url:
            url = request.url.join(url)
    except (httpx.InvalidURL, UnicodeError):  # idna's errors are UnicodeErrors
        url = None
    if url is None or url.scheme not in ("http", "https"):
        raise UnusableRedirect(
            f"HTTP {response.status_code} redirects to a Location that is not an http(s) URL: "
            f"{location[:80]!r}",
            request=request,
        )


def _answer(response: httpx.Response, body: bytes) -> httpx.Response:
    """A response holding ``body`` in memory, for httpx to decode as it would the stream."""
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx.ByteStream(body),
        extensions=response.extensions,
    )


def _read(response: httpx.Response, clock: _Clock) -> httpx.Response:
    """The whole body, read inside the attempt (a cut or reset body is a failed attempt)."""
    chunks: list[bytes] = []
    try:
        for chunk in response.iter_raw():
            chunks.append(chunk)
            if clock.passed():  # for streams that do not cut their timeouts themselves
                raise clock.exceeded()
    finally:
        response.close()
    _check_location(response, clock.request)
    return _answer(response, b"".join(chunks))


async def _aread(response: httpx.Response, clock: _Clock) -> httpx.Response:
    """:func:`_read` for async responses (the deadline cancels the read itself)."""
    chunks: list[bytes] = []
    try:
        async for chunk in response.aiter_raw():
            chunks.append(chunk)
    finally:
        await response.aclose()
    _check_location(response, clock.request)
    return _answer(response, b"".join(chunks))


def _within(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to the time left before the current request's deadline, if it has one;
    ``error`` (an httpcore timeout) when none is left."""
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class RetryTransport(httpx.BaseTransport):
    """An ``httpx.BaseTransport`` that retries through ``transport`` (default
    ``httpx.HTTPTransport()``) under ``policy`` (default ``RetryPolicy()``), and ends a request
    by its deadline (:data:`DEADLINE_EXTENSION`)."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._transport = transport if transport is not None else httpx.HTTPTransport()
        self._policy = policy if policy is not None else RetryPolicy()
        from ._sockets import bound_sockets

        bound_sockets(self._transport)

    @property
    def policy(self) -> RetryPolicy:
        return self._policy

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        clock = _Clock(request)
        attempts = _Attempts(_policy_for(request, self._policy), request, clock)
        token = _DEADLINE.set(clock.at)
        try:
            while True:  # bounded: each pass counts an attempt in `attempts`
                clock.start_attempt()
                try:
                    response = _read(self._transport.handle_request(request), clock)
                except DeadlineExceeded:
                    raise
                except httpx.TransportError as exc:
                    if clock.passed():
                        raise clock.exceeded() from exc
                    wait = attempts.after_error(exc)
                    if wait is None:
                        raise
                else:
                    wait = attempts.after_response(response)
                    if wait is None:
                        return response
                attempts.policy.sleep(wait)
        finally:
            _DEADLINE.reset(token)

    def __enter__(self) -> Self:
        self._transport.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self._transport.__exit__(exc_type, exc_value, traceback)

    def close(self) -> None:
        self._transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """:class:`RetryTransport` for ``httpx.AsyncClient``: wraps ``transport`` (default
    ``httpx.AsyncHTTPTransport()``), waits with ``policy.async_sleep``, and cancels what runs
    when the deadline passes."""

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._transport = transport if transport is not None else httpx.AsyncHTTPTransport()
        self._policy = policy if policy is not None else RetryPolicy()

    @property
    def policy(self) -> RetryPolicy:
        return self._policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        clock = _Clock(request)
        attempts = _Attempts(_policy_for(request, self._policy), request, clock)
        left = clock.remaining()
        if left is None:
            return await self._attempts(attempts)
        # anyio (httpx's own dependency) cancels under asyncio and trio alike; imported here,
        # as asyncio is, so that sync users do not pay for it.
        import anyio

        with anyio.move_on_after(left):
            return await self._attempts(attempts)
        raise clock.exceeded()

    async def _attempts(self, attempts: _Attempts) -> httpx.Response:
        clock, request = attempts.clock, attempts.request
        while True:  # bounded: each pass counts an attempt in `attempts`
            clock.start_attempt()
            try:
                response = await _aread(await self._transport.handle_async_request(request), clock)
            except httpx.TransportError as exc:
                if clock.passed():
                    raise clock.exceeded() from exc
                wait = attempts.after_error(exc)
                if wait is None:
                    raise
            else:
                wait = attempts.after_response(response)
                if wait is None:
                    return response
            await attempts.policy.async_sleep(wait)

    async def __aenter__(self) -> Self:
        await self._transport.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self._transport.__aexit__(exc_type, exc_value, traceback)

    async def aclose(self) -> None:
        await self._transport.aclose()


def retrying(client: ClientT, policy: RetryPolicy) -> ClientT:
    """``client`` with every transport it routes through wrapped in a retry transport: its
    default one and each mount (proxies from ``proxy=``, ``mounts=`` or the environment).

    Passing ``transport=`` to httpx instead would switch off what httpx builds itself from
    ``verify``, ``cert``, ``limits``, ``proxy`` and the environment's proxy variables. httpx has
    no public hook for wrapping them, so this reaches into ``_transport`` and ``_mounts``
    (httpx 0.28; the SDK pins httpx below 0.29, and tests/test_calls.py checks both).
    """
    if isinstance(client, httpx.Client):
        client._transport = RetryTransport(transport=client._transport, policy=policy)
        client._mounts = {
            pattern: None if mounted is None else RetryTransport(transport=mounted, policy=policy)
            for pattern, mounted in client._mounts.items()
        }
    else:
        client._transport = AsyncRetryTransport(transport=client._transport, policy=policy)
        client._mounts = {
            pattern: None
            if mounted is None
            else AsyncRetryTransport(transport=mounted, policy=policy)
            for pattern, mounted in client._mounts.items()
        }
    return client
