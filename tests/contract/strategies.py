"""Hypothesis strategies for instances of any schema of the spec, derived from the schema itself.

Written here rather than taken from hypothesis-jsonschema: its 0.23.1 (the newest) fails with the
pinned hypothesis (`'many' object has no attribute 'more'`), and it knows nothing of OCP's time
spellings, which are what most needs exercising. This covers the schema constructs the spec may
use (objects with required, optional and unnamed properties, allOf, open enums, enums, arrays,
maps, integer ranges and formats, numbers, strings, dates, date-times, any value) and raises on
anything else, so a new construct cannot go untested. `$ref`s and `allOf` are read with
tools/spec_model.py; a recursive schema stops recursing after a few levels (optional properties
and array items are left out there).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

import spec_model

MAX_DEPTH = 3
_TIMES = st.datetimes(
    min_value=datetime.datetime(1990, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [datetime.UTC, datetime.timezone(datetime.timedelta(hours=8))]
        + [datetime.timezone(datetime.timedelta(hours=h, minutes=m)) for h, m in ((-5, 0), (5, 30))]
    ),
)
# Keywords that constrain nothing a strategy must honour.
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "default"})


def ocp_time_text(moment: datetime.datetime, spelling: int) -> str:
    """One of the spellings OCP sends: basic offset with millis (entities), extended offset
    (envelope), `Z`, or 0-9 fraction digits."""
    offset = moment.strftime("%z")  # +0800
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    millis = f"{moment.microsecond // 1000:03d}"
    if spelling == 0:
        return f"{base}.{millis}{offset}"
    if spelling == 1:
        return f"{base}.{millis}{offset[:3]}:{offset[3:]}"
    if spelling == 2 and moment.utcoffset() == datetime.timedelta(0):
        return f"{base}Z"
    digits = f"{moment.microsecond:06d}000"[: spelling % 10]
    return f"{base}{'.' + digits if digits else ''}{offset}"


def date_time_strings(pattern: str | None = None) -> st.SearchStrategy[str]:
    """OCP's time spellings; only those that match ``pattern`` when there is one."""
    texts = st.builds(ocp_time_text, _TIMES, st.integers(min_value=0, max_value=9))
    if pattern is None:
        return texts
    return texts.filter(re.compile(pattern).search)


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value, small."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=5)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
        ),
        max_leaves=4,
    )


def _unsupported(schema: Mapping[str, Any], keys: set[str]) -> None:
    unknown = {k for k in schema if k not in keys and k not in _ANNOTATIONS and k[:2] != "x-"}
    if unknown:
        raise NotImplementedError(f"no strategy for {sorted(unknown)} in {dict(schema)!r}")


def from_schema(
    spec: spec_model.Spec, schema: Any, *, depth: int = 0, unnamed: bool = True
) -> st.SearchStrategy[Any]:
    """Valid JSON instances of an OpenAPI schema object of ``spec``. ``unnamed``: objects that
    allow properties the spec does not name get some."""
    if isinstance(schema, Mapping) and "$ref" in schema:
        if depth > 10 * MAX_DEPTH:
            raise NotImplementedError(f"a required cycle of $refs through {schema['$ref']}")
        depth += 1
    schema = spec.resolve(schema)
    own = [k for k in schema if k != "allOf" and k not in _ANNOTATIONS and k[:2] != "x-"]
    if len(schema.get("allOf", [])) == 1 and not own:
        # `{description, allOf: [$ref]}` describes one use of a named schema: it nests like the
        # `$ref` itself, so a recursive schema (a cluster's `primaryCluster`) stops recursing.
        return from_schema(spec, schema["allOf"][0], depth=depth, unnamed=unnamed)
    if "allOf" in schema:
        # flatten() gives every schema `properties` and `required`: kept for objects only.
        flat = spec.flatten(schema)
        schema = {k: v for k, v in flat.items() if v or k not in ("properties", "required")}
    if "anyOf" in schema or "oneOf" in schema:
        branches = schema.get("anyOf", schema.get("oneOf"))
        return st.one_of([from_schema(spec, b, depth=depth, unnamed=unnamed) for b in branches])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        return _objects(spec, schema, depth, unnamed)
    if kind == "array":
        _unsupported(schema, {"type", "items"})
        items = from_schema(spec, schema["items"], depth=depth, unnamed=unnamed)
        return st.lists(items, max_size=3 if depth < MAX_DEPTH else 0)
    if kind == "integer":
        _unsupported(
            schema, {"type", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
        )
        lower, upper = spec_model.integer_range(schema)
        return st.integers(min_value=lower, max_value=upper)
    if kind == "number":
        _unsupported(schema, {"type", "format", "minimum", "maximum"})
        low, high = schema.get("minimum"), schema.get("maximum")
        floats = st.floats(low, high, allow_nan=False, allow_infinity=False)
        ints = st.integers(
            None if low is None else int(-(-low // 1)), None if high is None else int(high // 1)
        )
        return floats | ints
    if kind == "boolean":
        _unsupported(schema, {"type"})
        return st.booleans()
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            _unsupported(schema, {"type", "format", "pattern"})
            return date_time_strings(schema.get("pattern"))
        if fmt == "date":
            _unsupported(schema, {"type", "format"})
            return st.dates().map(datetime.date.isoformat)
        _unsupported(schema, {"type", "minLength", "maxLength", "pattern"})
        low = schema.get("minLength", 0)
        high = schema.get("maxLength", max(low, 20))
        if "pattern" not in schema:
            return st.text(min_size=low, max_size=high)
        # As the runtime reads a pattern (ocp_client._kinds.String): searched, ASCII classes.
        matching = st.from_regex(re.compile(schema["pattern"], re.ASCII))
        return matching.filter(lambda text: low <= len(text) <= high)
    if kind is None:
        _unsupported(schema, set())
        return json_values()
    raise NotImplementedError(f"no strategy for schema {dict(schema)!r}")


def _objects(
    spec: spec_model.Spec, schema: Mapping[str, Any], depth: int, unnamed: bool
) -> st.SearchStrategy[dict[str, Any]]:
    _unsupported(schema, {"type", "properties", "required", "additionalProperties"})
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    deep = depth >= MAX_DEPTH

    def sub(node: Any) -> st.SearchStrategy[Any]:
        return from_schema(spec, node, depth=depth, unnamed=unnamed)

    named = st.fixed_dictionaries(
        {name: sub(p) for name, p in properties.items() if name in required},
        optional={} if deep else {n: sub(p) for n, p in properties.items() if n not in required},
    )
    additional = schema.get("additionalProperties", True)
    if additional is False or deep or not (unnamed or not properties):
        return named
    values = json_values() if additional is True or not additional else sub(additional)
    keys = st.text(min_size=1, max_size=8).filter(lambda key: key not in properties)
    extra = st.dictionaries(keys, values, max_size=2)
    return st.tuples(named, extra).map(lambda pair: {**pair[1], **pair[0]})


def examples_per_case(total: int, cases: int, floor: int = 5) -> int:
    """Hypothesis examples for each of ``cases`` parametrized cases, so that a test's whole
    budget stays near ``total`` however many operations and schemas the spec grows to (the
    suite has 90 s on two cores), and each case still gets ``floor``."""
    return max(floor, total // max(cases, 1))
