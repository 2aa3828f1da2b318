"""Contract check 3: round trip. JSON -> from_dict -> to_dict gives JSON that validates against
the spec and equals the input, times compared as instants (to_dict writes Python's RFC 3339
spelling; the README documents it). For the reference sample, and for generated instances of
every object schema of the spec."""

from __future__ import annotations

import datetime
import importlib
import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spec_refs import resolve
from tests.conftest import REFERENCE_SAMPLE
from tests.contract.spec_schema import SpecSchemas, assert_valid, load_spec
from tests.contract.strategies import from_schema
from tests.contract.test_models_contract import model_class

SPEC = load_spec()
SCHEMAS = SpecSchemas(SPEC)
OPERATION = "/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks"


def as_instants(schema: Mapping[str, Any], value: Any) -> Any:
    """``value`` with every date-time of ``schema`` replaced by its datetime (an instant)."""
    schema = resolve(SPEC, schema)
    if "allOf" in schema:
        for part in schema["allOf"]:
            value = as_instants(part, value)
        return value
    if "anyOf" in schema:
        return value  # the spec's anyOfs are open string enums: nothing to convert
    if isinstance(value, dict) and "properties" in schema:
        return {
            key: as_instants(schema["properties"][key], item)
            if key in schema["properties"]
            else item
            for key, item in value.items()
        }
    if isinstance(value, list) and "items" in schema:
        return [as_instants(schema["items"], item) for item in value]
    if schema.get("format") == "date-time" and isinstance(value, str):
        return datetime.datetime.fromisoformat(value)
    return value


def round_trip(schema_name: str, instance: Any) -> Any:
    written = model_class(schema_name).from_dict(json.loads(json.dumps(instance))).to_dict()
    return json.loads(json.dumps(written))  # what a caller would send on: plain JSON


def test_reference_sample_round_trips() -> None:
    sample = json.loads(REFERENCE_SAMPLE.read_text(encoding="utf-8"))
    schema = SCHEMAS.response_schema(OPERATION, "get", 200)
    written = round_trip("DataBackupHistoryWrapperTaskPageResponse", sample)
    assert_valid(SCHEMAS.response_validator(OPERATION, "get", 200), written)
    assert as_instants(schema, written) == as_instants(schema, sample)


OBJECT_SCHEMAS = [
    name
    for name, schema in SPEC["components"]["schemas"].items()
    if "enum" not in schema and model_class(name) is not None
]


@pytest.mark.parametrize("schema_name", OBJECT_SCHEMAS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_instances_round_trip(schema_name: str, data: st.DataObject) -> None:
    reference = {"$ref": f"#/components/schemas/{schema_name}"}
    instance = data.draw(from_schema(SPEC, reference))
    validator = SCHEMAS.component(schema_name)
    assert_valid(validator, instance)  # the strategy itself stays honest
    written = round_trip(schema_name, instance)
    assert_valid(validator, written)
    assert as_instants(reference, written) == as_instants(reference, instance)


def test_every_object_schema_is_exercised() -> None:
    assert "DataBackupHistoryWrapperTask" in OBJECT_SCHEMAS
    assert "ApiSubError" in OBJECT_SCHEMAS
    assert {"ClusterType", "DataBackupTaskStatus"}.isdisjoint(OBJECT_SCHEMAS)
    assert importlib.import_module("ocp_client.models")
