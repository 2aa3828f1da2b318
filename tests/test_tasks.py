"""Waiting for a task instance (``ocp_client.tasks``), against a real HTTP server on 127.0.0.1
that scripts a task: each poll of ``getTaskInstance`` answers the task's next state, built from
the vendor's sample of that operation, and ``getSubtaskInstanceLog`` answers a subtask's log.
Time is a fake clock (no real sleeping) except in one test of the real clock."""

from __future__ import annotations

import asyncio
import copy
import enum
import json
import pickle
import re
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ocp_client import Client, errors, tasks
from ocp_client.models import SubtaskStatus, TaskInstance, TaskStatus
from tests.conftest import SAMPLES, load_sample, spec_model_of
from tests.local_server import TLS, error_body, serving

TASK_ID = 35000312
SAMPLE: dict[str, Any] = load_sample(SAMPLES / "get-task-instance.page-sample.json")
SUBTASK_IDS = [s["id"] for s in SAMPLE["data"]["subtasks"][:3]]
LOG = "############{EXECUTE}{2021-08-25T15:09:32.697+08:00}############\nstep 1\ndisk full\n"


def _route(operation_id: str) -> re.Pattern[str]:
    """The spec's path of an operation as a pattern whose groups are its path parameters."""
    operation = next(o for o in spec_model_of().operations if o.id == operation_id)
    return re.compile(re.sub(r"\{[^}]+\}", r"(\\d+)", operation.path) + r"$")


TASK_ROUTE = _route("getTaskInstance")
LOG_ROUTE = _route("getSubtaskInstanceLog")


def state(status: str, *subtasks: str) -> dict[str, Any]:
    """The sample's task with this status and as many subtasks as statuses given."""
    body = copy.deepcopy(SAMPLE)
    task = body["data"]
    task["status"] = status
    task["subtasks"] = task["subtasks"][: len(subtasks)]
    for subtask, subtask_status in zip(task["subtasks"], subtasks, strict=True):
        subtask["status"] = subtask_status
    return body


class TaskServer(ThreadingHTTPServer):
    """Answers each poll of task ``TASK_ID`` with the next of ``states`` (the last one again when
    done), each subtask log with ``logs`` (``log_status`` other than 200: an error answer)."""

    def __init__(self, states: list[dict[str, Any]], log_status: int = 200) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.states = states
        self.log_status = log_status
        self.requests: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def answer(self, path: str) -> tuple[int, bytes]:
        with self.lock:
            self.requests.append(path)
            task = TASK_ROUTE.match(path)
            if task and int(task[1]) == TASK_ID:
                body = self.states.pop(0) if len(self.states) > 1 else self.states[0]
                return 200, json.dumps(body).encode()
            log = LOG_ROUTE.match(path)
            if log and int(log[1]) == TASK_ID and self.log_status == 200:
                answer = {**SAMPLE, "data": {"log": f"subtask {log[2]}\n{LOG}"}}
                return 200, json.dumps(answer).encode()
            if log and int(log[1]) == TASK_ID:
                return self.log_status, error_body(self.log_status, 10000, "log store down")
            return 404, error_body(404, 10002, f"no task at {path}")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: TaskServer = self.server  # type: ignore[assignment]
        status, body = server.answer(self.path)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the lines add nothing to a failing test's output."""


class FakeClock:
    """A clock that moves only when slept on; records each sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def serve(*states: dict[str, Any], log_status: int = 200) -> Any:
    return serving(TaskServer(list(states), log_status))


def client(server: TaskServer) -> Client:
    return Client(server.url, verify=TLS, timeout=5, max_retries=0)


PROGRESSING = [
    state("RUNNING", "PENDING", "PENDING", "PENDING"),
    state("RUNNING", "RUNNING", "PENDING", "PENDING"),
    state("RUNNING", "SUCCESSFUL", "RUNNING", "PENDING"),
    state("RUNNING", "SUCCESSFUL", "RUNNING", "PENDING"),  # no change: no callback
    state("RUNNING", "SUCCESSFUL", "SUCCESSFUL", "READY"),
    state("SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL"),
]
# (status, done, total) reported: once per change, the unchanged poll left out.
PROGRESSED = [
    ("RUNNING", 0, 3),
    ("RUNNING", 1, 3),
    ("RUNNING", 2, 3),
    ("SUCCESSFUL", 3, 3),
]
FAILING = [
    state("RUNNING", "SUCCESSFUL", "RUNNING", "PENDING"),
    state("FAILED", "SUCCESSFUL", "FAILED", "PENDING"),
]
FAST: dict[str, Any] = {"interval": 1.0, "max_interval": 4.0, "backoff": 2.0, "jitter": 0.0}


# --- the states come from the spec ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("enum", "table"), [("TaskStatus", tasks.TASK_STATES), ("SubtaskStatus", tasks.SUBTASK_STATES)]
)
def test_state_tables_are_the_specs(enum: str, table: Any) -> None:
    spec = spec_model_of()
    states = spec.enums[enum].schema["x-ocp-states"]
    assert {str(k): str(v) for k, v in table.items()} == states
    assert set(states) == set(spec.enums[enum].values)


def test_every_state_the_spec_uses_is_known() -> None:
    spec = spec_model_of()
    used = {v for e in spec.enums.values() for v in e.schema.get("x-ocp-states", {}).values()}
    assert used == {str(s) for s in tasks.State}


def test_an_unknown_status_is_running() -> None:
    assert tasks.task_state("PAUSED_BY_A_NEWER_OCP") is tasks.State.RUNNING
    assert tasks.subtask_state("SUSPENDED") is tasks.State.RUNNING
    assert tasks.task_state(TaskStatus.FAILED) is tasks.State.FAILED
    assert tasks.subtask_state(SubtaskStatus.READY) is tasks.State.WAITING


# --- waiting -------------------------------------------------------------------------------------


def test_waits_until_successful_reporting_progress() -> None:
    seen: list[tasks.Progress] = []
    clock = FakeClock()
    with serve(*PROGRESSING) as server, client(server) as c:
        task = tasks.wait_for_task(
            TASK_ID, client=c, on_progress=seen.append, clock=clock, sleep=clock.sleep, **FAST
        )
    assert isinstance(task, TaskInstance)
    assert task.id == TASK_ID and task.status is TaskStatus.SUCCESSFUL
    assert [(p.status, p.done, p.total) for p in seen] == PROGRESSED
    assert (
        seen[-1].task == task
        and seen[-1].fraction == 1.0
        and str(seen[1]) == ("RUNNING, 1/3 subtasks done")
    )
    assert len(server.requests) == len(PROGRESSING)
    assert clock.sleeps == [1.0, 2.0, 4.0, 4.0, 4.0]  # backoff, capped at max_interval


def test_async_waits_until_successful_reporting_progress() -> None:
    seen: list[tuple[str, int, int]] = []
    clock = FakeClock()

    async def record(progress: tasks.Progress) -> None:  # a coroutine function is awaited
        seen.append((progress.status, progress.done, progress.total))

    async def main(server: TaskServer) -> TaskInstance:
        async with client(server) as c:
            return await tasks.async_wait_for_task(
                TASK_ID, client=c, on_progress=record, clock=clock, sleep=clock.async_sleep, **FAST
            )

    with serve(*PROGRESSING) as server:
        task = asyncio.run(main(server))
    assert task.status is TaskStatus.SUCCESSFUL
    assert seen == PROGRESSED
    assert clock.sleeps == [1.0, 2.0, 4.0, 4.0, 4.0]


def test_an_unknown_status_keeps_the_wait_going() -> None:
    seen: list[tasks.Progress] = []
    clock = FakeClock()
    states = [
        state("QUEUED_BY_A_NEWER_OCP", "SUSPENDED", "PENDING"),
        state("RUNNING", "SUCCESSFUL", "SUSPENDED"),
        state("SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL"),
    ]
    with serve(*states) as server, client(server) as c:
        task = tasks.wait_for_task(
            TASK_ID, client=c, on_progress=seen.append, clock=clock, sleep=clock.sleep, **FAST
        )
    assert task.status is TaskStatus.SUCCESSFUL
    # The unknown statuses arrive as they are sent, and count as running (not done).
    assert [(p.status, p.done, p.state) for p in seen] == [
        ("QUEUED_BY_A_NEWER_OCP", 0, tasks.State.RUNNING),
        ("RUNNING", 1, tasks.State.RUNNING),
        ("SUCCESSFUL", 2, tasks.State.SUCCEEDED),
    ]


def test_failure_names_the_task_and_subtask_with_its_log() -> None:
    clock = FakeClock()
    with (
        serve(*FAILING) as server,
        client(server) as c,
        pytest.raises(tasks.TaskFailedError) as caught,
    ):
        tasks.wait_for_task(
            TASK_ID, client=c, fetch_log=True, clock=clock, sleep=clock.sleep, **FAST
        )
    error = caught.value
    failed = SUBTASK_IDS[1]
    assert isinstance(error, errors.OcpError)
    assert error.task_id == TASK_ID and error.task.status is TaskStatus.FAILED
    assert [s.id for s in error.failed_subtasks] == [failed]
    assert error.log == f"subtask {failed}\n{LOG}" and error.log_errors == {}
    message = str(error)
    name = SAMPLE["data"]["subtasks"][1]["name"]
    assert f"task {TASK_ID} 'Reinstall OCP agent' FAILED" in message
    assert f"subtask {failed} {name!r} FAILED (log: disk full)" in message
    assert server.requests[-1].endswith(f"/{TASK_ID}/subtasks/{failed}/log")


def test_async_failure_carries_the_log() -> None:
    async def main(server: TaskServer) -> None:
        async with client(server) as c:
            await tasks.async_wait_for_task(
                TASK_ID, client=c, fetch_log=True, clock=clock, sleep=clock.async_sleep, **FAST
            )

    clock = FakeClock()
    with serve(*FAILING) as server, pytest.raises(tasks.TaskFailedError) as caught:
        asyncio.run(main(server))
    assert [s.id for s in caught.value.failed_subtasks] == [SUBTASK_IDS[1]]
    assert caught.value.log == f"subtask {SUBTASK_IDS[1]}\n{LOG}"
    assert f"subtask {SUBTASK_IDS[1]}" in str(caught.value)


def test_failure_without_fetch_log_reads_no_log() -> None:
    clock = FakeClock()
    with (
        serve(*FAILING) as server,
        client(server) as c,
        pytest.raises(tasks.TaskFailedError) as caught,
    ):
        tasks.wait_for_task(TASK_ID, client=c, clock=clock, sleep=clock.sleep, **FAST)
    assert caught.value.log is None and caught.value.logs == {}
    assert not any(r.endswith("/log") for r in server.requests)
    name = SAMPLE["data"]["subtasks"][1]["name"]
    assert str(caught.value).endswith(f"subtask {SUBTASK_IDS[1]} {name!r} FAILED")


def test_a_log_that_cannot_be_read_does_not_hide_the_failure() -> None:
    clock = FakeClock()
    with (
        serve(*FAILING, log_status=500) as server,
        client(server) as c,
        pytest.raises(tasks.TaskFailedError) as caught,
    ):
        tasks.wait_for_task(
            TASK_ID, client=c, fetch_log=True, clock=clock, sleep=clock.sleep, **FAST
        )
    (log_error,) = caught.value.log_errors.values()
    assert isinstance(log_error, errors.ServerError) and caught.value.log is None
    assert "(log unavailable: HTTP 500 code 10000: log store down" in str(caught.value)


def test_a_failed_task_without_a_failed_subtask_says_so() -> None:
    clock = FakeClock()
    with (
        serve(state("FAILED", "SUCCESSFUL", "PENDING")) as server,
        client(server) as c,
        pytest.raises(tasks.TaskFailedError) as caught,
    ):
        tasks.wait_for_task(TASK_ID, client=c, clock=clock, sleep=clock.sleep, **FAST)
    assert caught.value.failed_subtasks == []
    assert str(caught.value) == (
        f"task {TASK_ID} 'Reinstall OCP agent' FAILED: no subtask reports a failure"
    )


# --- the deadline --------------------------------------------------------------------------------


def test_the_deadline_names_the_task_its_status_and_progress() -> None:
    clock = FakeClock()
    with (
        serve(state("RUNNING", "SUCCESSFUL", "RUNNING", "PENDING")) as server,
        client(server) as c,
        pytest.raises(tasks.TaskTimeoutError) as caught,
    ):
        tasks.wait_for_task(TASK_ID, client=c, timeout=10, clock=clock, sleep=clock.sleep, **FAST)
    error = caught.value
    assert isinstance(error, errors.OcpError) and isinstance(error, TimeoutError)
    assert not isinstance(error, errors.TransportError)  # the wait's deadline, not a request's
    # Sleeps of 1, 2, 4, then the 3 s left: the last poll sees the task at the deadline.
    assert clock.sleeps == [1.0, 2.0, 4.0, 3.0] and clock.now == 1010.0
    assert error.task_id == TASK_ID and error.status is TaskStatus.RUNNING
    assert (error.progress.done, error.progress.total, error.polls) == (1, 3, 5)
    assert len(server.requests) == 5
    assert str(error) == (
        f"task {TASK_ID} 'Reinstall OCP agent' did not end within the wait's 10 s (5 polls): "
        "last RUNNING, 1/3 subtasks done"
    )


def test_the_count_of_polls_is_bounded_when_the_clock_stands_still() -> None:
    slept: list[float] = []
    with (
        serve(state("RUNNING", "RUNNING")) as server,
        client(server) as c,
        pytest.raises(tasks.TaskTimeoutError) as caught,
    ):
        tasks.wait_for_task(
            TASK_ID, client=c, timeout=3, clock=lambda: 0.0, sleep=slept.append, **FAST
        )
    # ceil(timeout / interval) + 2 polls: what a clock that moves would allow at most.
    assert caught.value.polls == len(server.requests) == 5 and len(slept) == 4


def test_a_huge_timeout_over_a_tiny_interval_is_a_wait_like_any_other() -> None:
    """1e300 s over 1e-10 s is more polls than a float counts: the wait still runs (it used to
    raise OverflowError), ending here when the task does."""
    clock = FakeClock()
    polls = [state("RUNNING", "RUNNING"), state("SUCCESSFUL", "SUCCESSFUL")]
    with serve(*polls) as server, client(server) as c:
        task = tasks.wait_for_task(
            TASK_ID, client=c, timeout=1e300, interval=1e-10, clock=clock, sleep=clock.sleep
        )
    assert task.status is TaskStatus.SUCCESSFUL


def test_the_real_clock_and_sleep() -> None:
    with (
        serve(state("RUNNING", "RUNNING")) as server,
        client(server) as c,
        pytest.raises(tasks.TaskTimeoutError) as caught,
    ):
        tasks.wait_for_task(TASK_ID, client=c, timeout=0.2, interval=0.05, backoff=1.0)
    assert 3 <= caught.value.polls <= 6


def test_async_deadline() -> None:
    async def main(server: TaskServer) -> None:
        async with client(server) as c:
            await tasks.async_wait_for_task(
                TASK_ID, client=c, timeout=2, clock=clock, sleep=clock.async_sleep, **FAST
            )

    clock = FakeClock()
    with serve(state("RUNNING", "PENDING")) as server, pytest.raises(tasks.TaskTimeoutError) as c:
        asyncio.run(main(server))
    assert clock.sleeps == [1.0, 1.0] and c.value.progress.total == 1


def test_jitter_adds_up_to_its_share() -> None:
    clock = FakeClock()
    with (
        serve(state("RUNNING", "RUNNING")) as server,
        client(server) as c,
        pytest.raises(tasks.TaskTimeoutError),
    ):
        tasks.wait_for_task(
            TASK_ID,
            client=c,
            timeout=100,
            interval=1,
            max_interval=1,
            jitter=0.5,
            clock=clock,
            sleep=clock.sleep,
        )
    assert all(1.0 <= s <= 1.5 for s in clock.sleeps[:-1]) and len(set(clock.sleeps)) > 1


# --- arguments and errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("task_id", 0),
        ("task_id", "35000312"),
        ("task_id", True),
        ("client", "http://ocp:8080"),
        ("timeout", 0),
        ("timeout", float("inf")),
        ("interval", -1.0),
        ("interval", float("nan")),
        ("max_interval", 0.5),  # below interval
        ("backoff", 0.9),
        ("backoff", True),
        ("backoff", 10**400),  # beyond a float's range (was an OverflowError)
        ("jitter", 1.5),
        ("jitter", -0.1),
        ("jitter", "0.1"),
        ("jitter", Decimal("0.1")),
        # timeout, interval and max_interval: tests/test_arguments.py, with every other place
        # that takes seconds
        ("on_progress", "print"),
        ("fetch_log", 1),
        ("clock", 0.0),
        ("sleep", 1),
    ],
)
def test_bad_arguments_are_refused_before_any_request(argument: str, value: object) -> None:
    with serve(state("SUCCESSFUL")) as server, client(server) as c:
        arguments: dict[str, Any] = {"task_id": TASK_ID, "client": c, argument: value}
        with pytest.raises(errors.RequestValidationError) as caught:
            tasks.wait_for_task(**arguments)
        with pytest.raises(errors.RequestValidationError):
            asyncio.run(tasks.async_wait_for_task(**arguments))
    assert caught.value.argument == argument and repr(value) in str(caught.value)
    assert server.requests == []


class Factor(float):
    """A float subclass, as numpy.float64 is."""


class Share(enum.IntEnum):
    NONE = 0


def test_a_backoff_and_jitter_of_any_int_or_float_type_are_taken() -> None:
    """What the annotation ``float`` takes, as the seconds are (tests/test_arguments.py)."""
    clock = FakeClock()
    with serve(*PROGRESSING) as server, client(server) as c:
        tasks.wait_for_task(
            TASK_ID, client=c, clock=clock, sleep=clock.sleep,
            **{**FAST, "backoff": Factor(2.0), "jitter": Share.NONE},
        )  # fmt: skip
    assert clock.sleeps == [1.0, 2.0, 4.0, 4.0, 4.0]


def test_an_unknown_task_is_the_servers_error() -> None:
    with (
        serve(state("SUCCESSFUL")) as server,
        client(server) as c,
        pytest.raises(errors.NotFoundError),
    ):
        tasks.wait_for_task(TASK_ID + 1, client=c)


def test_the_errors_pickle() -> None:
    task = TaskInstance.from_dict(FAILING[-1]["data"])
    failed = [s for s in task.subtasks or [] if s.status == "FAILED"]
    samples: list[errors.OcpError] = [
        tasks.TaskFailedError(task, failed, {failed[0].id: LOG}),
        tasks.TaskFailedError(task, failed, {}, {failed[0].id: errors.ServerError(500, "down")}),
        tasks.TaskTimeoutError(TASK_ID, 10.0, 4, tasks.Progress.of(task)),
    ]
    for error in samples:
        copied = pickle.loads(pickle.dumps(error))
        assert type(copied) is type(error) and str(copied) == str(error)
        assert vars(copied).keys() == vars(error).keys()


def test_what_on_progress_raises_ends_the_wait() -> None:
    clock = FakeClock()

    class Stop(Exception):
        pass

    def stop(progress: tasks.Progress) -> None:
        if progress.done:
            raise Stop(progress)

    with (
        serve(*PROGRESSING) as server,
        client(server) as c,
        pytest.raises(Stop),
    ):
        tasks.wait_for_task(TASK_ID, client=c, on_progress=stop, clock=clock, sleep=clock.sleep)
    assert len(server.requests) == 3  # the third poll is the first with a subtask done
