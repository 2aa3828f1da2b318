"""Hiding secrets from everything the command writes (messages, tracebacks, debug logging).

Two rules, so that hiding never garbles other text (a password ``wrong`` must leave OCP's
"Bad credentials: wrong user name or password." as it is):

- where a secret can appear, its value is hidden whatever it is: the value of a field, header or
  parameter whose name says it holds one (:data:`SECRET_NAME`: ``accessKeySecret``,
  ``password``, ``Authorization``, ...) written as ``name: value`` or ``name=value`` (JSON
  included), and the password of a URL's userinfo (``https://user:***@host``);
- elsewhere, a known secret (the password or AccessKey secret in use) is hidden only when it is
  long enough (:data:`UNAMBIGUOUS` characters) that finding it in a text means it leaked, not
  that it is a word.

Unrecognized words on the command line are not echoed at all (:func:`hide_unrecognized`): one of
them may be a secret that lost its option.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

__all__ = [
    "HIDDEN",
    "SECRET_NAME",
    "SECRET_OPTIONS",
    "UNAMBIGUOUS",
    "Redactor",
    "debug_logging",
    "hide_unrecognized",
    "option_values",
]

HIDDEN = "***"

SECRET_OPTIONS = ("--access-key-secret", "--password")
"""Options whose value is a secret."""

SECRET_NAME = re.compile("secret|password|passwd|token|signature|authorization", re.IGNORECASE)
"""A field, header or parameter whose name contains one of these holds a secret (the spec's
``accessKeySecret`` fields, HTTP's ``Authorization``); tests hold it to the spec's fields."""

UNAMBIGUOUS = 8
"""Known secrets of this many characters or more are hidden wherever they occur."""

# Not after "-": an option's name (``--password: expected one argument``) is no field. "=" only
# without spaces (a query, a repr), so that a line of code in a --debug traceback stays as is.
_NAME = rf"(?<![\w.-])(?:[a-z_][\w.-]*?)?(?:{SECRET_NAME.pattern})[\w.-]*"
_SCHEME = r"(?:(?:basic|bearer|ocp-access-key-hmacsha1)\s+)?"  # kept: it says what is hidden
_FIELD = (
    rf"""(?P<head>["']?{_NAME}["']?(?:\s*:\s*|=)(?P<quote>["'])?{_SCHEME})"""
    r"""(?P<value>(?(quote)[^"'\n]*|[^\s,;&"'}\])]+))"""
)
_USERINFO = r"(?P<head>[a-z][a-z0-9+.-]*://[^/\s:@]*:)(?P<value>[^/\s@]+)(?=@)"


@functools.cache
def _contexts() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns of where a secret stands, compiled at first use (not for --help)."""
    return re.compile(_FIELD, re.IGNORECASE), re.compile(_USERINFO, re.IGNORECASE)


class Redactor:
    """Hides secrets in a text (see the module docstring); ``add`` the secrets in use."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= UNAMBIGUOUS and secret not in self._secrets:
            self._secrets.add(secret)
            alternatives = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(known) for known in alternatives))

    def __call__(self, text: str) -> str:
        field, userinfo = _contexts()
        text = field.sub(lambda m: m["head"] + (HIDDEN if m["value"] else ""), text)
        text = userinfo.sub(lambda m: m["head"] + HIDDEN, text)
        return text if self._pattern is None else self._pattern.sub(HIDDEN, text)


def option_values(arguments: Sequence[str], options: Iterable[str]) -> list[str]:
    """The values given to ``options`` (``--opt value`` and ``--opt=value``) in raw arguments."""
    names = tuple(options)
    values = []
    for index, argument in enumerate(arguments):
        name, equals, value = argument.partition("=")
        if name in names:
            if equals:
                values.append(value)
            elif index + 1 < len(arguments) and not arguments[index + 1].startswith("-"):
                values.append(arguments[index + 1])  # argparse takes no "-x" word as a value
    return values


def hide_unrecognized(message: str) -> str:
    """argparse lists unrecognized arguments verbatim: ``--password my pass`` would print
    ``pass``. Show only option names; count the other words."""
    prefix = "unrecognized arguments: "
    if not message.startswith(prefix):
        return message
    words = message[len(prefix) :].split()
    shown = [word.partition("=")[0] for word in words if word.startswith("-")]
    hidden = len(words) - len(shown)
    parts = []
    if shown:
        parts.append(" ".join(shown))
    if hidden:
        parts.append(f"{hidden} value{'s' if hidden > 1 else ''} (not shown: may be secret)")
    return prefix + ", ".join(parts)


class _RedactingFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(name)s %(levelname)s: %(message)s")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


@contextmanager
def debug_logging(enabled: bool, redact: Redactor) -> Iterator[None]:
    """DEBUG records of ``ocp_client`` on stderr for the duration of one command; the root
    logger and any handler the caller configured are left alone."""
    if not enabled:
        yield
        return
    logger = logging.getLogger("ocp_client")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter(redact))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
