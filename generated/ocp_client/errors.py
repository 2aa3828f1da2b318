"""Every error the SDK raises, in one tree rooted at :class:`OcpError`.

Hand-written.

::

    OcpError
    ├── ResponseValidationError      a response does not match the spec (path, expected, value)
    ├── ApiError                     OCP answered with an error (non-2xx, or successful: false);
    │   │                            itself for a status without a class of its own (415, 2xx)
    │   ├── BadRequestError          400
    │   ├── AuthenticationError      401
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404
    │   ├── ConflictError            409
    │   ├── RateLimitError           429, with the RateLimit headers parsed
    │   └── ServerError              5xx (not 600 or 999: no HTTP status class)
    ├── TransportError               no answer: connect error, read error, timeout, or an answer
    │   │                            that cannot be used (a redirect to ``mailto:``)
    │   └── RequestTimeoutError      a socket timeout, or the call's deadline passed
    └── RequestValidationError       an argument cannot be sent as the spec says (also ValueError)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from . import _json

if TYPE_CHECKING:
    from ._pagination import AsyncResume, Resume

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "NotFoundError",
    "OcpError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "RequestValidationError",
    "ResponseValidationError",
    "ServerError",
    "TransportError",
]

_EXCERPT = 200


def short_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages that must stay one line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _trace_id(response: httpx.Response | None) -> str | None:
    """The traceId of an OCP response body, if it has a readable one."""
    if response is None:
        return None
    try:
        body = _json.loads(response.content)
    except (ValueError, httpx.ResponseNotRead):
        return None
    trace_id = body.get("traceId") if isinstance(body, dict) else None
    return trace_id if isinstance(trace_id, str) else None


class OcpError(Exception):
    """The root of every error raised by ``ocp_client``.

    ``walk``: when the error ended a ``sync_iter``/``asyncio_iter`` walk, what continues it
    (``error.walk.resume()`` yields the items not yet yielded, without reading again the pages
    already read); None otherwise."""

    walk: Resume[Any] | AsyncResume[Any] | None = None


class ResponseValidationError(OcpError):
    """A response body does not match what the spec says.

    ``path`` is the JSON path of the offending value (``data.contents[17].finishTime``; ``$`` for
    the body itself), ``expected`` what the spec expects there, ``value`` what was received.
    When raised from an HTTP call, ``response`` is the response, with ``status_code`` and
    ``trace_id`` taken from it.
    """

    def __init__(
        self,
        path: str,
        expected: str,
        value: object,
        *,
        response: httpx.Response | None = None,
        missing: bool = False,
    ) -> None:
        self.path = path
        self.expected = expected
        self.value = value
        self.missing = missing
        self.response = response
        super().__init__(path, expected, value)

    @property
    def status_code(self) -> int | None:
        return None if self.response is None else self.response.status_code

    @property
    def trace_id(self) -> str | None:
        return _trace_id(self.response)

    def within(self, parent: str | int) -> ResponseValidationError:
        """This error, its path prefixed by the property name or list index that contains it."""
        # Whether the path starts with an index is tracked, not read from the text: a property
        # name may itself start with "[" (a map key).
        step = f"[{parent}]" if isinstance(parent, int) else parent
        if self.path != "$":
            step += self.path if getattr(self, "_index_head", False) else f".{self.path}"
        self.path = step
        self._index_head = isinstance(parent, int)
        return self

    def __str__(self) -> str:
        found = "missing" if self.missing else f"got {short_repr(self.value)}"
        where = ""
        if self.response is not None:
            where = f" (HTTP {self.response.status_code}, traceId {self.trace_id or '-'})"
        return f"{self.path}: expected {self.expected}, {found}{where}"


class ApiError(OcpError):
    """OCP answered with an error: a non-2xx status, or a 2xx whose body says
    ``successful: false``.

    ``code``, ``message``, ``sub_errors``, ``debug_message`` and ``target`` come from the body's
    ``error`` object when it has one; a body that is not an OCP error envelope (an HTML page from
    a proxy) leaves them empty and its start is kept in ``message``.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: int | None = None,
        trace_id: str | None = None,
        sub_errors: Sequence[Mapping[str, Any]] = (),
        debug_message: str | None = None,
        target: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        self.status_code = status_code
        self.message = message
        self.code = code
        self.trace_id = trace_id
        self.sub_errors = list(sub_errors)
        self.debug_message = debug_message
        self.target = target
        self.response = response
        super().__init__(status_code, message)

    def __str__(self) -> str:
        code = f" code {self.code}" if self.code is not None else ""
        trace = f" (traceId {self.trace_id})" if self.trace_id else ""
        return f"HTTP {self.status_code}{code}: {self.message}{trace}"

    @staticmethod
    def from_response(response: httpx.Response) -> ApiError:
        """The error of the right class for an error response, whatever its body holds."""
        status = response.status_code
        # 5xx only: RFC 9110 §15 defines the classes 1xx-5xx, so a 600 or 999 (seen behind
        # broken proxies) says nothing about the server's health; it stays a plain ApiError.
        server = 500 <= status <= 599
        cls = _CLASS_BY_STATUS.get(status) or (ServerError if server else ApiError)
        try:
            body = _json.loads(response.content)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            excerpt = response.content[:_EXCERPT].decode("utf-8", errors="replace").strip()
            kind = response.headers.get("content-type", "no content type")
            message = f"not an OCP error body ({kind}): {excerpt!r}" if excerpt else "empty body"
            trace_id = body.get("traceId") if isinstance(body, dict) else None
            return cls(
                status,
                message,
                trace_id=trace_id if isinstance(trace_id, str) else None,
                response=response,
            )
        error: dict[str, Any] = body["error"]
        sub_errors = error.get("subErrors")
        code = error.get("code")
        trace_id = body.get("traceId")
        return cls(
            status,
            str(error.get("message", "")),
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            trace_id=trace_id if isinstance(trace_id, str) else None,
            sub_errors=[s for s in sub_errors if isinstance(s, dict)]
            if isinstance(sub_errors, list)
            else (),
            debug_message=_optional_str(error.get("debugMessage")),
            target=_optional_str(error.get("target")),
            response=response,
        )


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


_HEADER_INT_DIGITS = 18


def _header_int(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name, "").strip()
    # isdigit() alone lets through digits int() refuses (superscripts like "²"), and int()
    # refuses more than 4300 digits; 18 digits are seconds enough for any server.
    if len(value) <= _HEADER_INT_DIGITS and value.isascii() and value.isdigit():
        return int(value)
    return None


class BadRequestError(ApiError):
    """400: a parameter is missing, malformed or out of range."""


class AuthenticationError(ApiError):
    """401: not authenticated, bad credentials or a bad signature."""


class PermissionDeniedError(ApiError):
    """403: the caller lacks the permission the operation needs."""


class NotFoundError(ApiError):
    """404: the object does not exist."""


class ConflictError(ApiError):
    """409: the request conflicts with the object's state."""


class RateLimitError(ApiError):
    """429: too many requests. ``limit``, ``remaining`` and ``reset`` (seconds until the window
    resets) are the RateLimit headers; ``retry_after`` the Retry-After header in seconds."""

    def __init__(self, status_code: int, message: str, **kwargs: Any) -> None:
        super().__init__(status_code, message, **kwargs)
        headers = self.response.headers if self.response is not None else httpx.Headers()
        self.limit = _header_int(headers, "RateLimit-Limit")
        self.remaining = _header_int(headers, "RateLimit-Remaining")
        self.reset = _header_int(headers, "RateLimit-Reset")
        self.retry_after = _header_int(headers, "Retry-After")


class ServerError(ApiError):
    """5xx: an error in OCP or in a proxy in front of it."""


_CLASS_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


class TransportError(OcpError):
    """No answer from OCP: the connection failed, broke, or timed out. ``__cause__`` is httpx's
    exception; ``request`` the request that failed."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        self.request = request
        super().__init__(message)


class RequestTimeoutError(TransportError):
    """OCP did not answer within the timeout, or not whole within the call's deadline."""


class RequestValidationError(OcpError, ValueError):
    """An argument cannot be sent as the spec says, found before any request is made: e.g. a
    naive datetime, whose instant is unknown, or a ``client`` that is closed. ``argument``
    names it."""

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        self.reason = message
        super().__init__(f"{argument}: {message}")

    def __reduce__(self) -> tuple[type[RequestValidationError], tuple[str, str]]:
        return type(self), (self.argument, self.reason)
