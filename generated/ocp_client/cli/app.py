"""The command line as a whole: the parser, and :func:`main`, which runs one command.

Global options (connection, ``-o/--output``, ``--debug``) are accepted before or after the
command's name; each command's own options come after it. Every message passes the redactor
(:mod:`.redact`) before it is written.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import NoReturn

from .. import __version__
from .commands import COMMANDS
from .config import (
    CONNECTION_HELP,
    ENV_ACCESS_KEY_SECRET,
    ENV_PASSWORD,
    UsageError,
    add_global_options,
)
from .context import EXIT_OK, EXIT_USAGE, PROG, Context
from .redact import SECRET_OPTIONS, Redactor, debug_logging, hide_unrecognized, option_values
from .times import local_now

__all__ = ["build_parser", "main"]

DESCRIPTION = """\
Backups of OceanBase clusters, from OCP's API: list backup and restore tasks, back up now and
wait, and a monitoring check of the newest full backup and the log backup delay.
"""

EXAMPLES = """\
examples:
  export OCP_URL=https://ocp.example.com OCP_ACCESS_KEY_ID=... OCP_ACCESS_KEY_SECRET=...
  ocp-backup tasks --cluster 1000005 --since 7d
  ocp-backup now --cluster 1000005 --wait
  ocp-backup check --max-age 26h --max-log-delay 30m
  ocp-backup COMMAND --help     (each command's options, examples and exit codes)
"""

_CHECK = "check"
_CHECK_UNKNOWN = 3  # a bad command line of `check` is UNKNOWN: 2 would page someone for a typo


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the top parser with the global options, and one sub-parser per
    command (with the global options again, so that they may follow the command)."""
    parser = _Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EXAMPLES + "\n" + CONNECTION_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_global_options(parser, defaults=True)
    after = _Parser(add_help=False, allow_abbrev=False)
    add_global_options(after, defaults=False)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    for command in COMMANDS:
        command.add_arguments(
            commands.add_parser(
                command.NAME,
                parents=[after],
                help=command.SUMMARY,
                description=command.DESCRIPTION,
                epilog=command.EXAMPLES + "\n" + CONNECTION_HELP,
                formatter_class=argparse.RawDescriptionHelpFormatter,
                allow_abbrev=False,
            )
        )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Callable[[], datetime.datetime] | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run one command and return its exit code (the console script exits with it).

    ``clock`` returns the current time, timezone-aware, and ``environ`` stands for the
    environment (default ``os.environ``); tests give both. Relative times are expressed in the
    clock's offset (by default the host's local one)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if environ is None else environ
    redact = Redactor(option_values(arguments, SECRET_OPTIONS))
    redact.add(env.get(ENV_ACCESS_KEY_SECRET))
    redact.add(env.get(ENV_PASSWORD))
    names = {command.NAME for command in COMMANDS}
    command = next((word for word in arguments if word in names), None)
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except UsageError as error:
        message = redact(hide_unrecognized(error.message))
        used = error.parser or parser
        sys.stderr.write(redact(used.format_usage()))
        sys.stderr.write(f"{used.prog}: error: {message}\n")
        if command == _CHECK:
            sys.stdout.write(f"UNKNOWN - bad command line: {' '.join(message.split())}\n")
            return _CHECK_UNKNOWN
        return EXIT_USAGE
    except SystemExit as stop:  # --help, --version
        return stop.code if isinstance(stop.code, int) else EXIT_OK

    now = (clock or local_now)()
    if now.utcoffset() is None:
        raise ValueError("clock() must return a timezone-aware datetime")
    debug: bool = args.debug
    context = Context(now=now, redact=redact, environ=env, debug=debug)
    run: Callable[[argparse.Namespace, Context], int] = args.run
    with debug_logging(debug, redact):
        return run(args, context)
