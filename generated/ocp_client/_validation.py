"""OCP's time spellings and the error of a value that does not match the spec: what the kinds
(``_kinds.py``) call to check a response. And the one rule of the SDK's own options in seconds
and retries (``Client``, each call, ``RetryPolicy``, the retry transport's deadline, waiting on
tasks): :func:`seconds` and :func:`retries`.

Hand-written. The models' compiled fast path (``_model.py``) checks OCP's common time spellings
inline; ``parse_datetime`` here is the full rule, which both paths agree with.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import httpx

from .errors import RequestValidationError, ResponseValidationError

__all__ = [
    "MISSING",
    "invalid",
    "parse_date",
    "parse_datetime",
    "real",
    "retries",
    "seconds",
    "timeout",
]


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
"""The value of a required property that is not there."""

# What the spec's OCP time pattern allows: `2021-09-16T17:25:05.943+0800`, `...+08:00`, `...Z`,
# 0-9 fraction digits. `datetime.fromisoformat` (Python 3.11) parses all of these, in C, but also
# spellings OCP never sends (a space for `T`, basic dates, `+08`, no offset, 10 or more fraction
# digits, offset minutes past 59, a fraction of the offset's hour: `+08.5` and `+08,5` read as
# 8 hours and half a second); the character checks in parse_datetime refuse those at a fraction
# of the cost of a regular expression.
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


def _offset_start(value: str) -> int:
    """Where the offset of an OCP time starts: `Z`, `±HHMM` or `±HH:MM`, in ASCII digits with
    minutes below 60; 0 when the value ends in none of these."""
    length = len(value)
    if value[-1] == "Z":
        return length - 1
    if not "0" <= value[-2] < "6":  # the tens of the minutes (also refuses `+08.5`)
        return 0
    if value[-5] in _SIGNS and _digits(value[-4:]):
        return length - 5
    if value[-6] in _SIGNS and value[-3] == ":" and _digits(value[-5:-3] + value[-2:]):
        return length - 6
    return 0


def invalid(path: str, expected: str, value: object) -> ResponseValidationError:
    """The error for ``value`` at ``path`` (relative to the value being parsed); ``MISSING`` is a
    missing required property."""
    if value is MISSING:
        return ResponseValidationError(path, expected, None, missing=True)
    return ResponseValidationError(path, expected, value)


def parse_datetime(value: Any, path: str) -> datetime.datetime:
    """An aware datetime from an OCP time string, or a ResponseValidationError."""
    if (
        type(value) is str
        and len(value) >= _DATETIME_MIN_LENGTH
        and value[4:17:3] == _DATE_TIME_SEPARATORS
        and value[19] in _AFTER_SECONDS
    ):
        offset_start = _offset_start(value)
        # The seconds end there, or a fraction of 1 to 9 digits does. fromisoformat reads six
        # digits and skips the rest unread, so digits 7 to 9 are checked here.
        if offset_start == _SECONDS_END or (
            _SECONDS_END + 1 < offset_start <= _FRACTION_END
            and value[19] == "."
            and (
                offset_start <= _MICROSECONDS_END or _digits(value[_MICROSECONDS_END:offset_start])
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
    # fromisoformat also reads week dates of the same length (`2021-W37-4`): not the spec's.
    if type(value) is str and len(value) == len("2021-09-16") and value[4:8:3] == "--":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid(path, "date string YYYY-MM-DD", value)


# --- the SDK's own options ---------------------------------------------------------------------
# A number is what the annotations `float` and `int` accept, as a type checker reads them: an int
# or a float, their subclasses included (an IntEnum member; numpy.float64, a float), never a bool
# (`timeout=True` is a mistake, not one second). A Decimal, a Fraction, numpy.int64 or a str are
# refused, as a type checker refuses them. The value returned is a plain float or int.


def real(value: object) -> float | None:
    """``value`` as a float when it is a finite number (see above); else None (also for inf, nan
    and an int too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond a float's range: not a time anything can wait
        return None
    return number if math.isfinite(number) else None


def seconds(argument: str, value: object, *, zero: bool = False, also: str | None = None) -> float:
    """``value`` as seconds: a finite number above 0 (``zero``: or 0, for a wait that may be
    none). ``also`` names what else ``argument`` takes, for the message.

    Raises:
        RequestValidationError: naming ``argument``, ``expected seconds above 0, got <repr>``.
    """
    number = real(value)
    if number is None or number < 0 or (number == 0 and not zero):
        expected = "seconds of at least 0" if zero else "seconds above 0"
        alternative = "" if also is None else f" or {also}"
        raise RequestValidationError(argument, f"expected {expected}{alternative}, got {value!r}")
    return number


def timeout(value: object) -> float | httpx.Timeout:
    """A ``timeout`` argument: an ``httpx.Timeout``, or seconds for each of connect, read, write
    and pool (see :func:`seconds`)."""
    if isinstance(value, httpx.Timeout):
        return value
    return seconds("timeout", value, also="an httpx.Timeout")


def retries(argument: str, value: object, *, also: str | None = None) -> int:
    """``value`` as a count of retries: an int (not a bool) of at least 0.

    Raises:
        RequestValidationError: naming ``argument``, ``expected an int of at least 0, got <repr>``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        alternative = "" if also is None else f" or {also}"
        raise RequestValidationError(
            argument, f"expected an int of at least 0{alternative}, got {value!r}"
        )
    return int(value)
