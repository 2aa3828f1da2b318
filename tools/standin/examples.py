"""Valid requests for any operation, built from the spec: what the stand-in's banner shows and
what tests send when they need an operation answered rather than refused.

Parameters get the spec's `example` when it is valid, else a value generated from their type
(`data.Values`); `page` and `size` their defaults; a listing's path parameters a scope the
listing has items in, other path parameters what the state (`state.py`) suggests; a period's
two bounds a month around the stand-in's `now`. The body is
generated from its model: required properties only, or every property (`optional=True`).
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import spec_model as sm

from .data import DEFAULT_ANCHOR, Clock, Values, envelope_time
from .listing import PAGE_PARAMETER, SIZE_PARAMETER, Listing


@dataclass(frozen=True)
class ExampleRequest:
    """A request for one operation: parameter values by the spec's names (JSON values: a time
    is its text, an array a list) and the JSON body (None: no body)."""

    operation: sm.Operation
    values: Mapping[str, Any]
    body: Any

    @property
    def method(self) -> str:
        return self.operation.method

    @property
    def path(self) -> str:
        path = self.operation.path
        for parameter in self.operation.parameters:
            if parameter.location == "path":
                text = wire_text(self.values[parameter.name])
                path = path.replace("{" + parameter.name + "}", quote(text, safe=""))
        return path

    @property
    def query(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for parameter in self.operation.parameters:
            if parameter.location != "query" or parameter.name not in self.values:
                continue
            value = self.values[parameter.name]
            for item in value if isinstance(value, list) else [value]:
                pairs.append((parameter.name, wire_text(item)))
        return pairs

    @property
    def target(self) -> str:
        """The path and the query, percent-encoded (a `+` as `%2B`)."""
        query = urlencode(self.query, quote_via=quote)
        return f"{self.path}?{query}" if query else self.path


def wire_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _valid(spec: sm.Spec, parameter: sm.Parameter, value: Any) -> bool:
    """Whether a parameter's example is a value of its type (examples are not validated)."""
    kind = parameter.type
    if isinstance(kind, sm.IntegerType):
        return (
            isinstance(value, int)
            and (kind.lower is None or value >= kind.lower)
            and (kind.upper is None or value <= kind.upper)
        )
    if isinstance(kind, sm.StringType | sm.DateTimeType):
        return isinstance(value, str) and (
            kind.pattern is None or re.search(kind.pattern, value) is not None
        )
    if isinstance(kind, sm.EnumType):
        return value in spec.enums[kind.name].values
    return False  # the others are generated


def example_request(
    spec: sm.Spec,
    operation: sm.Operation,
    *,
    listing: Listing | None = None,
    scope: Sequence[Any] = (),
    optional: bool = False,
    seed: int = 0,
    path_values: Mapping[str, Any] | None = None,
    now: datetime.datetime = DEFAULT_ANCHOR,
) -> ExampleRequest:
    """A valid request for ``operation``: its required parameters (and with ``optional``, every
    parameter and body property); ``scope``: the values of the listing's scopes."""
    rng = random.Random(f"{seed}/{operation.id}/request")
    values_of = Values(spec, rng, presence=lambda name: 1.0 if optional else 0.0)
    scopes = dict(zip([s.parameter for s in listing.scopes], scope, strict=True)) if listing else {}
    periods = {p.name: index for pair in operation.periods for index, p in enumerate(pair)}
    # A period's bounds go together (OCP answers 10006 to one alone).
    wanted = {p.name for p in operation.parameters if p.required or optional}
    for start, end in operation.periods:
        if start.name in wanted or end.name in wanted:
            wanted |= {start.name, end.name}
    values: dict[str, Any] = {}
    for parameter in operation.parameters:
        if parameter.name not in wanted:
            continue
        name = parameter.name
        example = parameter.raw.get("example")
        if name in scopes:
            values[name] = scopes[name]
        elif path_values and name in path_values and parameter.location == "path":
            values[name] = path_values[name]
        elif name in periods and isinstance(parameter.type, sm.DateTimeType):
            moment = now + datetime.timedelta(days=(-30, 1)[periods[name]])
            values[name] = envelope_time(moment)  # the extended offset every pattern allows
        elif name in (PAGE_PARAMETER, SIZE_PARAMETER) and parameter.default is not None:
            values[name] = parameter.default
        elif example is not None and _valid(spec, parameter, example):
            values[name] = example
        else:
            values[name] = _generated(values_of, parameter)
    for start, end in operation.periods:
        if not isinstance(start.type, sm.DateTimeType):  # in order (else OCP's 10005)
            values[start.name], values[end.name] = sorted([values[start.name], values[end.name]])
    body = None
    if operation.body is not None and (operation.body.required or optional):
        model = spec.models[operation.body.type.name]
        body = values_of.model(model, Clock(DEFAULT_ANCHOR, rng))
    return ExampleRequest(operation, values, body)


def first_example_body(spec: sm.Spec, operation: sm.Operation) -> Any:
    """The first example of an operation's JSON request body, None without one."""
    if operation.body is None:
        return None
    media = operation.body.raw.get("content", {}).get("application/json", {})
    examples = spec.examples(media)
    return examples[0] if examples else None


def _generated(values: Values, parameter: sm.Parameter) -> Any:
    kind = parameter.type
    clock = Clock(DEFAULT_ANCHOR, values.rng)
    if isinstance(kind, sm.DateTimeType):
        return envelope_time(clock.next())  # OCP's query parameters take the extended offset
    schema = sm.resolve(values.spec.document, parameter.raw.get("schema", {}))
    value = values.value(kind, parameter.name, clock, schema)
    if isinstance(kind, sm.ArrayType) and not value:
        value = [values.value(kind.items, parameter.name, clock)]
    return value
