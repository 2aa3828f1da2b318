"""A call's arguments are checked against the spec before any request: a bad one is a
RequestValidationError that names it and says what was expected, and nothing is sent.

The cases are derived from the operation's parameters in the spec (their types and ranges, its
period), so they follow the spec. The SDK's own options in seconds and retries follow one rule
wherever they are taken (the last section)."""

from __future__ import annotations

import asyncio
import datetime
import enum
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import httpx
import pytest

import spec_model
from ocp_client import Client, errors, tasks
from ocp_client.retry import (
    DEADLINE_EXTENSION,
    RETRY_EXTENSION,
    AsyncRetryTransport,
    RetryPolicy,
    RetryTransport,
)
from tests.conftest import SAMPLES, load_sample
from tests.local_server import LISTING, TLS, ScriptedServer, scripted_server

CST = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2021, 9, 16, 15, 14, 51, tzinfo=CST)
END = datetime.datetime(2021, 9, 16, 15, 20, 51, tzinfo=CST)
START_NAME, END_NAME = LISTING.period
PERIOD = {START_NAME: START, END_NAME: END}


def bad_values(parameter: spec_model.Parameter) -> list[tuple[object, list[str]]]:
    """Values the parameter's type refuses, each with words the message must hold."""
    kind = parameter.type
    if isinstance(kind, spec_model.IntegerType):
        lower = 1 if kind.lower is None else kind.lower
        words = [str(bound) for bound in (kind.lower, kind.upper) if bound is not None]
        values: list[object] = [str(lower), True, float(lower)]  # a bool is not an int here
        values += [bound for bound in (_below(kind.lower), _above(kind.upper)) if bound is not None]
        return [(value, words) for value in values]
    if isinstance(kind, spec_model.DateTimeType):
        return [
            ("2021-09-16T15:14:51+08:00", ["datetime"]),
            (START.date(), ["datetime"]),
            (START.replace(tzinfo=None), ["naive"]),
        ]
    return []


def _below(bound: int | None) -> int | None:
    return None if bound is None else bound - 1


def _above(bound: int | None) -> int | None:
    return None if bound is None else bound + 1


def cases() -> list[Any]:
    found = []
    for parameter in LISTING.operation.parameters:
        for value, words in bad_values(parameter):
            found.append(
                pytest.param(parameter.py_name, value, words, id=f"{parameter.py_name}={value!r}")
            )
    return found


@pytest.mark.parametrize(("argument", "value", "words"), cases())
def test_a_bad_argument_is_refused_before_any_request(
    client: Client, server: ScriptedServer, argument: str, value: object, words: list[str]
) -> None:
    # A period's other end is given, so that the error is the value's, not the period's.
    others = PERIOD if argument in PERIOD else {}
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(client, **{**others, argument: value})
    message = str(caught.value)
    assert caught.value.argument == argument
    assert message.startswith(f"{argument}: expected ") and message.endswith(f"got {value!r}")
    assert all(word in message for word in words), message
    assert server.requests == []


def test_there_are_cases_for_every_kind_of_parameter() -> None:
    """The derivation above is not vacuous: the operation has integer and date-time
    parameters, path and query ones, and each is covered."""
    covered = {case.values[0] for case in cases()}
    parameters = LISTING.operation.parameters
    assert {p.py_name for p in parameters if bad_values(p)} == covered
    assert {p.location for p in parameters if p.py_name in covered} == {"path", "query"}


@pytest.mark.parametrize(
    "argument", [p.py_name for p in LISTING.operation.parameters if p.required]
)
def test_a_required_argument_given_as_none_is_refused(
    client: Client, server: ScriptedServer, argument: str
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(client, **{argument: None})
    assert caught.value.argument == argument and "missing" in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize("given", [START_NAME, END_NAME])
def test_a_period_is_given_whole(client: Client, server: ScriptedServer, given: str) -> None:
    missing = END_NAME if given == START_NAME else START_NAME
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(client, **{given: PERIOD[given]})
    assert caught.value.argument == missing
    assert "10006" in str(caught.value) and "go together" in str(caught.value)
    assert server.requests == []


def test_a_period_that_ends_before_it_starts_is_refused(
    client: Client, server: ScriptedServer
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(client, **{START_NAME: END, END_NAME: START})
    assert caught.value.argument == END_NAME and "10005" in str(caught.value)
    assert server.requests == []


def test_the_edges_of_what_the_spec_allows_are_sent(client: Client, server: ScriptedServer) -> None:
    """Each integer at its lower bound, then at its upper bound, and a period of one instant."""
    integers = [p for p in LISTING.operation.parameters
                if isinstance(p.type, spec_model.IntegerType)]  # fmt: skip
    for edge in ("lower", "upper"):
        values = {p.py_name: getattr(p.type, edge) for p in integers}
        values = {name: value for name, value in values.items() if value is not None}
        LISTING.call(client, **values, **{START_NAME: START, END_NAME: START})
    assert len(server.requests) == 2


def test_a_client_that_is_not_a_client_is_refused(server: ScriptedServer) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(object())
    assert caught.value.argument == "client"
    assert server.requests == []


@pytest.mark.parametrize("concurrency", [0, -1, "4", True, 2.0])
def test_a_bad_concurrency_is_refused_at_the_call(
    client: Client, server: ScriptedServer, concurrency: Any
) -> None:
    # At the call, not at the first next(): as every other argument.
    arguments = {**LISTING.path_arguments, "concurrency": concurrency}
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.module.sync_iter(client=client, **arguments)
    assert caught.value.argument == "concurrency"

    async def walk() -> None:
        async with Client(server.url, verify=TLS) as async_client:
            LISTING.module.asyncio_iter(client=async_client, **arguments)

    with pytest.raises(errors.RequestValidationError):
        asyncio.run(walk())
    assert server.requests == []


def test_iterators_check_every_argument_at_the_call(client: Client, server: ScriptedServer) -> None:
    for walk in (LISTING.module.sync_iter, LISTING.module.asyncio_iter):
        with pytest.raises(errors.RequestValidationError) as caught:
            walk(client=client, **LISTING.path_arguments, size=0)
        assert caught.value.argument == "size"
        with pytest.raises(errors.RequestValidationError) as caught:
            walk(client=client, **LISTING.path_arguments, timeout=-1)
        assert caught.value.argument == "timeout"
    assert server.requests == []


def test_asyncio_checks_arguments_too(server: ScriptedServer) -> None:
    async def call() -> None:
        async with Client(server.url, verify=TLS) as async_client:
            await LISTING.module.asyncio(client=async_client, **LISTING.path_arguments, size=0)

    with pytest.raises(errors.RequestValidationError) as caught:
        asyncio.run(call())
    assert caught.value.argument == "size"
    assert server.requests == []


def test_request_validation_errors_are_ocp_errors_and_value_errors() -> None:
    assert issubclass(errors.RequestValidationError, errors.OcpError)
    assert issubclass(errors.RequestValidationError, ValueError)


class PageSize(enum.IntEnum):
    SMALL = 10


def test_int_enum_members_are_ints_and_are_sent_as_their_value(
    client: Client, server: ScriptedServer
) -> None:
    LISTING.call(client, page=1, size=PageSize.SMALL)
    assert server.requests == [LISTING.target("page=1&size=10")]


class BrokenZone(datetime.tzinfo):
    def tzname(self, moment: datetime.datetime | None) -> str:
        return "BrokenZone"

    def utcoffset(self, moment: datetime.datetime | None) -> datetime.timedelta:
        raise RuntimeError("zone database unavailable")

    def dst(self, moment: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(0)


class DayLongZone(datetime.tzinfo):
    def tzname(self, moment: datetime.datetime | None) -> str:
        return "DayLongZone"

    def utcoffset(self, moment: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(hours=30)  # datetime refuses offsets of a day or more

    def dst(self, moment: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(0)


@pytest.mark.parametrize("zone", [BrokenZone(), DayLongZone()])
def test_a_time_whose_tzinfo_fails_is_refused(
    client: Client, server: ScriptedServer, zone: datetime.tzinfo
) -> None:
    broken = START.replace(tzinfo=zone)
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(client, **{START_NAME: broken, END_NAME: END})
    assert caught.value.argument == START_NAME and "tzinfo" in str(caught.value)
    assert server.requests == []


# --- the SDK's own options: seconds and retries -------------------------------------------------
# Every place that takes seconds (Client, each call and walk, sync and async, waiting on a task,
# RetryPolicy, the retry transport's deadline extension) or retries checks them by one rule
# (ocp_client._validation.seconds / retries): the same values pass and fail at each, with one
# message naming the argument, before any request. A number is what the annotations `float` and
# `int` take, as a type checker reads them: an int or a float, subclasses included (numpy.float64
# is a float; an IntEnum member an int), never a bool; a Decimal, a Fraction, a str are not.


class Seconds(float):
    """A float subclass, as numpy.float64 is (numpy is no dependency of the project)."""


class Retries(enum.IntEnum):
    TWO = 2


def _value(value: object) -> Any:
    shown = "10**400" if value == 10**400 else repr(value)  # beyond a float's range
    if type(value) is Seconds:
        shown = f"Seconds({value!r})"
    return pytest.param(value, id=shown)


NOT_SECONDS = [_value(v) for v in [-1.5, -math.inf, math.inf, math.nan, 10**400, True, False,
                                   "10", Decimal("5"), Fraction(5, 2), [5]]]  # fmt: skip
ZERO = [_value(v) for v in [0, 0.0, -0.0]]
SECONDS = [_value(v) for v in [1, 2.5, Seconds(2.5), 3600]]
NOT_RETRIES = [_value(v) for v in [-1, 1.0, True, False, "2", Decimal(2), [2]]]
RETRIES = [_value(v) for v in [0, 3, Retries.TWO]]

_TASK = load_sample(SAMPLES / "get-task-instance.page-sample.json")
TASK_ID: int = _TASK["data"]["id"]
TASK_DONE = json.dumps(_TASK).encode()  # the vendor's sample: a SUCCESSFUL task
assert _TASK["data"]["status"] == "SUCCESSFUL"


@dataclass(frozen=True)
class Site:
    """A place that takes an option: ``use(value, server)`` passes ``value`` there, and sends a
    request to ``server`` when the value is taken (``answer``: the reply it needs)."""

    name: str
    argument: str
    expected: str
    use: Callable[[object, ScriptedServer], object]
    zero: bool = False  # 0 s is taken: a wait that may be none
    answer: bytes | None = None

    def __str__(self) -> str:
        return self.name


def _client(server: ScriptedServer, **options: Any) -> Client:
    return Client(server.url, verify=TLS, **options)


def _call(server: ScriptedServer, **options: Any) -> object:
    with _client(server, max_retries=0) as client:
        return LISTING.call(client, **options)


def _acall(server: ScriptedServer, **options: Any) -> object:
    async def call() -> object:
        async with _client(server, max_retries=0) as client:
            return await LISTING.module.asyncio(client=client, **LISTING.path_arguments, **options)

    return asyncio.run(call())


def _walk(server: ScriptedServer, **options: Any) -> object:
    with _client(server, max_retries=0) as client:
        arguments = {**LISTING.path_arguments, "concurrency": 1, **options}
        return next(LISTING.module.sync_iter(client=client, **arguments))


def _awalk(server: ScriptedServer, **options: Any) -> object:
    async def walk() -> object:
        async with _client(server, max_retries=0) as client:
            arguments = {**LISTING.path_arguments, "concurrency": 1, **options}
            items = LISTING.module.asyncio_iter(client=client, **arguments)
            first = await anext(items)
            await items.aclose()
            return first

    return asyncio.run(walk())


def _wait(server: ScriptedServer, **options: Any) -> object:
    with _client(server, max_retries=0) as client:
        return tasks.wait_for_task(TASK_ID, client=client, **options)


def _await(server: ScriptedServer, **options: Any) -> object:
    async def wait() -> object:
        async with _client(server, max_retries=0) as client:
            return await tasks.async_wait_for_task(TASK_ID, client=client, **options)

    return asyncio.run(wait())


def _on_transport(server: ScriptedServer, extensions: dict[str, object]) -> object:
    """A request on httpx with the retry transport, as someone sends one without the SDK's
    operations."""
    transport = RetryTransport(transport=httpx.HTTPTransport(verify=TLS))
    with httpx.Client(transport=transport) as client:
        return client.get(server.url + LISTING.target(), extensions=extensions)


def _on_async_transport(server: ScriptedServer, extensions: dict[str, object]) -> object:
    async def get() -> object:
        transport = AsyncRetryTransport(transport=httpx.AsyncHTTPTransport(verify=TLS))
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(server.url + LISTING.target(), extensions=extensions)

    return asyncio.run(get())


def _with_client(**option: Any) -> Callable[[ScriptedServer], object]:
    def use(server: ScriptedServer) -> object:
        with _client(server, **option) as client:
            return LISTING.call(client)

    return use


def _policy(field: str) -> Callable[[object, ScriptedServer], object]:
    def use(value: object, server: ScriptedServer) -> object:
        fields: dict[str, Any] = {field: value}  # a value of any type: the point of the test
        return RetryPolicy(**fields)

    return use


TIMEOUT = "seconds above 0 or an httpx.Timeout"
ABOVE_0 = "seconds above 0"
AT_LEAST_0 = "seconds of at least 0"
DEADLINE_KEY = f"request.extensions[{DEADLINE_EXTENSION!r}]"
RETRY_KEY = f"request.extensions[{RETRY_EXTENSION!r}]"

SECONDS_SITES = [
    Site("Client(timeout)", "timeout", TIMEOUT, lambda v, s: _with_client(timeout=v)(s)),
    Site("Client(deadline)", "deadline", ABOVE_0, lambda v, s: _with_client(deadline=v)(s)),
    Site("sync(timeout)", "timeout", TIMEOUT, lambda v, s: _call(s, timeout=v)),
    Site("sync(deadline)", "deadline", ABOVE_0, lambda v, s: _call(s, deadline=v)),
    Site("asyncio(timeout)", "timeout", TIMEOUT, lambda v, s: _acall(s, timeout=v)),
    Site("asyncio(deadline)", "deadline", ABOVE_0, lambda v, s: _acall(s, deadline=v)),
    Site("sync_iter(timeout)", "timeout", TIMEOUT, lambda v, s: _walk(s, timeout=v)),
    Site("asyncio_iter(deadline)", "deadline", ABOVE_0, lambda v, s: _awalk(s, deadline=v)),
    *(
        Site(f"{name}({argument})", argument, ABOVE_0, use, answer=TASK_DONE)
        for name, wait in (("wait_for_task", _wait), ("async_wait_for_task", _await))
        for argument, use in (
            ("timeout", lambda v, s, wait=wait: wait(s, timeout=v)),
            # max_interval too, so that an interval above its default of 30 s is taken
            ("interval", lambda v, s, wait=wait: wait(s, interval=v, max_interval=3600)),
            ("max_interval", lambda v, s, wait=wait: wait(s, max_interval=v)),
        )
    ),
    *(
        Site(f"RetryPolicy({name})", f"RetryPolicy.{name}", AT_LEAST_0,
             _policy(name), zero=True)
        for name in ("backoff_base", "backoff_max", "max_total_wait")
    ),
    Site("RetryTransport(ocp_deadline)", DEADLINE_KEY, ABOVE_0,
         lambda v, s: _on_transport(s, {DEADLINE_EXTENSION: v})),
    Site("AsyncRetryTransport(ocp_deadline)", DEADLINE_KEY, ABOVE_0,
         lambda v, s: _on_async_transport(s, {DEADLINE_EXTENSION: v})),
]  # fmt: skip

RETRIES_SITES = [
    Site("Client(max_retries)", "max_retries", "an int of at least 0",
         lambda v, s: _with_client(max_retries=v)(s)),
    Site("sync(max_retries)", "max_retries", "an int of at least 0",
         lambda v, s: _call(s, max_retries=v)),
    Site("asyncio(max_retries)", "max_retries", "an int of at least 0",
         lambda v, s: _acall(s, max_retries=v)),
    Site("RetryPolicy(max_retries)", "RetryPolicy.max_retries", "an int of at least 0",
         _policy("max_retries")),
    Site("RetryTransport(ocp_retry)", RETRY_KEY, "an int of at least 0 or a RetryPolicy",
         lambda v, s: _on_transport(s, {RETRY_EXTENSION: v})),
    Site("AsyncRetryTransport(ocp_retry)", RETRY_KEY, "an int of at least 0 or a RetryPolicy",
         lambda v, s: _on_async_transport(s, {RETRY_EXTENSION: v})),
]  # fmt: skip


@pytest.fixture(scope="module")
def shared_server() -> Iterator[ScriptedServer]:
    """One server for the many cases below (each starts with an empty script)."""
    with scripted_server() as running:
        yield running


def _refused(site: Site, value: object, server: ScriptedServer) -> None:
    server.script.clear()
    sent = len(server.requests)
    with pytest.raises(errors.RequestValidationError) as caught:
        site.use(value, server)
    assert caught.value.argument == site.argument
    assert str(caught.value) == f"{site.argument}: expected {site.expected}, got {value!r}"
    assert len(server.requests) == sent  # refused before any request


def _taken(site: Site, value: object, server: ScriptedServer) -> None:
    server.script.clear()
    if site.answer is not None:
        server.script.append((200, {}, site.answer))
    sent = len(server.requests)
    result = site.use(value, server)
    if isinstance(result, RetryPolicy):  # kept as a plain number
        kept = getattr(result, site.argument.removeprefix("RetryPolicy."))
        assert kept == value and type(kept) is (int if site in RETRIES_SITES else float)
    else:
        assert len(server.requests) > sent  # taken, and the request went out
    assert server.script == []


@pytest.mark.parametrize("value", NOT_SECONDS)
@pytest.mark.parametrize("site", SECONDS_SITES, ids=str)
def test_what_is_not_seconds_is_refused_everywhere(
    site: Site, value: object, shared_server: ScriptedServer
) -> None:
    _refused(site, value, shared_server)


@pytest.mark.parametrize("value", SECONDS)
@pytest.mark.parametrize("site", SECONDS_SITES, ids=str)
def test_seconds_of_any_int_or_float_type_are_taken_everywhere(
    site: Site, value: object, shared_server: ScriptedServer
) -> None:
    _taken(site, value, shared_server)


@pytest.mark.parametrize("value", ZERO)
@pytest.mark.parametrize("site", SECONDS_SITES, ids=str)
def test_zero_seconds_only_where_a_wait_may_be_none(
    site: Site, value: object, shared_server: ScriptedServer
) -> None:
    """0 s is a retry without a wait (RetryPolicy); a timeout, a deadline, a task's wait or its
    polling interval of 0 would end at once or poll OCP back to back."""
    if site.zero:
        _taken(site, value, shared_server)
    else:
        _refused(site, value, shared_server)


@pytest.mark.parametrize("value", NOT_RETRIES)
@pytest.mark.parametrize("site", RETRIES_SITES, ids=str)
def test_what_is_not_a_count_of_retries_is_refused_everywhere(
    site: Site, value: object, shared_server: ScriptedServer
) -> None:
    _refused(site, value, shared_server)


@pytest.mark.parametrize("value", RETRIES)
@pytest.mark.parametrize("site", RETRIES_SITES, ids=str)
def test_retries_of_any_int_type_are_taken_everywhere(
    site: Site, value: object, shared_server: ScriptedServer
) -> None:
    _taken(site, value, shared_server)
