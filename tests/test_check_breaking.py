"""`tools/check_breaking.py`: each rule on its own, and the version rules around them.

Each test loads the released 1.0.0 spec (a copy of the spec as first released), changes one
thing, writes the result to a scratch file and runs the guard on it against that release. The
released copy, not the working spec, is the starting point, so that work in progress on
openapi/ocp.yaml cannot change what these tests see.
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
from tests.conftest import ROOT, SPEC_PATH

RELEASED = ROOT / "openapi" / "released" / "ocp-1.0.0.yaml"
PATH = "/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks"
OP = "/paths/~1api~1v2~1ob~1clusters~1{id}~1backup~1task~1dataBackupTasks/get"
SCHEMAS = "/components/schemas"
TASK = f"{SCHEMAS}/DataBackupHistoryWrapperTask"

Mutation = Callable[[dict[str, Any]], None]


def released() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(RELEASED.read_text(encoding="utf-8"))
    return document


def operation(document: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = document["paths"][PATH]["get"]
    return op


def parameter(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in operation(document)["parameters"] if p["name"] == name)
    return found


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def write(document: dict[str, Any], folder: Path) -> Path:
    path = folder / "ocp.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def run_guard(mutate: Mutation, version: str, folder: Path) -> check_breaking.Verdict:
    document = released()
    mutate(document)
    document["info"]["version"] = version
    return check_breaking.check_files(write(document, folder), RELEASED)


def breaking(verdict: check_breaking.Verdict) -> list[tuple[str, str]]:
    return [(f.pointer, f.message) for f in verdict.findings if f.kind == "breaking"]


# -- one test per rule: each change is caught under a MINOR bump ------------------------------


def remove_operation(d: dict[str, Any]) -> None:
    del d["paths"][PATH]


def change_operation_id(d: dict[str, Any]) -> None:
    operation(d)["operationId"] = "getDataBackupTasks"


def rename_path_parameter(d: dict[str, Any]) -> None:
    renamed = PATH.replace("{id}", "{clusterId}")
    d["paths"][renamed] = d["paths"].pop(PATH)
    cluster_id = next(p for p in d["paths"][renamed]["get"]["parameters"] if p["name"] == "id")
    cluster_id["name"] = "clusterId"


def remove_parameter(d: dict[str, Any]) -> None:
    operation(d)["parameters"].remove(parameter(d, "backupSetId"))


def rename_parameter(d: dict[str, Any]) -> None:
    parameter(d, "backupSetId")["name"] = "setId"


def move_parameter(d: dict[str, Any]) -> None:
    parameter(d, "backupSetId")["in"] = "header"


def add_required_parameter(d: dict[str, Any]) -> None:
    operation(d)["parameters"].append(
        {"name": "tenantId", "in": "query", "required": True, "schema": {"type": "integer"}}
    )


def make_parameter_required(d: dict[str, Any]) -> None:
    parameter(d, "backupSetId")["required"] = True


def change_parameter_type(d: dict[str, Any]) -> None:
    parameter(d, "backupSetId")["schema"] = {"type": "string"}


def change_parameter_format(d: dict[str, Any]) -> None:
    parameter(d, "backupSetId")["schema"]["format"] = "int32"


def change_parameter_style(d: dict[str, Any]) -> None:
    parameter(d, "backupSetId")["explode"] = False


def lower_parameter_maximum(d: dict[str, Any]) -> None:
    parameter(d, "size")["schema"]["maximum"] = 1000


def change_parameter_pattern(d: dict[str, Any]) -> None:
    parameter(d, "startTime")["schema"]["pattern"] = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


def remove_response_property(d: dict[str, Any]) -> None:
    del schemas(d)["DataBackupHistoryWrapperTask"]["properties"]["backupUri"]


def remove_required_response_property(d: dict[str, Any]) -> None:
    page_info = schemas(d)["PageInfo"]
    del page_info["properties"]["totalPages"]
    page_info["required"].remove("totalPages")


def change_property_type(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupHistoryWrapperTask"]["properties"]["taskId"] = {"type": "string"}


def change_property_format(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupHistoryWrapperTask"]["properties"]["taskId"]["format"] = "int32"


def change_item_type(d: dict[str, Any]) -> None:
    task = schemas(d)["DataBackupHistoryWrapperTask"]
    task["properties"]["dataSecondaryBackupTaskIds"]["items"] = {"type": "string"}


def make_property_optional(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupHistoryWrapperTask"]["required"].remove("clusterName")


def make_property_nullable(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupHistoryWrapperTask"]["properties"]["errorMsg"]["nullable"] = True


def narrow_enum(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupTaskStatus"]["enum"].remove("UNKNOWN")


def introduce_enum(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupHistoryWrapperTask"]["properties"]["backupType"]["enum"] = ["FULL"]


def close_open_enum(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupHistoryWrapperTask"]["properties"]["clusterType"] = {
        "$ref": "#/components/schemas/ClusterType"
    }


def replace_success_response(d: dict[str, Any]) -> None:
    responses = operation(d)["responses"]
    responses["201"] = responses.pop("200")


def add_success_status(d: dict[str, Any]) -> None:
    operation(d)["responses"]["202"] = {"description": "Accepted; the listing is not ready."}


def remove_response_media_type(d: dict[str, Any]) -> None:
    content = operation(d)["responses"]["200"]["content"]
    content["application/x-ocp+json"] = content.pop("application/json")


def remove_response_header(d: dict[str, Any]) -> None:
    del d["components"]["responses"]["TooManyRequests"]["headers"]["RateLimit-Reset"]


def remove_security_alternative(d: dict[str, Any]) -> None:
    d["security"] = [{"ocpAccessKey": []}]


def change_security_scheme(d: dict[str, Any]) -> None:
    d["components"]["securitySchemes"]["ocpAccessKey"]["name"] = "X-OCP-Authorization"


def remove_security_scheme(d: dict[str, Any]) -> None:
    del d["components"]["securitySchemes"]["basicAuth"]
    d["security"] = [{"ocpAccessKey": []}]


def rename_schema(d: dict[str, Any]) -> None:
    all_schemas = schemas(d)
    all_schemas["ApiSubErrorItem"] = all_schemas.pop("ApiSubError")
    sub_errors = all_schemas["ApiError"]["properties"]["subErrors"]
    sub_errors["items"]["$ref"] = "#/components/schemas/ApiSubErrorItem"


RULES: list[tuple[str, Mutation, str, str]] = [
    ("operation removed", remove_operation, OP, "operation GET removed"),
    ("operationId changed", change_operation_id, f"{OP}/operationId", "operationId changed"),
    (
        "path parameter renamed",
        rename_path_parameter,
        f"{OP}/parameters/0",
        "path parameter 'id' removed",
    ),
    ("parameter removed", remove_parameter, f"{OP}/parameters/3", "'backupSetId' removed"),
    ("parameter renamed", rename_parameter, f"{OP}/parameters/3", "'backupSetId' removed"),
    ("parameter moved", move_parameter, f"{OP}/parameters/3", "query parameter 'backupSetId'"),
    (
        "new required parameter",
        add_required_parameter,
        f"{OP}/parameters/6",
        "new required query parameter 'tenantId'",
    ),
    (
        "optional parameter made required",
        make_parameter_required,
        f"{OP}/parameters/3/required",
        "'backupSetId' made required",
    ),
    (
        "parameter type changed",
        change_parameter_type,
        f"{OP}/parameters/3/schema",
        "type changed from integer to string",
    ),
    (
        "parameter format changed",
        change_parameter_format,
        f"{OP}/parameters/3/schema",
        "format changed from int64 to int32",
    ),
    ("parameter style changed", change_parameter_style, f"{OP}/parameters/3", "style/explode"),
    (
        "request constraint tightened",
        lower_parameter_maximum,
        f"{OP}/parameters/5/schema",
        "maximum lowered to 1000",
    ),
    (
        "request pattern changed",
        change_parameter_pattern,
        f"{OP}/parameters/1/schema",
        "pattern added or changed",
    ),
    (
        "response property removed",
        remove_response_property,
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
        f"{TASK}/properties/dataSecondaryBackupTaskIds/items",
        "type changed from integer to string",
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
        f"{SCHEMAS}/DataBackupTaskStatus",
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
    (
        "new success status",
        add_success_status,
        f"{OP}/responses/202",
        "new success status 202",
    ),
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
    (
        "schema renamed",
        rename_schema,
        f"{SCHEMAS}/ApiSubError",
        "schema ApiSubError removed or renamed",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "pointer", "message"),
    [pytest.param(mutate, pointer, message, id=rule) for rule, mutate, pointer, message in RULES],
)
def test_rule_is_caught_without_a_major_bump(
    mutate: Mutation, pointer: str, message: str, tmp_path: Path
) -> None:
    verdict = run_guard(mutate, "1.1.0", tmp_path)
    assert not verdict.ok
    assert any(p == pointer and message in m for p, m in breaking(verdict)), breaking(verdict)
    assert any("need a MAJOR bump" in problem for problem in verdict.problems), verdict.problems


# -- request bodies: the released spec has none, so both sides get a POST first ----------------


def with_post(document: dict[str, Any], body: dict[str, Any] | None) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    post: dict[str, Any] = {
        "operationId": "createDataBackupTask",
        "responses": {"200": {"description": "Created."}},
    }
    if body is not None:
        post["requestBody"] = body
    changed["paths"][PATH]["post"] = post
    return changed


def body(properties: dict[str, Any], required: list[str], needed: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
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
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    pointer: str,
    message: str,
) -> None:
    old = with_post(released(), before)
    new = with_post(released(), after)
    new["info"]["version"] = "1.1.0"
    verdict = check_breaking.check(old, new)
    assert not verdict.ok
    assert any(p == pointer and message in m for p, m in breaking(verdict)), breaking(verdict)


def test_closed_response_enum_gaining_a_value_is_breaking() -> None:
    old = released()
    close_open_enum(old)
    new = copy.deepcopy(old)
    schemas(new)["ClusterType"]["enum"].append("READONLY")
    new["info"]["version"] = "1.1.0"
    verdict = check_breaking.check(old, new)
    assert (
        f"{SCHEMAS}/ClusterType",
        "closed enum of a response gained value(s): ['READONLY']",
    ) in breaking(verdict)
    assert not verdict.ok


# -- what passes, and the version rules -------------------------------------------------------


def add_known_status_and_parameter(d: dict[str, Any]) -> None:
    """Additions only: a known value of an open enum, an optional parameter, a field."""
    schemas(d)["DataBackupTaskStatus"]["enum"].append("PAUSED")
    operation(d)["parameters"].append(
        {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    schemas(d)["DataBackupHistoryWrapperTask"]["properties"]["progress"] = {"type": "integer"}


def test_additive_change_with_a_minor_bump_passes(tmp_path: Path) -> None:
    verdict = run_guard(add_known_status_and_parameter, "1.1.0", tmp_path)
    assert verdict.ok, verdict.problems
    assert breaking(verdict) == []
    additions = {(f.pointer, f.message) for f in verdict.findings if f.kind == "addition"}
    assert (f"{SCHEMAS}/DataBackupTaskStatus", "new enum value(s): ['PAUSED']") in additions
    assert (f"{OP}/parameters/6", "new optional query parameter 'status'") in additions
    assert (f"{TASK}/properties/progress", "new property 'progress'") in additions


def test_additive_change_with_only_a_patch_bump_fails(tmp_path: Path) -> None:
    verdict = run_guard(add_known_status_and_parameter, "1.0.1", tmp_path)
    assert verdict.problems == [
        "3 addition(s) need at least a MINOR bump over 1.0.0 (info.version is 1.0.1)"
    ]


def test_breaking_change_with_a_major_bump_passes(tmp_path: Path) -> None:
    verdict = run_guard(remove_parameter, "2.0.0", tmp_path)
    assert verdict.ok, verdict.problems
    assert breaking(verdict) != []


def test_wording_change_with_a_patch_bump_passes(tmp_path: Path) -> None:
    def reword(d: dict[str, Any]) -> None:
        operation(d)["summary"] = "Query the data backup tasks of a cluster"

    verdict = run_guard(reword, "1.0.1", tmp_path)
    assert verdict.ok, verdict.problems
    assert verdict.findings == []


def test_any_change_without_a_version_bump_fails(tmp_path: Path) -> None:
    def reword(d: dict[str, Any]) -> None:
        operation(d)["summary"] = "Query the data backup tasks of a cluster"

    verdict = run_guard(reword, "1.0.0", tmp_path)
    assert verdict.problems == ["the spec changed but info.version is still 1.0.0"]


def test_breaking_change_without_a_version_bump_fails(tmp_path: Path) -> None:
    verdict = run_guard(remove_parameter, "1.0.0", tmp_path)
    assert verdict.problems == ["the spec changed but info.version is still 1.0.0"]
    assert breaking(verdict) != []


def test_version_going_down_fails(tmp_path: Path) -> None:
    verdict = run_guard(lambda d: None, "0.9.0", tmp_path)
    assert verdict.problems == ["info.version went down: 0.9.0 < released 1.0.0"]


def test_version_that_is_not_semver_is_refused(tmp_path: Path) -> None:
    with pytest.raises(check_breaking.GuardError, match=r"not MAJOR\.MINOR\.PATCH"):
        run_guard(lambda d: None, "1.1", tmp_path)


def test_released_copy_is_the_first_release() -> None:
    document = released()
    assert document["info"]["version"] == "1.0.0"
    assert check_breaking.latest_released().name.startswith("ocp-")


def test_latest_release_is_the_highest_version(tmp_path: Path) -> None:
    for version in ("1.0.0", "1.2.0", "1.10.0", "1.9.3"):
        (tmp_path / f"ocp-{version}.yaml").write_text("", encoding="utf-8")
    assert check_breaking.latest_released(tmp_path).name == "ocp-1.10.0.yaml"


def test_current_spec_against_the_released_copy_passes() -> None:
    assert check_breaking.main([]) == 0
    verdict = check_breaking.check_files(SPEC_PATH, check_breaking.latest_released())
    assert verdict.ok, verdict.problems


def test_command_lists_each_finding_with_its_pointer_and_exits_1(tmp_path: Path) -> None:
    document = released()
    remove_parameter(document)
    make_property_optional(document)
    document["info"]["version"] = "1.1.0"
    spec = write(document, tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_breaking.py"), "--spec", str(spec)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"breaking: {OP}/parameters/3 (released): query parameter 'backupSetId'" in result.stderr
    assert f"breaking: {TASK}/properties/clusterName (current):" in result.stderr
    assert "2 breaking change(s) need a MAJOR bump over 1.0.0" in result.stderr


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
    before: dict[str, Any], after: dict[str, Any], message: str
) -> None:
    old = with_post(released(), body({"value": before}, []))
    new = with_post(released(), body({"value": after}, []))
    new["info"]["version"] = "1.1.0"
    verdict = check_breaking.check(old, new)
    assert (f"{MEDIA}/properties/value", message) in breaking(verdict)
    assert not verdict.ok


def test_request_constraint_loosened_is_not_breaking() -> None:
    old = with_post(released(), body({"value": {"type": "integer", "maximum": 9}}, []))
    new = with_post(released(), body({"value": {"type": "integer", "maximum": 99}}, []))
    new["info"]["version"] = "1.0.1"
    verdict = check_breaking.check(old, new)
    assert verdict.ok, verdict.problems
    assert breaking(verdict) == []


def test_closed_response_enum_dropped_is_breaking() -> None:
    old = released()
    close_open_enum(old)
    new = copy.deepcopy(old)
    del schemas(new)["ClusterType"]["enum"]
    new["info"]["version"] = "1.1.0"
    verdict = check_breaking.check(old, new)
    assert (
        f"{SCHEMAS}/ClusterType",
        "closed enum of a response dropped (any value now)",
    ) in breaking(verdict)


def test_schema_no_operation_uses_is_compared_too() -> None:
    old = released()
    schemas(old)["Unused"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    new = copy.deepcopy(old)
    schemas(new)["Unused"]["properties"]["name"] = {"type": "integer"}
    new["info"]["version"] = "1.1.0"
    verdict = check_breaking.check(old, new)
    assert (
        f"{SCHEMAS}/Unused/properties/name",
        "type changed from string to integer",
    ) in breaking(verdict)


def add_conflict_response(d: dict[str, Any]) -> None:
    operation(d)["responses"]["409"] = {"$ref": "#/components/responses/ClientError"}


def remove_not_found_response(d: dict[str, Any]) -> None:
    del operation(d)["responses"]["404"]


def make_response_property_required(d: dict[str, Any]) -> None:
    schemas(d)["DataBackupHistoryWrapperTask"]["required"].append("startTime")


def widen_request_maximum(d: dict[str, Any]) -> None:
    parameter(d, "size")["schema"]["maximum"] = 5000


def add_security_alternative(d: dict[str, Any]) -> None:
    d["security"].append({})


@pytest.mark.parametrize(
    "mutate",
    [
        add_conflict_response,
        remove_not_found_response,
        make_response_property_required,
        widen_request_maximum,
        add_security_alternative,
    ],
)
def test_change_that_breaks_no_client_passes_with_a_minor_bump(
    mutate: Mutation, tmp_path: Path
) -> None:
    verdict = run_guard(mutate, "1.1.0", tmp_path)
    assert breaking(verdict) == []
    assert verdict.ok, verdict.problems
