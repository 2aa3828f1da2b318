"""The README's quick start runs as written, against the local stand-in instead of a real OCP."""

from __future__ import annotations

import contextlib
import datetime
import io
import re
from pathlib import Path

import pytest

from standin import Credentials, StandIn

README = Path(__file__).resolve().parent.parent / "README.md"
ACCESS_KEY = ("cqammmxBpfGjFlto", "2fc0c299cc94c6be266f2ceece765d4d")


def quick_start_code() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n#", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) >= 2, "the quick start lost its sync or async example"
    return "\n".join(blocks)


def test_quick_start_runs_against_the_stand_in() -> None:
    code = quick_start_code()
    assert '"http://ocp.example.net:8080"' in code and '"my-access-key-id"' in code
    with StandIn(credentials=Credentials(access_keys=dict([ACCESS_KEY]))) as server:
        code = (
            code.replace('"http://ocp.example.net:8080"', repr(server.base_url))
            .replace('"my-access-key-id"', repr(ACCESS_KEY[0]))
            .replace('"my-access-key-secret"', repr(ACCESS_KEY[1]))
        )
        out = io.StringIO()
        before = datetime.datetime.now(datetime.UTC)
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), {"__name__": "readme"})
        after = datetime.datetime.now(datetime.UTC)
        tasks = server.store("listDataBackupTasks").select((1000005,), [])
    lines = out.getvalue().splitlines()
    # sync: the page's total (3 sample tasks + 20 generated), then the tasks of the last week
    # (the stand-in's generated tasks are recent); async: every task id, newest first.
    assert lines[0] == "23"
    assert lines[-23:] == [str(task_id) for task_id in range(23, 0, -1)]
    week = [line.split()[0] for line in lines[1:-23]]

    def started_since(moment: datetime.datetime) -> list[str]:
        since = moment - datetime.timedelta(days=7)
        return [
            str(task["taskId"])
            for task in tasks
            if since <= datetime.datetime.fromisoformat(task["startTime"]) <= moment
        ]

    assert week and week in (started_since(before), started_since(after))


def errors_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Errors", 1)[1].split("\n### ", 1)[0]
    blocks: list[str] = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the Errors section has one example"
    return blocks[0]


def test_the_errors_example_runs_and_says_what_it_shows() -> None:
    """The example asks for 5000 tasks a page: the SDK refuses it before any request, as the
    comment in the README says."""
    code = errors_example()
    with StandIn(credentials=Credentials(access_keys=dict([ACCESS_KEY]))) as server:
        from ocp_client import Client
        from ocp_client.api.backup import list_data_backup_tasks

        namespace = {
            "client": Client(server.base_url),
            "list_data_backup_tasks": list_data_backup_tasks,
        }
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), namespace)
    comment = code.split("print(error.argument, error.reason)  # ", 1)[1].splitlines()[0]
    assert out.getvalue().strip() == comment.replace(": ", " ", 1)


def test_the_health_example_reads_the_stand_in_s_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example runs as written (credentials from the environment) and prints the skew from
    the stand-in's clock, which is this machine's, and its verdict."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### The application's health", 1)[1].split("\n### ", 1)[0]
    blocks: list[str] = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the health section has one example"
    with StandIn(credentials=Credentials(access_keys=dict([ACCESS_KEY]))) as server:
        monkeypatch.setenv("OCP_URL", server.base_url)
        monkeypatch.setenv("OCP_ACCESS_KEY_ID", ACCESS_KEY[0])
        monkeypatch.setenv("OCP_ACCESS_KEY_SECRET", ACCESS_KEY[1])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(blocks[0], str(README), "exec"), {"__name__": "readme"})
    found = re.fullmatch(r"clock skew ([+-]\d+\.\d{3}) s, OCP says 'okay'\n", out.getvalue())
    assert found, out.getvalue()
    assert abs(float(found[1])) < 5, "the stand-in tells its own clock, not the sample's"
