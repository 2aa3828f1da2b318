"""The stand-in's state (tools/standin/state.py), over HTTP on 127.0.0.1 with plain httpx: its
clusters, a backup strategy's life, a backup's task and what it leaves behind, a failed backup,
a task's rollback, the tasks it knows (404 for others), a restore's recovery task, the overview
that follows the data, recent times, and its test credentials in ``--help``.

Every answer is validated against the spec's schema for its status. Tasks run in a fraction of a
second (``task_seconds``); each wait is a loop bounded in count and time.
"""

from __future__ import annotations

import copy
import datetime
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import spec_model as sm
from ocp_client import Client
from ocp_client.api.health import get_server_time
from standin import Credentials, StandIn
from standin.data import example_data
from standin.examples import first_example_body
from tests.contract.spec_schema import SpecSchemas, assert_valid
from tests.test_cli import Run, run_fixture  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent
SPEC = sm.load()
SCHEMAS = SpecSchemas()
OPS = {op.id: op for op in SPEC.operations}
CLUSTER = 1000005  # the reference samples' cluster
ADMIN = ("admin", "admin")
TASK_SECONDS = 0.4
# Operations under /clusters/{id}/ that change nothing: each answers for a listed cluster.
CLUSTER_READS = sorted(
    op.id for op in SPEC.operations if "/clusters/{id}/" in op.path and op.method == "GET"
)
# The operations on one task instance: those whose 404 is the spec's TaskNotFound.
TASK_OPS = sorted(
    op.id
    for op in SPEC.operations
    if op.raw.get("responses", {}).get("404", {}).get("$ref", "").endswith("/TaskNotFound")
)


def answered(response: httpx.Response, op_id: str, status: int = 200) -> Any:
    """The `data` (or error) of an answer with this status, valid against the spec."""
    op = OPS[op_id]
    assert response.status_code == status, response.text
    body = response.json()
    assert_valid(SCHEMAS.response_validator(op.path, op.method, status), body)
    return body["data"] if status < 300 and "data" in body else body.get("error")


def path(op_id: str, **values: Any) -> str:
    text = OPS[op_id].path
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


@pytest.fixture
def ocp() -> Iterator[StandIn]:
    with StandIn(seed=3, task_seconds=TASK_SECONDS) as standin:
        yield standin


@pytest.fixture
def http(ocp: StandIn) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ocp.base_url, auth=ADMIN, timeout=10) as client:
        yield client


def backup_body() -> dict[str, Any]:
    body = first_example_body(SPEC, OPS["backUpNow"])
    assert isinstance(body, dict)
    return copy.deepcopy(body)


def start_backup(http: httpx.Client, cluster: Any = CLUSTER) -> int:
    response = http.post(path("backUpNow", id=cluster), json=backup_body())
    data = answered(response, "backUpNow")
    ids = [i for result in data["backupObjectOpsResultList"] for i in result["taskIdList"]]
    assert len(ids) == 1
    return int(ids[0])


def poll(http: httpx.Client, task_id: int, limit_s: float = 5.0) -> list[dict[str, Any]]:
    """Every answer of getTaskInstance until the task ends (bounded in count and time)."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + limit_s
    for _ in range(500):
        task = answered(
            http.get(path("getTaskInstance", taskInstanceId=task_id)), "getTaskInstance"
        )
        seen.append(task)
        if task["status"] != "RUNNING" or time.monotonic() > deadline:
            return seen
        time.sleep(TASK_SECONDS / 20)
    return seen


def done_count(task: dict[str, Any]) -> int:
    return sum(subtask["status"] == "SUCCESSFUL" for subtask in task["subtasks"])


def data_backups(http: httpx.Client, cluster: Any = CLUSTER, **params: Any) -> list[Any]:
    query = {"page": 1, "size": 2000, **params}
    page = answered(
        http.get(path("listDataBackupTasks", id=cluster), params=query), "listDataBackupTasks"
    )
    items: list[Any] = page["contents"]
    return items


# --- clusters ----------------------------------------------------------------------------------


def test_list_clusters_lists_exactly_the_clusters_that_answer(
    ocp: StandIn, http: httpx.Client
) -> None:
    listed = answered(
        http.get(path("listClusters"), params={"page": 1, "size": 100}), "listClusters"
    )
    ids = [cluster["id"] for cluster in listed["contents"]]
    assert ids == ocp.clusters and len(ids) == 3 and CLUSTER in ids
    for cluster in ids:
        for op_id in CLUSTER_READS:
            response = http.get(path(op_id, id=cluster), params={"page": 1, "size": 10})
            if op_id == "getBackupPolicy" and cluster not in ocp.world.policies:
                assert answered(response, op_id, 404)["code"] == 10002
                continue
            data = answered(response, op_id)
            if op_id == "getBackupOverview":  # it is that cluster's, named as the listing names it
                named = next(c for c in listed["contents"] if c["id"] == cluster)
                assert (data["clusterId"], data["clusterName"]) == (cluster, named["name"])
    unknown = max(ids) + 1000
    for op_id in [*CLUSTER_READS, "backUpNow"]:
        body = backup_body() if op_id == "backUpNow" else None
        response = http.request(
            OPS[op_id].method, path(op_id, id=unknown), json=body, params={"page": 1, "size": 10}
        )
        error = answered(response, op_id, 404)
        assert error["code"] == 10002 and str(unknown) in error["message"]


def test_each_cluster_has_its_own_tasks(ocp: StandIn, http: httpx.Client) -> None:
    for cluster in ocp.clusters:
        items = data_backups(http, cluster)
        assert items and {item["clusterId"] for item in items} == {cluster}
    ids = [item["taskId"] for cluster in ocp.clusters for item in data_backups(http, cluster)]
    assert len(ids) == len(set(ids)), "task ids are unique across clusters"


# --- the backup strategy -------------------------------------------------------------------------


def test_a_strategy_is_created_read_modified_and_deleted(ocp: StandIn, http: httpx.Client) -> None:
    cluster = next(c for c in ocp.clusters if c not in ocp.world.policies)
    url = path("getBackupPolicy", id=cluster)
    overview_url = path("getBackupOverview", id=cluster)
    assert answered(http.get(url), "getBackupPolicy", 404)["code"] == 10002
    assert answered(http.get(overview_url), "getBackupOverview")["obClusterBackupStatus"] == (
        "NO_BACKUP_STRATEGY"
    )
    body = first_example_body(SPEC, OPS["createBackupPolicy"])
    assert isinstance(body, dict)
    created = answered(http.post(url, json=body), "createBackupPolicy")
    assert created["obBackupTaskType"] == "CREATE_BACKUP_STRATEGY"
    strategy = answered(http.get(url), "getBackupPolicy")
    assert strategy["clusterId"] == cluster
    for name in ("backupMode", "obBackupScheduleConfig", "obBackupServiceStorageConfig"):
        assert strategy[name] == body[name], name
    assert answered(http.get(overview_url), "getBackupOverview")["obClusterBackupStatus"] == (
        "HAS_BACKUP_STRATEGY"
    )
    again = answered(http.post(url, json=body), "createBackupPolicy", 400)
    assert again["code"] == 10001 and "already" in again["message"]

    changed = copy.deepcopy(body)
    changed["obBackupScheduleConfig"]["backupScheduleTime"] = "03:30:00.000+08:00"
    answered(http.patch(url, json=changed), "updateBackupPolicy")
    modified = answered(http.get(url), "getBackupPolicy")
    assert modified["obBackupScheduleConfig"]["backupScheduleTime"] == "03:30:00.000+08:00"
    assert modified["id"] == strategy["id"]

    answered(http.delete(url), "deleteBackupPolicy")
    assert answered(http.get(url), "getBackupPolicy", 404)["code"] == 10002
    assert answered(http.delete(url), "deleteBackupPolicy", 404)["code"] == 10002
    assert answered(http.patch(url, json=body), "updateBackupPolicy", 404)["code"] == 10002


# --- a backup now --------------------------------------------------------------------------------


def test_a_backup_runs_its_subtasks_then_shows_as_a_done_data_backup(
    ocp: StandIn, http: httpx.Client
) -> None:
    before = {item["taskId"] for item in data_backups(http)}
    task_id = start_backup(http)
    seen = poll(http, task_id)
    assert seen[-1]["status"] == "SUCCESSFUL"
    counts = [done_count(task) for task in seen]
    total = len(seen[-1]["subtasks"])
    assert counts == sorted(counts) and counts[-1] == total > 1
    assert len(set(counts)) > 2, "progress is seen between the start and the end"
    statuses = {s["status"] for task in seen for s in task["subtasks"]}
    assert {"PENDING", "RUNNING", "SUCCESSFUL"} <= statuses
    listed = answered(
        http.get(path("listTaskInstances"), params={"page": 1, "size": 5}), "listTaskInstances"
    )
    assert listed["contents"][0]["id"] == task_id

    subtask = seen[-1]["subtasks"][0]
    log = answered(
        http.get(
            path("getSubtaskInstanceLog", taskInstanceId=task_id, subtaskInstanceId=subtask["id"])
        ),
        "getSubtaskInstanceLog",
    )["log"]
    assert re.match(r"^#+\{EXECUTE\}\{[^}]+\}#+$", log.splitlines()[0]) and "finished" in log

    newest = data_backups(http)[0]
    assert newest["taskId"] not in before and newest["taskId"] > max(before)
    assert (newest["status"], newest["dataBackupTaskType"]) == ("DONE", "FULL_BACKUP")
    overview = answered(http.get(path("getBackupOverview", id=CLUSTER)), "getBackupOverview")
    assert overview["lastDataBackupTime"] == newest["finishTime"]


def test_a_failed_backup_has_a_failed_subtask_with_its_log(
    ocp: StandIn, http: httpx.Client
) -> None:
    armed = http.post("/_standin/faults", json={"failNextBackup": 1})
    assert armed.status_code == 200 and armed.json()["failNextBackup"] == 1
    task_id = start_backup(http)
    task = poll(http, task_id)[-1]
    assert task["status"] == "FAILED"
    failed = [s for s in task["subtasks"] if s["status"] == "FAILED"]
    assert len(failed) == 1 and done_count(task) < len(task["subtasks"])
    log_url = path(
        "getSubtaskInstanceLog", taskInstanceId=task_id, subtaskInstanceId=failed[0]["id"]
    )
    assert "ERROR" in answered(http.get(log_url), "getSubtaskInstanceLog")["log"]
    newest = data_backups(http)[0]
    assert newest["status"] == "FAILED" and newest["errorMsg"]

    # Skipping the failed subtask lets the task run on to its end.
    skip = path("skipSubtaskInstance", taskInstanceId=task_id, subtaskInstanceId=failed[0]["id"])
    answered(http.post(skip), "skipSubtaskInstance")
    assert poll(http, task_id)[-1]["status"] == "SUCCESSFUL"
    # The next backup is not failed: the fault was one-shot.
    assert poll(http, start_backup(http))[-1]["status"] == "SUCCESSFUL"


def test_now_wait_fails_naming_the_failed_subtask(ocp: StandIn, run: Run) -> None:
    ocp.faults.fail_next_backup()
    login = ["--url", ocp.base_url, "--user", "admin", "--password", "admin", "--retries", "0"]
    code, out, err = run(
        "now", "--cluster", str(CLUSTER), "--wait", "--poll-interval", "0.05", *login
    )
    assert code == 3, (out, err)
    assert re.search(r"subtask \d+ .* FAILED \(log: .*ERROR", err), err


# --- the tasks it knows, a rollback --------------------------------------------------------------


def test_a_task_it_does_not_list_is_404_one_it_lists_is_served(
    ocp: StandIn, http: httpx.Client
) -> None:
    listed = answered(
        http.get(path("listTaskInstances"), params={"page": 1, "size": 2000}), "listTaskInstances"
    )["contents"]
    ids = {task["id"] for task in listed}
    with_subtasks = next(task for task in listed if task.get("subtasks"))
    subtask = with_subtasks["subtasks"][0]["id"]
    # Decided: the known tasks are those it lists (its example's, generated ones, started
    # ones); the ids of the spec's other task examples are not among them.
    example_id = example_data(SPEC, OPS["getTaskInstance"])[1]["id"]
    assert len(TASK_OPS) > 1 and example_id not in ids
    for unknown in (max(ids) + 1000, example_id):
        for op_id in TASK_OPS:
            url = path(op_id, taskInstanceId=unknown, subtaskInstanceId=subtask)
            error = answered(http.request(OPS[op_id].method, url), op_id, 404)
            assert error["code"] == 10002 and str(unknown) in error["message"], op_id
    for op_id in [o for o in TASK_OPS if "{subtaskInstanceId}" in OPS[o].path]:
        url = path(op_id, taskInstanceId=with_subtasks["id"], subtaskInstanceId=max(ids) + 1000)
        error = answered(http.request(OPS[op_id].method, url), op_id, 404)
        assert error["code"] == 10002 and str(max(ids) + 1000) in error["message"], op_id
    for task in (listed[0], with_subtasks):
        url = path("getTaskInstance", taskInstanceId=task["id"])
        assert answered(http.get(url), "getTaskInstance") == task


def acted_on(http: httpx.Client, op_id: str, task: dict[str, Any]) -> bool:
    """Whether a retry or rollback changed the task (else it answers the task as it was)."""
    answer = answered(http.post(path(op_id, taskInstanceId=task["id"])), op_id)
    operations = [[s["operation"] for s in t["subtasks"]] for t in (answer, task)]
    before = (task["status"], task["operation"], operations[1])
    return (answer["status"], answer["operation"], operations[0]) != before


def test_a_failed_task_is_rolled_back_last_subtask_first(ocp: StandIn, http: httpx.Client) -> None:
    ocp.faults.fail_next_backup()
    task_id = start_backup(http)
    running = answered(http.get(path("getTaskInstance", taskInstanceId=task_id)), "getTaskInstance")
    # Only a FAILED task is rolled back or retried.
    assert running["status"] == "RUNNING" and not acted_on(http, "rollbackTaskInstance", running)
    failed = poll(http, task_id)[-1]
    assert failed["status"] == "FAILED"
    ran = [s["id"] for s in failed["subtasks"] if s["status"] != "PENDING"]
    assert len(ran) > 1

    started = answered(
        http.post(path("rollbackTaskInstance", taskInstanceId=task_id)), "rollbackTaskInstance"
    )
    assert (started["status"], started["operation"]) == ("RUNNING", "ROLLBACK")
    seen = [started, *poll(http, task_id)]
    for task in seen:  # what is undone waits again, the last subtask that ran first
        by_id = {s["id"]: s for s in task["subtasks"]}
        assert {by_id[i]["operation"] for i in ran} == {"ROLLBACK"}
        undone = [by_id[i]["status"] == "PENDING" for i in ran]
        assert undone == sorted(undone), undone
    assert len({tuple(s["status"] for s in task["subtasks"]) for task in seen}) > 2
    done = seen[-1]
    assert done["status"] == "SUCCESSFUL" and done["finishTime"]
    assert {s["status"] for s in done["subtasks"]} == {"PENDING"}
    log = answered(
        http.get(path("getSubtaskInstanceLog", taskInstanceId=task_id, subtaskInstanceId=ran[-1])),
        "getSubtaskInstanceLog",
    )["log"]
    assert "ERROR" in log and re.search(r"^#+\{ROLLBACK\}\{[^}]+\}#+$", log, re.M)
    assert "rolled back" in log.splitlines()[-1]
    # The backup it made stays failed; the rolled-back task is neither retried nor rolled back.
    assert data_backups(http)[0]["status"] == "FAILED"
    assert not acted_on(http, "retryTaskInstance", done)
    assert not acted_on(http, "rollbackTaskInstance", done)


# --- a restore -----------------------------------------------------------------------------------


def restore_body(tenant: str) -> dict[str, Any]:
    body = first_example_body(SPEC, OPS["restoreTenant"])
    assert isinstance(body, dict)
    body = copy.deepcopy(body)
    online = body["restoreOnlineTenantRequiredParam"]
    online["backupClusterId"] = online["restoreClusterId"] = CLUSTER
    online["restoreTenantInfoParam"]["name"] = tenant
    return body


def test_a_restore_lists_a_recovery_task_that_follows_its_task(
    ocp: StandIn, http: httpx.Client
) -> None:
    url = path("listRestoreTasks", id=CLUSTER)
    query = {"page": 1, "size": 2000}
    before = max(
        item["id"] for item in answered(http.get(url, params=query), "listRestoreTasks")["contents"]
    )
    tasks: dict[str, int] = {}
    ocp.faults.fail_next_backup()  # the first restore's task fails
    for tenant in ("restored_fails", "restored_ok"):
        data = answered(
            http.post(path("restoreTenant", id=CLUSTER), json=restore_body(tenant)),
            "restoreTenant",
        )
        tasks[tenant] = data["backupObjectOpsResultList"][0]["taskIdList"][0]
    stages = list(SPEC.enums["RestoreTaskStatus"].values)
    seen: dict[str, list[dict[str, Any]]] = {tenant: [] for tenant in tasks}
    deadline = time.monotonic() + 5
    for _ in range(500):
        items = answered(http.get(url, params=query), "listRestoreTasks")["contents"]
        for item in items:
            if item["id"] > before:
                seen[item["restoreTenantName"]].append(item)
        if all(s and s[-1]["finished"] for s in seen.values()) or time.monotonic() > deadline:
            break
        time.sleep(TASK_SECONDS / 20)
    cluster = next(
        c
        for c in answered(http.get(path("listClusters"), params=query), "listClusters")["contents"]
        if c["id"] == CLUSTER
    )
    online = restore_body("restored_ok")["restoreOnlineTenantRequiredParam"]
    zone = online["restoreTenantInfoParam"]["zones"][0]["name"]
    moment = datetime.datetime.fromisoformat
    for tenant, ok in (("restored_ok", True), ("restored_fails", False)):
        items = seen[tenant]
        running = [stages.index(item["status"]) for item in items if not item["finished"]]
        assert running == sorted(running) and len(set(running)) > 1, "its stages, in order"
        last = items[-1]
        ending = "RESTORE_SUCCESS" if ok else "RESTORE_FAIL"
        assert (last["status"], last["finished"], last["successful"]) == (ending, True, ok)
        assert bool(last.get("errorMsg")) is not ok and last["finishTime"]
        assert poll(http, tasks[tenant])[-1]["status"] == ("SUCCESSFUL" if ok else "FAILED")
        # What the body says, the recovered cluster's name as the cluster listing has it.
        assert (last["backupClusterId"], last["restoreClusterId"]) == (CLUSTER, CLUSTER)
        assert last["restoreClusterName"] == cluster["name"]
        assert last["backupTenantId"] == online["backupTenantId"]
        assert moment(last["restoreEndTime"]) == moment(online["restoreEndTime"])
        assert last["restorePoolListStr"].startswith(f"pool_{tenant}_{zone}_")


def test_a_path_x_ocp_filter_scopes_the_recovery_tasks_by_the_backed_up_cluster() -> None:
    """Where `listRestoreTasks`' `{id}` says (`x-ocp-filter`) that it selects `backupClusterId`
    (a recovery task has no `clusterId`), each cluster lists its own, and a restore started at
    a cluster is listed there alone, whatever cluster the body recovers into."""
    document = copy.deepcopy(SPEC.document)
    parameters = document["paths"][OPS["listRestoreTasks"].path]["get"]["parameters"]
    parameters[0] = {**parameters[0], "x-ocp-filter": {"property": "backupClusterId", "op": "eq"}}
    with (
        StandIn(spec=document, seed=3, task_seconds=TASK_SECONDS) as ocp,
        httpx.Client(base_url=ocp.base_url, auth=ADMIN, timeout=10) as http,
    ):

        def restore_tasks(cluster: Any) -> list[dict[str, Any]]:
            query = {"page": 1, "size": 2000}
            url = path("listRestoreTasks", id=cluster)
            page = answered(http.get(url, params=query), "listRestoreTasks")
            items: list[dict[str, Any]] = page["contents"]
            return items

        for cluster in ocp.clusters:
            backed_up = {item["backupClusterId"] for item in restore_tasks(cluster)}
            assert backed_up == {cluster}
        here, there = ocp.clusters[:2]
        body = restore_body("restored_here")
        body["restoreOnlineTenantRequiredParam"]["restoreClusterId"] = there
        answered(http.post(path("restoreTenant", id=here), json=body), "restoreTenant")
        for cluster in ocp.clusters:
            made = [i for i in restore_tasks(cluster) if i["restoreTenantName"] == "restored_here"]
            clusters = [(item["backupClusterId"], item["restoreClusterId"]) for item in made]
            assert clusters == ([(here, there)] if cluster == here else [])


# --- the overview and recent times ---------------------------------------------------------------


def test_the_overview_follows_the_tasks(ocp: StandIn, http: httpx.Client) -> None:
    for cluster in ocp.clusters:
        overview = answered(http.get(path("getBackupOverview", id=cluster)), "getBackupOverview")
        full_done = [
            item["finishTime"]
            for item in data_backups(http, cluster)
            if (item["status"], item["dataBackupTaskType"]) == ("DONE", "FULL_BACKUP")
        ]
        newest_done = max(full_done, key=datetime.datetime.fromisoformat, default=None)
        assert overview.get("lastDataBackupTime") == newest_done, cluster
        logs = answered(
            http.get(path("listLogBackupTasks", id=cluster), params={"page": 1, "size": 1}),
            "listLogBackupTasks",
        )["contents"]
        assert overview["logBackupDelaySeconds"] == round(logs[0]["delay"])
        assert overview["latestLogBackupCheckpoint"] == logs[0]["checkpoint"]


def test_generated_tasks_are_recent(ocp: StandIn, http: httpx.Client) -> None:
    now = datetime.datetime.now(datetime.UTC)
    week = {"startTime": (now - datetime.timedelta(days=7)).isoformat(), "endTime": now.isoformat()}
    for cluster in ocp.clusters:
        recent = data_backups(http, cluster, **week)
        assert len(recent) >= 2, cluster
        starts = [datetime.datetime.fromisoformat(item["startTime"]) for item in recent]
        assert max(starts) > now - datetime.timedelta(hours=8), "the newest within hours"
    # The reference sample's tasks are still served first, as OCP wrote them.
    assert [item["taskId"] for item in data_backups(http)[:3]] == [23, 22, 21]


def test_the_server_time_is_the_stand_in_s_clock(ocp: StandIn) -> None:
    """Read through the SDK, which reads the text/plain answer, without credentials (the spec's
    `security: []` for it), as a user checking clock skew would."""
    before = datetime.datetime.now(datetime.UTC)
    with Client(ocp.base_url, verify=False) as anonymous:
        told = get_server_time.sync(client=anonymous)
    after = datetime.datetime.now(datetime.UTC)
    # OCP writes milliseconds: the told time may be up to 1 ms before `before`.
    assert before - datetime.timedelta(milliseconds=1) <= told <= after


# --- the test credentials ------------------------------------------------------------------------


def test_help_names_the_test_credentials_and_the_clusters() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tools.standin", "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    text = result.stdout
    defaults = Credentials()
    assert "TEST credentials" in text and "--task-seconds" in text
    for user, password in defaults.users.items():
        assert f"{user}/{password}" in text
    for key, secret in defaults.access_keys.items():
        assert key in text and secret in text
    clusters = re.search(r"^clusters \(default spec.*?: ([\d, ]+);", text, re.M)
    assert clusters is not None and str(CLUSTER) in clusters[1].split(", ")
