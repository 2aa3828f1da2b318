"""Where OCP is and who calls it: the global options, each overriding its environment variable
(``ocp_client.client.ENVIRONMENT``, the variables ``Client.from_env()`` reads), and the SDK
client they describe.

A kind of credentials given by flags wins over the environment; with both kinds only in the
environment, the AccessKey is used (it sends nothing reusable). Secrets are better kept in the
environment: a command line is visible to every user of the host.

httpx and the SDK's client, auth and errors are imported where a command uses them, not at the
top: ``--help`` and a bad command line need none of them (``ocp_client._config`` holds the
names and defaults they show).
"""

from __future__ import annotations

import argparse
import base64
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, ENVIRONMENT
from .output import FORMATS
from .redact import Redactor

if TYPE_CHECKING:
    import httpx

    from .._pagination import WalkRetry
    from ..client import Client

__all__ = [
    "CONNECTION_HELP",
    "ENV_ACCESS_KEY_ID",
    "ENV_ACCESS_KEY_SECRET",
    "ENV_PASSWORD",
    "ENV_URL",
    "ENV_USERNAME",
    "UsageError",
    "add_global_options",
    "add_timeout_alias",
    "client_from",
    "describe",
    "origin",
    "walk_retry",
]

ENV_URL = ENVIRONMENT["url"]
ENV_ACCESS_KEY_ID = ENVIRONMENT["access_key_id"]
ENV_ACCESS_KEY_SECRET = ENVIRONMENT["access_key_secret"]
ENV_USERNAME = ENVIRONMENT["username"]
ENV_PASSWORD = ENVIRONMENT["password"]

DEFAULT_REQUEST_TIMEOUT = DEFAULT_TIMEOUT_SECONDS

CONNECTION_HELP = f"""\
connection (each flag overrides its environment variable; before or after the command):
  --url                                  {ENV_URL}
  --access-key-id, --access-key-secret   {ENV_ACCESS_KEY_ID}, {ENV_ACCESS_KEY_SECRET}
  --user, --password                     {ENV_USERNAME}, {ENV_PASSWORD}
  Keep secrets in the environment: a command line is visible to other users of the host.
"""

_log = logging.getLogger("ocp_client.cli")


class UsageError(Exception):
    """A bad command line or configuration. Raised instead of argparse's own exit so that
    ``main`` decides the exit code (``check`` must exit 3) and hides secrets first."""

    def __init__(self, message: str, parser: argparse.ArgumentParser | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.parser = parser


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, not {text!r}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, not {text!r}")
    return value


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, not {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, not {text!r}")
    return value


def add_global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """The options every command takes, before or after its name. They are added to the top
    parser (``defaults``: with their defaults) and to each command's parser without defaults
    (``SUPPRESS``), so that a value given before the command is not reset after it."""

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument(
        "--url", metavar="URL", default=default(None), help=f"OCP's base URL ({ENV_URL})"
    )
    group.add_argument(
        "--access-key-id",
        metavar="ID",
        default=default(None),
        help=f"AccessKey ID ({ENV_ACCESS_KEY_ID})",
    )
    group.add_argument(
        "--access-key-secret",
        metavar="SECRET",
        default=default(None),
        help=f"AccessKey secret ({ENV_ACCESS_KEY_SECRET}, preferred)",
    )
    group.add_argument(
        "--user",
        metavar="NAME",
        default=default(None),
        help=f"user for HTTP Basic auth ({ENV_USERNAME})",
    )
    group.add_argument(
        "--password",
        metavar="PASSWORD",
        default=default(None),
        help=f"its password ({ENV_PASSWORD}, preferred)",
    )
    group.add_argument(
        "--request-timeout",
        type=positive_seconds,
        default=default(DEFAULT_REQUEST_TIMEOUT),
        metavar="SECONDS",
        help=f"for each of connect, read, write of a request (default {DEFAULT_REQUEST_TIMEOUT:g})",
    )
    group.add_argument(
        "--retries",
        type=non_negative_int,
        default=default(DEFAULT_MAX_RETRIES),
        metavar="N",
        help="retries of a request on connect errors, timeouts, 429, 502-504, and of a "
        f"listing's page after those; 0 fails at the first error (default {DEFAULT_MAX_RETRIES})",
    )
    group.add_argument(
        "-o",
        "--output",
        "--format",
        dest="output",
        choices=FORMATS,
        default=default("table"),
        metavar="FORMAT",
        help="table, json, jsonl or csv (default table; --format: its older name)",
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=default(False),
        help="tracebacks, and DEBUG logging of ocp_client on stderr (never secrets)",
    )


def _from(flag: str | None, environ: Mapping[str, str], name: str) -> str | None:
    """A flag's value, else its environment variable's; an empty variable counts as unset."""
    if flag is not None:
        return flag
    return environ.get(name) or None


def _base_url(args: argparse.Namespace, environ: Mapping[str, str]) -> str:
    url = _from(args.url, environ, ENV_URL)
    if url is None:
        raise UsageError(f"no OCP URL: give --url or set {ENV_URL}")
    import httpx

    # Messages never repeat the URL: a mistyped one may hold a password.
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise UsageError(f"--url/{ENV_URL} is not a valid URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(f"--url/{ENV_URL} must be an http:// or https:// URL with a host")
    if parsed.userinfo:
        raise UsageError(
            f"--url/{ENV_URL} must not hold credentials: use an AccessKey or --user/--password"
        )
    return url


def origin(url: str) -> str:
    """Scheme, host and port of ``url``: what messages may say of it."""
    import httpx

    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port is not None else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def _auth(
    args: argparse.Namespace, environ: Mapping[str, str], redact: Redactor
) -> tuple[httpx.Auth, str]:
    """AccessKey or Basic credentials, and what --debug may say about them."""
    import httpx

    from ..auth import OcpAccessKeyAuth

    key_flags = args.access_key_id is not None or args.access_key_secret is not None
    basic_flags = args.user is not None or args.password is not None
    if key_flags and basic_flags:
        raise UsageError(
            "give either --access-key-id/--access-key-secret or --user/--password, not both"
        )
    key_id = _from(args.access_key_id, environ, ENV_ACCESS_KEY_ID)
    key_secret = _from(args.access_key_secret, environ, ENV_ACCESS_KEY_SECRET)
    user = _from(args.user, environ, ENV_USERNAME)
    password = _from(args.password, environ, ENV_PASSWORD)
    redact.add(key_secret)
    redact.add(password)
    use_key = key_flags or (not basic_flags and (key_id is not None or key_secret is not None))
    if use_key:
        if key_id is None or key_secret is None:
            raise UsageError(
                "an AccessKey needs both --access-key-id and --access-key-secret "
                f"(or {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET})"
            )
        try:
            return OcpAccessKeyAuth(key_id, key_secret), f"AccessKey {key_id}"
        except (TypeError, ValueError) as error:  # the messages name arguments, never values
            raise UsageError(f"bad AccessKey: {error}") from None
    if user is None and password is None:
        raise UsageError(
            "no credentials: give --access-key-id/--access-key-secret "
            f"({ENV_ACCESS_KEY_ID}/{ENV_ACCESS_KEY_SECRET}) or --user/--password "
            f"({ENV_USERNAME}/{ENV_PASSWORD})"
        )
    if user is None or password is None:
        raise UsageError(
            f"Basic auth needs both --user and --password (or {ENV_USERNAME} and {ENV_PASSWORD})"
        )
    # What a log of request headers would show instead of the password.
    redact.add(base64.b64encode(f"{user}:{password}".encode()).decode("ascii"))
    return httpx.BasicAuth(user, password), f"Basic auth as {user}"


def client_from(
    args: argparse.Namespace, environ: Mapping[str, str], redact: Redactor
) -> tuple[Client, str]:
    """The SDK client the flags and environment describe, and its base URL.

    Raises:
        UsageError: no URL, no credentials, or a bad one.
    """
    import httpx

    from ..client import Client

    url = _base_url(args, environ)
    auth, who = _auth(args, environ, redact)
    timeout: float = args.request_timeout
    retries: int = args.retries
    _log.debug("OCP %s, %s, timeout %s s, %d retries", origin(url), who, timeout, retries)
    client = Client(base_url=url, auth=auth, timeout=httpx.Timeout(timeout), max_retries=retries)
    return client, url


def add_timeout_alias(parser: argparse.ArgumentParser) -> None:
    """``--timeout``, the per-request timeout's name before ``--request-timeout``: kept for the
    commands that had it, not shown."""
    parser.add_argument(
        "--timeout",
        dest="request_timeout",
        type=positive_seconds,
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
    )


def walk_retry(args: argparse.Namespace) -> WalkRetry:
    """How a listing asks a failed page again: up to ``--retries`` times a page, so that
    ``--retries 0`` ends a listing at its first error as it ends a single request."""
    from .._pagination import DEFAULT_WALK_RETRY, WalkRetry

    retries: int = args.retries
    budget = DEFAULT_WALK_RETRY.max_retries if retries else 0
    return WalkRetry(page_retries=retries, max_retries=budget)


def describe(error: BaseException, url: str | None = None) -> str:
    """One line for an error: what went wrong, with OCP's traceId when it sent one."""
    import httpx

    from ..errors import ApiError, OcpError, ResponseValidationError, TransportError

    if isinstance(error, ApiError):
        text = f"OCP answered {error}"
    elif isinstance(error, ResponseValidationError):
        text = f"OCP's answer does not match the API: {error}"
    elif isinstance(error, TransportError | httpx.HTTPError):
        where = f" ({origin(url)})" if url else ""
        text = f"{error}{where}"
    elif isinstance(error, OcpError):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())
