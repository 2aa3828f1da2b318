"""Helpers that the generated ``from_dict`` methods call to check a response against the spec.

Hand-written (tools/codegen/runtime/_validation.py). The per-field checks themselves are emitted
inline by the model template (tools/codegen/templates/validate.py.jinja), because a function call
per field would double the cost of parsing; only what is too long to inline lives here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from .errors import ResponseValidationError
from .types import UNSET

__all__ = ["as_object", "invalid", "parse_date", "parse_datetime"]

# What the spec's OCP time pattern allows: `2021-09-16T17:25:05.943+0800`, `...+08:00`, `...Z`,
# 0-9 fraction digits. `datetime.fromisoformat` (Python 3.11) parses all of these, in C, but also
# spellings OCP never sends (a space for `T`, basic dates, `+08`, no offset); the character checks
# in parse_datetime refuse those at a fraction of the cost of a regular expression.
DATETIME_EXPECTED = "date-time string with offset, like 2021-09-16T17:25:05.943+0800"
_fromisoformat = datetime.datetime.fromisoformat
_DATETIME_MIN_LENGTH = len("2021-09-16T17:25:05Z")
_AFTER_SECONDS = ".Z+-"  # a fraction (never a comma), or the offset
_SIGNS = "+-"


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
    if (
        type(value) is str
        and len(value) >= _DATETIME_MIN_LENGTH
        and value[4] == "-"
        and value[7] == "-"
        and value[10] == "T"
        and value[13] == ":"
        and value[16] == ":"
        and value[19] in _AFTER_SECONDS
        and (value[19] != "." or value[20].isdigit())
        and (value[-5] in _SIGNS or value[-6] in _SIGNS or value[-1] == "Z")
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
