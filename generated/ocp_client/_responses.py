"""From an httpx response to a model or a typed error: the last steps of every generated call.

Hand-written (tools/codegen/runtime/_responses.py); the endpoint template calls it, so every
operation of the spec gets the same contract:

- ``sync()``/``asyncio()`` return the 2xx model or raise: ``ApiError`` (by status, or a 2xx whose
  body says ``successful: false``), ``ResponseValidationError`` (with the response attached),
  ``TransportError``/``RequestTimeoutError`` (no answer).
- ``sync_detailed()``/``asyncio_detailed()`` return the raw ``Response`` for every status; a 2xx
  body goes through ``parse_success`` as for ``sync()`` (its errors are raised), an error body
  that is not an OCP envelope leaves ``parsed`` as None.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any, TypeVar

import httpx

from . import _json
from .errors import (
    ApiError,
    RequestTimeoutError,
    RequestValidationError,
    ResponseValidationError,
    TransportError,
)
from .retry import RETRY_EXTENSION

__all__ = [
    "http_status",
    "parse_error_body",
    "parse_success",
    "request_options",
    "transport_errors",
]

Model = TypeVar("Model")


def request_options(
    timeout: float | httpx.Timeout | None, max_retries: int | None
) -> dict[str, Any]:
    """httpx ``request()`` arguments for a call's own timeout and retries (None: the client's).

    Raises:
        RequestValidationError: a timeout that is not a positive number of seconds (nor an
            ``httpx.Timeout``), or retries that are not an int of at least 0.
    """
    options: dict[str, Any] = {}
    if timeout is not None:
        seconds = type(timeout) is int or type(timeout) is float
        if not isinstance(timeout, httpx.Timeout) and not (seconds and 0 < timeout < math.inf):
            raise RequestValidationError(
                "timeout", f"expected seconds above 0 or an httpx.Timeout, got {timeout!r}"
            )
        options["timeout"] = timeout
    if max_retries is not None:
        if type(max_retries) is not int or max_retries < 0:
            raise RequestValidationError(
                "max_retries", f"expected an int of at least 0, got {max_retries!r}"
            )
        options["extensions"] = {RETRY_EXTENSION: max_retries}
    return options


@contextmanager
def transport_errors() -> Iterator[None]:
    """Turn httpx's request exceptions (no answer, or an answer httpx could not read: a broken
    compressed body, a redirect loop) into the SDK's TransportError tree."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise RequestTimeoutError(
            f"OCP did not answer in time: {type(error).__name__}", request=_request_of(error)
        ) from error
    except httpx.RequestError as error:
        raise TransportError(
            f"no answer from OCP: {type(error).__name__}: {error}", request=_request_of(error)
        ) from error


def _request_of(error: httpx.RequestError) -> httpx.Request | None:
    try:
        return error.request
    except RuntimeError:  # httpx raises when the exception carries no request
        return None


def http_status(code: int) -> HTTPStatus | int:
    """``HTTPStatus(code)``, or ``code`` itself when HTTPStatus has no such member (520)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


def parse_success(response: httpx.Response, parse: Callable[[Any], Model]) -> Model:
    """The model of a successful response, or the typed error the response stands for."""
    if not 200 <= response.status_code < 300:
        raise ApiError.from_response(response)
    try:
        body = _json.loads(response.content)
    except ValueError:
        excerpt = response.content[:200].decode("utf-8", errors="replace")
        raise ResponseValidationError("$", "a JSON body", excerpt, response=response) from None
    if isinstance(body, dict) and body.get("successful") is False:
        raise ApiError.from_response(response)
    try:
        return parse(body)
    except ResponseValidationError as error:
        error.response = response
        raise


def parse_error_body(response: httpx.Response, parse: Callable[[Any], Model]) -> Model | None:
    """The model of an error response's body, or None when the body is not one (a proxy's HTML
    page, a truncated body): an error response must never raise a second, unrelated error."""
    try:
        return parse(_json.loads(response.content))
    except (ValueError, ResponseValidationError):
        return None
