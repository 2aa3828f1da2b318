"""``ocp-backup``: a cluster's data backup tasks for DBAs, and a backup-freshness monitoring check.

Hand-written; ``pyproject.toml`` installs :func:`main` as the ``ocp-backup`` console script. It
is a thin shell over ``list_data_backup_tasks.sync_iter``: everything about HTTP, signing,
retries, pagination and validation stays in the SDK. What it shows of a task (columns) and which
statuses it tells apart come from the generated model and enums, not from lists of its own.

Synopsis::

    ocp-backup tasks --cluster ID [--since TIME] [--until TIME] [--backup-set N] [--limit N]
                     [--format table|json|jsonl|csv] [--page-size N] [CONNECTION] [--debug]
    ocp-backup check --cluster ID [--max-age AGE] [CONNECTION] [--debug]

    CONNECTION: [--url URL] [--timeout SECONDS] [--retries N]
                [--access-key-id ID --access-key-secret SECRET | --user NAME --password PASSWORD]

Each connection flag overrides its environment variable, the ones ``Client.from_env()`` reads
(``ocp_client.client.ENVIRONMENT``): ``OCP_URL``, ``OCP_ACCESS_KEY_ID``,
``OCP_ACCESS_KEY_SECRET``, ``OCP_USERNAME``, ``OCP_PASSWORD``. Secrets are better kept in the
environment: a command line is visible to every user of the host.

Exit codes of ``tasks``: 0 listed; 1 OCP answered with an error, answered something the spec does
not allow, or did not answer; 2 bad command line or configuration; 130 interrupted; 141 stdout
closed early (``| head``). Exit codes of ``check`` are Nagios's: 0 OK, 1 WARNING, 2 CRITICAL,
3 UNKNOWN; a bad command line is UNKNOWN too, because 2 would page someone for a typo.

Decisions:

- TIME is an ISO 8601 time with a UTC offset or ``Z``, a relative time (``90m``, ``26h``, ``7d``,
  ``2w``, combined as ``1d12h``: that long before now), or ``now``. A time without offset is
  refused: its instant would depend on the time zone of the host that runs the command, which
  for a cron job or a monitoring server is rarely the DBA's. Relative times are exact durations
  (a day is 24 hours, also across a DST change) and are sent in the host's local offset.
- OCP filters on both times or neither. ``--since`` alone ends the period now; ``--until`` alone
  is refused rather than given a start the user did not choose.
- ``check`` walks every task of the cluster, keeps the full backups (``FULL_BACKUP``), ignores
  those still running (:data:`RUNNING`: their outcome is unknown) and takes the newest of the
  others, newest meaning the highest task ID (OCP numbers tasks as it creates them). If that
  task FAILED: CRITICAL, even while a retry runs. Otherwise the newest DONE task decides: OK
  when it finished within ``--max-age``, WARNING when it is older or there is none. A CANCELED
  (or other ended) task newer than it, or a running one, is named in the line. A status the
  spec does not know yet (the set is open) counts as ended.
- ``table`` is for people: the fields of :data:`TABLE_FIELDS` (aligned, numbers to the right,
  times in the offset OCP sent) and the duration. ``json`` (one array) and ``jsonl`` (one object
  a line) carry every field under the API's own names (the model's ``to_dict()``, with the
  properties a newer OCP sends). ``csv`` has one column per field of the model, in the spec's
  order with the required fields first, so that its header changes only when the spec does.
- ``--help`` imports no more than it needs to print (no asyncio, no operation module, no
  models): monitoring runs the command often, and people read its help.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

import httpx

from . import __version__
from .auth import OcpAccessKeyAuth
from .client import DEFAULT_MAX_RETRIES, ENVIRONMENT, Client
from .errors import ApiError, OcpError, ResponseValidationError, TransportError

# The enums alone: small modules that import neither attrs nor the models' runtime.
from .models.data_backup_task_status import DataBackupTaskStatus
from .models.data_backup_task_type import DataBackupTaskType

if TYPE_CHECKING:
    from ._model import Model
    from .models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask

__all__ = ["main", "parse_duration", "parse_time"]

PROG = "ocp-backup"

EXIT_OK = 0
EXIT_OCP_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
_STATE_NAMES = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}

ENV_URL = ENVIRONMENT["url"]
ENV_ACCESS_KEY_ID = ENVIRONMENT["access_key_id"]
ENV_ACCESS_KEY_SECRET = ENVIRONMENT["access_key_secret"]
ENV_USERNAME = ENVIRONMENT["username"]
ENV_PASSWORD = ENVIRONMENT["password"]

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_AGE = "26h"

# Options whose value is a secret: their values are hidden from every message.
_SECRET_OPTIONS = ("--access-key-secret", "--password")
_HIDDEN = "***"

TABLE_FIELDS = (
    "taskId",
    "status",
    "dataBackupTaskType",
    "backupMode",
    "backupSetId",
    "startTime",
    "finishTime",
)
"""The fields of a task the table shows, by JSON name (the other formats show every field);
:func:`table_columns` refuses a name that is not a field of the model."""
# Short headers where the API's name would be the widest cell of its column.
_TABLE_HEADERS = {"dataBackupTaskType": "type", "backupMode": "mode"}
DURATION_HEADER = "duration"

FULL_BACKUP = DataBackupTaskType.FULL_BACKUP
"""The task type ``check`` watches."""
DONE = DataBackupTaskStatus.DONE
FAILED = DataBackupTaskStatus.FAILED
RUNNING = frozenset(
    {
        DataBackupTaskStatus.BEGINNING,
        DataBackupTaskStatus.INITIALIZING,
        DataBackupTaskStatus.DOING,
        DataBackupTaskStatus.CANCELING,
    }
)
"""Statuses of a task whose outcome is not known yet: ``check`` sets them aside. A StrEnum
member equals its value, so an open enum's plain strings compare as well."""

_DURATION = re.compile(r"(?:\d+[smhdw])+")
_DURATION_PART = re.compile(r"(\d+)([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_TIME_HINT = (
    "an ISO 8601 time with offset (2024-05-01T08:00:00+08:00, 2024-05-01T00:00:00Z), "
    "a relative time (90m, 26h, 7d, 2w: that long before now) or 'now'"
)

_log = logging.getLogger("ocp_client.cli")

T = TypeVar("T")
TimeSpec = datetime.datetime | datetime.timedelta

_CONNECTION_HELP = f"""\
connection (each flag overrides its environment variable):
  --url                                  {ENV_URL}
  --access-key-id, --access-key-secret   {ENV_ACCESS_KEY_ID}, {ENV_ACCESS_KEY_SECRET}
  --user, --password                     {ENV_USERNAME}, {ENV_PASSWORD}
  Keep secrets in the environment: a command line is visible to other users of the host.
"""

_TIMES_HELP = """\
times (--since, --until):
  ISO 8601 with offset: 2024-05-01T08:00:00+08:00, 2024-05-01T00:00:00Z (no offset: refused)
  relative, that long before now: 90m, 26h, 7d, 2w, 1d12h (s m h d w; a day is 24 h); or now
  --since alone ends the period now; --until alone is refused (OCP needs both or neither).
"""

_EXIT_CODES_HELP = """\
exit codes:
  tasks  0 listed, 1 OCP error or no answer, 2 bad command line or configuration,
         130 interrupted, 141 output closed early
  check  0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (OCP not asked or not answering, bad
         command line or configuration)
"""

_CHECK_DESCRIPTION = """\
Nagios-style check of a cluster's newest full data backup. Tasks still running are ignored;
of the others, the newest (highest task ID) decides: FAILED is CRITICAL; otherwise the newest
DONE one is OK when it finished within --max-age, WARNING when older or when there is none.
One line on stdout, with perfdata: age=<seconds>s;<max-age seconds>;;0 (U when unknown).
"""


# ---------------------------------------------------------------------------------------------
# Times and durations


def parse_duration(text: str) -> datetime.timedelta:
    """``90m``, ``26h``, ``7d``, ``2w``, ``1d12h`` (units s, m, h, d, w) as an exact duration.

    Units are lower case only, so that ``m`` can never be mistaken for months."""
    if not _DURATION.fullmatch(text):
        raise ValueError(f"expected a duration like 90m, 26h, 7d, 2w or 1d12h, not {text!r}")
    seconds = sum(
        int(number) * _UNIT_SECONDS[unit] for number, unit in _DURATION_PART.findall(text)
    )
    try:
        return datetime.timedelta(seconds=seconds)
    except OverflowError:  # argparse reports ValueError, not OverflowError, as a usage error
        raise ValueError(f"{text!r} is longer than this program can count") from None


def parse_time(text: str) -> TimeSpec:
    """A ``--since``/``--until`` value: an aware datetime, or a duration before now.

    ``now`` is the zero duration. A time without UTC offset raises ValueError."""
    if text == "now":
        return datetime.timedelta(0)
    if _DURATION.fullmatch(text):
        return parse_duration(text)
    from dateutil.parser import isoparse  # not at the top: --help needs none

    try:
        moment = isoparse(text)
    except (ValueError, OverflowError):
        raise ValueError(f"expected {_TIME_HINT}, not {text!r}") from None
    if moment.utcoffset() is None:
        raise ValueError(
            f"{text!r} has no UTC offset, so its instant depends on this host's time zone; "
            "add one (+08:00, Z) or give a relative time such as 26h"
        )
    return moment


def resolve_time(spec: TimeSpec, now: datetime.datetime) -> datetime.datetime:
    """The instant of a parsed time. Relative times are subtracted in UTC, so that ``26h`` is 26
    real hours across a DST change, and are expressed in the offset of ``now``."""
    if isinstance(spec, datetime.datetime):
        return spec
    return (now.astimezone(datetime.UTC) - spec).astimezone(now.tzinfo)


def _time_argument(text: str) -> TimeSpec:
    try:
        return parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class Duration(NamedTuple):
    """A duration as parsed, and as the user wrote it (for messages)."""

    delta: datetime.timedelta
    text: str


def _duration_argument(text: str) -> Duration:
    try:
        delta = parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if not delta:
        raise argparse.ArgumentTypeError("must be longer than zero")
    return Duration(delta, text)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, not {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, not {text!r}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, not {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, not {text!r}")
    return value


def _page_size(text: str) -> int:
    from ._pagination import MAX_PAGE_SIZE  # here: the page walker is not needed for --help

    value = _positive_int(text)
    if value > MAX_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"OCP serves at most {MAX_PAGE_SIZE} tasks a page")
    return value


def human_duration(seconds: float) -> str:
    """``45s``, ``12m05s``, ``3h12m``, ``2d03h``: two units at most, for a glance."""
    total = max(0, round(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def _local_now() -> datetime.datetime:
    return datetime.datetime.now().astimezone()


# ---------------------------------------------------------------------------------------------
# Command line


class _UsageError(Exception):
    """A bad command line or configuration. Raised instead of argparse's own exit so that
    ``main`` decides the exit code (``check`` must exit 3) and hides secrets first."""

    def __init__(self, message: str, parser: argparse.ArgumentParser | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message, self)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line. Options come after the command (``ocp-backup tasks --url ...``),
    so the first argument that is not an option always names the command."""
    common = _Parser(add_help=False, allow_abbrev=False)
    common.add_argument(
        "--cluster", required=True, type=_positive_int, metavar="ID", help="the cluster's ID"
    )
    connection = common.add_argument_group("connection")
    connection.add_argument("--url", metavar="URL", help=f"OCP's base URL (env {ENV_URL})")
    connection.add_argument(
        "--access-key-id", metavar="ID", help=f"AccessKey ID (env {ENV_ACCESS_KEY_ID})"
    )
    connection.add_argument(
        "--access-key-secret",
        metavar="SECRET",
        help=f"AccessKey secret (env {ENV_ACCESS_KEY_SECRET}, preferred)",
    )
    connection.add_argument(
        "--user", metavar="NAME", help=f"user for HTTP Basic auth (env {ENV_USERNAME})"
    )
    connection.add_argument(
        "--password", metavar="PASSWORD", help=f"its password (env {ENV_PASSWORD}, preferred)"
    )
    connection.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="for each of connect, read, write (default %(default)s)",
    )
    connection.add_argument(
        "--retries",
        type=_non_negative_int,
        default=DEFAULT_MAX_RETRIES,
        metavar="N",
        help="retries on connect errors, timeouts, 429, 502-504 (default %(default)s)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        help="tracebacks, and DEBUG logging of ocp_client on stderr (never secrets)",
    )

    parser = _Parser(
        prog=PROG,
        description="Data backup tasks of OceanBase clusters, from OCP's API.",
        epilog="\n".join([_CONNECTION_HELP, _TIMES_HELP, _EXIT_CODES_HELP]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    tasks = commands.add_parser(
        "tasks",
        parents=[common],
        help="list a cluster's data backup tasks",
        description="List a cluster's data backup tasks, all pages, newest first as OCP sends.",
        epilog="\n".join([_CONNECTION_HELP, _TIMES_HELP, _EXIT_CODES_HELP]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    tasks.add_argument(
        "--since", type=_time_argument, metavar="TIME", help="tasks started from TIME on"
    )
    tasks.add_argument(
        "--until", type=_time_argument, metavar="TIME", help="tasks started up to TIME"
    )
    tasks.add_argument("--backup-set", type=_positive_int, metavar="N", help="backup set ID")
    tasks.add_argument("--limit", type=_positive_int, metavar="N", help="stop after N tasks")
    tasks.add_argument(
        "--format",
        choices=("table", "json", "jsonl", "csv"),
        default="table",
        help="output format (default %(default)s)",
    )
    tasks.add_argument(
        "--page-size",
        type=_page_size,
        metavar="N",
        help="tasks per request (default: as many as OCP serves in one page)",
    )

    check = commands.add_parser(
        "check",
        parents=[common],
        help="monitoring check: is the newest full backup recent and not failed?",
        description=_CHECK_DESCRIPTION,
        epilog="\n".join([_CONNECTION_HELP, _EXIT_CODES_HELP]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    check.add_argument(
        "--max-age",
        type=_duration_argument,
        default=DEFAULT_MAX_AGE,
        metavar="AGE",
        help="oldest acceptable finish of the newest full backup, e.g. 26h, 7d "
        "(default %(default)s)",
    )
    return parser


def _option_values(arguments: Sequence[str], options: Iterable[str]) -> list[str]:
    """The values given to ``options`` (``--opt value`` and ``--opt=value``) in raw arguments."""
    names = tuple(options)
    values = []
    for index, argument in enumerate(arguments):
        name, equals, value = argument.partition("=")
        if name in names:
            if equals:
                values.append(value)
            elif index + 1 < len(arguments) and not arguments[index + 1].startswith("-"):
                values.append(arguments[index + 1])  # argparse takes no "-x" word as a value
    return values


def _hide_unrecognized(message: str) -> str:
    """argparse lists unrecognized arguments verbatim: ``--password my pass`` would print
    ``pass``. Show only option names; count the other words."""
    prefix = "unrecognized arguments: "
    if not message.startswith(prefix):
        return message
    words = message[len(prefix) :].split()
    shown = [word.partition("=")[0] for word in words if word.startswith("-")]
    hidden = len(words) - len(shown)
    parts = []
    if shown:
        parts.append(" ".join(shown))
    if hidden:
        parts.append(f"{hidden} value{'s' if hidden > 1 else ''} (not shown: may be secret)")
    return prefix + ", ".join(parts)


class _Redactor:
    """Replaces every known secret in a text with ``***``: the last line of defence for every
    message this module writes, whatever an error or a log record holds.

    A secret of ``_ANYWHERE`` characters or more is hidden wherever it occurs; a shorter one only
    where it stands on its own (no letter or digit next to it), or a password ``p`` would turn
    every message into ``htt***://...``."""

    _ANYWHERE = 8

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and secret not in self._secrets:
            self._secrets.add(secret)
            alternatives = [
                re.escape(known)
                if len(known) >= self._ANYWHERE
                else rf"(?<![^\W_]){re.escape(known)}(?![^\W_])"
                for known in sorted(self._secrets, key=len, reverse=True)
            ]
            self._pattern = re.compile("|".join(alternatives))

    def __call__(self, text: str) -> str:
        return text if self._pattern is None else self._pattern.sub(_HIDDEN, text)


class _RedactingFormatter(logging.Formatter):
    def __init__(self, redact: _Redactor) -> None:
        super().__init__("%(name)s %(levelname)s: %(message)s")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


@contextmanager
def _debug_logging(enabled: bool, redact: _Redactor) -> Iterator[None]:
    """DEBUG records of ``ocp_client`` on stderr for the duration of one command; the root
    logger and any handler the caller configured are left alone."""
    if not enabled:
        yield
        return
    logger = logging.getLogger("ocp_client")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter(redact))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


# ---------------------------------------------------------------------------------------------
# Connection


def _from(flag: str | None, environ: Mapping[str, str], name: str) -> str | None:
    """A flag's value, else its environment variable's; an empty variable counts as unset."""
    if flag is not None:
        return flag
    return environ.get(name) or None


def _base_url(args: argparse.Namespace, environ: Mapping[str, str]) -> str:
    url = _from(args.url, environ, ENV_URL)
    if url is None:
        raise _UsageError(f"no OCP URL: give --url or set {ENV_URL}")
    # Messages never repeat the URL: a mistyped one may hold a password.
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise _UsageError(f"--url/{ENV_URL} is not a valid URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise _UsageError(f"--url/{ENV_URL} must be an http:// or https:// URL with a host")
    if parsed.userinfo:
        raise _UsageError(
            f"--url/{ENV_URL} must not hold credentials: use an AccessKey or --user/--password"
        )
    return url


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port is not None else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def _auth(
    args: argparse.Namespace, environ: Mapping[str, str], redact: _Redactor
) -> tuple[httpx.Auth, str]:
    """AccessKey or Basic credentials, and what --debug may say about them.

    A kind given by flags wins over the environment; with both kinds only in the environment,
    the AccessKey is used (it sends nothing reusable)."""
    key_flags = args.access_key_id is not None or args.access_key_secret is not None
    basic_flags = args.user is not None or args.password is not None
    if key_flags and basic_flags:
        raise _UsageError(
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
            raise _UsageError(
                "an AccessKey needs both --access-key-id and --access-key-secret "
                f"(or {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET})"
            )
        try:
            return OcpAccessKeyAuth(key_id, key_secret), f"AccessKey {key_id}"
        except (TypeError, ValueError) as error:  # the messages name arguments, never values
            raise _UsageError(f"bad AccessKey: {error}") from None
    if user is None and password is None:
        raise _UsageError(
            "no credentials: give --access-key-id/--access-key-secret "
            f"({ENV_ACCESS_KEY_ID}/{ENV_ACCESS_KEY_SECRET}) or --user/--password "
            f"({ENV_USERNAME}/{ENV_PASSWORD})"
        )
    if user is None or password is None:
        raise _UsageError(
            f"Basic auth needs both --user and --password (or {ENV_USERNAME} and {ENV_PASSWORD})"
        )
    # What a log of request headers would show instead of the password.
    redact.add(base64.b64encode(f"{user}:{password}".encode()).decode("ascii"))
    return httpx.BasicAuth(user, password), f"Basic auth as {user}"


def _client(
    args: argparse.Namespace, environ: Mapping[str, str], redact: _Redactor
) -> tuple[Client, str]:
    """The SDK client the flags and environment describe, and its base URL."""
    url = _base_url(args, environ)
    auth, who = _auth(args, environ, redact)
    timeout: float = args.timeout
    retries: int = args.retries
    _log.debug("OCP %s, %s, timeout %s s, %d retries", _origin(url), who, timeout, retries)
    client = Client(base_url=url, auth=auth, timeout=httpx.Timeout(timeout), max_retries=retries)
    return client, url


def describe(error: BaseException, url: str | None = None) -> str:
    """One line for an error: what went wrong, with OCP's traceId when it sent one."""
    if isinstance(error, ApiError):
        text = f"OCP answered {error}"
    elif isinstance(error, ResponseValidationError):
        text = f"OCP's answer does not match the API: {error}"
    elif isinstance(error, TransportError | httpx.HTTPError):
        where = f" ({_origin(url)})" if url else ""
        text = f"{error}{where}"
    elif isinstance(error, OcpError):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Output: what each format shows of a model, from the model's fields


class Column(NamedTuple):
    """A column of the table: its header, its cell's text for an item, its alignment."""

    header: str
    cell: Callable[[Any], str]
    right: bool = False


def _cell_text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, list):
        return ";".join(str(item) for item in value) or "-"
    return str(value)


def _attribute_cell(attribute: str) -> Callable[[Any], str]:
    return lambda item: _cell_text(getattr(item, attribute))


def _duration_cell(start: str, finish: str) -> Callable[[Any], str]:
    def cell(item: Any) -> str:
        started, finished = getattr(item, start), getattr(item, finish)
        if started is None or finished is None:
            return "-"
        return human_duration((finished - started).total_seconds())

    return cell


def table_columns(model: type[Model], fields: Sequence[str]) -> list[Column]:
    """The table's columns: ``fields`` of ``model`` (JSON names), numbers aligned right, then the
    duration (from ``startTime`` to ``finishTime``) when the model has both.

    Raises:
        LookupError: a name is not a field of ``model``.
    """
    from . import _kinds  # the models' runtime

    by_name = {field.json_name: field for field in model.__ocp_fields__}
    columns = []
    for name in fields:
        field = by_name.get(name)
        if field is None:
            raise LookupError(f"{model.__name__} has no field {name!r}")
        right = isinstance(field.kind, _kinds.Integer | _kinds.Number)
        columns.append(Column(_TABLE_HEADERS.get(name, name), _attribute_cell(field.name), right))
    if "startTime" in by_name and "finishTime" in by_name:
        cell = _duration_cell(by_name["startTime"].name, by_name["finishTime"].name)
        columns.append(Column(DURATION_HEADER, cell, right=True))
    return columns


def csv_columns(model: type[Model]) -> tuple[str, ...]:
    """One column per field of ``model``, by JSON name, in the order of its ``__ocp_fields__``:
    the spec's, required fields first."""
    return tuple(field.json_name for field in model.__ocp_fields__)


def write_table(items: Iterable[Model], out: IO[str], columns: Sequence[Column]) -> None:
    rows = [
        tuple(column.header for column in columns),
        *(tuple(column.cell(item) for column in columns) for item in items),
    ]
    widths = [max(len(row[index]) for row in rows) for index in range(len(columns))]
    for row in rows:
        cells = (
            cell.rjust(width) if column.right else cell.ljust(width)
            for column, cell, width in zip(columns, row, widths, strict=True)
        )
        out.write("  ".join(cells).rstrip() + "\n")


def write_json(items: Iterable[Model], out: IO[str]) -> None:
    json.dump([item.to_dict() for item in items], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(items: Iterable[Model], out: IO[str]) -> None:
    for item in items:
        out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)


def write_csv(items: Iterable[Model], out: IO[str], columns: Sequence[str]) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        fields = item.to_dict()  # the JSON values: times in RFC 3339, enums as their values
        writer.writerow([_csv_cell(fields.get(column)) for column in columns])


def _writer(output_format: str, model: type[Model]) -> Callable[[Iterable[Model], IO[str]], None]:
    if output_format == "table":
        columns = table_columns(model, TABLE_FIELDS)
        return lambda items, out: write_table(items, out, columns)
    if output_format == "csv":
        names = csv_columns(model)
        return lambda items, out: write_csv(items, out, names)
    return write_json if output_format == "json" else write_jsonl


# ---------------------------------------------------------------------------------------------
# tasks


def _window(
    args: argparse.Namespace, now: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    since_spec: TimeSpec | None = args.since
    until_spec: TimeSpec | None = args.until
    if since_spec is None and until_spec is None:
        return None, None
    if since_spec is None:
        raise _UsageError(
            "--until needs --since: OCP filters on both times or neither "
            "(for everything up to --until, give an early --since)"
        )
    try:
        since = resolve_time(since_spec, now)
        until = now if until_spec is None else resolve_time(until_spec, now)
    except (OverflowError, ValueError):
        raise _UsageError("--since/--until is too far in the past") from None
    if since > until:
        raise _UsageError(f"--since ({since.isoformat()}) is after --until ({until.isoformat()})")
    return since, until


class _Progress:
    """``ocp-backup: 4000 tasks read...`` on stderr after each full page, while the next one is
    fetched, when stderr is a terminal: a listing of one page shows nothing."""

    def __init__(self, stream: IO[str], every: int, *, enabled: bool = True) -> None:
        self._stream = stream if enabled and stream.isatty() else None
        self._every = every
        self._width = 0

    def track(self, items: Iterable[T]) -> Iterator[T]:
        for count, item in enumerate(items, 1):
            yield item
            if self._stream is not None and count % self._every == 0:
                line = f"{PROG}: {count} tasks read..."
                self._width = max(self._width, len(line))
                self._stream.write(f"\r{line}")
                self._stream.flush()

    def clear(self) -> None:
        if self._stream is not None and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0


def _run_tasks(args: argparse.Namespace, now: datetime.datetime, redact: _Redactor) -> int:
    try:
        client, url = _client(args, os.environ, redact)
        since, until = _window(args, now.replace(microsecond=0))
    except _UsageError as error:
        _complain(redact(error.message))
        return EXIT_USAGE
    # Imported here, not at the top: the operation, the page walker and the models' runtime
    # (attrs) are not needed for --help (see the module docstring).
    from ._pagination import DEFAULT_CONCURRENCY, MAX_PAGE_SIZE
    from .api.backup import list_data_backup_tasks
    from .models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask

    cluster: int = args.cluster
    limit: int | None = args.limit
    page_size: int = args.page_size or MAX_PAGE_SIZE
    output_format: str = args.format
    write = _writer(output_format, DataBackupHistoryWrapperTask)
    buffered = output_format in ("table", "json")
    size = min(page_size, limit) if limit is not None else page_size
    # Under --limit, pages come one by one, so that none is fetched ahead only to be dropped.
    concurrency = 1 if limit is not None else DEFAULT_CONCURRENCY
    _log.debug("tasks of cluster %d from %s to %s, pages of %d", cluster, since, until, size)
    # Streamed rows on the same terminal would be overwritten by the progress line.
    progress = _Progress(sys.stderr, size, enabled=buffered or not sys.stdout.isatty())
    try:
        with client:
            items: Iterable[DataBackupHistoryWrapperTask] = progress.track(
                list_data_backup_tasks.sync_iter(
                    cluster,
                    client=client,
                    start_time=since,
                    end_time=until,
                    backup_set_id=args.backup_set,
                    size=size,
                    concurrency=concurrency,
                )
            )
            if limit is not None:
                items = islice(items, limit)
            if buffered:
                items = list(items)  # a failure part-way leaves no half table or array
                progress.clear()
            write(items, sys.stdout)
            sys.stdout.flush()
    except (OcpError, httpx.HTTPError) as error:
        progress.clear()
        _report(error, args.debug, redact, url)
        return EXIT_OCP_ERROR
    except KeyboardInterrupt:
        progress.clear()
        _complain("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:  # anything else (a full disk under stdout): one line, not a trace
        progress.clear()
        _report(error, args.debug, redact, url)
        return EXIT_OCP_ERROR
    progress.clear()
    return EXIT_OK


def _complain(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")


def _report(error: BaseException, debug: bool, redact: _Redactor, url: str | None) -> None:
    if debug:
        sys.stderr.write(redact("".join(traceback.format_exception(error))))
    _complain(redact(describe(error, url)))


def _silence_stdout() -> None:
    """After the reader of stdout went away (``| head``), point stdout at /dev/null so that
    Python's final flush does not raise a second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


# ---------------------------------------------------------------------------------------------
# check


def _one_line(text: str, limit: int = 200) -> str:
    """Text fit for a Nagios summary: one line, no ``|`` (which starts the perfdata)."""
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _set_text(task: DataBackupHistoryWrapperTask) -> str:
    if task.backup_set_id is None:
        return f"task {task.task_id}"
    return f"task {task.task_id}, backup set {task.backup_set_id}"


def evaluate(
    tasks: Iterable[DataBackupHistoryWrapperTask],
    *,
    cluster: int,
    now: datetime.datetime,
    max_age: datetime.timedelta,
    max_age_text: str,
) -> tuple[int, str]:
    """The check's state and summary line (with perfdata) for a cluster's tasks; the rule is in
    the module docstring."""
    full = [task for task in tasks if task.data_backup_task_type == FULL_BACKUP]
    running = [task for task in full if task.status in RUNNING]
    ended = [task for task in full if task.status not in RUNNING]
    done = [task for task in ended if task.status == DONE and task.finish_time is not None]
    newest_ended = max(ended, key=lambda task: task.task_id, default=None)
    newest_done = max(done, key=lambda task: task.task_id, default=None)
    newest_running = max(running, key=lambda task: task.task_id, default=None)

    age: datetime.timedelta | None = None
    done_text = ""
    if newest_done is not None and newest_done.finish_time is not None:
        age = max(now - newest_done.finish_time, datetime.timedelta(0))
        done_text = f"finished {human_duration(age.total_seconds())} ago ({_set_text(newest_done)})"
    limit_seconds = int(max_age.total_seconds())
    perfdata = f"age={'U' if age is None else f'{int(age.total_seconds())}s'};{limit_seconds};;0"

    reported = newest_done.task_id if newest_done is not None else -1
    notes = []
    if newest_ended is not None and newest_ended.status == FAILED:
        state = CRITICAL
        summary = f"newest full backup task {newest_ended.task_id} of cluster {cluster} FAILED"
        if newest_ended.finish_time is not None:
            failed_age = (now - newest_ended.finish_time).total_seconds()
            summary += f" {human_duration(failed_age)} ago"
        if newest_ended.error_msg is not None and newest_ended.error_msg.strip():
            summary += f": {_one_line(newest_ended.error_msg, 120)}"
        summary += (
            f"; last successful one {done_text}"
            if newest_done is not None
            else "; no successful full backup"
        )
        reported = newest_ended.task_id
    else:
        if newest_done is None or age is None:
            state = WARNING
            summary = f"no successful full backup of cluster {cluster}"
        elif age > max_age:
            state = WARNING
            summary = (
                f"newest full backup of cluster {cluster} {done_text}, older than {max_age_text}"
            )
        else:
            state = OK
            summary = f"newest full backup of cluster {cluster} {done_text}"
        if newest_ended is not None and newest_ended.task_id > reported:
            notes.append(f"full backup task {newest_ended.task_id} ended {newest_ended.status}")
    if newest_running is not None and newest_running.task_id > reported:
        notes.append(f"full backup task {newest_running.task_id} is {newest_running.status}")
    text = "; ".join([summary, *notes])
    return state, f"{_STATE_NAMES[state]} - {_one_line(text, 400)} | {perfdata}"


def _run_check(args: argparse.Namespace, now: datetime.datetime, redact: _Redactor) -> int:
    cluster: int = args.cluster
    max_age: Duration = args.max_age
    url: str | None = None
    try:
        client, url = _client(args, os.environ, redact)
        from .api.backup import list_data_backup_tasks  # not at the top: see --help

        with client:
            tasks = list(list_data_backup_tasks.sync_iter(cluster, client=client))
        state, line = evaluate(
            tasks,
            cluster=cluster,
            now=now,
            max_age=max_age.delta,
            max_age_text=max_age.text,
        )
    except _UsageError as error:
        state, line = UNKNOWN, f"UNKNOWN - bad configuration: {_one_line(error.message, 400)}"
    except KeyboardInterrupt:
        state, line = UNKNOWN, "UNKNOWN - interrupted"
    except Exception as error:  # any failure must be UNKNOWN: exit 1 would read as WARNING
        if args.debug:
            sys.stderr.write(redact("".join(traceback.format_exception(error))))
        reason = _one_line(describe(error, url), 400)
        state, line = UNKNOWN, f"UNKNOWN - cannot check cluster {cluster}: {reason}"
    print(redact(line))
    return state


# ---------------------------------------------------------------------------------------------
# main


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Callable[[], datetime.datetime] | None = None,
) -> int:
    """Run one command and return its exit code (the console script exits with it).

    ``clock`` returns the current time, timezone-aware; tests fix it. Relative times are
    expressed in its offset (by default the host's local one)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    redact = _Redactor(_option_values(arguments, _SECRET_OPTIONS))
    redact.add(os.environ.get(ENV_ACCESS_KEY_SECRET))
    redact.add(os.environ.get(ENV_PASSWORD))
    # The top-level parser takes no option with a value: the first other word is the command.
    command = next((word for word in arguments if not word.startswith("-")), None)
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except _UsageError as error:
        message = redact(_hide_unrecognized(error.message))
        used = error.parser or parser
        sys.stderr.write(redact(used.format_usage()))
        sys.stderr.write(f"{used.prog}: error: {message}\n")
        if command == "check":
            print(f"UNKNOWN - bad command line: {_one_line(message, 400)}")
            return UNKNOWN
        return EXIT_USAGE
    except SystemExit as stop:  # --help, --version
        return stop.code if isinstance(stop.code, int) else EXIT_OK

    now = (clock or _local_now)()
    if now.utcoffset() is None:
        raise ValueError("clock() must return a timezone-aware datetime")
    debug: bool = args.debug
    with _debug_logging(debug, redact):
        if args.command == "check":
            return _run_check(args, now, redact)
        return _run_tasks(args, now, redact)


if __name__ == "__main__":
    sys.exit(main())
