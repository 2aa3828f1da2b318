"""Credentials as OCP checks them: HTTP Basic and AccessKey signatures.

The signature follows the spec's `ocpAccessKey` security scheme: seven fields joined by `\\n`
(method, upper-case hex MD5 of the body or "", Content-Type as sent, Date as sent, Host as sent,
the `x-ocp*` headers sorted, the path with its RFC 3986 encoded sorted query), HMAC-SHA1 with the
secret, Base64. `Date` must be within 15 minutes of the server's clock.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import email.utils
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

SIGNATURE_ALGORITHM = "OCP-ACCESS-KEY-HMACSHA1"
MAX_CLOCK_SKEW = datetime.timedelta(minutes=15)

#: The AccessKey of the spec's published test vector, accepted by default.
VECTOR_ACCESS_KEY = ("cqammmxBpfGjFlto", "2fc0c299cc94c6be266f2ceece765d4d")

NOT_AUTHENTICATED = 30000
BAD_CREDENTIALS = 30004
NOT_PERMITTED = 30014


def rfc3986(text: str) -> str:
    """Percent-encode everything but `A-Z a-z 0-9 - . _ ~`, upper-case hex."""
    return quote(text, safe="")


def canonical_resource(path: str, query: Iterable[tuple[str, str]]) -> str:
    """Field 7: the path, then `?` and the non-empty parameters sorted by key, RFC 3986 encoded.

    The spec says "sorted by key": the values of a repeated key (an array parameter) keep the
    order they came in (a stable sort), as the SDK signs them; the spec does not say more."""
    pairs = sorted(((rfc3986(k), rfc3986(v)) for k, v in query if v != ""), key=lambda kv: kv[0])
    if not pairs:
        return path
    return path + "?" + "&".join(f"{k}={v}" for k, v in pairs)


def string_to_sign(
    *,
    method: str,
    body: bytes,
    content_type: str,
    date: str,
    host: str,
    headers: Sequence[tuple[str, str]],
    path: str,
    query: Iterable[tuple[str, str]],
) -> str:
    """The seven fields of the spec's `ocpAccessKey` scheme, joined by newlines."""
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest().upper() if body else ""
    ocp: dict[str, list[str]] = {}
    for name, value in headers:  # in the order sent
        if name.lower().startswith("x-ocp"):
            ocp.setdefault(name.lower(), []).append(value)
    ocp_lines = "\n".join(f"{name}:{','.join(values)}" for name, values in sorted(ocp.items()))
    fields = [method.upper(), digest, content_type, date, host, ocp_lines]
    return "\n".join([*fields, canonical_resource(path, query)])


def sign(secret: str, message: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


@dataclass(frozen=True)
class RequestView:
    """What authentication needs of a request, as it came off the wire."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass(frozen=True)
class Outcome:
    """The verdict: `status` 0 when the request may go on, else 401/403 with an OCP code."""

    status: int = 0
    code: int = 0
    message: str = ""
    principal: str = ""


@dataclass
class Credentials:
    """Who may call: Basic users and AccessKeys; `no_permission` names lack every permission."""

    users: dict[str, str] = field(default_factory=lambda: {"admin": "admin", "viewer": "viewer"})
    access_keys: dict[str, str] = field(default_factory=lambda: dict([VECTOR_ACCESS_KEY]))
    no_permission: set[str] = field(default_factory=lambda: {"viewer"})
    enabled: bool = True
    max_skew: datetime.timedelta = MAX_CLOCK_SKEW


_OK = Outcome()


class Authenticator:
    """Checks a request against the security requirements the spec gives its operation."""

    def __init__(self, credentials: Credentials, schemes: Mapping[str, Mapping[str, object]]):
        self.credentials = credentials
        self.schemes = schemes

    def check(
        self,
        request: RequestView,
        requirements: Sequence[Mapping[str, object]],
        now: datetime.datetime | None = None,
    ) -> Outcome:
        if not self.credentials.enabled or not requirements:
            return _OK
        if any(not requirement for requirement in requirements):  # `{}`: anonymous allowed
            return _OK
        authorization = request.header("Authorization")
        if not authorization:
            return Outcome(
                401, NOT_AUTHENTICATED, "Not authenticated: the request has no credentials."
            )
        failure: Outcome | None = None
        for requirement in requirements:
            outcome = _OK
            for name in requirement:
                outcome = self._check_scheme(request, authorization, self.schemes[name], now)
                if outcome.status:
                    break
            if not outcome.status:
                return self._permitted(outcome)
            if failure is None or outcome.code != NOT_AUTHENTICATED:
                failure = outcome
        assert failure is not None
        if failure.code == NOT_AUTHENTICATED:  # credentials of a scheme this operation refuses
            return Outcome(401, BAD_CREDENTIALS, "Bad credentials: unsupported authorization.")
        return failure

    def _permitted(self, outcome: Outcome) -> Outcome:
        if outcome.principal in self.credentials.no_permission:
            return Outcome(
                403, NOT_PERMITTED, f"No permission: {outcome.principal} may not call this API."
            )
        return outcome

    def _check_scheme(
        self,
        request: RequestView,
        authorization: str,
        scheme: Mapping[str, object],
        now: datetime.datetime | None,
    ) -> Outcome:
        kind = scheme.get("type")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            return self._basic(authorization)
        if (
            kind == "apiKey"
            and scheme.get("in") == "header"
            and scheme.get("name") == "Authorization"
        ):
            return self._access_key(request, authorization, now)
        return Outcome(401, NOT_AUTHENTICATED, "unsupported security scheme")

    def _basic(self, authorization: str) -> Outcome:
        kind, _, token = authorization.partition(" ")
        if kind.lower() != "basic":
            return Outcome(401, NOT_AUTHENTICATED, "not Basic")
        try:
            user, colon, password = base64.b64decode(token, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return Outcome(401, BAD_CREDENTIALS, "Bad credentials: malformed Basic authorization.")
        expected = self.credentials.users.get(user)
        if not colon or expected is None or not hmac.compare_digest(expected, password):
            return Outcome(401, BAD_CREDENTIALS, "Bad credentials: wrong user name or password.")
        return Outcome(principal=user)

    def _access_key(
        self, request: RequestView, authorization: str, now: datetime.datetime | None
    ) -> Outcome:
        kind, _, rest = authorization.partition(" ")
        if kind != SIGNATURE_ALGORITHM:
            return Outcome(401, NOT_AUTHENTICATED, f"not {SIGNATURE_ALGORITHM}")
        key_id, colon, signature = rest.partition(":")
        secret = self.credentials.access_keys.get(key_id)
        if not colon or secret is None:
            return Outcome(401, BAD_CREDENTIALS, "Bad credentials: unknown AccessKey.")
        date = request.header("Date")
        try:
            sent = email.utils.parsedate_to_datetime(date) if date else None
        except (TypeError, ValueError):
            sent = None
        if sent is None or sent.tzinfo is None:
            return Outcome(401, BAD_CREDENTIALS, "Bad credentials: missing or malformed Date.")
        now = now or datetime.datetime.now(datetime.UTC)
        if abs(now - sent) > self.credentials.max_skew:
            return Outcome(
                401,
                BAD_CREDENTIALS,
                "Bad credentials: the request's Date is more than 15 minutes from the server's.",
            )
        message = string_to_sign(
            method=request.method,
            body=request.body,
            content_type=request.header("Content-Type") or "",
            date=date or "",
            host=request.header("Host") or "",
            headers=request.headers,
            path=request.path,
            query=request.query,
        )
        if not hmac.compare_digest(sign(secret, message), signature):
            return Outcome(401, BAD_CREDENTIALS, "Bad credentials: signature mismatch.")
        return Outcome(principal=key_id)
