"""Reading a response body as strict JSON (RFC 8259), for every place that does (hand-written).

``json.loads`` accepts more than JSON and fails in more ways than ValueError, so this module
reads a body as RFC 8259 says and turns every refusal into :class:`Malformed`, which names the
JSON path of the offending value where there is one:

- the body must be UTF-8 (RFC 8259 §8.1), well-formed: ``json.loads(bytes)`` would also read
  UTF-16 and UTF-32 and let lone surrogates through; a UTF-8 byte order mark is ignored, as
  §8.1 allows;
- ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON, nor is a number too large for a float
  (``1e999`` would read as infinity);
- names within an object must be unique (§4 leaves duplicates to the reader; the last one
  silently winning hides a broken server);
- nesting deeper than :data:`MAX_DEPTH` and integers longer than Python converts (4,300 digits
  by default) are refused with their path, and the verdict does not depend on how deep the
  caller's stack is: a body that the interpreter's recursion limit stops is read again on a
  fresh thread (:func:`on_fresh_stack`).
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["MAX_DEPTH", "Malformed", "loads", "on_fresh_stack"]

T = TypeVar("T")

MAX_DEPTH = 128
"""Arrays and objects nested deeper are refused (OCP's bodies nest about 5 deep); serde_json's
default limit. It keeps every reader of the value, the SDK's and the caller's, far from the
recursion limit."""

_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xfe\xff", b"\xff\xfe")
_WHITESPACE = re.compile(r"[ \t\n\r]*")  # RFC 8259 §2
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_LITERALS = ("true", "false", "null")
_NOT_JSON = ("NaN", "Infinity", "-Infinity")
# Digits of the longest integer shown whole in a message.
_SHOWN = 40


class Malformed(ValueError):
    """A body that is not strict JSON: ``path`` of the offending value (``$`` for the body),
    ``expected`` what would be JSON there, ``found`` what is (a short excerpt)."""

    def __init__(self, path: str, expected: str, found: str) -> None:
        self.path = path
        self.expected = expected
        self.found = found
        super().__init__(f"{path}: expected {expected}, got {found}")

    def __reduce__(self) -> tuple[type[Malformed], tuple[str, str, str]]:
        return type(self), (self.path, self.expected, self.found)


class _Duplicate(ValueError):
    """A name seen twice in one object (located afterwards by :func:`_locate`)."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Duplicate
    return value


def _constant(name: str) -> Any:
    raise ValueError(name)


def _float(text: str) -> float:
    value = float(text)
    if value - value != 0:  # inf - inf is nan; finite - itself is 0
        raise ValueError(text)
    return value


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant, parse_float=_float)


def on_fresh_stack(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` on a new thread, whose stack starts empty: what a caller deep in its
    own recursion reads the same as a caller at the top. Its exception, if any, is raised here."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(function(*args))
        except BaseException as error:  # handed to the caller's thread, raised there
            errors.append(error)

    thread = threading.Thread(target=run, name="ocp-client-fresh-stack")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def _text(content: bytes) -> str:
    if content.startswith(_WIDE_BOMS) or b"\x00" in content[:4]:
        # RFC 4627 §3: a JSON text's first two characters are ASCII, so NULs among the first
        # four bytes mean UTF-16 or UTF-32.
        raise Malformed("$", "a UTF-8 body (RFC 8259 §8.1)", "UTF-16 or UTF-32 bytes")
    try:
        return content.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as error:
        bad = content[error.start : error.start + 4]
        raise Malformed(
            "$", "well-formed UTF-8", f"bytes {bad!r} at offset {error.start}"
        ) from None


def _too_deep(value: Any) -> bool:
    """Whether ``value`` nests arrays and objects deeper than MAX_DEPTH (level by level, no
    recursion)."""
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below = []
        for container in level:
            for item in container.values() if type(container) is dict else container:
                if type(item) is dict or type(item) is list:
                    below.append(item)
        level = below
    return False


def loads(content: bytes) -> Any:
    """The JSON value of ``content``; :class:`Malformed` (a ValueError) naming the path when it
    is not strict JSON, however it fails."""
    text = _text(content)
    try:
        try:
            value = _DECODER.decode(text)
        except RecursionError:  # the caller's stack, not the body, may be what is too deep
            value = on_fresh_stack(_DECODER.decode, text)
    except (ValueError, RecursionError):
        raise _locate(text) from None
    if _too_deep(value):
        raise _locate(text)
    return value


# --- finding what is wrong, and where --------------------------------------------------------
# Only on the error path: a scanner of its own (iterative, so any depth is fine) that walks the
# text as JSON and reports the first thing strict JSON refuses, with its path.


def _path(frames: list[list[Any]]) -> str:
    path = ""
    for frame in frames:
        key = frame[1]
        if key is None:
            continue
        if isinstance(key, int):
            path += f"[{key}]"
        else:
            path += f".{key}" if path else key
    return path or "$"


def _excerpt(text: str, at: int) -> str:
    found = text[at : at + 20]
    return repr(found) if found else "the end of the body"


def _locate(text: str) -> Malformed:
    """The first refusal of strict JSON in ``text``, as a :class:`Malformed` with its path."""
    # A frame per open container: [kind "{" or "[", key or index of the current member (None
    # before the first), names seen (objects)].
    frames: list[list[Any]] = []
    at = _skip_whitespace(text, 0)
    expecting_value = True
    while True:  # bounded: every pass moves `at` forward or returns
        if expecting_value:
            start = at
            if text.startswith(("{", "["), at):
                if len(frames) >= MAX_DEPTH:
                    return Malformed(
                        _path(frames),
                        f"arrays and objects nested at most {MAX_DEPTH} deep",
                        "deeper nesting",
                    )
                frames.append([text[at], None, set()])
                at = _skip_whitespace(text, at + 1)
                closing = "}" if frames[-1][0] == "{" else "]"
                if text.startswith(closing, at):
                    frames.pop()
                    at += 1
                    expecting_value = False
                    continue
                if frames[-1][0] == "[":
                    frames[-1][1] = 0
                    continue
                failure = _member_name(text, at, frames)
                if isinstance(failure, Malformed):
                    return failure
                at = failure
                continue
            number = _NUMBER.match(text, at)
            if text.startswith(_NOT_JSON, at):
                word = next(w for w in _NOT_JSON if text.startswith(w, at))
                return Malformed(
                    _path(frames), "a finite number (NaN and Infinity are not JSON)", word
                )
            if number:
                refused = _number(number, frames)
                if refused is not None:
                    return refused
                at = number.end()
            elif text.startswith('"', at):
                string = _STRING.match(text, at)
                if string is None:
                    return Malformed(_path(frames), "a JSON string", _excerpt(text, at))
                at = string.end()
            elif text.startswith(_LITERALS, at):
                at += next(len(w) for w in _LITERALS if text.startswith(w, at))
            else:
                return Malformed(_path(frames), "a JSON value", _excerpt(text, start))
            expecting_value = False
            continue
        at = _skip_whitespace(text, at)
        if not frames:
            if at < len(text):
                return Malformed("$", "nothing after the JSON value", _excerpt(text, at))
            # Nothing found: the text is JSON to this scanner, not to json.loads.
            return Malformed("$", "a JSON body", _excerpt(text, 0))
        frame = frames[-1]
        closing = "}" if frame[0] == "{" else "]"
        if text.startswith(closing, at):
            frames.pop()
            at += 1
            continue
        if not text.startswith(",", at):
            return Malformed(_path(frames[:-1]), f"',' or '{closing}'", _excerpt(text, at))
        at = _skip_whitespace(text, at + 1)
        if frame[0] == "[":
            frame[1] += 1
            expecting_value = True
            continue
        failure = _member_name(text, at, frames)
        if isinstance(failure, Malformed):
            return failure
        at = failure
        expecting_value = True


def _skip_whitespace(text: str, at: int) -> int:
    """The position of the first character at or after ``at`` that is not JSON whitespace."""
    skipped = _WHITESPACE.match(text, at)
    assert skipped is not None  # `*` matches the empty string anywhere
    return skipped.end()


def _member_name(text: str, at: int, frames: list[list[Any]]) -> int | Malformed:
    """Read ``"name":`` at ``at`` into the innermost object's frame; the position after it."""
    frame = frames[-1]
    string = _STRING.match(text, at)
    if string is None:
        return Malformed(
            _path(frames[:-1]) if frame[1] is None else _path(frames),
            "a member name in double quotes",
            _excerpt(text, at),
        )
    name = json.loads(string.group())
    if name in frame[2]:
        frame[1] = name
        return Malformed(_path(frames), "names that are unique within an object", "a duplicate")
    frame[2].add(name)
    frame[1] = name
    at = _skip_whitespace(text, string.end())
    if not text.startswith(":", at):
        return Malformed(_path(frames), "':' after the name", _excerpt(text, at))
    return _skip_whitespace(text, at + 1)


def _number(number: re.Match[str], frames: list[list[Any]]) -> Malformed | None:
    digits, fraction, exponent = number.groups()
    if fraction is None and exponent is None:
        limit = sys.get_int_max_str_digits()
        if limit and len(digits) > limit:
            return Malformed(
                _path(frames),
                f"an integer of at most {limit} digits",
                f"an integer of {len(digits)} digits ({digits[:_SHOWN]}...)",
            )
        return None
    if float(number.group()) - float(number.group()) != 0:
        return Malformed(_path(frames), "a number within the range of a float", number.group())
    return None
