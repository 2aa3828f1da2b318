"""JSON Schema validators for any schema or response of the spec, with `format` asserted.

`format` is asserted as the spec decides (`FORMAT_CHECKER`): `date-time` is an OCP time, RFC 3339
plus the basic offset `±HHMM` that OCP writes on entity times (`2021-09-16T17:25:05.943+0800`),
as `spec_model.is_ocp_date_time` says for every tool; `int32`/`int64` are ranges. Everything else
is plain JSON Schema.

OpenAPI 3.0 schema objects are converted to JSON Schema 2020-12 (`to_json_schema`): `$ref`
siblings dropped (3.0 ignores them), `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`,
`example` dropped. `$ref`s resolve through a `referencing` registry that holds the spec's converted
component schemas, so recursive schemas work and nothing is inlined.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

# Typed by types-jsonschema (a dev dependency).
from jsonschema import (
    Draft202012Validator,
    FormatChecker,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from spec_model import is_ocp_date_time, load_document, resolve

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "ocp.yaml"
SPEC_URI = "urn:ocp-client:openapi"

_INT_RANGES = {"int32": 2**31, "int64": 2**63}


def _is_int_format(name: str) -> Any:
    bound = _INT_RANGES[name]

    def check(instance: object) -> bool:
        if isinstance(instance, bool) or not isinstance(instance, int):
            return True
        return -bound <= instance < bound

    return check


def _format_checker() -> Any:
    checker = FormatChecker(formats=Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("date-time")(is_ocp_date_time)
    for name in _INT_RANGES:
        checker.checks(name)(_is_int_format(name))
    return checker


#: The format checker every contract check uses: `date-time` as the spec decides, `int32`/`int64`
#: ranges, and JSON Schema's own formats.
FORMAT_CHECKER: Any = _format_checker()

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = ("items", "additionalProperties", "not", "contains", "propertyNames")
_OPENAPI_ONLY = ("nullable", "example", "discriminator", "xml", "externalDocs")


def _absolute_ref(ref: str) -> str:
    return SPEC_URI + ref if ref.startswith("#") else ref


def to_json_schema(schema: Any) -> Any:
    """Convert an OpenAPI 3.0 Schema Object (and its subschemas) to JSON Schema 2020-12."""
    if not isinstance(schema, Mapping):
        return schema  # booleans (additionalProperties: false) are JSON Schema already
    if "$ref" in schema:
        return {"$ref": _absolute_ref(str(schema["$ref"]))}
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _OPENAPI_ONLY:
            continue
        if key in _SCHEMA_MAPS:
            converted[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS:
            converted[key] = [to_json_schema(sub) for sub in value]
        elif key in _SCHEMA_VALUES:
            converted[key] = to_json_schema(value)
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in schema:
                converted[key] = schema[bound]
        else:
            converted[key] = value
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if schema.get(key) is True:
            converted.pop(bound, None)
    if schema.get("nullable") is True:
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


@functools.cache
def load_spec(path: Path = SPEC_PATH) -> Mapping[str, Any]:
    """The spec as parsed YAML (cached: treat it as read-only)."""
    document: dict[str, Any] = load_document(path)
    return document


def _component_schemas(spec: Mapping[str, Any]) -> dict[str, Any]:
    schemas = spec.get("components", {}).get("schemas", {})
    return {"components": {"schemas": {k: to_json_schema(v) for k, v in schemas.items()}}}


class SpecSchemas:
    """Validators for the schemas and responses of one spec document."""

    def __init__(self, spec: Mapping[str, Any] | None = None) -> None:
        self.spec: Mapping[str, Any] = load_spec() if spec is None else spec
        resource = Resource.from_contents(
            _component_schemas(self.spec), default_specification=DRAFT202012
        )
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)

    def validator(self, schema: Any) -> Any:
        """A validator for an OpenAPI schema object (inline, or `{"$ref": "#/components/..."}`)."""
        return Draft202012Validator(
            to_json_schema(schema), registry=self.registry, format_checker=FORMAT_CHECKER
        )

    def component(self, name: str) -> Any:
        """A validator for `#/components/schemas/<name>`."""
        if name not in self.spec.get("components", {}).get("schemas", {}):
            raise KeyError(f"no component schema {name!r}")
        return self.validator({"$ref": f"#/components/schemas/{name}"})

    def operation(self, path: str, method: str) -> Mapping[str, Any]:
        operation: Mapping[str, Any] = self.spec["paths"][path][method.lower()]
        return operation

    def operation_by_id(self, operation_id: str) -> tuple[str, str]:
        """(path template, method) of the operation with this `operationId`."""
        for path, item in self.spec["paths"].items():
            for method, operation in item.items():
                if isinstance(operation, Mapping) and operation.get("operationId") == operation_id:
                    return path, method
        raise KeyError(f"no operation {operation_id!r}")

    def response(self, path: str, method: str, status: int) -> Mapping[str, Any]:
        """The response object for a status: exact code, then `4XX`-style range, then default."""
        responses = self.operation(path, method)["responses"]
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                found: Mapping[str, Any] = resolve(self.spec, responses[key])
                return found
        raise KeyError(f"{method.upper()} {path} documents no response for {status}")

    def response_schema(
        self, path: str, method: str, status: int, media_type: str = "application/json"
    ) -> Any:
        content = self.response(path, method, status).get("content", {})
        if media_type not in content:
            raise KeyError(f"{method.upper()} {path} {status} has no {media_type} content")
        return content[media_type]["schema"]

    def response_validator(
        self, path: str, method: str, status: int, media_type: str = "application/json"
    ) -> Any:
        """A validator for the body of a response with this status."""
        return self.validator(self.response_schema(path, method, status, media_type))


def error_messages(validator: Any, instance: Any) -> list[str]:
    """Every validation error, as `path: message`, sorted (empty when the instance is valid)."""
    errors: Iterator[Any] = validator.iter_errors(instance)
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors)


def assert_valid(validator: Any, instance: Any) -> None:
    """Fail with every validation error listed."""
    messages = error_messages(validator, instance)
    assert not messages, "\n".join(messages)
