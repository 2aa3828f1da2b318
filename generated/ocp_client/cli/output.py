"""The output formats (``-o/--output``): what each shows of a model, from the model's fields.

- ``table`` is for people: chosen fields (by JSON name; a test holds each list to the spec),
  numbers to the right, times in the offset OCP sent. Each column's width is fixed from its
  field's kind (an enum: its longest known value; a time: 25; an integer: its digits, at most
  10), so that a row is printed as soon as it arrives; a longer value widens its row only.
- ``json`` (one array) and ``jsonl`` (one object a line) carry every field under the API's own
  names (the model's ``to_dict()``, with the properties a newer OCP sends), always strict JSON:
  a number that is not finite is written ``null``, never ``NaN``.
- ``csv`` has one column per field of the model, in the spec's order with the required fields
  first, so that its header changes only when the spec does.

The models' runtime (attrs) is imported by the functions that need it: ``--help`` needs none.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from .times import human_duration

if TYPE_CHECKING:
    from .._kinds import Kind
    from .._model import Model

__all__ = [
    "DURATION_HEADER",
    "FORMATS",
    "Column",
    "TableWriter",
    "csv_columns",
    "dumps",
    "kind_width",
    "table_columns",
    "write_csv",
    "write_items",
    "write_json",
    "write_jsonl",
]

FORMATS = ("table", "json", "jsonl", "csv")
DURATION_HEADER = "duration"
_DURATION_WIDTH = len("23h59m")
_TIME_WIDTH = len("2021-09-16 17:25:02+08:00")
_MAX_INTEGER_WIDTH = 10
_NUMBER_WIDTH = 10
_TEXT_WIDTH = 16


class Column(NamedTuple):
    """A column of the table: its header, its cell's text for an item, its alignment, its
    width (at least the header's)."""

    header: str
    cell: Callable[[Any], str]
    right: bool = False
    width: int = 0


def kind_width(kind: Kind) -> int:
    """The width a column of ``kind`` gets before any row is seen."""
    from .. import _kinds

    if isinstance(kind, _kinds.Enum):
        return max((len(str(value)) for value in kind.by_value), default=_TEXT_WIDTH)
    if isinstance(kind, _kinds.DateTime):
        return _TIME_WIDTH
    if isinstance(kind, _kinds.Integer):
        digits = [len(str(bound)) for bound in (kind.lower, kind.upper) if bound is not None]
        return min(max(digits, default=_MAX_INTEGER_WIDTH), _MAX_INTEGER_WIDTH)
    if isinstance(kind, _kinds.Number):
        return _NUMBER_WIDTH
    if isinstance(kind, _kinds.Boolean):
        return len("false")
    return _TEXT_WIDTH


def _cell_text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, list):
        return ";".join(str(item) for item in value) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _attribute_cell(attribute: str) -> Callable[[Any], str]:
    return lambda item: _cell_text(getattr(item, attribute))


def _duration_cell(start: str, finish: str) -> Callable[[Any], str]:
    def cell(item: Any) -> str:
        started, finished = getattr(item, start), getattr(item, finish)
        if started is None or finished is None:
            return "-"
        return human_duration((finished - started).total_seconds())

    return cell


def table_columns(
    model: type[Model],
    fields: Sequence[str],
    *,
    headers: Mapping[str, str] | None = None,
    duration: tuple[str, str] | None = ("startTime", "finishTime"),
) -> list[Column]:
    """The table's columns: ``fields`` of ``model`` (JSON names), numbers aligned right, then the
    duration (between the ``duration`` pair of time fields) when the model has both.

    Raises:
        LookupError: a name is not a field of ``model``.
    """
    from .. import _kinds  # the models' runtime

    by_name = {field.json_name: field for field in model.__ocp_fields__}
    columns = []
    for name in fields:
        field = by_name.get(name)
        if field is None:
            raise LookupError(f"{model.__name__} has no field {name!r}")
        right = isinstance(field.kind, _kinds.Integer | _kinds.Number)
        header = (headers or {}).get(name, name)
        width = max(len(header), kind_width(field.kind))
        columns.append(Column(header, _attribute_cell(field.name), right, width))
    if duration is not None and all(name in by_name for name in duration):
        start, finish = (by_name[name].name for name in duration)
        width = max(len(DURATION_HEADER), _DURATION_WIDTH)
        columns.append(Column(DURATION_HEADER, _duration_cell(start, finish), True, width))
    return columns


class TableWriter:
    """Writes each row as it comes, in the columns' fixed widths, under a header written with
    the first row (or by :meth:`close` when there is none): a listing that fails before its
    first row prints nothing on stdout."""

    def __init__(self, out: IO[str], columns: Sequence[Column]) -> None:
        self._out = out
        self._columns = columns
        self._started = False

    def _line(self, cells: Sequence[str]) -> None:
        texts = (
            cell.rjust(column.width) if column.right else cell.ljust(column.width)
            for column, cell in zip(self._columns, cells, strict=True)
        )
        self._out.write("  ".join(texts).rstrip() + "\n")

    def _header(self) -> None:
        if not self._started:
            self._started = True
            self._line(tuple(column.header for column in self._columns))

    def row(self, item: Any) -> None:
        self._header()
        self._line(tuple(column.cell(item) for column in self._columns))

    def close(self) -> None:
        self._header()


def _strict(value: Any) -> Any:
    """``value`` with every float that is not finite replaced by None (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(item) for item in value]
    return value


def dumps(value: Any, *, indent: int | None = None) -> str:
    """Strict JSON of ``value``; ``json.dumps`` raises rather than write NaN."""
    return json.dumps(_strict(value), ensure_ascii=False, indent=indent, allow_nan=False)


def write_json(records: Iterable[Any], out: IO[str]) -> None:
    out.write(dumps(list(records), indent=2) + "\n")


def write_jsonl(records: Iterable[Any], out: IO[str]) -> None:
    for record in records:
        out.write(dumps(record) + "\n")
        out.flush()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)


def write_csv(records: Iterable[Mapping[str, Any]], out: IO[str], columns: Sequence[str]) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(record.get(column)) for column in columns])


def csv_columns(model: type[Model]) -> tuple[str, ...]:
    """One column per field of ``model``, by JSON name, in the order of its ``__ocp_fields__``:
    the spec's, required fields first."""
    return tuple(field.json_name for field in model.__ocp_fields__)


def write_items(
    items: Iterable[Model],
    out: IO[str],
    output: str,
    model: type[Model],
    columns: Sequence[Column],
) -> None:
    """``items`` of ``model`` in the ``output`` format (``table`` in ``columns``). The JSON
    array is written once every item is read, so that a failure part-way leaves no half
    array; the other formats write each item as it arrives."""
    if output == "table":
        table = TableWriter(out, columns)
        for item in items:
            table.row(item)
        table.close()
    elif output == "csv":
        write_csv((item.to_dict() for item in items), out, csv_columns(model))
    elif output == "jsonl":
        write_jsonl((item.to_dict() for item in items), out)
    else:
        write_json([item.to_dict() for item in items], out)
