"""The pinned Node tools of tools/package.json, as the Python tools run them.

They come from ``tools/node_modules`` (``npm ci --prefix tools``, done by tools/setup.sh).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

NODE_BIN = Path(__file__).resolve().parent / "node_modules" / ".bin"
# Every Node step takes seconds here; the limit only stops a hung process.
NODE_TIMEOUT = 300


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


def run_node(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a Node tool in :func:`node_environment`, its output captured as text. A tool that
    has not finished after ``NODE_TIMEOUT`` seconds is stopped and reported as exit status -1,
    with the reason as its error output."""
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=NODE_TIMEOUT,
            env=node_environment(),
            cwd=cwd,
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"no answer after {NODE_TIMEOUT} s")
