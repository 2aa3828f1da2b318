"""What the stand-in serves for a paginated operation (a "listing"), read from `spec_model`.

An operation is a listing when its answer's shape is `page` (`data.contents` + `data.page`, with
the query parameters `page` (1-based) and `size`). From the spec it further takes:

- the item type (`contents.items`) and the item id (`x-ocp-item-id`), if the items have one:
  items without an id are served and paged the same way, only never de-duplicated by clients;
- the largest page size: the `maximum` of the `size` parameter; OCP clamps larger values to it
  instead of rejecting them, so the stand-in does the same;
- the reference items: the `data.contents` of the answer's examples, served first, verbatim;
- scopes: a path parameter that stands for an item property selects the items with its value:
  the property its `x-ocp-filter` names (op `eq`), else the one `spec_model.resource_property`
  reads from the path (named like one, `tenantId`, or `id` after a collection segment,
  `/clusters/{id}` -> `clusterId`);
- filters: the query parameters with `x-ocp-filter: {property, op}` (`op` one of `eq`, `ge`,
  `le`), and nothing else; a `ge`/`le` pair on one property is a period, whose two bounds must
  be set together (OCP error 10006) and in order (10005).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import spec_model as sm

PAGE_PARAMETER = "page"
SIZE_PARAMETER = "size"


@dataclass(frozen=True)
class Filter:
    parameter: str
    property: str
    op: str  # eq, ge or le


@dataclass(frozen=True)
class Scope:
    parameter: str  # path parameter
    property: str  # item property
    resource: str  # the resource the parameter names ("cluster")


@dataclass(frozen=True)
class Listing:
    operation: sm.Operation
    item: sm.Type
    model: sm.Model | None  # the item's model, when items are objects
    id_property: str | None
    max_size: int | None
    filters: tuple[Filter, ...]
    ranges: tuple[tuple[Filter, Filter], ...]  # (lower, upper): both set or both absent
    scopes: tuple[Scope, ...]
    reference_items: tuple[Any, ...]
    time_properties: tuple[str, ...]  # the item's date-time properties, in schema order

    @property
    def operation_id(self) -> str:
        return self.operation.id


def derive_listing(spec: sm.Spec, operation: sm.Operation) -> Listing | None:
    """The listing an operation serves, None when its answer is not a page."""
    result = operation.result
    if result.shape != "page" or result.item is None:
        return None
    model = spec.models[result.item.name] if isinstance(result.item, sm.ModelType) else None
    properties = {p.json_name: p for p in model.properties} if model is not None else {}
    filters = []
    for parameter in operation.parameters:
        flt = parameter.filter
        if flt is None:
            continue
        if flt.property not in properties:
            raise sm.SpecError(
                f"{operation.id}: x-ocp-filter of {parameter.name} names {flt.property!r}, "
                "which the items do not have"
            )
        if parameter.location == "query":  # a path parameter's is its scope (below)
            filters.append(Filter(parameter.name, flt.property, flt.op))
    by_parameter = {f.parameter: f for f in filters}
    ranges = tuple((by_parameter[lo.name], by_parameter[hi.name]) for lo, hi in operation.periods)
    size = operation.parameter(SIZE_PARAMETER, "query")
    maximum = sm.resolve(spec.document, size.raw.get("schema", {})).get("maximum") if size else None
    reference: list[Any] = []
    for example in spec.examples(result.media or {}):
        data = example.get("data") if isinstance(example, Mapping) else None
        contents = data.get("contents") if isinstance(data, Mapping) else None
        reference.extend(contents if isinstance(contents, list) else [])
    return Listing(
        operation=operation,
        item=result.item,
        model=model,
        id_property=result.item_id.json_name if result.item_id is not None else None,
        max_size=int(maximum) if maximum is not None else None,
        filters=tuple(filters),
        ranges=ranges,
        scopes=tuple(_scopes(operation, properties)),
        reference_items=tuple(reference),
        time_properties=tuple(
            name for name, p in properties.items() if isinstance(p.type, sm.DateTimeType)
        ),
    )


def _scopes(operation: sm.Operation, properties: Mapping[str, sm.Property]) -> list[Scope]:
    """The path parameters that stand for an item property (its `x-ocp-filter`'s, else
    `spec_model.resource_property`): each selects the items with its value. A path `id` that
    names no collection's item is the item's own id, never a scope, unless the spec says so."""
    scopes: list[Scope] = []
    for parameter in operation.parameters:
        if parameter.location != "path":
            continue
        # The spec's `x-ocp-filter` names the property where the path does not say it.
        named = parameter.filter.property if parameter.filter is not None else None
        prop = named or sm.resource_property(operation.path, parameter.name)
        if (named or prop != "id") and prop in properties:
            resource = sm.path_resource(operation.path, parameter.name)
            scopes.append(Scope(parameter.name, prop, resource))
    return scopes
