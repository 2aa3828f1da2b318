"""One model of the spec, for every tool that reads it: the codegen step, the stand-in, the
breaking-change guard and the contract tests.

``load()`` reads ``openapi/ocp.yaml`` (or any OpenAPI 3.0 document) into a :class:`Spec`: the
operations with their parameters, request bodies and the shape of their answers (an OCP page, an
object, a list, a scalar or no ``data``), the named object schemas (models) and the enums, each
property with its type, integer range and Python name. ``$ref`` resolution and ``allOf`` merging
live here and nowhere else.

What this module cannot represent faithfully it refuses with a :class:`SpecError` naming the
operation or schema and the reason, so that no tool serves a part of the spec silently.
"""

from __future__ import annotations

import datetime
import functools
import keyword
import math
import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = [
    "HTTP_METHODS",
    "AnyType",
    "ArrayType",
    "BooleanType",
    "DateTimeType",
    "DateType",
    "EnumType",
    "Filter",
    "IntegerType",
    "MapType",
    "Model",
    "ModelType",
    "NumberType",
    "Operation",
    "Parameter",
    "Property",
    "RequestBody",
    "Result",
    "Spec",
    "SpecError",
    "StringType",
    "Type",
    "integer_range",
    "is_ocp_date_time",
    "load",
    "pascal",
    "path_resource",
    "resolve",
    "resource_property",
    "snake",
]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "openapi" / "ocp.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
INTEGER_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
ENVELOPE = "ResponseEnvelope"
PAGE = "Page"
PAGE_INFO = "PageInfo"
SCHEMAS_PREFIX = "#/components/schemas/"
JSON = "application/json"
TEXT = "text/plain"
# On a response: its JSON body is the data itself, not an OCP envelope (``false`` only).
BARE_EXTENSION = "x-ocp-envelope"
# Methods that mean the same when sent twice and change nothing: retried by default. Others
# only when the spec says so (`x-ocp-idempotent: true`).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Names the generated models and functions use for themselves.
RESERVED_PROPERTY_NAMES = frozenset(
    {"additional_properties", "from_dict", "to_dict", "dump", "parse_detailed"}
)
RESERVED_ARGUMENTS = frozenset(
    {"client", "timeout", "deadline", "max_retries", "concurrency", "walk_retry", "body"}
)


class SpecError(Exception):
    """The spec says something the tools cannot serve fully; the message says where and why."""


# --- names -------------------------------------------------------------------------------------


def snake(name: str) -> str:
    """``taskId`` -> ``task_id``, ``SQLState`` -> ``sql_state``, ``class`` -> ``class_``."""
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words)
    result = re.sub(r"[^0-9a-zA-Z]+", "_", words).strip("_").lower()
    if not result or result[0].isdigit():
        result = f"_{result}"
    return f"{result}_" if keyword.iskeyword(result) or result in ("self", "cls") else result


def pascal(name: str) -> str:
    """``listDataBackupTasks`` -> ``ListDataBackupTasks``, ``page_info`` -> ``PageInfo``."""
    parts = re.split(r"[^0-9a-zA-Z]+", name)
    return "".join(part[:1].upper() + part[1:] for part in parts if part)


def _collection_item(path: str, name: str) -> str | None:
    """The item a path parameter ``id`` right after a collection segment names
    (``/clusters/{id}`` -> ``cluster``, ``/policies/{id}`` -> ``policy``); None for any other
    parameter, and for an ``id`` after another placeholder or none."""
    segments = path.split("/")
    placeholder = "{" + name + "}"
    if name != "id" or placeholder not in segments:
        return None
    collection = segments[segments.index(placeholder) - 1]
    if not collection or collection.startswith("{"):
        return None
    if collection.endswith("ies"):
        return collection[:-3] + "y"
    return collection[:-1] if collection.endswith("s") else collection


def path_resource(path: str, name: str) -> str:
    """What a path parameter names: ``id`` after a collection segment an item of it
    (``/clusters/{id}`` -> ``cluster``), ``<x>Id`` an ``x`` (``tenantId`` -> ``tenant``), any
    other name itself."""
    return _collection_item(path, name) or name.removesuffix("Id") or name


def resource_property(path: str, name: str) -> str:
    """The item property a path parameter stands for: ``id`` after a collection segment is
    the id of that collection's item as other objects name it (``/clusters/{id}`` ->
    ``clusterId``, never the item's own ``id``); any other name is that property itself."""
    item = _collection_item(path, name)
    return name if item is None else item + "Id"


# --- types -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntegerType:
    lower: int | None = None
    upper: int | None = None
    format: str | None = None


@dataclass(frozen=True)
class NumberType:
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class StringType:
    pattern: str | None = None
    min_length: int = 0  # in characters (Unicode code points), as JSON Schema counts
    max_length: int | None = None


@dataclass(frozen=True)
class BooleanType:
    pass


@dataclass(frozen=True)
class DateTimeType:
    pattern: str | None = None


@dataclass(frozen=True)
class DateType:
    pass


@dataclass(frozen=True)
class EnumType:
    """A named set of values; ``open`` (a string that may be any, with known values) when the
    schema is ``anyOf: [<enum>, {type: string}]``, closed when it is the enum itself."""

    name: str
    open: bool


@dataclass(frozen=True)
class ArrayType:
    items: Type


@dataclass(frozen=True)
class MapType:
    values: Type


@dataclass(frozen=True)
class ModelType:
    name: str


@dataclass(frozen=True)
class AnyType:
    pass


Type = (
    IntegerType
    | NumberType
    | StringType
    | BooleanType
    | DateTimeType
    | DateType
    | EnumType
    | ArrayType
    | MapType
    | ModelType
    | AnyType
)

SCALARS = (IntegerType, NumberType, StringType, BooleanType, DateTimeType, DateType, EnumType)


def integer_range(schema: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The inclusive bounds of an integer schema (None where unbounded), from its format and its
    minimum and maximum, exclusive as OpenAPI 3.0 (a boolean beside the bound) or 3.1 (the bound
    itself) says."""
    lower, upper = INTEGER_FORMATS.get(schema.get("format", ""), (None, None))
    lowers: list[int] = []
    uppers: list[int] = []
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    exclusive_minimum = schema.get("exclusiveMinimum")
    exclusive_maximum = schema.get("exclusiveMaximum")
    if minimum is not None:
        lowers.append(math.floor(minimum) + 1 if exclusive_minimum is True else math.ceil(minimum))
    if maximum is not None:
        uppers.append(math.ceil(maximum) - 1 if exclusive_maximum is True else math.floor(maximum))
    if isinstance(exclusive_minimum, int | float) and not isinstance(exclusive_minimum, bool):
        lowers.append(math.floor(exclusive_minimum) + 1)
    if isinstance(exclusive_maximum, int | float) and not isinstance(exclusive_maximum, bool):
        uppers.append(math.ceil(exclusive_maximum) - 1)
    for bound in lowers:
        lower = bound if lower is None else max(lower, bound)
    for bound in uppers:
        upper = bound if upper is None else min(upper, bound)
    return lower, upper


# Validation keywords that no kind of the SDK's runtime checks: a schema that says one would be
# read less strictly than it is written (the contract tests hold the models to the schemas).
UNCHECKED_KEYWORDS = frozenset(
    {
        "const",
        "maxItems",
        "maxProperties",
        "minItems",
        "minProperties",
        "multipleOf",
        "not",
        "uniqueItems",
    }
)
# The patterns a date-time may carry: is_ocp_date_time's rule as a JSON Schema pattern (what
# OCP writes), and the same with the extended offset only (what a request must send, which the
# SDK always writes).
DATE_TIME_PATTERNS = frozenset(
    {
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$",
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$",
    }
)

# The spelling of an OCP time, the spec's decision on `format: date-time` (`info.description`;
# `x-ocp-decision` on ResponseEnvelope.timestamp): RFC 3339, or the same with the basic offset
# `±HHMM` of OCP's entity times (`2021-09-16T17:25:05.943+0800`); 0 to 9 fraction digits, always
# an offset, a real calendar date and clock time. The stand-in and the contract tests check with
# it; the SDK reads times with its own parse_datetime (ocp_client/_validation.py: the package
# stands alone), which tests/test_validation.py holds to this rule.
_OCP_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?(\d{2}))", re.ASCII
)


def is_ocp_date_time(instance: object) -> bool:
    """Whether a value is an OCP time (above); a format constrains strings only, so any other
    value passes (`type` refuses it)."""
    if not isinstance(instance, str):
        return True
    match = _OCP_DATE_TIME.fullmatch(instance)
    # fromisoformat reads offset minutes of 60 or more as more hours (`+0860` is +09:00).
    if match is None or (match.group(3) is not None and int(match.group(3)) > 59):
        return False
    try:
        datetime.datetime.fromisoformat(instance)
    except ValueError:  # 2021-02-30, 25:00, an offset of 24 hours or more
        return False
    return True


# --- schemas and operations --------------------------------------------------------------------


@dataclass(frozen=True)
class Property:
    json_name: str
    py_name: str
    type: Type
    required: bool
    description: str
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class Model:
    """A named object schema: one generated class."""

    name: str
    module: str
    description: str
    properties: tuple[Property, ...]
    # Properties the spec does not name are kept (True) or refused (False).
    additional: bool
    # The property that identifies an item of a list (`x-ocp-item-id`), if any.
    item_id: Property | None
    schema: Mapping[str, Any]

    def property(self, json_name: str) -> Property:
        for prop in self.properties:
            if prop.json_name == json_name:
                return prop
        raise KeyError(json_name)


@dataclass(frozen=True)
class Enum:
    name: str
    module: str
    description: str
    values: tuple[str | int, ...]
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class Filter:
    """`x-ocp-filter`: the item property a query parameter filters, and how; on a path
    parameter, the item property its value selects (op `eq`), where that is not the one
    :func:`resource_property` reads from the path."""

    property: str
    op: Literal["eq", "ge", "le"]


@dataclass(frozen=True)
class Parameter:
    name: str
    py_name: str
    location: Literal["path", "query"]
    type: Type
    required: bool
    default: Any
    description: str
    filter: Filter | None
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class RequestBody:
    type: ModelType
    required: bool
    description: str
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Result:
    """What a successful answer holds.

    ``framing`` says where the data is: ``envelope`` (OCP's envelope, the data in ``data``),
    ``json`` (the JSON body is the data; the response says ``x-ocp-envelope: false``) or
    ``text`` (a ``text/plain`` body is the data, a string).
    ``shape`` is ``page`` (an OCP page: ``data.contents`` + ``data.page``; ``item`` is the type of
    the contents), ``object``, ``list``, ``scalar`` or ``none`` (no data)."""

    shape: Literal["page", "object", "list", "scalar", "none"]
    data: Type | None
    item: Type | None
    item_id: Property | None
    status: str
    description: str
    media: Mapping[str, Any] | None
    framing: Literal["envelope", "json", "text"] = "envelope"

    @property
    def media_type(self) -> str | None:
        """The answer's Content-Type (None for an answer without a body)."""
        if self.media is None:
            return None
        return TEXT if self.framing == "text" else JSON


@dataclass(frozen=True)
class Operation:
    id: str
    module: str
    tag: str
    method: str  # upper case
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    result: Result
    periods: tuple[tuple[Parameter, Parameter], ...]
    # Sending it twice means the same as sending it once: retried on any retryable failure.
    idempotent: bool
    raw: Mapping[str, Any]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def parameter(self, name: str, location: str | None = None) -> Parameter | None:
        for parameter in self.parameters:
            if parameter.name == name and location in (None, parameter.location):
                return parameter
        return None


# --- the document ------------------------------------------------------------------------------


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (``#/components/...``) until a node that is not a reference."""
    for _ in range(32):
        if not (isinstance(node, Mapping) and "$ref" in node):
            return node
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            raise SpecError(f"only local references are supported, not {ref!r}")
        node = document
        try:
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        except (KeyError, TypeError):
            raise SpecError(f"unresolvable reference {ref!r}") from None
    raise SpecError("reference chain too long (a cycle of $refs?)")


def _ref_name(node: Any) -> str | None:
    """The schema name of a ``#/components/schemas/<name>`` reference, else None."""
    if isinstance(node, Mapping) and str(node.get("$ref", "")).startswith(SCHEMAS_PREFIX):
        return str(node["$ref"])[len(SCHEMAS_PREFIX) :]
    return None


_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated"})


def _is_trivial(schema: Mapping[str, Any]) -> bool:
    """A schema that constrains nothing (``{}``, or only annotations)."""
    return all(key in _ANNOTATIONS or key.startswith("x-") for key in schema)


class Spec:
    """The spec, read once: ``operations``, ``models`` and ``enums`` by name, and the raw
    ``document`` with helpers for tools that need a part this model does not interpret."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.models: dict[str, Model] = {}
        self.enums: dict[str, Enum] = {}
        self._building: set[str] = set()
        schemas = document.get("components", {}).get("schemas", {})
        self.operations: list[Operation] = []
        for path, raw_item in document.get("paths", {}).items():
            item = self.resolve(raw_item)
            for method in HTTP_METHODS:
                if method in item:
                    self.operations.append(self._operation(path, method, item))
        # Every named schema is part of the API, whether an operation uses it yet or not.
        for name in schemas:
            self._named_type(name, f"components.schemas.{name}")
        self.operations.sort(key=lambda op: (op.tag, op.module))
        self._check_unique_names()

    # --- raw access ---------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        return resolve(self.document, node)

    def flatten(self, schema: Any, where: str = "") -> dict[str, Any]:
        """An object schema with its ``allOf`` parts merged into one: ``properties`` (a property
        named by several parts merged the same way, as ``allOf``), ``required``, and the other
        keywords (the last part wins)."""
        schema = self.resolve(schema)
        merged: dict[str, Any] = {"properties": {}, "required": []}
        parts = [self.flatten(part, where) for part in schema.get("allOf", [])]
        own = {key: value for key, value in schema.items() if key != "allOf"}
        for part in [*parts, own]:
            for key, value in part.items():
                if key == "properties":
                    for name, sub in value.items():
                        if name in merged["properties"]:
                            merged["properties"][name] = {
                                "allOf": [merged["properties"][name], sub]
                            }
                        else:
                            merged["properties"][name] = sub
                elif key == "required":
                    merged["required"].extend(r for r in value if r not in merged["required"])
                else:
                    merged[key] = value
        return merged

    def examples(self, media: Mapping[str, Any]) -> list[Any]:
        """The example values of a media type object, in the order the spec gives them."""
        values: list[Any] = []
        if "example" in media:
            values.append(media["example"])
        for example in media.get("examples", {}).values():
            resolved = self.resolve(example)
            if "value" in resolved:
                values.append(resolved["value"])
        return values

    # --- types ---------------------------------------------------------------------------------

    def type_of(self, schema: Any, where: str, name_hint: str) -> Type:
        """The type of a schema; ``where`` names it in errors, ``name_hint`` names an inline
        object or enum that becomes a class."""
        named = _ref_name(schema)
        if named is not None:
            return self._named_type(named, where)
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping):
            raise SpecError(f"{where}: not a schema: {schema!r}")
        if schema.get("nullable") is True:
            raise SpecError(
                f"{where}: `nullable` is not supported: OCP omits null fields, so the spec "
                "marks them optional instead"
            )
        unchecked = sorted(UNCHECKED_KEYWORDS.intersection(schema))
        if unchecked:
            raise SpecError(
                f"{where}: {', '.join(unchecked)}: the SDK's models do not check "
                f"{'this keyword' if len(unchecked) == 1 else 'these keywords'}, so they would "
                "accept what the spec refuses"
            )
        for union in ("anyOf", "oneOf"):
            if union in schema:
                return self._union(schema[union], where)
        if "allOf" in schema:
            parts = [part for part in schema["allOf"] if not _is_trivial(self.resolve(part))]
            own = {k: v for k, v in schema.items() if k != "allOf" and k not in _ANNOTATIONS}
            own = {k: v for k, v in own.items() if not k.startswith("x-")}
            if len(parts) == 1 and not own:
                return self.type_of(parts[0], where, name_hint)
            if len(parts) == 0 and not own:
                return AnyType()
            flat = self.flatten(schema, where)
            if flat.get("type", "object") == "object":
                return self._inline_model(flat, where, name_hint)
            if flat.get("type") == "array":
                items = flat.get("items", {})
                return ArrayType(self.type_of(items, f"{where}.items", f"{name_hint}Item"))
            raise SpecError(f"{where}: cannot combine these allOf parts into one type")
        kind = schema.get("type")
        if kind is None:
            if "properties" in schema:
                kind = "object"
            elif _is_trivial(schema):
                return AnyType()
            else:
                raise SpecError(f"{where}: a schema without `type` must constrain nothing")
        if "enum" in schema:
            return self._inline_enum(schema, where, name_hint)
        if kind == "integer":
            lower, upper = integer_range(schema)
            return IntegerType(lower, upper, schema.get("format"))
        if kind == "number":
            return NumberType(schema.get("minimum"), schema.get("maximum"))
        if kind == "boolean":
            return BooleanType()
        if kind == "string":
            fmt = schema.get("format")
            lengths = [schema.get(key) for key in ("minLength", "maxLength")]
            if any(n is not None and (type(n) is not int or n < 0) for n in lengths):
                raise SpecError(f"{where}: minLength and maxLength must be integers of at least 0")
            if fmt is not None and lengths != [None, None]:
                raise SpecError(f"{where}: minLength and maxLength go on plain strings only")
            pattern = schema.get("pattern")
            if pattern is not None and not isinstance(pattern, str):
                raise SpecError(f"{where}: a pattern is a regular expression, not {pattern!r}")
            if fmt == "date-time":
                if pattern is not None and pattern not in DATE_TIME_PATTERNS:
                    raise SpecError(
                        f"{where}: the SDK reads times as OCP writes them (is_ocp_date_time):"
                        f" a date-time's pattern must be one that says so, not {pattern!r}"
                    )
                return DateTimeType(pattern)
            if fmt is not None and pattern is not None:
                raise SpecError(f"{where}: a pattern goes on a plain string or a date-time only")
            if pattern is not None:
                try:
                    re.compile(pattern, re.ASCII)
                except re.error as error:
                    raise SpecError(f"{where}: pattern {pattern!r}: {error}") from None
            if fmt == "date":
                return DateType()
            if fmt in ("binary", "byte"):
                raise SpecError(f"{where}: string format {fmt!r} is not supported")
            return StringType(pattern, lengths[0] or 0, lengths[1])
        if kind == "array":
            if "items" not in schema:
                raise SpecError(f"{where}: an array needs `items`")
            items = schema["items"]
            return ArrayType(self.type_of(items, f"{where}.items", f"{name_hint}Item"))
        if kind == "object":
            additional = schema.get("additionalProperties", True)
            if not schema.get("properties") and isinstance(additional, Mapping):
                if _is_trivial(additional):
                    return MapType(AnyType())
                return MapType(self.type_of(additional, f"{where}.*", f"{name_hint}Value"))
            if not schema.get("properties") and _is_trivial(schema):
                return MapType(AnyType())
            return self._inline_model(self.flatten(schema, where), where, name_hint)
        raise SpecError(f"{where}: unknown type {kind!r}")

    def _union(self, branches: list[Any], where: str) -> Type:
        """Only the open enum is supported: ``anyOf: [<string enum>, {type: string}]``."""
        if len(branches) == 2:
            enum_name = _ref_name(branches[0])
            other = self.resolve(branches[1])
            if (
                enum_name is not None
                and isinstance(other, Mapping)
                and other.get("type") == "string"
                and set(other) <= {"type", "description"}
            ):
                named = self._named_type(enum_name, where)
                if isinstance(named, EnumType) and all(
                    isinstance(v, str) for v in self.enums[named.name].values
                ):
                    return EnumType(named.name, open=True)
        raise SpecError(
            f"{where}: the only union supported is an open string enum, "
            "anyOf: [{$ref: <string enum>}, {type: string}]"
        )

    def _named_type(self, name: str, where: str) -> Type:
        schemas = self.document.get("components", {}).get("schemas", {})
        if name not in schemas:
            raise SpecError(f"{where}: no schema named {name!r}")
        schema = self.resolve(schemas[name])
        if "enum" in schema:
            if name not in self.enums:
                self._add_enum(name, schema, f"components.schemas.{name}")
            return EnumType(name, open=False)
        is_object = schema.get("type") == "object" or "properties" in schema or "allOf" in schema
        if is_object and not (schema.get("type") == "object" and not schema.get("properties")):
            if name not in self.models and name not in self._building:
                self._add_model(name, self.flatten(schema), f"components.schemas.{name}")
            return ModelType(name)
        return self.type_of(schema, f"components.schemas.{name}", name)

    def _inline_enum(self, schema: Mapping[str, Any], where: str, name_hint: str) -> EnumType:
        name = pascal(name_hint)
        existing = self.enums.get(name)
        if existing is not None and existing.schema is not schema:
            raise SpecError(f"{where}: an inline enum would be named {name}, which is taken")
        if existing is None:
            self._add_enum(name, schema, where)
        return EnumType(name, open=False)

    def _add_enum(self, name: str, schema: Mapping[str, Any], where: str) -> None:
        values = tuple(schema["enum"])
        kinds = {type(value) for value in values}
        if not values or not (kinds == {str} or kinds == {int}):
            raise SpecError(f"{where}: an enum must list strings only, or integers only")
        self.enums[name] = Enum(
            name, snake(name), str(schema.get("description", "")).strip(), values, schema
        )

    def _inline_model(self, flat: Mapping[str, Any], where: str, name_hint: str) -> ModelType:
        name = pascal(name_hint)
        if name in self.models or name in self._building:
            existing = self.models.get(name)
            if existing is None or existing.schema != flat:
                raise SpecError(f"{where}: an inline object would be named {name}, which is taken")
            return ModelType(name)
        self._add_model(name, flat, where)
        return ModelType(name)

    def _add_model(self, name: str, flat: Mapping[str, Any], where: str) -> None:
        self._building.add(name)
        try:
            required = set(flat.get("required", []))
            properties: list[Property] = []
            py_names: dict[str, str] = {}
            for json_name, sub in flat.get("properties", {}).items():
                py_name = snake(json_name)
                if py_name in RESERVED_PROPERTY_NAMES:
                    raise SpecError(f"{where}.{json_name}: the Python name {py_name} is reserved")
                if py_name in py_names:
                    raise SpecError(
                        f"{where}: {json_name} and {py_names[py_name]} both become {py_name}"
                    )
                py_names[py_name] = json_name
                resolved = self.resolve(sub)
                properties.append(
                    Property(
                        json_name=json_name,
                        py_name=py_name,
                        type=self.type_of(
                            sub, f"{where}.{json_name}", f"{name}{pascal(json_name)}"
                        ),
                        required=json_name in required,
                        description=str(resolved.get("description", "")).strip(),
                        schema=resolved,
                    )
                )
            unknown = required - set(flat.get("properties", {}))
            if unknown:
                raise SpecError(f"{where}: required names no property: {sorted(unknown)}")
            additional = flat.get("additionalProperties", True)
            if isinstance(additional, Mapping) and not _is_trivial(additional):
                raise SpecError(f"{where}: typed additionalProperties beside properties")
            item_id = None
            id_name = flat.get("x-ocp-item-id")
            if id_name is not None:
                matches = [p for p in properties if p.json_name == id_name]
                if not matches or not matches[0].required:
                    raise SpecError(
                        f"{where}: x-ocp-item-id {id_name!r} is not a required property"
                    )
                if not isinstance(matches[0].type, IntegerType | StringType):
                    raise SpecError(f"{where}: x-ocp-item-id {id_name!r} must be integer or string")
                item_id = matches[0]
            self.models[name] = Model(
                name=name,
                module=snake(name),
                description=str(flat.get("description", "")).strip(),
                properties=tuple(properties),
                additional=additional is not False,
                item_id=item_id,
                schema=flat,
            )
        finally:
            self._building.discard(name)

    # --- operations ----------------------------------------------------------------------------

    def _operation(self, path: str, method: str, item: Mapping[str, Any]) -> Operation:
        raw = item[method]
        where = f"{method.upper()} {path}"
        op_id = raw.get("operationId")
        if not op_id:
            raise SpecError(f"{where}: every operation needs an operationId (its function name)")
        where = f"{where} ({op_id})"
        try:
            return self._read_operation(path, method, item, where, str(op_id))
        except SpecError as error:
            # A schema the operation uses is named by its own place (components.schemas.X):
            # say which operation reached it too, so that the message leads to what to change.
            if str(error).startswith(where):
                raise
            raise SpecError(f"{where}: {error}") from None

    def _read_operation(
        self, path: str, method: str, item: Mapping[str, Any], where: str, op_id: str
    ) -> Operation:
        raw = item[method]
        tags = raw.get("tags") or []
        if not tags:
            raise SpecError(f"{where}: every operation needs a tag (its module group)")
        declared = [self.resolve(p) for p in item.get("parameters", [])]
        own = [self.resolve(p) for p in raw.get("parameters", [])]
        keys = {(p["name"], p["in"]) for p in own}
        raw_parameters = [*[p for p in declared if (p["name"], p["in"]) not in keys], *own]
        parameters = tuple(self._parameter(path, p, where, op_id) for p in raw_parameters)
        seen: dict[str, str] = {}
        for parameter in parameters:
            if parameter.py_name in seen or parameter.py_name in RESERVED_ARGUMENTS:
                raise SpecError(
                    f"{where}: parameter {parameter.name} would be the argument "
                    f"{parameter.py_name}, which is taken"
                )
            seen[parameter.py_name] = parameter.name
        placeholders = set(re.findall(r"\{([^{}/]+)\}", path))
        path_names = {p.name for p in parameters if p.location == "path"}
        if placeholders != path_names:
            raise SpecError(f"{where}: path placeholders {sorted(placeholders)} vs path parameters")
        body = self._body(raw.get("requestBody"), where, op_id)
        result = self._result(raw, where, op_id)
        if result.shape == "page":
            for name in ("page", "size"):
                found = next((p for p in parameters if p.name == name), None)
                if found is None or found.location != "query":
                    raise SpecError(f"{where}: a paginated answer needs the query parameter {name}")
                if not isinstance(found.type, IntegerType):
                    raise SpecError(f"{where}: the parameter {name} must be an integer")
        periods = self._periods(parameters, where)
        extension = raw.get("x-ocp-idempotent")
        if extension is not None and not isinstance(extension, bool):
            raise SpecError(f"{where}: x-ocp-idempotent must be true or false, not {extension!r}")
        idempotent = method.upper() in SAFE_METHODS if extension is None else extension
        return Operation(
            id=op_id,
            module=snake(op_id),
            tag=snake(str(tags[0])),
            method=method.upper(),
            path=path,
            summary=str(raw.get("summary", op_id)).strip(),
            description=str(raw.get("description", "")).strip(),
            parameters=parameters,
            body=body,
            result=result,
            periods=periods,
            idempotent=idempotent,
            raw=raw,
        )

    def _parameter(self, path: str, raw: Mapping[str, Any], where: str, op_id: str) -> Parameter:
        name, location = str(raw["name"]), raw.get("in")
        where = f"{where} parameter {name}"
        if location not in ("path", "query"):
            raise SpecError(f"{where}: parameters in {location} are not supported")
        if "content" in raw or raw.get(
            "style", "form" if location == "query" else "simple"
        ) not in (
            "form",
            "simple",
        ):
            raise SpecError(f"{where}: only the default style is supported")
        if raw.get("explode", True) is not True:
            raise SpecError(f"{where}: only explode: true is supported")
        schema = self.resolve(raw.get("schema", {}))
        kind = self.type_of(raw.get("schema", {}), where, f"{op_id}{pascal(name)}")
        if isinstance(kind, ModelType | MapType | AnyType) or (
            isinstance(kind, ArrayType) and not isinstance(kind.items, SCALARS)
        ):
            raise SpecError(f"{where}: only scalars and arrays of scalars are supported")
        if location == "path" and not isinstance(kind, SCALARS):
            raise SpecError(f"{where}: a path parameter must be a scalar")
        flt = raw.get("x-ocp-filter")
        filter_ = None
        if flt is not None:
            if (
                not isinstance(flt, Mapping)
                or "property" not in flt
                or flt.get("op") not in ("eq", "ge", "le")
            ):
                raise SpecError(f"{where}: x-ocp-filter needs a property and op eq, ge or le")
            if location == "path" and flt["op"] != "eq":
                raise SpecError(f"{where}: x-ocp-filter on a path parameter takes op eq only")
            filter_ = Filter(str(flt["property"]), flt["op"])
        return Parameter(
            name=name,
            py_name=self._argument_name(path, name, location),
            location=location,
            type=kind,
            required=bool(raw.get("required", location == "path")),
            default=schema.get("default"),
            description=str(raw.get("description", "")).strip(),
            filter=filter_,
            raw=raw,
        )

    @staticmethod
    def _argument_name(path: str, name: str, location: str) -> str:
        """A path parameter is named after the item property it stands for (``/clusters/{id}``
        -> ``cluster_id``, see :func:`resource_property`); every other name is the snake_case of
        the spec's."""
        return snake(resource_property(path, name) if location == "path" else name)

    def _body(self, raw: Any, where: str, op_id: str) -> RequestBody | None:
        if raw is None:
            return None
        body = self.resolve(raw)
        content = body.get("content", {})
        if set(content) != {JSON}:
            raise SpecError(f"{where}: a request body must be {JSON} only")
        kind = self.type_of(content[JSON].get("schema", {}), f"{where} body", f"{op_id}Request")
        if not isinstance(kind, ModelType):
            raise SpecError(f"{where}: a request body must be a JSON object")
        return RequestBody(
            kind, bool(body.get("required", False)), str(body.get("description", "")).strip(), body
        )

    def _result(self, raw: Mapping[str, Any], where: str, op_id: str) -> Result:
        responses = raw.get("responses", {})
        success = sorted(code for code in map(str, responses) if code.startswith("2"))
        if not success:
            raise SpecError(f"{where}: no 2xx response")
        status = success[0]
        response = self.resolve(responses[status])
        description = str(response.get("description", "")).strip()
        content = response.get("content")
        bare = response.get(BARE_EXTENSION)
        if bare not in (None, False):
            raise SpecError(f"{where}: {BARE_EXTENSION} may only be false, not {bare!r}")
        if not content:
            return Result("none", None, None, None, status, description, None)
        if set(content) == {TEXT}:
            return self._text_result(content[TEXT], status, description, f"{where} {status}", op_id)
        if set(content) != {JSON}:
            raise SpecError(
                f"{where}: a {status} answer must be {JSON} or {TEXT}, and only one of them,"
                f" not {sorted(content)}"
            )
        media = content[JSON]
        schema = media.get("schema", {})
        envelope = self._envelope_parts(schema)
        if envelope is None:
            if bare is None:
                raise SpecError(
                    f"{where}: a {status} answer must be an OCP envelope "
                    f"(allOf: [{{$ref: '{SCHEMAS_PREFIX}{ENVELOPE}'}}, ...]), or say"
                    f" {BARE_EXTENSION}: false when its body is the data itself"
                )
            return self._bare_result(schema, media, status, description, f"{where} {status}", op_id)
        if bare is False:
            raise SpecError(f"{where}: {BARE_EXTENSION}: false on an answer that is an envelope")
        flat = self.flatten({"allOf": envelope})
        if "data" not in flat["properties"]:
            return Result("none", None, None, None, status, description, media)
        data_schema = flat["properties"]["data"]
        data_where = f"{where} {status} data"
        if self._composes(data_schema, PAGE):
            page = self.flatten(data_schema)
            contents = page["properties"]["contents"]
            item_schema = self.flatten({"allOf": [contents]}).get("items", {})
            if isinstance(contents, Mapping) and "allOf" in contents:
                items = [
                    self.resolve(part).get("items", {})
                    for part in contents["allOf"]
                    if "items" in self.resolve(part)
                ]
                meaningful = [i for i in items if not _is_trivial(self.resolve(i))]
                item_schema = meaningful[-1] if meaningful else {}
            item = self.type_of(item_schema, f"{data_where}.contents.items", f"{op_id}Item")
            if _is_trivial(self.resolve(item_schema)):
                raise SpecError(f"{data_where}: a page must say the type of contents.items")
            item_id = None
            if isinstance(item, ModelType):
                item_id = self.models[item.name].item_id
            return Result("page", None, item, item_id, status, description, media)
        data = self.type_of(data_schema, data_where, f"{op_id}Data")
        return Result(self._shape(data, data_where), data, None, None, status, description, media)

    def _bare_result(
        self,
        schema: Any,
        media: Mapping[str, Any],
        status: str,
        description: str,
        where: str,
        op_id: str,
    ) -> Result:
        """An answer whose JSON body is the data itself (OCP's ``/api/v2/info``)."""
        if self._composes(schema, PAGE):
            raise SpecError(f"{where}: a page is always inside an OCP envelope")
        if _is_trivial(self.resolve(schema)):
            raise SpecError(f"{where}: an answer without an envelope needs a schema")
        data = self.type_of(schema, where, f"{op_id}Data")
        shape = self._shape(data, where)
        return Result(shape, data, None, None, status, description, media, framing="json")

    def _text_result(
        self, media: Mapping[str, Any], status: str, description: str, where: str, op_id: str
    ) -> Result:
        """A ``text/plain`` answer: its text is the data, read as the schema's string type."""
        data = self.type_of(media.get("schema", {}), where, f"{op_id}Data")
        if not isinstance(data, StringType | DateTimeType | DateType) and not (
            isinstance(data, EnumType)
            and all(isinstance(value, str) for value in self.enums[data.name].values)
        ):
            raise SpecError(f"{where}: a {TEXT} answer must be a string (of any format)")
        return Result("scalar", data, None, None, status, description, media, framing="text")

    @staticmethod
    def _shape(data: Type, where: str) -> Literal["object", "list", "scalar"]:
        if isinstance(data, ModelType | MapType):
            return "object"
        if isinstance(data, ArrayType):
            return "list"
        if isinstance(data, AnyType):
            raise SpecError(f"{where}: data needs a type")
        return "scalar"

    def _envelope_parts(self, schema: Any) -> list[Any] | None:
        """The allOf parts of an envelope schema (following named schemas), else None."""
        resolved = self.resolve(schema)
        if _ref_name(schema) == ENVELOPE:
            return [schema]
        parts = resolved.get("allOf") if isinstance(resolved, Mapping) else None
        if not parts:
            return None
        if any(_ref_name(part) == ENVELOPE for part in parts):
            return list(parts)
        return None

    def _composes(self, schema: Any, name: str) -> bool:
        """Whether a schema is, or is an allOf with, the named schema."""
        if _ref_name(schema) == name:
            return True
        resolved = self.resolve(schema)
        return isinstance(resolved, Mapping) and any(
            self._composes(part, name) for part in resolved.get("allOf", [])
        )

    @staticmethod
    def _periods(
        parameters: tuple[Parameter, ...], where: str
    ) -> tuple[tuple[Parameter, Parameter], ...]:
        periods = []
        for start in parameters:
            if start.filter is None or start.filter.op != "ge":
                continue
            for end in parameters:
                flt = end.filter
                if flt is not None and flt.op == "le" and flt.property == start.filter.property:
                    if type(start.type) is not type(end.type):
                        raise SpecError(f"{where}: {start.name} and {end.name} differ in type")
                    periods.append((start, end))
        return tuple(periods)

    def _check_unique_names(self) -> None:
        modules: dict[str, str] = {}
        for name in [*self.models, *self.enums]:
            module = snake(name)
            if module in modules:
                raise SpecError(f"schemas {modules[module]} and {name} both become {module}.py")
            modules[module] = name
        functions: dict[tuple[str, str], str] = {}
        for op in self.operations:
            key = (op.tag, op.module)
            if key in functions:
                raise SpecError(
                    f"{op.id} and {functions[key]} both become api/{op.tag}/{op.module}"
                )
            functions[key] = op.id

    # --- queries -------------------------------------------------------------------------------

    def operation(self, op_id: str) -> Operation:
        for op in self.operations:
            if op.id == op_id:
                return op
        raise KeyError(op_id)

    @property
    def tags(self) -> dict[str, list[Operation]]:
        grouped: dict[str, list[Operation]] = {}
        for op in self.operations:
            grouped.setdefault(op.tag, []).append(op)
        return grouped


# libyaml's loader when PyYAML has it: the pure-Python one takes seconds on a spec of a few
# hundred operations (3.2 s of the 6.6 s codegen of a 200-operation spec), for the same document.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """A YAML text's value, as ``yaml.safe_load`` reads it, with libyaml when there is one: the
    one way every tool and test reads the spec."""
    return yaml.load(text, Loader=_LOADER)


def load_document(path: Path = DEFAULT_SPEC) -> dict[str, Any]:
    """The spec's document at ``path`` (``openapi/ocp.yaml`` by default), a fresh copy that
    the caller may change."""
    stat = path.stat()
    document: dict[str, Any] = pickle.loads(_parsed(path.resolve(), stat.st_mtime_ns, stat.st_size))
    return document


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, mtime_ns: int, size: int) -> bytes:
    # Read once a process while the file is unchanged (tests start many stand-ins, and the YAML
    # takes 100 ms even with libyaml); kept pickled, so that each caller gets its own copy.
    return pickle.dumps(read_yaml(path.read_text(encoding="utf-8")))


def load(path: Path = DEFAULT_SPEC) -> Spec:
    """The spec at ``path`` (``openapi/ocp.yaml`` by default)."""
    return Spec(load_document(path))
