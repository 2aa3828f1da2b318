"""What the stand-in derives from the spec for a paginated operation (a "listing").

An operation is a listing when the `data` of its 200 response has `contents` (an array of items)
and `page` (OCP's page class: `number`, `size`, `totalElements`, `totalPages`), and it takes the
query parameters `page` (1-based) and `size` (OCP's Spring Data `Pageable`, the same on every OCP
list). From the spec it further takes:

- the item schema (`contents.items`) and the item id: the page schema's `x-ocp-page-item-id`, else
  a property `id`;
- the largest page size: the `maximum` of the `size` parameter; OCP clamps larger values to it
  instead of rejecting them, so the stand-in does the same;
- the reference items: the `data.contents` of the 200 response's examples, served first, verbatim;
- scopes: a path parameter named like an item property (`tenantId`), or `id` after a collection
  segment (`/clusters/{id}` -> the item property `clusterId`), selects the items with that value;
- filters, per query parameter: a vendor extension `x-ocp-filter: {property, op}` (`op` one of
  `eq`, `ge`, `le`) when the spec has one; otherwise a parameter named like an item property that
  is not a date-time filters by equality (`backupSetId`), and date-time parameters `start<X>` /
  `end<X>` form a range (`>=` / `<=`) on the item's date-time property `start<X>` (or, if the item
  has none, its first date-time property). The two bounds of a range must be set together (OCP
  error 10006) and in order (10005).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .spec import Route, Spec

PAGE_PARAMETER = "page"
SIZE_PARAMETER = "size"
PAGE_INFO_FIELDS = ("number", "size", "totalElements", "totalPages")
FILTER_EXTENSION = "x-ocp-filter"
ITEM_ID_EXTENSION = "x-ocp-page-item-id"

Op = Literal["eq", "ge", "le"]


@dataclass(frozen=True)
class Filter:
    parameter: str
    property: str
    op: Op


@dataclass(frozen=True)
class Scope:
    parameter: str  # path parameter
    property: str  # item property
    resource: str  # the resource the parameter names ("cluster")


@dataclass(frozen=True)
class Listing:
    route: Route
    item_schema: Any
    id_property: str
    max_size: int | None
    filters: tuple[Filter, ...]
    ranges: tuple[tuple[Filter, Filter], ...]  # (lower, upper): both set or both absent
    scopes: tuple[Scope, ...]
    reference_items: tuple[Mapping[str, Any], ...]
    time_properties: tuple[str, ...]  # the item's date-time properties, in schema order


def _is_date_time(spec: Spec, schema: Any) -> bool:
    return spec.scalar(schema).get("format") == "date-time"


def derive_listing(spec: Spec, route: Route) -> Listing | None:
    """The listing an operation serves, None when it is not paginated the OCP way."""
    media = spec.json_response(route, "200")
    if media is None or "schema" not in media:
        return None
    data = spec.properties(media["schema"]).get("data")
    if data is None:
        return None
    page_schema = spec.flatten(data)
    props = spec.properties(data)
    if "contents" not in props or "page" not in props:
        return None
    if not set(PAGE_INFO_FIELDS) <= set(spec.properties(props["page"])):
        return None
    size = route.parameter(SIZE_PARAMETER)
    if route.parameter(PAGE_PARAMETER) is None or size is None:
        return None

    item_schema = props["contents"].get("items", {})
    item_props = spec.properties(item_schema)
    id_property = str(page_schema.get(ITEM_ID_EXTENSION, "id"))
    if id_property not in item_props:
        raise ValueError(f"{route.operation_id}: items have no id property {id_property!r}")
    time_properties = tuple(n for n, s in item_props.items() if _is_date_time(spec, s))

    maximum = spec.scalar(size.get("schema", {})).get("maximum")
    filters, ranges = _filters(spec, route, item_props, time_properties)
    reference: list[Mapping[str, Any]] = []
    for example in spec.examples(media):
        contents = example.get("data", {}).get("contents", []) if isinstance(example, dict) else []
        reference.extend(item for item in contents if isinstance(item, Mapping))
    return Listing(
        route=route,
        item_schema=item_schema,
        id_property=id_property,
        max_size=int(maximum) if maximum is not None else None,
        filters=tuple(filters),
        ranges=tuple(ranges),
        scopes=tuple(_scopes(route, item_props)),
        reference_items=tuple(reference),
        time_properties=time_properties,
    )


def _filters(
    spec: Spec, route: Route, item_props: Mapping[str, Any], time_properties: tuple[str, ...]
) -> tuple[list[Filter], list[tuple[Filter, Filter]]]:
    filters: list[Filter] = []
    times: dict[str, Mapping[str, Any]] = {}
    for parameter in route.in_location("query"):
        name = str(parameter["name"])
        if name in (PAGE_PARAMETER, SIZE_PARAMETER):
            continue
        extension = parameter.get(FILTER_EXTENSION)
        if isinstance(extension, Mapping):
            op = extension.get("op", "eq")
            if op not in ("eq", "ge", "le"):
                raise ValueError(f"{route.operation_id}: {name}: unknown filter op {op!r}")
            filters.append(Filter(name, str(extension["property"]), op))
        elif _is_date_time(spec, parameter.get("schema", {})):
            times[name] = parameter
        elif name in item_props:
            filters.append(Filter(name, name, "eq"))
    for name in times:
        if not name.startswith("start") or "end" + name[len("start") :] not in times:
            continue
        end = "end" + name[len("start") :]
        if name in time_properties:
            target = name
        elif time_properties:
            target = time_properties[0]
        else:
            continue
        filters += [Filter(name, target, "ge"), Filter(end, target, "le")]
    ranges: list[tuple[Filter, Filter]] = []
    for lower in filters:
        if lower.op != "ge":
            continue
        for upper in filters:
            if upper.op == "le" and upper.property == lower.property:
                ranges.append((lower, upper))
    return filters, ranges


def _scopes(route: Route, item_props: Mapping[str, Any]) -> list[Scope]:
    scopes: list[Scope] = []
    segments = route.template.split("/")
    for parameter in route.in_location("path"):
        name = str(parameter["name"])
        if name in item_props:
            resource = name[:-2] if name.endswith("Id") else name
            scopes.append(Scope(name, name, resource))
            continue
        placeholder = "{" + name + "}"
        if name != "id" or placeholder not in segments:
            continue
        position = segments.index(placeholder)
        if position == 0:
            continue
        collection = segments[position - 1]
        resource = collection[:-1] if collection.endswith("s") else collection
        if resource + "Id" in item_props:
            scopes.append(Scope(name, resource + "Id", resource))
    return scopes
