"""OCP AccessKey request signing (``OCP-ACCESS-KEY-HMACSHA1``, OCP >= 4.0.3) as an ``httpx.Auth``.

Hand-written. Use it wherever httpx takes an ``auth``::

    Client(base_url=..., auth=OcpAccessKeyAuth(access_key_id, access_key_secret))

The rules are those of the ``ocpAccessKey`` security scheme in ``openapi/ocp.yaml``. Where that
text leaves a choice open, this module makes the request itself unambiguous, so that the message
it signs is the one any reading of the rules rebuilds from what the server receives:

- Header names (field 6) are signed in lower case, and ``x-ocp*`` headers are *sent* in lower
  case too, so it does not matter whether a server takes names as received or lower-cased.
  The published vector sends ``x-ocp-data`` and reproduces; ``X-Ocp-Data`` as sent would not.
- The query (field 7) is signed in RFC 3986 form, sorted by key, and the request's query is
  rewritten to exactly that string before it is sent: the server receives the bytes that were
  signed, ``+08:00`` arrives as ``%2B08%3A00``, and a parameter with an empty value, which the
  signature leaves out, is not sent either.
- In a query already written into a URL, ``+`` means a space, as httpx's ``params=`` writes
  spaces and as servers read them; a literal plus must be written ``%2B`` there (``params=``
  does that by itself).
- The path (field 7) is the path as sent on the request line, percent-encoding included.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Generator
from email.utils import formatdate
from typing import Self
from urllib.parse import unquote_to_bytes

import httpx

__all__ = ["SCHEME", "OcpAccessKeyAuth", "canonical_query", "string_to_sign"]

SCHEME = "OCP-ACCESS-KEY-HMACSHA1"
"""The scheme word of the ``Authorization`` header."""

DEFAULT_CONTENT_TYPE = "application/json"
"""Sent when a request has no Content-Type: OCP expects one on every request, GET included."""

_SIGNED_HEADER_PREFIX = "x-ocp"
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Printable ASCII without space or colon: the ID is written as "{id}:{signature}" in a header.
_ACCESS_KEY_ID = re.compile(r"[!-9;-~]+")

_log = logging.getLogger(__name__)


def _percent_encode(data: bytes) -> str:
    """RFC 3986 encoding with upper-case hex, written out rather than borrowed from
    ``urllib.parse.quote``, whose safe set has changed between Python versions."""
    return "".join(chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in data)


def _query_pairs(query: str) -> list[tuple[bytes, bytes]]:
    """The decoded (key, value) pairs of a raw query, in the order written; ``+`` is a space.

    Kept as bytes so that any query can be signed (no decoding error), and because the byte
    order of UTF-8 is the code point order of the text, sorting is the same either way."""
    pairs: list[tuple[bytes, bytes]] = []
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append(
                (unquote_to_bytes(key.replace("+", " ")), unquote_to_bytes(value.replace("+", " ")))
            )
    return pairs


def canonical_query(query: str | bytes) -> str:
    """The query as it is signed and sent: parameters with a non-empty value, sorted by key
    (parameters of one key keep the order written), each ``key=value`` in RFC 3986 encoding with
    upper-case hex, joined by ``&``. ``query`` is a raw query string without the ``?``."""
    text = query.decode("ascii") if isinstance(query, bytes) else query
    pairs = sorted(
        ((key, value) for key, value in _query_pairs(text) if value), key=lambda pair: pair[0]
    )
    return "&".join(f"{_percent_encode(key)}={_percent_encode(value)}" for key, value in pairs)


def _signed_headers(headers: httpx.Headers) -> str:
    """Field 6: ``x-ocp*`` headers by lower-case name, values of one name joined with ``,`` in
    the order sent."""
    values: dict[str, list[str]] = {}
    for name, value in headers.multi_items():  # names come lower-cased, values in order
        if name.startswith(_SIGNED_HEADER_PREFIX):
            values.setdefault(name, []).append(value)
    return "\n".join(f"{name}:{','.join(values[name])}" for name in sorted(values))


def _send_signed_header_names_lower_case(request: httpx.Request) -> None:
    """Rename ``x-ocp*`` headers to lower case, keeping every header's place and value."""
    prefix = _SIGNED_HEADER_PREFIX.encode("ascii")
    raw = request.headers.raw
    if any(name.lower().startswith(prefix) and name != name.lower() for name, _ in raw):
        request.headers = httpx.Headers(
            [
                (name.lower() if name.lower().startswith(prefix) else name, value)
                for name, value in raw
            ]
        )


def _send_canonical_query(request: httpx.Request) -> None:
    """Replace the request's query with ``canonical_query`` of it (no ``?`` when it is empty)."""
    query = canonical_query(request.url.query).encode("ascii")
    path = request.url.raw_path.split(b"?", 1)[0]
    if request.url.raw_path != (path + b"?" + query if query else path):
        request.url = request.url.copy_with(query=query or None)


def string_to_sign(request: httpx.Request) -> str:
    """The message that ``OcpAccessKeyAuth`` signs for ``request``.

    Public so that a signature mismatch can be investigated: the server rebuilds this string
    from what it receives. The query and the ``x-ocp*`` names are taken in the form
    ``OcpAccessKeyAuth`` sends them; a missing Date or Content-Type counts as empty (the auth
    sets both before it signs).
    """
    body = request.content
    path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
    query = canonical_query(request.url.query)
    host = request.headers.get("Host") or request.url.netloc.decode("ascii")
    return "\n".join(
        [
            request.method.upper(),
            # A checksum the scheme prescribes, not a protection (FIPS builds allow it so).
            hashlib.md5(body, usedforsecurity=False).hexdigest().upper() if body else "",
            request.headers.get("Content-Type", ""),
            request.headers.get("Date", ""),
            host,
            _signed_headers(request.headers),
            f"{path}?{query}" if query else path,
        ]
    )


class OcpAccessKeyAuth(httpx.Auth):
    """Signs each request with an OCP AccessKey pair (sync and async clients alike).

    Before signing, the request gets a ``Date`` (now, RFC 1123 GMT) and
    ``Content-Type: application/json`` unless it carries them already (a Date already present is
    signed as is, which is how tests fix the time; the server rejects one 15 minutes off), its
    ``x-ocp*`` header names are lower-cased and its query is rewritten to ``canonical_query``.

    The secret is kept only as a keyed HMAC state, never as an attribute, so neither ``repr()``
    nor ``vars()``-based printing nor a log line can show it.
    """

    requires_request_body = True  # the MD5 of the body is signed, so httpx must read it first

    def __init__(self, access_key_id: str, access_key_secret: str) -> None:
        # Messages name the argument, never its value: arguments passed in the wrong order
        # would otherwise print the secret.
        if not isinstance(access_key_id, str):
            raise TypeError(f"access_key_id must be a str, not {type(access_key_id).__name__}")
        if not _ACCESS_KEY_ID.fullmatch(access_key_id):
            raise ValueError("access_key_id must be printable ASCII, without spaces or ':'")
        if not isinstance(access_key_secret, str):
            raise TypeError(
                f"access_key_secret must be a str, not {type(access_key_secret).__name__}"
            )
        if not access_key_secret:
            raise ValueError("access_key_secret must not be empty")
        self._access_key_id = access_key_id
        self._mac = hmac.new(access_key_secret.encode("utf-8"), digestmod=hashlib.sha1)

    @property
    def access_key_id(self) -> str:
        return self._access_key_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(access_key_id={self._access_key_id!r})"

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        """The object never changes after ``__init__``, so a deep copy of a client's settings can
        share it; the keyed HMAC state itself cannot be copied by ``copy.deepcopy``."""
        return self

    def signature(self, message: str) -> str:
        """Base64 of HMAC-SHA1(secret, message), both UTF-8."""
        mac = self._mac.copy()  # the keyed state is shared; each signature works on a copy
        mac.update(message.encode("utf-8"))
        return base64.b64encode(mac.digest()).decode("ascii")

    def sign(self, request: httpx.Request) -> httpx.Request:
        """Complete ``request`` as described on the class and set its ``Authorization``, in
        place; returns it for convenience."""
        request.headers.setdefault("Date", formatdate(usegmt=True))
        request.headers.setdefault("Content-Type", DEFAULT_CONTENT_TYPE)
        _send_signed_header_names_lower_case(request)
        _send_canonical_query(request)
        message = string_to_sign(request)
        _log.debug("OCP AccessKey %s signs %r", self._access_key_id, message)
        request.headers["Authorization"] = (
            f"{SCHEME} {self._access_key_id}:{self.signature(message)}"
        )
        return request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        yield self.sign(request)
