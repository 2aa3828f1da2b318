"""The lint step really fails, through each of its three linters, on a broken spec.

That openapi/ocp.yaml itself is clean is what CI's `python tools/lint_spec.py` checks; it is not
run again here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import lint_spec
import spec_model
from tests.conftest import SPEC_PATH


def test_lint_reports_each_linter_on_a_broken_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The spec with every operation's `operationId` misspelt: invalid for the validator, and an
    # operation without an id for both linters, once per operation.
    document: dict[str, Any] = spec_model.load_document(SPEC_PATH)
    count = 0
    for item in document["paths"].values():
        for method in spec_model.HTTP_METHODS:
            if method in item:
                item[method]["operationID"] = item[method].pop("operationId")
                count += 1
    assert count > 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")

    assert lint_spec.main([str(broken)]) == 1
    problems = capsys.readouterr().err.splitlines()

    assert any(p.startswith("openapi-spec-validator:") for p in problems), problems
    redocly = [p for p in problems if p.startswith("redocly warn operation-operationId:")]
    spectral = [p for p in problems if p.startswith("spectral warning operation-operationId:")]
    assert len(redocly) == count, problems
    assert len(spectral) == count, problems
    assert problems[-1] == f"{broken}: {len(problems) - 1} problem(s)"
