"""The README's first command, end to end: set-up (idempotent), the stand-in, the CLI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ocp_client import cli
from ocp_client.models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask

ROOT = Path(__file__).resolve().parent.parent


def test_main_job_runs_end_to_end() -> None:
    result = subprocess.run(
        ["bash", "tools/main.sh"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "LOCAL OCP STAND-IN at http://127.0.0.1:" in out
    columns = cli.table_columns(DataBackupHistoryWrapperTask, cli.TABLE_FIELDS)
    header = r"\s+".join(re.escape(column.header) for column in columns)
    assert re.search(rf"^{header}$", out, re.M)
    assert re.search(r"^\s+23\s+DONE\s+FULL_BACKUP\s+PHYSICAL_BACKUP\s+23\s", out, re.M)
    assert re.search(r"^WARNING - newest full backup of cluster 1000005 .*\| age=\d+s", out, re.M)
    assert "ocp-backup tasks exited 0; ocp-backup check exited 1" in out
    assert "2fc0c299cc94c6be266f2ceece765d4d" not in out + result.stderr, "the secret leaked"
