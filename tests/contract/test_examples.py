"""Contract: every example in the spec, and every vendor sample under tests/samples/, conform to
their schemas.

The examples are found by walking the spec, not from a list kept by hand: `example`/`examples` of
media types, parameters and headers (with `components/examples` followed where referenced), and
`example` of schema objects. A sample answers the operation its file name names
(`tests/conftest.py`, `sample_operation_id`). Validation asserts `format`, with OCP's times as
decided in `spec_schema.FORMAT_CHECKER`. The negative controls show the validator is not loose
(and those on the project's reference sample are in tests/test_reference_sample.py, with the
checks that the project's spec has examples to walk: a spec may have none).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from spec_model import resolve
from tests.conftest import (
    load_sample,
    sample_files,
    sample_operation_id,
    spec_model_of,
)
from tests.contract.spec_schema import (
    FORMAT_CHECKER,
    SpecSchemas,
    assert_valid,
    error_messages,
    load_spec,
    to_json_schema,
)

SPEC = load_spec()
SCHEMAS = SpecSchemas(SPEC)

# Objects with a `schema` and examples, by the key of the map or list that holds them.
_EXAMPLE_HOLDERS = ("content", "parameters", "headers")
_SUBSCHEMA_MAPS = ("properties",)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SUBSCHEMA_VALUES = ("items", "additionalProperties", "not")


@dataclass(frozen=True)
class ExampleCase:
    where: str  # JSON pointer of the example (and of the component it references, if any)
    value: Any
    schema: Any  # an OpenAPI schema object, maybe a $ref
    reference: str | None = None  # `#/components/examples/...` when the example is one
    external: bool = False  # `externalValue`: cannot be checked here


def _pointer(parts: list[str | int]) -> str:
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _schema_examples(schema: Any, parts: list[str | int]) -> Iterator[ExampleCase]:
    """`example` of a schema object and of its subschemas ($refs are walked where they live)."""
    if not isinstance(schema, Mapping) or "$ref" in schema:
        return
    if "example" in schema:
        yield ExampleCase(_pointer([*parts, "example"]), schema["example"], schema)
    for key in _SUBSCHEMA_MAPS:
        for name, sub in schema.get(key, {}).items():
            yield from _schema_examples(sub, [*parts, key, name])
    for key in _SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key, [])):
            yield from _schema_examples(sub, [*parts, key, index])
    for key in _SUBSCHEMA_VALUES:
        if isinstance(schema.get(key), Mapping):
            yield from _schema_examples(schema[key], [*parts, key])


def _holder_examples(
    spec: Mapping[str, Any], holder: Mapping[str, Any], parts: list[str | int]
) -> Iterator[ExampleCase]:
    """Examples of a media type, parameter or header object, checked against its schema."""
    schema = holder["schema"]
    if "example" in holder:
        yield ExampleCase(_pointer([*parts, "example"]), holder["example"], schema)
    for name, example in holder.get("examples", {}).items():
        where = _pointer([*parts, "examples", name])
        reference = example.get("$ref") if isinstance(example, Mapping) else None
        resolved = resolve(spec, example)
        if reference is not None:
            where += f" -> {reference}"
        if "externalValue" in resolved:
            yield ExampleCase(where, None, schema, reference, external=True)
        else:
            yield ExampleCase(where, resolved.get("value"), schema, reference)
    yield from _schema_examples(schema, [*parts, "schema"])


def collect_examples(
    spec: Mapping[str, Any], node: Any = None, parts: list[str | int] | None = None
) -> Iterator[ExampleCase]:
    """Walk the spec for every example. `$ref`s are followed where they are defined, once."""
    parts = parts or []
    node = spec if node is None else node
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from collect_examples(spec, item, [*parts, index])
        return
    if not isinstance(node, Mapping) or "$ref" in node:
        return
    if parts[:2] == ["components", "examples"]:
        return  # checked where they are referenced, against the referencing schema
    if len(parts) == 3 and parts[:2] == ["components", "schemas"]:
        yield from _schema_examples(node, parts)
        return
    if (
        len(parts) >= 2
        and parts[-2] in _EXAMPLE_HOLDERS
        and isinstance(node.get("schema"), Mapping)
    ):
        yield from _holder_examples(spec, node, parts)
    for key, value in node.items():
        if key in ("schema", "example", "examples") or str(key).startswith("x-"):
            continue
        yield from collect_examples(spec, value, [*parts, key])


CASES = list(collect_examples(SPEC))


def test_the_walk_finds_examples_everywhere_they_may_be() -> None:
    string = {"type": "string"}
    document = {
        "paths": {
            "/a": {
                "parameters": [{"name": "p", "in": "query", "schema": string, "example": "1"}],
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/Q"}],
                    "responses": {
                        "200": {
                            "description": "",
                            "headers": {"H": {"schema": string, "examples": {"h": {"value": "2"}}}},
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/S"},
                                    "examples": {"e": {"$ref": "#/components/examples/E"}},
                                }
                            },
                        }
                    },
                },
            }
        },
        "components": {
            "parameters": {"Q": {"name": "q", "in": "query", "schema": string, "example": "3"}},
            "examples": {"E": {"value": {"n": "4"}}},
            "schemas": {
                "S": {
                    "type": "object",
                    "properties": {"n": {"type": "string", "example": "5"}},
                    "example": {"n": "6"},
                }
            },
        },
    }
    found = {case.where: case.value for case in collect_examples(document)}
    assert found == {
        "#/paths/~1a/parameters/0/example": "1",
        "#/paths/~1a/get/responses/200/headers/H/examples/h": "2",
        "#/paths/~1a/get/responses/200/content/application~1json/examples/e"
        " -> #/components/examples/E": {"n": "4"},
        "#/components/parameters/Q/example": "3",
        "#/components/schemas/S/properties/n/example": "5",
        "#/components/schemas/S/example": {"n": "6"},
    }


@pytest.mark.parametrize("case", CASES, ids=[case.where for case in CASES])
def test_example_conforms_to_its_schema(case: ExampleCase) -> None:
    assert not case.external, f"{case.where}: externalValue examples cannot be checked"
    assert_valid(SCHEMAS.validator(case.schema), case.value)


def test_every_component_example_is_referenced() -> None:
    """A components/examples entry nobody references would never be validated."""
    defined = {f"#/components/examples/{n}" for n in SPEC.get("components", {}).get("examples", {})}
    referenced = {case.reference for case in CASES if case.reference is not None}
    assert defined <= referenced, f"unreferenced, so unchecked: {sorted(defined - referenced)}"


def sample_validator(sample: Path) -> Any:
    """The validator of the success answer of the operation a sample answers."""
    operation = spec_model_of().operation(sample_operation_id(sample))
    media = operation.result.media_type
    assert media is not None, f"{sample.name}: {operation.id} documents no answer body"
    return SCHEMAS.response_validator(
        operation.path, operation.method, int(operation.result.status), media
    )


@pytest.mark.parametrize("sample", sample_files(), ids=lambda path: path.name)
def test_sample_conforms_to_its_operation_s_answer(sample: Path) -> None:
    operation_ids = {op.id for op in spec_model_of().operations}
    assert sample_operation_id(sample) in operation_ids, f"{sample.name} answers no operation"
    assert_valid(sample_validator(sample), load_sample(sample))


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2021-09-16T17:25:05.943+0800", True),  # OCP entity time
        ("2021-09-23T11:03:24.945+08:00", True),  # OCP envelope time
        ("2021-09-23T03:03:24Z", True),
        ("2021-09-23T03:03:24.123456789-05:30", True),
        ("2021-09-23T11:03:24.945+08", False),
        ("2021-09-23T11:03:24.945", False),  # naive
        ("2021-09-23 11:03:24.945+08:00", False),
        ("2021-02-29T11:03:24+08:00", False),  # not a leap year
        ("2021-09-23T24:03:24+08:00", False),
        ("2021-09-23T11:03:24+0860", False),
        ("2021-09-23T11:03:24+08.5", False),  # Python's fromisoformat reads it: +08:00:00.5
        ("2021-09-23T11:03:24.945+08:0\u0660", False),  # an Arabic-Indic digit
        ("2021-09-23", False),
    ],
)
def test_date_time_format_alone(value: str, valid: bool) -> None:
    """`format` is asserted on its own, without the spec's `pattern` to back it."""
    assert FORMAT_CHECKER.conforms(value, "date-time") is valid
    assert (
        not error_messages(SCHEMAS.validator({"type": "string", "format": "date-time"}), value)
    ) is valid


def test_openapi_keywords_are_converted() -> None:
    assert to_json_schema({"type": "string", "nullable": True, "example": "x"}) == {
        "anyOf": [{"type": "null"}, {"type": "string"}]
    }
    assert to_json_schema({"type": "integer", "minimum": 0, "exclusiveMinimum": True}) == {
        "type": "integer",
        "exclusiveMinimum": 0,
    }
    assert not error_messages(SCHEMAS.validator({"type": "string", "nullable": True}), None)
    assert error_messages(SCHEMAS.validator({"type": "string"}), None)
    assert error_messages(SCHEMAS.validator({"type": "integer", "format": "int64"}), 2**63)
