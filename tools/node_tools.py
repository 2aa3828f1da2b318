"""The pinned Node tools of tools/package.json, as the Python tools run them.

They come from ``tools/node_modules`` (``npm ci --prefix tools``, done by tools/setup.sh).
"""

from __future__ import annotations

import os
from pathlib import Path

NODE_BIN = Path(__file__).resolve().parent / "node_modules" / ".bin"


def node_tool(name: str) -> str:
    """The path of a pinned Node tool; stops the command when it is not installed."""
    tool = NODE_BIN / name
    if not tool.exists():
        raise SystemExit(f"{tool} is missing; run `npm ci --prefix tools`")
    return str(tool)


def node_environment() -> dict[str, str]:
    """The environment of the Node tools: no telemetry, no update notices, no colours."""
    environment = dict(os.environ)
    environment.update(
        REDOCLY_TELEMETRY="off",
        REDOCLY_SUPPRESS_UPDATE_NOTICE="true",
        NO_COLOR="1",
        FORCE_COLOR="0",
    )
    return environment
