"""Validators for what goes over the wire: request bodies (refused with OCP's 400 naming the
field) and the stand-in's own answers (checked when it starts).

The spec's schemas are OpenAPI 3.0 Schema Objects, validated as such (openapi-schema-validator's
jsonschema validators, which know `nullable`, `readOnly`/`writeOnly` and OpenAPI's boolean
`exclusiveMinimum`), with `$ref`s resolved in the document itself through a `referencing`
registry, and `format: date-time` as OCP writes times (`spec_model.is_ocp_date_time`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import FormatChecker, ValidationError
from jsonschema.protocols import Validator
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker
from referencing import Registry
from referencing.jsonschema import DRAFT4

import spec_model as sm

from .spec import locate, node_at, response_key

SPEC_URI = "urn:ocp-standin:spec"
JSON = "application/json"


def _format_checker() -> FormatChecker:
    checker = FormatChecker()  # JSON Schema's formats (date, email, uuid, ...)
    checker.checkers.update(oas30_format_checker.checkers)  # OpenAPI's (int32, int64, ...)
    checker.checks("date-time")(sm.is_ocp_date_time)  # the spec's decision
    return checker


FORMAT_CHECKER = _format_checker()


class Validators:
    """Validators for the parts of one spec document, made on first use."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, DRAFT4.create_resource(document)
        )
        self._made: dict[tuple[str, bool], Validator] = {}
        self._parameters: dict[tuple[str, str, str], str] = {}

    def at(self, pointer: str, *, request: bool) -> Validator:
        """The validator of the schema at a JSON pointer, for a request or for an answer."""
        key = (pointer, request)
        if key not in self._made:
            kind = OAS30WriteValidator if request else OAS30ReadValidator
            self._made[key] = kind(
                {"$ref": f"{SPEC_URI}#{pointer}"},
                registry=self.registry,
                format_checker=FORMAT_CHECKER,
            )
        return self._made[key]

    def body(self, operation: sm.Operation) -> Validator:
        raw = ("paths", operation.path, operation.method.lower(), "requestBody")
        return self.at(locate(self.document, *raw, "content", JSON, "schema"), request=True)

    def parameter(self, operation: sm.Operation, parameter: sm.Parameter) -> Validator:
        """The validator of a parameter's schema: the operation's own parameter of that name
        and place, else its path item's (as OpenAPI says one overrides the other)."""
        key = (operation.id, parameter.name, parameter.location)
        if key not in self._parameters:
            self._parameters[key] = self._parameter_pointer(operation, parameter)
        return self.at(self._parameters[key], request=True)

    def _parameter_pointer(self, operation: sm.Operation, parameter: sm.Parameter) -> str:
        for keys in (
            ("paths", operation.path, operation.method.lower()),
            ("paths", operation.path),
        ):
            try:
                listed = self._node(locate(self.document, *keys, "parameters"))
            except KeyError:
                continue
            for index in range(len(listed)):
                pointer = locate(self.document, *keys, "parameters", str(index))
                found = self._node(pointer)
                if (found.get("name"), found.get("in")) == (parameter.name, parameter.location):
                    return f"{pointer}/schema"
        raise KeyError(f"{operation.id}: no {parameter.location} parameter {parameter.name}")

    def _node(self, pointer: str) -> Any:
        return node_at(self.document, pointer)

    def answer(self, operation: sm.Operation, status: int) -> Validator | None:
        """The validator of an answer's body (its JSON, or its text as a JSON string), None
        when the spec documents none."""
        key = response_key(operation, status)
        if key is None:
            return None
        raw = ("paths", operation.path, operation.method.lower(), "responses", key)
        media = operation.result.media_type if key == operation.result.status else JSON
        try:
            pointer = locate(self.document, *raw, "content", media or JSON, "schema")
        except KeyError:
            return None
        return self.at(pointer, request=False)


def field_path(path: Any) -> str:
    """A JSON path as Spring names a field: `labels[0]`, `owner.name`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def body_errors(validator: Validator, body: Any, model: str) -> list[dict[str, Any]]:
    """OCP's sub-errors (`object`, `field`, `rejectedValue`, `message`) for each way a request
    body breaks its schema, in the order of the fields; empty when it is valid."""
    errors: list[ValidationError] = sorted(
        validator.iter_errors(body), key=lambda e: (field_path(e.absolute_path), e.message)
    )
    subs: list[dict[str, Any]] = []
    for error in errors:
        where = field_path(error.absolute_path)
        instance = error.instance
        required = error.validator_value
        if error.validator == "required" and isinstance(instance, Mapping):
            for name in required if isinstance(required, list) else []:
                if name not in instance:
                    field = f"{where}.{name}" if where else str(name)
                    message = f"Required request body field '{field}' is not present."
                    subs.append({"object": model, "field": field, "message": message})
            continue
        if error.validator == "additionalProperties" and isinstance(instance, Mapping):
            schema = error.schema if isinstance(error.schema, Mapping) else {}
            known = set(schema.get("properties", {}))
            for name in sorted(set(instance) - known):
                field = f"{where}.{name}" if where else str(name)
                message = f"Unknown request body field '{field}': the spec allows no other."
                subs.append({"object": model, "field": field, "message": message})
            continue
        field = where or "body"
        sub: dict[str, Any] = {
            "object": model,
            "field": field,
            "message": f"Invalid request body field '{field}': {error.message}.",
        }
        if instance is not None:  # OCP omits nulls
            sub["rejectedValue"] = instance
        subs.append(sub)
    return subs
