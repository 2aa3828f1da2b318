"""Times and durations on the command line: ``--since``/``--until``, ``--max-age``, and how long
ago something happened, for people.

- TIME is an ISO 8601 time with a UTC offset or ``Z``, a relative time (``90m``, ``26h``, ``7d``,
  ``2w``, combined as ``1d12h``: that long before now), or ``now``. A time without offset is
  refused: its instant would depend on the time zone of the host that runs the command, which
  for a cron job or a monitoring server is rarely the DBA's.
- Relative times are exact durations (a day is 24 hours, also across a DST change) and are sent
  in the offset of the command's clock (the host's local one).
"""

from __future__ import annotations

import argparse
import datetime
import re
from typing import NamedTuple

__all__ = [
    "Duration",
    "TimeSpec",
    "duration_argument",
    "human_duration",
    "local_now",
    "parse_duration",
    "parse_time",
    "resolve_time",
    "time_argument",
]

TimeSpec = datetime.datetime | datetime.timedelta

_DURATION = re.compile(r"(?:\d+[smhdw])+")
_DURATION_PART = re.compile(r"(\d+)([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_TIME_HINT = (
    "an ISO 8601 time with offset (2024-05-01T08:00:00+08:00, 2024-05-01T00:00:00Z), "
    "a relative time (90m, 26h, 7d, 2w: that long before now) or 'now'"
)

TIMES_HELP = """\
times (--since, --until):
  ISO 8601 with offset: 2024-05-01T08:00:00+08:00, 2024-05-01T00:00:00Z (no offset: refused)
  relative, that long before now: 90m, 26h, 7d, 2w, 1d12h (s m h d w; a day is 24 h); or now
  --since alone ends the period now; --until alone is refused (OCP needs both or neither).
"""


def parse_duration(text: str) -> datetime.timedelta:
    """``90m``, ``26h``, ``7d``, ``2w``, ``1d12h`` (units s, m, h, d, w) as an exact duration.

    Units are lower case only, so that ``m`` can never be mistaken for months."""
    if not _DURATION.fullmatch(text):
        raise ValueError(f"expected a duration like 90m, 26h, 7d, 2w or 1d12h, not {text!r}")
    seconds = sum(
        int(number) * _UNIT_SECONDS[unit] for number, unit in _DURATION_PART.findall(text)
    )
    try:
        return datetime.timedelta(seconds=seconds)
    except OverflowError:  # argparse reports ValueError, not OverflowError, as a usage error
        raise ValueError(f"{text!r} is longer than this program can count") from None


def parse_time(text: str) -> TimeSpec:
    """A ``--since``/``--until`` value: an aware datetime, or a duration before now.

    ``now`` is the zero duration. A time without UTC offset raises ValueError."""
    if text == "now":
        return datetime.timedelta(0)
    if _DURATION.fullmatch(text):
        return parse_duration(text)
    from dateutil.parser import isoparse  # not at the top: --help needs none

    try:
        moment = isoparse(text)
    except (ValueError, OverflowError):
        raise ValueError(f"expected {_TIME_HINT}, not {text!r}") from None
    if moment.utcoffset() is None:
        raise ValueError(
            f"{text!r} has no UTC offset, so its instant depends on this host's time zone; "
            "add one (+08:00, Z) or give a relative time such as 26h"
        )
    return moment


def resolve_time(spec: TimeSpec, now: datetime.datetime) -> datetime.datetime:
    """The instant of a parsed time. Relative times are subtracted in UTC, so that ``26h`` is 26
    real hours across a DST change, and are expressed in the offset of ``now``."""
    if isinstance(spec, datetime.datetime):
        return spec
    return (now.astimezone(datetime.UTC) - spec).astimezone(now.tzinfo)


def time_argument(text: str) -> TimeSpec:
    """argparse type of ``--since``/``--until``."""
    try:
        return parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class Duration(NamedTuple):
    """A duration as parsed, and as the user wrote it (for messages)."""

    delta: datetime.timedelta
    text: str


def duration_argument(text: str) -> Duration:
    """argparse type of a duration longer than zero (``--max-age``, ``--max-log-delay``)."""
    try:
        delta = parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if not delta:
        raise argparse.ArgumentTypeError("must be longer than zero")
    return Duration(delta, text)


def human_duration(seconds: float) -> str:
    """``45s``, ``12m05s``, ``3h12m``, ``2d03h``: two units at most, for a glance."""
    total = max(0, round(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def local_now() -> datetime.datetime:
    return datetime.datetime.now().astimezone()
