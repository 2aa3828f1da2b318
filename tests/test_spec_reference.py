"""The spec against the vendor's reference pages: every page's fact is in the spec, or departs
where an `x-ocp-decision` says how and why.

tests/reference/ holds copies of the vendor's pages (from the OCP 4.2.2 API reference). Each
page names its operation in its "Request path" (`GET /api/v2/...`), which maps it to the spec's
operation with that method and path: a page added there is checked without touching this file,
and a page that matches no operation fails. Two copies of one page (the same text under two
names) are one page. A page without a request path describes shared structures only
(`400.task-return-structure.md`): its tables are checked like any page's. Test ids name the
operationId, or the page, and the field.

How a page is read, in the forms the pages come in:
- a heading is a `#` line, a line in bold alone (`**Request path**`) or an underlined line
  (`=`/`-`, in bold or not); code fences hold none. A page divides into its parts, each from its
  heading to the next part's (`PARTS`: "Prerequisite" or "Prerequisites", "Response
  parameters" or "Response", ...); any other heading ("Basic data structure", "**Note**",
  "**path:**", "Data structure of X") is inside a part. A part's table is its first, before any
  "Data structure of" heading; "None." or prose is no table;
- the path parameters are the rows of the "**path:**" (or "Path parameters") table when it has
  one; then its "Request parameters" table draws the request body's fields. Without one,
  "Request parameters" are the parameters (path and query);
- the "Response parameters" table draws OCP's envelope (its required fields are rows), or else
  the fields of an answer without envelope, which is then read as a structure table of the
  answer's model. Prose instead of a table says the answer is text: the spec's answer is
  text/plain then;
- every fenced block under "Sample response" is a sample, whatever its info string; under
  "Sample request", the request line (`GET /api/...`, in code or fenced) and the JSON body;
- each "Data structure of X" table (under a heading, a bold line, a bullet or a plain line)
  draws the fields of the spec's model `X` (or the one named in PascalCase,
  `obBackupScheduleConfig` -> `ObBackupScheduleConfig`, or the one whose description names `X`).
  A row drawn nested (`|--field`, `|----field`, `├─ field`: the depth of the marker means nothing
  on these pages) is a field of the innermost object drawn above it that has such a field, else
  of one further out, else of the structure itself;
- "For more information, see **Data structure of X**" (or "see X.") says which structure a
  field holds; the sentence is a pointer, not a description;
- a prerequisite that the call needs no authentication is the operation's `security: []`; any
  other is in the operation's description, and the operation asks for credentials.

Departures from a page are allowed only where an `x-ocp-decision` names them, the field's own
or a paragraph of its model's that names the field (`` `field` ``): a type other than the
page's (the decision names the page's type in backticks), required other than the "Required"
column ("required"; for a parameter, the page's title in quotes), a field no table draws
("Sample vs table": a sample sends it), a nested row that is a field of the structure itself
("table") unless it follows no row of an object, a row whose field the spec spells otherwise
(the decision names the row's name), a row the spec leaves out (its model's decision names it),
a withdrawn parameter (type `-`, named by the operation's decision), a sentence the spec does
not carry (quoted by the decision). A page's JSON sample the spec does not take as its example
is kept under tests/samples/rejected/, with a decision on the answer, and is shown not to
validate; a sample of a JSON answer that is not JSON has a repaired example that keeps every
name and value of the page's text, in order. A text/plain answer's samples are its text: each
is one of the operation's examples, kept under tests/samples/ (`.txt`), and valid. Sample
request bodies are kept under tests/samples/requests/.
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
from tests.conftest import SAMPLES, load_sample, sample_files, sample_operation_id, spec_model_of
from tests.contract.spec_schema import SpecSchemas, error_messages

SPEC = spec_model_of()
REFERENCE = Path(__file__).resolve().parent / "reference"
# Samples the spec does not take as its operation's example, and sample request bodies: beside
# tests/samples/, whose files are each an operation's answer (tests/conftest.py).
REJECTED = SAMPLES / "rejected"
REQUESTS = SAMPLES / "requests"

# The page's type names, as JSON Schema (type, format). `List<X>` is an array too.
PAGE_TYPES: dict[str, tuple[str, str | None]] = {
    "Long": ("integer", "int64"),
    "Integer": ("integer", None),
    "Double": ("number", "double"),
    "Float": ("number", "float"),
    "Boolean": ("boolean", None),
    "String": ("string", None),
    "OffsetDateTime": ("string", "date-time"),
    "Timestamp": ("string", "date-time"),
    "Datetime": ("string", "date-time"),
    "DateTime": ("string", "date-time"),
    # Java's java.util.Date, an instant: OCP writes it as every entity time.
    "Date": ("string", "date-time"),
    # A time of day with an offset: OpenAPI 3.0 has no format for it.
    "OffsetTime": ("string", None),
    "Object": ("object", None),
    "Map": ("object", None),
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
# The type of a parameter that the page says is no longer in use.
WITHDRAWN = "-"
# The parts a page divides into: the words of their headings, lower-case (pages spell some two
# ways: "Prerequisite(s)", "Response (parameters)", "Example(s)"), to the name read here.
PARTS = {
    "description": "Description",
    "call description": "Call description",
    "prerequisite": "Prerequisites",
    "prerequisites": "Prerequisites",
    "request path": "Request path",
    "request parameters": "Request parameters",
    "response parameters": "Response parameters",
    "response": "Response parameters",
    "examples": "Examples",
    "example": "Examples",
    "sample request": "Sample request",
    "sample response": "Sample response",
}
# The headings of a table of path parameters, inside "Request path" (lower-case).
PATH_TABLES = frozenset({"path", "path parameters"})
# A heading: `#`s, or a line in bold alone; the line above an underline is one too.
ATX_HEADING = re.compile(r"#{1,6}\s+(.*?)[\s#]*")
BOLD_HEADING = re.compile(r"\*\*([^*]+)\*\*\s*")
UNDERLINE = re.compile(r"(=+|-+)\s*")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
# A structure's heading: "Data structure of X" under `#`s, in bold, as a bullet or on a plain
# line (not the pointers to it inside a table's cells).
STRUCTURE_HEADING = re.compile(
    r"^(?:#+ |\*\*|\* )?Data structure of (?:the )?(\w[\w ]*?)(?:\*\*)?\s*$", re.M
)
# A request line of a sample request, in code (`GET /api/...`; some without the method or the
# first slash).
REQUEST_LINE = re.compile(r"^`?((?:GET|POST|PUT|PATCH|DELETE) +\S+?|/?api/\S+?)`?\s*$", re.M)
# The body of a sample request written as a curl command (`--data-raw '{...}'`).
CURL_DATA = re.compile(r"(?:--data(?:-raw|-binary)?|-d)\s+'([^']*)'")
# A prerequisite that the call needs no authentication ("You can call this API without
# authentication."): the operation's `security: []`.
NO_AUTHENTICATION = re.compile(r"\b(?:without|no) authentication\b", re.I)
# Prose that says an answer is text ("returned in the text format", "Simple text is returned").
TEXT_ANSWER = re.compile(r"\btext\b", re.I)
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
# What the decision on a field that no table draws says: a sample sends it.
SAMPLE_ONLY = "sample vs table"
# The marker of a row drawn nested in a structure table.
NESTED = re.compile(r"^[|├][-─\s]*")


def page_type(name: str) -> tuple[str, str | None]:
    return ("array", None) if re.fullmatch(r"List<\w+>", name) else PAGE_TYPES[name]


def cells(line: str) -> list[str]:
    """The cells of a table row; the pages escape markdown in cells (`\\|--field` draws a nested
    field, `List\\<String\\>`): unescaped here."""
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [re.sub(r"\\(.)", r"\1", part).strip() for part in parts]


def field_of(row: Mapping[str, str]) -> tuple[str, bool]:
    """The field a row draws, and whether it is drawn nested."""
    name = row["Parameter"]
    return NESTED.sub("", name).strip(), NESTED.match(name) is not None


def example_of(row: Mapping[str, str]) -> str | None:
    """A row's example: its "Example value" or "Example" column (pages name it either way)."""
    return row.get("Example value", row.get("Example"))


@dataclass(frozen=True)
class Heading:
    """A heading of a page: its words without the marks of its form or a final colon, where
    its line starts, and where the text under it starts."""

    name: str
    start: int
    end: int

    @property
    def part(self) -> str | None:
        """The part of a page it begins, None for a heading inside a part."""
        return PARTS.get(self.name.lower())


def read_headings(text: str) -> list[Heading]:
    """The headings of a page in order, in all three forms, none inside a code fence."""
    lines = text.splitlines(keepends=True)
    found: list[Heading] = []
    offset, in_code, underlined = 0, False, False
    for i, line in enumerate(lines):
        start, offset = offset, offset + len(line)
        words = line.strip()
        fence = words.startswith("```")
        in_code ^= fence
        if in_code or fence or underlined or not words:
            underlined = False  # the underline of the heading above is not a line of its own
            continue
        below = lines[i + 1].strip() if i + 1 < len(lines) else ""
        underlined = UNDERLINE.fullmatch(below) is not None and not words.startswith("|")
        form = ATX_HEADING.fullmatch(words) or BOLD_HEADING.fullmatch(words)
        if underlined or form:
            name = form.group(1) if form else words  # an underlined line may be in bold too
            name = " ".join(name.strip("*# ").removesuffix(":").split())
            end = offset + len(lines[i + 1]) if underlined else offset
            found.append(Heading(name, start, end))
    return found


def table_at(text: str, start: int, end: int | None = None) -> list[dict[str, str]]:
    """The rows of the first markdown table between ``start`` and ``end`` in ``text`` (none:
    an empty list); indented too, as in a list item."""
    after = [line.strip() for line in text[start:end].splitlines()]
    first = next((i for i, line in enumerate(after) if line.startswith("|")), None)
    if first is None:
        return []
    lines = []
    for line in after[first:]:  # the table ends at its first line that is not a table row
        if not line.startswith("|"):
            break
        lines.append(line)
    header_end = next(i for i, line in enumerate(lines) if set(line) <= set("|-: "))
    header = cells(lines[header_end - 1])
    rows = []
    for line in lines[header_end + 1 :]:
        row = cells(line)
        if len(row) != len(header):
            break
        rows.append(dict(zip(header, row, strict=True)))
    return rows


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
    def headings(self) -> list[Heading]:
        return read_headings(self.text)

    @cached_property
    def parts(self) -> dict[str, tuple[int, int]]:
        """Where each part's text is (from its heading's end to the next part's heading), by
        the part's name; the first of two with one name."""
        starts = [h for h in self.headings if h.part is not None]
        spans: dict[str, tuple[int, int]] = {}
        ends = [*(heading.start for heading in starts), len(self.text)][1:]
        for heading, end in zip(starts, ends, strict=True):
            assert heading.part is not None
            spans.setdefault(heading.part, (heading.end, end))
        return spans

    def part(self, name: str) -> str:
        """The text of a part, empty when the page has none."""
        start, end = self.parts.get(name, (0, 0))
        return self.text[start:end]

    def part_table(self, name: str) -> list[dict[str, str]]:
        """The rows of a part's own table: its first, before any "Data structure of" heading."""
        start, end = self.parts.get(name, (0, 0))
        structure = STRUCTURE_HEADING.search(self.text, start, end)
        return table_at(self.text, start, structure.start() if structure else end)

    @cached_property
    def request(self) -> tuple[str, str] | None:
        """(method, path) from the page's "Request path"; None on a page of structures only."""
        found = re.search(r"`(\w+) (/\S+)`", self.part("Request path"))
        return (found.group(1).upper(), found.group(2)) if found else None

    @cached_property
    def prerequisites(self) -> list[str]:
        """The sentences under "Prerequisite(s)": its bullets, else its lines."""
        section = self.part("Prerequisites")
        bullets = re.findall(r"^\* (.+)$", section, re.M)
        return bullets or [line.strip() for line in section.splitlines() if line.strip()]

    @cached_property
    def path_rows(self) -> list[dict[str, str]] | None:
        """The rows of the page's table of path parameters, None when it has none."""
        start, end = self.parts.get("Request path", (0, 0))
        for heading in self.headings:
            if start <= heading.start < end and heading.name.lower() in PATH_TABLES:
                return table_at(self.text, heading.end, end)
        return None

    @cached_property
    def parameter_rows(self) -> list[dict[str, str]]:
        """The rows that draw the operation's parameters."""
        if self.path_rows is not None:
            return self.path_rows
        return self.part_table("Request parameters")

    @cached_property
    def body_rows(self) -> list[dict[str, str]]:
        """The rows that draw the request body's fields: "Request parameters" after a path
        table."""
        return self.part_table("Request parameters") if self.path_rows is not None else []

    @cached_property
    def response_rows(self) -> list[dict[str, str]]:
        """The rows of the "Response parameters" table (none: the answer is said in prose)."""
        return self.part_table("Response parameters")

    @cached_property
    def structures(self) -> dict[str, list[dict[str, str]]]:
        """The page's "Data structure of <name>" tables, by name (headings, not the pointers
        to them in descriptions)."""
        return {
            found.group(1): table_at(self.text, found.end())
            for found in STRUCTURE_HEADING.finditer(self.text)
        }

    @cached_property
    def samples(self) -> list[str]:
        """The sample responses as the page writes them (each fence's info string left out)."""
        found = FENCE.findall(self.part("Sample response"))
        assert found, f"{self.path.name}: no sample response"
        return found

    @cached_property
    def sample_body(self) -> Any:
        """The sample request's JSON body: a fence that holds more than a request line, or the
        data of a curl command; None when the sample request has none."""
        for block in FENCE.findall(self.part("Sample request")):
            curl = CURL_DATA.search(block) if block.lstrip().startswith("curl") else None
            body = curl.group(1) if curl else REQUEST_LINE.sub("", block).strip()
            if body:
                try:
                    return json.loads(body)
                except json.JSONDecodeError as error:
                    raise AssertionError(f"{self.path.name}: the sample body: {error}") from None
        return None

    @cached_property
    def sample_request(self) -> str:
        """The sample request's method and path (with its query), empty when it shows none."""
        found = REQUEST_LINE.search(self.part("Sample request"))
        return found.group(1) if found else ""


def read_pages() -> tuple[list[tuple[sm.Operation, VendorPage]], list[VendorPage]]:
    """(operation, page) of each operation's page, and the pages of structures only."""
    by_key = {(op.method, op.path): op for op in SPEC.operations}
    seen: dict[str, VendorPage] = {}
    pages, structures_only = [], []
    for path in sorted(REFERENCE.glob("*.md")):
        page = VendorPage(path)
        if page.request is None:
            assert page.structures, f"{path.name}: no request path and no data structure"
            structures_only.append(page)
            continue
        op = by_key.get(page.request)
        assert op is not None, f"{path.name}: {page.request} is no operation of the spec"
        if op.id in seen:  # a second copy of the same page is the same page
            assert seen[op.id].text == page.text, f"two pages for {op.id}: {path.name}"
            continue
        seen[op.id] = page
        pages.append((op, page))
    return pages, structures_only


PAGES, STRUCTURE_PAGES = read_pages()
OPERATIONS = [pytest.param(op, page, id=op.id) for op, page in PAGES]
# Every page once, with the operation it describes (None: structures only).
ALL_PAGES: list[tuple[sm.Operation | None, VendorPage]] = [
    *PAGES,
    *((None, page) for page in STRUCTURE_PAGES),
]


def page_id(op: sm.Operation | None, page: VendorPage) -> str:
    """The operationId a page describes, else the page's file name."""
    return op.id if op is not None else page.path.stem


# The fields every OCP envelope sends: a table or sample with all of them draws an envelope.
ENVELOPE_FIELDS = {p.json_name for p in SPEC.models[sm.ENVELOPE].properties if p.required}


def page_framing(page: VendorPage) -> str | None:
    """What a page's response table draws: OCP's envelope (all its required fields as top
    rows), or another JSON answer; None without a table."""
    if not page.response_rows:
        return None
    drawn = {field_of(row)[0] for row in page.response_rows if not field_of(row)[1]}
    return "envelope" if drawn >= ENVELOPE_FIELDS else "json"


def enveloped(op: sm.Operation, page: VendorPage) -> list[dict[str, str]]:
    """The rows of a page's response table when they draw OCP's envelope (the fields of an
    answer without one are a structure table: `drawn_tables`)."""
    return page.response_rows if op.result.framing == "envelope" else []


def response_rows() -> list[Any]:
    return [
        pytest.param(op, page, row, id=f"{op.id}-{field_of(row)[0]}")
        for op, page in PAGES
        for row in enveloped(op, page)
    ]


def known_values(description: str) -> set[str] | None:
    """The values a page lists after "Valid values:" (as `A and B`, bullets or a list), None
    when it lists none."""
    found = re.search(r"Valid values:(.+)$", description)
    if found is None:
        return None
    return set(re.findall(r"\b[A-Z][A-Z0-9_]*[A-Z0-9]\b", found.group(1)))


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


def same_type(schema: Any, name: str) -> bool:
    """Whether a schema is of the page's type. The page's "Integer" has no width, so any
    integer format is an honest reading of it; the array types that name their items
    (`LongArray`) check the items too."""
    expected, actual = page_type(name), json_type(schema)
    if actual != expected and not (name == "Integer" and actual[0] == "integer"):
        return False
    if name not in ITEM_TYPES:
        return True
    items_type, items_format = ITEM_TYPES[name]
    actual_items = json_type(SPEC.flatten(schema).get("items", {}))
    return actual_items[0] == items_type and items_format in (None, actual_items[1])


def first_sentence(description: str) -> str:
    """The first sentence that says something: the pages' pointers to other tables ("For more
    information, see ...", ", which are described in details in the following cells") aside."""
    description = re.sub(
        r",? which are described in details in the following[^.]*", "", description
    )
    for sentence in re.split(r"\.\s", description.strip()):
        if sentence.strip() and not sentence.strip().startswith("For more information"):
            return sentence.strip().rstrip(".")
    return ""


def flat(text: object) -> str:
    """A text with its runs of white space made one space (the spec's YAML wraps its lines)."""
    return " ".join(str(text).split())


def pointers(description: str) -> list[str]:
    """The structures a row's description points to."""
    return re.findall(r"Data structure of (\w+)", description) + re.findall(
        r"\bsee ([A-Z]\w+)\s*\.?\s*$", description
    )


def decision(node: Mapping[str, Any]) -> str:
    return str(SPEC.resolve(node).get("x-ocp-decision", ""))


def decisions(model: sm.Model) -> str:
    """Every decision of a model: its own and its properties'."""
    return "\n".join([decision(model.schema), *(decision(p.schema) for p in model.properties)])


def said_about(holder: sm.Model, prop: sm.Property) -> str:
    """What the spec decides on a field: its own `x-ocp-decision`, and each paragraph of its
    model's that names the field (`` `field` ``), lower-cased and with its white space made one
    space."""
    paragraphs = decision(holder.schema).lower().split("\n\n")
    named = [p for p in paragraphs if f"`{prop.json_name}`".lower() in p]
    return flat("\n".join([decision(prop.schema).lower(), *named]))


def decided(holder: sm.Model, prop: sm.Property, what: str) -> bool:
    """A departure from the page on a field is decided: by the field's own `x-ocp-decision`
    saying ``what``, or by a paragraph of its model's that names the field and says ``what``
    (both case-insensitive)."""
    return flat(what.lower()) in said_about(holder, prop)


def model_of(kind: sm.Type | None) -> str | None:
    """The model a type holds, through arrays and maps."""
    if isinstance(kind, sm.ModelType):
        return kind.name
    if isinstance(kind, sm.ArrayType):
        return model_of(kind.items)
    if isinstance(kind, sm.MapType):
        return model_of(kind.values)
    return None


def kebab(op_id: str) -> str:
    """The file name stem of an operation's samples (tests/conftest.py reads it back)."""
    return re.sub(r"[A-Z]", lambda found: "-" + found.group(0).lower(), op_id)


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


@dataclass(frozen=True)
class Sample:
    """One of a page's sample responses, read as the operation's answer."""

    text: str  # as the page writes it
    answer: Any  # a text/plain answer's text; else its JSON, or the spec's repair of it
    repaired: bool  # the page's text is not JSON: `answer` is the spec's repair of it
    taken: bool  # one of the operation's examples (else rejected: a JSON answer's only)


def page_samples(op: sm.Operation, page: VendorPage) -> list[Sample]:
    """The page's samples as the operation answers them: a text/plain answer's text (the
    fence's line end left out), else JSON (repaired by the spec where it is not)."""
    assert op.result.media is not None
    examples = SPEC.examples(op.result.media)
    samples = []
    for text in page.samples:
        if op.result.framing == "text":
            samples.append(Sample(text, text.strip(), False, text.strip() in examples))
            continue
        try:
            answer, repaired = json.loads(text), False
        except json.JSONDecodeError:
            answer, repaired = repaired_example(op), True
        samples.append(Sample(text, answer, repaired, repaired or answer in examples))
    return samples


def taken_answers(op: sm.Operation, page: VendorPage) -> list[Any]:
    """The page's samples that the operation answers (test_named_example_is_the_sample_verbatim
    shows the others are not its answer)."""
    return [sample.answer for sample in page_samples(op, page) if sample.taken]


def data_items(op: sm.Operation, answer: Any) -> list[Any]:
    """The objects of a JSON answer that hold its data model's fields: the page's contents, the
    envelope's data, or the whole answer where it has no envelope."""
    if op.result.framing == "json":
        return [answer]
    return answer["data"]["contents"] if op.result.shape == "page" else [answer["data"]]


def kept_samples(op: sm.Operation, folder: Path = SAMPLES) -> list[Path]:
    """The files of a folder that keep the page's samples of an operation
    (`<operation>.page-sample*.json`, `.txt` for a text/plain answer)."""
    suffix = ".txt" if op.result.framing == "text" else ".json"
    return sorted(folder.glob(f"{kebab(op.id)}.page-sample*{suffix}"))


def structure_model(name: str) -> sm.Model:
    """The spec's model for the page's "Data structure of <name>": the one of that name (or of
    that name in PascalCase), or the one whose description names the vendor's class."""
    for candidate in (name, sm.pascal(name)):
        if candidate in SPEC.models:
            return SPEC.models[candidate]
    found = [m for m in SPEC.models.values() if f"`{name}`" in m.description]
    assert len(found) == 1, f"no model, or several, for the vendor's {name}"
    return found[0]


# --- reading a structure table -------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A row of a structure table, and the field of the spec it draws (None: a field the spec
    leaves out, as a decision of the model says)."""

    row: Mapping[str, str]
    field: str  # the name the row gives
    holder: sm.Model
    prop: sm.Property | None
    moved: bool  # drawn nested inside an object, but a field of the structure itself


def _pick(model: sm.Model, field: str, row: Mapping[str, str]) -> sm.Property | None:
    """The model's field a row names: of that name, or one whose decision says the samples name
    the row's field so; the one whose description has the row's words first."""
    found = [p for p in model.properties if p.json_name == field] + [
        p for p in model.properties if p.json_name != field and decided(model, p, f"`{field}`")
    ]
    wanted = first_sentence(row["Description"]).lower()
    said = [p for p in found if wanted in flat(p.description).lower()]
    return next(iter(said), found[0] if found else None)


def resolve_rows(root: sm.Model, table: list[dict[str, str]]) -> list[Drawn]:
    """Each row's field: a top row is the structure's, a nested row the innermost open
    object's that has it (objects drawn above it stay open until a top row). A nested row
    below no open object is the structure's own (the task pages mark the task's `cluster`
    so); one that an open object does not have is `moved`, which a decision must name. A
    row no open object has is left out, which a decision of the structure must name."""
    stack = [root]
    drawn = []
    for row in table:
        field, nested = field_of(row)
        if not nested:
            del stack[1:]
        opened = len(stack) > 1
        for depth in range(len(stack) - 1, -1, -1):
            prop = _pick(stack[depth], field, row)
            if prop is not None:
                break
        else:
            holder = stack[-1]
            assert f"`{field}`" in decisions(holder), (
                f"{root.name}: the page's {row['Parameter']!r} is nowhere in it, undecided"
            )
            drawn.append(Drawn(row, field, holder, None, False))
            continue
        del stack[depth + 1 :]
        drawn.append(Drawn(row, field, stack[depth], prop, nested and opened and depth == 0))
        inner = model_of(prop.type)
        if inner is not None:
            stack.append(SPEC.models[inner])
    return drawn


def drawn_tables(
    op: sm.Operation | None, page: VendorPage
) -> list[tuple[str, sm.Model, list[Drawn]]]:
    """Every structure table of a page, read: the request body's "Request parameters" too, and
    the response table of an answer without envelope (it draws the answer's own fields)."""
    tables = [(name, structure_model(name), table) for name, table in page.structures.items()]
    if page.body_rows:
        assert op is not None and op.body is not None, f"{page.path.name}: a body, the spec none"
        tables.append(("body", SPEC.models[op.body.type.name], page.body_rows))
    if op is not None and op.result.framing == "json" and page_framing(page) == "json":
        tables.append(("answer", item_model(op), page.response_rows))
    return [(name, model, resolve_rows(model, table)) for name, model, table in tables]


def check_field(drawn: Drawn) -> None:
    """A row against the field it draws: type, words, required, known values, pointers and
    example, each as the page says or decided."""
    row, prop, holder = drawn.row, drawn.prop, drawn.holder
    assert prop is not None
    where = f"{holder.name}.{prop.json_name}"
    if not same_type(prop.schema, row["Type"]):
        actual = json_type(prop.schema)
        assert decided(holder, prop, f"`{row['Type']}`"), f"{where}: {actual}, page {row['Type']}"
    wanted = first_sentence(row["Description"]).lower()
    said = f"{flat(prop.description).lower()} {said_about(holder, prop)}"
    assert wanted in said, f"{where}: the description lacks the page's {wanted!r}"
    if "Required" in row and prop.required is not (row["Required"] == "Yes"):
        assert decided(holder, prop, "required"), f"{where}: required {prop.required} undecided"
    if drawn.moved or prop.json_name != drawn.field:
        assert decided(holder, prop, "table"), f"{where}: drawn as {row['Parameter']!r}"
    if prop.json_name != drawn.field:
        assert decided(holder, prop, f"`{drawn.field}`"), f"{where}: renamed undecided"
    if isinstance(prop.type, sm.ArrayType) and row["Type"] in ("Array", "Arrays"):
        # The page does not say of what: the rows after it, a pointer or a decision say it.
        assert not isinstance(prop.type.items, sm.AnyType), f"{where}: an array of anything"
        if row["Type"] == "Arrays" or not isinstance(prop.type.items, sm.ModelType):
            assert said_about(holder, prop), f"{where}: the item type is undecided"
    values = known_values(row["Description"])
    if values is not None:
        assert values, f"{where}: no values read from {row['Description']!r}"
        kind = prop.type.items if isinstance(prop.type, sm.ArrayType) else prop.type
        assert isinstance(kind, sm.EnumType), f"{where}: no enum"
        assert values <= set(SPEC.enums[kind.name].values), where
    for name in pointers(row["Description"]):
        assert model_of(prop.type) == structure_model(name).name, f"{where}: not a {name}"
    example = example_of(row)
    if example not in (None, "N/A", ""):
        assert str(prop.schema.get("example")).lower() == example.lower(), where


def test_nested_rows_are_read() -> None:
    """The reading of a flat drawing of nested objects, on a table of the pages' kind."""
    names = [
        "obBackupStorageBaseInfo",
        "|--ossAccessKey",
        "|--endpoint",
        "|--cosAccessKey",
        "|--appId",
        "|--alarmStoragePercentageThreshold",
        "storageId",
        "├─ storageId",  # below no open object: the structure's own, as the task pages draw
    ]
    table = [{"Parameter": name, "Type": "Object", "Description": ""} for name in names]
    root = SPEC.models["ObBackupServiceStorageConfig"]
    drawn = resolve_rows(root, table)
    assert [d.holder.name for d in drawn] == [
        root.name,
        "ObBackupStorageBaseInfo",
        "OssAccessKey",
        "ObBackupStorageBaseInfo",  # not the OSS keys': the object further out
        "CosAccessKey",
        root.name,  # drawn nested, a field of the structure itself
        root.name,
        root.name,
    ]
    assert [d.field for d in drawn if d.moved] == ["alarmStoragePercentageThreshold"]
    with pytest.raises(AssertionError, match="nowhere"):
        resolve_rows(root, [{"Parameter": "|--nothing", "Type": "String", "Description": ""}])


# --- the mapping itself --------------------------------------------------------------------------


def test_pages_map_to_operations() -> None:
    ids = [op.id for op, _ in PAGES]
    assert len(ids) == len(set(ids)), f"two pages for one operation: {ids}"
    assert "listDataBackupTasks" in ids


# --- the operation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_operation_is_the_page_s(op: sm.Operation, page: VendorPage) -> None:
    """Its title, description and prerequisites. A page that says the call needs no
    authentication is an operation with `security: []`; any other prerequisite is in the
    description, and the operation asks for credentials."""
    assert op.summary == page.title
    described = first_sentence(page.part("Description").strip())
    assert described, f"{op.id}: the page's description is not read"
    assert described in flat(op.description), f"{op.id}: the description lacks {described!r}"
    assert page.prerequisites, f"{op.id}: the page's prerequisites are not read"
    open_to_all = [p for p in page.prerequisites if NO_AUTHENTICATION.search(p)]
    if open_to_all:
        assert security(op) == [], (
            f"{op.id}: the page says {open_to_all[0]!r}, the spec asks for {security(op)}"
        )
    else:
        assert security(op), f"{op.id}: security: [], but the page asks for authentication"
    for prerequisite in page.prerequisites:
        if prerequisite in open_to_all:
            continue
        fact = prerequisite.removeprefix("You have ").rstrip(".").strip()
        assert fact in flat(op.description), f"{op.id}: prerequisite missing: {fact}"


def security(op: sm.Operation) -> list[Any]:
    """The credentials an operation asks for: its own `security`, else the document's."""
    return list(op.raw.get("security", SPEC.document.get("security", [])))


def parameter_rows() -> list[Any]:
    return [
        pytest.param(op, page, row, id=f"{op.id}-{row['Parameter']}")
        for op, page in PAGES
        for row in page.parameter_rows
    ]


@pytest.mark.parametrize(("op", "page", "row"), parameter_rows())
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
    written = (
        ",".join(map(as_written, example)) if isinstance(example, list) else as_written(example)
    )
    assert written == example_of(row), f"{op.id}: the example of {name} is not the page's"
    wanted = first_sentence(row["Description"])
    assert wanted.lower() in flat(parameter.description).lower(), (
        f"{op.id}: the description of {parameter.name} lacks the page's {wanted!r}"
    )
    values = known_values(row["Description"])
    if values is not None:
        assert values, f"{op.id}: no values read from {row['Description']!r}"
        kind = parameter.type.items if isinstance(parameter.type, sm.ArrayType) else parameter.type
        assert isinstance(kind, sm.EnumType), f"{op.id}: {name} lists values, the spec none"
        assert values <= set(SPEC.enums[kind.name].values)


def as_written(value: object) -> str:
    """A value as the pages write it in a table: booleans as in JSON (`true`)."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def renamed_parameter(op: sm.Operation, page_name: str) -> sm.Parameter:
    """The operation's parameter whose decision names the page's spelling ``page_name``."""
    found = [p for p in op.parameters if f"`{page_name}`" in decision(p.raw)]
    assert len(found) == 1, f"{op.id}: no parameter {page_name}, and no decision names it"
    return found[0]


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_no_parameter_beyond_the_page(op: sm.Operation, page: VendorPage) -> None:
    on_page = {row["Parameter"] for row in page.parameter_rows if row["Type"] != WITHDRAWN}
    spec_names = {
        name if op.parameter(name) is not None else renamed_parameter(op, name).name
        for name in on_page
    }
    assert {p.name for p in op.parameters} == spec_names


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_request_body_is_the_page_s(op: sm.Operation, page: VendorPage) -> None:
    """A body where the page draws or shows one; its sample is the body's example, kept."""
    kept = REQUESTS / f"{kebab(op.id)}.request-sample.json"
    if op.body is None:
        assert page.sample_body is None and not page.body_rows and not kept.exists()
        return
    body = SPEC.models[op.body.type.name]
    drawn = {model.name for _, model, _ in drawn_tables(op, page)}
    assert body.name in drawn, f"{op.id}: the page draws no field of its body {body.name}"
    if page.sample_body is not None:
        media = op.body.raw["content"]["application/json"]
        assert page.sample_body in SPEC.examples(media), f"{op.id}: the page's sample body"
        assert json.loads(kept.read_text(encoding="utf-8")) == page.sample_body


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


@pytest.mark.parametrize(("op", "page", "row"), response_rows())
def test_response_field_matches_page(
    op: sm.Operation, page: VendorPage, row: dict[str, str]
) -> None:
    prop = response_property(op, row["Parameter"])
    if not same_type(prop, row["Type"]):
        assert f"`{row['Type']}`" in str(prop.get("x-ocp-decision", "")), row["Parameter"]
    wanted = first_sentence(row["Description"]).lower()
    said = flat(f"{prop.get('description', '')} {prop.get('x-ocp-decision', '')}").lower()
    assert wanted in said, (
        f"{op.id}: the description of {row['Parameter']} lacks the page's {wanted!r}"
    )
    if row["Parameter"] == "data":
        for name in pointers(row["Description"]):
            assert model_of(op.result.data) == structure_model(name).name, f"{op.id}: {name}"


# Every structure table of every page, read once.
TABLES = [
    (op, page, name, model, drawn)
    for op, page in ALL_PAGES
    for name, model, drawn in drawn_tables(op, page)
]


def structures() -> list[Any]:
    return [
        pytest.param(model, drawn, id=f"{page_id(op, page)}-{name}")
        for op, page, name, model, drawn in TABLES
    ]


# The structures each table draws, and every (model, field) that some page draws: in a structure
# table, or in a response table as a field of `data` (a nested row of an answer that is no page).
DRAWN_BY = [model.name for *_, model, _ in TABLES]
DRAWN = {(d.holder.name, d.prop.json_name) for *_, table in TABLES for d in table if d.prop} | {
    (model.name, field_of(row)[0])
    for op, page in PAGES
    if op.result.shape != "page" and (model := data_model(op)) is not None
    for row in enveloped(op, page)
    if field_of(row)[1] and field_of(row)[0] in {p.json_name for p in model.properties}
}


@pytest.mark.parametrize(("model", "drawn"), structures())
def test_data_structure_has_the_page_s_fields_and_no_other(
    model: sm.Model, drawn: list[Drawn]
) -> None:
    """The structure's own fields are its table's top rows (and nested rows read as its own),
    in the page's order where one table draws the structure (a row drawn twice counts once;
    several pages draw the task in different orders); any other is another page's, or decided."""
    own = list(dict.fromkeys(d.prop.json_name for d in drawn if d.holder == model and d.prop))
    if DRAWN_BY.count(model.name) == 1:
        assert [p.json_name for p in model.properties if p.json_name in own] == own
    for prop in model.properties:
        if prop.json_name not in own and (model.name, prop.json_name) not in DRAWN:
            assert decided(model, prop, SAMPLE_ONLY), f"{model.name}.{prop.json_name}: not drawn"


def structure_rows() -> list[Any]:
    return [
        pytest.param(row, id=f"{page_id(op, page)}-{name}.{row.field}")
        for op, page, name, _, drawn in TABLES
        for row in drawn
        if row.prop is not None
    ]


@pytest.mark.parametrize("drawn", structure_rows())
def test_data_structure_field_matches_page(drawn: Drawn) -> None:
    check_field(drawn)


def reachable(kind: sm.Type | None, found: dict[str, sm.Model]) -> dict[str, sm.Model]:
    """The models a type holds, and theirs."""
    name = model_of(kind)
    if name is not None and name not in found:
        found[name] = SPEC.models[name]
        for prop in found[name].properties:
            reachable(prop.type, found)
    return found


def test_every_field_is_on_a_page_or_decided() -> None:
    """Every field of what the pages' operations send and answer is drawn by some page (nested
    or not, a page of structures too), or decided: fields of samples that no table lists."""
    models: dict[str, sm.Model] = {}
    for op, _ in PAGES:
        reachable(op.body.type if op.body else None, models)
        reachable(op.result.item if op.result.shape == "page" else op.result.data, models)
    assert {"ObBackupStorageBaseInfo", "SubtaskInstance"} <= set(models), "the walk is blind"
    undrawn = [
        f"{model.name}.{prop.json_name}"
        for model in models.values()
        for prop in model.properties
        if (model.name, prop.json_name) not in DRAWN and not decided(model, prop, SAMPLE_ONLY)
    ]
    assert not undrawn, f"on no page, undecided: {undrawn}"


def test_items_of_a_list_are_the_page_s_data_structure() -> None:
    """The structure a list's items are: the one its `contents` row names, else its `data` row."""
    listed = [(op, page) for op, page in PAGES if op.result.shape == "page"]
    assert listed
    for op, page in listed:
        described = {field_of(row)[0]: row["Description"] for row in page.response_rows}
        named = [
            name
            for where in ("contents", "data")
            for name in page.structures
            if name in described.get(where, "")
        ]
        assert named, f"{op.id}: the contents and data rows name no data structure"
        assert structure_model(named[0]) == item_model(op)


# --- the answer's form and the sample ------------------------------------------------------------


def sample_framing(text: str) -> str:
    """What a sample shows of its answer's framing: OCP's envelope (a JSON object with the
    envelope's required fields), another JSON document, or text."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return "text"
    if isinstance(value, dict) and set(value) >= ENVELOPE_FIELDS:
        return "envelope"
    return "json" if isinstance(value, dict | list) else "text"


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_answer_is_the_page_s(op: sm.Operation, page: VendorPage) -> None:
    """A response table that draws OCP's envelope (its required fields) is an envelope; one that
    draws other fields is a JSON answer without one (`x-ocp-envelope: false`); prose that says
    the answer is text, and no table, is a text/plain answer, whose samples are no JSON
    documents. A page that says nothing of its answer shows it by its samples."""
    if "Response parameters" not in page.parts:
        shown = {sample_framing(text) for text in page.samples}
        assert len(shown) == 1, f"{op.id}: the samples disagree: {shown}"
        framing, said = shown.pop(), "by its samples"
    elif not page.response_rows:
        prose = flat(page.part("Response parameters"))
        assert TEXT_ANSWER.search(prose), f"{op.id}: no answer table, and no text: {prose!r}"
        for text in page.samples:
            assert sample_framing(text) == "text", f"{op.id}: a JSON sample: {text!r}"
        framing, said = "text", repr(prose)
    else:
        framing = str(page_framing(page))
        said = f"its table draws {[field_of(row)[0] for row in page.response_rows]}"
    media_type = sm.TEXT if framing == "text" else sm.JSON
    assert (op.result.framing, op.result.media_type) == (framing, media_type), (
        f"{op.id}: the page answers {framing} ({media_type}: {said}), the spec"
        f" {op.result.framing} ({op.result.media_type})"
    )


SCHEMAS = SpecSchemas()


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_named_example_is_the_sample_verbatim(op: sm.Operation, page: VendorPage) -> None:
    """Each of the page's samples is one of the operation's examples and kept under
    tests/samples/: a JSON answer's repaired where it is not JSON (with the same names and
    values in the same order), a text/plain answer's as its text, and valid. Or the spec
    decides that a JSON sample is not this operation's answer, keeps it under rejected/, and it
    is not. No other file is kept as the page's sample."""
    kept = kept_samples(op)
    assert all(sample_operation_id(path) == op.id for path in kept)
    assert set(kept) <= set(sample_files()), f"{op.id}: a sample conftest does not read"
    kept_answers = [load_sample(path) for path in kept]
    rejected = [load_sample(path) for path in kept_samples(op, REJECTED)]
    validator = SCHEMAS.response_validator(
        op.path, op.method, int(op.result.status), op.result.media_type or sm.JSON
    )
    samples = page_samples(op, page)
    for sample in samples:
        shown = f"{op.id}: the page's sample {flat(sample.text)[:60]!r}"
        if sample.repaired:
            repaired = json.dumps(sample.answer, ensure_ascii=False)
            assert tokens(repaired) == tokens(sample.text), f"{shown}: the repair changes data"
        if op.result.framing == "text":
            assert sample.taken, f"{shown} is none of the spec's examples"
            assert not error_messages(validator, sample.answer), f"{shown} is not valid"
        if sample.taken:
            assert sample.answer in kept_answers, f"{shown} is not kept under tests/samples/"
            continue
        answer = SPEC.resolve(op.raw["responses"][op.result.status])
        assert answer.get("x-ocp-decision"), f"{shown} is not taken, undecided"
        assert sample.answer in rejected, f"{shown} is not kept under {REJECTED}"
        assert error_messages(validator, sample.answer), f"{shown}: rejected, and valid"
    taken = [sample for sample in samples if sample.taken]
    assert len(kept) == len(taken), f"{op.id}: {[p.name for p in kept]} for {len(taken)} samples"
    assert len(rejected) == len(samples) - len(taken), f"{op.id}: rejected samples kept"


@pytest.mark.parametrize(("op", "page"), OPERATIONS)
def test_required_fields_are_what_the_sample_always_sends(
    op: sm.Operation, page: VendorPage
) -> None:
    """Every required field is present in each sample (OCP omits null fields), at each level:
    the envelope's (of every sample), then the data's (of this operation's answers)."""
    model = data_model(op)
    for sample in page_samples(op, page):
        if op.result.framing == "envelope":
            missing = ENVELOPE_FIELDS - set(sample.answer)
            assert not missing, f"{op.id}: the sample's envelope lacks {sorted(missing)}"
        if not sample.taken:
            continue  # not this operation's answer (test_named_example_is_the_sample_verbatim)
        if model is None:
            if op.result.framing == "envelope":
                assert (op.result.shape == "none") is ("data" not in sample.answer), op.id
            else:  # no fields: an answer without envelope is a model, or text
                assert op.result.framing == "text" and isinstance(sample.answer, str), op.id
            continue
        required = {p.json_name for p in model.properties if p.required}
        items = data_items(op, sample.answer)
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
        drawn = {field_of(row)[0] for row in page.response_rows}
        renamed = {
            name for name, (_, spec_name) in PAGE_FIELD_LOCATIONS.items() if name != spec_name
        }
        for name in drawn & renamed:
            assert name not in {p.json_name for p in page_info.properties}
            assert f"`{name}`" in decision(page_info.schema), f"{name} renamed undecided"
        if {"totalElements", "number", "size"} <= drawn:  # drawn at the level of data
            assert "`data.page`" in decision(page_schema.schema)
        asked = re.search(r"size=(\d+)", page.sample_request)
        for sample in page_samples(op, page):
            served = sample.answer["data"]["page"]["size"]
            if asked and int(asked.group(1)) != served:
                assert f"`size: {served}`" in decision(page_info.property("size").schema)


def test_times_and_requirement_are_decided() -> None:
    """The sample's entity times have no colon in their offset (not RFC 3339), and the pages
    say nothing of which fields are always sent: both decided on the item's schema."""
    for op, page in PAGES:
        model = data_model(op)
        if model is None:
            continue
        if any(p.required for p in model.properties):
            assert "Required vs optional" in decision(model.schema), f"{model.name}: undecided"
        times = [
            item[p.json_name]
            for answer in taken_answers(op, page)
            for item in data_items(op, answer)
            for p in model.properties
            if isinstance(p.type, sm.DateTimeType) and p.json_name in item
        ]
        if any(re.search(r"[+-]\d{4}$", time) for time in times):
            assert "+0800" in decision(model.schema), f"{model.name}: time format undecided"
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
    """An operation declares the errors it can answer, each OCP's ErrorResponse: 400 when it
    takes input that can be malformed (parameters or a body), 401 and 403 when it asks for
    credentials (not `security: []`), 404 when its path names a resource, and always 429 (rate
    limit), 4XX and 5XX."""
    responses = op.raw["responses"]
    expected = {"429", "4XX", "5XX"}
    if op.parameters or op.body is not None:
        expected.add("400")
    if security(op):
        expected |= {"401", "403"}
    if any(parameter.location == "path" for parameter in op.parameters):
        expected.add("404")
    errors = {status for status in responses if not status.startswith("2")}
    assert errors == expected, (
        f"{op.id}: declares {sorted(errors)}; missing {sorted(expected - errors)},"
        f" impossible {sorted(errors - expected)}"
    )
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
