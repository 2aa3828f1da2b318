"""One runtime path for every operation: the generated functions (``sync``, ``asyncio``, their
``*_detailed`` variants, ``sync_iter``/``asyncio_iter``) only pass their arguments to an
:class:`Operation` that the generated module declares from the spec's facts.

Hand-written. A call goes: arguments checked against the spec (types, ranges, aware datetimes,
periods given whole and in order; a request body's model dumped and checked) ->
``RequestValidationError`` before any request; the request sent through the client's httpx
client (auth, retries) -> ``TransportError`` when there is no answer; the answer read: a non-2xx
status or ``successful: false`` -> ``ApiError``; the envelope and ``data`` checked against the
spec -> ``ResponseValidationError``; ``data`` returned. An answer that is not an envelope (the
spec's ``x-ocp-envelope: false``, or ``text/plain``) is the data itself, checked the same way.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator, Mapping
from http import HTTPStatus
from typing import Any, Generic, Literal, TypeVar, cast
from urllib.parse import quote

import httpx

from . import _json, _pagination, _validation
from ._kinds import Invalid, Kind, Object
from ._model import PageOf
from ._validation import MISSING, invalid
from .client import Client
from .errors import (
    ApiError,
    RequestTimeoutError,
    RequestValidationError,
    ResponseValidationError,
    TransportError,
)
from .retry import (
    DEADLINE_EXTENSION,
    IDEMPOTENT_EXTENSION,
    RETRY_EXTENSION,
    DeadlineExceeded,
    UnusableRedirect,
)
from .types import Response

__all__ = ["Deadline", "Framing", "Operation", "Parameter", "Timeout"]

T = TypeVar("T")
Timeout = float | httpx.Timeout | None
Deadline = float | None
Shape = Literal["page", "object", "list", "scalar", "none"]
# Where a 2xx answer's data is: an OCP envelope's ``data``, the JSON body, or a text/plain body.
Framing = Literal["envelope", "json", "text"]

_ENVELOPE = Object(".models.response_envelope", "ResponseEnvelope")
_ERROR = Object(".models.error_response", "ErrorResponse")
PAGE_INFO = Object(".models.page_info", "PageInfo")

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Parameter:
    """A path or query parameter: its argument name, the spec's name, where it goes, its kind."""

    __slots__ = ("kind", "location", "name", "py_name", "required")

    def __init__(
        self,
        py_name: str,
        name: str,
        location: Literal["path", "query"],
        kind: Kind,
        *,
        required: bool = False,
    ) -> None:
        self.py_name = py_name
        self.name = name
        self.location = location
        self.kind = kind
        self.required = required


class Operation(Generic[T]):
    """One operation of the spec, as its generated module declares it."""

    def __init__(
        self,
        method: str,
        path: str,
        parameters: tuple[Parameter, ...],
        *,
        shape: Shape,
        framing: Framing = "envelope",
        data: Kind | None = None,
        item_id: str | None = None,
        periods: tuple[tuple[str, str], ...] = (),
        body: Object | None = None,
        body_required: bool = False,
        idempotent: bool | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.parameters = parameters
        self.shape = shape
        self.framing = framing
        self.data = data
        # What reads ``data``: for a page, the generic page of the items' kind.
        self._data_kind: Kind | None = (
            PageOf(data, PAGE_INFO) if shape == "page" and data is not None else data
        )
        self.item_id = item_id
        self.periods = periods
        self.body = body
        self.body_required = body_required
        # The codegen step passes the spec's answer (tools/spec_model.py: Operation.idempotent);
        # without one, only the safe methods are.
        self.idempotent = method in _SAFE_METHODS if idempotent is None else idempotent

    # --- the request ---------------------------------------------------------------------------

    def request(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The httpx ``request()`` arguments for a call, every argument checked first."""
        path_values: dict[str, str] = {}
        params: list[tuple[str, str]] = []
        for parameter in self.parameters:
            value = arguments[parameter.py_name]
            if value is None:
                if parameter.required:
                    raise RequestValidationError(
                        parameter.py_name, f"missing: expected {parameter.kind.expected}"
                    )
                continue
            try:
                text = parameter.kind.query(value)
            except Invalid as error:
                where = "" if error.path == "$" else f" (at {error.path})"
                raise RequestValidationError(
                    parameter.py_name,
                    f"expected {error.expected}{where}, got {error.value!r}",
                ) from None
            if parameter.location == "path":
                path_values[parameter.name] = quote(str(text), safe="")
            elif isinstance(text, str):
                params.append((parameter.name, text))
            else:
                params.extend((parameter.name, item) for item in text)
        for start, end in self.periods:
            first, last = arguments[start], arguments[end]
            if (first is None) != (last is None):
                raise RequestValidationError(
                    start if first is None else end,
                    f"missing: {start} and {end} go together"
                    " (OCP answers error 10006 to one alone)",
                )
            if first is not None and first > last:
                raise RequestValidationError(
                    end, f"{last!r} is before {start} ({first!r}): OCP answers error 10005"
                )
        kwargs: dict[str, Any] = {
            "method": self.method,
            "url": self.path.format(**path_values) if path_values else self.path,
        }
        if params:
            kwargs["params"] = params
        if self.body is not None:
            kwargs["content"] = self._body(arguments["body"])
        return kwargs

    def _body(self, body: object) -> bytes | None:
        assert self.body is not None
        if body is None:
            if self.body_required:
                raise RequestValidationError("body", f"missing: expected a {self.body.name}")
            return None
        if not isinstance(body, self.body.model):
            raise RequestValidationError("body", f"expected a {self.body.name}, got {body!r}")
        try:
            document = body.dump()
        except Invalid as error:
            raise RequestValidationError(
                f"body.{error.path}", f"expected {error.expected}, got {error.value!r}"
            ) from None
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    # --- the answer ----------------------------------------------------------------------------

    def parse(self, response: httpx.Response) -> T:
        """The ``data`` of a successful answer, or the typed error the answer stands for."""
        return _readable(self._parse, response)

    def _parse(self, response: httpx.Response) -> T:
        data: T = self._answer(response)[1]
        return data

    def _answer(self, response: httpx.Response) -> tuple[Any, Any]:
        """The envelope's model (None for an answer without a body or without an envelope) and
        the data of a successful answer, read once for both :meth:`parse` and :meth:`detailed`."""
        if not 200 <= response.status_code < 300:
            raise ApiError.from_response(response)
        if self.shape == "none" and not response.content:
            return None, None  # a 204 carries no envelope
        try:
            if self.framing == "text":
                return None, self._value(_read_text(response))
            body = _read_json(response)
            if self.framing == "json":
                return None, self._value(body)
            if isinstance(body, dict) and body.get("successful") is False:
                raise ApiError.from_response(response)
            return self._data(body)
        except ResponseValidationError as error:
            error.response = response
            raise

    def _value(self, value: Any) -> Any:
        """The data read from ``value`` by this operation's kind (errors at ``$``)."""
        assert self._data_kind is not None  # every shape but "none" has one (the template)
        if self.shape == "object" and isinstance(self.data, Object):
            return self.data.model.from_dict(value)
        return self._data_kind.parse(value)

    def _data(self, body: Any) -> tuple[Any, Any]:
        if type(body) is not dict:
            raise invalid("$", "object", body)
        envelope = _ENVELOPE.model.from_dict(
            {key: value for key, value in body.items() if key != "data"}
        )
        if self.shape == "none":
            return envelope, None
        assert self._data_kind is not None  # every shape but "none" has one (the template)
        if "data" not in body:
            raise invalid("data", self._data_kind.expected, MISSING)
        try:
            return envelope, self._value(body["data"])
        except ResponseValidationError as error:
            raise error.within("data") from None

    def detailed(self, response: httpx.Response) -> Response[T]:
        """Every answer as a :class:`Response`; a 2xx body is read as :meth:`parse` reads it."""
        return _readable(self._detailed, response)

    def _detailed(self, response: httpx.Response) -> Response[T]:
        parsed: T | None = None
        envelope: Any = None
        error: Any = None
        if 200 <= response.status_code < 300:
            envelope, parsed = self._answer(response)
        else:
            try:
                error = _ERROR.model.from_dict(_json.loads(response.content))
            except (ValueError, ResponseValidationError):
                error = None  # a body that is not an OCP envelope (a proxy's page)
        return Response(
            status_code=_http_status(response.status_code),
            content=response.content,
            headers=response.headers,
            parsed=parsed,
            envelope=envelope,
            error=error,
        )

    # --- calls ---------------------------------------------------------------------------------
    # ``call`` is the generated function's arguments (its ``locals()`` before anything else runs):
    # the operation's own, plus ``client``, ``timeout``, ``max_retries``, ``deadline`` (and
    # ``concurrency``). ``max_retries`` and ``deadline`` may be absent: an operation that is not
    # idempotent has no ``max_retries``, and ``deadline`` is read when the template passes it.

    def options(self, call: Mapping[str, Any]) -> dict[str, Any]:
        """The httpx ``request()`` options of a call: its timeout, its retries, its deadline
        (the call's ``deadline``, else the client's), and whether it may be retried beyond
        connect errors, which the retry transport reads (``IDEMPOTENT_EXTENSION``). An
        operation that is not idempotent has no ``max_retries`` argument and is retried only
        when the request never reached OCP: OCP may have acted on a request whose answer was
        lost."""
        deadline = call.get("deadline")
        if deadline is None:
            deadline = _client(call["client"]).deadline
        options = _request_options(call["timeout"], call.get("max_retries"), deadline)
        options.setdefault("extensions", {})[IDEMPOTENT_EXTENSION] = self.idempotent
        return options

    def send(self, call: Mapping[str, Any]) -> httpx.Response:
        kwargs = self.request(call)
        options = self.options(call)
        with _transport_errors():
            return _client(call["client"]).get_httpx_client().request(**kwargs, **options)

    async def asend(self, call: Mapping[str, Any]) -> httpx.Response:
        kwargs = self.request(call)
        options = self.options(call)
        with _transport_errors():
            client = _client(call["client"]).get_async_httpx_client()
            return await client.request(**kwargs, **options)

    def sync(self, call: Mapping[str, Any]) -> T:
        return self.parse(self.send(call))

    async def asyncio(self, call: Mapping[str, Any]) -> T:
        return self.parse(await self.asend(call))

    def sync_detailed(self, call: Mapping[str, Any]) -> Response[T]:
        return self.detailed(self.send(call))

    async def asyncio_detailed(self, call: Mapping[str, Any]) -> Response[T]:
        return self.detailed(await self.asend(call))

    # --- pages ---------------------------------------------------------------------------------

    def _item_key(self) -> Callable[[Any], object] | None:
        name = self.item_id
        if name is None:
            return None
        return lambda item: getattr(item, name)

    def sync_iter(self, call: Mapping[str, Any]) -> Iterator[Any]:
        first = {**call, "page": 1}
        self.request(first)  # every argument checked before the first request
        self.options(call)
        return _pagination.iterate(
            lambda page: cast(_pagination.PageResponse[Any], self.sync({**first, "page": page})),
            self._item_key(),
            size=call["size"],
            concurrency=call["concurrency"],
            retry=call.get("walk_retry"),
        )

    def asyncio_iter(self, call: Mapping[str, Any]) -> AsyncGenerator[Any, None]:
        first = {**call, "page": 1}
        self.request(first)
        self.options(call)
        return _pagination.aiterate(
            lambda page: cast(
                Awaitable[_pagination.PageResponse[Any]], self.asyncio({**first, "page": page})
            ),
            self._item_key(),
            size=call["size"],
            concurrency=call["concurrency"],
            retry=call.get("walk_retry"),
        )


def _client(client: object) -> Client:
    if not isinstance(client, Client):
        raise RequestValidationError("client", f"expected an ocp_client.Client, got {client!r}")
    return client


def _readable(read: Callable[[httpx.Response], T], response: httpx.Response) -> T:
    """``read(response)``, the same verdict whatever the caller's stack depth: a caller deep in
    its own recursion may leave too little stack for reading a body (at most
    ``_json.MAX_DEPTH`` deep), which is then read on a fresh stack."""
    try:
        return read(response)
    except RecursionError:
        pass
    try:
        return _json.on_fresh_stack(read, response)
    except RecursionError:
        raise ResponseValidationError(
            "$",
            "a body the SDK can read within the recursion limit",
            "deeper nesting",
            response=response,
        ) from None


# RFC 8259 §11: application/json; RFC 6839 §3.1: the +json structured syntax suffix.
_JSON_SUFFIX = "+json"
_UTF_8 = frozenset({"utf-8", "utf8"})
_ASCII = frozenset({"us-ascii", "ascii"})
_TEXT = "text/plain"


def _is_json(media: str) -> bool:
    return media == "application/json" or (
        media.startswith("application/") and media.endswith(_JSON_SUFFIX)
    )


def _check_media_type(
    response: httpx.Response,
    accepts: Callable[[str], bool],
    expected: str,
    charsets: frozenset[str],
) -> None:
    """A 2xx body is read as the operation expects only when the response does not say it is
    something else: another Content-Type, or a charset the SDK does not read it in. A body
    without a Content-Type is read as expected (RFC 9110 §8.3 lets the recipient decide; the
    reading that follows is strict)."""
    given = response.headers.get("Content-Type")
    if given is None:
        return
    media, _, parameters = given.partition(";")
    if not accepts(media.strip().lower()):
        raise ResponseValidationError("$", expected, f"Content-Type: {given}", response=response)
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in charsets:
            raise ResponseValidationError(
                "$", "a UTF-8 body", f"charset={charset}", response=response
            )


def _read_text(response: httpx.Response) -> str:
    """A text/plain body, its text without the whitespace around it (a line end)."""
    # US-ASCII is text/plain's default charset (RFC 2046 §4.1.2) and a subset of UTF-8.
    _check_media_type(
        response,
        lambda media: media == _TEXT,
        f"a text body (Content-Type: {_TEXT})",
        _UTF_8 | _ASCII,
    )
    try:
        return response.content.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise ResponseValidationError(
            "$",
            "UTF-8 text",
            f"a byte that is not UTF-8 at offset {error.start}",
            response=response,
        ) from None


def _read_json(response: httpx.Response) -> Any:
    # RFC 8259 §8.1: JSON exchanged between systems is UTF-8.
    _check_media_type(response, _is_json, "a JSON body (Content-Type: application/json)", _UTF_8)
    try:
        return _json.loads(response.content)
    except _json.Malformed as error:
        raise ResponseValidationError(
            error.path, error.expected, error.found, response=response
        ) from None


def _request_options(
    timeout: Timeout, max_retries: int | None, deadline: Deadline = None
) -> dict[str, Any]:
    """httpx ``request()`` arguments for a call's own timeout, retries and deadline (None: the
    client's timeout and retries; no deadline).

    Raises:
        RequestValidationError: a timeout that is not a positive number of seconds (nor an
            ``httpx.Timeout``), retries that are not an int of at least 0, or a deadline that
            is not a positive number of seconds.
    """
    options: dict[str, Any] = {"extensions": {}}
    if timeout is not None:
        options["timeout"] = _validation.timeout(timeout)
    if max_retries is not None:
        options["extensions"][RETRY_EXTENSION] = _validation.retries("max_retries", max_retries)
    if deadline is not None:
        options["extensions"][DEADLINE_EXTENSION] = _validation.seconds("deadline", deadline)
    return options


class _transport_errors:
    """Turn httpx's request exceptions (no answer, or an answer httpx could not read: a broken
    compressed body, a redirect loop) into the SDK's TransportError tree."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> None:
        if isinstance(error, DeadlineExceeded):
            raise RequestTimeoutError(
                f"OCP did not answer in time: {error}", request=_request_of(error)
            ) from error
        if isinstance(error, httpx.TimeoutException):
            raise RequestTimeoutError(
                f"OCP did not answer in time: {type(error).__name__}", request=_request_of(error)
            ) from error
        if isinstance(error, UnusableRedirect):
            raise TransportError(
                f"OCP's answer cannot be used: {error}", request=_request_of(error)
            ) from error
        if isinstance(error, httpx.RequestError):
            raise TransportError(
                f"no answer from OCP: {type(error).__name__}: {error}", request=_request_of(error)
            ) from error
        if isinstance(error, httpx.InvalidURL | UnicodeError):
            # A URL httpx built from the answer (a redirect's Location, on a transport that is
            # not the SDK's retry transport, which checks it first): idna's errors are
            # UnicodeErrors, and neither is an httpx.RequestError.
            raise TransportError(
                f"OCP's answer cannot be used: {type(error).__name__}: {error}"
            ) from error


def _request_of(error: httpx.RequestError) -> httpx.Request | None:
    try:
        return error.request
    except RuntimeError:  # httpx raises when the exception carries no request
        return None


def _http_status(code: int) -> HTTPStatus | int:
    """``HTTPStatus(code)``, or ``code`` itself when HTTPStatus has no such member (520)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code
