"""The spec describes the vendor's reference page field for field (tests/reference/ holds a copy of
the page), and each of the page's contradictions is decided in the spec, where users read it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from spec_refs import resolve

from tests.conftest import REFERENCE_SAMPLE

PAGE = Path(__file__).resolve().parent / "reference" / "ocp-query-data-backup-tasks.md"
OPERATION_PATH = "/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks"

# The page's type names, as JSON Schema (type, format).
PAGE_TYPES: dict[str, tuple[str, str | None]] = {
    "Long": ("integer", "int64"),
    "Integer": ("integer", None),
    "Boolean": ("boolean", None),
    "String": ("string", None),
    "OffsetDateTime": ("string", "date-time"),
    "Timestamp": ("string", "date-time"),
    "Datetime": ("string", "date-time"),
    "Object": ("object", None),
    "Array": ("array", None),
    "Arrays": ("array", None),
}


def page_table(heading: str) -> list[dict[str, str]]:
    """The rows of the first markdown table after the line that starts with ``heading``."""
    text = PAGE.read_text(encoding="utf-8")
    after = text[text.index("\n" + heading) :].splitlines()
    first = next(i for i, line in enumerate(after) if line.startswith("|"))
    lines = []
    for line in after[first:]:  # the table ends at its first line that is not a table row
        if not line.startswith("|"):
            break
        lines.append(line)
    header_end = next(i for i, line in enumerate(lines) if set(line) <= set("|-: "))
    header = [cell.strip() for cell in lines[header_end - 1].strip("|").split("|")]
    rows = []
    for line in lines[header_end + 1 :]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != len(header):
            break
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def merged_properties(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Properties of a schema, its allOf parts merged."""
    schema = resolve(spec, schema)
    properties = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        properties.update(merged_properties(spec, part))
    return properties


def json_type(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[str, str | None]:
    """(type, format) of a property; an open enum (anyOf: string enum, string) is a string."""
    schema = resolve(spec, schema)
    if "anyOf" in schema:
        kinds = {json_type(spec, part) for part in schema["anyOf"]}
        assert len(kinds) == 1, f"anyOf mixes types: {kinds}"
        return kinds.pop()
    return schema["type"], schema.get("format")


def first_sentence(description: str) -> str:
    return description.split(". ")[0].rstrip(".")


def operation(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"][OPERATION_PATH]["get"]
    return result


def response_schema(spec: dict[str, Any]) -> dict[str, Any]:
    media = operation(spec)["responses"]["200"]["content"]["application/json"]
    schema: dict[str, Any] = resolve(spec, media["schema"])
    return schema


def test_operation_is_the_pages_operation(spec: dict[str, Any]) -> None:
    op = operation(spec)
    assert op["operationId"] == "listDataBackupTasks"
    assert op["tags"] == ["backup"]
    assert op["summary"] == "Query data backup tasks of a cluster"
    assert (
        "You can call this operation to query data backup tasks of a cluster." in op["description"]
    )
    assert "Read-only permission on cluster backup and recovery" in op["description"]


@pytest.mark.parametrize(
    "row", page_table("### Request parameters"), ids=lambda row: row["Parameter"]
)
def test_request_parameter_matches_page(spec: dict[str, Any], row: dict[str, str]) -> None:
    parameters = {p["name"]: p for p in operation(spec)["parameters"]}
    parameter = parameters[row["Parameter"]]
    assert parameter["in"] == ("path" if row["Parameter"] == "id" else "query")
    assert parameter["required"] is (row["Required"] == "Yes")
    assert json_type(spec, parameter["schema"]) == PAGE_TYPES[row["Type"]]
    assert str(parameter["example"]) == row["Example value"]
    assert first_sentence(row["Description"]) in parameter["description"]


def test_no_parameter_beyond_the_page(spec: dict[str, Any]) -> None:
    on_page = {row["Parameter"] for row in page_table("### Request parameters")}
    assert {p["name"] for p in operation(spec)["parameters"]} == on_page


def test_bounds_from_the_notes(spec: dict[str, Any]) -> None:
    parameters = {p["name"]: p for p in operation(spec)["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert "1-based" in parameters["page"]["description"]
    assert parameters["size"]["schema"]["maximum"] == 2000
    assert "clamped to 2000" in parameters["size"]["description"]
    for name in ("startTime", "endTime"):
        pattern = re.compile(parameters[name]["schema"]["pattern"])
        assert pattern.match("2021-09-16T15:14:51.397+08:00")
        assert pattern.match("2021-09-16T15:14:51Z")
        assert not pattern.match("2021-09-16T15:14:51.397+0800"), "requests use ±HH:MM"
        assert not pattern.match("2021-09-16T15:14:51.397"), "a time without offset is refused"


TASK_ROWS = page_table("**Data structure of DataBackupHistoryWrapperTask**")


def test_task_has_all_22_fields_and_no_other(spec: dict[str, Any]) -> None:
    task = spec["components"]["schemas"]["DataBackupHistoryWrapperTask"]
    assert len(TASK_ROWS) == 22
    assert set(task["properties"]) == {row["Parameter"] for row in TASK_ROWS}


@pytest.mark.parametrize("row", TASK_ROWS, ids=lambda row: row["Parameter"])
def test_task_field_matches_page(spec: dict[str, Any], row: dict[str, str]) -> None:
    prop = spec["components"]["schemas"]["DataBackupHistoryWrapperTask"]["properties"][
        row["Parameter"]
    ]
    assert json_type(spec, prop) == PAGE_TYPES[row["Type"]]
    if row["Type"] == "Arrays":  # Decision: an array of task IDs (Long), as the sample shows.
        assert json_type(spec, prop["items"]) == ("integer", "int64")
    assert first_sentence(row["Description"]) in prop["description"]


# Where the response table contradicts the sample, the spec follows the sample (Decision: ...):
# the table's page fields live in data.page, and its `totalPage` is the sample's `totalPages`.
RESPONSE_FIELD_LOCATIONS = {
    "data": ("envelope", "data"),
    "contents": ("data", "contents"),
    "page": ("data", "page"),
    "totalElements": ("page", "totalElements"),
    "totalPage": ("page", "totalPages"),
    "number": ("page", "number"),
    "size": ("page", "size"),
}


@pytest.mark.parametrize(
    "row", page_table("### Response parameters"), ids=lambda row: row["Parameter"]
)
def test_response_field_matches_page(spec: dict[str, Any], row: dict[str, str]) -> None:
    schemas = spec["components"]["schemas"]
    envelope = merged_properties(spec, response_schema(spec))
    levels = {
        "envelope": envelope,
        "data": merged_properties(spec, envelope["data"]),
        "page": merged_properties(spec, schemas["PageInfo"]),
    }
    name = row["Parameter"].removeprefix("├─").strip()
    level, spec_name = RESPONSE_FIELD_LOCATIONS.get(name, ("envelope", name))
    prop = levels[level][spec_name]
    expected_type, expected_format = PAGE_TYPES[row["Type"]]
    actual_type, actual_format = json_type(spec, prop)
    assert actual_type == expected_type
    # The page says "Integer" without a width: any integer format is an honest reading.
    assert expected_format is None or actual_format == expected_format
    resolved = resolve(spec, prop)
    description = prop.get("description") or resolved.get("description", "")
    assert first_sentence(row["Description"]).lower() in description.lower()


def test_each_contradiction_is_decided_in_the_spec(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    page_info = schemas["PageInfo"]
    assert "totalPages" in page_info["required"] and "totalPage" not in page_info["properties"]
    assert "Decision" in page_info["description"] and "`totalPage`" in page_info["description"]
    assert "Decision" in schemas["DataBackupHistoryWrapperTaskPage"]["description"]
    assert "Decision" in page_info["properties"]["size"]["description"]
    task = schemas["DataBackupHistoryWrapperTask"]
    assert "Decision (time format)" in task["description"]
    assert "Decision (required vs optional)" in task["description"]
    envelope_time = schemas["ResponseEnvelope"]["properties"]["timestamp"]
    assert "Decision" in envelope_time["description"]


def test_required_fields_are_what_the_sample_always_sends(
    spec: dict[str, Any], reference_sample: dict[str, Any]
) -> None:
    """Every required task field is present in every sample task (null fields are omitted)."""
    required = spec["components"]["schemas"]["DataBackupHistoryWrapperTask"]["required"]
    for task in reference_sample["data"]["contents"]:
        assert set(required) <= set(task)


def test_named_example_is_the_sample_verbatim(spec: dict[str, Any]) -> None:
    media = operation(spec)["responses"]["200"]["content"]["application/json"]
    example = resolve(spec, media["examples"]["referencePageSample"])
    page_text = PAGE.read_text(encoding="utf-8")
    sample_block = page_text.split("### Sample response", 1)[1].split("```")[1]
    on_page = json.loads(sample_block.removeprefix("shell"))
    assert example["value"] == on_page
    assert json.loads(REFERENCE_SAMPLE.read_text(encoding="utf-8")) == on_page


def test_open_string_sets_list_the_known_values(spec: dict[str, Any]) -> None:
    known = {
        "clusterType": {"PRIMARY", "STANDBY"},
        "backupMode": {"PHYSICAL_BACKUP", "LOGICAL_BACKUP"},
        "dataBackupTaskType": {"FULL_BACKUP", "INCREMENTAL_BACKUP"},
        "status": {
            "BEGINNING", "INITIALIZING", "DOING", "DONE", "FAILED",
            "CANCELING", "CANCELED", "OVERDUE", "UNKNOWN",
        },
    }  # fmt: skip
    properties = spec["components"]["schemas"]["DataBackupHistoryWrapperTask"]["properties"]
    for name, values in known.items():
        closed, open_ = properties[name]["anyOf"]
        assert set(resolve(spec, closed)["enum"]) == values
        assert open_ == {"type": "string"}, f"{name} must accept any string"


def test_security_schemes_and_error_responses(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["basicAuth"] == {**schemes["basicAuth"], "type": "http", "scheme": "basic"}
    signing = schemes["ocpAccessKey"]["description"]
    for fact in ("OCP-ACCESS-KEY-HMACSHA1", "HMAC-SHA1", "RFC 1123", "upper-case hex", "x-ocp"):
        assert fact in signing
    responses = operation(spec)["responses"]
    assert {"400", "401", "403", "404", "429", "4XX", "5XX"} <= set(responses)
    limited = resolve(spec, responses["429"])
    assert set(limited["headers"]) == {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}
    error = spec["components"]["schemas"]["ApiError"]["properties"]
    assert {"code", "message", "debugMessage", "target", "subErrors"} <= set(error)


def test_servers_and_version(spec: dict[str, Any]) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", spec["info"]["version"])
    assert spec["openapi"] == "3.0.3"
    server = spec["servers"][0]
    assert set(re.findall(r"{(\w+)}", server["url"])) == set(server["variables"])
