"""Shared fixtures: the spec, the reference page's sample, the project's paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "ocp.yaml"
SAMPLES = Path(__file__).resolve().parent / "samples"
REFERENCE_SAMPLE = SAMPLES / "list-data-backup-tasks.page-sample.json"


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def reference_sample() -> dict[str, Any]:
    """The reference page's sample response, verbatim (a fresh copy for each test)."""
    sample: dict[str, Any] = json.loads(REFERENCE_SAMPLE.read_text(encoding="utf-8"))
    return sample
