"""A call's arguments are checked against the spec before any request: a bad one is a
RequestValidationError that names it and says what was expected, and nothing is sent.

The cases are derived from the operation's parameters in the spec (their types and ranges, its
period), so they follow the spec."""

from __future__ import annotations

import asyncio
import datetime
import enum
import math
from typing import Any

import pytest

import spec_model
from ocp_client import Client, errors
from tests.local_server import LISTING, TLS, ScriptedServer

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


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("timeout", 0, "seconds above 0 or an httpx.Timeout"),
        ("timeout", -1.5, "seconds above 0 or an httpx.Timeout"),
        ("timeout", math.inf, "seconds above 0 or an httpx.Timeout"),
        ("timeout", math.nan, "seconds above 0 or an httpx.Timeout"),
        ("timeout", "10", "seconds above 0 or an httpx.Timeout"),
        ("timeout", True, "seconds above 0 or an httpx.Timeout"),
        ("max_retries", -1, "an int of at least 0"),
        ("max_retries", "2", "an int of at least 0"),
        ("max_retries", 1.0, "an int of at least 0"),
    ],
)
def test_bad_call_options_are_refused_before_any_request(
    client: Client, server: ScriptedServer, option: str, value: Any, expected: str
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(client, **{option: value})
    assert caught.value.argument == option
    assert str(caught.value) == f"{option}: expected {expected}, got {value!r}"
    assert server.requests == []


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
