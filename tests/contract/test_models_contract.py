"""Contract check 2: generated models <-> spec.

For every schema of the spec (walked here, never listed by hand): the generated class exists;
its JSON property names equal the spec's; its required set equals the spec's; each attribute's
Python type is what the spec's type/format says; each description reached the class source.
The check is a function of (spec, package), so a test can show that it fails for a spec that
changed without a regeneration.
"""

from __future__ import annotations

import copy
import datetime
import enum
import importlib
import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs
from openapi_python_client.strings import ClassName, PythonIdentifier, snake_case

from ocp_client import models
from ocp_client.types import Unset
from spec_refs import resolve
from tests.contract.spec_schema import load_spec

FIELD_PREFIX = "field_"  # tools/codegen/config.yaml leaves the generator's default

SCALARS: dict[tuple[str, str | None], type] = {
    ("integer", None): int,
    ("integer", "int32"): int,
    ("integer", "int64"): int,
    ("number", None): float,
    ("boolean", None): bool,
    ("string", None): str,
    ("string", "date-time"): datetime.datetime,
    ("string", "date"): datetime.date,
}


def model_class(schema_name: str) -> Any:
    class_name = ClassName(schema_name, FIELD_PREFIX)
    try:
        module = importlib.import_module(f"ocp_client.models.{snake_case(class_name)}")
    except ModuleNotFoundError:
        return None
    return getattr(module, class_name, None)


def merged(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """(properties, required) of a schema, allOf parts merged."""
    schema = resolve(spec, schema)
    properties = dict(schema.get("properties", {}))
    required = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        more, more_required = merged(spec, part)
        properties.update(more)
        required |= more_required
    return properties, required


def expected_type(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> Any:
    """The Python type a property schema must have in the generated model."""
    if "$ref" in schema:
        target = resolve(spec, schema)
        name = schema["$ref"].rsplit("/", 1)[1]
        if "enum" in target or target.get("type") == "object" or "allOf" in target:
            return model_class(name)
        return expected_type(spec, target)
    if "anyOf" in schema:
        members = [expected_type(spec, member) for member in schema["anyOf"]]
        return typing.Union[tuple(members)]  # noqa: UP007 (a runtime union of computed types)
    kind = schema.get("type")
    if kind == "array":
        return list[expected_type(spec, schema["items"])]  # type: ignore[misc]
    if kind is None:
        return Any
    return SCALARS[(kind, schema.get("format"))]


def normalised(hint: Any) -> Any:
    """A type hint without `Unset`, unions as frozensets of members, generics recursively."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = frozenset(normalised(a) for a in typing.get_args(hint) if a is not Unset)
        return next(iter(members)) if len(members) == 1 else members
    if origin is list:
        return ("list", normalised(typing.get_args(hint)[0]))
    return hint


def words(text: str) -> str:
    return " ".join(text.split())


def model_problems(spec: Mapping[str, Any]) -> list[str]:
    """Everything in which the generated package disagrees with ``spec``; empty when none."""
    problems: list[str] = []
    for name, schema in spec["components"]["schemas"].items():
        cls = model_class(name)
        if cls is None:
            problems.append(f"{name}: no generated class")
            continue
        if "enum" in schema:
            if not issubclass(cls, enum.Enum):
                problems.append(f"{name}: not an Enum")
            elif {m.value for m in cls} != set(schema["enum"]):
                problems.append(f"{name}: values {sorted(m.value for m in cls)} != spec")
            continue
        properties, required = merged(spec, schema)
        known = importlib.import_module(cls.__module__)._KNOWN_PROPERTIES
        if set(known) != set(properties):
            problems.append(f"{name}: JSON properties {sorted(known)} != spec {sorted(properties)}")
        fields = {f.name: f for f in cls.__attrs_attrs__ if f.name != "additional_properties"}
        # Nested models are imported under TYPE_CHECKING only: resolve them from the package.
        hints = typing.get_type_hints(cls, localns=vars(models))
        source = words(inspect.getsource(cls))
        for json_name, prop in properties.items():
            attribute = PythonIdentifier(json_name, FIELD_PREFIX)
            if attribute not in fields:
                problems.append(f"{name}.{json_name}: no attribute {attribute}")
                continue
            is_required = fields[attribute].default is attrs.NOTHING
            if is_required != (json_name in required):
                problems.append(
                    f"{name}.{json_name}: required {is_required}, spec {not is_required}"
                )
            hint = hints[attribute]
            if Unset in typing.get_args(hint) and json_name in required:
                problems.append(f"{name}.{json_name}: required but typed as possibly Unset")
            want = normalised(expected_type(spec, prop))
            if normalised(hint) != want:
                problems.append(f"{name}.{json_name}: Python type {hint} != spec {want}")
            description = prop.get("description") or resolve(spec, prop).get("description")
            if description and words(description).split(". ")[0] not in source:
                problems.append(f"{name}.{json_name}: description missing from the docstrings")
    return problems


def test_generated_models_match_the_spec() -> None:
    assert model_problems(load_spec()) == []


def test_the_check_sees_every_schema() -> None:
    spec = load_spec()
    checked = [name for name in spec["components"]["schemas"] if model_class(name) is not None]
    assert checked == list(spec["components"]["schemas"])


def test_the_check_fails_for_a_spec_changed_without_regeneration() -> None:
    spec: dict[str, Any] = copy.deepcopy(dict(load_spec()))
    task = spec["components"]["schemas"]["DataBackupHistoryWrapperTask"]
    task["properties"]["retentionDays"] = {"type": "integer", "description": "Days kept."}
    task["properties"]["taskId"] = {"type": "string", "description": "The ID of the task."}
    task["required"].append("backupUri")
    spec["components"]["schemas"]["DataBackupTaskStatus"]["enum"].append("PAUSED")
    spec["components"]["schemas"]["PageInfo"]["properties"]["size"]["description"] = "Renamed."
    spec["components"]["schemas"]["Cursor"] = {"type": "object", "properties": {}}
    problems = model_problems(spec)
    expected = [
        "DataBackupHistoryWrapperTask: JSON properties",
        "DataBackupHistoryWrapperTask.retentionDays: no attribute retention_days",
        "DataBackupHistoryWrapperTask.taskId: Python type",
        "DataBackupHistoryWrapperTask.backupUri: required False",
        "DataBackupHistoryWrapperTask.backupUri: required but typed as possibly Unset",
        "DataBackupTaskStatus: values",
        "PageInfo.size: description missing",
        "Cursor: no generated class",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected), problems
