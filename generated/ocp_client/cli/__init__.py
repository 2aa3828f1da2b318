"""``ocp-backup``: backups of OceanBase clusters for DBAs, from OCP's API.

Hand-written; ``pyproject.toml`` installs :func:`main` as the ``ocp-backup`` console script. The
command line is an application on top of the SDK, kept apart from its modules, one concern a
module:

- :mod:`.app`: the parser and :func:`main` (global options before or after the command);
- :mod:`.config`: the global options and the environment (``ocp_client.client.ENVIRONMENT``),
  the SDK client they describe, one-line error descriptions;
- :mod:`.redact`: hiding secrets without garbling other text;
- :mod:`.output`: the table / json / jsonl / csv writers, from the models' fields;
- :mod:`.progress`: the progress line on stderr;
- :mod:`.times`: ``--since``/``--until`` times and durations;
- :mod:`.commands`: one module per command (``tasks``, ``check``, ``now``).

Everything about HTTP, signing, retries, pagination, validation and waiting on tasks stays in
the SDK. What the command shows of an item (columns) and which statuses it tells apart come from
the generated models and enums; tests hold the few names it chooses to the spec.

``--help`` and a bad command line import no more than they need to print (no httpx, no asyncio,
no dateutil, no operation module, no models but two enums): monitoring runs the command often,
and people read its help.
"""

from __future__ import annotations

from .app import build_parser, main
from .times import parse_duration, parse_time

__all__ = ["build_parser", "main", "parse_duration", "parse_time"]
