"""Values the stand-in serves: the spec's examples first, else values generated from the types
`spec_model` reads (`Values.value`), nothing written per operation:

- a listing's items: the reference items (its examples' `data.contents`), then generated ones;
  an item id is unique and decreasing (newest first), below the reference items' ids; where
  those leave too few ids (a sample numbered down to 1), the generated items are the newer ones,
  numbered above the reference items and served before them;
- known values (an enum, open or closed): one of them;
- `date-time`: OCP's entity spelling `2021-09-16T17:25:05.943+0800` (the extended `+08:00` where
  the schema's pattern asks for it); the first time of an item is its anchor, later ones follow
  it by seconds; generated anchors are recent (relative to the stand-in's `now`: the newest
  within hours, older ones a day or so apart), so that "the last 7 days" finds items, while the
  reference items keep the times OCP wrote;
- integers and numbers: within the schema's range, 1..99999 for ids (`...Id`), 0..999 otherwise;
- other strings: values the reference items use for that property, else the schema's example,
  else `<property>-<n>` (a value for a `pattern` that this does not match needs an example);
- a property all reference items give one value (`tenantId: 0`) keeps it;
- optional properties of items appear as often as in the reference items (at least one time in
  ten), and are omitted otherwise: OCP omits null fields; a single object has all of them;
- scope fields (those named after a scope's resource, `clusterId`, `clusterName`, ...) are copied
  from an item of the same scope, so a cluster's tasks agree on the cluster.
"""

from __future__ import annotations

import base64
import datetime
import random
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import spec_model as sm

from .listing import Filter, Listing

OCP_TZ = datetime.timezone(datetime.timedelta(hours=8))
#: The sample's envelope time: where the times of generated objects start without a `now`.
DEFAULT_ANCHOR = datetime.datetime(2021, 9, 23, 11, 0, 0, tzinfo=OCP_TZ)
#: How deep generated objects nest before optional properties are left out (recursive schemas).
MAX_DEPTH = 4
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


class Clock:
    """The times of one value: the anchor first, then each later time a few seconds on."""

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


def _window(
    lower: float | None, upper: float | None, preferred: tuple[float, float]
) -> tuple[float, float]:
    """The part of [lower, upper] nearest to the preferred window, as wide as it (at most)."""
    low, high = preferred
    span = high - low
    if lower is not None and high < lower:
        low, high = lower, lower + span
    elif upper is not None and low > upper:
        low, high = upper - span, upper
    if lower is not None:
        low = max(low, lower)
    if upper is not None:
        high = min(high, upper)
    return low, max(low, high)


_FORMATS: dict[str, Callable[[str, int, random.Random], str]] = {
    "email": lambda name, n, rng: f"{name.lower()}{n}@example.com",
    "uuid": lambda name, n, rng: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "uri": lambda name, n, rng: f"https://example.com/{name}/{n}",
    "url": lambda name, n, rng: f"https://example.com/{name}/{n}",
    "hostname": lambda name, n, rng: f"{name.lower()}-{n}.example.com",
    "ipv4": lambda name, n, rng: f"10.{n % 256}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
    "byte": lambda name, n, rng: base64.b64encode(f"{name}-{n}".encode()).decode(),
}


class Values:
    """Generates JSON values of the spec's types (see the module docstring).

    ``seen`` holds the values the reference items give each property (their pool of strings and
    their constants); ``presence`` how often each optional property of an object appears (a
    function of the property's name; 1.0: always)."""

    def __init__(
        self,
        spec: sm.Spec,
        rng: random.Random,
        *,
        seen: Mapping[str, list[Any]] | None = None,
        presence: Callable[[str], float] = lambda name: 1.0,
    ) -> None:
        self.spec = spec
        self.rng = rng
        self.seen = seen or {}
        self.presence = presence

    def value(
        self,
        kind: sm.Type,
        name: str,
        clock: Clock,
        schema: Mapping[str, Any] | None = None,
        depth: int = 0,
    ) -> Any:
        """A value of ``kind`` for the property ``name`` (``schema``: its own schema, for
        hints), or _OMIT when there is nothing sensible to invent (an untyped optional)."""
        schema = schema or {}
        if isinstance(kind, sm.EnumType):
            return self.rng.choice(self.spec.enums[kind.name].values)
        values = self.seen.get(name, [])
        if (
            isinstance(kind, sm.IntegerType | sm.NumberType | sm.StringType | sm.BooleanType)
            and len(values) >= 2
            and all(v == values[0] for v in values)
        ):
            return values[0]
        if isinstance(kind, sm.StringType):
            return self._string(kind, name, schema)
        if isinstance(kind, sm.DateTimeType):
            return self._time(kind, name, clock)
        if isinstance(kind, sm.DateType):
            return clock.next().date().isoformat()
        if isinstance(kind, sm.IntegerType):
            low, high = _window(kind.lower, kind.upper, self._preferred(name))
            return self.rng.randint(int(low), int(high))
        if isinstance(kind, sm.NumberType):
            low, high = _window(kind.lower, kind.upper, self._preferred(name))
            return min(max(round(self.rng.uniform(low, high), 3), low), high)
        if isinstance(kind, sm.BooleanType):
            return self.rng.random() < 0.5
        if isinstance(kind, sm.ArrayType):
            return self._array(kind, name, clock, schema, depth)
        if isinstance(kind, sm.MapType):
            entry = self.value(kind.values, name, clock, depth=depth + 1)
            return {} if entry is _OMIT else {f"{name}1": entry}
        if isinstance(kind, sm.ModelType):
            return self.model(self.spec.models[kind.name], clock, depth=depth + 1)
        return _OMIT  # AnyType: OCP omits what it lacks

    def model(
        self,
        model: sm.Model,
        clock: Clock,
        fixed: Mapping[str, Any] | None = None,
        depth: int = 0,
    ) -> dict[str, Any]:
        """An object of a model: ``fixed`` values as given, required properties always, optional
        ones as ``presence`` says (none below MAX_DEPTH: recursive schemas end)."""
        fixed = fixed or {}
        result: dict[str, Any] = {}
        for prop in model.properties:
            name = prop.json_name
            if name in fixed:
                result[name] = fixed[name]
                continue
            if not prop.required and (
                depth > MAX_DEPTH or self.rng.random() >= self.presence(name)
            ):
                continue
            if depth > 2 * MAX_DEPTH:
                raise sm.SpecError(f"{model.name}: required properties nest without end")
            value = self.value(prop.type, name, clock, prop.schema, depth)
            if value is _OMIT:
                if prop.required:
                    value = f"{name}-{self.rng.randint(1, 9999)}"  # any value will do
                else:
                    continue
            result[name] = value
        return dict(sorted(result.items()))  # OCP's Jackson writes properties sorted

    def _preferred(self, name: str) -> tuple[float, float]:
        return (1, 99_999) if name.endswith(("Id", "ID", "Ids", "IDs")) else (0, 999)

    def _string(self, kind: sm.StringType, name: str, schema: Mapping[str, Any]) -> str:
        pool = [v for v in self.seen.get(name, []) if isinstance(v, str)]
        if isinstance(schema.get("example"), str):
            pool.append(schema["example"])
        number = self.rng.randint(1, 9999)
        if pool:
            value = self.rng.choice(pool)
        elif schema.get("format") in _FORMATS:
            value = _FORMATS[str(schema["format"])](name, number, self.rng)
        else:
            value = f"{name}-{number}"
        shortest, longest = schema.get("minLength"), schema.get("maxLength")
        if isinstance(longest, int):
            value = value[:longest]
        if isinstance(shortest, int) and len(value) < shortest:
            value = value.ljust(shortest, "x")
        if kind.pattern is not None and re.search(kind.pattern, value) is None:
            raise sm.SpecError(
                f"cannot generate {name!r} matching {kind.pattern!r}: give its schema an example"
            )
        return value

    def _time(self, kind: sm.DateTimeType, name: str, clock: Clock) -> str:
        moment = clock.next()
        for spelling in (entity_time(moment), envelope_time(moment)):
            if kind.pattern is None or re.search(kind.pattern, spelling) is not None:
                return spelling
        raise sm.SpecError(f"cannot generate a time {name!r} matching {kind.pattern!r}")

    def _array(
        self,
        kind: sm.ArrayType,
        name: str,
        clock: Clock,
        schema: Mapping[str, Any],
        depth: int,
    ) -> list[Any]:
        shortest = int(schema.get("minItems", 0))
        longest = int(schema.get("maxItems", max(shortest, 2)))
        count = shortest if depth > MAX_DEPTH else self.rng.randint(shortest, longest)
        unique = bool(schema.get("uniqueItems"))
        child = name[:-1] if name.endswith("s") else name
        items: list[Any] = []
        for _ in range(count * 3):  # bounded: an item a unique array has already is drawn again
            if len(items) >= count:
                break
            item = self.value(kind.items, child, clock, depth=depth + 1)
            if item is _OMIT:
                item = f"{child}-{self.rng.randint(1, 9999)}"
            if not unique or item not in items:
                items.append(item)
        return items


def example_data(spec: sm.Spec, operation: sm.Operation) -> tuple[bool, Any]:
    """(True, the data of the answer's first example that has one: an envelope's `data`, or the
    whole example of an answer without an envelope), else (False, None)."""
    for example in spec.examples(operation.result.media or {}):
        if operation.result.framing != "envelope":
            return True, example
        if isinstance(example, Mapping) and "data" in example:
            return True, example["data"]
    return False, None


def generated_data(
    spec: sm.Spec,
    operation: sm.Operation,
    rng: random.Random,
    now: datetime.datetime = DEFAULT_ANCHOR,
) -> Any:
    """A `data` value of the operation's answer type (an object with all its properties),
    its times from a day before ``now`` on."""
    kind = operation.result.data
    if kind is None:
        return None
    clock = Clock(now - datetime.timedelta(days=1), rng)
    value = Values(spec, rng).value(kind, "data", clock)
    return None if value is _OMIT else value


# --- listings ----------------------------------------------------------------------------------


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else None


def _scope_key(listing: Listing, item: Any) -> tuple[Any, ...]:
    return tuple(_field(item, scope.property) for scope in listing.scopes)


class Store:
    """The items of one listing, newest first, with the inserts made while the stand-in runs.

    ``scope_values`` are scope fields known from other listings (``clusterId`` of the
    reference sample, with the type the spec gives it), so that generated items of several
    listings live in the same cluster."""

    def __init__(
        self,
        spec: sm.Spec,
        listing: Listing,
        *,
        seed: int | str,
        generated: int,
        use_reference: bool = True,
        scope_values: Mapping[str, tuple[sm.Type, Any]] | None = None,
        now: datetime.datetime | None = None,
        id_offset: int = 0,
        serve_reference: bool = True,
    ) -> None:
        self.listing = listing
        self.spec = spec
        self.now = now or datetime.datetime.now(OCP_TZ)
        self.generated = generated
        self._lock = threading.Lock()
        reference = [_copy(item) for item in listing.reference_items] if use_reference else []
        seen: dict[str, list[Any]] = {}
        for item in reference:
            for name, value in item.items() if isinstance(item, Mapping) else ():
                seen.setdefault(name, []).append(value)
        count = len(reference)

        def presence(name: str) -> float:
            return max(len(seen.get(name, [])) / count, 0.1) if count else 0.5

        base = f"{seed}/{listing.operation_id}"
        self._values = Values(spec, random.Random(f"{base}/items"), seen=seen, presence=presence)
        self._inserts = Values(spec, random.Random(f"{base}/inserts"), seen=seen, presence=presence)
        id_name = listing.id_property
        if not serve_reference:  # learnt from (values, presence), not served: another scope's
            reference = []
        if reference:
            ids = [_field(item, id_name) for item in reference] if id_name else []
            first_id = min((int(i) for i in ids if _is_number(i)), default=generated + 1) - 1
            fixed = self._scope_fields(reference[0])
        else:
            first_id = generated + id_offset  # ids `id_offset + 1` and up
            fixed = self._default_scope(scope_values or {})
        self._anchors = random.Random(f"{base}/anchors")
        items = list(reference)
        if id_name is not None and generated > first_id:
            # Ids are positive and decrease with age: what does not fit below the reference
            # items is newer than they are, numbered above them.
            top = max(int(i) for i in ids if _is_number(i))
            newest = top + generated
            for offset, anchor in enumerate(self._recent(generated)):
                items.insert(offset, self._item(self._values, newest - offset, anchor, fixed))
        else:
            for offset, anchor in enumerate(self._recent(generated)):
                items.append(self._item(self._values, first_id - offset, anchor, fixed))
        self._items: list[Any] = items
        self._scopes = {_scope_key(listing, item) for item in items}
        if all(scope.property in fixed for scope in listing.scopes):
            # The scope of generated items exists even when there are none (`tasks=0`).
            self._scopes.add(tuple(fixed[scope.property] for scope in listing.scopes))

    def _recent(self, count: int) -> list[datetime.datetime]:
        """``count`` anchors, newest first: the first a few hours before `now`, each other a
        day or so (12 to 36 hours) before the one after it."""
        rng = self._anchors
        anchor = self.now - datetime.timedelta(
            hours=rng.randint(1, 5), seconds=rng.randint(0, 3599)
        )
        anchors: list[datetime.datetime] = []
        for _ in range(count):
            anchors.append(anchor)
            anchor -= datetime.timedelta(hours=rng.randint(12, 36), seconds=rng.randint(0, 3599))
        return anchors

    def _top_id(self) -> int:
        id_name = self.listing.id_property
        ids = [_field(i, id_name) for i in self._items] if id_name else []
        return max((int(i) for i in ids if _is_number(i)), default=0)

    def next_id(self) -> int:
        """An id above every item's."""
        with self._lock:
            return self._top_id() + 1

    def make(self, fixed: Mapping[str, Any], anchor: datetime.datetime) -> dict[str, Any]:
        """A new item (not stored) with ``fixed`` values, its other values generated."""
        with self._lock:
            item = self._item(self._inserts, 0, anchor, {})
            item = {**item, **fixed} if isinstance(item, Mapping) else item
        return dict(sorted(item.items()))

    def put(self, item: Mapping[str, Any], *, last: bool = False) -> None:
        """Store ``item``: in place of the item with its id, else first (the newest), or last."""
        id_name = self.listing.id_property
        with self._lock:
            for index, old in enumerate(self._items):
                if id_name is not None and _field(old, id_name) == item.get(id_name):
                    self._items[index] = dict(item)
                    break
            else:
                self._items.insert(len(self._items) if last else 0, dict(item))
            self._scopes.add(_scope_key(self.listing, item))

    def replace_first(self, scope: tuple[Any, ...], item: Mapping[str, Any]) -> None:
        """Put ``item`` in place of the first (newest) item of a scope."""
        with self._lock:
            for index, old in enumerate(self._items):
                if _scope_key(self.listing, old) == scope:
                    self._items[index] = dict(item)
                    return

    def keep(self, count: int) -> None:
        """Drop every item but the first ``count`` (and the scopes only they had)."""
        with self._lock:
            del self._items[count:]
            self._scopes = {_scope_key(self.listing, item) for item in self._items}

    def _item(
        self, values: Values, number: int, anchor: datetime.datetime, fixed: Mapping[str, Any]
    ) -> Any:
        clock = Clock(anchor, values.rng)
        model = self.listing.model
        if model is None:
            return values.value(self.listing.item, "item", clock)
        id_name = self.listing.id_property
        if id_name is not None:
            kind = model.property(id_name).type
            fixed = {**fixed, id_name: number if isinstance(kind, sm.IntegerType) else str(number)}
        return values.model(model, clock, fixed)

    def _anchor(self, item: Any) -> datetime.datetime | None:
        for name in self.listing.time_properties:
            moment = parse_time(_field(item, name))
            if moment is not None:
                return moment
        return None

    def _scope_words(self) -> list[str]:
        return [scope.resource.lower() for scope in self.listing.scopes]

    def _scope_fields(self, item: Any) -> dict[str, Any]:
        words = self._scope_words()
        if not words or not isinstance(item, Mapping):
            return {}
        return {k: v for k, v in item.items() if any(word in k.lower() for word in words)}

    def _default_scope(self, known: Mapping[str, tuple[sm.Type, Any]]) -> dict[str, Any]:
        """Scope fields for generated-only data: those another listing's reference items give
        (same name, same type), else generated ones, the scope itself the path parameter's
        example (else 1)."""
        model = self.listing.model
        if not self.listing.scopes or model is None:
            return {}
        words = self._scope_words()
        clock = Clock(DEFAULT_ANCHOR, self._values.rng)
        fixed: dict[str, Any] = {}
        for prop in model.properties:
            if not any(word in prop.json_name.lower() for word in words):
                continue
            if prop.json_name in known and known[prop.json_name][0] == prop.type:
                fixed[prop.json_name] = known[prop.json_name][1]
                continue
            value = self._values.value(prop.type, prop.json_name, clock, prop.schema)
            if value is not _OMIT:
                fixed[prop.json_name] = value
        for scope in self.listing.scopes:
            if (
                scope.property in known
                and known[scope.property][0] == model.property(scope.property).type
            ):
                continue
            parameter = self.listing.operation.parameter(scope.parameter, "path")
            raw = parameter.raw if parameter is not None else {}
            schema = sm.resolve(self.spec.document, raw.get("schema", {}))
            fixed[scope.property] = raw.get("example", schema.get("example", 1))
        return fixed

    def scope_values(self) -> dict[str, tuple[sm.Type, Any]]:
        """The scope fields of the first item, with their types (for other listings)."""
        model = self.listing.model
        with self._lock:
            first = self._items[0] if self._items else None
        if model is None or first is None:
            return {}
        names = {p.json_name: p.type for p in model.properties}
        return {k: (names[k], v) for k, v in self._scope_fields(first).items() if k in names}

    def items(self) -> list[Any]:
        """A copy of every item, newest first."""
        with self._lock:
            return [_copy(item) for item in self._items]

    def first(self, count: int) -> list[Any]:
        """A copy of the newest ``count`` items."""
        with self._lock:
            return [_copy(item) for item in self._items[:count]]

    def scope_exists(self, values: tuple[Any, ...]) -> bool:
        with self._lock:
            return values in self._scopes

    def scopes(self) -> list[tuple[Any, ...]]:
        with self._lock:
            return sorted(self._scopes, key=repr)

    def insert(self, count: int, scope: tuple[Any, ...]) -> list[Any]:
        """Add `count` items newer than every other (ids above the largest) to a scope."""
        id_name = self.listing.id_property
        with self._lock:
            template = next((i for i in self._items if _scope_key(self.listing, i) == scope), None)
            fixed = self._scope_fields(template)
            ids = [_field(i, id_name) for i in self._items] if id_name else []
            next_id = max((int(i) for i in ids if _is_number(i)), default=0) + 1
            newest = max(
                (a for a in map(self._anchor, self._items) if a is not None),
                default=self.now,
            )
            rng = self._inserts.rng
            created: list[Any] = []
            for offset in range(count):
                newest += datetime.timedelta(minutes=rng.randint(5, 90))
                created.append(self._item(self._inserts, next_id + offset, newest, fixed))
            created.reverse()  # newest first
            self._items[:0] = created
            self._scopes.add(scope)
            return [_copy(item) for item in created]

    def select(self, scope: tuple[Any, ...], criteria: Iterable[tuple[Filter, Any]]) -> list[Any]:
        """The items of a scope that pass every filter, newest first (shared: do not change)."""
        criteria = list(criteria)
        with self._lock:
            return [
                item
                for item in self._items
                if _scope_key(self.listing, item) == scope
                and all(_passes(_field(item, f.property), f, value) for f, value in criteria)
            ]


def _is_number(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdigit()
    )


def _copy(item: Any) -> Any:
    return dict(item) if isinstance(item, Mapping) else item


def _passes(actual: Any, flt: Filter, wanted: Any) -> bool:
    if actual is None:
        return False
    if isinstance(wanted, list):  # an array parameter: any of its values
        return any(_passes(actual, flt, one) for one in wanted)
    if isinstance(wanted, datetime.datetime):
        actual = parse_time(actual)
        if actual is None:
            return False
    try:
        if flt.op == "eq":
            return bool(actual == wanted)
        return bool(actual >= wanted) if flt.op == "ge" else bool(actual <= wanted)
    except TypeError:  # values that do not compare (a string against a number)
        return False
