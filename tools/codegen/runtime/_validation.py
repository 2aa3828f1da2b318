"""Helpers that the generated ``from_dict`` methods call to check a response against the spec,
and that the generated ``_get_kwargs`` calls to check an argument.

Hand-written (tools/codegen/runtime/_validation.py). The per-field checks themselves are emitted
inline by the model template (tools/codegen/templates/validate.py.jinja), because a function call
per field would double the cost of parsing; only what is too long to inline lives here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from .errors import RequestValidationError, ResponseValidationError
from .types import UNSET

__all__ = ["as_object", "check_aware", "invalid", "parse_date", "parse_datetime"]

# What the spec's OCP time pattern allows: `2021-09-16T17:25:05.943+0800`, `...+08:00`, `...Z`,
# 0-9 fraction digits. `datetime.fromisoformat` (Python 3.11) parses all of these, in C, but also
# spellings OCP never sends (a space for `T`, basic dates, `+08`, no offset, 10 or more fraction
# digits, offset minutes past 59); the character checks in parse_datetime refuse those at a
# fraction of the cost of a regular expression.
DATETIME_EXPECTED = "date-time string with offset, like 2021-09-16T17:25:05.943+0800"
_fromisoformat = datetime.datetime.fromisoformat
_DATETIME_MIN_LENGTH = len("2021-09-16T17:25:05Z")
_SECONDS_END = len("2021-09-16T17:25:05")
_FRACTION_END = len("2021-09-16T17:25:05.123456789")
_MICROSECONDS_END = len("2021-09-16T17:25:05.123456")
_DATE_TIME_SEPARATORS = "--T::"  # value[4], [7], [10], [13], [16]: `2021-09-16T17:25:05`
_AFTER_SECONDS = ".Z+-"  # a fraction (never a comma), or the offset
_SIGNS = "+-"


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def invalid(path: str, expected: str, value: object) -> ResponseValidationError:
    """The error for ``value`` at ``path`` (relative to the model being parsed); ``UNSET`` is a
    missing required property."""
    if value is UNSET:
        return ResponseValidationError(path, expected, None, missing=True)
    return ResponseValidationError(path, expected, value)


def as_object(value: object) -> dict[str, Any]:
    """The JSON object a model is parsed from: a ``dict`` as it is, another ``Mapping`` copied."""
    if isinstance(value, Mapping):
        return dict(value)
    raise invalid("$", "object", value)


def parse_datetime(value: Any, path: str) -> datetime.datetime:
    """An aware datetime from an OCP time string, or a ResponseValidationError."""
    if type(value) is str:
        length = len(value)
        if (
            length >= _DATETIME_MIN_LENGTH
            and value[4:17:3] == _DATE_TIME_SEPARATORS
            and value[19] in _AFTER_SECONDS
        ):
            # Where the offset starts: `+0800`, `+08:00` (minutes at most 59), `Z`; else 0.
            if value[-5] in _SIGNS:
                offset_start = length - 5 if value[-2] < "6" else 0
            elif value[-6] in _SIGNS and value[-3] == ":":
                offset_start = length - 6 if value[-2] < "6" else 0
            elif value[-1] == "Z":
                offset_start = length - 1
            else:
                offset_start = 0
            # The seconds end there, or a fraction of 1 to 9 digits does. fromisoformat reads
            # six digits and skips the rest unread, so digits 7 to 9 are checked here.
            if offset_start == _SECONDS_END or (
                _SECONDS_END + 1 < offset_start <= _FRACTION_END
                and value[19] == "."
                and (
                    offset_start <= _MICROSECONDS_END
                    or _digits(value[_MICROSECONDS_END:offset_start])
                )
            ):
                try:
                    parsed = _fromisoformat(value)
                except ValueError:
                    pass  # not a calendar date or clock time
                else:
                    if parsed.tzinfo is not None:
                        return parsed
    raise invalid(path, DATETIME_EXPECTED, value)


def parse_date(value: object, path: str) -> datetime.date:
    """A date from an ISO 8601 ``YYYY-MM-DD`` string, or a ResponseValidationError."""
    if type(value) is str and len(value) == len("2021-09-16") and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid(path, "date string YYYY-MM-DD", value)


def check_aware(argument: str, value: datetime.datetime) -> None:
    """A RequestValidationError unless ``value`` names an instant: a naive datetime does not,
    nor does one whose tzinfo fails to give an offset (a day or more, or its own error)."""
    try:
        offset = value.utcoffset()
    except Exception as error:  # whatever a tzinfo raises, the argument is what is wrong
        raise RequestValidationError(
            argument, f"its tzinfo gives no valid offset ({error}): {value!r}"
        ) from error
    if offset is None:
        raise RequestValidationError(
            argument, f"a naive datetime ({value!r}) has no instant; give it a tzinfo"
        )
