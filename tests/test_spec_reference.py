"""The spec describes the vendor's reference pages field for field, and departs from a page only
where an `x-ocp-decision` says how and why.

tests/reference/ holds copies of the vendor's pages (from the OCP 4.2.2 API reference). Each
page names its operation in its "Request path" (`GET /api/v2/...`), which maps it to the spec's
operation with that method and path: a page added there is checked without touching this file,
and a page that matches no operation fails. Test ids name the operationId (and the field).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

import spec_model as sm
from tests.conftest import sample_files, sample_operation_id, spec_model_of

SPEC = spec_model_of()
REFERENCE = Path(__file__).resolve().parent / "reference"

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
# A paginated answer's table draws the page's fields at the level of `data`; the spec follows
# the vendor's sample (`data.page`, and `totalPages` for the table's `totalPage`), as the
# x-ocp-decision of the Page and PageInfo schemas record (test_page_departures_are_decided).
PAGE_FIELD_LOCATIONS = {
    "contents": ("data", "contents"),
    "page": ("data", "page"),
    "totalElements": ("page", "totalElements"),
    "totalPage": ("page", "totalPages"),
    "number": ("page", "number"),
    "size": ("page", "size"),
}


@dataclass(frozen=True)
class VendorPage:
    """A copy of one of the vendor's reference pages, read."""

    path: Path

    @cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @cached_property
    def title(self) -> str:
        return self.text.splitlines()[0].strip()

    @cached_property
    def request(self) -> tuple[str, str]:
        """(method, path) from the page's "Request path"."""
        found = re.search(r"### Request path\s*`(\w+) (/\S+)`", self.text)
        assert found, f"{self.path.name}: no request path"
        return found.group(1).upper(), found.group(2)

    def section(self, heading: str) -> str:
        """The text under a heading (``### X``, or ``X`` underlined), up to the next heading."""
        after = self.text[self.text.index(heading) + len(heading) :]
        after = re.sub(r"^\s*\n-{3,}\n", "", after)  # the underline of a setext heading
        end = re.search(r"\n(#+ |\S.*\n-{3,})", after)
        return after[: end.start()] if end else after

    def table(self, heading: str) -> list[dict[str, str]]:
        """The rows of the first markdown table after the line that starts with ``heading``."""
        after = self.text[self.text.index("\n" + heading) :].splitlines()
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

    @cached_property
    def structures(self) -> dict[str, list[dict[str, str]]]:
        """The page's "Data structure of <name>" tables, by name."""
        names = re.findall(r"\*\*Data structure of (\w+)\*\*", self.text)
        return {name: self.table(f"**Data structure of {name}**") for name in names}

    @cached_property
    def sample(self) -> Any:
        block = self.text.split("### Sample response", 1)[1].split("```")[1]
        return json.loads(block.removeprefix("shell").removeprefix("json"))

    @cached_property
    def sample_request(self) -> str:
        found = re.search(r"### Sample request\s*`(\w+ \S+)`", self.text)
        return found.group(1) if found else ""


def vendor_pages() -> Iterator[tuple[sm.Operation, VendorPage]]:
    by_key = {(op.method, op.path): op for op in SPEC.operations}
    for path in sorted(REFERENCE.glob("*.md")):
        page = VendorPage(path)
        op = by_key.get(page.request)
        assert op is not None, f"{path.name}: {page.request} is no operation of the spec"
        yield op, page


PAGES = list(vendor_pages())
OPERATIONS = [pytest.param(op, page, id=op.id) for op, page in PAGES]


def rows(table: str) -> list[Any]:
    return [
        pytest.param(op, page, row, id=f"{op.id}-{row['Parameter'].lstrip('├─ ')}")
        for op, page in PAGES
        for row in (page.table(table) if f"\n{table}" in page.text else [])
    ]


def json_type(schema: Any) -> tuple[str, str | None]:
    """(type, format) of a property; an open enum (anyOf: string enum, string) is a string."""
    schema = SPEC.resolve(schema)
    if "anyOf" in schema:
        kinds = {json_type(part) for part in schema["anyOf"]}
        assert len(kinds) == 1, f"anyOf mixes types: {kinds}"
        return kinds.pop()
    if "allOf" in schema:
        schema = SPEC.flatten(schema)
    return schema.get("type", "object"), schema.get("format")


def first_sentence(description: str) -> str:
    return description.split(". ")[0].rstrip(".")


def decision(node: Mapping[str, Any]) -> str:
    return str(SPEC.resolve(node).get("x-ocp-decision", ""))


def item_model(op: sm.Operation) -> sm.Model:
    item = op.result.item if op.result.shape == "page" else op.result.data
    assert isinstance(item, sm.ModelType), f"{op.id}: its data holds no model"
    return SPEC.models[item.name]


def structure_model(name: str) -> sm.Model:
    """The spec's model for the page's "Data structure of <name>": the one of that name, or
    the one whose description names the vendor's class."""
    if name in SPEC.models:
        return SPEC.models[name]
    found = [m for m in SPEC.models.values() if f"`{name}`" in m.description]
    assert len(found) == 1, f"no model, or several, for the vendor's {name}"
    return found[0]


# --- the mapping itself --------------------------------------------------------------------------


def test_pages_map_to_operations() -> None:
    ids = [op.id for op, _ in PAGES]
    assert len(ids) == len(set(ids)), f"two pages for one operation: {ids}"
    assert "listDataBackupTasks" in ids


# --- the operation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_operation_is_the_page_s(op: sm.Operation, page: VendorPage) -> None:
    assert op.summary == page.title
    described = page.section("Description").strip()
    assert first_sentence(described) in op.description
    for prerequisite in re.findall(r"^\* (.+)$", page.section("### Prerequisites"), re.M):
        fact = prerequisite.removeprefix("You have ").rstrip(".")
        assert fact in op.description, f"prerequisite missing: {fact}"


@pytest.mark.parametrize(("op", "page", "row"), rows("### Request parameters"))
def test_request_parameter_matches_page(
    op: sm.Operation, page: VendorPage, row: dict[str, str]
) -> None:
    parameter = op.parameter(row["Parameter"])
    assert parameter is not None, f"{op.id}: no parameter {row['Parameter']}"
    in_path = f"{{{row['Parameter']}}}" in page.request[1]
    assert parameter.location == ("path" if in_path else "query")
    assert parameter.required is (row["Required"] == "Yes")
    assert json_type(parameter.raw["schema"]) == PAGE_TYPES[row["Type"]]
    assert str(parameter.raw["example"]) == row["Example value"]
    wanted = first_sentence(row["Description"])
    assert wanted in parameter.description, (
        f"{op.id}: the description of {parameter.name} lacks the page's {wanted!r}"
    )


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_no_parameter_beyond_the_page(op: sm.Operation, page: VendorPage) -> None:
    on_page = {row["Parameter"] for row in page.table("### Request parameters")}
    assert {p.name for p in op.parameters} == on_page


def test_request_times_take_an_extended_offset() -> None:
    """Every date-time parameter: `±HH:MM` or `Z` (the vendor's examples), never without."""
    times = [
        p for op in SPEC.operations for p in op.parameters if isinstance(p.type, sm.DateTimeType)
    ]
    assert times
    for parameter in times:
        pattern = re.compile(parameter.raw["schema"]["pattern"])
        assert pattern.match("2021-09-16T15:14:51.397+08:00")
        assert pattern.match("2021-09-16T15:14:51Z")
        assert not pattern.match("2021-09-16T15:14:51.397+0800"), "requests use ±HH:MM"
        assert not pattern.match("2021-09-16T15:14:51.397"), "a time without offset is refused"


def test_paging_parameters_from_the_notes() -> None:
    """Shared by every list operation (components/parameters)."""
    parameters = SPEC.document["components"]["parameters"]
    page, size = parameters["PageNumber"], parameters["PageSize"]
    assert page["schema"]["minimum"] == 1 and "1-based" in page["description"]
    assert size["schema"]["maximum"] == 2000 and "clamped to 2000" in size["description"]
    for op in SPEC.operations:
        if op.result.shape == "page":
            refs = [p.get("$ref") for p in op.raw["parameters"]]
            assert "#/components/parameters/PageNumber" in refs, op.id
            assert "#/components/parameters/PageSize" in refs, op.id


# --- the answer ----------------------------------------------------------------------------------


def response_property(op: sm.Operation, name: str) -> dict[str, Any]:
    """The spec's property for a row of a page's response table (``├─`` rows are in data),
    its ``allOf`` parts merged (the operation's own description last, so it wins)."""
    assert op.result.media is not None
    answer = SPEC.flatten(op.result.media["schema"])
    nested = name.startswith("├─")
    name = name.removeprefix("├─").strip()
    if name == "data" or not nested:
        return SPEC.flatten(answer["properties"][name])
    data = SPEC.flatten(answer["properties"]["data"])
    if op.result.shape == "page":
        level, spec_name = PAGE_FIELD_LOCATIONS[name]
        holder = data if level == "data" else SPEC.flatten(data["properties"]["page"])
        return SPEC.flatten(holder["properties"][spec_name])
    return SPEC.flatten(data["properties"][name])


@pytest.mark.parametrize(("op", "page", "row"), rows("### Response parameters"))
def test_response_field_matches_page(
    op: sm.Operation, page: VendorPage, row: dict[str, str]
) -> None:
    prop = response_property(op, row["Parameter"])
    expected_type, expected_format = PAGE_TYPES[row["Type"]]
    actual_type, actual_format = json_type(prop)
    assert actual_type == expected_type
    # The page says "Integer" without a width: any integer format is an honest reading.
    assert expected_format is None or actual_format == expected_format
    wanted = first_sentence(row["Description"])
    assert wanted.lower() in str(prop.get("description", "")).lower(), (
        f"{op.id}: the description of {row['Parameter']} lacks the page's {wanted!r}"
    )


def structures() -> list[Any]:
    return [
        pytest.param(op, page, name, id=f"{op.id}-{name}")
        for op, page in PAGES
        for name in page.structures
    ]


@pytest.mark.parametrize(("op", "page", "name"), structures())
def test_data_structure_has_the_page_s_fields_and_no_other(
    op: sm.Operation, page: VendorPage, name: str
) -> None:
    model = structure_model(name)
    assert [p.json_name for p in model.properties] == [
        r["Parameter"] for r in page.structures[name]
    ]


def structure_rows() -> list[Any]:
    return [
        pytest.param(name, row, id=f"{op.id}-{name}.{row['Parameter']}")
        for op, page in PAGES
        for name, table in page.structures.items()
        for row in table
    ]


@pytest.mark.parametrize(("name", "row"), structure_rows())
def test_data_structure_field_matches_page(name: str, row: dict[str, str]) -> None:
    prop = structure_model(name).property(row["Parameter"])
    assert json_type(prop.schema) == PAGE_TYPES[row["Type"]]
    assert first_sentence(row["Description"]) in prop.description
    if row["Type"] == "Arrays":  # the page does not say of what: a decision says it
        assert decision(prop.schema), f"{name}.{prop.json_name}: the item type is undecided"
        assert isinstance(prop.type, sm.ArrayType) and not isinstance(prop.type.items, sm.AnyType)
    valid = re.search(r"Valid values: (.+?)\.?$", row["Description"])
    if valid:
        values = set(re.split(r",\s*|\s+and\s+", valid.group(1)))
        assert isinstance(prop.type, sm.EnumType), f"{name}.{prop.json_name}: no enum"
        assert values <= set(SPEC.enums[prop.type.name].values)


def test_items_of_a_list_are_the_page_s_data_structure() -> None:
    for op, page in PAGES:
        if op.result.shape == "page":
            contents = next(
                row for row in page.table("### Response parameters")
                if row["Parameter"].removeprefix("├─").strip() == "contents"
            )  # fmt: skip
            named = re.search(r"\*\*Data structure of (\w+)\*\*", contents["Description"])
            assert named, f"{op.id}: the contents row names no data structure"
            assert structure_model(named.group(1)) == item_model(op)


# --- the sample ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_named_example_is_the_sample_verbatim(op: sm.Operation, page: VendorPage) -> None:
    assert op.result.media is not None
    assert page.sample in SPEC.examples(op.result.media), f"{op.id}: the page's sample"
    for sample in sample_files():
        if sample_operation_id(sample) == op.id:
            assert json.loads(sample.read_text(encoding="utf-8")) == page.sample


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_required_fields_are_what_the_sample_always_sends(
    op: sm.Operation, page: VendorPage
) -> None:
    """Every required field is present in the sample (OCP omits null fields), at each level."""
    model = item_model(op)
    required = {p.json_name for p in model.properties if p.required}
    items = page.sample["data"]["contents"] if op.result.shape == "page" else [page.sample["data"]]
    assert items
    for item in items:
        assert required <= set(item), f"{op.id}: {sorted(required - set(item))} not sent"
    envelope = SPEC.models["ResponseEnvelope"]
    assert {p.json_name for p in envelope.properties if p.required} <= set(page.sample)


# --- departures, each decided in the spec --------------------------------------------------------


def test_page_departures_are_decided() -> None:
    """Where a list's table contradicts the sample, the spec follows the sample, and says so."""
    page_info, page_schema = SPEC.models[sm.PAGE_INFO], SPEC.models[sm.PAGE]
    for op, page in PAGES:
        if op.result.shape != "page":
            continue
        drawn = {
            row["Parameter"].removeprefix("├─").strip()
            for row in page.table("### Response parameters")
        }
        renamed = {
            name for name, (_, spec_name) in PAGE_FIELD_LOCATIONS.items() if name != spec_name
        }
        for name in drawn & renamed:
            assert name not in {p.json_name for p in page_info.properties}
            assert f"`{name}`" in decision(page_info.schema), f"{name} renamed undecided"
        if {"totalElements", "number", "size"} <= drawn:  # drawn at the level of data
            assert "`data.page`" in decision(page_schema.schema)
        asked = re.search(r"size=(\d+)", page.sample_request)
        served = page.sample["data"]["page"]["size"]
        if asked and int(asked.group(1)) != served:
            assert str(served) in decision(page_info.property("size").schema)


def test_times_and_requirement_are_decided() -> None:
    """The sample's entity times have no colon in their offset (not RFC 3339), and the pages
    say nothing of which fields are always sent: both decided on the item's schema."""
    for op, page in PAGES:
        model = item_model(op)
        items = (
            page.sample["data"]["contents"] if op.result.shape == "page" else [page.sample["data"]]
        )
        times = [
            item[p.json_name]
            for item in items
            for p in model.properties
            if isinstance(p.type, sm.DateTimeType) and p.json_name in item
        ]
        if any(re.search(r"[+-]\d{4}$", time) for time in times):
            assert "+0800" in decision(model.schema), f"{model.name}: time format undecided"
        if any(p.required for p in model.properties):
            assert "Required vs optional" in decision(model.schema), f"{model.name}: undecided"
    timestamp = SPEC.models["ResponseEnvelope"].property("timestamp").schema
    assert "`+08:00`" in decision(timestamp) and "`+0800`" in decision(timestamp)


def test_decisions_live_in_extensions_not_in_descriptions() -> None:
    """The old "Decision:" paragraphs moved into `x-ocp-decision`, beside what they concern."""

    def descriptions(node: Any) -> Iterator[str]:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    yield value
                elif not str(key).startswith("x-"):
                    yield from descriptions(value)
        elif isinstance(node, list):
            for value in node:
                yield from descriptions(value)

    assert not [text for text in descriptions(SPEC.document) if "Decision" in text]


def test_open_string_sets_list_the_known_values() -> None:
    """Every open enum of the spec: any string, and its description names each known value."""
    checked = 0
    for model in SPEC.models.values():
        for prop in model.properties:
            if isinstance(prop.type, sm.EnumType) and prop.type.open:
                _closed, open_ = prop.schema["anyOf"]
                assert open_ == {"type": "string"}, f"{prop.json_name} must accept any string"
                known = re.search(r"Known values: (.*?)\(see\s+`(\w+)`\)", prop.description, re.S)
                assert known, f"{model.name}.{prop.json_name}: the known values are not listed"
                listed = set(re.findall(r"`(\w+)`", known.group(1)))
                assert known.group(2) == prop.type.name
                assert listed == set(SPEC.enums[prop.type.name].values), prop.json_name
                checked += 1
    assert checked >= 4


@pytest.mark.parametrize("op", SPEC.operations, ids=lambda op: op.id)
def test_error_responses_are_the_shared_ones(op: sm.Operation) -> None:
    responses = op.raw["responses"]
    assert {"400", "401", "403", "429", "4XX", "5XX"} <= set(responses)
    for status, response in responses.items():
        if not status.startswith("2"):
            schema = SPEC.resolve(response)["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, status
    limited = SPEC.resolve(responses["429"])
    assert set(limited["headers"]) == {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}


def test_security_schemes_and_errors() -> None:
    schemes = SPEC.document["components"]["securitySchemes"]
    assert schemes["basicAuth"] == {**schemes["basicAuth"], "type": "http", "scheme": "basic"}
    signing = schemes["ocpAccessKey"]["description"]
    for fact in ("OCP-ACCESS-KEY-HMACSHA1", "HMAC-SHA1", "RFC 1123", "upper-case hex", "x-ocp"):
        assert fact in signing
    error = {p.json_name for p in SPEC.models["ApiError"].properties}
    assert {"code", "message", "debugMessage", "target", "subErrors"} <= error


def test_servers_and_version() -> None:
    document = SPEC.document
    assert re.fullmatch(r"\d+\.\d+\.\d+", document["info"]["version"])
    assert document["openapi"] == "3.0.3"
    server = document["servers"][0]
    assert set(re.findall(r"{(\w+)}", server["url"])) == set(server["variables"])
