"""The stand-in on a small inline spec with one operation of each shape: paginated lists with and
without an item id, `data` as an object, a list, a scalar or absent (an envelope alone, or no
body at all: 204), and POST, PUT, PATCH and DELETE with JSON request bodies. Each is served, its
answers validate against the spec (`tests/contract/spec_schema.py`, a validator of its own), and
bad bodies are refused naming the field. `shapes_spec()` is also the second spec of the requests
contract test.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import spec_model as sm
from standin import StandIn
from tests.contract.spec_schema import SpecSchemas, assert_valid, load_spec

ADMIN = ("admin", "admin")
TIMEOUT = httpx.Timeout(10.0)
SEED, ITEMS = 5, 12
THING = 7  # the reference widgets' thing (and the `id` parameter's example)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


TIME = {"type": "string", "format": "date-time"}
INT64 = {"type": "integer", "format": "int64"}
SIZE = {"type": "integer", "format": "int32", "minimum": 1, "maximum": 10}
STRINGS = {"type": "array", "items": {"type": "string"}}
# The schemas of the operations below; the shared ones (envelope, page, errors) are ocp.yaml's.
SCHEMAS: dict[str, Any] = {
    "Color": {"type": "string", "enum": ["RED", "GREEN", "BLUE"]},
    "Level": {"type": "string", "enum": ["INFO", "WARN", "ERROR"]},
    "Widget": {
        "type": "object",
        "x-ocp-item-id": "widgetId",
        "required": ["widgetId", "thingId", "color"],
        "properties": {
            "widgetId": INT64,
            "thingId": INT64,
            "thingName": {"type": "string"},
            "color": {"anyOf": [_ref("Color"), {"type": "string"}]},
            "createTime": TIME,
            "weight": {"type": "number", "minimum": 0, "maximum": 50},
            "tags": STRINGS,
        },
    },
    "LogLine": {  # no id: served and paged, never de-duplicated
        "type": "object",
        "required": ["time", "level", "message"],
        "properties": {"time": TIME, "level": _ref("Level"), "message": {"type": "string"}},
    },
    "Thing": {
        "type": "object",
        "required": ["thingId", "name"],
        "properties": {
            "thingId": INT64,
            "name": {"type": "string"},
            "size": SIZE,
            "color": _ref("Color"),
            "createTime": TIME,
            "labels": STRINGS,
            "owner": _ref("Owner"),
        },
    },
    "Owner": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"}},
    },
    "ThingRequest": {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 64},
            "size": SIZE,
            "color": _ref("Color"),
            "labels": STRINGS,
            "owner": _ref("Owner"),
        },
    },
    "ThingPatch": {
        "type": "object",
        "properties": {"name": {"type": "string", "minLength": 1}, "size": SIZE},
    },
    "DeleteReason": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {"type": "string"}},
    },
}
ENVELOPE = {
    "duration": 1,
    "server": "a83ad33525",
    "status": 200,
    "successful": True,
    "timestamp": "2021-09-23T11:03:24.945+08:00",
    "traceId": "975e0a8a452e4ab7",
}
WIDGETS = [
    {"widgetId": 112, "thingId": THING, "thingName": "seven", "color": "RED",
     "createTime": "2021-09-16T17:25:05.943+0800"},
    {"widgetId": 111, "thingId": THING, "thingName": "seven", "color": "BLUE",
     "createTime": "2021-09-15T17:25:05.943+0800", "tags": ["a"]},
]  # fmt: skip
THING_EXAMPLE = {
    "thingId": THING,
    "name": "seven",
    "size": 3,
    "color": "RED",
    "createTime": "2021-09-16T17:25:05.943+0800",
}
ERRORS = {
    status: {"$ref": f"#/components/responses/{name}"}
    for status, name in (("400", "BadRequest"), ("401", "Unauthorized"), ("403", "Forbidden"),
                         ("404", "NotFound"), ("4XX", "ClientError"), ("5XX", "ServerError"))
}  # fmt: skip


def _answer(data: Any, status: str = "200", example: Any = None) -> dict[str, Any]:
    """The responses of an operation whose success envelope has this `data` (None: none)."""
    parts: list[Any] = [_ref("ResponseEnvelope")]
    if data is not None:
        parts.append({"type": "object", "required": ["data"], "properties": {"data": data}})
    media: dict[str, Any] = {"schema": {"allOf": parts}}
    if example is not None:
        media["example"] = {**ENVELOPE, "status": int(status), "data": example}
    return {status: {"description": "Done.", "content": {"application/json": media}}, **ERRORS}


# An answer without a body at all (no envelope either).
NO_CONTENT = {"204": {"description": "Deleted."}, **ERRORS}


def _page_of(item: str) -> dict[str, Any]:
    contents = {"type": "array", "items": _ref(item)}
    return {"allOf": [_ref("Page"), {"type": "object", "properties": {"contents": contents}}]}


def _operation(op_id: str, **fields: Any) -> dict[str, Any]:
    return {"operationId": op_id, "tags": ["things"], "summary": op_id, **fields}


def _filter(name: str, schema: Any, prop: str, op: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "schema": schema,
        "x-ocp-filter": {"property": prop, "op": op},
    }


def _body(model: str, *, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": _ref(model)}}}


THING_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "format": "int64", "minimum": 1},
    "example": THING,
}
PAGING = [
    {"$ref": "#/components/parameters/PageNumber"},
    {"$ref": "#/components/parameters/PageSize"},
]


@functools.cache
def _shapes_spec() -> dict[str, Any]:
    shared = copy.deepcopy(dict(load_spec())["components"])
    shared.pop("examples")
    kept = ("ResponseEnvelope", "Page", "PageInfo", "ErrorResponse", "ApiError", "ApiSubError")
    shared["schemas"] = {name: shared["schemas"][name] for name in kept} | SCHEMAS
    page = {"number": 1, "size": 10, "totalElements": len(WIDGETS), "totalPages": 1}
    widget_page = {"contents": WIDGETS, "page": page}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shapes", "version": "1.0.0"},
        "security": load_spec()["security"],
        "tags": [{"name": "things"}],
        "paths": {
            "/api/v2/things/{id}/widgets": {
                "get": _operation(
                    "listWidgets",
                    parameters=[
                        THING_ID,
                        _filter("color", _ref("Color"), "color", "eq"),
                        _filter("colors", {"type": "array", "items": _ref("Color")}, "color", "eq"),
                        _filter("createdAfter", TIME, "createTime", "ge"),
                        _filter("createdBefore", TIME, "createTime", "le"),
                        *PAGING,
                    ],
                    responses=_answer(_page_of("Widget"), example=widget_page),
                )
            },
            "/api/v2/things/{id}/logs": {
                "get": _operation(
                    "listThingLogs",
                    parameters=[THING_ID, _filter("level", _ref("Level"), "level", "eq"), *PAGING],
                    responses=_answer(_page_of("LogLine")),
                )
            },
            "/api/v2/things/count": {
                "get": _operation("countThings", responses=_answer({**INT64, "minimum": 0}))
            },
            "/api/v2/things/{id}/labels": {
                "get": _operation(
                    "listThingLabels", parameters=[THING_ID], responses=_answer(STRINGS)
                )
            },
            "/api/v2/things": {
                "post": _operation(
                    "createThing",
                    requestBody=_body("ThingRequest"),
                    responses=_answer(_ref("Thing"), "201"),
                )
            },
            "/api/v2/things/{id}": {
                "parameters": [THING_ID],
                "get": _operation(
                    "getThing", responses=_answer(_ref("Thing"), example=THING_EXAMPLE)
                ),
                "put": _operation(
                    "replaceThing",
                    requestBody=_body("ThingRequest"),
                    responses=_answer(_ref("Thing")),
                ),
                "patch": _operation(
                    "updateThing",
                    requestBody=_body("ThingPatch", required=False),
                    responses=_answer(None),
                ),
                "delete": _operation(
                    "deleteThing", requestBody=_body("DeleteReason"), responses=NO_CONTENT
                ),
            },
        },
        "components": shared,
    }


def shapes_spec() -> dict[str, Any]:
    """The inline spec (a fresh copy: change it freely)."""
    return copy.deepcopy(_shapes_spec())


SPEC = sm.Spec(shapes_spec())
VALIDATORS = SpecSchemas(spec=shapes_spec())
OPERATIONS = {op.id: op for op in SPEC.operations}


def test_the_inline_spec_has_every_shape() -> None:
    shapes = {
        (op.method, op.result.shape, op.result.item_id is not None, op.body is not None)
        for op in OPERATIONS.values()
    }
    assert shapes == {
        ("GET", "page", True, False),
        ("GET", "page", False, False),
        ("GET", "object", False, False),
        ("GET", "list", False, False),
        ("GET", "scalar", False, False),
        ("POST", "object", False, True),
        ("PUT", "object", False, True),
        ("PATCH", "none", False, True),
        ("DELETE", "none", False, True),
    }
    assert OPERATIONS["deleteThing"].result.media is None  # no body, 204
    assert OPERATIONS["updateThing"].result.media is not None  # the envelope alone


def check(response: httpx.Response, op: sm.Operation, status: int) -> dict[str, Any]:
    """Status as expected, and a body that conforms to the spec's response for it."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert_valid(VALIDATORS.response_validator(op.path, op.method, status), body)
    assert body["status"] == status and body["successful"] is (status < 300)
    return body


@pytest.fixture(scope="module", params=[True, False], ids=["examples", "generated"])
def ocp(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    """The spec's examples where it has them, and generated data only (`--no-sample`)."""
    with StandIn(seed=SEED, tasks=ITEMS, spec=shapes_spec(), reference=request.param) as standin:
        yield standin


@pytest.fixture(scope="module")
def http(ocp: StandIn) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ocp.base_url, auth=ADMIN, timeout=TIMEOUT) as client:
        yield client


def send(http: httpx.Client, ocp: StandIn, op_id: str, *, optional: bool) -> httpx.Response:
    request = ocp.example_request(op_id, optional=optional)
    kwargs: dict[str, Any] = {} if request.body is None else {"json": request.body}
    return http.request(request.method, request.target, **kwargs)


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
@pytest.mark.parametrize("optional", [False, True], ids=["required", "every-argument"])
def test_each_shape_is_served_as_the_spec_says(
    ocp: StandIn, http: httpx.Client, op_id: str, optional: bool
) -> None:
    op = OPERATIONS[op_id]
    status = int(op.result.status)
    response = send(http, ocp, op_id, optional=optional)
    if op.result.media is None:  # the spec documents no body
        assert (response.status_code, response.content) == (status, b"")
        assert "content-type" not in response.headers
        return
    body = check(response, op, status)
    if op.result.shape == "none":
        assert "data" not in body
    elif op.result.shape == "page":
        assert body["data"]["contents"] or optional, "the request without filters finds items"
    else:
        assert body["data"] == ocp.app.data[op_id]


def test_data_comes_from_the_example_when_there_is_one() -> None:
    served = StandIn(spec=shapes_spec()).app.data
    generated = StandIn(spec=shapes_spec(), reference=False).app.data
    assert served["getThing"] == THING_EXAMPLE != generated["getThing"]
    assert served["countThings"] == generated["countThings"]  # no example: generated


def test_generated_data_is_deterministic() -> None:
    first = StandIn(seed=SEED, tasks=ITEMS, spec=shapes_spec(), reference=False).app
    # Generated times are relative to the stand-in's `now`: the same one for each.
    now = first.now
    again = StandIn(seed=SEED, tasks=ITEMS, spec=shapes_spec(), reference=False, now=now).app
    other = StandIn(seed=SEED + 1, tasks=ITEMS, spec=shapes_spec(), reference=False, now=now).app
    assert first.data == again.data != other.data
    logs = [app.listings["listThingLogs"][1].items() for app in (first, again, other)]
    assert logs[0] == logs[1] != logs[2]


def walk(http: httpx.Client, op: sm.Operation, path: str, size: int, **params: Any) -> list[Any]:
    """Every item of a listing, page by page (at most 50 pages)."""
    items: list[Any] = []
    for number in range(1, 51):
        body = check(http.get(path, params={"page": number, "size": size, **params}), op, 200)
        items += body["data"]["contents"]
        if number >= body["data"]["page"]["totalPages"]:
            assert len(items) == body["data"]["page"]["totalElements"]
            return items
    raise AssertionError("more than 50 pages")


def test_items_with_an_id_are_unique_and_newest_first(http: httpx.Client, ocp: StandIn) -> None:
    items = walk(http, OPERATIONS["listWidgets"], f"/api/v2/things/{THING}/widgets", 5)
    ids = [item["widgetId"] for item in items]
    assert ids == sorted(set(ids), reverse=True)
    assert len(ids) == ITEMS + (len(WIDGETS) if ocp.app.reference else 0)
    assert {item["thingId"] for item in items} == {THING}


def test_items_without_an_id_are_served_and_paged(http: httpx.Client, ocp: StandIn) -> None:
    listing = ocp.listing("listThingLogs")
    assert listing.id_property is None
    items = walk(http, OPERATIONS["listThingLogs"], f"/api/v2/things/{THING}/logs", 5)
    assert items == ocp.store("listThingLogs").items() and len(items) == ITEMS
    levels = {item["level"] for item in items}
    assert len(levels) > 1
    only = walk(http, OPERATIONS["listThingLogs"], "/api/v2/things/99/logs", 4, level="WARN")
    assert only == [item for item in items if item["level"] == "WARN"]  # no scope: any thing


def test_filters_and_periods_come_from_x_ocp_filter(ocp: StandIn) -> None:
    listing = ocp.listing("listWidgets")
    assert {(f.parameter, f.property, f.op) for f in listing.filters} == {
        ("color", "color", "eq"),
        ("colors", "color", "eq"),
        ("createdAfter", "createTime", "ge"),
        ("createdBefore", "createTime", "le"),
    }
    assert [(lo.parameter, hi.parameter) for lo, hi in listing.ranges] == [
        ("createdAfter", "createdBefore")
    ]
    assert [(s.parameter, s.property) for s in listing.scopes] == [("id", "thingId")]


def test_an_array_parameter_filters_by_any_of_its_values(http: httpx.Client) -> None:
    op, path = OPERATIONS["listWidgets"], f"/api/v2/things/{THING}/widgets"
    everything = walk(http, op, path, 10)
    both = walk(http, op, path, 10, colors=["RED", "BLUE"])
    assert both == [item for item in everything if item["color"] in ("RED", "BLUE")]
    assert walk(http, op, path, 10, colors=["GREEN"]) == walk(http, op, path, 10, color="GREEN")
    error = check(http.get(path, params={"colors": ["RED", "PINK"]}), op, 400)["error"]
    assert error["target"] == "colors" and error["subErrors"][0]["rejectedValue"] == ["RED", "PINK"]


def test_a_period_needs_both_bounds_in_order(http: httpx.Client) -> None:
    path = f"/api/v2/things/{THING}/widgets"
    early, late = "2021-09-01T00:00:00Z", "2021-10-01T00:00:00Z"
    alone = http.get(path, params={"page": 1, "size": 5, "createdAfter": early})
    error = check(alone, OPERATIONS["listWidgets"], 400)["error"]
    assert (error["code"], error["target"]) == (10006, "createdBefore")
    reversed_: dict[str, Any] = {"page": 1, "size": 5, "createdAfter": late, "createdBefore": early}
    error = check(http.get(path, params=reversed_), OPERATIONS["listWidgets"], 400)["error"]
    assert (error["code"], error["target"]) == (10005, "createdAfter")


def test_an_unknown_scope_is_404(http: httpx.Client) -> None:
    response = http.get("/api/v2/things/99/widgets", params={"page": 1, "size": 5})
    assert check(response, OPERATIONS["listWidgets"], 404)["error"]["code"] == 10002


def _logs_by_source(op: str = "eq") -> dict[str, Any]:
    """The inline spec with log lines that name their thing `sourceThingId`, which the path's
    `{id}` selects only as its `x-ocp-filter` says (the name alone would say `thingId`)."""
    spec = shapes_spec()
    spec["components"]["schemas"]["LogLine"]["properties"]["sourceThingId"] = INT64
    parameters = spec["paths"]["/api/v2/things/{id}/logs"]["get"]["parameters"]
    # Its own copy: the other operations share the one `id` parameter.
    parameters[0] = {**parameters[0], "x-ocp-filter": {"property": "sourceThingId", "op": op}}
    return spec


def test_a_path_parameter_s_x_ocp_filter_names_the_property_it_selects() -> None:
    with StandIn(seed=SEED, tasks=ITEMS, spec=_logs_by_source()) as ocp:
        listing = ocp.listing("listThingLogs")
        assert [(s.parameter, s.property, s.resource) for s in listing.scopes] == [
            ("id", "sourceThingId", "thing")
        ]
        assert [f.parameter for f in listing.filters] == ["level"]  # `id` is a scope alone
        op = sm.Spec(_logs_by_source()).operation("listThingLogs")
        with httpx.Client(base_url=ocp.base_url, auth=ADMIN, timeout=TIMEOUT) as http:
            items = walk(http, op, f"/api/v2/things/{THING}/logs", 5)
            assert len(items) == ITEMS and {item["sourceThingId"] for item in items} == {THING}
            other = http.get("/api/v2/things/99/logs", params={"page": 1, "size": 5})
            assert other.status_code == 404 and other.json()["error"]["code"] == 10002


def test_a_path_parameter_s_x_ocp_filter_selects_by_equality_only() -> None:
    with pytest.raises(
        sm.SpecError,
        match=r"\(listThingLogs\) parameter id: x-ocp-filter on a path parameter takes op eq",
    ):
        sm.Spec(_logs_by_source("ge"))


# --- request bodies ------------------------------------------------------------------------------

VALID = {"name": "box", "size": 3, "color": "GREEN", "labels": ["a"], "owner": {"name": "ann"}}
BAD_BODIES = {
    "missing name": ({"size": 3}, "name", None),
    "name empty": ({"name": ""}, "name", ""),
    "size above": ({"name": "x", "size": 11}, "size", 11),
    "size a string": ({"name": "x", "size": "3"}, "size", "3"),
    "unknown color": ({"name": "x", "color": "PINK"}, "color", "PINK"),
    "label a number": ({"name": "x", "labels": ["a", 2]}, "labels[1]", 2),
    "owner without name": ({"name": "x", "owner": {}}, "owner.name", None),
    "owner bad email": ({"name": "x", "owner": {"name": "a", "email": "no"}}, "owner.email", "no"),
    "unknown field": ({"name": "x", "colour": "RED"}, "colour", None),
    "null": ({"name": None}, "name", None),
    "not an object": (["name"], "body", ["name"]),
}


@pytest.mark.parametrize("op_id", ["createThing", "replaceThing"])
def test_a_valid_body_is_accepted(http: httpx.Client, op_id: str) -> None:
    op = OPERATIONS[op_id]
    path = op.path.replace("{id}", str(THING))
    check(http.request(op.method, path, json=VALID), op, int(op.result.status))


@pytest.mark.parametrize("case", BAD_BODIES)
@pytest.mark.parametrize("op_id", ["createThing", "replaceThing"])
def test_a_bad_body_is_refused_naming_the_field(http: httpx.Client, op_id: str, case: str) -> None:
    op = OPERATIONS[op_id]
    body, field, rejected = BAD_BODIES[case]
    path = op.path.replace("{id}", str(THING))
    error = check(http.request(op.method, path, json=body), op, 400)["error"]
    assert (error["code"], error["target"]) == (10001, field), error
    sub = error["subErrors"][0]
    assert (sub["object"], sub["field"]) == ("ThingRequest", field)
    assert field in error["message"] and field in sub["message"]
    assert sub.get("rejectedValue") == rejected


def test_every_violation_of_a_body_is_listed(http: httpx.Client) -> None:
    body = {"name": "", "size": 0, "extra": 1}
    error = check(http.post("/api/v2/things", json=body), OPERATIONS["createThing"], 400)["error"]
    assert [sub["field"] for sub in error["subErrors"]] == ["extra", "name", "size"]


@pytest.mark.parametrize("op_id", ["createThing", "deleteThing"])
def test_a_required_body_must_be_sent(http: httpx.Client, op_id: str) -> None:
    op = OPERATIONS[op_id]
    response = http.request(op.method, op.path.replace("{id}", str(THING)))
    error = check(response, op, 400)["error"]
    assert (
        error["target"] == "body" and op.body is not None and op.body.type.name in error["message"]
    )


def test_an_optional_body_may_be_left_out(http: httpx.Client) -> None:
    op = OPERATIONS["updateThing"]
    assert "data" not in check(http.patch(f"/api/v2/things/{THING}"), op, 200)
    check(http.patch(f"/api/v2/things/{THING}", json={"size": 2}), op, 200)
    error = check(http.patch(f"/api/v2/things/{THING}", json={"size": 0}), op, 400)["error"]
    assert error["target"] == "size" and error["subErrors"][0]["object"] == "ThingPatch"


def test_a_body_that_is_not_json_is_refused(http: httpx.Client) -> None:
    op = OPERATIONS["createThing"]
    headers = {"Content-Type": "application/json"}
    error = check(http.post(op.path, content=b'{"name": ', headers=headers), op, 400)["error"]
    assert error["target"] == "body" and "Malformed JSON" in error["message"]
    plain = http.post(op.path, content=b'{"name": "x"}', headers={"Content-Type": "text/plain"})
    assert "text/plain" in check(plain, op, 415)["error"]["message"]


# --- routing -------------------------------------------------------------------------------------


def test_a_concrete_path_wins_over_a_template(ocp: StandIn) -> None:
    match = ocp.app.router.match("GET", "/api/v2/things/count")
    assert match is not None and match.route.operation_id == "countThings"
    match = ocp.app.router.match("DELETE", "/api/v2/things/8")
    assert match is not None and match.route.operation_id == "deleteThing"
    assert match.path_values == {"id": "8"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("POST", f"/api/v2/things/{THING}", "GET, PUT, PATCH, DELETE"),
     ("GET", "/api/v2/things", "POST"), ("DELETE", "/api/v2/things/count", "GET")],
)  # fmt: skip
def test_a_method_the_path_lacks_is_405(
    http: httpx.Client, method: str, path: str, allowed: str
) -> None:
    response = http.request(method, path)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == set(allowed.split(", "))
    assert_valid(VALIDATORS.component("ErrorResponse"), response.json())


# --- specs the stand-in cannot serve -------------------------------------------------------------


def test_an_example_that_breaks_its_schema_stops_the_stand_in() -> None:
    spec = shapes_spec()
    get = spec["paths"]["/api/v2/things/{id}"]["get"]
    get["responses"]["200"]["content"]["application/json"]["example"]["data"]["size"] = 11
    with pytest.raises(ValueError, match=r"getThing: .* at data\.size: 11 is greater"):
        StandIn(spec=spec)


def test_a_filter_on_a_property_the_items_lack_stops_the_stand_in() -> None:
    spec = shapes_spec()
    level = spec["paths"]["/api/v2/things/{id}/logs"]["get"]["parameters"][1]
    level["x-ocp-filter"]["property"] = "severity"
    with pytest.raises(sm.SpecError, match="listThingLogs: x-ocp-filter of level names 'severity'"):
        StandIn(spec=spec)


def test_a_pattern_without_example_stops_the_stand_in() -> None:
    spec = shapes_spec()
    spec["components"]["schemas"]["LogLine"]["properties"]["message"]["pattern"] = "^[0-9a-f]{8}$"
    with pytest.raises(sm.SpecError, match="'message' matching"):
        StandIn(spec=spec)
    spec["components"]["schemas"]["LogLine"]["properties"]["message"]["example"] = "0badc0de"
    logs = StandIn(spec=spec).store("listThingLogs").items()
    assert {item["message"] for item in logs} == {"0badc0de"}
