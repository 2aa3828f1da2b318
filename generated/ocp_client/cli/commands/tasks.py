"""``ocp-backup tasks``: a cluster's data backup, log backup or restore tasks, as rows arrive.

Each ``--kind`` is one listing of the spec (:data:`KINDS`); the statuses ``--status`` accepts
are the known values of the listed item's ``status`` field (the generated model's enum), and an
unknown one is refused with the known list. OCP has no status filter: the command filters what
it reads. The table shows :attr:`Kind.fields` of the item (tests hold them to the spec).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..config import UsageError, add_timeout_alias, client_from, positive_int, walk_retry
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
from ..progress import ProgressLine, count_text
from ..times import TIMES_HELP, TimeSpec, resolve_time, time_argument

if TYPE_CHECKING:
    from types import ModuleType

    from ..._model import Model

__all__ = ["KINDS", "NAME", "Kind", "add_arguments", "run", "status_values"]

NAME = "tasks"
SUMMARY = "list a cluster's data backup, log backup or restore tasks"
"""The line ``ocp-backup --help`` shows for the command."""
T = TypeVar("T")


class Kind(NamedTuple):
    """A kind of task the command lists: what it is called, the operation (a module of
    ``ocp_client.api.backup``), its item model (module, class), the fields of its table, their
    short headers, and the pair of time fields between which the table's duration runs."""

    noun: str
    operation: str
    model_module: str
    model_name: str
    fields: tuple[str, ...]
    headers: Mapping[str, str] | None = None
    duration: tuple[str, str] | None = None

    def module(self) -> ModuleType:
        return importlib.import_module(f"ocp_client.api.backup.{self.operation}")

    def model(self) -> type[Model]:
        found: type[Model] = getattr(
            importlib.import_module(f"ocp_client.models.{self.model_module}"), self.model_name
        )
        return found


KINDS = {
    "data": Kind(
        "data backup",
        "list_data_backup_tasks",
        "data_backup_history_wrapper_task",
        "DataBackupHistoryWrapperTask",
        (
            "taskId",
            "status",
            "dataBackupTaskType",
            "backupMode",
            "backupSetId",
            "startTime",
            "finishTime",
        ),
        {"dataBackupTaskType": "type", "backupMode": "mode"},
        ("startTime", "finishTime"),
    ),
    "log": Kind(
        "log backup",
        "list_log_backup_tasks",
        "log_backup_wrapper_task",
        "LogBackupWrapperTask",
        ("status", "backupMode", "tenantName", "createTime", "checkpoint", "delay"),
        {"backupMode": "mode", "tenantName": "tenant"},
    ),
    "restore": Kind(
        "restore",
        "list_restore_tasks",
        "restore_history_task",
        "RestoreHistoryTask",
        ("id", "status", "backupMode", "restoreTenantName", "createTime", "finishTime"),
        {"backupMode": "mode", "restoreTenantName": "tenant"},
        ("createTime", "finishTime"),
    ),
}
"""``--kind`` values: tests hold each to the spec's listing of that kind."""

DESCRIPTION = """\
List a cluster's backup or restore tasks, every page, newest first as OCP sends them. The table
is printed as rows arrive; json waits for the whole listing (no half array on a failure).
"""

EXAMPLES = (
    """\
examples:
  ocp-backup tasks --cluster 1000005 --since 7d
  ocp-backup tasks --cluster 1000005 --status FAILED --status CANCELED -o csv > failed.csv
  ocp-backup tasks --cluster 1000005 --kind log -o jsonl | jq .delay
  ocp-backup -o json tasks --cluster 1000005 --kind restore --limit 20

exit codes: 0 listed, 1 OCP error or no answer, 2 bad command line or configuration,
  130 interrupted, 141 output closed early
"""
    + "\n"
    + TIMES_HELP
)


def _page_size(text: str) -> int:
    from ..._pagination import MAX_PAGE_SIZE  # here: the page walker is not needed for --help

    value = positive_int(text)
    if value > MAX_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"OCP serves at most {MAX_PAGE_SIZE} tasks a page")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's own options, on the parser that ``app.build_parser`` made for it."""
    parser.add_argument(
        "--cluster", required=True, type=positive_int, metavar="ID", help="the cluster's ID"
    )
    parser.add_argument(
        "--kind",
        choices=tuple(KINDS),
        default="data",
        help="data backup, log backup or restore tasks (default %(default)s)",
    )
    parser.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="only tasks in this status (repeatable); the known ones of --kind are accepted",
    )
    parser.add_argument("--since", type=time_argument, metavar="TIME", help="from TIME on")
    parser.add_argument("--until", type=time_argument, metavar="TIME", help="up to TIME")
    parser.add_argument(
        "--backup-set", type=positive_int, metavar="N", help="backup set ID (--kind data)"
    )
    parser.add_argument("--limit", type=positive_int, metavar="N", help="stop after N tasks")
    parser.add_argument(
        "--page-size",
        type=_page_size,
        metavar="N",
        help="tasks per request (default: as many as OCP serves in one page)",
    )
    add_timeout_alias(parser)
    parser.set_defaults(run=run)


def status_values(model: type[Model]) -> tuple[str, ...]:
    """The known values of ``model``'s ``status`` field, from its kind (the spec's enum)."""
    from ... import _kinds

    for item in model.__ocp_fields__:
        if item.json_name == "status" and isinstance(item.kind, _kinds.Enum):
            return tuple(str(value) for value in item.kind.by_value)
    raise LookupError(f"{model.__name__} has no status field with known values")


def _window(
    args: argparse.Namespace, now: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    since_spec: TimeSpec | None = args.since
    until_spec: TimeSpec | None = args.until
    if since_spec is None and until_spec is None:
        return None, None
    if since_spec is None:
        raise UsageError(
            "--until needs --since: OCP filters on both times or neither "
            "(for everything up to --until, give an early --since)"
        )
    try:
        since = resolve_time(since_spec, now)
        until = now if until_spec is None else resolve_time(until_spec, now)
    except (OverflowError, ValueError):
        raise UsageError("--since/--until is too far in the past") from None
    if since > until:
        raise UsageError(f"--since ({since.isoformat()}) is after --until ({until.isoformat()})")
    return since, until


def _statuses(args: argparse.Namespace, kind: str, model: type[Model]) -> frozenset[str] | None:
    wanted: list[str] | None = args.status
    if not wanted:
        return None
    known = status_values(model)
    unknown = [value for value in wanted if value not in known]
    if unknown:
        raise UsageError(
            f"--status {unknown[0]!r} is not a status of {kind} tasks; known: {', '.join(known)}"
        )
    return frozenset(wanted)


def _counted(
    items: Iterable[T], progress: ProgressLine, every: int, total: int | None
) -> Iterator[T]:
    """``items``, showing after each full page how many were read (of how many)."""
    for count, item in enumerate(items, 1):
        yield item
        if count % every == 0:
            progress.show(count_text(count, total, "tasks") + "...")


def run(args: argparse.Namespace, context: Context) -> int:
    kind = KINDS[args.kind]
    url: str | None = None
    try:
        client, url = client_from(args, context.environ, context.redact)
        since, until = _window(args, context.now.replace(microsecond=0))
        if args.backup_set is not None and args.kind != "data":
            raise UsageError("--backup-set filters data backup tasks only (--kind data)")
        # Imported here, not at the top: the operation, the page walker and the models'
        # runtime (attrs) are not needed for --help.
        from ..._pagination import DEFAULT_CONCURRENCY, MAX_PAGE_SIZE
        from ..output import table_columns, write_items

        model = kind.model()
        statuses = _statuses(args, kind.noun, model)
    except UsageError as error:
        context.complain(error.message)
        return EXIT_USAGE
    operation = kind.module()
    cluster: int = args.cluster
    limit: int | None = args.limit
    page_size: int = args.page_size or MAX_PAGE_SIZE
    output: str = args.output
    size = min(page_size, limit) if limit is not None and statuses is None else page_size
    # Under --limit, pages come one by one, so that none is fetched ahead only to be dropped.
    concurrency = 1 if limit is not None else DEFAULT_CONCURRENCY
    filters: dict[str, Any] = {"start_time": since, "end_time": until}
    if args.backup_set is not None:
        filters["backup_set_id"] = args.backup_set
    columns = table_columns(model, kind.fields, headers=kind.headers, duration=kind.duration)
    # Rows streamed to the terminal would be overwritten by the progress line.
    streamed_to_terminal = output != "json" and context.stdout.isatty()
    progress = ProgressLine(context.stderr, PROG, enabled=not streamed_to_terminal)
    try:
        with client:
            total: int | None = None
            if progress.shown:
                # One item, for the total the progress line shows (only when it is shown).
                first = operation.sync(cluster, client=client, size=1, **filters)
                total = first.page.total_elements
                if total is not None and limit is not None and statuses is None:
                    total = min(total, limit)
            items: Iterable[Any] = _counted(
                operation.sync_iter(
                    cluster,
                    client=client,
                    size=size,
                    concurrency=concurrency,
                    walk_retry=walk_retry(args),
                    **filters,
                ),
                progress,
                size,
                total,
            )
            if statuses is not None:
                items = (item for item in items if item.status in statuses)
            if limit is not None:
                items = islice(items, limit)
            if output == "json":
                items = list(items)  # a failure part-way leaves no half array
                progress.clear()
            write_items(items, context.stdout, output, model, columns)
            context.stdout.flush()
    except KeyboardInterrupt:
        progress.clear()
        context.complain("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:  # OCP's errors, and anything else (a full disk): one line
        progress.clear()
        context.report(error, url)
        return EXIT_OCP_ERROR
    progress.clear()
    return EXIT_OK
