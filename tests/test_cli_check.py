"""``ocp-backup check`` over several clusters and the log backup delay.

The stub of ``tests/test_cli.py`` serves each cluster's tasks, overview (the reference sample's,
with the delay the test sets) and the clusters it lists; the stand-in runs the check end to end.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from ocp_client.cli.commands import check as check_command
from standin import StandIn
from tests.test_cli import (  # noqa: F401 (fixtures)
    CLUSTER,
    ERROR_401,
    Run,
    Stub,
    basic,
    make_task,
    no_ocp_environment,
    ocp_fixture,
    run_fixture,
)

OK_LINE = "newest full backup of cluster {} finished 2h00m ago (task 30, backup set 30)"


def hours(value: float) -> datetime.timedelta:
    return datetime.timedelta(hours=value)


def serve(stub: Stub, clusters: dict[int, str]) -> None:
    """Each cluster with a DONE full backup 2 h old, or FAILED 1 h ago ("failed")."""
    stub.clusters = list(clusters)
    for cluster, how in clusters.items():
        tasks = [make_task(30, finished=hours(2))]
        if how == "failed":
            tasks.insert(0, make_task(31, status="FAILED", finished=hours(1)))
        stub.by_cluster[cluster] = tasks


def test_log_delay_over_the_limit_is_a_warning_named_first(ocp: Stub, run: Run) -> None:
    serve(ocp, {int(CLUSTER): "done"})
    ocp.delays[int(CLUSTER)] = 7200
    code, out, _ = run("check", "--cluster", CLUSTER, *basic(ocp), "--max-log-delay", "1h")
    assert code == 1
    assert out == (
        f"WARNING - log backup 2h00m behind, more than 1h; {OK_LINE.format(CLUSTER)} "
        "| age=7200s;93600;;0 log_delay=7200s;3600;;0\n"
    )


def test_no_log_delay_reported_is_a_warning(ocp: Stub, run: Run) -> None:
    serve(ocp, {int(CLUSTER): "done"})
    ocp.delays[int(CLUSTER)] = None
    code, out, _ = run("check", "--cluster", CLUSTER, *basic(ocp))
    assert code == 1
    assert out.startswith("WARNING - no log backup delay reported (is log backup running?); ")
    assert out.endswith("| age=7200s;93600;;0 log_delay=U;1800;;0\n")


def test_several_clusters_a_line_each_and_the_worst_exit_code(ocp: Stub, run: Run) -> None:
    serve(ocp, {1: "done", 2: "failed", 3: "done"})
    ocp.delays[3] = 4000
    code, out, _ = run("check", "--cluster", "1", "--cluster", "2", "--cluster", "3", *basic(ocp))
    assert code == 2
    head, *lines = out.splitlines()
    summary, perfdata = head.split(" | ")
    assert summary == "CRITICAL - 3 clusters: 1 CRITICAL, 1 WARNING, 1 OK"
    assert perfdata.split() == [
        "age_1=7200s;93600;;0", "log_delay_1=98s;1800;;0",
        "age_2=7200s;93600;;0", "log_delay_2=98s;1800;;0",
        "age_3=7200s;93600;;0", "log_delay_3=4000s;1800;;0",
    ]  # fmt: skip
    assert [line.split(" - ")[0] for line in lines] == ["CRITICAL", "WARNING", "OK"]
    assert lines[0].startswith("CRITICAL - newest full backup task 31 of cluster 2 FAILED")
    assert lines[2] == f"OK - {OK_LINE.format(1)}; log backup 1m38s behind"
    assert "|" not in "".join(lines), "perfdata only on the first line"


def test_without_cluster_every_listed_cluster_is_checked(ocp: Stub, run: Run) -> None:
    serve(ocp, {11: "done", 12: "done"})
    code, out, _ = run("check", *basic(ocp))
    assert code == 0
    assert out.splitlines()[0].startswith("OK - 2 clusters: 2 OK | ")
    paths = [urlsplit(seen.target).path for seen in ocp.seen]
    assert paths[0] == "/api/v2/ob/clusters"
    assert {path.split("/")[5] for path in paths[1:]} == {"11", "12"}


def test_a_cluster_that_cannot_be_checked_is_unknown_and_the_others_are_checked(
    ocp: Stub, run: Run
) -> None:
    serve(ocp, {1: "done", 2: "done"})
    ocp.errors["/clusters/2/backup/overview"] = (401, ERROR_401)
    code, out, _ = run("check", "--cluster", "1", "--cluster", "2", *basic(ocp))
    assert code == 3, "UNKNOWN is worse than OK"
    head, unknown, fine = out.splitlines()
    assert head.startswith("UNKNOWN - 2 clusters: 1 UNKNOWN, 1 OK | age_1=7200s")
    assert unknown == (
        "UNKNOWN - cannot check cluster 2: OCP answered HTTP 401 code 10001: authentication "
        "failed (traceId trace-401-abc)"
    )
    assert fine.startswith("OK - newest full backup of cluster 1 ")


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], 0),
        ([0, 1], 1),
        ([1, 3], 3),
        ([3, 2, 1], 2),
        ([0, 0], 0),
    ],
)
def test_worst_orders_by_severity(states: list[int], expected: int) -> None:
    assert check_command.worst(states) == expected


def test_json_output_is_one_object_per_cluster(ocp: Stub, run: Run) -> None:
    serve(ocp, {1: "done", 2: "failed"})
    argv = ["check", "-o", "json", "--cluster", "1", "--cluster", "2", *basic(ocp)]
    code, out, _ = run(*argv)
    assert code == 2
    records = json.loads(out)
    assert [(r["cluster"], r["state"], r["code"]) for r in records] == [
        (1, "OK", 0),
        (2, "CRITICAL", 2),
    ]
    assert records[0]["perfdata"] == "age=7200s;93600;;0 log_delay=98s;1800;;0"


def test_bad_max_log_delay_is_unknown(run: Run) -> None:
    code, out, _ = run("check", "--max-log-delay", "soon")
    assert code == 3
    assert out.startswith("UNKNOWN - bad command line: argument --max-log-delay")


# --- against the stand-in -----------------------------------------------------------------


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


LINE = re.compile(r"^(OK|WARNING|CRITICAL|UNKNOWN) - ")


def test_check_of_one_cluster_against_the_stand_in(standin: StandIn, run: Run) -> None:
    argv = ["--url", standin.base_url, "--user", "admin", "--password", "admin"]
    code, out, _ = run("check", "--cluster", CLUSTER, *argv)
    (line,) = out.splitlines()
    state = LINE.match(line)
    assert state is not None
    assert code == {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}[state[1]]
    assert re.search(r"\| age=(\d+s|U);93600;;0 log_delay=(\d+s|U);1800;;0$", line)
    assert f"cluster {CLUSTER}" in line


def test_check_of_every_cluster_against_the_stand_in(standin: StandIn, run: Run) -> None:
    """One line per cluster the stand-in lists, after the summary, and the worst state's code."""
    argv = ["--url", standin.base_url, "--user", "admin", "--password", "admin"]
    code, out, _ = run("check", *argv)
    head, *lines = out.splitlines()
    states = [LINE.match(line) for line in lines]
    assert all(states) and len(lines) >= 2
    names = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
    codes = [names[state[1]] for state in states if state]
    assert code == check_command.worst(codes)
    assert head.startswith(f"{check_command.STATE_NAMES[code]} - {len(lines)} clusters: ")
