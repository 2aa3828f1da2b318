"""The ``ocp-backup`` command line (``ocp_client.cli``) against real HTTP servers on 127.0.0.1:
``tasks``, the conventions every command follows, and the shared test fixtures
(``test_cli_check.py``, ``test_cli_now.py`` and ``test_cli_conventions.py`` import them).

A stub OCP in a thread serves the reference sample's tasks and generated ones page by page and
records every request as it arrived (raw query, headers), so that what the command sends
(percent-encoded times, credentials) is checked on the server side; AccessKey signatures are
verified by the independent implementation of ``tests/signing_server.py``. Time is fixed through
``main(clock=...)``: no assertion depends on how fast anything runs. What the command shows of a
task and the statuses it names are held to the spec (``spec_model``), read independently of the
generated model the command derives them from.
"""

from __future__ import annotations

import ast
import base64
import copy
import csv
import datetime
import enum
import functools
import importlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from dateutil.parser import isoparse

import ocp_client
import spec_model
from ocp_client import cli
from ocp_client.cli import output, times
from ocp_client.cli.commands import COMMANDS
from ocp_client.cli.commands import check as check_command
from ocp_client.cli.commands import tasks as tasks_command
from ocp_client.client import ENVIRONMENT
from ocp_client.models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask
from tests.conftest import REFERENCE_SAMPLE, SPEC_PATH
from tests.local_server import serving
from tests.signing_server import running_server

SAMPLE: dict[str, Any] = json.loads(REFERENCE_SAMPLE.read_text(encoding="utf-8"))
TEMPLATE: dict[str, Any] = SAMPLE["data"]["contents"][0]
CLUSTER = "1000005"
PLUS_8 = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2024, 5, 2, 12, 0, 0, tzinfo=PLUS_8)
USER = "dba-admin"
PASSWORD = "pw-Zq8vK2-never-shown"
KEY_ID = "AKIDcli01"
KEY_SECRET = "sk-Xy7wQ4-never-shown"
SECRETS = (PASSWORD, KEY_SECRET, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
# The table as people see it (the README's main job shows it too).
TABLE_HEADER = [
    "taskId",
    "status",
    "type",
    "mode",
    "backupSetId",
    "startTime",
    "finishTime",
    "duration",
]
# The operation the command lists, as the spec names it.
OPERATION_ID = "listDataBackupTasks"


def ocp_time(moment: datetime.datetime) -> str:
    """A time as OCP writes entity times: milliseconds, offset without colon."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def make_task(
    task_id: int,
    *,
    kind: str = "FULL_BACKUP",
    status: str = "DONE",
    finished: datetime.timedelta | None = None,
    error_msg: str | None = None,
) -> dict[str, Any]:
    """A task like the sample's; ``finished`` is how long before NOW it finished (it started
    10 minutes earlier); without it the task has no finishTime, as while it runs."""
    task = {**TEMPLATE, "taskId": task_id, "backupSetId": task_id, "dataBackupTaskType": kind}
    task["status"] = status
    del task["finishTime"]
    if finished is not None:
        task["finishTime"] = ocp_time(NOW - finished)
        task["startTime"] = ocp_time(NOW - finished - datetime.timedelta(minutes=10))
    else:
        task["startTime"] = ocp_time(NOW - datetime.timedelta(minutes=5))
    if error_msg is not None:
        task["errorMsg"] = error_msg
    return task


@dataclass
class Seen:
    """One request as the stub received it."""

    target: str
    headers: dict[str, str]

    @property
    def raw_query(self) -> dict[str, str]:
        """Query parameters exactly as sent, percent-encoding included."""
        pairs = (part.partition("=") for part in urlsplit(self.target).query.split("&") if part)
        return {key: value for key, _, value in pairs}

    @property
    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.target).query).items()}


@functools.cache
def example_answer(operation_id: str) -> dict[str, Any]:
    """The spec's (first) example answer of an operation: the vendor's reference sample."""
    media = spec().operation(operation_id).result.media
    assert media is not None
    answer: dict[str, Any] = spec().examples(media)[0]
    return answer


def overview(cluster: int, delay: int | None = 98) -> dict[str, Any]:
    """The reference sample's backup overview of ``cluster``, with a log backup delay."""
    body = copy.deepcopy(example_answer("getBackupOverview"))
    body["data"]["clusterId"] = cluster
    body["data"].pop("logBackupDelaySeconds", None)
    body["data"].pop("latestLogBackupCheckpoint", None)
    if delay is not None:
        body["data"]["logBackupDelaySeconds"] = delay
    return body


@dataclass
class Stub:
    """The running stub: tasks to serve (newest first) for every cluster, or per cluster in
    ``by_cluster``; the clusters it lists; each cluster's log backup delay; an error to answer
    instead (for every request, or for those whose target contains a key of ``errors``); the
    requests seen."""

    url: str
    tasks: list[dict[str, Any]] = field(default_factory=list)
    by_cluster: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    clusters: list[int] = field(default_factory=lambda: [int(CLUSTER)])
    delays: dict[int, int | None] = field(default_factory=dict)
    error: tuple[int, dict[str, Any]] | None = None
    errors: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, seen: Seen) -> tuple[int, dict[str, Any]]:
        path = urlsplit(seen.target).path
        if self.error is not None:
            return self.error
        for part, error in self.errors.items():
            if part in seen.target:
                return error
        if path == "/api/v2/ob/clusters":
            items = [
                {**example_answer("listClusters")["data"]["contents"][0], "id": cluster}
                for cluster in self.clusters
            ]
            return 200, self.page(items, int(seen.query["page"]), int(seen.query["size"]))
        cluster = int(path.split("/")[5])
        if path.endswith("/backup/overview"):
            return 200, overview(cluster, self.delays.get(cluster, 98))
        items = self.by_cluster.get(cluster, self.tasks)
        return 200, self.page(items, int(seen.query["page"]), int(seen.query["size"]))

    def page(self, items: list[dict[str, Any]], number: int, size: int) -> dict[str, Any]:
        size = min(size, 2000)
        body = copy.deepcopy(SAMPLE)
        body["data"] = {
            "contents": items[(number - 1) * size : number * size],
            "page": {
                "number": number,
                "size": size,
                "totalElements": len(items),
                "totalPages": -(-len(items) // size),
            },
        }
        return body


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
            with stub.lock:
                stub.seen.append(seen)
                status, document = stub.answer(seen)
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# Fixtures are named apart from their functions, so that test_cli_*.py import them without
# their parameters redefining the imported name.
@pytest.fixture(name="ocp")
def ocp_fixture() -> Iterator[Stub]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    stub = Stub(url=f"http://127.0.0.1:{httpd.server_address[1]}")
    stub.tasks = copy.deepcopy(SAMPLE["data"]["contents"])
    httpd.RequestHandlerClass = _handler(stub)
    with serving(httpd):
        yield stub


@pytest.fixture(autouse=True)
def no_ocp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own OCP_* variables must not reach the command under test."""
    for name in ENVIRONMENT.values():
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def dead_url() -> str:
    """A URL on which nothing listens: a port just bound and released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(name="run")
def run_fixture(capsys: pytest.CaptureFixture[str]) -> Run:
    """``main(argv)`` with the clock at NOW: (exit code, stdout, stderr)."""

    def invoke(*argv: str, clock: Callable[[], datetime.datetime] = lambda: NOW) -> Any:
        code = cli.main(list(argv), clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def basic(stub: Stub) -> list[str]:
    return ["--url", stub.url, "--user", USER, "--password", PASSWORD, "--retries", "0"]


def tasks(stub: Stub, *more: str) -> list[str]:
    return ["tasks", "--cluster", CLUSTER, *basic(stub), *more]


def check(stub: Stub, *more: str) -> list[str]:
    return ["check", "--cluster", CLUSTER, *basic(stub), *more]


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


# --- tasks: formats -----------------------------------------------------------------------


def test_table_has_the_header_and_aligned_rows(ocp: Stub, run: Run) -> None:
    code, out, err = run(*tasks(ocp))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == TABLE_HEADER
    assert len(lines) == 4
    assert len({len(line) for line in lines}) == 1, "columns are not aligned"
    assert lines[1].split() == [
        "23",
        "DONE",
        "FULL_BACKUP",
        "PHYSICAL_BACKUP",
        "23",
        "2021-09-16",
        "17:25:02+08:00",
        "2021-09-16",
        "17:25:05+08:00",
        "3s",
    ]
    assert lines[0].index("status") == lines[1].index("DONE")
    # Numbers are aligned right: the header ends where the number does.
    end = lines[0].index("backupSetId") + len("backupSetId")
    assert lines[1][end - 3 : end + 1] == " 23 "


def test_absent_fields_show_as_a_dash_or_an_empty_cell(ocp: Stub, run: Run) -> None:
    running = make_task(40, status="DOING")
    del running["backupSetId"]
    ocp.tasks = [running]
    code, out, _ = run(*tasks(ocp))
    assert code == 0
    cells = out.splitlines()[1].split()
    assert cells[:5] == ["40", "DOING", "FULL_BACKUP", "PHYSICAL_BACKUP", "-"]
    assert cells[-2:] == ["-", "-"], "no finishTime: no finish, no duration"
    code, out, _ = run(*tasks(ocp, "--format", "csv"))
    (printed,) = csv.DictReader(io.StringIO(out))
    assert printed["backupSetId"] == printed["finishTime"] == printed["errorMsg"] == ""
    assert printed["status"] == "DOING"


def test_an_empty_listing_is_a_header_or_an_empty_array(ocp: Stub, run: Run) -> None:
    ocp.tasks = []
    assert run(*tasks(ocp))[1].split() == TABLE_HEADER
    assert json.loads(run(*tasks(ocp, "--format", "json"))[1]) == []


def _same_task(printed: dict[str, Any], sent: dict[str, Any]) -> None:
    """The API's field names and values; times as the same instants (to_dict writes +08:00)."""
    assert printed.keys() == sent.keys()
    for name, value in sent.items():
        if name in ("startTime", "finishTime"):
            assert isoparse(printed[name]) == isoparse(value)
        else:
            assert printed[name] == value


def test_json_is_one_array_of_the_api_objects(ocp: Stub, run: Run) -> None:
    code, out, _ = run(*tasks(ocp, "--format", "json"))
    assert code == 0
    printed = json.loads(out)
    assert len(printed) == 3
    for got, sent in zip(printed, SAMPLE["data"]["contents"], strict=True):
        _same_task(got, sent)


def test_jsonl_is_one_object_a_line(ocp: Stub, run: Run) -> None:
    code, out, _ = run(*tasks(ocp, "--format", "jsonl"))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    for line, sent in zip(lines, SAMPLE["data"]["contents"], strict=True):
        _same_task(json.loads(line), sent)


def test_csv_has_a_header_and_one_row_a_task(ocp: Stub, run: Run) -> None:
    code, out, _ = run(*tasks(ocp, "--format", "csv"))
    assert code == 0
    reader = csv.DictReader(io.StringIO(out))
    # The CSV's contract: every property the spec gives the item, in the spec's order with the
    # required ones first, so that the header changes only when the spec does.
    item = item_model()
    required = [p.json_name for p in item.properties if p.required]
    optional = [p.json_name for p in item.properties if not p.required]
    assert reader.fieldnames == required + optional
    rows = list(reader)
    assert [row["taskId"] for row in rows] == ["23", "22", "21"]
    assert rows[0]["dataSecondaryBackupTaskIds"] == "14"
    assert rows[0]["errorMsg"] == ""
    assert isoparse(rows[0]["finishTime"]) == isoparse(TEMPLATE["finishTime"])


# --- what the command shows and names, held to the spec -------------------------------------


@functools.cache
def spec() -> spec_model.Spec:
    return spec_model.load(SPEC_PATH)


def item_model() -> spec_model.Model:
    """The item of the operation the command lists, as the spec defines it."""
    item = spec().operation(OPERATION_ID).result.item
    assert isinstance(item, spec_model.ModelType)
    return spec().models[item.name]


DATA = tasks_command.KINDS["data"]


def data_columns() -> list[output.Column]:
    return output.table_columns(
        DataBackupHistoryWrapperTask, DATA.fields, headers=DATA.headers, duration=DATA.duration
    )


def test_the_table_shows_fields_of_the_item_and_the_duration() -> None:
    assert set(DATA.fields) <= {p.json_name for p in item_model().properties}
    columns = data_columns()
    assert [column.header for column in columns] == TABLE_HEADER
    # Integers are aligned right, as the spec types them.
    integers = {
        p.json_name for p in item_model().properties if isinstance(p.type, spec_model.IntegerType)
    }
    aligned = {
        name
        for name, column in zip(DATA.fields, columns[: len(DATA.fields)], strict=True)
        if column.right
    }
    assert aligned == integers & set(DATA.fields)


def test_a_table_column_that_is_not_a_field_is_refused() -> None:
    with pytest.raises(LookupError, match="DataBackupHistoryWrapperTask has no field 'taskID'"):
        output.table_columns(DataBackupHistoryWrapperTask, ("taskId", "taskID"))


def cli_modules() -> list[Any]:
    """Every module of the command's package."""
    # Not __main__: importing it runs the command.
    names = [f"ocp_client.cli.{p.stem}" for p in CLI_DIR.glob("*.py") if p.stem != "__main__"]
    names += [
        f"ocp_client.cli.commands.{path.stem}" for path in (CLI_DIR / "commands").glob("*.py")
    ]
    return [importlib.import_module(name) for name in names]


CLI_DIR = Path(cli.__file__).parent


def _named_members() -> set[enum.Enum]:
    """The enum members the command names at module level, alone or in sets."""
    named: set[enum.Enum] = set()
    values = [value for module in cli_modules() for value in vars(module).values()]
    for value in values:
        members = value if isinstance(value, frozenset | set | tuple) else (value,)
        named |= {member for member in members if isinstance(member, enum.Enum)}
    return named


def test_every_status_the_command_names_is_in_the_spec_s_enum() -> None:
    named = _named_members()
    check = check_command
    assert {check.DONE, check.FAILED, check.FULL_BACKUP, *check.RUNNING} <= named
    for member in named:
        values = spec().enums[type(member).__name__].values
        assert member.value in values, f"{type(member).__name__}.{member.name}"
    # The enums the command names are those of the item's status and type.
    used = {p.type.name for p in item_model().properties if isinstance(p.type, spec_model.EnumType)}
    assert {type(member).__name__ for member in named} <= used
    assert not {check.DONE, check.FAILED} & check.RUNNING


def test_the_command_spells_no_enum_value_as_a_literal() -> None:
    """A status written as a string (``"DONE"``) would escape the test above: the command
    names enum members only."""
    values = {value for known in spec().enums.values() for value in known.values}
    values -= {"UNKNOWN"}  # also one of Nagios's states, which the check prints
    sources = [*CLI_DIR.glob("*.py"), *(CLI_DIR / "commands").glob("*.py")]
    assert len(sources) >= 10, "the package is not where the test looks"
    literals = {
        node.value
        for source in sources
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not literals & values


# --- tasks: pages, limit, filters ----------------------------------------------------------


def test_every_page_is_listed(ocp: Stub, run: Run) -> None:
    ocp.tasks = [make_task(i, finished=datetime.timedelta(hours=i)) for i in range(25, 0, -1)]
    code, out, _ = run(*tasks(ocp, "--format", "jsonl", "--page-size", "10"))
    assert code == 0
    assert [json.loads(line)["taskId"] for line in out.splitlines()] == list(range(25, 0, -1))
    # Pages after the first are requested together, so they may arrive in any order.
    assert sorted(seen.query["page"] for seen in ocp.seen) == ["1", "2", "3"]
    assert "startTime" not in ocp.seen[0].query and "endTime" not in ocp.seen[0].query


def test_limit_stops_the_listing(ocp: Stub, run: Run) -> None:
    ocp.tasks = [make_task(i, finished=datetime.timedelta(hours=i)) for i in range(25, 0, -1)]
    code, out, _ = run(*tasks(ocp, "--format", "jsonl", "--limit", "5"))
    assert code == 0
    assert [json.loads(line)["taskId"] for line in out.splitlines()] == [25, 24, 23, 22, 21]
    assert [(s.query["page"], s.query["size"]) for s in ocp.seen] == [("1", "5")]

    ocp.seen.clear()
    code, out, _ = run(*tasks(ocp, "--format", "jsonl", "--limit", "15", "--page-size", "10"))
    assert len(out.splitlines()) == 15
    assert [s.query["page"] for s in ocp.seen] == ["1", "2"]


def test_backup_set_is_sent(ocp: Stub, run: Run) -> None:
    assert run(*tasks(ocp, "--backup-set", "23"))[0] == 0
    assert ocp.seen[0].query["backupSetId"] == "23"


def test_iso_times_are_sent_percent_encoded_with_their_offset(ocp: Stub, run: Run) -> None:
    code, _, _ = run(
        *tasks(ocp, "--since", "2024-05-01T00:00:00+08:00", "--until", "2024-05-02T06:30:00Z")
    )
    assert code == 0
    raw = ocp.seen[0].raw_query
    assert raw["startTime"] == "2024-05-01T00%3A00%3A00%2B08%3A00"
    assert raw["endTime"] == "2024-05-02T06%3A30%3A00%2B00%3A00"


@pytest.mark.parametrize(
    ("since", "delta"),
    [
        ("26h", datetime.timedelta(hours=26)),
        ("7d", datetime.timedelta(days=7)),
        ("90m", datetime.timedelta(minutes=90)),
        ("2w", datetime.timedelta(weeks=2)),
        ("1d12h", datetime.timedelta(hours=36)),
    ],
)
def test_relative_since_ends_now(
    ocp: Stub, run: Run, since: str, delta: datetime.timedelta
) -> None:
    code, _, _ = run(*tasks(ocp, "--since", since))
    assert code == 0
    raw, query = ocp.seen[0].raw_query, ocp.seen[0].query
    assert raw["startTime"].endswith("%2B08%3A00") and raw["endTime"].endswith("%2B08%3A00")
    assert isoparse(query["startTime"]) == NOW - delta
    assert query["endTime"] == "2024-05-02T12:00:00+08:00"


def test_relative_until_and_microseconds_of_now(ocp: Stub, run: Run) -> None:
    clock = lambda: NOW.replace(microsecond=123456)  # noqa: E731
    assert run(*tasks(ocp, "--since", "7d", "--until", "1d"), clock=clock)[0] == 0
    query = ocp.seen[0].query
    assert query["startTime"] == "2024-04-25T12:00:00+08:00"
    assert query["endTime"] == "2024-05-01T12:00:00+08:00"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--since", "2024-05-01T00:00:00"], "no UTC offset"),
        (["--since", "2024-05-01"], "no UTC offset"),
        (["--since", "7x"], "expected an ISO 8601 time"),
        (["--until", "1d"], "--until needs --since"),
        (["--since", "1d", "--until", "2d"], "is after --until"),
        (["--since", "99999999999w"], "longer than this program can count"),
        (["--since", "999999d"], "too far in the past"),
        (["--limit", "0"], "positive integer"),
        (["--page-size", "2001"], "at most 2000"),
        (["--format", "xml"], "invalid choice"),
    ],
)
def test_bad_arguments_are_usage_errors(
    ocp: Stub, run: Run, argv: list[str], expected: str
) -> None:
    code, out, err = run(*tasks(ocp, *argv))
    assert code == 2
    assert out == ""
    assert expected in err
    assert ocp.seen == [], "nothing is sent on a usage error"


def test_progress_only_when_stderr_is_a_terminal(
    ocp: Stub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ocp.tasks = [make_task(i, finished=datetime.timedelta(hours=i)) for i in range(25, 0, -1)]
    code, _, err = run(*tasks(ocp, "--page-size", "10"))
    assert (code, err) == (0, "")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = run(*tasks(ocp, "--page-size", "10"))
    assert code == 0
    assert len(out.splitlines()) == 26
    line = "ocp-backup: 20 of 25 tasks read..."
    # One line with the total, rewritten after each full page while the next is read, then
    # blanked out. The total comes from a request of one item, made only for the line.
    first = "ocp-backup: 10 of 25 tasks read..."
    assert terminal.getvalue() == f"\r{first}\r{line}\r{' ' * len(line)}\r"
    assert ("1", "1") in [(s.query["page"], s.query["size"]) for s in ocp.seen]

    terminal.seek(0)
    terminal.truncate()
    assert run(*tasks(ocp, "--page-size", "10", "--limit", "5"))[0] == 0
    assert terminal.getvalue().strip() == "", "one page is not a long listing"


# --- tasks: errors ------------------------------------------------------------------------


ERROR_401 = {
    "successful": False,
    "status": 401,
    "traceId": "trace-401-abc",
    "error": {"code": 10001, "message": "authentication failed"},
}


def test_an_ocp_error_is_one_line_with_its_trace_id(ocp: Stub, run: Run) -> None:
    ocp.error = (401, ERROR_401)
    code, out, err = run(*tasks(ocp))
    assert code == 1
    assert out == ""
    assert err == (
        "ocp-backup: error: OCP answered HTTP 401 code 10001: authentication failed "
        "(traceId trace-401-abc)\n"
    )


def test_debug_adds_the_traceback_and_sdk_logging_but_no_secret(ocp: Stub, run: Run) -> None:
    ocp.error = (401, ERROR_401)
    code, out, err = run(*tasks(ocp, "--debug"))
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "ocp_client.cli DEBUG: OCP http://127.0.0.1:" in err
    assert f"Basic auth as {USER}" in err
    assert err.endswith("(traceId trace-401-abc)\n")
    assert_no_secret(out, err)


def test_a_response_outside_the_spec_names_the_field_and_trace_id(ocp: Stub, run: Run) -> None:
    ocp.tasks[0]["status"] = 5
    code, out, err = run(*tasks(ocp))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "data.contents[0].status" in err
    assert SAMPLE["traceId"] in err


def test_an_unreachable_server_is_one_line(dead_url: str, run: Run) -> None:
    argv = ["tasks", "--cluster", CLUSTER, "--url", dead_url, "--user", USER]
    code, out, err = run(*argv, "--password", PASSWORD, "--retries", "0", "--timeout", "5")
    assert code == 1
    assert out == ""
    assert err.startswith("ocp-backup: error: no answer from OCP: ConnectError")
    assert err.endswith(f"({dead_url})\n")
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(("retries", "attempts"), [("0", 1), ("1", 4)])
def test_retries_bound_a_listing_s_pages_too(
    dead_url: str, run: Run, retries: str, attempts: int
) -> None:
    """`--retries N`: N more tries of a request, and of a page after those (the walk's own
    budget), so that 0 ends a listing at its first error, as it ends a single request."""
    argv = ["tasks", "--cluster", CLUSTER, "--url", dead_url, "--user", USER, "--debug"]
    code, _, err = run(*argv, "--password", PASSWORD, "--retries", retries)
    assert code == 1
    assert err.count("failed (ConnectError)") == attempts, err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "no OCP URL"),
        (["--url", "ftp://x"], "http:// or https://"),
        (["--url", "http://127.0.0.1:1", "--user", "u"], "Basic auth needs both"),
        (["--url", "http://127.0.0.1:1"], "no credentials"),
        (["--url", "http://127.0.0.1:1", "--access-key-id", "k"], "needs both --access-key-id"),
    ],
)
def test_missing_configuration_is_a_usage_error(run: Run, argv: list[str], expected: str) -> None:
    code, out, err = run("tasks", "--cluster", CLUSTER, *argv)
    assert (code, out) == (2, "")
    assert expected in err


# --- connection and credentials ------------------------------------------------------------


def basic_header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_auth_is_sent(ocp: Stub, run: Run) -> None:
    assert run(*tasks(ocp))[0] == 0
    assert ocp.seen[0].headers["authorization"] == basic_header(USER, PASSWORD)


def test_environment_alone_configures_everything(
    ocp: Stub, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCP_URL", ocp.url)
    monkeypatch.setenv("OCP_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("OCP_ACCESS_KEY_SECRET", KEY_SECRET)
    monkeypatch.setenv("OCP_USERNAME", "env-user")
    monkeypatch.setenv("OCP_PASSWORD", "env-password")
    assert run("tasks", "--cluster", CLUSTER)[0] == 0
    # Both kinds in the environment: the AccessKey is used.
    assert ocp.seen[0].headers["authorization"].startswith(f"OCP-ACCESS-KEY-HMACSHA1 {KEY_ID}:")


def test_flags_override_the_environment(
    ocp: Stub, run: Run, monkeypatch: pytest.MonkeyPatch, dead_url: str
) -> None:
    monkeypatch.setenv("OCP_URL", dead_url)
    monkeypatch.setenv("OCP_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("OCP_ACCESS_KEY_SECRET", KEY_SECRET)
    monkeypatch.setenv("OCP_USERNAME", "env-user")
    monkeypatch.setenv("OCP_PASSWORD", PASSWORD)
    code, _, err = run("tasks", "--cluster", CLUSTER, "--url", ocp.url, "--user", "flag-user")
    assert (code, err) == (0, "")
    # Basic given by a flag beats the AccessKey of the environment; the password comes from it.
    assert ocp.seen[0].headers["authorization"] == basic_header("flag-user", PASSWORD)


def test_both_kinds_of_credentials_as_flags_are_refused(ocp: Stub, run: Run) -> None:
    argv = tasks(ocp, "--access-key-id", KEY_ID, "--access-key-secret", KEY_SECRET)
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert "not both" in err
    assert_no_secret(err)


def test_access_key_signature_verifies_on_the_server(run: Run) -> None:
    with running_server({KEY_ID: KEY_SECRET}) as server:
        server.success_body = REFERENCE_SAMPLE.read_bytes()
        argv = ["--url", server.url, "--access-key-id", KEY_ID, "--access-key-secret", KEY_SECRET]
        code, out, err = run("tasks", "--cluster", CLUSTER, *argv, "--since", "26h")
        received = server.last()
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 4
    assert received.verified
    authorization = dict(received.headers)["Authorization"]
    assert authorization.startswith(f"OCP-ACCESS-KEY-HMACSHA1 {KEY_ID}:")
    assert "startTime=2024-05-01T10%3A00%3A00%2B08%3A00" in received.target
    assert_no_secret(out, err)


def test_a_wrong_secret_leaks_nowhere_even_with_debug(run: Run) -> None:
    with running_server({KEY_ID: "the-right-secret"}) as server:
        argv = ["--url", server.url, "--access-key-id", KEY_ID, "--access-key-secret", KEY_SECRET]
        code, out, err = run("tasks", "--cluster", CLUSTER, *argv, "--debug")
        check_code, check_out, check_err = run("check", "--cluster", CLUSTER, *argv, "--debug")
    assert code == 1
    assert "HTTP 401 code 30004: bad credentials" in err
    assert "ocp_client.auth DEBUG: OCP AccessKey AKIDcli01 signs" in err
    assert check_code == 3
    assert check_out.startswith("UNKNOWN - cannot check cluster 1000005: OCP answered HTTP 401")
    assert_no_secret(out, err, check_out, check_err)


@pytest.mark.parametrize(
    "argv",
    [
        ["--password", PASSWORD, "part-of-the-password", "--url", "http://127.0.0.1:1"],
        [f"--password={PASSWORD}", "--timeout", "soon", "--url", "http://127.0.0.1:1"],
        ["--access-key-secret", KEY_SECRET, "--cluster", "x"],
        ["--url", f"http://admin:{PASSWORD}@127.0.0.1:1", "--user", USER],
    ],
)
def test_usage_errors_never_echo_a_secret(run: Run, argv: list[str]) -> None:
    for command, expected_code in (("tasks", 2), ("check", 3)):
        code, out, err = run(command, "--cluster", CLUSTER, *argv)
        assert code == expected_code
        assert "part-of-the-password" not in err + out
        assert_no_secret(out, err)


def test_a_secret_in_the_environment_is_hidden_too(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCP_PASSWORD", PASSWORD)
    code, out, err = run("tasks", "--cluster", CLUSTER, "--url", "http://127.0.0.1:1", PASSWORD)
    assert code == 2
    assert_no_secret(out, err)


def test_a_short_secret_is_hidden_only_where_it_stands_alone(ocp: Stub, run: Run) -> None:
    """Hiding a one-letter password everywhere would mangle every line (``htt***://``)."""
    ocp.tasks = [make_task(30, finished=hours(2))]
    argv = ["check", "--cluster", CLUSTER, "--url", ocp.url, "--user", USER, "--password", "p"]
    code, out, _ = run(*argv)
    summary = (
        "OK - newest full backup of cluster 1000005 finished 2h00m ago (task 30, backup set 30); "
        "log backup 1m38s behind"
    )
    assert (code, out.split(" | ")[0]) == (0, summary)
    code, _, err = run(*argv[:-1], "p", "p", "--max-age", "1h")
    assert code == 3
    assert "unrecognized arguments: 1 value (not shown: may be secret)" in err
    assert " p " not in err and not err.endswith(" p\n")


# --- check --------------------------------------------------------------------------------


def hours(value: float) -> datetime.timedelta:
    return datetime.timedelta(hours=value)


@pytest.mark.parametrize(
    ("served", "code", "line"),
    [
        pytest.param(
            [
                make_task(40, kind="INCREMENTAL_BACKUP", finished=hours(1)),
                make_task(30, finished=datetime.timedelta(hours=3, minutes=12)),
                make_task(20, finished=hours(27)),
            ],
            0,
            "OK - newest full backup of cluster 1000005 finished 3h12m ago "
            "(task 30, backup set 30); log backup 1m38s behind "
            "| age=11520s;93600;;0 log_delay=98s;1800;;0",
            id="ok",
        ),
        pytest.param(
            [make_task(30, finished=hours(30))],
            1,
            "WARNING - newest full backup of cluster 1000005 finished 1d06h ago "
            "(task 30, backup set 30), older than 26h; log backup 1m38s behind "
            "| age=108000s;93600;;0 log_delay=98s;1800;;0",
            id="too-old",
        ),
        pytest.param(
            [make_task(40, kind="INCREMENTAL_BACKUP", finished=hours(1))],
            1,
            "WARNING - no successful full backup of cluster 1000005; log backup 1m38s behind "
            "| age=U;93600;;0 log_delay=98s;1800;;0",
            id="none",
        ),
        pytest.param(
            [
                make_task(
                    31, status="FAILED", finished=hours(1), error_msg="disk full | no\nspace"
                ),
                make_task(30, finished=hours(25)),
            ],
            2,
            "CRITICAL - newest full backup task 31 of cluster 1000005 FAILED 1h00m ago: "
            "disk full / no space; last successful one finished 1d01h ago "
            "(task 30, backup set 30); log backup 1m38s behind "
            "| age=90000s;93600;;0 log_delay=98s;1800;;0",
            id="failed",
        ),
        pytest.param(
            [make_task(32, status="DOING"), make_task(30, finished=hours(2))],
            0,
            "OK - newest full backup of cluster 1000005 finished 2h00m ago "
            "(task 30, backup set 30); full backup task 32 is DOING; log backup 1m38s behind "
            "| age=7200s;93600;;0 log_delay=98s;1800;;0",
            id="running-after-done",
        ),
        pytest.param(
            [
                make_task(32, status="DOING"),
                make_task(31, status="FAILED", finished=hours(1)),
                make_task(30, finished=hours(2)),
            ],
            2,
            "CRITICAL - newest full backup task 31 of cluster 1000005 FAILED 1h00m ago; "
            "last successful one finished 2h00m ago (task 30, backup set 30); "
            "full backup task 32 is DOING; log backup 1m38s behind "
            "| age=7200s;93600;;0 log_delay=98s;1800;;0",
            id="running-after-failed",
        ),
        pytest.param(
            [make_task(31, status="CANCELED", finished=hours(1)), make_task(30, finished=hours(2))],
            0,
            "OK - newest full backup of cluster 1000005 finished 2h00m ago "
            "(task 30, backup set 30); full backup task 31 ended CANCELED; log backup 1m38s behind "
            "| age=7200s;93600;;0 log_delay=98s;1800;;0",
            id="canceled-after-done",
        ),
        pytest.param(
            [make_task(31, status="ARCHIVED", finished=hours(1)), make_task(30, finished=hours(2))],
            0,
            "OK - newest full backup of cluster 1000005 finished 2h00m ago "
            "(task 30, backup set 30); full backup task 31 ended ARCHIVED; log backup 1m38s behind "
            "| age=7200s;93600;;0 log_delay=98s;1800;;0",
            id="status-unknown-to-the-spec-counts-as-ended",
        ),
        pytest.param(
            [make_task(31, status="FAILED", finished=hours(1))],
            2,
            "CRITICAL - newest full backup task 31 of cluster 1000005 FAILED 1h00m ago; "
            "no successful full backup; log backup 1m38s behind "
            "| age=U;93600;;0 log_delay=98s;1800;;0",
            id="failed-only",
        ),
    ],
)
def test_check_states(
    ocp: Stub, run: Run, served: list[dict[str, Any]], code: int, line: str
) -> None:
    ocp.tasks = served
    assert run(*check(ocp, "--max-age", "26h")) == (code, line + "\n", "")
    assert "startTime" not in ocp.seen[0].query, "check reads every task"


def test_check_max_age_defaults_to_26h_and_takes_other_durations(ocp: Stub, run: Run) -> None:
    ocp.tasks = [make_task(30, finished=hours(30))]
    assert run(*check(ocp))[1].endswith(
        "older than 26h; log backup 1m38s behind | age=108000s;93600;;0 log_delay=98s;1800;;0\n"
    )
    code, out, _ = run(*check(ocp, "--max-age", "2d"))
    assert (code, out.split(" | ")[1]) == (0, "age=108000s;172800;;0 log_delay=98s;1800;;0\n")


def test_check_is_unknown_when_ocp_answers_an_error(ocp: Stub, run: Run) -> None:
    ocp.error = (500, {**ERROR_401, "status": 500, "traceId": "trace-500"})
    code, out, err = run(*check(ocp))
    assert code == 3
    assert out == (
        "UNKNOWN - cannot check cluster 1000005: OCP answered HTTP 500 code 10001: "
        "authentication failed (traceId trace-500)\n"
    )
    assert err == ""


def test_check_is_unknown_when_ocp_is_unreachable(dead_url: str, run: Run) -> None:
    argv = ["--url", dead_url, "--user", USER, "--password", PASSWORD, "--retries", "0"]
    code, out, _ = run("check", "--cluster", CLUSTER, *argv)
    assert code == 3
    assert out.startswith("UNKNOWN - cannot check cluster 1000005: no answer from OCP")
    assert out.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--url", "http://127.0.0.1:1"], "UNKNOWN - bad configuration: no credentials"),
        ([], "UNKNOWN - bad configuration: no OCP URL"),
        (["--max-age", "0h"], "UNKNOWN - bad command line: argument --max-age"),
        (["--max-age", "1y"], "UNKNOWN - bad command line: argument --max-age"),
        (["--max-age", "99999999999w"], "UNKNOWN - bad command line: argument --max-age"),
        (["--bogus"], "UNKNOWN - bad command line: unrecognized arguments: --bogus"),
    ],
)
def test_check_is_unknown_on_bad_configuration(run: Run, argv: list[str], expected: str) -> None:
    code, out, _ = run("check", "--cluster", CLUSTER, *argv)
    assert code == 3
    assert out.startswith(expected)
    assert out.count("\n") == 1


def test_check_with_a_bad_cluster_is_unknown(run: Run) -> None:
    code, out, err = run("check", "--cluster", "x")
    assert code == 3
    assert out.startswith("UNKNOWN - bad command line: argument --cluster: expected a positive")
    assert "usage: ocp-backup check" in err


# --- parsing helpers ----------------------------------------------------------------------


def test_relative_times_are_exact_durations_across_dst() -> None:
    """26h before a time just after a DST change is 26 real hours, not 26 wall-clock hours."""
    berlin = datetime.timezone(datetime.timedelta(hours=2))  # CEST, after 2024-03-31 02:00
    now = datetime.datetime(2024, 3, 31, 12, 0, tzinfo=berlin)
    since = times.resolve_time(cli.parse_time("26h"), now)
    assert now - since == datetime.timedelta(hours=26)
    assert since.utcoffset() == now.utcoffset()


def test_parse_time_keeps_the_offset_it_was_given() -> None:
    parsed = cli.parse_time("2021-09-16T17:25:05.943+0800")
    assert isinstance(parsed, datetime.datetime)
    assert parsed.isoformat() == "2021-09-16T17:25:05.943000+08:00"
    assert times.resolve_time(cli.parse_time("now"), NOW) == NOW


def test_human_duration() -> None:
    assert [times.human_duration(s) for s in (0, 45, 725, 11520, 183600, -5)] == [
        "0s",
        "45s",
        "12m05s",
        "3h12m",
        "2d03h",
        "0s",
    ]


# --- the installed command ----------------------------------------------------------------


def test_help_and_version_import_little_beyond_the_sdk_package() -> None:
    """``--help`` costs little more than ``import ocp_client``: no asyncio, no dateutil, no
    importlib.metadata, no operation module, no models (issue 11 measures the time); beyond
    the standard library, only the command's own modules, the SDK's defaults and two enums
    (httpx: the next test)."""
    program = (
        "import contextlib, io, json, sys\n"
        "import ocp_client\n"
        "before = set(sys.modules)\n"
        "from ocp_client import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    helps = ([], ['tasks'], ['check'], ['now'])\n"
        "    codes = [cli.main([*argv, '--help']) for argv in helps]\n"
        "    codes.append(cli.main(['--version']))\n"
        "print(json.dumps([codes, out.getvalue(), sorted(set(sys.modules) - before)]))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    codes, text, imported = json.loads(shown.stdout)
    assert codes == [0, 0, 0, 0, 0]
    assert f"ocp-backup {ocp_client.__version__}" in text
    for name in ENVIRONMENT.values():
        assert name in text
    heavy = ("asyncio", "dateutil", "importlib.metadata", "attr", "ocp_client.api", "ocp_client._")
    light = "ocp_client._config"  # names and defaults, no imports
    assert [name for name in imported if name.startswith(heavy) and name != light] == []
    package = {name for name in imported if name.startswith("ocp_client.cli")}
    assert package >= {"ocp_client.cli.app", *(command.__name__ for command in COMMANDS)}
    beyond = {name for name in set(imported) - package
              if name.partition(".")[0] not in sys.stdlib_module_names}  # fmt: skip
    assert beyond <= {
        light,
        "ocp_client.models",
        "ocp_client.models.data_backup_task_status",
        "ocp_client.models.data_backup_task_type",
    }


# What --help and a bad command line must not import: httpx (and what it brings), and the SDK's
# modules that import it. Issue 11 measures the time; this holds the cause of it.
HTTP_STACK = ("httpx", "httpcore", "h11", "anyio", "ssl", "ocp_client.client", "ocp_client.auth",
              "ocp_client.errors", "ocp_client.retry")  # fmt: skip


def _http_stack(modules: list[str]) -> list[str]:
    return [name for name in modules if name.startswith(HTTP_STACK)]


def test_help_and_a_bad_command_line_import_no_httpx() -> None:
    """In a fresh interpreter: each --help, --version and argument errors of each kind (an
    unknown option, a bad value, a missing option, check's UNKNOWN) run without importing
    httpx or the SDK's client; the first use of ``ocp_client.Client`` then imports them."""
    argvs = [["--help"], *([command.NAME, "--help"] for command in COMMANDS), ["--version"],
             ["tasks", "--bogus"], ["tasks", "--cluster", "x"], ["now"],
             ["check", "--max-age", "soon"]]  # fmt: skip
    program = (
        "import contextlib, io, json, sys\n"
        "from ocp_client import cli\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    codes = [cli.main(argv) for argv in {argvs!r}]\n"
        "before = sorted(sys.modules)\n"
        "import ocp_client\n"
        "ocp_client.Client\n"
        "print(json.dumps([codes, before, sorted(sys.modules)]))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    codes, before, after = json.loads(shown.stdout)
    assert codes == [0, 0, 0, 0, 0, 2, 2, 2, 3]
    assert _http_stack(before) == []
    assert {"httpx", "ocp_client.client"} <= set(_http_stack(after))  # the guard can see them


def test_the_console_script_s_help_imports_no_httpx() -> None:
    """The installed ``ocp-backup --help`` itself, its imports listed by Python
    (``PYTHONPROFILEIMPORTTIME``: one stderr line per module imported)."""
    script = Path(sys.executable).parent / "ocp-backup"
    shown = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60, check=True,
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
    )  # fmt: skip
    imported = [line.rpartition("|")[2].strip() for line in shown.stderr.splitlines()]
    assert "ocp_client.cli.app" in imported and "examples:" in shown.stdout
    assert _http_stack(imported) == []


def test_console_script_runs_and_exits_with_main_s_code(dead_url: str) -> None:
    script = Path(sys.executable).parent / "ocp-backup"
    assert script.exists(), "the console script is not installed: pip install -e ."
    shown = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert shown.returncode == 0
    assert "tasks" in shown.stdout and "check" in shown.stdout and "now" in shown.stdout
    assert "examples:" in shown.stdout

    unreachable = ["--cluster", CLUSTER, "--url", dead_url, "--user", USER, "--retries", "0"]
    checked = subprocess.run(
        [str(script), "check", *unreachable, "--password", PASSWORD],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 3
    assert checked.stdout.startswith("UNKNOWN - cannot check cluster 1000005")

    as_module = subprocess.run(
        [sys.executable, "-m", "ocp_client.cli", "tasks"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert as_module.returncode == 2
    assert "the following arguments are required: --cluster" in as_module.stderr


def test_a_failure_to_write_the_output_is_one_line_not_a_traceback(ocp: Stub) -> None:
    ocp.tasks = [make_task(i, finished=datetime.timedelta(hours=i)) for i in range(3, 0, -1)]
    script = Path(sys.executable).parent / "ocp-backup"
    with open("/dev/full", "w") as full:  # every write fails: "No space left on device"
        written = subprocess.run(
            [str(script), *tasks(ocp, "--format", "jsonl")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert written.returncode == 1
    assert "Traceback" not in written.stderr
    assert written.stderr.strip().splitlines() == [
        "ocp-backup: error: OSError: [Errno 28] No space left on device"
    ]
