"""Types shared by every operation: the detailed ``Response`` and the generic ``Page``.

Hand-written.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Generic, TypeVar

from attrs import define

from ._model import Page

if TYPE_CHECKING:
    from .models.error_response import ErrorResponse
    from .models.response_envelope import ResponseEnvelope

__all__ = ["Page", "Response"]

T = TypeVar("T")


@define
class Response(Generic[T]):
    """An answer, whatever its status, as ``sync_detailed()`` / ``asyncio_detailed()`` return it.

    ``parsed`` is the ``data`` of a 2xx answer (what ``sync()`` returns) and ``envelope`` its
    envelope (``trace_id``, ``timestamp``, ``duration``, ``server``); for an error status,
    ``error`` is the error envelope, or None when the body is not one (a proxy's page).
    """

    status_code: HTTPStatus | int
    """The status as an HTTPStatus member, or the plain int for a code HTTPStatus does not know."""
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None
    envelope: ResponseEnvelope | None = None
    error: ErrorResponse | None = None
