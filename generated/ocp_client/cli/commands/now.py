"""``ocp-backup now``: start a backup of a cluster now, and optionally wait for it.

The backup is made to the cluster's own backup storage, in its own backup mode: both are read
from its backup strategy (``getBackupPolicy``), because ``backUpNow`` requires a storage
configuration and a DBA asking for "a backup now" means "like the scheduled ones". A cluster
without a strategy's storage is an error that says so. ``backUpNow`` is sent once (the SDK does
not retry it: a second request would start a second backup); its answer's task ids
(``backupObjectOpsResultList[].taskIdList``, task instance ids) are printed.

With ``--wait``, each task instance is polled (``ocp_client.tasks.wait_for_task``) until it ends,
within ``--timeout`` seconds for all of them, with a progress line on stderr (subtasks done /
total). A failed task names its failed subtask and the last line of that subtask's log.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING, Any

from ..config import UsageError, client_from, positive_int, positive_seconds
from ..context import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_OCP_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    Context,
    silence_stdout,
)
from ..progress import ProgressLine

if TYPE_CHECKING:
    from ...client import Client
    from ...models.backup_common_response import BackupCommonResponse
    from ...tasks import Progress

__all__ = ["EXIT_TASK_FAILED", "EXIT_WAIT_TIMEOUT", "NAME", "add_arguments", "run", "task_ids"]

NAME = "now"
SUMMARY = "start a full or incremental backup now, and wait for it"
"""The line ``ocp-backup --help`` shows for the command."""

EXIT_TASK_FAILED = 3
EXIT_WAIT_TIMEOUT = 4

DEFAULT_WAIT_TIMEOUT = 3600.0
DEFAULT_POLL_INTERVAL = 2.0

DESCRIPTION = """\
Start a data backup of a cluster now: full, or incremental with --incremental, to the storage
and in the mode of the cluster's backup strategy. Prints the ids of the task instances it
started. With --wait, waits for them to end, with a progress line on stderr, and exits 0 only
when they succeeded; a failed task is named with its failed subtask and the last line of its log.
"""

EXAMPLES = """\
examples:
  ocp-backup now --cluster 1000005
  ocp-backup now --cluster 1000005 --incremental --wait --timeout 7200
  ocp-backup -o json now --cluster 1000005 --wait

exit codes: 0 started (with --wait: succeeded), 1 OCP error, no answer, or the backup refused,
  2 bad command line or configuration, 3 a task FAILED, 4 --timeout passed first (the task
  may still run), 130 interrupted, 141 output closed early
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's own options, on the parser that ``app.build_parser`` made for it."""
    parser.add_argument(
        "--cluster", required=True, type=positive_int, metavar="ID", help="the cluster's ID"
    )
    parser.add_argument(
        "--incremental", action="store_true", help="an incremental backup (default: full)"
    )
    parser.add_argument("--wait", action="store_true", help="wait for the backup's tasks to end")
    parser.add_argument(
        "--timeout",
        dest="wait_timeout",
        type=positive_seconds,
        default=DEFAULT_WAIT_TIMEOUT,
        metavar="SECONDS",
        help="how long --wait waits for all tasks (default %(default)g)",
    )
    parser.add_argument(
        "--poll-interval",
        type=positive_seconds,
        default=DEFAULT_POLL_INTERVAL,
        metavar="SECONDS",
        help="first wait between polls; it grows up to 30 s (default %(default)g)",
    )
    parser.set_defaults(run=run)


def task_ids(answer: BackupCommonResponse) -> list[int]:
    """The task instance ids of ``backUpNow``'s answer, each once, in the order sent."""
    ids: dict[int, None] = {}
    for result in answer.backup_object_ops_result_list:
        ids |= dict.fromkeys(result.task_id_list or [])
    return list(ids)


class _Refused(Exception):
    """OCP answered, but did not start the backup (``beSuccessful: false``, or no task)."""


def _start(client: Client, cluster: int, incremental: bool) -> tuple[str, list[int]]:
    from ...api.backup import back_up_now, get_backup_policy
    from ...models.backup_now_param import BackupNowParam
    from ...models.data_backup_task_type import DataBackupTaskType

    strategy = get_backup_policy.sync(cluster, client=client)
    storage = strategy.ob_backup_service_storage_config
    if storage is None:
        raise _Refused(
            f"cluster {cluster}'s backup strategy names no backup storage: "
            "set one (createBackupPolicy/updateBackupPolicy) before backing up"
        )
    mode = DataBackupTaskType.INCREMENTAL_BACKUP if incremental else DataBackupTaskType.FULL_BACKUP
    body = BackupNowParam(
        data_backup_mode=mode,
        ob_backup_service_storage_config=storage,
        backup_mode=strategy.backup_mode,
    )
    answer = back_up_now.sync(cluster, client=client, body=body)
    refused = [
        result for result in answer.backup_object_ops_result_list if not result.be_successful
    ]
    if refused:
        hints = "; ".join(
            " ".join(str(part) for part in (r.error_code, r.hint) if part is not None)
            or "no reason given"
            for r in refused
        )
        raise _Refused(f"OCP did not start the backup of cluster {cluster}: {hints}")
    ids = task_ids(answer)
    if not ids:
        raise _Refused(f"OCP started no task for the backup of cluster {cluster}")
    return str(mode), ids


def run(args: argparse.Namespace, context: Context) -> int:
    url: str | None = None
    cluster: int = args.cluster
    output: str = args.output
    try:
        client, url = client_from(args, context.environ, context.redact)
    except UsageError as error:
        context.complain(error.message)
        return EXIT_USAGE
    progress = ProgressLine(context.stderr, PROG, transient=False)
    records: list[dict[str, Any]] = []
    code = EXIT_OK
    try:
        from ... import tasks as waiting  # not at the top: --help needs none of it

        with client:
            mode, ids = _start(client, cluster, args.incremental)
            records = [
                {"clusterId": cluster, "dataBackupMode": mode, "taskId": task_id, "status": None}
                for task_id in ids
            ]
            if output == "table":
                shown = ", ".join(str(task_id) for task_id in ids)
                context.stdout.write(f"{mode} of cluster {cluster} started: task {shown}\n")
                context.stdout.flush()
            if args.wait:
                deadline = time.monotonic() + args.wait_timeout
                for index, record in enumerate(records):
                    task_id = record["taskId"]
                    # One deadline for all tasks; the first gets --timeout as given (messages).
                    remaining = deadline - time.monotonic()
                    timeout = args.wait_timeout if index == 0 else max(remaining, 0.001)

                    def show(state: Progress, task_id: int = task_id) -> None:
                        progress.show(f"task {task_id} {state}")

                    try:
                        task = waiting.wait_for_task(
                            task_id,
                            client=client,
                            timeout=timeout,
                            interval=args.poll_interval,
                            max_interval=max(args.poll_interval, 30.0),
                            on_progress=show,
                            fetch_log=True,
                        )
                    except waiting.TaskFailedError as error:
                        progress.clear()
                        record["status"] = str(error.task.status)
                        context.complain(str(error))
                        code = EXIT_TASK_FAILED
                        break
                    except waiting.TaskTimeoutError as error:
                        progress.clear()
                        record["status"] = str(error.status)
                        context.complain(str(error))
                        code = EXIT_WAIT_TIMEOUT
                        break
                    progress.clear()
                    record["status"] = str(task.status)
                    if output == "table":
                        done = waiting.Progress.of(task)
                        context.stdout.write(f"task {task_id} {done}\n")
                        context.stdout.flush()
    except _Refused as error:
        progress.clear()
        context.complain(str(error))
        code = EXIT_OCP_ERROR
    except KeyboardInterrupt:
        progress.clear()
        context.complain("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:  # OCP's errors, and anything else: one line
        progress.clear()
        context.report(error, url)
        code = EXIT_OCP_ERROR
    try:
        _write(records, output, context)
    except BrokenPipeError:
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as error:  # a full disk under stdout
        context.report(error, url)
        return EXIT_OCP_ERROR
    return code


def _write(records: list[dict[str, Any]], output: str, context: Context) -> None:
    """The started tasks (and their status after --wait) in a machine format; the table's
    lines were written as things happened."""
    if output == "table" or not records:
        return
    from ..output import write_csv, write_json, write_jsonl

    if output == "json":
        write_json(records, context.stdout)
    elif output == "jsonl":
        write_jsonl(records, context.stdout)
    else:
        write_csv(records, context.stdout, tuple(records[0]))
    context.stdout.flush()
