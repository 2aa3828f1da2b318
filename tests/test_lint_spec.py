"""The spec is clean under all three linters, and the lint step really fails on a broken spec."""

from __future__ import annotations

from pathlib import Path

import lint_spec
from tests.conftest import SPEC_PATH


def test_spec_is_clean() -> None:
    assert lint_spec.lint(SPEC_PATH) == []


def test_lint_reports_each_linter_on_a_broken_spec(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = SPEC_PATH.read_text(encoding="utf-8")
    broken.write_text(text.replace("operationId: listDataBackupTasks", "operationID: x"), "utf-8")
    problems = lint_spec.lint(broken)
    assert any(p.startswith("openapi-spec-validator:") for p in problems), problems
    assert any(p.startswith("redocly warn operation-operationId") for p in problems), problems
    assert any(p.startswith("spectral warning operation-operationId") for p in problems), problems
    assert lint_spec.main([str(broken)]) == 1
