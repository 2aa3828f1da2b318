"""Contract check 3: round trip. JSON -> from_dict -> to_dict gives JSON that validates against
the spec and equals the input, times compared as instants (to_dict writes Python's RFC 3339
spelling; the README documents it).

For every model of the spec (test id: the schema's name), hypothesis instances drawn from the
spec's own schema; for every operation (test id: its operationId), whole answers drawn from its
success schema and every vendor sample of it, read as ``sync_detailed`` reads them (the envelope
and ``data``: a page, an object, a list, a scalar). The probe's models and operations
(tests/conftest.py) add the constructs the project's spec does not use yet.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spec_model as sm
from tests.conftest import (
    PROBE_PATHS,
    PROBE_SHAPES,
    answer_response,
    load_sample,
    probe_models,
    probe_operations,
    probe_spec,
    sample_files,
    sample_operation_id,
    spec_model_of,
)
from tests.contract.spec_schema import SpecSchemas, assert_valid
from tests.contract.strategies import examples_per_case, from_schema

SPEC = spec_model_of()
PACKAGE = "ocp_client"
SETTINGS = settings(
    max_examples=examples_per_case(320, len(SPEC.models) + len(SPEC.operations)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def as_instants(spec: sm.Spec, kind: sm.Type | None, value: Any) -> Any:
    """``value`` (JSON) with every date-time of ``kind`` replaced by its datetime (an instant)."""
    if isinstance(kind, sm.DateTimeType) and isinstance(value, str):
        return datetime.datetime.fromisoformat(value)
    if isinstance(kind, sm.ArrayType) and isinstance(value, list):
        return [as_instants(spec, kind.items, item) for item in value]
    if isinstance(kind, sm.MapType) and isinstance(value, dict):
        return {key: as_instants(spec, kind.values, item) for key, item in value.items()}
    if isinstance(kind, sm.ModelType) and isinstance(value, dict):
        properties = {p.json_name: p for p in spec.models[kind.name].properties}
        return {
            key: as_instants(spec, properties[key].type if key in properties else None, item)
            for key, item in value.items()
            # OCP omits null fields: a property of any type sent as null reads as absent (None).
            if not (item is None and key in properties and not properties[key].required)
        }
    return value


@functools.cache
def validator_of(spec: sm.Spec, where: str) -> Any:
    """The JSON Schema validator of a model (``where``: its name) or of an operation's answer
    (``where``: its operationId), built once per spec."""
    schemas = SpecSchemas(spec.document)
    if where in spec.models:
        return schemas.validator(spec.models[where].schema)
    media = spec.operation(where).result.media
    assert media is not None
    return schemas.validator(media["schema"])


@functools.cache
def instances(spec: sm.Spec, where: str) -> st.SearchStrategy[Any]:
    """Instances of a model (``where``: its name) or whole answers of an operation (``where``:
    its operationId), drawn from the spec's own schema (built once per spec)."""
    if where in spec.models:
        return from_schema(spec, spec.models[where].schema)
    media = spec.operation(where).result.media
    assert media is not None, f"{where}: no answer body to draw"
    answers = from_schema(spec, media["schema"])
    if spec.operation(where).result.framing != "envelope":
        return answers
    # A success answer says so: `successful: false` is an error whatever the status (the spec's
    # conventions), which test_validation covers.
    return answers.map(lambda answer: {**answer, "successful": True})


def as_json(value: Any) -> Any:
    """What a caller would send on: plain JSON."""
    return json.loads(json.dumps(value))


def model_class(package: str, model: sm.Model) -> Any:
    if model.name == sm.PAGE:
        return None  # the runtime's generic Page: read through each operation, below
    return getattr(importlib.import_module(f"{package}.models.{model.module}"), model.name)


def check_model_round_trip(spec: sm.Spec, package: str, name: str, data: st.DataObject) -> None:
    model = spec.models[name]
    instance = data.draw(instances(spec, name), label="instance")
    validator = validator_of(spec, name)
    assert_valid(validator, instance)  # the strategy itself stays honest
    parsed = model_class(package, model).from_dict(as_json(instance))
    written = as_json(parsed.to_dict())
    assert_valid(validator, written)
    kind = sm.ModelType(name)
    assert as_instants(spec, kind, written) == as_instants(spec, kind, instance)


@pytest.mark.parametrize("name", [m for m in SPEC.models if m != sm.PAGE])
@SETTINGS
@given(data=st.data())
def test_model_round_trips(name: str, data: st.DataObject) -> None:
    check_model_round_trip(SPEC, PACKAGE, name, data)


@pytest.mark.parametrize("name", probe_models())
@SETTINGS
@given(data=st.data())
def test_probe_model_round_trips(probe_package: str, name: str, data: st.DataObject) -> None:
    check_model_round_trip(probe_spec(), probe_package, name, data)


# --- whole answers, as the operations read them --------------------------------------------------


def read_answer(package: str, op: sm.Operation, answer: Any) -> tuple[Any, Any]:
    """(envelope, data) of an answer, each written back as JSON (the envelope None for an
    answer without one): ``sync_detailed``'s reading (``Operation.detailed``) of a real httpx
    response."""
    module = importlib.import_module(f"{package}.api.{op.tag}.{op.module}")
    declared = module._OPERATION
    response = declared.detailed(answer_response(op, answer))
    if op.result.framing != "envelope":
        assert response.envelope is None
        return None, as_json(declared.data.dump(response.parsed))
    parsed = response.parsed
    if op.result.shape == "page":
        data = parsed.to_dict()
    elif op.result.shape == "none":
        data = parsed
    else:
        data = declared.data.dump(parsed)
    return as_json(response.envelope.to_dict()), as_json(data)


def check_answer_round_trip(spec: sm.Spec, package: str, op: sm.Operation, answer: Any) -> None:
    validator = validator_of(spec, op.id)
    assert_valid(validator, answer)
    envelope, data = read_answer(package, op, answer)
    if op.result.framing != "envelope":
        # The spec's decision for text answers: the whitespace around the text is not in it.
        sent = answer.strip() if op.result.framing == "text" else answer
        assert_valid(validator, data)
        kind = op.result.data
        assert as_instants(spec, kind, data) == as_instants(spec, kind, sent)
        return
    written = {**envelope, "data": data} if "data" in answer else envelope
    assert_valid(validator, written)
    if op.result.shape == "page":
        # The spec's Page says nothing of its items: each operation says it.
        item, page = op.result.item, sm.ModelType(sm.PAGE)
        assert item is not None
        got = {
            **as_instants(spec, page, data),
            "contents": as_instants(spec, sm.ArrayType(item), data["contents"]),
        }
        sent = answer["data"]
        want = {
            **as_instants(spec, page, sent),
            "contents": as_instants(spec, sm.ArrayType(item), sent["contents"]),
        }
        assert got == want
    else:
        kind = op.result.data
        assert as_instants(spec, kind, data) == as_instants(spec, kind, answer.get("data"))
    envelope_kind = sm.ModelType(sm.ENVELOPE)
    sent_envelope = {key: value for key, value in answer.items() if key != "data"}
    assert as_instants(spec, envelope_kind, envelope) == as_instants(
        spec, envelope_kind, sent_envelope
    )


@pytest.mark.parametrize("sample", sample_files(), ids=lambda path: path.name)
def test_sample_round_trips(sample: Any) -> None:
    op = SPEC.operation(sample_operation_id(sample))
    check_answer_round_trip(SPEC, PACKAGE, op, load_sample(sample))


@pytest.mark.parametrize("operation_id", [op.id for op in SPEC.operations if op.result.media])
@SETTINGS
@given(data=st.data())
def test_answer_round_trips(operation_id: str, data: st.DataObject) -> None:
    op = SPEC.operation(operation_id)
    check_answer_round_trip(SPEC, PACKAGE, op, data.draw(instances(SPEC, op.id), label="answer"))


@pytest.mark.parametrize("operation_id", probe_operations())
@SETTINGS
@given(data=st.data())
def test_probe_answer_round_trips(
    probe_package: str, operation_id: str, data: st.DataObject
) -> None:
    op = probe_spec().operation(operation_id)
    answer = data.draw(instances(probe_spec(), op.id), label="answer")
    check_answer_round_trip(probe_spec(), probe_package, op, answer)


def test_every_model_and_operation_is_exercised() -> None:
    """The parametrizations above come from the spec and the probe: a guard against an empty
    walk, and the probe answers in every framing and shape whatever the spec's are."""
    assert [m for m in SPEC.models if m != sm.PAGE]
    assert [op.id for op in SPEC.operations if op.result.media]
    assert probe_models() and isinstance(probe_spec().models["Probe"], sm.Model)
    declared = sorted(
        op["operationId"]
        for item in PROBE_PATHS.values()
        for op in item.values()
        if isinstance(op, dict)  # not the path's parameters
    )
    assert probe_operations() == declared, "the probe's tag holds the probe's operations only"
    probes = [probe_spec().operation(op_id) for op_id in probe_operations()]
    assert {(op.result.framing, op.result.shape) for op in probes} == PROBE_SHAPES


def test_times_compare_as_instants() -> None:
    """The comparison itself: one instant in two spellings is equal, two instants are not."""
    kind, spec = sm.ModelType("Probe"), probe_spec()
    first = {"at": "2021-09-23T11:03:24.945+08:00"}
    same = {"at": "2021-09-23T03:03:24.945000+00:00"}
    later = {"at": "2021-09-23T11:03:24.946+08:00"}
    assert as_instants(spec, kind, first) == as_instants(spec, kind, same)
    assert as_instants(spec, kind, first) != as_instants(spec, kind, later)
