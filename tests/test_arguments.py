"""A call's arguments are checked against the spec before any request: a bad one is a
RequestValidationError that names it and says what was expected, and nothing is sent."""

from __future__ import annotations

import asyncio
import datetime
import enum
import math
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from ocp_client import Client, errors
from ocp_client.api.backup import list_data_backup_tasks
from tests.local_server import serving
from tests.test_calls import Scripted

CST = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2021, 9, 16, 15, 14, 51, tzinfo=CST)
END = datetime.datetime(2021, 9, 16, 15, 20, 51, tzinfo=CST)


@pytest.fixture
def server() -> Iterator[Any]:
    """test_calls' scripted server: it answers the reference sample and records each request."""
    httpd: Any = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    httpd.script, httpd.requests = [], []
    with serving(httpd):
        yield httpd


@pytest.fixture
def client(server: Any) -> Iterator[Client]:
    with Client(base_url=f"http://127.0.0.1:{server.server_port}", max_retries=0) as c:
        yield c


GOOD: dict[str, Any] = {"id": 7, "page": 1, "size": 10}
INT64_MAX = 2**63 - 1


@pytest.mark.parametrize(
    ("changes", "argument", "expected"),
    [
        ({"id": 0}, "id", f"an int from 1 to {INT64_MAX}"),
        ({"id": "7"}, "id", f"an int from 1 to {INT64_MAX}"),
        ({"id": True}, "id", f"an int from 1 to {INT64_MAX}"),  # a bool is not an int
        ({"id": 2**63}, "id", f"an int from 1 to {INT64_MAX}"),
        ({"page": 0}, "page", f"an int from 1 to {INT64_MAX}"),
        ({"page": 1.0}, "page", f"an int from 1 to {INT64_MAX}"),
        ({"size": 0}, "size", "an int from 1 to 2000"),
        ({"size": 2001}, "size", "an int from 1 to 2000"),  # OCP would clamp it silently
        ({"backup_set_id": "abc"}, "backup_set_id", f"an int from 1 to {INT64_MAX}"),
        ({"start_time": "2021-09-16T15:14:51+08:00", "end_time": END}, "start_time",
         "a datetime.datetime"),
        ({"start_time": START, "end_time": END.date()}, "end_time", "a datetime.datetime"),
    ],
)  # fmt: skip
def test_a_bad_argument_is_refused_before_any_request(
    client: Client, server: Any, changes: dict[str, Any], argument: str, expected: str
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        list_data_backup_tasks.sync(client=client, **{**GOOD, **changes})
    value = changes[argument]
    assert caught.value.argument == argument
    assert str(caught.value) == f"{argument}: expected {expected}, got {value!r}"
    assert server.requests == []


def test_a_naive_time_is_refused(client: Client, server: Any) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        list_data_backup_tasks.sync(
            client=client, **GOOD, start_time=START.replace(tzinfo=None), end_time=END
        )
    assert caught.value.argument == "start_time" and "naive" in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize(
    ("times", "argument"),
    [({"start_time": START}, "end_time"), ({"end_time": END}, "start_time")],
)
def test_a_period_is_given_whole(
    client: Client, server: Any, times: dict[str, Any], argument: str
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        list_data_backup_tasks.sync(client=client, **GOOD, **times)
    assert caught.value.argument == argument
    assert "10006" in str(caught.value) and "go together" in str(caught.value)
    assert server.requests == []


def test_a_period_that_ends_before_it_starts_is_refused(client: Client, server: Any) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        list_data_backup_tasks.sync(client=client, **GOOD, start_time=END, end_time=START)
    assert caught.value.argument == "end_time" and "10005" in str(caught.value)
    assert server.requests == []


def test_the_edges_of_what_the_spec_allows_are_sent(client: Client, server: Any) -> None:
    list_data_backup_tasks.sync(
        INT64_MAX, client=client, page=INT64_MAX, size=2000, start_time=START, end_time=START,
        backup_set_id=1,
    )  # fmt: skip
    list_data_backup_tasks.sync(1, client=client, page=1, size=1)
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
    client: Client, server: Any, option: str, value: Any, expected: str
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        list_data_backup_tasks.sync(client=client, **GOOD, **{option: value})
    assert caught.value.argument == option
    assert str(caught.value) == f"{option}: expected {expected}, got {value!r}"
    assert server.requests == []


@pytest.mark.parametrize("concurrency", [0, -1, "4", True, 2.0])
def test_a_bad_concurrency_is_refused_before_any_request(
    client: Client, server: Any, concurrency: Any
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        list(list_data_backup_tasks.sync_iter(7, client=client, concurrency=concurrency))
    assert caught.value.argument == "concurrency"

    async def walk() -> None:
        async with Client(base_url=f"http://127.0.0.1:{server.server_port}") as async_client:
            items = list_data_backup_tasks.asyncio_iter(
                7, client=async_client, concurrency=concurrency
            )
            async for _ in items:
                pass

    with pytest.raises(errors.RequestValidationError):
        asyncio.run(walk())
    assert server.requests == []


def test_asyncio_checks_arguments_too(server: Any) -> None:
    async def call() -> None:
        async with Client(base_url=f"http://127.0.0.1:{server.server_port}") as async_client:
            await list_data_backup_tasks.asyncio(7, client=async_client, page=1, size=0)

    with pytest.raises(errors.RequestValidationError) as caught:
        asyncio.run(call())
    assert caught.value.argument == "size"
    assert server.requests == []


def test_request_validation_errors_are_ocp_errors_and_value_errors() -> None:
    assert issubclass(errors.RequestValidationError, errors.OcpError)
    assert issubclass(errors.RequestValidationError, ValueError)


class PageSize(enum.IntEnum):
    SMALL = 10


def test_int_enum_members_are_ints_and_are_sent_as_their_value(client: Client, server: Any) -> None:
    list_data_backup_tasks.sync(7, client=client, page=1, size=PageSize.SMALL)
    assert server.requests == ["/api/v2/ob/clusters/7/backup/task/dataBackupTasks?page=1&size=10"]


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
    client: Client, server: Any, zone: datetime.tzinfo
) -> None:
    broken = START.replace(tzinfo=zone)
    with pytest.raises(errors.RequestValidationError) as caught:
        list_data_backup_tasks.sync(client=client, **GOOD, start_time=broken, end_time=END)
    assert caught.value.argument == "start_time" and "tzinfo" in str(caught.value)
    assert server.requests == []
