"""The OCP stand-in (tools/standin) on the project's spec, checked from outside with plain httpx.

Every operation of the spec is served and routed, and every body the stand-in sends is validated
against the spec's response for its status (`tests/contract/spec_schema.py`); what every listing
does (pages, clamping, periods, filters, inserts) is checked on each listing of the spec. The
reference page's sample belongs to `listDataBackupTasks`, whose specifics (the sample first, its
filters, its time spellings) are checked on it. Loops are bounded; nothing asserts an upper bound
on time. Other shapes (objects, lists, scalars, no data, request bodies): test_standin_shapes.py.
"""

from __future__ import annotations

import base64
import copy
import datetime
import email.utils
import hashlib
import hmac
import json
import logging
import math
import re
import select
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

import spec_model as sm
from standin import Credentials, StandIn, sign, string_to_sign
from standin.data import example_data
from standin.listing import derive_listing
from tests.conftest import spread
from tests.contract.spec_schema import SpecSchemas, assert_valid, load_spec

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "samples" / "list-data-backup-tasks.page-sample.json"
SPEC = sm.load()
SCHEMAS = SpecSchemas()
OPERATIONS = {op.id: op for op in SPEC.operations}
LISTINGS = sorted(op.id for op in SPEC.operations if op.result.shape == "page")
# The operation of the reference page's sample (tests/samples/), and of its specifics below.
SAMPLED = OPERATIONS["listDataBackupTasks"]
TEMPLATE = SAMPLED.path
CLUSTER = 1000005
LIST_PATH = TEMPLATE.replace("{id}", str(CLUSTER))
ADMIN = ("admin", "admin")
AK, SK = "cqammmxBpfGjFlto", "2fc0c299cc94c6be266f2ceece765d4d"
SEED, TASKS = 7, 20
TOTAL = 3 + TASKS  # the sample's tasks, then the generated ones
TIMEOUT = httpx.Timeout(10.0)
# One TLS context for every client: httpx loads the CA bundle for each client otherwise (60 ms).
TLS = ssl.create_default_context()
START, END = "2021-09-14T00:00:00+08:00", "2021-09-16T00:00:00+08:00"
ENTITY_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0800$")


def _no_nulls(value: Any, where: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nulls(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _no_nulls(item, f"{where}/{index}")
    else:
        assert value is not None, f"null at {where}: OCP omits null fields"


def _entity_times(value: Any, kind: sm.Type) -> None:
    """Every date-time of a generated or sample value is spelled as OCP spells entity times."""
    if isinstance(kind, sm.DateTimeType):
        assert ENTITY_TIME.match(value), f"entity time {value!r}"
    elif isinstance(kind, sm.ArrayType):
        for item in value:
            _entity_times(item, kind.items)
    elif isinstance(kind, sm.ModelType):
        for prop in SPEC.models[kind.name].properties:
            if prop.json_name in value:
                _entity_times(value[prop.json_name], prop.type)


def check(response: httpx.Response, status: int, op: sm.Operation = SAMPLED) -> Any:
    """Status as expected and a body that conforms to the spec's response for it: the body's
    JSON (or text, for a text/plain answer)."""
    assert response.status_code == status, response.text
    if 200 <= status < 300 and op.result.framing != "envelope":
        return _check_bare(response, status, op)
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert_valid(SCHEMAS.response_validator(op.path, op.method, status), body)
    assert body["status"] == status
    assert body["successful"] is (status < 300)
    assert body["timestamp"].endswith("+08:00"), "envelope times have an extended offset"
    if status != 429:
        assert re.fullmatch(r"[0-9a-f]{16}", body["traceId"])
    _no_nulls(body)
    if "data" in body and op.result.shape == "page" and op.result.item is not None:
        listing = derive_listing(SPEC, op)
        reference = listing.reference_items if listing is not None else ()
        for item in body["data"]["contents"]:
            if item not in reference:  # a sample's items are served as OCP wrote them
                _entity_times(item, op.result.item)
    elif "data" in body and op.result.data is not None and not example_data(SPEC, op)[0]:
        _entity_times(body["data"], op.result.data)  # generated (examples are served verbatim)
    return body


def _check_bare(response: httpx.Response, status: int, op: sm.Operation) -> Any:
    """A success answer without an envelope: its media type, and its value as the spec says."""
    media = op.result.media_type
    assert media is not None
    assert response.headers["content-type"].split(";")[0] == media
    value = response.text if op.result.framing == "text" else response.json()
    assert_valid(SCHEMAS.response_validator(op.path, op.method, status, media), value)
    _no_nulls(value)
    if op.result.framing == "json" and op.result.data is not None and not example_data(SPEC, op)[0]:
        _entity_times(value, op.result.data)  # generated (examples are served verbatim)
    return value


def error_of(
    response: httpx.Response, status: int, code: int, op: sm.Operation = SAMPLED
) -> dict[str, Any]:
    error: dict[str, Any] = check(response, status, op)["error"]
    assert error["code"] == code, error
    return error


def _client(standin: StandIn, **kwargs: Any) -> httpx.Client:
    kwargs.setdefault("auth", ADMIN)
    return httpx.Client(base_url=standin.base_url, timeout=TIMEOUT, verify=TLS, **kwargs)


@pytest.fixture(scope="module")
def ocp() -> Iterator[StandIn]:
    """A stand-in the tests only read from (a task one starts ends at once: pages stay put)."""
    with StandIn(seed=SEED, tasks=TASKS, task_seconds=0) as standin:
        yield standin


@pytest.fixture(scope="module")
def generated_only() -> Iterator[StandIn]:
    """A stand-in serving generated data only, not the spec's examples (`--no-sample`)."""
    with StandIn(seed=SEED, tasks=TASKS, reference=False, task_seconds=0) as standin:
        yield standin


@pytest.fixture
def fresh() -> Iterator[StandIn]:
    """A stand-in of one test's own, for faults and inserts."""
    with StandIn(seed=SEED, tasks=TASKS) as standin:
        yield standin


@pytest.fixture(scope="module")
def client(ocp: StandIn) -> Iterator[httpx.Client]:
    with _client(ocp) as http:
        yield http


def send(http: httpx.Client, standin: StandIn, op_id: str, **options: Any) -> httpx.Response:
    """The stand-in's example request for an operation (a listing's first scope)."""
    request = standin.example_request(op_id, **options)
    body: dict[str, Any] = {} if request.body is None else {"json": request.body}
    return http.request(request.method, request.target, **body)


PROBE = SPEC.operations[0]  # any operation: the faults and credentials are the same for all


def probe(http: httpx.Client, standin: StandIn) -> httpx.Response:
    """A request any spec has: the example request of its first operation."""
    return send(http, standin, PROBE.id)


def probed(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = check(response, int(PROBE.result.status), PROBE)
    return body


def get_page(http: httpx.Client, page: Any, size: Any, **params: Any) -> httpx.Response:
    return http.get(LIST_PATH, params={"page": page, "size": size, **params})


def all_pages(http: httpx.Client, size: int, **params: Any) -> list[dict[str, Any]]:
    """The bodies of every page, walked from page 1 (at most 100 pages)."""
    bodies = [check(get_page(http, 1, size, **params), 200)]
    for number in range(2, 101):
        if number > bodies[0]["data"]["page"]["totalPages"]:
            return bodies
        bodies.append(check(get_page(http, number, size, **params), 200))
    raise AssertionError("more than 100 pages")


def items_of(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for body in bodies for item in body["data"]["contents"]]


# --- every operation -----------------------------------------------------------------------------


# Every operation with the sample's data and every argument, and with generated data only and
# the required ones; the other two pairings on a spread of the operations (the data and the
# arguments are read by rules that every operation shares).
ANSWERED = [
    (op_id, optional, data)
    for op_id in sorted(OPERATIONS)
    for optional, data in [(True, "ocp"), (False, "generated_only")]
    + [(False, "ocp"), (True, "generated_only")] * (op_id in spread(sorted(OPERATIONS)))
]


@pytest.mark.parametrize(
    ("op_id", "optional", "data"),
    ANSWERED,
    ids=[
        f"{op_id}-{'every-argument' if optional else 'required'}-{data}"
        for op_id, optional, data in ANSWERED
    ],
)
def test_each_answer_validates_against_the_spec(
    request: pytest.FixtureRequest, op_id: str, optional: bool, data: str
) -> None:
    op = OPERATIONS[op_id]
    if op.method == "GET":
        standin: StandIn = request.getfixturevalue(data)
    else:  # a change of state (a strategy created twice is refused): a stand-in of its own
        standin = StandIn(seed=SEED, tasks=TASKS, reference=data == "ocp", task_seconds=0)
        request.addfinalizer(standin.stop)
        standin.start()
    with _client(standin) as http:
        body = check(send(http, standin, op_id, optional=optional), int(op.result.status), op)
    if op.result.framing == "envelope":
        assert ("data" in body) is (op.result.shape != "none")
    if op.result.shape == "page" and not optional:
        assert body["data"]["contents"], "the first scope has items"


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_each_operation_is_routed(ocp: StandIn, client: httpx.Client, op_id: str) -> None:
    op = OPERATIONS[op_id]
    path = ocp.example_request(op_id).path
    match = ocp.app.router.match(op.method, path)
    assert match is not None and match.route.operation_id == op_id
    methods = {other.method for other in SPEC.operations if other.path == op.path}
    missing = sorted({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} - methods)
    response = client.request(missing[0], path)
    assert response.status_code == 405  # validated against the spec's 4XX response
    assert_valid(SCHEMAS.component("ErrorResponse"), response.json())
    assert set(response.headers["allow"].split(", ")) == methods


def _bad_value(kind: sm.Type) -> str | None:
    """A value of no valid spelling for a parameter of this type, None if every text is one."""
    if isinstance(kind, sm.IntegerType | sm.NumberType):
        return "x"
    if isinstance(kind, sm.DateTimeType):
        return "yesterday"
    if isinstance(kind, sm.DateType):
        return "someday"
    if isinstance(kind, sm.BooleanType):
        return "maybe"
    if isinstance(kind, sm.EnumType) and not kind.open:
        return "NO_SUCH_VALUE"
    if isinstance(kind, sm.StringType) and kind.pattern and not re.search(kind.pattern, "~ ~"):
        return "~ ~"
    if isinstance(kind, sm.ArrayType):
        return _bad_value(kind.items)
    return None


BAD_PARAMETERS = [
    (op.id, p.name) for op in SPEC.operations for p in op.parameters if _bad_value(p.type)
]
REQUIRED_QUERY = [
    (op.id, p.name)
    for op in SPEC.operations
    for p in op.parameters
    if p.required and p.location == "query"
]


@pytest.mark.parametrize(
    ("op_id", "name"), BAD_PARAMETERS, ids=["-".join(c) for c in BAD_PARAMETERS]
)
def test_a_bad_parameter_value_is_named(
    ocp: StandIn, client: httpx.Client, op_id: str, name: str
) -> None:
    op = OPERATIONS[op_id]
    parameter = op.parameter(name)
    assert parameter is not None
    wrong = _bad_value(parameter.type)
    request = ocp.example_request(op_id, optional=True)
    path, query = request.path, [(k, v) for k, v in request.query if k != name]
    if parameter.location == "path":
        path = op.path
        for other, value in request.values.items():
            path = path.replace("{" + other + "}", str(wrong if other == name else value))
    else:
        query.append((name, str(wrong)))
    error = error_of(client.request(op.method, path, params=tuple(query)), 400, 10001, op)
    assert error["target"] == name
    assert name in error["message"]
    assert error["subErrors"][0]["field"] == name
    assert error["subErrors"][0]["rejectedValue"] == wrong


@pytest.mark.parametrize(
    ("op_id", "name"), REQUIRED_QUERY, ids=["-".join(c) for c in REQUIRED_QUERY]
)
def test_a_required_parameter_left_out_is_named(
    ocp: StandIn, client: httpx.Client, op_id: str, name: str
) -> None:
    op = OPERATIONS[op_id]
    request = ocp.example_request(op_id)
    query = [(k, v) for k, v in request.query if k != name]
    error = error_of(client.request(op.method, request.path, params=tuple(query)), 400, 10001, op)
    assert error["target"] == name and name in error["message"]


# --- every listing -------------------------------------------------------------------------------


def walk(http: httpx.Client, op_id: str, path: str, size: int, **params: Any) -> list[Any]:
    """Every item of a listing, walked page by page from page 1 (at most 100 pages)."""
    op = OPERATIONS[op_id]
    items: list[Any] = []
    for number in range(1, 101):
        body = check(http.get(path, params={"page": number, "size": size, **params}), 200, op)
        page = body["data"]["page"]
        assert (page["number"], page["size"]) == (number, size)
        assert len(body["data"]["contents"]) == min(size, page["totalElements"] - len(items))
        items += body["data"]["contents"]
        if number >= page["totalPages"]:
            assert page["totalPages"] == math.ceil(page["totalElements"] / size)
            assert len(items) == page["totalElements"]
            return items
    raise AssertionError("more than 100 pages")


@pytest.mark.parametrize("op_id", LISTINGS)
def test_pages_cover_every_item_exactly_once(
    ocp: StandIn, client: httpx.Client, op_id: str
) -> None:
    request = ocp.example_request(op_id)
    items = walk(client, op_id, request.path, 7)
    store = ocp.store(op_id)
    assert items == store.select(store.scopes()[0], [])
    id_name = ocp.listing(op_id).id_property
    if id_name is not None:
        ids = [item[id_name] for item in items]
        assert ids == sorted(set(ids), reverse=True), "unique, newest first"


@pytest.mark.parametrize("op_id", LISTINGS)
def test_page_after_the_last_is_empty(ocp: StandIn, client: httpx.Client, op_id: str) -> None:
    path = ocp.example_request(op_id).path
    total = len(walk(client, op_id, path, 10))
    page = check(client.get(path, params={"page": 99, "size": 10}), 200, OPERATIONS[op_id])["data"]
    assert page["contents"] == []
    assert page["page"] == {
        "number": 99, "size": 10, "totalElements": total, "totalPages": math.ceil(total / 10)
    }  # fmt: skip


@pytest.mark.parametrize("op_id", LISTINGS)
def test_size_is_clamped_and_echoed(ocp: StandIn, client: httpx.Client, op_id: str) -> None:
    maximum = ocp.listing(op_id).max_size
    assert maximum is not None, "the spec bounds every page size"
    path = ocp.example_request(op_id).path
    for asked in (maximum, maximum + 1, 10**9):
        response = client.get(path, params={"page": 1, "size": asked})
        page = check(response, 200, OPERATIONS[op_id])["data"]["page"]
        assert page["size"] == maximum


def test_same_seed_same_data_other_seed_other_data(ocp: StandIn) -> None:
    # One test for every listing: a stand-in builds the data of every operation, so building
    # two per listing would grow with the square of the spec.
    # The same moment: generated times are relative to it.
    same = StandIn(seed=SEED, tasks=TASKS, now=ocp.now)
    other = StandIn(seed=SEED + 1, tasks=TASKS, now=ocp.now)
    assert LISTINGS
    for op_id in LISTINGS:
        assert same.store(op_id).items() == ocp.store(op_id).items(), op_id
        assert other.store(op_id).items() != ocp.store(op_id).items(), op_id


def _scoped(op_id: str) -> bool:
    listing = derive_listing(SPEC, OPERATIONS[op_id])
    return listing is not None and bool(listing.scopes)


@pytest.mark.parametrize("op_id", [op for op in LISTINGS if _scoped(op)])
def test_an_unknown_scope_is_404(ocp: StandIn, client: httpx.Client, op_id: str) -> None:
    op = OPERATIONS[op_id]
    request = ocp.example_request(op_id)
    for scope in ocp.listing(op_id).scopes:
        value = request.values[scope.parameter]
        other = value + 424242 if isinstance(value, int) else f"{value}0"
        path = op.path.replace("{" + scope.parameter + "}", str(other))
        for name, given in request.values.items():
            path = path.replace("{" + name + "}", str(given))
        error = error_of(client.get(path, params=tuple(request.query)), 404, 10002, op)
        assert scope.resource in error["message"]


PERIODS = [(op.id, start.name, end.name) for op in SPEC.operations for start, end in op.periods]


@pytest.mark.parametrize(("op_id", "start", "end"), PERIODS, ids=["-".join(c) for c in PERIODS])
def test_a_period_needs_both_bounds_in_order(
    ocp: StandIn, client: httpx.Client, op_id: str, start: str, end: str
) -> None:
    op = OPERATIONS[op_id]
    request = ocp.example_request(op_id, optional=True)
    early, late = request.values[start], request.values[end]
    base = [(k, v) for k, v in request.query if k not in (start, end)]
    for given, missing in ((start, end), (end, start)):
        query = [*base, (given, str(request.values[given]))]
        error = error_of(client.get(request.path, params=tuple(query)), 400, 10006, op)
        assert error["target"] == missing and start in error["message"]
    reversed_ = [*base, (start, str(late)), (end, str(early))]
    error = error_of(client.get(request.path, params=tuple(reversed_)), 400, 10005, op)
    assert error["target"] == start


EQUALITY_FILTERS = [
    (op.id, p.name)
    for op in SPEC.operations
    for p in op.parameters
    if p.filter is not None and p.filter.op == "eq" and p.location == "query"  # a path's: a scope
]


@pytest.mark.parametrize(
    ("op_id", "name"), EQUALITY_FILTERS, ids=["-".join(c) for c in EQUALITY_FILTERS]
)
def test_equality_filter(ocp: StandIn, client: httpx.Client, op_id: str, name: str) -> None:
    op = OPERATIONS[op_id]
    parameter = op.parameter(name)
    assert parameter is not None and parameter.filter is not None
    prop = parameter.filter.property
    path = ocp.example_request(op_id).path
    everything = walk(client, op_id, path, 50)
    values = [item[prop] for item in everything if prop in item]
    assert len(set(map(repr, values))) > 1, "generated items vary"
    for wanted in (values[0], values[len(values) // 2], values[-1]):
        expected = [item for item in everything if item.get(prop) == wanted]
        assert walk(client, op_id, path, 4, **{name: wanted}) == expected


# --- the reference sample's listing --------------------------------------------------------------


def test_the_sample_listing_pages(client: httpx.Client) -> None:
    bodies = all_pages(client, 7)
    items = items_of(bodies)
    ids = [item["taskId"] for item in items]
    assert len(ids) == len(set(ids)) == TOTAL
    assert ids == sorted(ids, reverse=True), "newest first"
    assert all(item["clusterId"] == CLUSTER for item in items)
    pages = [body["data"]["page"] for body in bodies]
    assert [p["number"] for p in pages] == [1, 2, 3, 4]
    assert {(p["size"], p["totalElements"], p["totalPages"]) for p in pages} == {(7, TOTAL, 4)}
    assert [len(body["data"]["contents"]) for body in bodies] == [7, 7, 7, TOTAL - 21]


def test_the_reference_sample_comes_first_verbatim(client: httpx.Client) -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))["data"]["contents"]
    body = check(get_page(client, 1, 5), 200)
    assert body["data"]["contents"][:3] == sample


def test_generated_items_use_known_values_and_vary(ocp: StandIn) -> None:
    generated = ocp.store(SAMPLED.id).select((CLUSTER,), [])[3:]
    statuses = {item["status"] for item in generated}
    known = set(load_spec()["components"]["schemas"]["DataBackupTaskStatus"]["enum"])
    assert statuses <= known and len(statuses) > 1
    starts = [datetime.datetime.fromisoformat(item["startTime"]) for item in generated]
    assert starts == sorted(starts, reverse=True), "older ids, older times"
    # Recent: the newest within hours of the stand-in's `now`, several in the last 7 days.
    assert ocp.now - datetime.timedelta(hours=6) < starts[0] < ocp.now
    assert len([s for s in starts if s > ocp.now - datetime.timedelta(days=7)]) >= 3


def test_generated_only_data_lives_in_the_spec_example_cluster() -> None:
    with StandIn(seed=1, tasks=30, reference=False) as standin, _client(standin) as http:
        path = TEMPLATE.replace("{id}", "1")  # the `id` parameter's example
        body = check(http.get(path, params={"page": 1, "size": 50}), 200)
        assert [item["taskId"] for item in body["data"]["contents"]] == list(range(30, 0, -1))
        error_of(get_page(http, 1, 10), 404, 10002)


def test_generated_items_that_do_not_fit_below_the_sample_come_above_it() -> None:
    items = StandIn(tasks=21).store(SAMPLED.id).select((CLUSTER,), [])
    assert [item["taskId"] for item in items] == list(range(24 + 20, 20, -1))
    assert items[21:] == json.loads(SAMPLE.read_text(encoding="utf-8"))["data"]["contents"]
    starts = [datetime.datetime.fromisoformat(item["startTime"]) for item in items]
    assert starts == sorted(starts, reverse=True), "newer ids, newer times"


# --- filters -------------------------------------------------------------------------------------


def test_filters_are_derived_from_the_spec(ocp: StandIn) -> None:
    listing = ocp.listing(SAMPLED.id)
    assert {(f.parameter, f.property, f.op) for f in listing.filters} == {
        ("backupSetId", "backupSetId", "eq"),
        ("startTime", "startTime", "ge"),
        ("endTime", "startTime", "le"),
    }
    assert [(lo.parameter, hi.parameter) for lo, hi in listing.ranges] == [("startTime", "endTime")]
    assert [(s.parameter, s.property) for s in listing.scopes] == [("id", "clusterId")]


def test_filters_come_only_from_x_ocp_filter() -> None:
    """No filter from names alone (the `start*`/`end*` pairs the codegen never read)."""
    spec = copy.deepcopy(dict(load_spec()))
    for parameter in spec["paths"][TEMPLATE]["get"]["parameters"]:
        parameter.pop("x-ocp-filter", None)
    listing = StandIn(spec=spec).listing(SAMPLED.id)
    assert (listing.filters, listing.ranges) == ((), ())
    with StandIn(spec=spec, seed=SEED, tasks=TASKS) as standin, _client(standin) as http:
        everything = check(get_page(http, 1, 100), 200)["data"]["contents"]
        params = {"startTime": START, "endTime": END, "backupSetId": 23}
        assert check(get_page(http, 1, 100, **params), 200)["data"]["contents"] == everything


def test_time_range_filter_on_the_sample(client: httpx.Client) -> None:
    # Both bounds inclusive: task 23 started at exactly 2021-09-16T17:25:02.993+0800.
    params = {"startTime": "2021-09-14T00:00:00+08:00", "endTime": "2021-09-16T09:25:02.993Z"}
    items = items_of(all_pages(client, 10, **params))
    assert [item["taskId"] for item in items] == [23, 22]


def test_time_range_filter_on_generated_items(ocp: StandIn, client: httpx.Client) -> None:
    everything = ocp.store(SAMPLED.id).select((CLUSTER,), [])
    low = datetime.datetime.fromisoformat(everything[12]["startTime"])
    high = datetime.datetime.fromisoformat(everything[6]["startTime"])
    expected = [
        i["taskId"]
        for i in everything
        if low <= datetime.datetime.fromisoformat(i["startTime"]) <= high
    ]
    params = {"startTime": low.isoformat(), "endTime": high.isoformat()}
    items = items_of(all_pages(client, 3, **params))
    assert [item["taskId"] for item in items] == expected
    assert len(expected) == 7


# --- bad requests --------------------------------------------------------------------------------

# What the spec says of this operation's parameters in particular (bounds, time spellings);
# every parameter's type, and every period, is checked on every operation above.
BAD_REQUESTS = {
    "page=0": ({"page": "0", "size": "10"}, 10001, "page"),
    "size=0": ({"page": "1", "size": "0"}, 10001, "size"),
    "size empty": ({"page": "1", "size": ""}, 10001, "size"),
    "startTime basic offset": (
        {"page": "1", "size": "10", "startTime": "2021-09-14T00:00:00+0800", "endTime": END},
        10001,
        "startTime",
    ),
    "startTime naive": (
        {"page": "1", "size": "10", "startTime": "2021-09-14T00:00:00", "endTime": END},
        10001,
        "startTime",
    ),
    # fromisoformat alone reads it as +09:00; the spec's date-time rule refuses it.
    "startTime offset minutes past 59": (
        {"page": "1", "size": "10", "startTime": "2021-09-14T00:00:00+08:60", "endTime": END},
        10001,
        "startTime",
    ),
    "only startTime": ({"page": "1", "size": "10", "startTime": START}, 10006, "endTime"),
}


@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_bad_parameter_is_named(client: httpx.Client, case: str) -> None:
    params, code, name = BAD_REQUESTS[case]
    error = error_of(client.get(LIST_PATH, params=params), 400, code)
    assert error["target"] == name
    assert name in error["message"]
    if code == 10001:
        assert error["subErrors"][0]["field"] == name


def test_raw_plus_in_a_time_is_a_space_and_rejected(client: httpx.Client) -> None:
    """The pitfall the spec warns of: an unencoded `+` is decoded as a space."""
    query = "page=1&size=10&startTime=2021-09-14T00:00:00+08:00&endTime=2021-09-16T00:00:00%2B08:00"
    error = error_of(client.get(f"{LIST_PATH}?{query}"), 400, 10001)
    assert error["target"] == "startTime"
    assert error["subErrors"][0]["rejectedValue"] == "2021-09-14T00:00:00 08:00"


def test_unknown_path_is_400_as_in_ocp(client: httpx.Client) -> None:
    error = error_of(client.get("/api/v2/nothing/here"), 400, 10001)
    assert "/api/v2/nothing/here" in error["message"]


# --- credentials ---------------------------------------------------------------------------------


def ak_signature(
    secret: str,
    *,
    method: str,
    content_type: str,
    date: str,
    host: str,
    path: str,
    query: list[tuple[str, str]],
    body: bytes = b"",
    ocp_headers: list[tuple[str, str]] | None = None,
) -> str:
    """An independent signer, written from the spec's `ocpAccessKey` description."""
    md5 = hashlib.md5(body, usedforsecurity=False).hexdigest().upper() if body else ""
    headers = sorted((k.lower(), v) for k, v in ocp_headers or [])
    encoded = sorted((quote(k, safe=""), quote(v, safe="")) for k, v in query if v)
    resource = path + ("?" + "&".join(f"{k}={v}" for k, v in encoded) if encoded else "")
    fields = [method, md5, content_type, date, host, "\n".join(f"{k}:{v}" for k, v in headers)]
    message = "\n".join([*fields, resource])
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def test_signers_reproduce_the_published_vectors() -> None:
    get: dict[str, Any] = {
        "method": "GET",
        "content_type": "application/json;charset=utf-8",
        "date": "Tue, 17 Jan 2023 04:14:02 GMT",
        "host": "ocp.alibaba.net:8080",
        "path": "/api/v2/compute/idcs",
        "query": [("size", "100")],
    }
    post: dict[str, Any] = {
        "method": "POST",
        "content_type": "application/json",
        "date": "Tue, 17 Jan 2023 09:13:57 GMT",
        "host": "ocp.alibaba.net:8080",
        "path": "/api/v2/compute/idcs",
        "query": [],
        "body": b'{"name":"test01","description":"test","regionId":1}',
    }
    assert ak_signature(SK, **get) == "TsQD6HDOuZuJ409m0wdnZPmijlc="
    assert (
        ak_signature(SK, **post, ocp_headers=[("x-ocp-data", "A,1")])
        == "XN8P+O+v3vUabB16ZCooq5wMJoY="
    )
    server_get = string_to_sign(**get, body=b"", headers=())
    assert sign(SK, server_get) == "TsQD6HDOuZuJ409m0wdnZPmijlc="
    server_post = string_to_sign(**post, headers=[("x-ocp-data", "A,1")])
    assert sign(SK, server_post) == "XN8P+O+v3vUabB16ZCooq5wMJoY="


def test_the_values_of_a_repeated_key_are_signed_in_the_order_sent() -> None:
    """The spec sorts the query "by key": an array parameter's values keep their order, as the
    SDK signs and sends them (ocp_client.auth.canonical_query)."""
    fields: dict[str, Any] = {"method": "GET", "body": b"", "content_type": "", "date": ""}
    query = [("b", "2"), ("a", "z"), ("a", "y"), ("a", "")]
    message = string_to_sign(**fields, host="h", headers=(), path="/p", query=query)
    assert message.endswith("\n/p?a=z&a=y&b=2")


def signed_get(
    standin: StandIn,
    query: list[tuple[str, str]],
    *,
    skew: datetime.timedelta = datetime.timedelta(0),
    secret: str = SK,
    signed_headers: list[tuple[str, str]] | None = None,
    extra_headers: list[tuple[str, str]] | None = None,
) -> httpx.Response:
    """GET the listing with an AccessKey signature; the query goes on the wire as it was signed."""
    moment = datetime.datetime.now(datetime.UTC) + skew
    date = email.utils.format_datetime(moment, usegmt=True)
    host = f"127.0.0.1:{standin.port}"
    signature = ak_signature(
        secret,
        method="GET",
        content_type="application/json",
        date=date,
        host=host,
        path=LIST_PATH,
        query=query,
        ocp_headers=signed_headers,
    )
    headers = [
        ("Authorization", f"OCP-ACCESS-KEY-HMACSHA1 {AK}:{signature}"),
        ("Date", date),
        ("Content-Type", "application/json"),
        *(signed_headers or []),
        *(extra_headers or []),
    ]
    wire = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    with httpx.Client(timeout=TIMEOUT, verify=TLS) as http:
        return http.get(f"{standin.base_url}{LIST_PATH}?{wire}", headers=headers)


TIMED_QUERY = [("page", "1"), ("size", "10"), ("startTime", START), ("endTime", END)]


def test_access_key_signature_is_accepted(ocp: StandIn) -> None:
    body = check(signed_get(ocp, TIMED_QUERY), 200)
    assert [item["taskId"] for item in body["data"]["contents"]] == [22]


def test_access_key_signature_covers_x_ocp_headers(ocp: StandIn) -> None:
    origin = [("X-OCP-Origin", "contract-test")]
    check(signed_get(ocp, TIMED_QUERY, signed_headers=origin), 200)
    error_of(signed_get(ocp, TIMED_QUERY, extra_headers=origin), 401, 30004)


def test_bad_signature_is_401(ocp: StandIn) -> None:
    error_of(signed_get(ocp, TIMED_QUERY, secret="not-the-secret"), 401, 30004)


@pytest.mark.parametrize(("minutes", "status"), [(16, 401), (-16, 401), (14, 200), (-14, 200)])
def test_date_skew_limit_is_15_minutes(ocp: StandIn, minutes: int, status: int) -> None:
    response = signed_get(ocp, TIMED_QUERY, skew=datetime.timedelta(minutes=minutes))
    if status == 200:
        check(response, 200)
    else:
        assert "15 minutes" in error_of(response, 401, 30004)["message"]


def test_no_credentials_is_401_30000(ocp: StandIn) -> None:
    with _client(ocp, auth=None) as http:
        error_of(probe(http, ocp), 401, 30000, PROBE)


def test_wrong_password_is_401_30004(ocp: StandIn) -> None:
    with _client(ocp, auth=("admin", "wrong")) as http:
        error_of(probe(http, ocp), 401, 30004, PROBE)


def test_user_without_permission_is_403_30014(ocp: StandIn) -> None:
    with _client(ocp, auth=("viewer", "viewer")) as http:
        error_of(probe(http, ocp), 403, 30014, PROBE)


def test_no_auth_mode_accepts_anonymous_requests() -> None:
    with (
        StandIn(credentials=Credentials(enabled=False)) as standin,
        _client(standin, auth=None) as http,
    ):
        probed(probe(http, standin))


# --- faults --------------------------------------------------------------------------------------


def test_latency_is_applied(fresh: StandIn) -> None:
    fresh.faults.set_latency(60)
    with _client(fresh) as http:
        began = time.perf_counter()
        probed(probe(http, fresh))
        elapsed_ms = (time.perf_counter() - began) * 1000
    stats = fresh.faults.snapshot()
    assert stats["delayedRequests"] == 1
    assert stats["delayTotalMs"] >= 60
    assert elapsed_ms >= 60  # a lower bound only


def test_rate_limit_for_the_next_n_requests(fresh: StandIn) -> None:
    fresh.faults.rate_limit(2, limit=10, reset=3)
    with _client(fresh) as http:
        for _ in range(2):
            response = probe(http, fresh)
            error_of(response, 429, 0, PROBE)
            assert response.json()["traceId"] == ""
            limits = [response.headers[f"ratelimit-{h}"] for h in ("limit", "remaining", "reset")]
            assert limits == ["10", "0", "3"]
        probed(probe(http, fresh))
    assert fresh.faults.applied("rate-limit") == 2


@pytest.mark.parametrize("status", [502, 503])
def test_unavailable_for_the_next_n_requests(fresh: StandIn, status: int) -> None:
    fresh.faults.unavailable(2, status=status)
    with _client(fresh) as http:
        error_of(probe(http, fresh), status, 0, PROBE)  # against the spec's 5XX response
        error_of(probe(http, fresh), status, 0, PROBE)
        probed(probe(http, fresh))


def test_connection_reset(fresh: StandIn) -> None:
    fresh.faults.reset(1)
    with _client(fresh) as http:
        with pytest.raises(httpx.TransportError):
            probe(http, fresh)
        probed(probe(http, fresh))
    assert fresh.stats()["statuses"]["reset"] == 1


def test_truncated_body(fresh: StandIn) -> None:
    fresh.faults.truncate(1)
    with _client(fresh) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            probe(http, fresh)
        probed(probe(http, fresh))


def test_html_error_page(fresh: StandIn) -> None:
    fresh.faults.html_error(1)
    with _client(fresh) as http:
        response = probe(http, fresh)
        assert response.status_code == 502
        assert response.headers["content-type"].startswith("text/html")
        assert response.text.startswith("<html>")
        with pytest.raises(json.JSONDecodeError):
            response.json()
        probed(probe(http, fresh))


def test_one_shot_faults_queue_in_order(fresh: StandIn) -> None:
    fresh.faults.rate_limit(1)
    fresh.faults.reset(1)
    fresh.faults.unavailable(1, status=502)
    with _client(fresh) as http:
        error_of(probe(http, fresh), 429, 0, PROBE)
        with pytest.raises(httpx.TransportError):
            probe(http, fresh)
        error_of(probe(http, fresh), 502, 0, PROBE)
        probed(probe(http, fresh))


@pytest.mark.parametrize("op_id", spread(LISTINGS))  # a fresh stand-in each: see spread
def test_inserts_come_first_and_shift_pages(fresh: StandIn, op_id: str) -> None:
    op, listing, store = OPERATIONS[op_id], fresh.listing(op_id), fresh.store(op_id)
    path = fresh.example_request(op_id).path
    before = store.select(store.scopes()[0], [])
    # Ids are unique in a listing: inserted items are numbered above every scope's.
    top_id = (
        max((i[listing.id_property] for i in store.items()), default=0)
        if listing.id_property
        else 0
    )

    def page(http: httpx.Client, number: int, size: int) -> dict[str, Any]:
        response = http.get(path, params={"page": number, "size": size})
        data: dict[str, Any] = check(response, 200, op)["data"]
        return data

    with _client(fresh) as http:
        first = page(http, 1, 5)["contents"]
        fresh.faults.insert(2)
        second = page(http, 2, 5)
        assert second["page"]["totalElements"] == len(before) + 2
        # The last two items of page 1 moved to page 2: a client walking pages sees them twice.
        assert second["contents"][:2] == first[3:]
        top = page(http, 1, 2)["contents"]
    assert top == store.items()[:2] and all(item not in before for item in top)
    if listing.id_property is not None:
        assert [item[listing.id_property] for item in top] == [top_id + 2, top_id + 1]
    if listing.time_properties and listing.time_properties[0] in top[1]:
        name = listing.time_properties[0]  # the anchor: the newest time of an item
        times = [datetime.datetime.fromisoformat(item[name]) for item in before if name in item]
        assert datetime.datetime.fromisoformat(top[1][name]) > max(times)
    assert fresh.faults.snapshot()["insertedItems"] == 2


def test_faults_through_the_admin_endpoint(fresh: StandIn) -> None:
    with _client(fresh) as http:
        armed = http.post("/_standin/faults", json={"unavailable": 1, "unavailableStatus": 502})
        assert armed.status_code == 200 and armed.json()["queued"] == ["unavailable:502"]
        error_of(probe(http, fresh), 502, 0, PROBE)
        assert http.get("/_standin/faults").json()["applied"] == {"unavailable": 1}
        http.post("/_standin/faults", json={"rateLimit": 3, "insert": 4})
        assert http.delete("/_standin/faults").json()["queued"] == []
        probed(probe(http, fresh))
        assert http.post("/_standin/faults", json={"explode": 1}).status_code == 400
        stats = http.get("/_standin/stats").json()
    assert stats["statuses"] == {"502": 1, PROBE.result.status: 1}


# --- operations: logging, stopping, command line -------------------------------------------------


def test_one_log_line_per_request(ocp: StandIn, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="standin")
    with _client(ocp) as http:
        get_page(http, 1, 1)
        get_page(http, 0, 1)
    with _client(ocp, auth=None) as http:
        get_page(http, 1, 1)
    lines = [r.getMessage() for r in caplog.records if r.name == "standin"]
    pattern = re.compile(r"^GET (/api/\S+) (\d{3}) \d+\.\dms( code=\d+)?$")
    matches = [pattern.match(line) for line in lines]
    assert all(matches), lines
    assert [m.group(2) for m in matches if m] == ["200", "400", "401"]
    assert all(m.group(1).startswith(LIST_PATH + "?page=") for m in matches if m)


def test_stops_cleanly() -> None:
    standin = StandIn().start()
    url = standin.base_url + LIST_PATH
    with httpx.Client(auth=ADMIN, timeout=TIMEOUT, verify=TLS) as http:
        check(http.get(url, params={"page": 1, "size": 1}), 200)  # leaves a keep-alive connection
        assert standin.leftover_threads()
        standin.stop()
        assert not standin.running
        assert standin.leftover_threads() == []
        with pytest.raises(httpx.TransportError):
            http.get(url, params={"page": 1, "size": 1})
    with pytest.raises(httpx.ConnectError), httpx.Client(timeout=TIMEOUT, verify=TLS) as other:
        other.get(url)
    standin.stop()  # a second stop is harmless


def _read_line(stream: Any, deadline: float) -> str:
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.2)
        if ready:
            return str(stream.readline())
    raise AssertionError("no output from the stand-in in time")


def test_command_line_start_faults_and_sigterm() -> None:
    command = [sys.executable, "-m", "tools.standin", "--port", "0", "--seed", "3"]
    command += ["--rate-limit", "1", "--tasks", "5"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        first = _read_line(process.stdout, deadline)
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert found, first
        with httpx.Client(base_url=found.group(1), auth=ADMIN, timeout=TIMEOUT, verify=TLS) as http:
            error_of(get_page(http, 1, 2), 429, 0)  # --rate-limit 1
            body = check(get_page(http, 1, 2), 200)
        assert body["data"]["page"]["totalElements"] == 3 + 5
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped" in out
    assert len(re.findall(r"standin GET /api/\S+ (?:429|200) ", err)) == 2, err


def test_page_count_helper_matches_the_server() -> None:
    # totalPages is ceil(total / size), 0 when there is nothing (spec: PageInfo.totalPages).
    with StandIn(tasks=0) as standin, _client(standin) as http:
        for size in (1, 2, 3, 4):
            page = check(get_page(http, 1, size), 200)["data"]["page"]
            assert page["totalPages"] == math.ceil(3 / size)
        empty = check(get_page(http, 1, 5, backupSetId=999999), 200)["data"]
        assert empty["contents"] == [] and empty["page"]["totalPages"] == 0
