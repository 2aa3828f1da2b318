"""The progress line on stderr: rewritten in place on a terminal, else one line per change."""

from __future__ import annotations

from typing import IO

__all__ = ["ProgressLine", "count_text"]


def count_text(count: int, total: int | None, noun: str) -> str:
    """``20 of 25 tasks read`` when the total is known, else ``20 tasks read``."""
    return f"{count} of {total} {noun} read" if total is not None else f"{count} {noun} read"


class ProgressLine:
    """One line of progress, prefixed with the program's name.

    On a terminal the line is rewritten in place (``\\r``) and blanked by :meth:`clear`. Off a
    terminal, ``transient`` progress (a page count) is not shown at all and lasting progress (a
    task's status) is written as one line per change, for a log."""

    def __init__(
        self, stream: IO[str], prog: str, *, enabled: bool = True, transient: bool = True
    ) -> None:
        self._tty = enabled and stream.isatty()
        self._stream = stream if self._tty or (enabled and not transient) else None
        self._prog = prog
        self._width = 0

    @property
    def shown(self) -> bool:
        """Whether :meth:`show` writes anything."""
        return self._stream is not None

    def show(self, text: str) -> None:
        if self._stream is None:
            return
        line = f"{self._prog}: {text}"
        if self._tty:
            padding = " " * max(0, self._width - len(line))
            self._width = max(self._width, len(line))
            self._stream.write(f"\r{line}{padding}")
        else:
            self._stream.write(f"{line}\n")
        self._stream.flush()

    def clear(self) -> None:
        if self._stream is not None and self._tty and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
