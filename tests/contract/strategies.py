"""Hypothesis strategies for instances of any schema of the spec, derived from the schema itself.

Written here rather than taken from hypothesis-jsonschema: its 0.23.1 (the newest) fails with the
pinned hypothesis (`'many' object has no attribute 'more'`), and it knows nothing of OCP's time
spellings, which are what most needs exercising. This covers the schema constructs the spec uses
(objects with required/optional properties, allOf, anyOf, enums, arrays, integer bounds and
formats, strings, date-times) and raises on anything else, so a new construct cannot go untested.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from spec_refs import resolve

_INT_BOUNDS = {"int32": 2**31 - 1, "int64": 2**63 - 1}
# Python's int <-> JSON is exact, but other readers lose precision beyond 2**53: keep ids sane
# without losing the large-value cases entirely.
_TIMES = st.datetimes(
    min_value=datetime.datetime(1990, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [datetime.UTC, datetime.timezone(datetime.timedelta(hours=8))]
        + [datetime.timezone(datetime.timedelta(hours=h, minutes=m)) for h, m in ((-5, 0), (5, 30))]
    ),
)


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


def date_time_strings() -> st.SearchStrategy[str]:
    return st.builds(ocp_time_text, _TIMES, st.integers(min_value=0, max_value=9))


def from_schema(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Valid JSON instances of an OpenAPI schema object of ``spec``."""
    schema = resolve(spec, schema)
    if "allOf" in schema:
        parts = [from_schema(spec, part) for part in schema["allOf"]]
        return st.tuples(*parts).map(lambda dicts: {k: v for d in dicts for k, v in d.items()})
    if "anyOf" in schema:
        return st.one_of([from_schema(spec, member) for member in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {name: from_schema(spec, p) for name, p in properties.items() if name in required},
            optional={
                name: from_schema(spec, p) for name, p in properties.items() if name not in required
            },
        )
    if kind == "array":
        return st.lists(from_schema(spec, schema["items"]), max_size=3)
    if kind == "integer":
        bound = _INT_BOUNDS.get(schema.get("format", ""), 2**63 - 1)
        return st.integers(
            min_value=schema.get("minimum", -bound - 1), max_value=schema.get("maximum", bound)
        )
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if schema.get("format") == "date-time":
            return date_time_strings()
        if "format" in schema or "pattern" in schema:
            raise NotImplementedError(f"no strategy for string schema {dict(schema)!r}")
        return st.text(max_size=20)
    if kind is None and not (set(schema) - {"description"}):
        return st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=2)
                | st.dictionaries(st.text(max_size=3), inner, max_size=2)
            ),
            max_leaves=4,
        )
    raise NotImplementedError(f"no strategy for schema {dict(schema)!r}")
