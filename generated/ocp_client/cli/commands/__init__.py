"""One module per command: each defines ``NAME``, ``add_parser`` and ``run``. A command module
imports at its top only what building the parser needs (``--help``); the SDK's operations,
models and dateutil are imported when the command runs."""

from __future__ import annotations

from . import check, now, tasks

COMMANDS = (tasks, check, now)
"""The commands, in the order ``--help`` lists them."""

__all__ = ["COMMANDS"]
