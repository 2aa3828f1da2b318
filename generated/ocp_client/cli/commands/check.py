"""``ocp-backup check``: a monitoring check (Nagios plugin conventions) of clusters' backups.

For each cluster, two things are checked, and the worse decides the cluster's state:

- the newest full data backup. Every data backup task of the cluster is read; of the full
  backups (``FULL_BACKUP``), those still running (:data:`RUNNING`: their outcome is unknown)
  are set aside and the newest of the others decides, newest meaning the highest task ID (OCP
  numbers tasks as it creates them). If it FAILED: CRITICAL, even while a retry runs. Otherwise
  the newest DONE task decides: OK when it finished within ``--max-age``, WARNING when older or
  when there is none. A CANCELED (or other ended) task newer than it, or a running one, is named.
  A status the spec does not know yet (the set is open) counts as ended.
- the log backup delay: how far the log archive lags behind the cluster, as
  ``getBackupOverview`` reports it (``logBackupDelaySeconds``; when OCP leaves it out, the age
  of ``latestLogBackupCheckpoint``). WARNING above ``--max-log-delay``, and when OCP reports
  neither (no log backup running).

Clusters: each ``--cluster``, or every cluster ``listClusters`` answers when none is given.
One cluster: one line. Several: a first line that sums them up, then one line per cluster,
worst first. One exit code for all: the worst state, by severity OK < WARNING < UNKNOWN <
CRITICAL (a cluster that could not be checked is worse than a warning, not as bad as a failed
backup). Perfdata (on the first line) is kept: ``age`` and ``log_delay`` in seconds with their
thresholds, suffixed ``_<cluster>`` when there are several clusters; ``U`` when unknown.
"""

from __future__ import annotations

import argparse
import datetime
import traceback
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from ...models.data_backup_task_status import DataBackupTaskStatus
from ...models.data_backup_task_type import DataBackupTaskType
from ..config import (
    UsageError,
    add_timeout_alias,
    client_from,
    describe,
    positive_int,
    walk_retry,
)
from ..context import Context
from ..times import Duration, duration_argument, human_duration

if TYPE_CHECKING:
    from ...client import Client
    from ...models.cluster_backup_info_detail import ClusterBackupInfoDetail
    from ...models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask

# The statuses it names (DONE, FAILED, RUNNING, FULL_BACKUP) are public too; not listed here,
# where they would be strings spelling enum values.
__all__ = [
    "NAME",
    "Result",
    "add_arguments",
    "evaluate",
    "evaluate_log_delay",
    "run",
    "worst",
]

NAME = "check"
SUMMARY = "monitoring check: newest full backup recent and not failed, log backup delay"
"""The line ``ocp-backup --help`` shows for the command."""

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATE_NAMES = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}
SEVERITY = (OK, WARNING, UNKNOWN, CRITICAL)
"""States from the least to the most severe: the exit code of several is the last present."""

DEFAULT_MAX_AGE = "26h"
DEFAULT_MAX_LOG_DELAY = "30m"

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

DESCRIPTION = """\
Monitoring check (Nagios plugin conventions) of clusters' backups: the newest full data backup
(FAILED is CRITICAL; older than --max-age or none is WARNING) and the log backup delay (above
--max-log-delay, or not reported, is WARNING). Tasks still running are ignored; of the others
the newest (highest task ID) decides. Without --cluster, every cluster OCP lists is checked.
One line per cluster (several: a summary line first), perfdata on the first line:
age=<seconds>s;<max-age>;;0 log_delay=<seconds>s;<max-log-delay>;;0 (U when unknown).
"""

EXAMPLES = """\
examples:
  ocp-backup check --cluster 1000005
  ocp-backup check --cluster 1000005 --cluster 1000006 --max-age 8d --max-log-delay 10m
  ocp-backup check                      # every cluster OCP lists
  ocp-backup check -o json              # one object per cluster, for scripts

exit codes (Nagios): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (OCP not asked or not answering,
  bad command line or configuration); several clusters: the worst, OK < WARNING < UNKNOWN <
  CRITICAL
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's own options, on the parser that ``app.build_parser`` made for it."""
    parser.add_argument(
        "--cluster",
        action="append",
        type=positive_int,
        metavar="ID",
        help="a cluster to check (repeatable; default: every cluster OCP lists)",
    )
    parser.add_argument(
        "--max-age",
        type=duration_argument,
        default=duration_argument(DEFAULT_MAX_AGE),
        metavar="AGE",
        help="oldest acceptable finish of the newest full backup, e.g. 26h, 7d "
        f"(default {DEFAULT_MAX_AGE})",
    )
    parser.add_argument(
        "--max-log-delay",
        type=duration_argument,
        default=duration_argument(DEFAULT_MAX_LOG_DELAY),
        metavar="DELAY",
        help=f"largest acceptable log backup delay, e.g. 10m, 1h (default {DEFAULT_MAX_LOG_DELAY})",
    )
    add_timeout_alias(parser)
    parser.set_defaults(run=run)


class Result(NamedTuple):
    """One cluster's state, its summary (without the state's name) and its perfdata values."""

    cluster: int
    state: int
    summary: str
    perfdata: tuple[tuple[str, str], ...] = ()

    @property
    def line(self) -> str:
        return f"{STATE_NAMES[self.state]} - {self.summary}"

    def record(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "state": STATE_NAMES[self.state],
            "code": self.state,
            "summary": self.summary,
            "perfdata": " ".join(f"{label}={value}" for label, value in self.perfdata),
        }


def worst(states: Iterable[int]) -> int:
    """The most severe of ``states`` (OK when there are none)."""
    return max(states, key=SEVERITY.index, default=OK)


def one_line(text: str, limit: int = 200) -> str:
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
    max_age: Duration,
) -> tuple[int, str, str]:
    """The full backup's state, summary and perfdata value (``<seconds>s;<max>;;0``) for a
    cluster's tasks; the rule is in the module docstring."""
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
    limit_seconds = int(max_age.delta.total_seconds())
    perfdata = f"{'U' if age is None else f'{int(age.total_seconds())}s'};{limit_seconds};;0"

    reported = newest_done.task_id if newest_done is not None else -1
    notes = []
    if newest_ended is not None and newest_ended.status == FAILED:
        state = CRITICAL
        summary = f"newest full backup task {newest_ended.task_id} of cluster {cluster} FAILED"
        if newest_ended.finish_time is not None:
            failed_age = (now - newest_ended.finish_time).total_seconds()
            summary += f" {human_duration(failed_age)} ago"
        if newest_ended.error_msg is not None and newest_ended.error_msg.strip():
            summary += f": {one_line(newest_ended.error_msg, 120)}"
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
        elif age > max_age.delta:
            state = WARNING
            summary = (
                f"newest full backup of cluster {cluster} {done_text}, older than {max_age.text}"
            )
        else:
            state = OK
            summary = f"newest full backup of cluster {cluster} {done_text}"
        if newest_ended is not None and newest_ended.task_id > reported:
            notes.append(f"full backup task {newest_ended.task_id} ended {newest_ended.status}")
    if newest_running is not None and newest_running.task_id > reported:
        notes.append(f"full backup task {newest_running.task_id} is {newest_running.status}")
    return state, "; ".join([summary, *notes]), perfdata


def evaluate_log_delay(
    overview: ClusterBackupInfoDetail, *, now: datetime.datetime, max_delay: Duration
) -> tuple[int, str, str]:
    """The log backup delay's state, summary and perfdata value; the rule is in the module
    docstring."""
    seconds: float | None = None
    if overview.log_backup_delay_seconds is not None:
        seconds = float(overview.log_backup_delay_seconds)
    elif overview.latest_log_backup_checkpoint is not None:
        seconds = max(0.0, (now - overview.latest_log_backup_checkpoint).total_seconds())
    limit = int(max_delay.delta.total_seconds())
    if seconds is None:
        return WARNING, "no log backup delay reported (is log backup running?)", f"U;{limit};;0"
    perfdata = f"{int(seconds)}s;{limit};;0"
    delay = human_duration(seconds)
    if seconds > max_delay.delta.total_seconds():
        return WARNING, f"log backup {delay} behind, more than {max_delay.text}", perfdata
    return OK, f"log backup {delay} behind", perfdata


def check_cluster(
    client: Client, cluster: int, *, now: datetime.datetime, args: argparse.Namespace
) -> Result:
    """One cluster's result; raises what the SDK raises."""
    from ...api.backup import get_backup_overview, list_data_backup_tasks

    tasks = list(
        list_data_backup_tasks.sync_iter(cluster, client=client, walk_retry=walk_retry(args))
    )
    overview = get_backup_overview.sync(cluster, client=client)
    backup_state, backup_text, age = evaluate(tasks, cluster=cluster, now=now, max_age=args.max_age)
    log_state, log_text, delay = evaluate_log_delay(overview, now=now, max_delay=args.max_log_delay)
    # The worse part first: it is what the reader of a truncated line must see.
    backup_first = SEVERITY.index(backup_state) >= SEVERITY.index(log_state)
    texts = [backup_text, log_text] if backup_first else [log_text, backup_text]
    summary = one_line("; ".join(texts), 400)
    return Result(
        cluster, worst((backup_state, log_state)), summary, (("age", age), ("log_delay", delay))
    )


def _clusters(client: Client, args: argparse.Namespace) -> list[int]:
    given: list[int] | None = args.cluster
    if given:
        return list(dict.fromkeys(given))  # each once, in the order given
    from ...api.cluster import list_clusters

    walk = list_clusters.sync_iter(client=client, walk_retry=walk_retry(args))
    return [cluster.id for cluster in walk]


def _unknown(cluster: int, error: BaseException, url: str | None) -> Result:
    reason = one_line(describe(error, url), 400)
    return Result(cluster, UNKNOWN, f"cannot check cluster {cluster}: {reason}")


def _format(results: list[Result]) -> str:
    """The plugin's output: one line for one cluster; else a summary line and one per cluster."""
    if len(results) == 1:
        (result,) = results
        perfdata = " ".join(f"{label}={value}" for label, value in result.perfdata)
        return result.line + (f" | {perfdata}" if perfdata else "")
    state = worst(result.state for result in results)
    counts = [
        f"{sum(result.state == each for result in results)} {STATE_NAMES[each]}"
        for each in reversed(SEVERITY)
        if any(result.state == each for result in results)
    ]
    head = f"{STATE_NAMES[state]} - {len(results)} clusters: {', '.join(counts)}"
    perfdata = " ".join(
        f"{label}_{result.cluster}={value}"
        for result in results
        for label, value in result.perfdata
    )
    ordered = sorted(results, key=lambda result: -SEVERITY.index(result.state))
    return "\n".join([head + (f" | {perfdata}" if perfdata else ""), *(r.line for r in ordered)])


def _redacted(value: Any, context: Context) -> Any:
    return context.redact(value) if isinstance(value, str) else value


def run(args: argparse.Namespace, context: Context) -> int:
    url: str | None = None
    results: list[Result] = []
    try:
        client, url = client_from(args, context.environ, context.redact)
        with client:
            clusters = _clusters(client, args)
            for cluster in clusters:
                try:
                    results.append(check_cluster(client, cluster, now=context.now, args=args))
                except KeyboardInterrupt:
                    raise
                except Exception as error:  # this cluster is UNKNOWN; the others are checked
                    if context.debug:
                        context.stderr.write(
                            context.redact("".join(traceback.format_exception(error)))
                        )
                    results.append(_unknown(cluster, error, url))
        if not results:
            results = [Result(0, UNKNOWN, "OCP lists no cluster to check")]
    except UsageError as error:
        results = [Result(0, UNKNOWN, f"bad configuration: {one_line(error.message, 400)}")]
    except KeyboardInterrupt:
        results = [Result(0, UNKNOWN, "interrupted")]
    except Exception as error:  # any failure must be UNKNOWN: exit 1 would read as WARNING
        if context.debug:
            context.stderr.write(context.redact("".join(traceback.format_exception(error))))
        reason = one_line(describe(error, url), 400)
        given: list[int] | None = args.cluster
        what = f"cluster {given[0]}" if given and len(given) == 1 else "clusters"
        results = [Result(0, UNKNOWN, f"cannot check {what}: {reason}")]
    output: str = args.output
    if output == "table":
        context.stdout.write(context.redact(_format(results)) + "\n")
    else:
        from ..output import write_csv, write_json, write_jsonl

        records = [
            {key: _redacted(value, context) for key, value in result.record().items()}
            for result in results
        ]
        if output == "json":
            write_json(records, context.stdout)
        elif output == "jsonl":
            write_jsonl(records, context.stdout)
        else:
            write_csv(records, context.stdout, tuple(records[0]))
    return worst(result.state for result in results)
