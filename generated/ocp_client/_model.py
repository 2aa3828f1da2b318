"""The base of every generated model: validating ``from_dict``, ``to_dict``, and the generic
``Page`` of paginated answers.

Hand-written. A generated model is an attrs class that declares its properties twice, as typed
attributes (for users and type checkers) and as ``__ocp_fields__`` (the spec's facts: JSON name,
kind, required). Everything else is here:

- ``parse_detailed(value)`` walks the fields one by one (``_kinds``) and is the definition of a
  valid value: it names the path of the first value that is wrong, keeps properties the spec
  does not name in ``additional_properties``, and reads absent optional properties as None.
- ``from_dict(value)`` first tries a fast path compiled from the fields on first use, as attrs
  compiles ``__init__``: required keys read in one ``try``, all type and range checks in one
  ``and`` chain, OCP's common time spellings checked inline before ``fromisoformat``, and the
  instance built with ``object.__new__`` and slot stores. Anything it is not sure of (an error,
  an unusual spelling, a property the spec does not name) goes to ``parse_detailed``, so both give
  the same objects and the same errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

import attrs

from ._kinds import Array, Field, Invalid, Kind, Object
from ._validation import MISSING, invalid
from .errors import RequestValidationError, ResponseValidationError

if TYPE_CHECKING:
    from .models.page_info import PageInfo

__all__ = ["Model", "Page"]

ModelT = TypeVar("ModelT", bound="Model")
Item = TypeVar("Item")


class Model:
    """What every generated model shares. Subclasses are attrs classes with slots."""

    __slots__ = ()
    __ocp_fields__: ClassVar[tuple[Field, ...]] = ()
    # Whether properties the spec does not name are kept (True) or refused.
    __ocp_additional__: ClassVar[bool] = True
    additional_properties: dict[str, Any]
    """Properties the spec does not name (a newer OCP's), kept as sent and sent back by
    :meth:`to_dict`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Each class compiles its own from_dict: the one its parent compiled builds the parent.
        if "from_dict" not in cls.__dict__:
            cls.from_dict = Model.__dict__["from_dict"]  # type: ignore[method-assign]

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Parse and validate a JSON object against the spec.

        Raises:
            errors.ResponseValidationError: a value does not match the spec; its ``path``
                names it (``contents[3].finishTime``).
        """
        return compiled(cls)(src_dict)

    @classmethod
    def parse_detailed(cls, value: Any) -> Self:
        """As :meth:`from_dict`, field by field: slower, and what defines a valid value."""
        if not isinstance(value, Mapping):
            raise invalid("$", "object", value)
        values: dict[str, Any] = {}
        known = set()
        for field in cls.__ocp_fields__:
            known.add(field.json_name)
            if field.json_name in value:
                try:
                    values[field.name] = field.kind.parse(value[field.json_name])
                except ResponseValidationError as error:
                    raise error.within(field.json_name) from None
            elif field.required:
                raise invalid(field.json_name, field.kind.expected, MISSING)
            else:
                values[field.name] = None
        extra = {key: item for key, item in value.items() if key not in known}
        if extra and not cls.__ocp_additional__:
            key = next(iter(extra))
            raise invalid(str(key), "no such property", extra[key])
        instance = object.__new__(cls)
        for name, item in values.items():
            object.__setattr__(instance, name, item)
        object.__setattr__(instance, "additional_properties", extra)
        return instance

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this model, as the spec spells it (times in RFC 3339).

        Raises:
            errors.RequestValidationError: a value set on the model does not match the spec
                (a wrong type, an integer out of range, a naive datetime, a required value
                None); ``argument`` is its JSON path.
        """
        try:
            return self.dump()
        except Invalid as error:
            raise RequestValidationError(
                error.path, f"expected {error.expected}, got {error.value!r}"
            ) from None

    def dump(self) -> dict[str, Any]:
        """As :meth:`to_dict`, raising ``_kinds.Invalid`` (for callers that add a path)."""
        result: dict[str, Any] = dict(self.additional_properties)
        for field in self.__ocp_fields__:
            value = getattr(self, field.name)
            if value is None:
                if field.required:
                    raise Invalid(field.json_name, f"{field.kind.expected} (required)", None)
                result.pop(field.json_name, None)
                continue
            try:
                result[field.json_name] = field.kind.dump(value)
            except Invalid as error:
                raise error.within(field.json_name) from None
        return result


def compiled(cls: type[ModelT]) -> Callable[[Any], ModelT]:
    """The compiled ``from_dict`` of a model class, compiled on first use; from then on it is
    the class's own ``from_dict``. Callers that keep the function (a page's items) take it from
    here: a ``from_dict`` looked up before the first call would compile on every call."""
    fast: Callable[[Any], ModelT] | None = cls.__dict__.get("__ocp_compiled__")
    if fast is None:
        fast = _compile(cls)
        cls.__ocp_compiled__ = fast  # type: ignore[attr-defined]
        cls.from_dict = staticmethod(fast)  # type: ignore[method-assign, assignment]
    return fast


def _compile(cls: type[ModelT]) -> Callable[[Any], ModelT]:
    """The fast ``from_dict`` of a model class, compiled from its fields (see the module doc)."""
    names: dict[str, Any] = {
        "_cls": cls,
        "_new": object.__new__,
        "_slow": cls.parse_detailed,
        "_Error": ResponseValidationError,
    }
    required = [f for f in cls.__ocp_fields__ if f.required]
    optional = [f for f in cls.__ocp_fields__ if not f.required]
    variables = {f.name: f"v{index}" for index, f in enumerate(cls.__ocp_fields__)}
    lines = ["def fast(d):", "    if type(d) is not dict:", "        return _slow(d)"]
    if required:
        lines.append("    try:")
        lines += [f"        {variables[f.name]} = d[{f.json_name!r}]" for f in required]
        lines += ["    except KeyError:", "        return _slow(d)"]
    codes = {f.name: _field_code(f.kind, variables[f.name], names) for f in cls.__ocp_fields__}
    lines.append("    try:")
    body = []
    checks = [f"({codes[f.name][0]})" for f in required if codes[f.name][0] != "True"]
    if checks:
        body += [f"if not ({' and '.join(checks)}):", "    return _slow(d)"]
    for f in required:
        _check, loop, value = codes[f.name]
        body += loop
        if value != variables[f.name]:
            body.append(f"{variables[f.name]} = {value}")
    body.append(f"n = {len(required)}")
    for f in optional:
        var = variables[f.name]
        check, loop, value = codes[f.name]
        body += [f"{var} = d.get({f.json_name!r})", f"if {var} is not None:", "    n += 1"]
        if check != "True":
            body += [f"    if not ({check}):", "        return _slow(d)"]
        body += [f"    {line}" for line in loop]
        if value != var:
            body.append(f"    {var} = {value}")
    body += [
        "if len(d) != n:",  # a property the spec does not name, or a null: the long way
        "    return _slow(d)",
        "o = _new(_cls)",
        *[f"o.{f.name} = {variables[f.name]}" for f in cls.__ocp_fields__],
        "o.additional_properties = {}",
        "return o",
    ]
    lines += [f"        {line}" for line in body]
    lines += ["    except (_Error, ValueError, KeyError, TypeError):", "        return _slow(d)"]
    source = "\n".join(lines)
    exec(compile(source, f"<ocp_client from_dict of {cls.__qualname__}>", "exec"), names)
    fast: Callable[[Any], ModelT] = names["fast"]
    return fast


def _field_code(kind: Kind, var: str, names: dict[str, Any]) -> tuple[str, list[str], str]:
    """How the compiled path reads one property held in ``var``: a check expression ("True"
    when there is none), statements that check an array's items (leaving the function by the
    long way on a bad one), and the expression of the value."""
    if isinstance(kind, Array):
        item_check = kind.fast_item_check(names)
        if item_check is not None:
            loop = [f"for _x in {var}:", f"    if not ({item_check}):", "        return _slow(d)"]
            return f"type({var}) is list", loop, kind.fast_convert(var, names)
    check = kind.fast_check(var, names)
    if check is None:
        key = f"_kind{len(names)}"
        names[key] = kind
        return "True", [], f"{key}.parse({var})"
    return check, [], kind.fast_convert(var, names)


@attrs.define(kw_only=True)
class Page(Generic[Item]):
    """One page of a paginated answer: the ``contents`` of the page and where the page lies in
    the whole list (``page.number``, ``page.size``, ``page.total_elements``,
    ``page.total_pages``). Iterating a page iterates its contents."""

    contents: list[Item]
    page: PageInfo
    additional_properties: dict[str, Any] = attrs.field(factory=dict)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.contents)

    def __len__(self) -> int:
        return len(self.contents)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this page (see :meth:`Model.to_dict`)."""
        result = dict(self.additional_properties)
        result["contents"] = [
            item.to_dict() if isinstance(item, Model) else item for item in self.contents
        ]
        result["page"] = self.page.to_dict()
        return result


class PageOf(Kind):
    """The kind of a page of items of ``items`` (an operation's ``data``)."""

    expected = "object"

    def __init__(self, items: Kind, page_info: Object) -> None:
        self.items = items
        self.page_info = page_info

    def parse(self, value: Any) -> Page[Any]:
        if type(value) is not dict:
            raise invalid("$", "object", value)
        if "contents" not in value:
            raise invalid("contents", "array", MISSING)
        if "page" not in value:
            raise invalid("page", "object", MISSING)
        contents = value["contents"]
        if type(contents) is not list:
            raise invalid("contents", "array", contents)
        items: list[Any]
        if isinstance(self.items, Object):
            fast = compiled(self.items.model)
            try:
                items = [fast(item) for item in contents]
            except ResponseValidationError:
                items = []  # parse again, item by item, to name the index that failed
                for index, item in enumerate(contents):
                    try:
                        items.append(fast(item))
                    except ResponseValidationError as error:
                        raise error.within(index).within("contents") from None
        else:
            try:
                items = _parse_items(self.items, contents)
            except ResponseValidationError as error:
                raise error.within("contents") from None
        try:
            page_info: PageInfo = compiled(self.page_info.model)(value["page"])  # type: ignore[assignment]  # the runtime knows PageInfo by name only (spec_model checks it)
        except ResponseValidationError as error:
            raise error.within("page") from None
        extra = {k: v for k, v in value.items() if k not in ("contents", "page")}
        return Page(contents=items, page=page_info, additional_properties=extra)


def _parse_items(kind: Kind, contents: list[Any]) -> list[Any]:
    result = []
    for index, item in enumerate(contents):
        try:
            result.append(kind.parse(item))
        except ResponseValidationError as error:
            raise error.within(index) from None
    return result
