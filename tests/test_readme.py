"""The README's quick start runs as written, against the local stand-in instead of a real OCP."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from standin import Credentials, StandIn

README = Path(__file__).resolve().parent.parent / "README.md"
SPEC = README.parent / "openapi" / "ocp.yaml"
ACCESS_KEY = ("cqammmxBpfGjFlto", "2fc0c299cc94c6be266f2ceece765d4d")


def quick_start_code() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
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
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), {"__name__": "readme"})
    lines = out.getvalue().splitlines()
    # sync: the page's total (3 sample tasks + 20 generated), then nothing for the last week
    # (the stand-in's tasks are from 2021); async: every task id, newest first.
    assert lines[0] == "23"
    assert lines[1:] == [str(task_id) for task_id in range(23, 0, -1)]


def decision_places(node: Any, place: str = "") -> Iterator[str]:
    """Where the spec's descriptions say "Decision", named as the README's tables name them:
    a schema (`PageInfo`), a property (`PageInfo.size`), a parameter (`size`),
    `info.description`."""
    if isinstance(node, dict):
        if "Decision" in str(node.get("description", "")):
            yield place
        for key, value in node.items():
            if key == "properties":
                for name, child in value.items():
                    yield from decision_places(child, f"{place}.{name}")
            elif key == "schemas":
                for name, child in value.items():
                    yield from decision_places(child, name)
            elif key == "parameters":
                for child in value:
                    yield from decision_places(child, child.get("name", place))
            elif key == "info":
                if "Decision" in str(value.get("description", "")):
                    yield "info.description"
            elif key not in ("description", "examples", "example"):
                yield from decision_places(value, place)
    elif isinstance(node, list):
        for child in node:
            yield from decision_places(child, place)


def test_every_decision_in_the_spec_is_in_the_readme_tables() -> None:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    places = set(decision_places(spec))
    section = README.read_text(encoding="utf-8").split("## Decisions", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"\| `([^`|]+)`(?:, `([^`|]+)`)? \|\n", section + "\n"))
    listed = {name for pair in named for name in pair if name}
    assert places, "no Decision found in the spec: the walk is broken"
    assert places <= listed, f"decisions missing from the README: {sorted(places - listed)}"
