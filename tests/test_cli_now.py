"""``ocp-backup now``: start a backup, show its task ids, and with ``--wait`` wait for them.

Against the stand-in (tools/standin, in-process on 127.0.0.1) for what it serves: the backup
strategy, ``backUpNow`` (whose request body it validates against the spec) and
``getTaskInstance``. The paths it cannot show yet or on demand (a task that fails, a wait that
times out, a backup OCP refuses) run against a scripted server that answers each route with the
spec's own examples, changed where the test says so, and records the requests.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ocp_client.cli.commands import now as now_command
from standin import Credentials, StandIn
from tests.local_server import serving
from tests.test_cli import (  # noqa: F401 (fixtures)
    CLUSTER,
    Run,
    assert_no_secret,
    example_answer,
    no_ocp_environment,
    run_fixture,
)

USER, PASSWORD = "dba", "pw-now-Zq8vK2-never-shown"
FAST = ["--poll-interval", "0.01"]


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn(credentials=Credentials(users={USER: PASSWORD}), task_seconds=0.3) as server:
        yield server


def login(url: str) -> list[str]:
    return ["--url", url, "--user", USER, "--password", PASSWORD, "--retries", "0"]


# --- against the stand-in -----------------------------------------------------------------


def test_now_starts_a_full_backup_and_shows_its_task_ids(standin: StandIn, run: Run) -> None:
    code, out, err = run("now", "--cluster", CLUSTER, *login(standin.base_url))
    assert (code, err) == (0, "")
    # The stand-in validated the body against the spec (a 400 otherwise) and answered the ids.
    assert re.fullmatch(rf"FULL_BACKUP of cluster {CLUSTER} started: task \d+(, \d+)*\n", out)


def test_now_json_is_one_record_per_task(standin: StandIn, run: Run) -> None:
    code, out, _ = run("-o", "json", "now", "--cluster", CLUSTER, *login(standin.base_url))
    assert code == 0
    records = json.loads(out)
    assert records and all(isinstance(record["taskId"], int) for record in records)
    assert {record["dataBackupMode"] for record in records} == {"FULL_BACKUP"}
    assert {record["status"] for record in records} == {None}


def test_now_wait_against_the_stand_in_ends_with_the_task_s_status(
    standin: StandIn, run: Run
) -> None:
    """Whatever progression the stand-in serves for getTaskInstance, the wait ends with it
    SUCCESSFUL and shows subtasks done / total on stderr."""
    argv = ["now", "--cluster", CLUSTER, "--wait", "--timeout", "15", *FAST]
    code, out, err = run(*argv, *login(standin.base_url))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"FULL_BACKUP of cluster {CLUSTER} started: task ")
    finished = re.fullmatch(r"task (\d+) SUCCESSFUL, (\d+)/(\d+) subtasks done", lines[-1])
    assert finished is not None and finished[2] == finished[3]
    assert re.search(r"^ocp-backup: task \d+ \w+, \d+/\d+ subtasks done$", err, re.M)


# --- a scripted OCP -----------------------------------------------------------------------


class Scripted(ThreadingHTTPServer):
    """Answers ``(method, path)`` with its scripted replies in turn (the last one repeated);
    records each request's method, path and body."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[tuple[str, str], list[tuple[int, Any]]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def reply(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        with self.lock:
            self.requests.append((method, path, body))
            replies = self.routes.get((method, path))
            if not replies:
                return 404, {"successful": False, "status": 404, "error": {"code": 10002}}
            return replies.pop(0) if len(replies) > 1 else replies[0]


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        server: Scripted = self.server  # type: ignore[assignment]
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        status, document = server.reply(self.command, self.path.partition("?")[0], body)
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


STRATEGY_PATH = f"/api/v2/ob/clusters/{CLUSTER}/backup/config/backupStrategy"
NOW_PATH = f"/api/v2/ob/clusters/{CLUSTER}/backup/backupNow"
TASK_ID = 3000041
STORAGE_SECRET = "cos-secret-Hq2LmZ7-never-shown"


def strategy(**changes: Any) -> dict[str, Any]:
    """A backup strategy answer whose storage holds a COS secret (which must never show)."""
    data = {
        "id": 1,
        "clusterId": int(CLUSTER),
        "backupMode": "PHYSICAL_BACKUP",
        "obBackupServiceStorageConfig": {
            "configName": "nfs-main",
            "alarmStoragePercentageThreshold": 90,
            "obBackupStorageBaseInfo": {
                "backupStorageType": "BACKUP_STORAGE_COS",
                "storageUrl": "cos://bucket/ob",
                "cosAccessKey": {
                    "accessKeyId": "AKIDcos",
                    "accessKeySecret": STORAGE_SECRET,
                    "appId": "1250000000",
                    "endpoint": "cos.example.com",
                },
            },
        },
        **changes,
    }
    return {**example_answer("backUpNow"), "data": {k: v for k, v in data.items() if v}}


def started(task_ids: list[int], *, successful: bool = True, hint: str | None = None) -> Any:
    answer = copy.deepcopy(example_answer("backUpNow"))
    result = answer["data"]["backupObjectOpsResultList"][0]
    result["taskIdList"] = task_ids
    result["beSuccessful"] = successful
    if hint is not None:
        result["hint"] = hint
    return answer


def task(status: str, subtasks: list[str]) -> Any:
    """The spec's task instance example as task TASK_ID, with subtasks in these statuses."""
    answer = copy.deepcopy(example_answer("getTaskInstance"))
    data = answer["data"]
    template = data["subtasks"][0]
    data.update(id=TASK_ID, name="Backup cluster", status=status)
    data["subtasks"] = [
        {**template, "id": 100 + index, "name": f"step {index}", "status": each}
        for index, each in enumerate(subtasks)
    ]
    return answer


def log(text: str) -> Any:
    answer = copy.deepcopy(example_answer("getSubtaskInstanceLog"))
    answer["data"] = {"log": text}
    return answer


@pytest.fixture
def ocp() -> Iterator[Scripted]:
    with serving(Scripted()) as server:
        server.routes[("GET", STRATEGY_PATH)] = [(200, strategy())]
        server.routes[("POST", NOW_PATH)] = [(200, started([TASK_ID]))]
        yield server


def task_path(suffix: str = "") -> str:
    return f"/api/v2/tasks/instances/{TASK_ID}{suffix}"


def test_incremental_sends_the_strategy_s_storage_and_mode(ocp: Scripted, run: Run) -> None:
    code, out, err = run("now", "--cluster", CLUSTER, "--incremental", *login(ocp.url))
    assert (code, err) == (0, "")
    assert out == f"INCREMENTAL_BACKUP of cluster {CLUSTER} started: task {TASK_ID}\n"
    (body,) = [body for method, _, body in ocp.requests if method == "POST"]
    sent_storage = strategy()["data"]["obBackupServiceStorageConfig"]
    assert body == {
        "dataBackupMode": "INCREMENTAL_BACKUP",
        "backupMode": "PHYSICAL_BACKUP",
        "obBackupServiceStorageConfig": sent_storage,
    }


def test_wait_shows_progress_and_names_the_failed_subtask_with_its_log(
    ocp: Scripted, run: Run
) -> None:
    ocp.routes[("GET", task_path())] = [
        (200, task("RUNNING", ["SUCCESSFUL", "RUNNING", "PENDING"])),
        (200, task("RUNNING", ["SUCCESSFUL", "SUCCESSFUL", "RUNNING"])),
        (200, task("FAILED", ["SUCCESSFUL", "SUCCESSFUL", "FAILED"])),
    ]
    ocp.routes[("GET", task_path("/subtasks/102/log"))] = [
        (200, log("start\nwriting macro block\nERROR: backup dest is full\n"))
    ]
    code, out, err = run("now", "--cluster", CLUSTER, "--wait", *FAST, *login(ocp.url))
    assert code == now_command.EXIT_TASK_FAILED == 3
    assert out == f"FULL_BACKUP of cluster {CLUSTER} started: task {TASK_ID}\n"
    assert err.splitlines() == [
        f"ocp-backup: task {TASK_ID} RUNNING, 1/3 subtasks done",
        f"ocp-backup: task {TASK_ID} RUNNING, 2/3 subtasks done",
        f"ocp-backup: task {TASK_ID} FAILED, 2/3 subtasks done",
        f"ocp-backup: error: task {TASK_ID} 'Backup cluster' FAILED: subtask 102 'step 2' "
        "FAILED (log: ERROR: backup dest is full)",
    ]


def test_wait_succeeds_with_every_subtask_done(ocp: Scripted, run: Run) -> None:
    ocp.routes[("GET", task_path())] = [
        (200, task("RUNNING", ["SUCCESSFUL", "RUNNING"])),
        (200, task("SUCCESSFUL", ["SUCCESSFUL", "SUCCESSFUL"])),
    ]
    argv = ["-o", "jsonl", "now", "--cluster", CLUSTER, "--wait", *FAST, *login(ocp.url)]
    code, out, err = run(*argv)
    assert code == 0
    assert json.loads(out) == {
        "clusterId": int(CLUSTER),
        "dataBackupMode": "FULL_BACKUP",
        "taskId": TASK_ID,
        "status": "SUCCESSFUL",
    }
    assert err.splitlines()[-1] == f"ocp-backup: task {TASK_ID} SUCCESSFUL, 2/2 subtasks done"


def test_wait_gives_up_at_its_timeout(ocp: Scripted, run: Run) -> None:
    ocp.routes[("GET", task_path())] = [(200, task("RUNNING", ["RUNNING", "PENDING"]))]
    argv = ["now", "--cluster", CLUSTER, "--wait", "--timeout", "0.2", *FAST, *login(ocp.url)]
    code, _, err = run(*argv)
    assert code == now_command.EXIT_WAIT_TIMEOUT == 4
    assert f"task {TASK_ID} 'Backup cluster' did not end within the wait's 0.2 s" in err
    assert err.rstrip().endswith("last RUNNING, 0/2 subtasks done")


def test_a_backup_ocp_refuses_is_an_error_with_its_hint(ocp: Scripted, run: Run) -> None:
    ocp.routes[("POST", NOW_PATH)] = [
        (200, started([], successful=False, hint="a backup is already running"))
    ]
    code, out, err = run("now", "--cluster", CLUSTER, "--wait", *login(ocp.url))
    assert (code, out) == (1, "")
    assert err == (
        f"ocp-backup: error: OCP did not start the backup of cluster {CLUSTER}: "
        "a backup is already running\n"
    )
    assert not [path for _, path, _ in ocp.requests if path.startswith("/api/v2/tasks")]


def test_a_cluster_without_backup_storage_is_an_error(ocp: Scripted, run: Run) -> None:
    ocp.routes[("GET", STRATEGY_PATH)] = [(200, strategy(obBackupServiceStorageConfig=None))]
    code, out, err = run("now", "--cluster", CLUSTER, *login(ocp.url))
    assert (code, out) == (1, "")
    assert "backup strategy names no backup storage" in err
    assert [method for method, _, _ in ocp.requests] == ["GET"], "nothing was started"


def test_an_ocp_error_is_one_line(ocp: Scripted, run: Run) -> None:
    error = {"successful": False, "status": 403, "traceId": "t-403",
             "error": {"code": 10003, "message": "no permission"}}  # fmt: skip
    ocp.routes[("POST", NOW_PATH)] = [(403, error)]
    code, out, err = run("now", "--cluster", CLUSTER, *login(ocp.url))
    assert (code, out) == (1, "")
    assert (
        err
        == "ocp-backup: error: OCP answered HTTP 403 code 10003: no permission (traceId t-403)\n"
    )
    posts = [method for method, _, _ in ocp.requests if method == "POST"]
    assert posts == ["POST"], "backUpNow is never sent twice"


def test_debug_never_shows_the_storage_secret(ocp: Scripted, run: Run) -> None:
    ocp.routes[("GET", task_path())] = [(200, task("SUCCESSFUL", ["SUCCESSFUL"]))]
    argv = ["now", "--cluster", CLUSTER, "--wait", "--debug", *FAST, *login(ocp.url)]
    code, out, err = run(*argv)
    assert code == 0
    assert "ocp_client" in err, "--debug logs the SDK's records"
    assert STORAGE_SECRET not in out + err
    assert_no_secret(out, err)
    assert PASSWORD not in out + err
