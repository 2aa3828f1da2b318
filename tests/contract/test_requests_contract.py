"""Contract check 4: requests <-> spec. Every request the SDK sends, for every combination of its
parameters, goes to the stand-in, which validates it against the spec's operation (path, names,
types, required ones, serialisation) and answers 400 naming the parameter on any violation; the
SDK turns that into BadRequestError, so any drift fails here. Both auth schemes are used, so the
AccessKey wire rewrite of the query is validated too."""

from __future__ import annotations

import asyncio
import datetime
import itertools
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generate
from ocp_client import Client
from ocp_client.api.backup import list_data_backup_tasks
from ocp_client.auth import OcpAccessKeyAuth
from ocp_client.errors import RequestValidationError, ResponseValidationError
from standin import StandIn
from tests.contract.spec_schema import load_spec

CLUSTER = 1000005  # the reference sample's cluster, served by the stand-in
AK, SK = "cqammmxBpfGjFlto", "2fc0c299cc94c6be266f2ceece765d4d"  # the stand-in's default key
ZONES = [
    datetime.UTC,
    datetime.timezone(datetime.timedelta(hours=8)),
    datetime.timezone(datetime.timedelta(hours=-5)),
    datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
]
START = datetime.datetime(2021, 9, 1, 0, 0, 0, 123456)
END = datetime.datetime(2021, 9, 30, 23, 59, 59)
AUTHS: dict[str, httpx.Auth] = {
    "basic": httpx.BasicAuth("admin", "admin"),
    "accesskey": OcpAccessKeyAuth(AK, SK),
}


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def requests_seen(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    """(path with query, status) of each request the stand-in logged."""
    lines = [r.getMessage() for r in caplog.records if r.name == "standin"]
    return [
        (m.group(1), m.group(2)) for m in map(re.compile(r"^GET (\S+) (\d{3})").match, lines) if m
    ]


def operation_parameters() -> list[str]:
    operation = load_spec()["paths"]["/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks"]["get"]
    return [p["name"] for p in operation["parameters"]]


# Every optional parameter absent or present, each time zone, both auth schemes.
COMBINATIONS = list(
    itertools.product([False, True], [False, True], range(len(ZONES)), sorted(AUTHS))
)


@pytest.mark.parametrize(("with_times", "with_backup_set", "zone", "auth"), COMBINATIONS)
def test_sync_requests_conform(
    standin: StandIn,
    caplog: pytest.LogCaptureFixture,
    with_times: bool,
    with_backup_set: bool,
    zone: int,
    auth: str,
) -> None:
    caplog.set_level(logging.INFO, logger="standin")
    options: dict[str, Any] = {}
    if with_times:
        options["start_time"] = START.replace(tzinfo=ZONES[zone])
        options["end_time"] = END.replace(tzinfo=ZONES[zone])
    if with_backup_set:
        options["backup_set_id"] = 23
    with Client(base_url=standin.base_url, auth=AUTHS[auth], max_retries=0) as client:
        page = list_data_backup_tasks.sync(CLUSTER, client=client, page=1, size=5, **options)
        detailed = list_data_backup_tasks.sync_detailed(
            CLUSTER, client=client, page=2, size=2000, **options
        )
    assert page.successful and detailed.status_code == 200
    seen = requests_seen(caplog)
    assert [status for _, status in seen] == ["200", "200"]
    for path, _ in seen:
        query = path.split("?", 1)[1]
        assert "+" not in query, f"a raw + would arrive as a space: {query}"
        if with_times and ZONES[zone] is not datetime.UTC:
            assert re.search(r"startTime=2021-09-01T00%3A00%3A00\.123456(%2B|-)\d\d%3A\d\d", query)


def test_every_parameter_of_the_operation_is_sent(
    standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="standin")
    zone = ZONES[1]
    with Client(base_url=standin.base_url, auth=AUTHS["basic"]) as client:
        list_data_backup_tasks.sync(
            CLUSTER,
            client=client,
            page=1,
            size=10,
            start_time=START.replace(tzinfo=zone),
            end_time=END.replace(tzinfo=zone),
            backup_set_id=23,
        )
    (path, status), *_ = requests_seen(caplog)
    sent = {pair.split("=", 1)[0] for pair in path.split("?", 1)[1].split("&")}
    assert sent | {"id"} == set(operation_parameters())
    assert status == "200"


def test_async_requests_conform(standin: StandIn, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="standin")
    zone = ZONES[3]

    async def walk() -> int:
        async with Client(base_url=standin.base_url, auth=AUTHS["accesskey"]) as client:
            items = list_data_backup_tasks.asyncio_iter(
                CLUSTER,
                client=client,
                size=4,
                start_time=datetime.datetime(2000, 1, 1, tzinfo=zone),
                end_time=datetime.datetime(2100, 1, 1, tzinfo=zone),
            )
            return len([item async for item in items])

    assert asyncio.run(walk()) == 23
    statuses = [status for _, status in requests_seen(caplog)]
    assert statuses and set(statuses) == {"200"}


def test_sync_iter_worker_threads_sign_every_request(
    standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Pages fetched ahead share the client, its signer and its retry transport across threads:
    every request must still conform and verify."""
    caplog.set_level(logging.INFO, logger="standin")
    with Client(base_url=standin.base_url, auth=AUTHS["accesskey"], max_retries=0) as client:
        items = list_data_backup_tasks.sync_iter(CLUSTER, client=client, size=2, concurrency=4)
        assert len(list(items)) == 23
    statuses = [status for _, status in requests_seen(caplog)]
    assert len(statuses) >= 12 and set(statuses) == {"200"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    start=st.datetimes(
        min_value=datetime.datetime(1971, 1, 1),
        max_value=datetime.datetime(2099, 1, 1),
        timezones=st.timezones(),
    ),
    length=st.timedeltas(min_value=datetime.timedelta(0), max_value=datetime.timedelta(days=30)),
    backup_set=st.none() | st.integers(min_value=1, max_value=2**63 - 1),
    size=st.integers(min_value=1, max_value=2000),  # the SDK refuses more (test_arguments)
    page=st.integers(min_value=1, max_value=10**6),
)
def test_generated_parameters_conform(
    standin: StandIn,
    start: datetime.datetime,
    length: datetime.timedelta,
    backup_set: int | None,
    size: int,
    page: int,
) -> None:
    if start.utcoffset() is None:
        start = start.replace(tzinfo=datetime.UTC)  # zoneinfo gaps can give no offset
    options: dict[str, Any] = {"start_time": start, "end_time": start + length}
    if backup_set is not None:
        options["backup_set_id"] = backup_set
    with Client(base_url=standin.base_url, auth=AUTHS["accesskey"], max_retries=0) as client:
        response = list_data_backup_tasks.sync_detailed(
            CLUSTER, client=client, page=page, size=size, **options
        )
    assert response.status_code == 200, response.content[:300]


def test_the_stand_in_refuses_what_the_spec_refuses(standin: StandIn) -> None:
    """Negative controls: the requests a drifting SDK could send are refused, naming the
    parameter (so the checks above are not vacuous)."""
    path = f"/api/v2/ob/clusters/{CLUSTER}/backup/task/dataBackupTasks"
    bad_queries = {
        # A raw "+" arrives as a space: "2021-09-01T00:00:00 08:00" is no date-time.
        "startTime": "page=1&size=5&startTime=2021-09-01T00:00:00+08:00&endTime=2021-09-02T00:00Z",
        "endTime": "page=1&size=5&startTime=2021-09-01T00:00:00Z&endTime=2021-09-02T00:00:00",
        "size": "page=1",
        "page": "page=0&size=5",
        "backupSetId": "page=1&size=5&backupSetId=abc",
    }
    with httpx.Client(base_url=standin.base_url, auth=AUTHS["basic"]) as http:
        for parameter, query in bad_queries.items():
            response = http.get(f"{path}?{query}")
            assert response.status_code == 400, (parameter, response.text)
            assert parameter in response.json()["error"]["message"], response.text


def test_the_sdk_refuses_an_integer_argument_exactly_when_the_spec_does(standin: StandIn) -> None:
    """At each bound of each integer parameter (from the spec, by the codegen step's own
    reading of it), the SDK's check and the stand-in's validation of the spec agree, but for
    the one documented exception: above `size`'s maximum OCP, and so the stand-in, clamps,
    while the SDK refuses what the spec's `maximum` excludes. (A `page` past int32 is sent,
    and its answer refused: see the spec's decision on `page`.)"""
    (facts,) = generate.spec_facts(load_spec()).values()
    python_names = {"id": "id", "page": "page", "size": "size", "backupSetId": "backup_set_id"}
    assert set(facts["ranges"]) == set(python_names), "a new integer parameter: name it here"
    disagreements = []
    with (
        Client(base_url=standin.base_url, auth=AUTHS["basic"], max_retries=0) as client,
        httpx.Client(base_url=standin.base_url, auth=AUTHS["basic"]) as http,
    ):
        for name, bounds in facts["ranges"].items():
            for value in (
                bounds["lower"] - 1,
                bounds["lower"],
                bounds["upper"],
                bounds["upper"] + 1,
            ):
                arguments: dict[str, Any] = {"id": CLUSTER, "page": 1, "size": 5}
                arguments[python_names[name]] = value
                try:
                    list_data_backup_tasks.sync_detailed(client=client, **arguments)
                    sdk_refuses = False
                except RequestValidationError:
                    sdk_refuses = True
                except ResponseValidationError as error:  # sent, but answered out of the spec
                    assert (name, error.path) == ("page", "data.page.number"), error
                    sdk_refuses = False
                query = {k: v for k, v in arguments.items() if k != "id"}
                query = {
                    ("backupSetId" if k == "backup_set_id" else k): v for k, v in query.items()
                }
                path = f"/api/v2/ob/clusters/{arguments['id']}/backup/task/dataBackupTasks"
                spec_refuses = http.get(path, params=query).status_code == 400
                clamped = name == "size" and value > bounds["upper"]
                if sdk_refuses != (spec_refuses or clamped):
                    disagreements.append(f"{name}={value}: sdk {sdk_refuses}, spec {spec_refuses}")
    assert not disagreements, disagreements
