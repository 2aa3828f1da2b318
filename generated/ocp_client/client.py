"""The one client every operation takes: where OCP is, how to authenticate, timeouts, retries.

Hand-written.
"""

from __future__ import annotations

import os
import ssl
import weakref
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from . import _validation
from ._config import DEFAULT_DEADLINE, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, ENVIRONMENT
from .auth import DEFAULT_CONTENT_TYPE, OcpAccessKeyAuth
from .errors import RequestValidationError
from .retry import AsyncRetryTransport, RetryPolicy, RetryTransport, retrying

__all__ = ["DEFAULT_DEADLINE", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "ENVIRONMENT", "Client"]

# DEFAULT_MAX_RETRIES, DEFAULT_DEADLINE and ENVIRONMENT are defined in _config.py (which the
# ocp-backup command reads without importing httpx) and are public here.

DEFAULT_TIMEOUT = httpx.Timeout(DEFAULT_TIMEOUT_SECONDS)
"""Ten seconds for each of connect, read, write and pool; per call, pass ``timeout=``."""

# Arguments of httpx's clients that Client takes itself: in ``httpx_args`` they would replace
# what Client sets (a ``headers`` there would drop the Content-Type OCP expects).
_OWN_ARGUMENTS = frozenset(
    {"base_url", "auth", "timeout", "headers", "cookies", "verify", "follow_redirects"}
)


class Client:
    """Where OCP is and how to talk to it; pass it to every operation as ``client=``.

    Args:
        base_url: OCP's address, e.g. ``http://ocp.example.net:8080``.
        auth: an ``httpx.Auth``: :class:`ocp_client.auth.OcpAccessKeyAuth` (AccessKey signing,
            OCP >= 4.0.3) or ``httpx.BasicAuth(user, password)``.
        timeout: seconds (or an ``httpx.Timeout``) for each of connect, read, write and pool;
            default 10 s. Operations raise ``errors.RequestTimeoutError`` beyond it.
        deadline: seconds a whole call may take, every attempt, retry wait and body included
            (default 60 s); a server trickling its answer cannot hold a call longer.
            Operations raise ``errors.RequestTimeoutError`` when it passes; per call, pass
            ``deadline=`` to the operation. Requests sent on :meth:`get_httpx_client` directly
            have none unless they set ``retry.DEADLINE_EXTENSION``.
        max_retries: retries of a call on connect errors, and of an idempotent one also on read
            timeouts, resets, bodies cut short, 408, 429, 502, 503 and 504 (default 2; 0 turns
            retries off). ``retry_policy`` instead: a whole
            :class:`ocp_client.retry.RetryPolicy` (backoff, caps, statuses).
        headers: headers for every request, over ``Content-Type: application/json`` (which OCP
            expects on every request, GET included).
        cookies, follow_redirects: as httpx takes them (redirects are not followed by default).
        verify: TLS verification, as httpx takes it (on by default).
        httpx_client, async_httpx_client: your own httpx clients (proxies, limits, event
            hooks). They keep their settings and get what OCP needs: every transport wrapped
            for retries, ``Content-Type: application/json`` unless they set one, and
            ``base_url``, ``auth``, ``headers``, ``cookies``, ``timeout`` and
            ``follow_redirects`` when given here. ``verify`` and ``httpx_args`` cannot change an
            existing client: set them on yours (passing them here too is an error).
        httpx_args: other ``httpx.Client`` / ``httpx.AsyncClient`` arguments (``limits``,
            ``proxy``, ``event_hooks``, ...), for the clients this class builds.

    Raises:
        errors.RequestValidationError: an argument is not what this says, naming it (before
            anything is built or sent).

    Use it as a context manager (``with client:`` / ``async with client:``) to close its
    connections when done, or call :meth:`close` / :meth:`aclose`. Each closes one side: after
    ``with client:`` (or :meth:`close`) synchronous calls are refused, after ``async with
    client:`` (or :meth:`aclose`) asynchronous ones (``errors.RequestValidationError`` naming
    ``client``), as httpx would refuse them with a bare RuntimeError. Its async httpx client belongs
    to the event loop of its first async call: a call from another loop (a second
    ``asyncio.run``) is refused the same way; create one Client per loop.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout | None = None,
        deadline: float | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        verify: str | bool | ssl.SSLContext | None = None,
        follow_redirects: bool | None = None,
        httpx_client: httpx.Client | None = None,
        async_httpx_client: httpx.AsyncClient | None = None,
        httpx_args: Mapping[str, Any] | None = None,
    ) -> None:
        if base_url is None and httpx_client is None and async_httpx_client is None:
            raise RequestValidationError("base_url", "missing: OCP's address, e.g. http://ocp:8080")
        if base_url is not None:
            _check_base_url("base_url", base_url)
        if auth is not None and not isinstance(auth, httpx.Auth):
            # The type only: a (user, password) tuple would print the password.
            raise RequestValidationError(
                "auth", f"expected an httpx.Auth, got a {type(auth).__name__}"
            )
        if timeout is not None:
            timeout = _validation.timeout(timeout)
        self.deadline: float = (
            DEFAULT_DEADLINE if deadline is None else _validation.seconds("deadline", deadline)
        )
        self.retry_policy = _policy(max_retries, retry_policy)
        self._headers = _headers(headers)
        self._cookies = _mapping("cookies", cookies)
        _check_verify(verify)
        if follow_redirects is not None and not isinstance(follow_redirects, bool):
            raise RequestValidationError(
                "follow_redirects", f"expected a bool, got {follow_redirects!r}"
            )
        self._httpx_args = _httpx_args(httpx_args)
        for name, given, expected in (
            ("httpx_client", httpx_client, httpx.Client),
            ("async_httpx_client", async_httpx_client, httpx.AsyncClient),
        ):
            if given is None:
                continue
            if not isinstance(given, expected):
                raise RequestValidationError(
                    name, f"expected an httpx.{expected.__name__}, got {given!r}"
                )
            if given.is_closed:
                raise RequestValidationError(name, "closed: pass one that is open")
            for option, value in (("verify", verify), ("httpx_args", httpx_args)):
                if value is not None:
                    raise RequestValidationError(
                        option,
                        f"cannot change an existing httpx client: set it on your {name} "
                        "(or pass no httpx client)",
                    )
        self.base_url = base_url
        self._auth = auth
        self._timeout = timeout
        self._verify = True if verify is None else verify
        self._follow_redirects = follow_redirects
        self._closed: set[str] = set()  # "sync", "async": the sides closed
        self._loop: weakref.ref[Any] | None = None  # the event loop of the async client
        self._client = None if httpx_client is None else self._adopt(httpx_client)
        self._async_client = None if async_httpx_client is None else self._adopt(async_httpx_client)
        if self.base_url is None:  # the adopted client's own, for the client built on demand
            adopted = self._client if self._client is not None else self._async_client
            self.base_url = str(adopted.base_url) if adopted is not None else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Client:
        """A client configured from ``OCP_URL`` and either ``OCP_ACCESS_KEY_ID`` /
        ``OCP_ACCESS_KEY_SECRET`` (preferred) or ``OCP_USERNAME`` / ``OCP_PASSWORD``, as the
        ``ocp-backup`` command reads them (``environ``: instead of ``os.environ``); ``options``
        go to the constructor.

        Raises:
            errors.RequestValidationError: ``OCP_URL`` is missing or not an http(s) URL, or only
                half of a pair is set; ``argument`` names the variable.
        """
        env = os.environ if environ is None else environ

        def value(key: str) -> str | None:
            return env.get(ENVIRONMENT[key]) or None  # an empty variable counts as unset

        url = value("url")
        if url is None:
            raise RequestValidationError(ENVIRONMENT["url"], "missing: OCP's address")
        _check_base_url(ENVIRONMENT["url"], url)
        for first, second in (("access_key_id", "access_key_secret"), ("username", "password")):
            if (value(first) is None) != (value(second) is None):
                missing = first if value(first) is None else second
                raise RequestValidationError(ENVIRONMENT[missing], "missing: its pair is set")
        key_id, secret = value("access_key_id"), value("access_key_secret")
        user, password = value("username"), value("password")
        if "base_url" in options:
            raise RequestValidationError("base_url", f"comes from {ENVIRONMENT['url']} here")
        if "auth" not in options:
            if key_id is not None and secret is not None:
                try:
                    options["auth"] = OcpAccessKeyAuth(key_id, secret)
                except ValueError as error:  # its message names no value
                    raise RequestValidationError(ENVIRONMENT["access_key_id"], str(error)) from None
            elif user is not None and password is not None:
                options["auth"] = httpx.BasicAuth(user, password)
        return cls(url, **options)

    def __repr__(self) -> str:
        # Never a credential: auth objects by type only, a password in the URL masked.
        auth = "None" if self._auth is None else type(self._auth).__name__
        url = None if self.base_url is None else _masked(self.base_url)
        return f"Client(base_url={url!r}, auth={auth})"

    def _adopt(self, client: Any) -> Any:
        """A user's httpx client, given what OCP needs (see the class docstring)."""
        if self.base_url is not None:
            client.base_url = self.base_url
        elif not str(client.base_url):
            raise RequestValidationError(
                "base_url", "missing: neither given nor set on the httpx client"
            )
        if self._auth is not None:
            client.auth = self._auth
        if self._timeout is not None:
            client.timeout = self._timeout
        if self._follow_redirects is not None:
            client.follow_redirects = self._follow_redirects
        client.headers.update(self._headers)
        client.cookies.update(self._cookies)
        if "content-type" not in client.headers:
            client.headers["Content-Type"] = DEFAULT_CONTENT_TYPE
        wrapped = isinstance(client._transport, RetryTransport | AsyncRetryTransport)
        return client if wrapped else retrying(client, self.retry_policy)

    def _options(self) -> dict[str, Any]:
        headers = httpx.Headers({"Content-Type": DEFAULT_CONTENT_TYPE})
        headers.update(self._headers)
        return {
            **self._httpx_args,
            "base_url": self.base_url or "",
            "auth": self._auth,
            "cookies": self._cookies,
            "headers": headers,
            "timeout": DEFAULT_TIMEOUT if self._timeout is None else self._timeout,
            "verify": self._verify,
            "follow_redirects": bool(self._follow_redirects),
        }

    def _refuse_if_closed(self, side: str) -> None:
        if side in self._closed:
            block, method = ("with", "close") if side == "sync" else ("async with", "aclose")
            raise RequestValidationError(
                "client",
                f"closed: its {side} side was closed (by {method}() or at the end of its "
                f"`{block}` block); create a new Client",
            )

    def get_httpx_client(self) -> httpx.Client:
        """The httpx client that sends every synchronous request (built on first use).

        Raises:
            errors.RequestValidationError: this Client is closed.
        """
        self._refuse_if_closed("sync")
        if self._client is None:
            self._client = retrying(httpx.Client(**self._options()), self.retry_policy)
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx client that sends every asynchronous request (built on first use).

        Raises:
            errors.RequestValidationError: this Client is closed, or its async client belongs
                to another event loop (its connections cannot be used from this one).
        """
        self._refuse_if_closed("async")
        loop = _running_loop()
        if loop is not None:
            if self._loop is None:
                self._loop = weakref.ref(loop)
            elif self._loop() is not loop:
                raise RequestValidationError(
                    "client",
                    "used from a second event loop (a second asyncio.run?): its async "
                    "connections belong to the loop of its first async call; create one "
                    "Client per loop, e.g. inside the coroutine that asyncio.run runs",
                )
        if self._async_client is None:
            self._async_client = retrying(httpx.AsyncClient(**self._options()), self.retry_policy)
        return self._async_client

    def close(self) -> None:
        """Close the synchronous httpx client (yours too, when you passed one); the Client
        refuses synchronous calls from then on."""
        self._closed.add("sync")
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the asynchronous httpx client (yours too, when you passed one); the Client
        refuses asynchronous calls from then on."""
        self._closed.add("async")
        if self._async_client is not None:
            await self._async_client.aclose()

    # Entering does not enter the httpx client: httpx refuses to enter a client twice, or one
    # that has sent a request already, which an adopted client may have.

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()


def _masked(url: str) -> str:
    """``url`` with the password of its user information, if any, replaced by ``***``."""
    scheme, separator, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    user_info, at, host = authority.rpartition("@")
    if not separator or not at or ":" not in user_info:
        return url
    user = user_info.partition(":")[0]
    return f"{scheme}://{user}:***@{host}{slash}{path}"


def _check_base_url(argument: str, base_url: object) -> None:
    if not isinstance(base_url, str):
        raise RequestValidationError(argument, f"expected a str, got a {type(base_url).__name__}")
    expected = "an http:// or https:// URL with a host, e.g. http://ocp:8080"
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise RequestValidationError(argument, f"expected {expected}, got {_masked(base_url)!r}")


def _running_loop() -> object | None:
    """The running asyncio event loop, or None (none runs, or another library's loop, such as
    trio's, which this does not track)."""
    import asyncio  # first use only: sync callers do not pay for importing it

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _policy(max_retries: object, retry_policy: object) -> RetryPolicy:
    if retry_policy is not None:
        if not isinstance(retry_policy, RetryPolicy):
            raise RequestValidationError(
                "retry_policy", f"expected an ocp_client.retry.RetryPolicy, got {retry_policy!r}"
            )
        if max_retries is not None:
            raise RequestValidationError(
                "max_retries", "give max_retries or retry_policy (which has its own), not both"
            )
        return retry_policy
    if max_retries is None:
        return RetryPolicy(max_retries=DEFAULT_MAX_RETRIES)
    return RetryPolicy(max_retries=_validation.retries("max_retries", max_retries))


def _mapping(argument: str, value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RequestValidationError(argument, f"expected a mapping, got a {type(value).__name__}")
    return dict(value)


def _headers(headers: object) -> httpx.Headers:
    given = _mapping("headers", headers)
    try:
        return httpx.Headers(given)
    except (TypeError, ValueError, UnicodeError) as error:
        # Names only: a header's value may be a credential.
        raise RequestValidationError(
            "headers", f"expected str names and values, got names {sorted(map(str, given))}"
        ) from error


def _check_verify(verify: object) -> None:
    if verify is None or isinstance(verify, bool | ssl.SSLContext):
        return
    if not isinstance(verify, str):
        raise RequestValidationError(
            "verify", f"expected a bool, an ssl.SSLContext or a CA bundle's path, got {verify!r}"
        )
    if not os.path.exists(verify):
        raise RequestValidationError("verify", f"no CA bundle at {verify!r}")


def _httpx_args(httpx_args: object) -> dict[str, Any]:
    args = _mapping("httpx_args", httpx_args)
    if not args:
        return args
    import inspect  # here: httpx_args are rare

    # What both clients take: a sync transport or mounts would break the async side at its
    # first call (and the other way round); your own clients are the way to pass those.
    accepted = (
        set(inspect.signature(httpx.Client.__init__).parameters)
        & set(inspect.signature(httpx.AsyncClient.__init__).parameters)
    ) - {"self", "transport", "mounts"}
    for key in args:
        if key in ("transport", "mounts"):
            raise RequestValidationError(
                f"httpx_args[{key!r}]",
                "one for sync or async calls only: pass httpx_client= / async_httpx_client=",
            )
        if key in _OWN_ARGUMENTS:
            raise RequestValidationError(
                f"httpx_args[{key!r}]", f"an argument of Client itself: pass {key}= to Client"
            )
        if key not in accepted:
            raise RequestValidationError(
                f"httpx_args[{key!r}]", "not an argument of httpx.Client / httpx.AsyncClient"
            )
    return args
