"""The codegen step: deterministic, complete, and its drift check catches every kind of drift."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import generate


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate.build(tmp_path_factory.mktemp("first"))


def test_generation_is_deterministic(fresh_build: Path, tmp_path: Path) -> None:
    again = generate.build(tmp_path)
    assert generate.differences(fresh_build, again) == []


def test_committed_package_is_what_generation_produces(fresh_build: Path) -> None:
    assert generate.differences(fresh_build, generate.TARGET) == []


def test_drift_check_names_each_changed_file(fresh_build: Path, tmp_path: Path) -> None:
    committed = tmp_path / "committed"
    shutil.copytree(fresh_build, committed)
    (committed / "types.py").write_text("# edited by hand\n", encoding="utf-8")
    (committed / "models" / "page_info.py").unlink()
    (committed / "models" / "stray.py").write_text("", encoding="utf-8")
    assert generate.differences(fresh_build, committed) == [
        ("models/page_info.py", "new"),
        ("models/stray.py", "obsolete"),
        ("types.py", "changed"),
    ]


def test_check_mode_fails_on_drift(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stale = tmp_path / "ocp_client"
    shutil.copytree(generate.TARGET, stale)
    (stale / "client.py").write_text("# stale\n", encoding="utf-8")
    monkeypatch.setattr(generate, "TARGET", stale)
    assert generate.main(["--check"]) == 1
    assert (stale / "client.py").read_text(encoding="utf-8") == "# stale\n", "--check wrote"
    assert generate.main([]) == 0
    assert generate.main(["--check"]) == 0


def test_package_follows_generator_conventions(fresh_build: Path) -> None:
    operation = fresh_build / "api" / "backup" / "list_data_backup_tasks.py"
    source = operation.read_text(encoding="utf-8")
    for function in (
        "def sync(",
        "def sync_detailed(",
        "async def asyncio(",
        "def asyncio_detailed(",
    ):
        assert function in source
    assert (fresh_build / "py.typed").is_file()
    assert (fresh_build / "models" / "data_backup_history_wrapper_task.py").is_file()


def test_runtime_modules_are_placed_into_the_package(fresh_build: Path) -> None:
    runtime = sorted(generate.RUNTIME.glob("*.py"))
    for module in runtime:
        assert (fresh_build / module.name).read_bytes() == module.read_bytes()


def test_parameter_descriptions_reach_the_generator() -> None:
    spec = {
        "paths": {
            "/x": {
                "get": {
                    "parameters": [
                        {"name": "a", "in": "query", "description": "Line one\nline two.\n\nNext.",
                         "schema": {"type": "integer"}},
                    ]
                }
            }
        }
    }  # fmt: skip
    prepared = generate.prepare_generator_input(spec)
    parameter = prepared["paths"]["/x"]["get"]["parameters"][0]
    assert parameter["schema"]["description"] == "Line one line two.\n\nNext."
    assert spec["paths"]["/x"]["get"]["parameters"][0]["schema"] == {"type": "integer"}


def test_reflow_keeps_lists() -> None:
    assert generate.reflow("Intro\ntext:\n- one\n  more\n- two\n1. first\n") == (
        "Intro text:\n- one more\n- two\n1. first"
    )


def test_a_union_the_models_cannot_validate_stops_the_codegen_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Two members of one JSON type (a date-time and a string) cannot be told apart by the
    validating models: the step must fail loudly, not generate a model that refuses valid data."""
    spec = yaml.safe_load(generate.SPEC.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["PageInfo"]["properties"]["cursor"] = {
        "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string"}],
        "description": "A cursor.",
    }
    changed = tmp_path / "ocp.yaml"
    changed.write_text(yaml.safe_dump(spec), encoding="utf-8")
    monkeypatch.setattr(generate, "SPEC", changed)
    with pytest.raises(SystemExit) as stopped:
        generate.build(tmp_path)
    assert "validate_py_jinja_cannot_tell_apart_the_members_of_this_union" in str(stopped.value)


def build_with(spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    changed = tmp_path / "ocp.yaml"
    changed.write_text(yaml.safe_dump(spec), encoding="utf-8")
    monkeypatch.setattr(generate, "SPEC", changed)
    out = tmp_path / "out"
    out.mkdir()
    return generate.build(out)


def operation(spec: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"][
        "/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks"
    ]["get"]
    return operation


def test_a_parameter_kind_the_checks_do_not_know_stops_the_codegen_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = yaml.safe_load(generate.SPEC.read_text(encoding="utf-8"))
    operation(spec)["parameters"].append(
        {"name": "tenantIds", "in": "query", "required": False, "description": "Tenants.",
         "schema": {"type": "array", "items": {"type": "integer"}}}
    )  # fmt: skip
    with pytest.raises(SystemExit) as stopped:
        build_with(spec, monkeypatch, tmp_path)
    assert "check_arguments_py_jinja_does_not_support_this_parameter_kind" in str(stopped.value)


def test_argument_checks_follow_the_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ranges, formats and periods come from the spec, not from the templates."""
    spec = yaml.safe_load(generate.SPEC.read_text(encoding="utf-8"))
    parameters = {p["name"]: p for p in operation(spec)["parameters"]}
    parameters["size"]["schema"].update(maximum=500, exclusiveMaximum=True)
    parameters["page"]["schema"] = {"type": "integer", "format": "int32", "minimum": 0,
                                    "exclusiveMinimum": True}  # fmt: skip
    del parameters["endTime"]["x-ocp-filter"]
    module = build_with(spec, monkeypatch, tmp_path) / "api/backup/list_data_backup_tasks.py"
    code = module.read_text(encoding="utf-8")
    assert "not 1 <= size <= 499" in code
    assert "not 1 <= page <= 2147483647" in code
    assert "go together" not in code, "a period without its end bound was still checked"


def test_spec_facts_read_integer_ranges_and_periods() -> None:
    assert generate.integer_range({"type": "integer"}) == {}
    assert generate.integer_range({"format": "int32", "maximum": 7}) == {
        "lower": -(2**31),
        "upper": 7,
    }
    # The smallest integer above 2.5 is 3, the largest below 2.5 is 2; 3.1's numeric form too.
    assert generate.integer_range({"minimum": 2.5, "exclusiveMinimum": True}) == {"lower": 3}
    assert generate.integer_range({"minimum": 2, "exclusiveMinimum": True}) == {"lower": 3}
    assert generate.integer_range({"maximum": 2.5, "exclusiveMaximum": True}) == {"upper": 2}
    assert generate.integer_range({"maximum": 2.5}) == {"upper": 2}
    assert generate.integer_range({"exclusiveMinimum": 0, "exclusiveMaximum": 10}) == {
        "lower": 1,
        "upper": 9,
    }
    spec = yaml.safe_load(generate.SPEC.read_text(encoding="utf-8"))
    (facts,) = generate.spec_facts(spec).values()
    assert facts["periods"] == [["startTime", "endTime"]]
    assert facts["ranges"]["size"] == {"lower": 1, "upper": 2000}
