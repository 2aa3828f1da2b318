"""What a value of each spec type is, in both directions: the descriptors that the generated
models and operations declare their properties and parameters with.

Hand-written. Each kind knows, for its type:

- ``parse(value)``: the JSON value -> the Python value, checked against the spec, raising
  ResponseValidationError at path ``$`` (callers add where the value sits, ``error.within``);
- ``dump(value)``: a Python value -> its JSON value, checked the same way (ranges, aware
  datetimes), raising :class:`Invalid` (callers turn it into RequestValidationError);
- ``query(value)``: the text of a query or path parameter;
- ``fast_check(var)`` / ``fast_convert(var)``: Python source for the models' compiled fast path
  (see ``_model.py``), or None when the kind has no inline form and the fast path calls
  ``parse`` instead.

The detailed ``parse`` defines what is valid; the fast path is an optimisation that must agree
with it whenever it succeeds (tests/test_validation.py compares both).
"""

from __future__ import annotations

import datetime
import enum
import importlib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._validation import DATETIME_EXPECTED, invalid, parse_date, parse_datetime
from .errors import ResponseValidationError

if TYPE_CHECKING:
    from ._model import Model

__all__ = [
    "INT32",
    "INT64",
    "Any_",
    "Array",
    "Boolean",
    "Date",
    "DateTime",
    "Enum",
    "Field",
    "Integer",
    "Invalid",
    "Kind",
    "Map",
    "Number",
    "Object",
    "String",
]


class Invalid(Exception):
    """A Python value that cannot be sent as the spec says: ``path`` (JSON names, relative to the
    value dumped), what the spec ``expected``, the ``value``."""

    def __init__(self, path: str, expected: str, value: object) -> None:
        self.path = path
        self.expected = expected
        self.value = value
        super().__init__(path, expected, value)

    def within(self, parent: str | int) -> Invalid:
        # As ResponseValidationError.within: a name may itself start with "[" (a map key).
        step = f"[{parent}]" if isinstance(parent, int) else str(parent)
        if self.path != "$":
            step += self.path if getattr(self, "_index_head", False) else f".{self.path}"
        self.path = step
        self._index_head = isinstance(parent, int)
        return self


class Kind:
    """The type of a property or parameter. Subclasses are immutable after construction."""

    expected: str = "any value"

    def parse(self, value: Any) -> Any:
        return value

    def dump(self, value: Any) -> Any:
        return value

    def query(self, value: Any) -> str | list[str]:
        dumped = self.dump(value)
        if isinstance(dumped, bool):
            return "true" if dumped else "false"
        if isinstance(dumped, int | float | str):
            return str(dumped)
        raise Invalid("$", self.expected, value)

    def fast_check(self, var: str, names: dict[str, Any]) -> str | None:
        """A Python expression that is true when the JSON value in ``var`` is valid and needs
        no conversion beyond ``fast_convert``; None: call ``parse``."""
        return None

    def fast_convert(self, var: str, names: dict[str, Any]) -> str:
        """The Python expression of the converted value (after ``fast_check`` passed)."""
        return var


def _name(names: dict[str, Any], prefix: str, value: object) -> str:
    """A name under which ``value`` is visible to compiled code."""
    for key, existing in names.items():
        if existing is value and key.startswith(prefix):
            return key
    key = f"{prefix}{len(names)}"
    names[key] = value
    return key


class Integer(Kind):
    def __init__(self, lower: int | None = None, upper: int | None = None) -> None:
        self.lower = lower
        self.upper = upper
        formats: dict[tuple[int | None, int | None], str] = {
            (-(2**63), 2**63 - 1): "integer (int64)",
            (-(2**31), 2**31 - 1): "integer (int32)",
        }
        if (lower, upper) in formats:
            self.expected = formats[(lower, upper)]
        elif lower is not None and upper is not None:
            self.expected = f"integer from {lower} to {upper}"
        elif lower is not None:
            self.expected = f"integer of at least {lower}"
        elif upper is not None:
            self.expected = f"integer of at most {upper}"
        else:
            self.expected = "integer"

    def _ok(self, value: Any) -> bool:
        return (
            type(value) is int
            and (self.lower is None or value >= self.lower)
            and (self.upper is None or value <= self.upper)
        )

    def parse(self, value: Any) -> int:
        if not self._ok(value):
            raise invalid("$", self.expected, value)
        return int(value)

    def dump(self, value: Any) -> int:
        # An IntEnum member is an int; a bool is not one here.
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid("$", self.expected, value)
        if not self._ok(int(value)):
            raise Invalid("$", self.expected, value)
        return int(value)

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        test = f"type({var}) is int"
        if self.lower is not None and self.upper is not None:
            return f"{test} and {self.lower} <= {var} <= {self.upper}"
        if self.lower is not None:
            return f"{test} and {var} >= {self.lower}"
        if self.upper is not None:
            return f"{test} and {var} <= {self.upper}"
        return test


INT64 = Integer(-(2**63), 2**63 - 1)
"""An integer of format int64, unbounded otherwise (the most common kind of the spec)."""
INT32 = Integer(-(2**31), 2**31 - 1)


class Number(Kind):
    def __init__(self, lower: float | None = None, upper: float | None = None) -> None:
        self.lower = lower
        self.upper = upper
        self.expected = "number"
        if lower is not None or upper is not None:
            low = "-inf" if lower is None else lower
            high = "inf" if upper is None else upper
            self.expected = f"number from {low} to {high}"

    def _ok(self, value: Any) -> bool:
        # `value - value` is 0 for every finite float; json.loads also reads NaN and Infinity,
        # which are not JSON numbers (and could not be written back).
        return (
            ((type(value) is float and value - value == 0.0) or type(value) is int)
            and (self.lower is None or value >= self.lower)
            and (self.upper is None or value <= self.upper)
        )

    def parse(self, value: Any) -> float:
        if not self._ok(value):
            raise invalid("$", self.expected, value)
        number: float = value  # an int stays an int: JSON does not tell 1 from 1.0
        return number

    def dump(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid("$", self.expected, value)
        if not self._ok(value) or value != value or value in (float("inf"), float("-inf")):
            raise Invalid("$", self.expected, value)
        return value


class String(Kind):
    def __init__(
        self, min_length: int = 0, max_length: int | None = None, pattern: str | None = None
    ) -> None:
        # Lengths in characters (code points), as JSON Schema's minLength and maxLength count;
        # a pattern is searched for, not anchored, as JSON Schema's is, with ASCII classes
        # (`\d`, `\w`) as in the ECMA-262 regular expressions it names.
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = None if pattern is None else re.compile(pattern, re.ASCII)
        if max_length is not None:
            self.expected = f"string of {min_length} to {max_length} characters"
        elif min_length:
            self.expected = f"string of at least {min_length} characters"
        else:
            self.expected = "string"
        if pattern is not None:
            self.expected += f" matching {pattern}"

    def _ok(self, value: Any) -> bool:
        return (
            type(value) is str
            and len(value) >= self.min_length
            and (self.max_length is None or len(value) <= self.max_length)
            and (self.pattern is None or self.pattern.search(value) is not None)
        )

    def parse(self, value: Any) -> str:
        if not self._ok(value):
            raise invalid("$", self.expected, value)
        text: str = value
        return text

    def dump(self, value: Any) -> str:
        if not self._ok(value):
            raise Invalid("$", self.expected, value)
        text: str = value
        return text

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        test = f"type({var}) is str"
        if self.min_length:
            test += f" and len({var}) >= {self.min_length}"
        if self.max_length is not None:
            test += f" and len({var}) <= {self.max_length}"
        if self.pattern is not None:
            test += f" and {_name(names, '_pattern', self.pattern)}.search({var}) is not None"
        return test


class Boolean(Kind):
    expected = "boolean"

    def parse(self, value: Any) -> bool:
        if type(value) is not bool:
            raise invalid("$", self.expected, value)
        return value

    def dump(self, value: Any) -> bool:
        if type(value) is not bool:
            raise Invalid("$", self.expected, value)
        return value

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        return f"type({var}) is bool"


class DateTime(Kind):
    expected = DATETIME_EXPECTED

    def parse(self, value: Any) -> datetime.datetime:
        return parse_datetime(value, "$")

    def dump(self, value: Any) -> str:
        if not isinstance(value, datetime.datetime):
            raise Invalid("$", "an aware datetime.datetime", value)
        try:
            offset = value.utcoffset()
        except Exception as error:  # whatever a tzinfo raises, the value is what is wrong
            raise Invalid(
                "$", f"a datetime whose tzinfo gives an offset ({error})", value
            ) from None
        if offset is None:
            raise Invalid("$", "an aware datetime (a naive one has no instant)", value)
        if offset.seconds % 60 or offset.microseconds:
            # An offset of seconds (a zone's local mean time before 1900, +08:05:43) has no OCP
            # spelling (`±HH:MM`): the same instant is written in UTC.
            value = value.astimezone(datetime.UTC)
        text: str = value.isoformat()
        return text

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        # OCP's two common spellings, `2021-09-16T17:25:05.943+0800` (entities) and
        # `...+08:00` (envelopes), checked as parse_datetime does; any other goes the long way.
        # fromisoformat then refuses any other character where a digit belongs, but for the
        # tens of the offset's minutes, which it reads as a fraction in `+08.5`: checked here.
        return (
            f"type({var}) is str and (len({var}) == 28 or (len({var}) == 29 and {var}[26] == ':'))"
            f" and {var}[4:17:3] == '--T::' and {var}[19] == '.' and {var}[23] in '+-'"
            f" and '0' <= {var}[-2] < '6'"
        )

    def fast_convert(self, var: str, names: dict[str, Any]) -> str:
        names["_fromisoformat"] = datetime.datetime.fromisoformat
        return f"_fromisoformat({var})"


class Date(Kind):
    expected = "date string YYYY-MM-DD"

    def parse(self, value: Any) -> datetime.date:
        return parse_date(value, "$")

    def dump(self, value: Any) -> str:
        if type(value) is not datetime.date:
            raise Invalid("$", "a datetime.date", value)
        return value.isoformat()


class Enum(Kind):
    """Known values of a string (or integer) set: closed (only these) or open (any string; a
    known one becomes the member, an unknown one stays the plain string)."""

    def __init__(self, enum_class: type[enum.Enum], *, open: bool) -> None:
        self.enum_class = enum_class
        self.open = open
        self.by_value: dict[object, enum.Enum] = {member.value: member for member in enum_class}
        self.value_type = type(next(iter(self.by_value))) if self.by_value else str
        values = ", ".join(str(value) for value in self.by_value)
        self.expected = "string" if open else f"one of {values}"

    def parse(self, value: Any) -> Any:
        if type(value) is not self.value_type:
            raise invalid("$", self.expected, value)
        member = self.by_value.get(value)
        if member is not None:
            return member
        if self.open:
            return value
        raise invalid("$", self.expected, value)

    def dump(self, value: Any) -> Any:
        if isinstance(value, self.enum_class):
            return value.value
        if type(value) is self.value_type and (self.open or value in self.by_value):
            return value
        raise Invalid("$", self.expected, value)

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        return f"type({var}) is {self.value_type.__name__}"

    def fast_convert(self, var: str, names: dict[str, Any]) -> str:
        members = _name(names, "_members", self.by_value)
        # A closed set: an unknown value is a KeyError, which sends the fast path the long way.
        return f"{members}.get({var}, {var})" if self.open else f"{members}[{var}]"


class Array(Kind):
    expected = "array"

    def __init__(self, items: Kind) -> None:
        self.items = items

    def parse(self, value: Any) -> list[Any]:
        if type(value) is not list:
            raise invalid("$", self.expected, value)
        parse = self.items.parse
        result = []
        for index, item in enumerate(value):
            try:
                result.append(parse(item))
            except ResponseValidationError as error:
                raise error.within(index) from None
        return result

    def dump(self, value: Any) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise Invalid("$", "a list", value)
        result = []
        for index, item in enumerate(value):
            try:
                result.append(self.items.dump(item))
            except Invalid as error:
                raise error.within(index) from None
        return result

    def query(self, value: Any) -> list[str]:
        if not isinstance(value, list | tuple):
            raise Invalid("$", "a list", value)
        result: list[str] = []
        for index, item in enumerate(value):
            try:
                text = self.items.query(item)
            except Invalid as error:
                raise error.within(index) from None
            result.extend([text] if isinstance(text, str) else text)
        return result

    def fast_item_check(self, names: dict[str, Any]) -> str | None:
        """The check of one item ``_x``, when items need no conversion (else None)."""
        item_check = self.items.fast_check("_x", names)
        if item_check is not None and self.items.fast_convert("_x", names) == "_x":
            return item_check
        return None

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        # The models' compiled path checks the items of its own properties in a loop (faster
        # than all() over a generator); this expression serves arrays nested in arrays.
        item_check = self.fast_item_check(names)
        if item_check is not None:
            return f"type({var}) is list and all({item_check} for _x in {var})"
        return f"type({var}) is list"

    def fast_convert(self, var: str, names: dict[str, Any]) -> str:
        if self.fast_item_check(names) is not None:
            return f"list({var})"
        if isinstance(self.items, Object):
            parse = _name(names, "_parse", self.items)
            return f"[{parse}.fast(_x) for _x in {var}]"
        parse = _name(names, "_kind", self.items)
        return f"[{parse}.parse(_x) for _x in {var}]"


class Map(Kind):
    expected = "object"

    def __init__(self, values: Kind) -> None:
        self.values = values

    def parse(self, value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise invalid("$", self.expected, value)
        result = {}
        for key, item in value.items():
            try:
                result[key] = self.values.parse(item)
            except ResponseValidationError as error:
                raise error.within(key) from None
        return result

    def dump(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping) or not all(type(k) is str for k in value):
            raise Invalid("$", "a mapping with str keys", value)
        result = {}
        for key, item in value.items():
            try:
                result[key] = self.values.dump(item)
            except Invalid as error:
                raise error.within(key) from None
        return result


class Any_(Kind):
    """Any JSON value, kept as it is."""

    expected = "any value"

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        return "True"


class Object(Kind):
    """A generated model, named by module and class so that models may refer to each other
    (and to themselves) without import cycles: the class is imported on first use."""

    expected = "object"

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self._model: type[Model] | None = None

    @property
    def model(self) -> type[Model]:
        if self._model is None:
            found: type[Model] = getattr(
                importlib.import_module(self.module, __package__), self.name
            )
            self._model = found
            return found
        return self._model

    def parse(self, value: Any) -> Any:
        return self.model.parse_detailed(value)

    def fast(self, value: Any) -> Any:
        return self.model.from_dict(value)

    def dump(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, self.model):
            raise Invalid("$", f"a {self.name}", value)
        return value.dump()

    def query(self, value: Any) -> str:
        raise Invalid("$", "a scalar", value)

    def fast_check(self, var: str, names: dict[str, Any]) -> str:
        return f"type({var}) is dict"

    def fast_convert(self, var: str, names: dict[str, Any]) -> str:
        parse = _name(names, "_parse", self)
        return f"{parse}.fast({var})"


class Field:
    """One property of a model: its Python and JSON names, kind, and whether it is required."""

    __slots__ = ("json_name", "kind", "name", "required")

    def __init__(self, name: str, json_name: str, kind: Kind, required: bool = False) -> None:
        self.name = name
        self.json_name = json_name
        self.kind = kind
        self.required = required
