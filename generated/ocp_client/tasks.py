"""Waiting for an OCP task instance: poll it with backoff until it ends, with a deadline.

Hand-written. Operations that start work (a backup now, a retry, ...) answer a task instance or
its ID; :func:`wait_for_task` (and :func:`async_wait_for_task`) poll ``getTaskInstance`` until
the task's own status ends the wait::

    from ocp_client import Client, tasks

    with Client.from_env() as client:
        def show(p: tasks.Progress) -> None:
            print(f"{p.status}: {p.done}/{p.total} subtasks done")

        try:
            task = tasks.wait_for_task(
                task_id, client=client, timeout=1800, on_progress=show, fetch_log=True
            )
        except tasks.TaskFailedError as error:
            print(error)        # names the task and its failed subtask(s)
            print(error.log)    # the failed subtask's log (fetch_log=True)
        except tasks.TaskTimeoutError as error:
            print(error)        # the task's last status and progress when the wait gave up

What each status means to a waiter is the spec's ``x-ocp-states`` extension on ``TaskStatus``
and ``SubtaskStatus`` (``waiting``, ``running``, ``succeeded``, ``failed``); a status the spec does
not know (a newer OCP's) reads as running. The tables below hold those facts and a test holds
them equal to the spec. Progress is counted on the subtasks of ``getTaskInstance``'s answer
(subtasks done / all), and the task's own status decides when the wait ends: in a listing,
subtasks can lag the task's status (the spec's ``x-ocp-decision`` on ``TaskInstance``).
"""

from __future__ import annotations

import asyncio
import inspect
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from . import _validation
from .api.task import get_subtask_instance_log, get_task_instance
from .client import Client
from .errors import OcpError, RequestValidationError, short_repr
from .models.subtask_instance import SubtaskInstance
from .models.subtask_status import SubtaskStatus
from .models.task_instance import TaskInstance
from .models.task_status import TaskStatus

__all__ = [
    "SUBTASK_STATES",
    "TASK_STATES",
    "Progress",
    "State",
    "TaskFailedError",
    "TaskTimeoutError",
    "async_wait_for_task",
    "subtask_state",
    "task_state",
    "wait_for_task",
]


class State(StrEnum):
    """What a status means to a client waiting for the work (the spec's ``x-ocp-states``)."""

    WAITING = "waiting"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    __str__ = str.__str__


# The spec's x-ocp-states, which the generated enums do not carry (tests/test_tasks.py holds
# these equal to openapi/ocp.yaml; once the generator emits them, read them from there).
TASK_STATES: Mapping[str, State] = MappingProxyType(
    {
        TaskStatus.RUNNING: State.RUNNING,
        TaskStatus.FAILED: State.FAILED,
        TaskStatus.SUCCESSFUL: State.SUCCEEDED,
    }
)
"""Each known :class:`TaskStatus` and its :class:`State`."""

SUBTASK_STATES: Mapping[str, State] = MappingProxyType(
    {
        SubtaskStatus.PENDING: State.WAITING,
        SubtaskStatus.READY: State.WAITING,
        SubtaskStatus.RUNNING: State.RUNNING,
        SubtaskStatus.CANCELING: State.RUNNING,
        SubtaskStatus.FAILED: State.FAILED,
        SubtaskStatus.SUCCESSFUL: State.SUCCEEDED,
    }
)
"""Each known :class:`SubtaskStatus` and its :class:`State`."""


def task_state(status: TaskStatus | str) -> State:
    """What a task's status means to a waiter; a status the spec does not know is running."""
    return TASK_STATES.get(status, State.RUNNING)


def subtask_state(status: SubtaskStatus | str) -> State:
    """What a subtask's status means to a waiter; a status the spec does not know is running."""
    return SUBTASK_STATES.get(status, State.RUNNING)


@dataclass(frozen=True)
class Progress:
    """Where a task stands at one poll: ``done`` of its ``total`` subtasks have succeeded (a
    skipped subtask counts: a skip marks it successful), and the task's own ``status``."""

    task: TaskInstance
    done: int
    total: int
    status: TaskStatus | str

    @classmethod
    def of(cls, task: TaskInstance) -> Progress:
        """The progress of a task as ``getTaskInstance`` answered it."""
        subtasks = task.subtasks or []
        done = sum(subtask_state(s.status) is State.SUCCEEDED for s in subtasks)
        return cls(task=task, done=done, total=len(subtasks), status=task.status)

    @property
    def state(self) -> State:
        return task_state(self.status)

    @property
    def fraction(self) -> float | None:
        """``done / total``; None for a task without subtasks (yet)."""
        return self.done / self.total if self.total else None

    def __str__(self) -> str:
        return f"{self.status}, {self.done}/{self.total} subtasks done"

    def _key(self) -> tuple[str, int, int]:
        return (str(self.status), self.done, self.total)


def _describe(task: TaskInstance | None, task_id: int) -> str:
    return f"task {task_id}" if task is None else f"task {task.id} {short_repr(task.name)}"


_LOG_LINE = 200
_MOST_POLLS = 2**53  # polls of one wait at most, whatever its timeout and interval


def _last_line(log: str) -> str:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1]
    return line if len(line) <= _LOG_LINE else f"{line[: _LOG_LINE - 3]}..."


class TaskFailedError(OcpError):
    """The task ended ``FAILED``. ``task`` is its last answer, ``failed_subtasks`` the subtasks
    whose status is failed (empty when none says so yet), ``logs`` their logs by subtask id
    when ``fetch_log=True`` was asked, and ``log_errors`` the error of each log that could not be
    read (the task's failure is what is raised, not that)."""

    def __init__(
        self,
        task: TaskInstance,
        failed_subtasks: list[SubtaskInstance],
        logs: Mapping[int, str] | None = None,
        log_errors: Mapping[int, OcpError] | None = None,
    ) -> None:
        self.task = task
        self.failed_subtasks = list(failed_subtasks)
        self.logs = dict(logs or {})
        self.log_errors = dict(log_errors or {})
        super().__init__(self._message())

    @property
    def task_id(self) -> int:
        return self.task.id

    @property
    def log(self) -> str | None:
        """The log of the first failed subtask, when it was fetched."""
        for subtask in self.failed_subtasks:
            if subtask.id in self.logs:
                return self.logs[subtask.id]
        return None

    def _message(self) -> str:
        head = f"{_describe(self.task, self.task.id)} {self.task.status}"
        if not self.failed_subtasks:
            return f"{head}: no subtask reports a failure"
        parts = []
        for subtask in self.failed_subtasks:
            part = f"subtask {subtask.id} {short_repr(subtask.name)} {subtask.status}"
            if subtask.id in self.logs:
                last = _last_line(self.logs[subtask.id])
                part += f" (log: {last})" if last else " (log empty)"
            elif subtask.id in self.log_errors:
                part += f" (log unavailable: {self.log_errors[subtask.id]})"
            parts.append(part)
        return f"{head}: {'; '.join(parts)}"

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.task, self.failed_subtasks, self.logs, self.log_errors)


class TaskTimeoutError(OcpError, TimeoutError):
    """The wait's deadline passed before the task ended (not one request's timeout: that is
    ``errors.RequestTimeoutError``). ``task_id``, ``timeout`` (the wait's seconds), ``polls``,
    and the last answer: ``progress`` (its ``task``, ``status``, ``done``, ``total``)."""

    def __init__(self, task_id: int, timeout: float, polls: int, progress: Progress) -> None:
        self.task_id = task_id
        self.timeout = timeout
        self.polls = polls
        self.progress = progress
        super().__init__(
            f"{_describe(progress.task, task_id)} did not end within the wait's {timeout:g} s "
            f"({polls} polls): last {progress}"
        )

    @property
    def task(self) -> TaskInstance:
        return self.progress.task

    @property
    def status(self) -> TaskStatus | str:
        return self.progress.status

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.task_id, self.timeout, self.polls, self.progress)


# --- the wait, shared by the sync and async loops ------------------------------------------------


class _Wait:
    """The arguments of one wait, checked, and its state between polls."""

    def __init__(self, arguments: Mapping[str, Any]) -> None:
        task_id = arguments["task_id"]
        if type(task_id) is not int or task_id < 1:
            raise RequestValidationError(
                "task_id", f"expected a task instance ID (an int of at least 1), got {task_id!r}"
            )
        if not isinstance(arguments["client"], Client):
            raise RequestValidationError(
                "client", f"expected an ocp_client.Client, got {short_repr(arguments['client'])}"
            )
        self.task_id: int = task_id
        # An interval of 0 is refused: it would poll OCP back to back, and leave the count of
        # polls (timeout / interval) unbounded.
        self.timeout = _validation.seconds("timeout", arguments["timeout"])
        self.interval = _validation.seconds("interval", arguments["interval"])
        self.max_interval = _validation.seconds("max_interval", arguments["max_interval"])
        if self.max_interval < self.interval:
            raise RequestValidationError(
                "max_interval",
                f"expected at least interval ({self.interval:g}), got {self.max_interval:g}",
            )
        backoff = _validation.real(arguments["backoff"])
        if backoff is None or backoff < 1:
            raise RequestValidationError(
                "backoff", f"expected a number of at least 1, got {arguments['backoff']!r}"
            )
        jitter = _validation.real(arguments["jitter"])
        if jitter is None or not 0 <= jitter <= 1:
            raise RequestValidationError(
                "jitter", f"expected a number from 0 to 1, got {arguments['jitter']!r}"
            )
        self.backoff: float = backoff
        self.jitter: float = jitter
        for name in ("on_progress", "clock", "sleep"):
            if arguments[name] is not None and not callable(arguments[name]):
                raise RequestValidationError(name, f"expected a callable, got {arguments[name]!r}")
        if not isinstance(arguments["fetch_log"], bool):
            raise RequestValidationError(
                "fetch_log", f"expected a bool, got {arguments['fetch_log']!r}"
            )
        self.fetch_log: bool = arguments["fetch_log"]
        self.clock: Callable[[], float] = arguments["clock"] or time.monotonic
        self.on_progress: Callable[[Progress], object] | None = arguments["on_progress"]
        # Every sleep but the last lasts at least `interval`, so a wait of `timeout` seconds
        # polls at most this often; the bound also stops a clock that does not advance.
        # (Capped: a huge timeout over a tiny interval is no count a loop can hold.)
        self.max_polls = math.ceil(min(self.timeout / self.interval, _MOST_POLLS)) + 2
        self.polls = 0
        self.delay = self.interval
        self.deadline = self.clock() + self.timeout
        self.reported: tuple[str, int, int] | None = None

    def observe(self, task: TaskInstance) -> tuple[Progress, bool]:
        """Count one poll's answer; the progress, and whether it changed since last reported."""
        self.polls += 1
        progress = Progress.of(task)
        changed = progress._key() != self.reported
        self.reported = progress._key()
        return progress, changed

    def next_sleep(self, progress: Progress) -> float:
        """Seconds to sleep before the next poll; raises TaskTimeoutError when none is left."""
        remaining = self.deadline - self.clock()
        if remaining <= 0 or self.polls >= self.max_polls:
            raise TaskTimeoutError(self.task_id, self.timeout, self.polls, progress)
        seconds = self.delay * (1 + self.jitter * random.random())
        self.delay = min(self.delay * self.backoff, self.max_interval)
        # The last sleep ends at the deadline, so the last poll sees the task then.
        return min(seconds, remaining)


def _failed(task: TaskInstance) -> list[SubtaskInstance]:
    return [s for s in task.subtasks or [] if subtask_state(s.status) is State.FAILED]


def wait_for_task(
    task_id: int,
    *,
    client: Client,
    timeout: float = 3600.0,
    interval: float = 1.0,
    max_interval: float = 30.0,
    backoff: float = 1.5,
    jitter: float = 0.1,
    on_progress: Callable[[Progress], object] | None = None,
    fetch_log: bool = False,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], object] | None = None,
) -> TaskInstance:
    """Poll the task instance ``task_id`` until it ends; its last answer when it succeeded.

    Args:
        task_id: The task instance's ID (``id`` of a ``TaskInstance``; ``taskInstanceId``).
        client: Where OCP is (``ocp_client.Client``); each poll is one ``getTaskInstance`` call
            with the client's timeout, deadline and retries.
        timeout: Seconds the whole wait may take (default an hour). A poll in flight when it
            passes runs to its own end (at most the client's call deadline).
        interval, max_interval, backoff: The first wait between polls in seconds, the longest,
            and the factor from one to the next (1: a fixed interval).
        jitter: Up to this share of each wait (0 to 1) is added at random, so that many
            waiters do not poll in step.
        on_progress: Called with a :class:`Progress` at the first poll and whenever the status
            or the count of subtasks done changes (not at every poll). What it raises ends the
            wait.
        fetch_log: On failure, fetch the failed subtasks' logs into the error.
        clock, sleep: ``time.monotonic`` and ``time.sleep`` unless given (tests give fakes).

    Returns:
        The task instance, whose status is ``SUCCESSFUL``.

    Raises:
        TaskFailedError: The task ended ``FAILED``, with its failed subtasks (and their logs).
        TaskTimeoutError: ``timeout`` passed first, with the task's last status and progress.
        errors.RequestValidationError: An argument is not as described here, naming it.
        errors.OcpError: A poll failed (after the client's retries): ``NotFoundError`` for an
            unknown task, ``TransportError``, ...
    """
    wait = _Wait(locals())
    pause: Callable[[float], object] = sleep or time.sleep
    # Bounded twice: by the count of polls and by the deadline (next_sleep raises at either).
    for _ in range(wait.max_polls):
        task = get_task_instance.sync(task_id, client=client)
        progress, changed = wait.observe(task)
        if changed and wait.on_progress is not None:
            wait.on_progress(progress)
        if progress.state is State.SUCCEEDED:
            return task
        if progress.state is State.FAILED:
            failed = _failed(task)
            logs: dict[int, str] = {}
            errors: dict[int, OcpError] = {}
            for subtask in failed if fetch_log else []:
                try:
                    logs[subtask.id] = get_subtask_instance_log.sync(
                        task_id, subtask.id, client=client
                    ).log
                except OcpError as error:
                    errors[subtask.id] = error
            raise TaskFailedError(task, failed, logs, errors)
        pause(wait.next_sleep(progress))
    raise AssertionError("unreachable: next_sleep raises at the last poll")  # pragma: no cover


async def async_wait_for_task(
    task_id: int,
    *,
    client: Client,
    timeout: float = 3600.0,
    interval: float = 1.0,
    max_interval: float = 30.0,
    backoff: float = 1.5,
    jitter: float = 0.1,
    on_progress: Callable[[Progress], object] | None = None,
    fetch_log: bool = False,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[object]] | None = None,
) -> TaskInstance:
    """As :func:`wait_for_task`, awaited: polls with ``client``'s async side and sleeps with
    ``asyncio.sleep``; ``on_progress`` may also be a coroutine function (it is awaited)."""
    wait = _Wait(locals())
    pause: Callable[[float], Awaitable[object]] = sleep or asyncio.sleep
    for _ in range(wait.max_polls):
        task = await get_task_instance.asyncio(task_id, client=client)
        progress, changed = wait.observe(task)
        if changed and wait.on_progress is not None:
            result = wait.on_progress(progress)
            if inspect.isawaitable(result):
                await result
        if progress.state is State.SUCCEEDED:
            return task
        if progress.state is State.FAILED:
            failed = _failed(task)
            logs: dict[int, str] = {}
            errors: dict[int, OcpError] = {}
            for subtask in failed if fetch_log else []:
                try:
                    answer = await get_subtask_instance_log.asyncio(
                        task_id, subtask.id, client=client
                    )
                    logs[subtask.id] = answer.log
                except OcpError as error:
                    errors[subtask.id] = error
            raise TaskFailedError(task, failed, logs, errors)
        await pause(wait.next_sleep(progress))
    raise AssertionError("unreachable: next_sleep raises at the last poll")  # pragma: no cover
