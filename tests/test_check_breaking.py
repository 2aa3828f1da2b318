"""`tools/check_breaking.py`: each rule on its own, the version rules around them, and the guard
on every operation and schema of openapi/ocp.yaml.

The rules are shown on a small inline spec (``BASE``: two operations, one of them a page composed
with ``allOf`` as openapi/ocp.yaml composes its lists), each test changing one thing. The tests
over openapi/ocp.yaml take its operations, parameters and schemas from ``spec_model``, so that
they hold for whatever operations the spec has.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import check_breaking
import spec_model
from tests.conftest import ROOT, SPEC_PATH, spread

Document = dict[str, Any]
Mutation = Callable[[Document], None]

BASE_YAML = r"""
openapi: 3.0.3
info: {title: Inline, version: 1.0.0}
security:
  - ocpAccessKey: []
  - basicAuth: []
paths:
  /clusters/{id}/tasks:
    get:
      operationId: listTasks
      tags: [backup]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
        - name: startTime
          in: query
          schema: {type: string, format: date-time, pattern: '^\d{4}-\d{2}-\d{2}T.*$'}
        - {name: setId, in: query, schema: {type: integer, format: int64}}
        - $ref: "#/components/parameters/PageNumber"
        - $ref: "#/components/parameters/PageSize"
      responses:
        "200":
          description: One page of tasks.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/ResponseEnvelope"
                  - type: object
                    required: [data]
                    properties:
                      data:
                        allOf:
                          - $ref: "#/components/schemas/Page"
                          - type: object
                            properties:
                              contents:
                                type: array
                                items: {$ref: "#/components/schemas/Task"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/TooManyRequests"}
  /clusters/{id}/tasks/{taskId}:
    get:
      operationId: getTask
      tags: [backup]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
        - {name: taskId, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        "200":
          description: The task.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/ResponseEnvelope"
                  - type: object
                    properties:
                      data: {$ref: "#/components/schemas/Task"}
        "404": {$ref: "#/components/responses/NotFound"}
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
    ocpAccessKey: {type: apiKey, in: header, name: Authorization}
  parameters:
    PageNumber:
      name: page
      in: query
      required: true
      schema: {type: integer, format: int64, minimum: 1, default: 1}
    PageSize:
      name: size
      in: query
      required: true
      schema: {type: integer, format: int64, minimum: 1, maximum: 2000, default: 10}
  headers:
    RateLimit-Reset:
      schema: {type: integer}
  responses:
    NotFound:
      description: Not found.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/ErrorResponse"}
    TooManyRequests:
      description: Too many requests.
      headers:
        RateLimit-Reset: {$ref: "#/components/headers/RateLimit-Reset"}
      content:
        application/json:
          schema: {$ref: "#/components/schemas/ErrorResponse"}
  schemas:
    ResponseEnvelope:
      type: object
      required: [successful, traceId]
      properties:
        successful: {type: boolean}
        traceId: {type: string}
    Page:
      type: object
      required: [contents, page]
      properties:
        contents: {type: array, items: {}}
        page: {$ref: "#/components/schemas/PageInfo"}
    PageInfo:
      type: object
      required: [number, totalPages]
      properties:
        number: {type: integer, format: int32}
        totalPages: {type: integer, format: int32}
    Task:
      type: object
      x-ocp-item-id: taskId
      required: [taskId, clusterName, clusterType]
      properties:
        taskId: {type: integer, format: int64}
        clusterName: {type: string}
        backupType: {type: string}
        backupUri: {type: string}
        errorMsg: {type: string}
        clusterType:
          anyOf:
            - $ref: "#/components/schemas/ClusterType"
            - type: string
        status:
          anyOf:
            - $ref: "#/components/schemas/TaskStatus"
            - type: string
        secondaryTaskIds:
          type: array
          items: {type: integer, format: int64}
    ClusterType: {type: string, enum: [PRIMARY, STANDBY]}
    TaskStatus: {type: string, enum: [DOING, DONE, FAILED, UNKNOWN]}
    ErrorResponse:
      allOf:
        - $ref: "#/components/schemas/ResponseEnvelope"
        - type: object
          required: [error]
          properties:
            error: {$ref: "#/components/schemas/ApiError"}
    ApiError:
      type: object
      required: [code, message]
      properties:
        code: {type: integer, format: int32}
        message: {type: string}
        subErrors:
          type: array
          items: {$ref: "#/components/schemas/ApiSubError"}
    ApiSubError:
      type: object
      properties:
        field: {type: string}
"""
BASE: Document = spec_model.read_yaml(BASE_YAML)

LIST = "/clusters/{id}/tasks"
OP = "/paths/~1clusters~1{id}~1tasks/get"
SCHEMAS = "/components/schemas"
TASK = f"{SCHEMAS}/Task"
PAGE_SIZE = "/components/parameters/PageSize"


def base() -> Document:
    return copy.deepcopy(BASE)


def operation(document: Document) -> Document:
    op: Document = document["paths"][LIST]["get"]
    return op


def parameter(document: Document, name: str) -> Document:
    found: Document = next(p for p in operation(document)["parameters"] if p.get("name") == name)
    return found


def listed(name: str) -> str:
    """Where the list operation of BASE lists its parameter ``name``."""
    names = [p.get("name") for p in operation(BASE)["parameters"]]
    return f"{OP}/parameters/{names.index(name)}"


def schemas(document: Document) -> Document:
    found: Document = document["components"]["schemas"]
    return found


def changed(mutate: Mutation, version: str, released: Document | None = None) -> Document:
    """A copy of ``released`` (BASE by default) changed by ``mutate``, at ``version``."""
    document = copy.deepcopy(BASE if released is None else released)
    mutate(document)
    document["info"]["version"] = version
    return document


def breaking(verdict: check_breaking.Verdict) -> list[tuple[str, str]]:
    return [(f.pointer, f.message) for f in verdict.findings if f.kind == "breaking"]


def additions(verdict: check_breaking.Verdict) -> list[tuple[str, str]]:
    return [(f.pointer, f.message) for f in verdict.findings if f.kind == "addition"]


# -- one test per rule: each change is caught under a MINOR bump ------------------------------


def remove_operation(d: Document) -> None:
    del d["paths"][LIST]


def change_operation_id(d: Document) -> None:
    operation(d)["operationId"] = "findTasks"


def change_tag(d: Document) -> None:
    operation(d)["tags"] = ["tasks", "backup"]


def rename_path_parameter(d: Document) -> None:
    renamed = LIST.replace("{id}", "{clusterId}")
    d["paths"][renamed] = d["paths"].pop(LIST)
    d["paths"][renamed]["get"]["parameters"][0]["name"] = "clusterId"


def remove_parameter(d: Document) -> None:
    operation(d)["parameters"].remove(parameter(d, "setId"))


def rename_parameter(d: Document) -> None:
    parameter(d, "setId")["name"] = "backupSetId"


def move_parameter(d: Document) -> None:
    parameter(d, "setId")["in"] = "header"


def add_required_parameter(d: Document) -> None:
    operation(d)["parameters"].append(
        {"name": "tenantId", "in": "query", "required": True, "schema": {"type": "integer"}}
    )


def make_parameter_required(d: Document) -> None:
    parameter(d, "setId")["required"] = True


def change_parameter_type(d: Document) -> None:
    parameter(d, "setId")["schema"] = {"type": "string"}


def change_parameter_format(d: Document) -> None:
    parameter(d, "setId")["schema"]["format"] = "int32"


def change_parameter_style(d: Document) -> None:
    parameter(d, "setId")["explode"] = False


def lower_shared_parameter_maximum(d: Document) -> None:
    d["components"]["parameters"]["PageSize"]["schema"]["maximum"] = 1000


def change_parameter_pattern(d: Document) -> None:
    parameter(d, "startTime")["schema"]["pattern"] = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


def remove_item_property(d: Document) -> None:
    del schemas(d)["Task"]["properties"]["backupUri"]


def remove_required_response_property(d: Document) -> None:
    page_info = schemas(d)["PageInfo"]
    del page_info["properties"]["totalPages"]
    page_info["required"].remove("totalPages")


def change_property_type(d: Document) -> None:
    schemas(d)["Task"]["properties"]["taskId"] = {"type": "string"}


def change_property_format(d: Document) -> None:
    schemas(d)["Task"]["properties"]["taskId"]["format"] = "int32"


def change_item_type(d: Document) -> None:
    schemas(d)["Task"]["properties"]["secondaryTaskIds"]["items"] = {"type": "string"}


def change_page_item_schema(d: Document) -> None:
    """The list's own allOf part says its items are another schema: what `contents` holds."""
    data = operation(d)["responses"]["200"]["content"]["application/json"]["schema"]["allOf"][1]
    data["properties"]["data"]["allOf"][1]["properties"]["contents"]["items"] = {
        "$ref": "#/components/schemas/ApiSubError"
    }


def make_property_optional(d: Document) -> None:
    schemas(d)["Task"]["required"].remove("clusterName")


def make_property_nullable(d: Document) -> None:
    schemas(d)["Task"]["properties"]["errorMsg"]["nullable"] = True


def narrow_enum(d: Document) -> None:
    schemas(d)["TaskStatus"]["enum"].remove("UNKNOWN")


def introduce_enum(d: Document) -> None:
    schemas(d)["Task"]["properties"]["backupType"]["enum"] = ["FULL"]


def close_open_enum(d: Document) -> None:
    schemas(d)["Task"]["properties"]["clusterType"] = {"$ref": "#/components/schemas/ClusterType"}


def replace_success_response(d: Document) -> None:
    responses = operation(d)["responses"]
    responses["201"] = responses.pop("200")


def add_success_status(d: Document) -> None:
    operation(d)["responses"]["202"] = {"description": "Accepted; the listing is not ready."}


def remove_response_media_type(d: Document) -> None:
    content = operation(d)["responses"]["200"]["content"]
    content["application/x-ocp+json"] = content.pop("application/json")


def remove_response_header(d: Document) -> None:
    del d["components"]["responses"]["TooManyRequests"]["headers"]["RateLimit-Reset"]


def remove_security_alternative(d: Document) -> None:
    d["security"] = [{"ocpAccessKey": []}]


def change_security_scheme(d: Document) -> None:
    d["components"]["securitySchemes"]["ocpAccessKey"]["name"] = "X-OCP-Authorization"


def remove_security_scheme(d: Document) -> None:
    del d["components"]["securitySchemes"]["basicAuth"]
    d["security"] = [{"ocpAccessKey": []}]


def rename_schema(d: Document) -> None:
    all_schemas = schemas(d)
    all_schemas["ApiSubErrorItem"] = all_schemas.pop("ApiSubError")
    sub_errors = all_schemas["ApiError"]["properties"]["subErrors"]
    sub_errors["items"]["$ref"] = "#/components/schemas/ApiSubErrorItem"


RULES: list[tuple[str, Mutation, str, str]] = [
    ("operation removed", remove_operation, OP, "operation GET removed"),
    ("operationId changed", change_operation_id, f"{OP}/operationId", "operationId changed"),
    ("first tag changed", change_tag, f"{OP}/tags", "first tag changed from 'backup' to 'tasks'"),
    ("path parameter renamed", rename_path_parameter, listed("id"), "path parameter 'id' removed"),
    ("parameter removed", remove_parameter, listed("setId"), "'setId' removed"),
    ("parameter renamed", rename_parameter, listed("setId"), "'setId' removed"),
    ("parameter moved", move_parameter, listed("setId"), "query parameter 'setId'"),
    (
        "new required parameter",
        add_required_parameter,
        f"{OP}/parameters/{len(BASE['paths'][LIST]['get']['parameters'])}",
        "new required query parameter 'tenantId'",
    ),
    (
        "optional parameter made required",
        make_parameter_required,
        f"{listed('setId')}/required",
        "'setId' made required",
    ),
    (
        "parameter type changed",
        change_parameter_type,
        f"{listed('setId')}/schema",
        "type changed from integer to string",
    ),
    (
        "parameter format changed",
        change_parameter_format,
        f"{listed('setId')}/schema",
        "format changed from int64 to int32",
    ),
    ("parameter style changed", change_parameter_style, listed("setId"), "style/explode"),
    (
        "shared parameter constraint tightened",
        lower_shared_parameter_maximum,
        f"{PAGE_SIZE}/schema",
        "maximum lowered to 1000",
    ),
    (
        "request pattern changed",
        change_parameter_pattern,
        f"{listed('startTime')}/schema",
        "pattern added or changed",
    ),
    (
        "page item property removed",
        remove_item_property,
        f"{TASK}/properties/backupUri",
        "property 'backupUri' removed",
    ),
    (
        "required response property removed",
        remove_required_response_property,
        f"{SCHEMAS}/PageInfo/properties/totalPages",
        "property 'totalPages' removed",
    ),
    (
        "response property type changed",
        change_property_type,
        f"{TASK}/properties/taskId",
        "type changed from integer to string",
    ),
    (
        "response property format changed",
        change_property_format,
        f"{TASK}/properties/taskId",
        "format changed from int64 to int32",
    ),
    (
        "array item type changed",
        change_item_type,
        f"{TASK}/properties/secondaryTaskIds/items",
        "type changed from integer to string",
    ),
    (
        "page item schema changed",
        change_page_item_schema,
        f"{TASK}/properties/taskId",
        "property 'taskId' removed",
    ),
    (
        "response property made optional",
        make_property_optional,
        f"{TASK}/properties/clusterName",
        "response property 'clusterName' made optional",
    ),
    (
        "response property made nullable",
        make_property_nullable,
        f"{TASK}/properties/errorMsg",
        "made nullable",
    ),
    (
        "enum value removed",
        narrow_enum,
        f"{SCHEMAS}/TaskStatus",
        "enum value(s) removed: ['UNKNOWN']",
    ),
    ("enum introduced", introduce_enum, f"{TASK}/properties/backupType", "enum introduced"),
    (
        "open enum closed",
        close_open_enum,
        f"{SCHEMAS}/ClusterType",
        "alternatives changed from 2 to 0",
    ),
    (
        "success response replaced",
        replace_success_response,
        f"{OP}/responses/200",
        "success response 200 removed",
    ),
    ("new success status", add_success_status, f"{OP}/responses/202", "new success status 202"),
    (
        "response media type removed",
        remove_response_media_type,
        f"{OP}/responses/200/content/application~1json",
        "response media type application/json removed",
    ),
    (
        "response header removed",
        remove_response_header,
        "/components/responses/TooManyRequests/headers/RateLimit-Reset",
        "response header RateLimit-Reset removed",
    ),
    (
        "security alternative removed",
        remove_security_alternative,
        "/security",
        "security alternative removed: basicAuth",
    ),
    (
        "security scheme changed",
        change_security_scheme,
        "/components/securitySchemes/ocpAccessKey/name",
        "name changed",
    ),
    (
        "security scheme removed",
        remove_security_scheme,
        "/components/securitySchemes/basicAuth",
        "security scheme basicAuth removed",
    ),
    ("schema renamed", rename_schema, f"{SCHEMAS}/ApiSubError", "schema ApiSubError removed"),
]


@pytest.mark.parametrize(
    ("mutate", "pointer", "message"),
    [pytest.param(mutate, pointer, message, id=rule) for rule, mutate, pointer, message in RULES],
)
def test_rule_is_caught_without_a_major_bump(mutate: Mutation, pointer: str, message: str) -> None:
    verdict = check_breaking.check(BASE, changed(mutate, "1.1.0"))
    assert not verdict.ok
    assert any(p == pointer and message in m for p, m in breaking(verdict)), breaking(verdict)
    assert any("need a MAJOR bump" in problem for problem in verdict.problems), verdict.problems


# -- request bodies: BASE has none, so both sides get a POST first ------------------------------


def with_post(body: Document | None) -> Document:
    document = base()
    post: Document = {
        "operationId": "createTask",
        "tags": ["backup"],
        "responses": {"200": {"description": "Created."}},
    }
    if body is not None:
        post["requestBody"] = body
    document["paths"][LIST]["post"] = post
    return document


def body(properties: Document, required: list[str], needed: bool = False) -> Document:
    schema: Document = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"required": needed, "content": {"application/json": {"schema": schema}}}


BODY_OP = OP.replace("/get", "/post")
MEDIA = f"{BODY_OP}/requestBody/content/application~1json/schema"
TENANT = {"tenantId": {"type": "integer", "format": "int64"}}
TENANT_AND_MODE = TENANT | {"mode": {"type": "string", "nullable": True}}


@pytest.mark.parametrize(
    ("before", "after", "pointer", "message"),
    [
        pytest.param(
            None,
            body(TENANT, [], needed=True),
            f"{BODY_OP}/requestBody",
            "new required request body",
            id="required request body added",
        ),
        pytest.param(
            body(TENANT, []),
            body(TENANT, [], needed=True),
            f"{BODY_OP}/requestBody/required",
            "request body made required",
            id="request body made required",
        ),
        pytest.param(
            body(TENANT, []),
            None,
            f"{BODY_OP}/requestBody",
            "request body removed",
            id="request body removed",
        ),
        pytest.param(
            body(TENANT, []),
            {
                "content": {
                    "application/x-www-form-urlencoded": body(TENANT, [])["content"].pop(
                        "application/json"
                    )
                }
            },
            f"{BODY_OP}/requestBody/content/application~1json",
            "request media type application/json removed",
            id="request media type removed",
        ),
        pytest.param(
            body(TENANT_AND_MODE, []),
            body(TENANT, []),
            f"{MEDIA}/properties/mode",
            "property 'mode' removed",
            id="request property removed",
        ),
        pytest.param(
            body(TENANT, []),
            body(TENANT_AND_MODE, ["mode"]),
            f"{MEDIA}/properties/mode",
            "new required request property 'mode'",
            id="new required request property",
        ),
        pytest.param(
            body(TENANT, []),
            body(TENANT, ["tenantId"]),
            f"{MEDIA}/properties/tenantId",
            "request property 'tenantId' made required",
            id="request property made required",
        ),
        pytest.param(
            body(TENANT_AND_MODE, []),
            body(TENANT | {"mode": {"type": "string"}}, []),
            f"{MEDIA}/properties/mode",
            "request value no longer nullable",
            id="request property no longer nullable",
        ),
    ],
)
def test_request_body_rule_is_caught(
    before: Document | None, after: Document | None, pointer: str, message: str
) -> None:
    new = with_post(after)
    new["info"]["version"] = "1.1.0"
    verdict = check_breaking.check(with_post(before), new)
    assert not verdict.ok
    assert any(p == pointer and message in m for p, m in breaking(verdict)), breaking(verdict)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        pytest.param(
            {"type": "integer", "minimum": 1},
            {"type": "integer", "minimum": 5},
            "request minimum raised to 5",
            id="minimum raised",
        ),
        pytest.param(
            {"type": "integer"},
            {"type": "integer", "maximum": 9},
            "request maximum lowered to 9",
            id="maximum added",
        ),
        pytest.param(
            {"type": "integer", "maximum": 9},
            {"type": "integer", "maximum": 9, "exclusiveMaximum": True},
            "request exclusiveMaximum switched on",
            id="exclusive bound switched on",
        ),
        pytest.param(
            {"type": "string", "minLength": 1},
            {"type": "string", "minLength": 2},
            "request minLength raised to 2",
            id="minLength raised",
        ),
        pytest.param(
            {"type": "string", "maxLength": 64},
            {"type": "string", "maxLength": 32},
            "request maxLength lowered to 32",
            id="maxLength lowered",
        ),
        pytest.param(
            {"type": "array", "items": {"type": "integer"}},
            {"type": "array", "items": {"type": "integer"}, "minItems": 1},
            "request minItems raised to 1",
            id="minItems added",
        ),
        pytest.param(
            {"type": "array", "items": {"type": "integer"}, "maxItems": 10},
            {"type": "array", "items": {"type": "integer"}, "maxItems": 5},
            "request maxItems lowered to 5",
            id="maxItems lowered",
        ),
        pytest.param(
            {"type": "array", "items": {"type": "integer"}},
            {"type": "array", "items": {"type": "integer"}, "uniqueItems": True},
            "request uniqueItems switched on",
            id="uniqueItems switched on",
        ),
        pytest.param(
            {"type": "string"},
            {"type": "string", "pattern": "^[A-Z]+$"},
            "request pattern added or changed",
            id="pattern added",
        ),
    ],
)
def test_request_constraint_tightened_is_caught(
    before: Document, after: Document, message: str
) -> None:
    new = with_post(body({"value": after}, []))
    new["info"]["version"] = "1.1.0"
    verdict = check_breaking.check(with_post(body({"value": before}, [])), new)
    assert (f"{MEDIA}/properties/value", message) in breaking(verdict)
    assert not verdict.ok


def test_request_constraint_loosened_is_not_breaking() -> None:
    new = with_post(body({"value": {"type": "integer", "maximum": 99}}, []))
    new["info"]["version"] = "1.0.1"
    verdict = check_breaking.check(
        with_post(body({"value": {"type": "integer", "maximum": 9}}, [])), new
    )
    assert verdict.ok, verdict.problems
    assert breaking(verdict) == []


# -- enums ---------------------------------------------------------------------------------------


def test_closed_response_enum_gaining_a_value_is_breaking() -> None:
    old = changed(close_open_enum, "1.0.0")
    new = changed(lambda d: schemas(d)["ClusterType"]["enum"].append("READONLY"), "1.1.0", old)
    verdict = check_breaking.check(old, new)
    assert (
        f"{SCHEMAS}/ClusterType",
        "closed enum of a response gained value(s): ['READONLY']",
    ) in breaking(verdict)
    assert not verdict.ok


def test_closed_response_enum_dropped_is_breaking() -> None:
    old = changed(close_open_enum, "1.0.0")
    new = changed(lambda d: schemas(d)["ClusterType"].pop("enum"), "1.1.0", old)
    verdict = check_breaking.check(old, new)
    assert (
        f"{SCHEMAS}/ClusterType",
        "closed enum of a response dropped (any value now)",
    ) in breaking(verdict)


# -- schemas no operation uses -------------------------------------------------------------------


def test_schema_no_operation_uses_is_compared_too() -> None:
    old = changed(
        lambda d: schemas(d).update(
            Unused={"type": "object", "properties": {"name": {"type": "string"}}}
        ),
        "1.0.0",
    )
    new = changed(
        lambda d: schemas(d)["Unused"]["properties"].update(name={"type": "integer"}), "1.1.0", old
    )
    verdict = check_breaking.check(old, new)
    assert (
        f"{SCHEMAS}/Unused/properties/name",
        "type changed from string to integer",
    ) in breaking(verdict)


def with_wrapper_schemas(d: Document) -> None:
    """The list's answer as named per-operation wrappers (as openapi/ocp.yaml 1.0.0 had it)
    instead of the allOf composition of the shared envelope and page: the same JSON."""
    schemas(d)["TaskPage"] = {
        "type": "object",
        "required": ["contents", "page"],
        "properties": {
            "contents": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "page": {"$ref": "#/components/schemas/PageInfo"},
        },
    }
    schemas(d)["TaskPageResponse"] = {
        "allOf": [
            {"$ref": "#/components/schemas/ResponseEnvelope"},
            {
                "type": "object",
                "required": ["data"],
                "properties": {"data": {"$ref": "#/components/schemas/TaskPage"}},
            },
        ]
    }
    del schemas(d)["Page"]
    media = operation(d)["responses"]["200"]["content"]["application/json"]
    media["schema"] = {"$ref": "#/components/schemas/TaskPageResponse"}


def test_wrapper_schemas_replaced_by_an_allof_of_the_same_json_need_a_major_bump() -> None:
    """Decision: what the operations send and receive is unchanged, and the guard finds nothing
    at the operation; but the wrapper schemas are gone, and with them the model classes and
    types every generated client named after them. That is breaking: code that names them
    stops importing or compiling."""
    released = changed(with_wrapper_schemas, "1.0.0")
    verdict = check_breaking.check(released, changed(lambda d: None, "1.1.0"))
    assert sorted(breaking(verdict)) == [
        (
            f"{SCHEMAS}/{name}",
            f"schema {name} removed or renamed: generated clients lose the model named after it,"
            " even where the operations' JSON is unchanged",
        )
        for name in ("TaskPage", "TaskPageResponse")
    ]
    assert additions(verdict) == [(f"{SCHEMAS}/Page", "new schema Page")]
    assert verdict.problems == [
        "2 breaking change(s) need a MAJOR bump over 1.0.0 (info.version is 1.1.0)"
    ]
    assert check_breaking.check(released, changed(lambda d: None, "2.0.0")).ok


def test_an_allof_refinement_is_compared_merged_with_what_it_refines() -> None:
    """Page says `contents` is an array of anything; the list's allOf part says of what. The
    refinement dropped is the items' type lost, reported where the refinement was."""

    def drop_refinement(d: Document) -> None:
        media = operation(d)["responses"]["200"]["content"]["application/json"]
        media["schema"]["allOf"][1]["properties"]["data"] = {"$ref": "#/components/schemas/Page"}

    verdict = check_breaking.check(BASE, changed(drop_refinement, "1.1.0"))
    assert (f"{SCHEMAS}/Page/properties/contents/items", "type changed from object to None") in (
        breaking(verdict)
    )
    assert (f"{TASK}/properties/taskId", "property 'taskId' removed") in breaking(verdict)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(
            lambda d: schemas(d)["Page"].update(allOf=[{"$ref": "#/components/schemas/Page"}]),
            "allOf cycle at /components/schemas/Page",
            id="allOf cycle",
        ),
        pytest.param(
            lambda d: schemas(d)["Task"]["properties"].update(x={"$ref": "other.yaml#/X"}),
            "only local references are supported, not 'other.yaml#/X'",
            id="external $ref",
        ),
        pytest.param(
            lambda d: schemas(d)["Task"]["properties"].update(
                x={"$ref": "#/components/schemas/No"}
            ),
            "unresolvable reference '#/components/schemas/No'",
            id="unresolvable $ref",
        ),
    ],
)
def test_a_spec_the_guard_cannot_read_stops_it_with_the_reason(
    mutate: Mutation, message: str
) -> None:
    with pytest.raises(check_breaking.GuardError, match="current spec: ") as raised:
        check_breaking.check(BASE, changed(mutate, "1.1.0"))
    assert message in str(raised.value)


# -- what passes, and the version rules ----------------------------------------------------------


def add_known_status_and_parameter(d: Document) -> None:
    """Additions only: a known value of an open enum, an optional parameter, a field."""
    schemas(d)["TaskStatus"]["enum"].append("PAUSED")
    operation(d)["parameters"].append(
        {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    schemas(d)["Task"]["properties"]["progress"] = {"type": "integer"}


def test_additive_change_with_a_minor_bump_passes() -> None:
    verdict = check_breaking.check(BASE, changed(add_known_status_and_parameter, "1.1.0"))
    assert verdict.ok, verdict.problems
    assert breaking(verdict) == []
    added = set(additions(verdict))
    assert (f"{SCHEMAS}/TaskStatus", "new enum value(s): ['PAUSED']") in added
    new_parameter = f"{OP}/parameters/{len(operation(BASE)['parameters'])}"
    assert (new_parameter, "new optional query parameter 'status'") in added
    assert (f"{TASK}/properties/progress", "new property 'progress'") in added


def test_additive_change_with_only_a_patch_bump_fails() -> None:
    verdict = check_breaking.check(BASE, changed(add_known_status_and_parameter, "1.0.1"))
    assert verdict.problems == [
        "3 addition(s) need at least a MINOR bump over 1.0.0 (info.version is 1.0.1)"
    ]


def test_breaking_change_with_a_major_bump_passes() -> None:
    verdict = check_breaking.check(BASE, changed(remove_parameter, "2.0.0"))
    assert verdict.ok, verdict.problems
    assert breaking(verdict) != []


def reword(d: Document) -> None:
    operation(d)["summary"] = "Query the tasks of a cluster"


def test_wording_change_with_a_patch_bump_passes() -> None:
    verdict = check_breaking.check(BASE, changed(reword, "1.0.1"))
    assert verdict.ok, verdict.problems
    assert verdict.findings == []


def test_any_change_without_a_version_bump_fails() -> None:
    verdict = check_breaking.check(BASE, changed(reword, "1.0.0"))
    assert verdict.problems == ["the spec changed but info.version is still 1.0.0"]


def test_breaking_change_without_a_version_bump_fails() -> None:
    verdict = check_breaking.check(BASE, changed(remove_parameter, "1.0.0"))
    assert verdict.problems == ["the spec changed but info.version is still 1.0.0"]
    assert breaking(verdict) != []


def test_version_going_down_fails() -> None:
    verdict = check_breaking.check(BASE, changed(lambda d: None, "0.9.0"))
    assert verdict.problems == ["info.version went down: 0.9.0 < released 1.0.0"]


def test_version_that_is_not_semver_is_refused() -> None:
    with pytest.raises(check_breaking.GuardError, match=r"not MAJOR\.MINOR\.PATCH"):
        check_breaking.check(BASE, changed(lambda d: None, "1.1"))


def test_latest_release_is_the_highest_version(tmp_path: Path) -> None:
    for version in ("1.0.0", "1.2.0", "1.10.0", "1.9.3"):
        (tmp_path / f"ocp-{version}.yaml").write_text("", encoding="utf-8")
    assert check_breaking.latest_released(tmp_path).name == "ocp-1.10.0.yaml"


def test_released_file_must_hold_the_version_its_name_says(tmp_path: Path) -> None:
    released = tmp_path / "ocp-1.0.1.yaml"
    released.write_text(yaml.safe_dump(BASE), encoding="utf-8")
    with pytest.raises(
        check_breaking.GuardError, match=r"ocp-1\.0\.1\.yaml says info\.version 1\.0\.0"
    ):
        check_breaking.check_files(released, released)


def add_conflict_response(d: Document) -> None:
    operation(d)["responses"]["409"] = {"$ref": "#/components/responses/NotFound"}


def remove_not_found_response(d: Document) -> None:
    del operation(d)["responses"]["404"]


def make_response_property_required(d: Document) -> None:
    schemas(d)["Task"]["required"].append("backupUri")


def widen_request_maximum(d: Document) -> None:
    d["components"]["parameters"]["PageSize"]["schema"]["maximum"] = 5000


def add_security_alternative(d: Document) -> None:
    d["security"].append({})


def add_operation(d: Document) -> None:
    d["paths"]["/clusters"] = {
        "get": {
            "operationId": "listClusters",
            "tags": ["cluster"],
            "responses": {"200": {"description": "The clusters."}},
        }
    }


@pytest.mark.parametrize(
    "mutate",
    [
        add_conflict_response,
        remove_not_found_response,
        make_response_property_required,
        widen_request_maximum,
        add_security_alternative,
        add_operation,
    ],
)
def test_change_that_breaks_no_client_passes_with_a_minor_bump(mutate: Mutation) -> None:
    verdict = check_breaking.check(BASE, changed(mutate, "1.1.0"))
    assert breaking(verdict) == []
    assert verdict.ok, verdict.problems


def test_command_lists_each_finding_with_its_pointer_and_exits_1(tmp_path: Path) -> None:
    released = tmp_path / "ocp-1.0.0.yaml"
    released.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    spec = tmp_path / "ocp.yaml"
    document = changed(remove_parameter, "1.1.0")
    make_property_optional(document)
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "check_breaking.py"),
            "--spec",
            str(spec),
            "--released",
            str(released),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"breaking: {listed('setId')} (released): query parameter 'setId'" in result.stderr
    assert f"breaking: {TASK}/properties/clusterName (current):" in result.stderr
    assert "2 breaking change(s) need a MAJOR bump over 1.0.0" in result.stderr


# -- every operation, parameter and schema of openapi/ocp.yaml ------------------------------------

SPEC: Document = spec_model.load_document(SPEC_PATH)
MODEL = spec_model.Spec(SPEC)


def spec_at(version: str, mutate: Mutation = lambda d: None) -> Document:
    return changed(mutate, version, SPEC)


def op_pointer(op: spec_model.Operation) -> str:
    return f"/paths/{check_breaking.escape(op.path)}/{op.method.lower()}"


def raw_operation(document: Document, op: spec_model.Operation) -> Document:
    found: Document = document["paths"][op.path][op.method.lower()]
    return found


# Each rule is tried on a spread of the spec's operations, parameters and schemas (see
# tests.conftest.spread): every comparison reads the whole spec.
OPERATIONS = [pytest.param(op, id=op.id) for op in spread(MODEL.operations)]
PARAMETERS = spread(
    [
        pytest.param(op, p, id=f"{op.id}.{p.location}.{p.name}")
        for op in MODEL.operations
        for p in op.parameters
    ]
)


def where_listed(
    document: Document, op: spec_model.Operation, p: spec_model.Parameter
) -> tuple[list[Any], int, str]:
    """The list that names parameter ``p`` of ``op`` (the operation's own, else its path
    item's), its index there and the pointer of the entry."""
    item = document["paths"][op.path]
    for owner, pointer in (
        (item[op.method.lower()], op_pointer(op)),
        (item, f"/paths/{check_breaking.escape(op.path)}"),
    ):
        for index, entry in enumerate(owner.get("parameters", [])):
            resolved = spec_model.resolve(document, entry)
            if (resolved["name"], resolved["in"]) == (p.name, p.location):
                return owner["parameters"], index, f"{pointer}/parameters/{index}"
    raise AssertionError(f"{op.id}: parameter {p.name} is listed nowhere")


def test_the_spec_compared_with_itself_has_no_findings() -> None:
    verdict = check_breaking.check(SPEC, spec_at("99.0.0"))
    assert verdict.findings == []
    assert verdict.ok


@pytest.mark.parametrize("op", OPERATIONS)
def test_each_operation_removed_is_breaking(op: spec_model.Operation) -> None:
    def remove(d: Document) -> None:
        del d["paths"][op.path][op.method.lower()]

    verdict = check_breaking.check(SPEC, spec_at("99.1.0", remove))
    assert breaking(verdict) == [(op_pointer(op), f"operation {op.method} removed")]


@pytest.mark.parametrize("op", OPERATIONS)
def test_each_operation_renamed_or_regrouped_is_breaking(op: spec_model.Operation) -> None:
    def rename(d: Document) -> None:
        raw_operation(d, op)["operationId"] = f"{op.id}Renamed"
        raw_operation(d, op)["tags"] = [f"{op.tag}_moved"]

    found = breaking(check_breaking.check(SPEC, spec_at("99.1.0", rename)))
    assert [pointer for pointer, _ in found] == [
        f"{op_pointer(op)}/operationId",
        f"{op_pointer(op)}/tags",
    ]


@pytest.mark.parametrize(("op", "p"), PARAMETERS)
def test_each_parameter_removed_is_breaking(
    op: spec_model.Operation, p: spec_model.Parameter
) -> None:
    def remove(d: Document) -> None:
        owner, index, _ = where_listed(d, op, p)
        del owner[index]
        if p.location == "path":  # a path without its placeholder: still one operation
            d["paths"][op.path.replace(f"{{{p.name}}}", "x")] = d["paths"].pop(op.path)

    verdict = check_breaking.check(SPEC, spec_at("99.1.0", remove))
    if p.location == "path":
        assert (op_pointer(op), f"operation {op.method} removed") in breaking(verdict)
    else:
        pointer = where_listed(SPEC, op, p)[2]
        assert (
            pointer,
            f"{p.location} parameter {p.name!r} removed (or renamed, or moved)",
        ) in breaking(verdict)


@pytest.mark.parametrize(
    ("op", "p"),
    spread(
        [
            pytest.param(op, p, id=f"{op.id}.{p.location}.{p.name}")
            for op in MODEL.operations
            for p in op.parameters
            if not p.required
        ]
    ),
)
def test_each_optional_parameter_made_required_is_breaking(
    op: spec_model.Operation, p: spec_model.Parameter
) -> None:
    def require(d: Document) -> None:
        owner, index, _ = where_listed(d, op, p)
        owner[index] = {**spec_model.resolve(d, owner[index]), "required": True}

    verdict = check_breaking.check(SPEC, spec_at("99.1.0", require))
    assert any(
        message.endswith(f"parameter {p.name!r} made required") for _, message in breaking(verdict)
    ), breaking(verdict)


def renamed_refs(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {
            key: new if key == "$ref" and value == old else renamed_refs(value, old, new)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [renamed_refs(value, old, new) for value in node]
    return node


@pytest.mark.parametrize("name", spread(list(SPEC["components"]["schemas"])))
def test_each_schema_renamed_is_breaking(name: str) -> None:
    def rename(d: Document) -> None:
        d.update(renamed_refs(d, f"#/components/schemas/{name}", f"#/components/schemas/{name}2"))
        schemas(d)[f"{name}2"] = schemas(d).pop(name)

    verdict = check_breaking.check(SPEC, spec_at("99.1.0", rename))
    assert [message for _, message in breaking(verdict)] == [
        f"schema {name} removed or renamed: generated clients lose the model named after it,"
        " even where the operations' JSON is unchanged"
    ]


@pytest.mark.parametrize("op", OPERATIONS)
def test_each_operation_copied_to_a_new_path_is_an_addition(op: spec_model.Operation) -> None:
    """A new operation shaped like an existing one (shared parameters, envelope and page)."""

    def copy_operation(d: Document) -> None:
        item = copy.deepcopy(d["paths"][op.path])
        for method in spec_model.HTTP_METHODS:
            if method in item:
                item[method]["operationId"] = f"{item[method]['operationId']}Copy"
        d["paths"][f"{op.path}/copy"] = item

    major, minor, _ = check_breaking.parse_version(SPEC["info"]["version"])
    verdict = check_breaking.check(SPEC, spec_at(f"{major}.{minor + 1}.0", copy_operation))
    assert breaking(verdict) == []
    new_pointer = f"/paths/{check_breaking.escape(op.path + '/copy')}/{op.method.lower()}"
    assert (new_pointer, f"new operation {op.method}") in additions(verdict)
    assert verdict.ok, verdict.problems
