"""The one client every operation takes: where OCP is, how to authenticate, timeouts, retries.

Hand-written.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from .auth import DEFAULT_CONTENT_TYPE
from .errors import RequestValidationError
from .retry import AsyncRetryTransport, RetryPolicy, RetryTransport, retrying

__all__ = ["DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "ENVIRONMENT", "Client"]

DEFAULT_TIMEOUT = httpx.Timeout(10.0)
"""Ten seconds for each of connect, read, write and pool; per call, pass ``timeout=``."""

DEFAULT_MAX_RETRIES = 2
"""Retries of an idempotent request on connect errors, read timeouts, 429, 502, 503, 504."""

ENVIRONMENT = {
    "url": "OCP_URL",
    "access_key_id": "OCP_ACCESS_KEY_ID",
    "access_key_secret": "OCP_ACCESS_KEY_SECRET",
    "username": "OCP_USERNAME",
    "password": "OCP_PASSWORD",
}
"""The environment variables :meth:`Client.from_env` (and the ``ocp-backup`` command) read."""


class Client:
    """Where OCP is and how to talk to it; pass it to every operation as ``client=``.

    Args:
        base_url: OCP's address, e.g. ``http://ocp.example.net:8080``.
        auth: an ``httpx.Auth``: :class:`ocp_client.auth.OcpAccessKeyAuth` (AccessKey signing,
            OCP >= 4.0.3) or ``httpx.BasicAuth(user, password)``.
        timeout: seconds (or an ``httpx.Timeout``) for each of connect, read, write and pool;
            default 10 s. Operations raise ``errors.RequestTimeoutError`` beyond it.
        max_retries: retries of an idempotent request on connect errors, read timeouts, 429,
            502, 503 and 504 (default 2; 0 turns retries off); ``retry_policy`` replaces the
            whole :class:`ocp_client.retry.RetryPolicy` (backoff, caps, statuses).
        headers: headers for every request, over ``Content-Type: application/json`` (which OCP
            expects on every request, GET included).
        verify: TLS verification, as httpx takes it (on by default).
        httpx_client, async_httpx_client: your own httpx clients (proxies, limits, event
            hooks). They keep their settings and get what OCP needs: every transport wrapped
            for retries, ``Content-Type: application/json`` unless they set one, ``base_url``
            and ``auth`` when given here.
        httpx_args: other ``httpx.Client`` / ``httpx.AsyncClient`` arguments, for the clients
            this class builds.

    Use it as a context manager (``with client:`` / ``async with client:``) to close its
    connections when done, or call :meth:`close` / :meth:`aclose`.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        verify: str | bool | ssl.SSLContext = True,
        follow_redirects: bool = False,
        httpx_client: httpx.Client | None = None,
        async_httpx_client: httpx.AsyncClient | None = None,
        httpx_args: Mapping[str, Any] | None = None,
    ) -> None:
        if base_url is None and httpx_client is None and async_httpx_client is None:
            raise RequestValidationError("base_url", "missing: OCP's address, e.g. http://ocp:8080")
        if base_url is not None and not isinstance(base_url, str):
            raise RequestValidationError("base_url", f"expected a str, got {base_url!r}")
        if auth is not None and not isinstance(auth, httpx.Auth):
            raise RequestValidationError("auth", f"expected an httpx.Auth, got {auth!r}")
        if type(max_retries) is not int or max_retries < 0:
            raise RequestValidationError(
                "max_retries", f"expected an int of at least 0, got {max_retries!r}"
            )
        if httpx_client is not None and not isinstance(httpx_client, httpx.Client):
            raise RequestValidationError(
                "httpx_client", f"expected an httpx.Client, got {httpx_client!r}"
            )
        if async_httpx_client is not None and not isinstance(async_httpx_client, httpx.AsyncClient):
            raise RequestValidationError(
                "async_httpx_client", f"expected an httpx.AsyncClient, got {async_httpx_client!r}"
            )
        self.base_url = base_url
        self._auth = auth
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)
        self._headers = dict(headers or {})
        self._cookies = dict(cookies or {})
        self._verify = verify
        self._follow_redirects = follow_redirects
        self._httpx_args = dict(httpx_args or {})
        self._client = None if httpx_client is None else self._adopt(httpx_client)
        self._async_client = None if async_httpx_client is None else self._adopt(async_httpx_client)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Client:
        """A client configured from ``OCP_URL`` and either ``OCP_ACCESS_KEY_ID`` /
        ``OCP_ACCESS_KEY_SECRET`` (preferred) or ``OCP_USERNAME`` / ``OCP_PASSWORD``, as the
        ``ocp-backup`` command reads them; ``options`` go to the constructor.

        Raises:
            errors.RequestValidationError: ``OCP_URL`` is missing, or only half of a pair is set.
        """
        env = os.environ if environ is None else environ

        def value(key: str) -> str | None:
            return env.get(ENVIRONMENT[key]) or None  # an empty variable counts as unset

        url = value("url")
        if url is None:
            raise RequestValidationError(ENVIRONMENT["url"], "missing: OCP's address")
        key_id, secret = value("access_key_id"), value("access_key_secret")
        user, password = value("username"), value("password")
        for first, second in (("access_key_id", "access_key_secret"), ("username", "password")):
            if (value(first) is None) != (value(second) is None):
                missing = first if value(first) is None else second
                raise RequestValidationError(ENVIRONMENT[missing], "missing: its pair is set")
        if "auth" not in options:
            from .auth import OcpAccessKeyAuth  # noqa: PLC0415 (only when asked: import time)

            if key_id is not None and secret is not None:
                options["auth"] = OcpAccessKeyAuth(key_id, secret)
            elif user is not None and password is not None:
                options["auth"] = httpx.BasicAuth(user, password)
        return cls(url, **options)

    def __repr__(self) -> str:
        # Never the credentials: auth objects keep their secrets out of their own repr.
        return f"Client(base_url={self.base_url!r}, auth={type(self._auth).__name__})"

    def _adopt(self, client: Any) -> Any:
        """A user's httpx client, given what OCP needs (see the class docstring)."""
        if self.base_url is not None:
            client.base_url = self.base_url
        elif not str(client.base_url):
            raise RequestValidationError(
                "base_url", "missing: neither given nor set on httpx_client"
            )
        if self._auth is not None:
            client.auth = self._auth
        if "content-type" not in client.headers:
            client.headers["Content-Type"] = DEFAULT_CONTENT_TYPE
        wrapped = isinstance(client._transport, RetryTransport | AsyncRetryTransport)
        return client if wrapped else retrying(client, self.retry_policy)

    def _options(self) -> dict[str, Any]:
        args = dict(self._httpx_args)
        headers = httpx.Headers({"Content-Type": DEFAULT_CONTENT_TYPE})
        headers.update(self._headers)
        return {
            "base_url": self.base_url or "",
            "cookies": self._cookies,
            "headers": headers,
            "timeout": self._timeout,
            "verify": self._verify,
            "auth": self._auth if self._auth is not None else args.pop("auth", None),
            "follow_redirects": self._follow_redirects,
            **args,
        }

    def get_httpx_client(self) -> httpx.Client:
        """The httpx client that sends every synchronous request (built on first use)."""
        if self._client is None:
            self._client = retrying(httpx.Client(**self._options()), self.retry_policy)
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx client that sends every asynchronous request (built on first use)."""
        if self._async_client is None:
            self._async_client = retrying(httpx.AsyncClient(**self._options()), self.retry_policy)
        return self._async_client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        if self._async_client is not None:
            await self._async_client.aclose()

    def __enter__(self) -> Self:
        self.get_httpx_client().__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.get_httpx_client().__exit__(exc_type, exc_value, traceback)

    async def __aenter__(self) -> Self:
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.get_async_httpx_client().__aexit__(exc_type, exc_value, traceback)
