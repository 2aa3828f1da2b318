"""What every command gets besides its arguments: the time, the environment, the streams, the
redactor, and the helpers that report errors the same way for every command."""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from collections.abc import Mapping
from typing import IO

from .config import describe
from .redact import Redactor

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_OCP_ERROR",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "Context",
]

PROG = "ocp-backup"

EXIT_OK = 0
EXIT_OCP_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class Context:
    """``now``: the command's time, timezone-aware (tests fix it); ``redact``: the redactor of
    every message; ``environ``: the environment; ``debug``: --debug."""

    # A plain class: a dataclass would cost --help a millisecond or two of import.
    def __init__(
        self,
        *,
        now: datetime.datetime,
        redact: Redactor,
        environ: Mapping[str, str],
        debug: bool = False,
    ) -> None:
        self.now = now
        self.redact = redact
        self.environ = environ
        self.debug = debug

    @property
    def stdout(self) -> IO[str]:
        return sys.stdout  # looked up at each use: tests capture it

    @property
    def stderr(self) -> IO[str]:
        return sys.stderr

    def complain(self, message: str) -> None:
        """``ocp-backup: error: <message>`` on stderr, secrets hidden."""
        self.stderr.write(f"{PROG}: error: {self.redact(message)}\n")

    def report(self, error: BaseException, url: str | None) -> None:
        """One line for ``error`` (and its traceback under --debug), secrets hidden."""
        if self.debug:
            self.stderr.write(self.redact("".join(traceback.format_exception(error))))
        self.complain(describe(error, url))


def silence_stdout() -> None:
    """After the reader of stdout went away (``| head``), point stdout at /dev/null so that
    Python's final flush does not raise a second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass
