"""The README's first command, end to end: set-up (idempotent), the stand-in, the CLI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ocp_client.cli.commands import tasks as tasks_command
from ocp_client.cli.output import table_columns
from standin import Credentials

ROOT = Path(__file__).resolve().parent.parent
STATE = r"(OK|WARNING|CRITICAL)"


def test_main_job_runs_end_to_end() -> None:
    result = subprocess.run(
        ["bash", "tools/main.sh"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "LOCAL OCP STAND-IN at http://127.0.0.1:" in out
    banner, _, commands = out.partition("\n$ ")
    # The stand-in's test credentials are in the banner, marked as such, and nowhere else.
    key_id, key_secret = next(iter(Credentials().access_keys.items()))
    assert "TEST credentials" in banner and key_id in banner and key_secret in banner
    assert key_secret not in commands + result.stderr, "the secret leaked"

    data = tasks_command.KINDS["data"]
    columns = table_columns(data.model(), data.fields, headers=data.headers)
    header = r"\s+".join(re.escape(column.header) for column in columns)
    assert re.search(rf"^\s*{header}$", commands, re.M)  # right-aligned: `taskId` is indented
    # now --wait: the task ids, then the task's end with every subtask done.
    assert re.search(r"^FULL_BACKUP of cluster 1000005 started: task \d+", commands, re.M)
    done = re.search(r"^task \d+ SUCCESSFUL, (\d+)/(\d+) subtasks done$", commands, re.M)
    assert done is not None and done[1] == done[2]
    assert re.search(r"^ocp-backup: task \d+ \w+, \d+/\d+ subtasks done$", result.stderr, re.M)
    # check: one cluster, one line with perfdata; every cluster, a summary and a line each.
    one = rf"^{STATE} - .*cluster 1000005.* \| age=(\d+s|U);\d+;;0 log_delay=(\d+s|U);\d+;;0$"
    assert re.search(one, commands, re.M)
    summary = re.search(rf"^{STATE} - (\d+) clusters: ", commands, re.M)
    assert summary is not None
    assert "ocp-backup tasks exited 0; ocp-backup now --wait exited 0;" in out
