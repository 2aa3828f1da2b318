import ssl
from typing import Any, Self

import httpx
from attrs import define, evolve, field

from .auth import DEFAULT_CONTENT_TYPE
from .retry import RetryPolicy, retrying

DEFAULT_TIMEOUT = httpx.Timeout(10.0)
"""Ten seconds for each of connect, read, write and pool; per call, pass ``timeout=``."""

DEFAULT_MAX_RETRIES = 2
"""Retries of an idempotent request on connect errors, read timeouts, 429, 502, 503, 504."""


def _headers_for_ocp(headers: dict[str, str]) -> httpx.Headers:
    """``headers`` over ``Content-Type: application/json``, which OCP expects on every request,
    GET included (names compare without case, so a ``content-type`` given replaces it)."""
    merged = httpx.Headers({"Content-Type": DEFAULT_CONTENT_TYPE})
    merged.update(headers)
    return merged


@define
class Client:
    """A class for keeping track of data related to the API

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take (default 10 s for each of
        connect, read, write, pool). API functions raise errors.RequestTimeoutError beyond it.

        ``auth``: An httpx.Auth for every request: ocp_client.auth.OcpAccessKeyAuth (AccessKey
        signing) or httpx.BasicAuth(user, password).

        ``max_retries``: Retries of an idempotent request on connect errors, read timeouts, 429,
        502, 503, 504 (default 2); 0 turns retries off. ``retry_policy`` replaces the whole
        ocp_client.retry.RetryPolicy (backoff, caps, statuses).

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.

    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether or not to raise an errors.UnexpectedStatus if the API returns a status code that was not documented in the source OpenAPI document. Can also be provided as a keyword argument to the constructor."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _auth: httpx.Auth | None = field(default=None, kw_only=True, alias="auth")
    _max_retries: int = field(default=DEFAULT_MAX_RETRIES, kw_only=True, alias="max_retries")
    _retry_policy: RetryPolicy | None = field(default=None, kw_only=True, alias="retry_policy")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    def with_headers(self, headers: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "Client":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def _policy(self) -> RetryPolicy:
        if self._retry_policy is not None:
            return self._retry_policy
        return RetryPolicy(max_retries=self._max_retries)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            args = dict(self._httpx_args)
            auth = args.pop("auth", None) if self._auth is None else self._auth
            self._client = retrying(
                httpx.Client(
                    base_url=self._base_url,
                    cookies=self._cookies,
                    headers=_headers_for_ocp(self._headers),
                    timeout=self._timeout,
                    verify=self._verify_ssl,
                    auth=auth,
                    follow_redirects=self._follow_redirects,
                    **args,
                ),
                self._policy(),
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            args = dict(self._httpx_args)
            auth = args.pop("auth", None) if self._auth is None else self._auth
            self._async_client = retrying(
                httpx.AsyncClient(
                    base_url=self._base_url,
                    cookies=self._cookies,
                    headers=_headers_for_ocp(self._headers),
                    timeout=self._timeout,
                    verify=self._verify_ssl,
                    auth=auth,
                    follow_redirects=self._follow_redirects,
                    **args,
                ),
                self._policy(),
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define
class AuthenticatedClient:
    """A Client which has been authenticated for use on secured endpoints

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take (default 10 s for each of
        connect, read, write, pool). API functions raise errors.RequestTimeoutError beyond it.

        ``auth``: An httpx.Auth for every request: ocp_client.auth.OcpAccessKeyAuth (AccessKey
        signing) or httpx.BasicAuth(user, password).

        ``max_retries``: Retries of an idempotent request on connect errors, read timeouts, 429,
        502, 503, 504 (default 2); 0 turns retries off. ``retry_policy`` replaces the whole
        ocp_client.retry.RetryPolicy (backoff, caps, statuses).

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.

    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether or not to raise an errors.UnexpectedStatus if the API returns a status code that was not documented in the source OpenAPI document. Can also be provided as a keyword argument to the constructor."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _auth: httpx.Auth | None = field(default=None, kw_only=True, alias="auth")
    _max_retries: int = field(default=DEFAULT_MAX_RETRIES, kw_only=True, alias="max_retries")
    _retry_policy: RetryPolicy | None = field(default=None, kw_only=True, alias="retry_policy")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    token: str
    """The token to use for authentication"""
    prefix: str = "Bearer"
    """The prefix to use for the Authorization header"""
    auth_header_name: str = "Authorization"
    """The name of the Authorization header"""

    def with_headers(self, headers: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "AuthenticatedClient":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def _policy(self) -> RetryPolicy:
        if self._retry_policy is not None:
            return self._retry_policy
        return RetryPolicy(max_retries=self._max_retries)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            self._headers[self.auth_header_name] = (
                f"{self.prefix} {self.token}" if self.prefix else self.token
            )
            args = dict(self._httpx_args)
            auth = args.pop("auth", None) if self._auth is None else self._auth
            self._client = retrying(
                httpx.Client(
                    base_url=self._base_url,
                    cookies=self._cookies,
                    headers=_headers_for_ocp(self._headers),
                    timeout=self._timeout,
                    verify=self._verify_ssl,
                    auth=auth,
                    follow_redirects=self._follow_redirects,
                    **args,
                ),
                self._policy(),
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            self._headers[self.auth_header_name] = (
                f"{self.prefix} {self.token}" if self.prefix else self.token
            )
            args = dict(self._httpx_args)
            auth = args.pop("auth", None) if self._auth is None else self._auth
            self._async_client = retrying(
                httpx.AsyncClient(
                    base_url=self._base_url,
                    cookies=self._cookies,
                    headers=_headers_for_ocp(self._headers),
                    timeout=self._timeout,
                    verify=self._verify_ssl,
                    auth=auth,
                    follow_redirects=self._follow_redirects,
                    **args,
                ),
                self._policy(),
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)
