"""The spec describes the vendor's reference pages field for field, and departs from a page only
where an `x-ocp-decision` says how and why.

tests/reference/ holds copies of the vendor's pages (from the OCP 4.2.2 API reference). Each
page names its operation in its "Request path" (`GET /api/v2/...`), which maps it to the spec's
operation with that method and path: a page added there is checked without touching this file,
and a page that matches no operation fails. A page without a request path describes shared
structures only (`400.task-return-structure.md`): its tables are checked like any page's. Test ids
name the operationId, or the page, and the field.

How the pages are read, in the forms they come in: titles and headings in Markdown (`#`) or
underlined; "Data structure of X" tables under a heading, a bold line or a plain line, found by X
(a model of that name, or the one whose description names `X`); rows marked `├─` below a row of
type Object or Array are the fields of that object (or of the array's items), other `├─` rows
are the structure's own (the pages mark the task's `cluster` so); a fenced sample whatever its
info string. Departures from a page are allowed only where an `x-ocp-decision` names them: a
field the spec spells otherwise names the page's spelling in backticks, a type it reads
otherwise names the page's type in backticks, a parameter it requires otherwise names the page's
title in quotes, a sentence it does not carry quotes it, a withdrawn parameter (type `-`) is named
by the operation's decision, and a sample that is not JSON has a repaired example that keeps every
name and value of the page's text, in order.
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
    "DateTime": ("string", "date-time"),
    "Float": ("number", "float"),
    "Object": ("object", None),
    "Array": ("array", None),
    "Arrays": ("array", None),
    "StringArray": ("array", None),
    "LongArray": ("array", None),
    "ObjectArray": ("array", None),
}
# The items of the array types that name them.
ITEM_TYPES: dict[str, tuple[str, str | None]] = {
    "StringArray": ("string", None),
    "LongArray": ("integer", "int64"),
    "ObjectArray": ("object", None),
}
# The types of a row whose fields are listed in the rows marked `├─` below it.
CONTAINERS = frozenset({"Object", "Array", "Arrays", "ObjectArray"})
# The type of a parameter that the page says is no longer in use.
WITHDRAWN = "-"
# A structure's heading: "Data structure of X" under `#`s, in bold or on a plain line.
STRUCTURE_HEADING = re.compile(
    r"^(?:#+ |\*\*)?Data structure of (?:the )?(\w[\w ]*?)(?:\*\*)?\s*$", re.M
)
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
        return self.text.splitlines()[0].strip().lstrip("#").strip()

    @cached_property
    def request(self) -> tuple[str, str] | None:
        """(method, path) from the page's "Request path"; None on a page of structures only."""
        found = re.search(r"### Request path\s*`(\w+) (/\S+)`", self.text)
        return (found.group(1).upper(), found.group(2)) if found else None

    @cached_property
    def prerequisites(self) -> list[str]:
        """The sentences under "Prerequisite(s)": its bullets, else its lines."""
        found = re.search(r"### Prerequisites?\s*\n", self.text)
        if found is None:
            return []
        section = self.text[found.end() :]
        end = re.search(r"\n#+ ", section)
        section = section[: end.start()] if end else section
        bullets = re.findall(r"^\* (.+)$", section, re.M)
        return bullets or [line.strip() for line in section.splitlines() if line.strip()]

    def section(self, heading: str) -> str:
        """The text under a heading (``### X``, or ``X`` underlined), up to the next heading."""
        after = self.text[self.text.index(heading) + len(heading) :]
        after = re.sub(r"^\s*\n-{3,}\n", "", after)  # the underline of a setext heading
        end = re.search(r"\n(#+ |\S.*\n-{3,})", after)
        return after[: end.start()] if end else after

    def table(self, heading: str) -> list[dict[str, str]]:
        """The rows of the first markdown table after the line that starts with ``heading``."""
        return self.table_at(self.text.index("\n" + heading))

    def table_at(self, offset: int) -> list[dict[str, str]]:
        """The rows of the first markdown table after ``offset`` in the text."""
        after = self.text[offset:].splitlines()
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
        return {
            found.group(1): self.table_at(found.end())
            for found in STRUCTURE_HEADING.finditer(self.text)
        }

    @cached_property
    def sample_text(self) -> str:
        """The sample response as the page writes it (the fence's info string left out)."""
        block = self.text.split("### Sample response", 1)[1].split("```")[1]
        return block.partition("\n")[2]

    @cached_property
    def sample_is_json(self) -> bool:
        try:
            json.loads(self.sample_text)
        except json.JSONDecodeError:
            return False
        return True

    @cached_property
    def sample(self) -> Any:
        return json.loads(self.sample_text)

    @cached_property
    def sample_request(self) -> str:
        found = re.search(r"### Sample request\s*[^`#]*`(\w+ [^`]+)`", self.text)
        return found.group(1) if found else ""


ALL_PAGES = [VendorPage(path) for path in sorted(REFERENCE.glob("*.md"))]


def vendor_pages() -> Iterator[tuple[sm.Operation, VendorPage]]:
    by_key = {(op.method, op.path): op for op in SPEC.operations}
    for page in ALL_PAGES:
        if page.request is None:
            assert page.structures, f"{page.path.name}: no request path and no data structure"
            continue
        op = by_key.get(page.request)
        assert op is not None, f"{page.path.name}: {page.request} is no operation of the spec"
        yield op, page


PAGES = list(vendor_pages())
OPERATIONS = [pytest.param(op, page, id=op.id) for op, page in PAGES]


def page_id(page: VendorPage) -> str:
    """The operationId a page describes, else the page's file name."""
    return next((op.id for op, other in PAGES if other is page), page.path.stem)


def rows(table: str) -> list[Any]:
    return [
        pytest.param(op, page, row, id=f"{op.id}-{row['Parameter'].lstrip('├─ ')}")
        for op, page in PAGES
        for row in (page.table(table) if f"\n{table}" in page.text else [])
    ]


def known_values(description: str) -> set[str]:
    """The values a page lists after "Valid values:" (as `A and B`, bullets or a list)."""
    found = re.search(r"Valid values:(.+)$", description)
    return set(re.findall(r"\b[A-Z][A-Z0-9_]*[A-Z0-9]\b", found.group(1))) if found else set()


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


def same_type(schema: Any, page_type: str) -> bool:
    """Whether a schema is of the page's type. A page type without a format ("Integer",
    "String") is honestly read with any format of that type; array types check their items."""
    expected_type, expected_format = PAGE_TYPES[page_type]
    actual_type, actual_format = json_type(schema)
    if actual_type != expected_type or expected_format not in (None, actual_format):
        return False
    if page_type not in ITEM_TYPES:
        return True
    items_type, items_format = ITEM_TYPES[page_type]
    actual_items = json_type(SPEC.flatten(schema).get("items", {}))
    return actual_items[0] == items_type and items_format in (None, actual_items[1])


def first_sentence(description: str) -> str:
    return re.split(r"\.\s", description.strip(), maxsplit=1)[0].rstrip(".")


def flat(text: object) -> str:
    """A text with its runs of white space made one space (the spec's YAML wraps its lines)."""
    return " ".join(str(text).split())


def decision(node: Mapping[str, Any]) -> str:
    return str(SPEC.resolve(node).get("x-ocp-decision", ""))


def decisions(model: sm.Model) -> str:
    """Every decision of a model: its own and its properties'."""
    return "\n".join([decision(model.schema), *(decision(p.schema) for p in model.properties)])


def data_model(op: sm.Operation) -> sm.Model | None:
    """The model of an answer's items (a page) or data, None when its data holds no model."""
    item = op.result.item if op.result.shape == "page" else op.result.data
    return SPEC.models[item.name] if isinstance(item, sm.ModelType) else None


def item_model(op: sm.Operation) -> sm.Model:
    model = data_model(op)
    assert model is not None, f"{op.id}: its data holds no model"
    return model


def tokens(text: str) -> list[str]:
    """The names and values of a JSON text, in order (strings, numbers, literals)."""
    return re.findall(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null', text)


def repaired_example(op: sm.Operation) -> Any:
    """The value of the operation's example that says (`x-ocp-decision`) how it repairs the
    page's sample."""
    assert op.result.media is not None
    found = [
        SPEC.resolve(example)
        for example in op.result.media.get("examples", {}).values()
        if "x-ocp-decision" in SPEC.resolve(example)
    ]
    assert len(found) == 1, f"{op.id}: the page's sample is not JSON, and no example repairs it"
    return found[0]["value"]


def answer_sample(op: sm.Operation, page: VendorPage) -> Any:
    """The page's sample response; the spec's repair of it where it is not JSON."""
    return page.sample if page.sample_is_json else repaired_example(op)


def structure_model(name: str) -> sm.Model:
    """The spec's model for the page's "Data structure of <name>": the one of that name, or
    the one whose description names the vendor's class."""
    if name in SPEC.models:
        return SPEC.models[name]
    found = [m for m in SPEC.models.values() if f"`{name}`" in m.description]
    assert len(found) == 1, f"no model, or several, for the vendor's {name}"
    return found[0]


def structure_fields(table: list[dict[str, str]]) -> Iterator[tuple[str | None, dict[str, str]]]:
    """(the container the row is a field of, or None, the row with its name unmarked): a row
    marked `├─` below a row of type Object or Array is a field of that row's object, unless it
    is one itself (the pages mark the task's own `cluster`, `tenant` and `creator` so)."""
    container: str | None = None
    for row in table:
        nested = row["Parameter"].startswith("├─")
        unmarked = {**row, "Parameter": row["Parameter"].removeprefix("├─").strip()}
        if nested and container is not None and row["Type"] not in CONTAINERS:
            yield container, unmarked
            continue
        container = unmarked["Parameter"] if row["Type"] in CONTAINERS else None
        yield None, unmarked


def field_model(model: sm.Model, container: str | None) -> sm.Model:
    """The model whose fields a container row's `├─` rows are (the model itself for None)."""
    if container is None:
        return model
    kind = model.property(container).type
    kind = kind.items if isinstance(kind, sm.ArrayType) else kind
    assert isinstance(kind, sm.ModelType), f"{model.name}.{container} holds no model"
    return SPEC.models[kind.name]


def structure_tables() -> Iterator[tuple[VendorPage, str, sm.Model, str | None, dict[str, str]]]:
    """(page, structure name, the model a row is a field of, its container, row) of every
    row of every "Data structure of" table."""
    for page in ALL_PAGES:
        for name, table in page.structures.items():
            model = structure_model(name)
            for container, row in structure_fields(table):
                yield page, name, field_model(model, container), container, row


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
    assert first_sentence(described) in flat(op.description)
    assert page.prerequisites, f"{op.id}: the page's prerequisites are not read"
    for prerequisite in page.prerequisites:
        fact = prerequisite.removeprefix("You have ").rstrip(".").strip()
        assert fact in flat(op.description), f"prerequisite missing: {fact}"


@pytest.mark.parametrize(("op", "page", "row"), rows("### Request parameters"))
def test_request_parameter_matches_page(
    op: sm.Operation, page: VendorPage, row: dict[str, str]
) -> None:
    name = row["Parameter"]
    if row["Type"] == WITHDRAWN:  # the page says it is no longer in use
        assert op.parameter(name) is None and f"`{name}`" in decision(op.raw), name
        return
    parameter = op.parameter(name) or renamed_parameter(op, name)
    assert page.request is not None
    in_path = f"{{{parameter.name}}}" in page.request[1]
    assert parameter.location == ("path" if in_path else "query")
    departures = decision(parameter.raw)
    if parameter.required is not (row["Required"] == "Yes"):
        assert f'"{page.title}"' in departures, f"{op.id}: required {name} undecided"
    if not same_type(parameter.raw["schema"], row["Type"]):
        assert f"`{row['Type']}`" in departures, f"{op.id}: the type of {name} undecided"
    example = parameter.raw["example"]
    written = ",".join(map(str, example)) if isinstance(example, list) else str(example)
    assert written == row["Example value"]
    wanted = first_sentence(row["Description"])
    assert wanted.lower() in flat(parameter.description).lower(), (
        f"{op.id}: the description of {parameter.name} lacks the page's {wanted!r}"
    )
    values = known_values(row["Description"])
    if values:
        kind = parameter.type.items if isinstance(parameter.type, sm.ArrayType) else parameter.type
        assert isinstance(kind, sm.EnumType), f"{op.id}: {name} lists values, the spec none"
        assert values <= set(SPEC.enums[kind.name].values)


def renamed_parameter(op: sm.Operation, page_name: str) -> sm.Parameter:
    """The operation's parameter whose decision names the page's spelling ``page_name``."""
    found = [p for p in op.parameters if f"`{page_name}`" in decision(p.raw)]
    assert len(found) == 1, f"{op.id}: no parameter {page_name}, and no decision names it"
    return found[0]


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_no_parameter_beyond_the_page(op: sm.Operation, page: VendorPage) -> None:
    on_page = {
        row["Parameter"] for row in page.table("### Request parameters") if row["Type"] != WITHDRAWN
    }
    spec_names = {
        name if op.parameter(name) is not None else renamed_parameter(op, name).name
        for name in on_page
    }
    assert {p.name for p in op.parameters} == spec_names


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
    # The page says "Integer" without a width: any integer format is an honest reading.
    if not same_type(prop, row["Type"]):
        assert f"`{row['Type']}`" in str(prop.get("x-ocp-decision", "")), row["Parameter"]
    wanted = first_sentence(row["Description"]).lower()
    said = flat(f"{prop.get('description', '')} {prop.get('x-ocp-decision', '')}").lower()
    assert wanted in said, (
        f"{op.id}: the description of {row['Parameter']} lacks the page's {wanted!r}"
    )


TABLES = list(structure_tables())


def structures() -> list[Any]:
    return [
        pytest.param(page, name, id=f"{page_id(page)}-{name}")
        for page in ALL_PAGES
        for name in page.structures
    ]


@pytest.mark.parametrize(("page", "name"), structures())
def test_data_structure_has_the_page_s_fields(page: VendorPage, name: str) -> None:
    """Each field the page lists is the spec's, or a decision names it (renamed, left out)."""
    model = structure_model(name)
    for container, row in structure_fields(page.structures[name]):
        holder = field_model(model, container)
        field = row["Parameter"]
        if field not in {p.json_name for p in holder.properties}:
            assert f"`{field}`" in decisions(holder), f"{holder.name}: {field} undecided"


def test_no_field_beyond_the_pages() -> None:
    """Every field of a model that a page's table describes is named by one of the pages'
    tables or sent in one of their samples: the spec invents none."""
    named: dict[str, set[str]] = {}
    for _, _, holder, _, row in TABLES:
        named.setdefault(holder.name, set()).add(row["Parameter"])
    sent = {key for page in ALL_PAGES if page.request for key in sample_keys(page.sample_text)}
    assert named
    for name, fields in named.items():
        extra = {p.json_name for p in SPEC.models[name].properties} - fields - sent
        assert not extra, f"{name}: {sorted(extra)} on no page"


def sample_keys(text: str) -> set[str]:
    return set(re.findall(r'"(\w+)"\s*:', text))


def structure_rows() -> list[Any]:
    return [
        pytest.param(
            holder,
            row,
            id=f"{page_id(page)}-{name}.{f'{container}.' if container else ''}{row['Parameter']}",
        )
        for page, name, holder, container, row in TABLES
        if row["Parameter"] in {p.json_name for p in holder.properties}
    ]


@pytest.mark.parametrize(("model", "row"), structure_rows())
def test_data_structure_field_matches_page(model: sm.Model, row: dict[str, str]) -> None:
    prop = model.property(row["Parameter"])
    departures = f"{decision(prop.schema)}\n{decision(model.schema)}"
    if not same_type(prop.schema, row["Type"]):
        assert f"`{row['Type']}`" in departures, f"{model.name}.{prop.json_name}: type undecided"
    wanted = first_sentence(row["Description"]).lower()
    assert wanted in flat(f"{prop.description} {departures}").lower(), (
        f"{model.name}.{prop.json_name}: the description lacks the page's {wanted!r}"
    )
    if row["Type"] == "Arrays":  # the page does not say of what: a decision says it
        assert decision(prop.schema), f"{model.name}.{prop.json_name}: the item type is undecided"
        assert isinstance(prop.type, sm.ArrayType) and not isinstance(prop.type.items, sm.AnyType)
    values = known_values(row["Description"])
    if values:
        assert isinstance(prop.type, sm.EnumType), f"{model.name}.{prop.json_name}: no enum"
        assert values <= set(SPEC.enums[prop.type.name].values)


def test_items_of_a_list_are_the_page_s_data_structure() -> None:
    """The structure a list's items are: the one its `contents` row names, else its `data` row."""
    listed = [(op, page) for op, page in PAGES if op.result.shape == "page"]
    assert listed
    for op, page in listed:
        described = {
            row["Parameter"].removeprefix("├─").strip(): row["Description"]
            for row in page.table("### Response parameters")
        }
        named = [
            name
            for where in ("contents", "data")
            for name in page.structures
            if name in described.get(where, "")
        ]
        assert named, f"{op.id}: the contents and data rows name no data structure"
        assert structure_model(named[0]) == item_model(op)


# --- the sample ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_named_example_is_the_sample_verbatim(op: sm.Operation, page: VendorPage) -> None:
    assert op.result.media is not None
    if page.sample_is_json:
        assert page.sample in SPEC.examples(op.result.media), f"{op.id}: the page's sample"
    else:  # repaired: the same names and values, in the same order, only nested otherwise
        repaired = json.dumps(repaired_example(op), ensure_ascii=False)
        assert tokens(repaired) == tokens(page.sample_text), f"{op.id}: the repair changes data"
    kept = [s for s in sample_files() if sample_operation_id(s) == op.id]
    assert kept, f"{op.id}: the page's sample is not kept under tests/samples/"
    for sample in kept:
        assert json.loads(sample.read_text(encoding="utf-8")) == answer_sample(op, page)


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_required_fields_are_what_the_sample_always_sends(
    op: sm.Operation, page: VendorPage
) -> None:
    """Every required field is present in the sample (OCP omits null fields), at each level."""
    sample = answer_sample(op, page)
    envelope = SPEC.models["ResponseEnvelope"]
    assert {p.json_name for p in envelope.properties if p.required} <= set(sample)
    model = data_model(op)
    if model is None:
        assert (op.result.shape == "none") is ("data" not in sample), op.id
        return
    required = {p.json_name for p in model.properties if p.required}
    items = sample["data"]["contents"] if op.result.shape == "page" else [sample["data"]]
    assert items
    for item in items:
        assert required <= set(item), f"{op.id}: {sorted(required - set(item))} not sent"


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
        model = data_model(op)
        if model is None:
            continue
        sample = answer_sample(op, page)
        items = sample["data"]["contents"] if op.result.shape == "page" else [sample["data"]]
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


STATE_KINDS = frozenset({"waiting", "running", "succeeded", "failed"})


def test_state_kinds_cover_their_status_sets() -> None:
    """`x-ocp-states` gives each known value of a status set one kind, and a set that can end
    both ways has a success and a failure: what a client waiting on a task reads (the pages:
    a task or subtask ends `SUCCESSFUL` or `FAILED`; a skip marks a subtask successful and a
    cancel marks it failed)."""
    sets = {name: enum for name, enum in SPEC.enums.items() if "x-ocp-states" in enum.schema}
    for enum in sets.values():
        states = enum.schema["x-ocp-states"]
        assert set(states) == set(enum.values), f"{enum.name}: values without a kind, or extra"
        assert set(states.values()) <= STATE_KINDS, enum.name
        assert {"succeeded", "failed"} <= set(states.values()), enum.name
    for model in ("TaskInstance", "SubtaskInstance"):
        kind = SPEC.models[model].property("status").type
        assert isinstance(kind, sm.EnumType) and kind.name in sets, f"{model}.status: no kinds"
        states = sets[kind.name].schema["x-ocp-states"]
        assert (states["SUCCESSFUL"], states["FAILED"]) == ("succeeded", "failed")


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
