"""Path and query parameters as OCP (Spring) reads them: each value converted from its text by the
parameter's type, then validated against the parameter's schema (`schemas.Validators`), each
violation an OCP sub-error naming the parameter.

Spring's rules that the stand-in keeps: an empty value is an absent parameter (`""` binds to
null); a required parameter that is absent is refused, whatever its `default` (a `default` is
what clients send, not what OCP assumes); a scalar given twice takes its first value; an array
is the parameter repeated (`form`, `explode: true`, the only style the spec uses).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import spec_model as sm

from .schemas import Validators

_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class Parameters:
    """The values of a request's parameters by the spec's names (times as datetimes), and the
    sub-errors of those that break the spec."""

    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _from_text(spec: sm.Spec, kind: sm.Type, text: str) -> Any:
    """The JSON value a text stands for, as far as the type says; the text itself when it is
    not one (so that the schema's validator says what is wrong with it)."""
    if isinstance(kind, sm.IntegerType) and _INTEGER.match(text):
        return int(text)
    if isinstance(kind, sm.NumberType) and _NUMBER.match(text):
        return float(text)
    if isinstance(kind, sm.BooleanType) and text in ("true", "false"):
        return text == "true"
    if isinstance(kind, sm.EnumType) and _INTEGER.match(text):
        values = spec.enums[kind.name].values
        return int(text) if values and isinstance(values[0], int) else text
    return text


def _python(kind: sm.Type, value: Any) -> Any:
    """A valid value as the stand-in compares it: times as datetimes, dates as dates."""
    if isinstance(kind, sm.ArrayType):
        return [_python(kind.items, item) for item in value]
    if isinstance(kind, sm.DateTimeType):
        return datetime.datetime.fromisoformat(value)
    if isinstance(kind, sm.DateType):
        return datetime.date.fromisoformat(value)
    return value


def _message(error: Any) -> str:
    if error.validator == "pattern":
        return f"{error.instance!r} does not have the spelling the spec's pattern asks for"
    return str(error.message)


def read_parameters(
    spec: sm.Spec,
    validators: Validators,
    op: sm.Operation,
    pairs: Sequence[tuple[str, str]],
    path_values: Mapping[str, str],
) -> Parameters:
    """The parameters of a request (``pairs``: its query, decoded, in order)."""
    result = Parameters()
    for parameter in op.parameters:
        name, where = parameter.name, parameter.location
        if where == "path":
            texts = [path_values[name]] if path_values.get(name, "") != "" else []
        else:
            texts = [value for key, value in pairs if key == name and value != ""]
        if not texts:
            if parameter.required:
                message = f"Required {where} parameter '{name}' is not present."
                result.errors.append({"object": where, "field": name, "message": message})
            continue
        kind = parameter.type
        if isinstance(kind, sm.ArrayType):
            value: Any = [_from_text(spec, kind.items, text) for text in texts]
        else:
            value = _from_text(spec, kind, texts[0])
        problems = sorted(
            validators.parameter(op, parameter).iter_errors(value), key=lambda e: str(e.message)
        )
        if problems:
            details = "; ".join(map(_message, problems))
            result.errors.append(
                {
                    "object": where,
                    "field": name,
                    "message": f"Invalid {where} parameter '{name}': {details}.",
                    "rejectedValue": texts[0] if len(texts) == 1 else texts,
                }
            )
            continue
        (result.path if where == "path" else result.query)[name] = _python(kind, value)
    return result
