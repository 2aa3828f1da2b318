"""Items a listing serves: the spec's reference items, then items generated from the item schema.

Generation walks the item schema (`ItemFactory.value`), nothing is written per endpoint:

- the id property: unique, decreasing (newest first), below the reference items' ids;
- known values (`enum`, or the `enum` branch of an open `anyOf`): one of them;
- `format: date-time`: OCP's entity spelling `2021-09-16T17:25:05.943+0800`; the first time of
  an item is its anchor (older items have older anchors), later ones follow it by seconds;
- integers: `minimum`/`maximum` when given, else 1..99999 for ids (`...Id`), 0..999 otherwise;
- other strings: values the reference items use for that property, else `<property>-<n>`;
- a property all reference items give one value (`tenantId: 0`) keeps it;
- optional properties appear as often as in the reference items (at least one time in ten), and
  are omitted otherwise: OCP omits null fields;
- scope fields (those named after a scope's resource, `clusterId`, `clusterName`, ...) are copied
  from an item of the same scope, so a cluster's tasks agree on the cluster.
"""

from __future__ import annotations

import datetime
import random
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from .listing import Filter, Listing
from .spec import Spec

OCP_TZ = datetime.timezone(datetime.timedelta(hours=8))
#: Where generated times start when there are no reference items (the sample's envelope time).
DEFAULT_ANCHOR = datetime.datetime(2021, 9, 23, 11, 0, 0, tzinfo=OCP_TZ)
_OMIT = object()


def entity_time(moment: datetime.datetime) -> str:
    """OCP's entity spelling: milliseconds and a basic offset (`2021-09-16T17:25:05.943+0800`)."""
    moment = moment.astimezone(OCP_TZ)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + "+0800"


def envelope_time(moment: datetime.datetime) -> str:
    """OCP's envelope spelling: milliseconds and an extended offset (`...24.945+08:00`)."""
    return moment.astimezone(OCP_TZ).isoformat(timespec="milliseconds")


def parse_time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


class _Clock:
    """The times of one item: the anchor first, then each later time a few seconds on."""

    def __init__(self, anchor: datetime.datetime, rng: random.Random) -> None:
        self.current: datetime.datetime | None = None
        self.anchor = anchor
        self.rng = rng

    def next(self) -> datetime.datetime:
        if self.current is None:
            self.current = self.anchor
        else:
            step = datetime.timedelta(seconds=self.rng.randint(1, 900))
            self.current += step + datetime.timedelta(milliseconds=self.rng.randint(0, 999))
        return self.current


class ItemFactory:
    """Generates values for a listing's item schema (see the module docstring)."""

    def __init__(self, spec: Spec, listing: Listing, rng: random.Random) -> None:
        self.spec = spec
        self.listing = listing
        self.rng = rng
        self.properties = spec.properties(listing.item_schema)
        self.required = set(spec.flatten(listing.item_schema)["required"])
        reference = listing.reference_items
        self.presence = {
            name: sum(name in item for item in reference) / len(reference) if reference else 0.5
            for name in self.properties
        }
        self.seen: dict[str, list[Any]] = {
            name: [item[name] for item in reference if name in item] for name in self.properties
        }

    def item(
        self, item_id: int, anchor: datetime.datetime, fixed: Mapping[str, Any]
    ) -> dict[str, Any]:
        clock = _Clock(anchor, self.rng)
        item: dict[str, Any] = {}
        for name, schema in self.properties.items():
            if name == self.listing.id_property:
                item[name] = item_id
            elif name in fixed:
                item[name] = fixed[name]
            elif name in self.required or self.rng.random() < max(self.presence[name], 0.1):
                value = self.value(schema, name, clock)
                if value is not _OMIT:
                    item[name] = value
        return dict(sorted(item.items()))

    def _constant(self, name: str) -> tuple[bool, Any]:
        values = self.seen.get(name, [])
        if len(values) >= 2 and all(v == values[0] for v in values):
            return True, values[0]
        return False, None

    def value(self, schema: Any, name: str, clock: _Clock) -> Any:
        known = self.spec.known_values(schema)
        if known:
            return self.rng.choice(known)
        s = self.spec.scalar(schema)
        kind = s.get("type")
        if kind is None and "properties" in s:
            kind = "object"
        is_constant, constant = self._constant(name)
        if is_constant and kind in ("string", "integer", "number", "boolean"):
            return constant
        if kind == "string":
            return self._string(s, name, clock)
        if kind == "integer":
            low, high = self._bounds(s, name)
            return self.rng.randint(low, high)
        if kind == "number":
            low, high = self._bounds(s, name)
            return round(self.rng.uniform(low, high), 3)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "array":
            count = self.rng.randint(int(s.get("minItems", 0)), int(s.get("maxItems", 2)))
            child = name[:-1] if name.endswith("s") else name
            return [self.value(s.get("items", {}), child, clock) for _ in range(count)]
        if kind == "object":
            required = set(s.get("required", []))
            nested: dict[str, Any] = {}
            for prop, sub in self.spec.properties(s).items():
                if prop in required or self.rng.random() < 0.5:
                    value = self.value(sub, prop, clock)
                    if value is not _OMIT:
                        nested[prop] = value
            return dict(sorted(nested.items()))
        return _OMIT  # no type: nothing sensible to invent, and OCP omits what it lacks

    def _string(self, s: Mapping[str, Any], name: str, clock: _Clock) -> str:
        fmt = s.get("format")
        if fmt == "date-time":
            return entity_time(clock.next())
        if fmt == "date":
            return clock.next().date().isoformat()
        pool = [v for v in self.seen.get(name, []) if isinstance(v, str)]
        if "example" in s:
            pool.append(str(s["example"]))
        value = self.rng.choice(pool) if pool else f"{name}-{self.rng.randint(1, 9999)}"
        pattern = s.get("pattern")
        if pattern is not None and re.search(str(pattern), value) is None:
            raise ValueError(f"cannot generate {name!r} matching {pattern!r}: give it an example")
        return value

    def _bounds(self, s: Mapping[str, Any], name: str) -> tuple[int, int]:
        id_like = name.endswith(("Id", "ID"))
        low = int(s.get("minimum", 1 if id_like else 0))
        if s.get("exclusiveMinimum") is True:
            low += 1
        span = 99_998 if id_like else 999
        high = int(s.get("maximum", low + span))
        if s.get("exclusiveMaximum") is True:
            high -= 1
        return low, max(low, high)


def _scope_key(listing: Listing, item: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(item.get(scope.property) for scope in listing.scopes)


class Store:
    """The items of one listing, newest first, with the inserts made while the stand-in runs."""

    def __init__(
        self,
        spec: Spec,
        listing: Listing,
        *,
        seed: int,
        generated: int,
        use_reference: bool = True,
    ) -> None:
        self.listing = listing
        self._lock = threading.Lock()
        self._factory = ItemFactory(spec, listing, random.Random(seed))
        self._insert_factory = ItemFactory(spec, listing, random.Random(seed + 1))
        id_name = listing.id_property
        reference = [dict(item) for item in listing.reference_items] if use_reference else []
        if reference:
            first_id = min(int(item[id_name]) for item in reference) - 1
            anchors = [a for a in map(self._anchor, reference) if a is not None]
            oldest = min(anchors, default=DEFAULT_ANCHOR)
            fixed = self._scope_fields(reference[0])
        else:
            first_id = generated
            oldest = DEFAULT_ANCHOR + datetime.timedelta(days=1)
            fixed = self._default_scope(spec)
        if generated > first_id:
            raise ValueError(
                f"{listing.route.operation_id}: {generated} generated items do not fit below id "
                f"{first_id + 1} (ids are positive and decrease); ask for at most {first_id} or "
                "serve generated items only (--no-sample, reference=False)"
            )
        rng = random.Random(seed + 2)
        items = list(reference)
        anchor = oldest
        for offset in range(generated):
            anchor -= datetime.timedelta(hours=rng.randint(12, 36), seconds=rng.randint(0, 3599))
            items.append(self._factory.item(first_id - offset, anchor, fixed))
        self._items: list[dict[str, Any]] = items
        self._scopes = {_scope_key(listing, item) for item in items}

    def _anchor(self, item: Mapping[str, Any]) -> datetime.datetime | None:
        for name in self.listing.time_properties:
            moment = parse_time(item.get(name))
            if moment is not None:
                return moment
        return None

    def _scope_fields(self, item: Mapping[str, Any]) -> dict[str, Any]:
        words = [scope.resource.lower() for scope in self.listing.scopes]
        return {k: v for k, v in item.items() if any(word in k.lower() for word in words)}

    def _default_scope(self, spec: Spec) -> dict[str, Any]:
        """Scope fields for generated-only data: the path parameters' examples (else 1)."""
        if not self.listing.scopes:
            return {}
        clock = _Clock(DEFAULT_ANCHOR, self._factory.rng)
        words = [scope.resource.lower() for scope in self.listing.scopes]
        fixed = {
            name: self._factory.value(schema, name, clock)
            for name, schema in self._factory.properties.items()
            if any(word in name.lower() for word in words)
        }
        for scope in self.listing.scopes:
            parameter = self.listing.route.parameter(scope.parameter, "path") or {}
            fixed[scope.property] = parameter.get("example", 1)
        return {k: v for k, v in fixed.items() if v is not _OMIT}

    def items(self) -> list[dict[str, Any]]:
        """A copy of every item, newest first."""
        with self._lock:
            return [dict(item) for item in self._items]

    def scope_exists(self, values: tuple[Any, ...]) -> bool:
        with self._lock:
            return values in self._scopes

    def scopes(self) -> list[tuple[Any, ...]]:
        with self._lock:
            return sorted(self._scopes, key=repr)

    def insert(self, count: int, scope: tuple[Any, ...]) -> list[dict[str, Any]]:
        """Add `count` items newer than every other (ids above the largest) to a scope."""
        id_name = self.listing.id_property
        with self._lock:
            template = next((i for i in self._items if _scope_key(self.listing, i) == scope), None)
            fixed = self._scope_fields(template) if template is not None else {}
            next_id = max((int(i[id_name]) for i in self._items), default=0) + 1
            newest = max(
                (a for a in map(self._anchor, self._items) if a is not None),
                default=DEFAULT_ANCHOR,
            )
            rng = self._insert_factory.rng
            created: list[dict[str, Any]] = []
            for offset in range(count):
                newest += datetime.timedelta(minutes=rng.randint(5, 90))
                created.append(self._insert_factory.item(next_id + offset, newest, fixed))
            created.reverse()  # newest first
            self._items[:0] = created
            return [dict(item) for item in created]

    def select(
        self, scope: tuple[Any, ...], criteria: Iterable[tuple[Filter, Any]]
    ) -> list[dict[str, Any]]:
        """The items of a scope that pass every filter, newest first (shared: do not change)."""
        criteria = list(criteria)
        with self._lock:
            return [
                item
                for item in self._items
                if _scope_key(self.listing, item) == scope
                and all(_passes(item.get(f.property), f, value) for f, value in criteria)
            ]


def _passes(actual: Any, flt: Filter, wanted: Any) -> bool:
    if actual is None:
        return False
    if flt.op == "eq":
        return bool(actual == wanted)
    moment = parse_time(actual)
    if moment is None or not isinstance(wanted, datetime.datetime):
        return False
    return moment >= wanted if flt.op == "ge" else moment <= wanted
