"""The project's own examples and reference sample, as the contract tests of the examples
(tests/contract/test_examples.py) read them.

Those tests hold for any spec the codegen accepts, one without examples or samples too; the
checks here are of this project's data: its spec has examples of every kind the walk finds, the
reference page's sample (listDataBackupTasks) is among the samples, and the validator refuses
that sample's times, integers and page bounds once broken (negative controls: the contract's
validator is not loose).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.conftest import REFERENCE_SAMPLE, sample_files
from tests.contract.spec_schema import error_messages
from tests.contract.test_examples import CASES, sample_validator


def test_the_walk_finds_examples_in_the_spec() -> None:
    # Not a list of the examples, only a guard against a walk that silently finds nothing.
    assert any(case.reference for case in CASES), "no referenced component example found"
    assert any("/parameters/" in case.where for case in CASES), "no parameter example found"
    assert any("/content/" in case.where for case in CASES), "no media type example found"


def test_there_are_samples() -> None:
    assert REFERENCE_SAMPLE in sample_files()


def _mutated(sample: dict[str, Any], where: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(sample)
    node: Any = changed
    for part in where[:-1]:
        node = node[part]
    if value is _DELETE:
        del node[where[-1]]
    else:
        node[where[-1]] = value
    return changed


_DELETE = object()
NEGATIVE = {
    "envelope time with +08": (("timestamp",), "2021-09-23T11:03:24.945+08", "timestamp"),
    "entity time without offset": (
        ("data", "contents", 0, "startTime"),
        "2021-09-16T17:25:02.993",
        "data/contents/0/startTime",
    ),
    "entity time on 30 February": (
        ("data", "contents", 0, "finishTime"),
        "2021-02-30T17:25:05.943+0800",
        "data/contents/0/finishTime",
    ),
    "taskId as a string": (("data", "contents", 0, "taskId"), "23", "data/contents/0/taskId"),
    "required field missing": (("data", "contents", 1, "clusterName"), _DELETE, "data/contents/1"),
    "page size beyond 2000": (("data", "page", "size"), 2001, "data/page/size"),
    "int32 overflow": (("data", "page", "totalPages"), 2**31, "data/page/totalPages"),
}


@pytest.mark.parametrize("name", NEGATIVE)
def test_validator_rejects(reference_sample: dict[str, Any], name: str) -> None:
    where, value, location = NEGATIVE[name]
    changed = _mutated(reference_sample, where, value)
    messages = error_messages(sample_validator(REFERENCE_SAMPLE), changed)
    assert messages, f"{name}: accepted"
    assert all(m.startswith(location + ":") for m in messages), messages
