"""The benchmark scripts still run and measure what they say, on small inputs (their timings are
not asserted: they depend on the machine; line counts and what was measured are)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import spec_model
from tests.bench import bench_faults, bench_memory, bench_pagination, bench_parse, bench_scale
from tests.conftest import SAMPLES, sample_operation_id


def test_parse_benchmark_runs_every_parser_on_the_same_page() -> None:
    results = bench_parse.run(tasks=40, repeat=1)
    assert list(results) == [
        "json.loads",
        "ocp_client (validating)",
        "generator default (no validation)",
        "pydantic v2 (json.loads + model_validate)",
        "pydantic v2 (model_validate_json)",
        "lower bound of eager attrs models (no checks)",
    ]
    assert all(ms > 0 for ms in results.values())


def test_the_sdk_row_is_the_operations_parse_of_the_whole_answer() -> None:
    body = bench_parse.page_of(25)
    page = bench_parse.ocp_client_parse(body)
    assert len(page.contents) == 25 and page.page.total_elements == 25
    contents = json.loads(body)["data"]["contents"]
    assert [t.task_id for t in page.contents] == [t["taskId"] for t in contents]


def test_the_lower_bound_builds_one_model_per_task_and_reads_both_times() -> None:
    body = bench_parse.page_of(25)
    contents = json.loads(body)["data"]["contents"]
    assert all("startTime" in task and "finishTime" in task for task in contents)
    assert len(bench_parse.eager_floor(body)) == 25


def test_pagination_benchmark_walks_every_task_each_way() -> None:
    # run() asserts that every way of walking saw all tasks.
    results = bench_pagination.run(tasks=450, size=200, repeat=1, latency=0.001)
    assert len(results) == 8
    assert all(ms > 0 for ms in results.values())


def test_synthesized_specs_have_distinct_paginated_operations_and_items() -> None:
    document, operations = bench_scale.synthesize(12)
    spec = spec_model.Spec(document)
    pages = [op for op in spec.operations if op.result.shape == "page"]
    assert len(pages) == len(operations) == 12
    items = [op.result.item for op in pages]
    names = {item.name for item in items if isinstance(item, spec_model.ModelType)}
    assert len(names) == 12, "each operation has its own item schema"
    _, template = bench_scale.template_of(spec_model.load())
    for name in names - {template}:
        assert len(spec.models[name].properties) == bench_scale.ITEM_PROPERTIES
        assert spec.models[name].item_id is not None
    assert {op.tag for op in pages} == {tag for tag, _, _ in operations}
    assert len({op.tag for op in pages}) == bench_scale.TAGS + 1  # the template's own and ten


def test_scale_benchmark_measures_a_small_spec(tmp_path: Path) -> None:
    scale = bench_scale.measure(3, repeat=1, contract=False, scratch=tmp_path)
    assert scale.operations == 3 and scale.contract is None
    assert 0 < scale.codegen_s < 60
    assert 0 < scale.lines <= scale.lines_total and scale.bytes > scale.lines
    timings = [scale.import_httpx_ms, scale.import_ocp_ms, scale.import_operation_ms]
    assert all(math.isfinite(ms) for ms in timings)
    rows = bench_scale.rows([scale], (10.0, 5.0))
    assert rows[-1] == ("ocp-backup --help", "10 ms", "2.00x httpx")
    verdicts = bench_scale.verdicts([scale], (10.0, 5.0))
    assert "MISSED: ocp-backup --help <= 1.5x import httpx (at 3 ops)" in verdicts


def test_contract_tests_run_over_the_synthesized_spec_and_package(tmp_path: Path) -> None:
    """The scratch project imports the synthesized package as ``ocp_client`` and reads the
    synthesized spec, so its contract tests cover every synthesized operation."""
    document, operations = bench_scale.synthesize(4)
    built, _ = bench_scale.package(document, tmp_path / "sdk")
    tree, env = bench_scale.project_copy(document, built, tmp_path)
    tag, module, _ = operations[-1]
    probe = (
        "import importlib, sys; sys.path.insert(0, 'tools'); import ocp_client, spec_model; "
        f"importlib.import_module('ocp_client.api.{tag}.{module}'); "
        "print(ocp_client.__file__); print(len(spec_model.load().operations))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tree, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    package_file, count = done.stdout.split()
    assert Path(package_file).is_relative_to(tree / "generated") and int(count) == 4


def test_the_scratch_project_keeps_the_samples_of_the_synthesized_operations_only(
    tmp_path: Path,
) -> None:
    """A sample answers an operation of the spec (a contract test): the copy of tests/samples/
    beside a synthesized spec keeps those of its operations, by tests/conftest.py's rule."""
    samples = [p for p in SAMPLES.rglob("*") if p.is_file()]
    assert all(bench_scale.sample_operation_id(p.name) == sample_operation_id(p) for p in samples)
    document, _ = bench_scale.synthesize(3)
    template, _ = bench_scale.template_of(spec_model.load())
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES, copy)
    dropped = bench_scale.drop_foreign_samples(copy, document)
    kept = [p for p in copy.rglob("*") if p.is_file()]
    assert {bench_scale.sample_operation_id(p.name) for p in kept} == {template.id}
    assert len(kept) + len(dropped) == len(samples) and dropped


def test_contract_failures_are_listed_and_missed(tmp_path: Path) -> None:
    """The contract run's failures come from pytest's JUnit report, each named, and make a
    MISSED verdict (main() then exits 1): none is buried in a summary."""
    report = tmp_path / "report.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.contract.test_a" name="test_ok" />'
        '<testcase classname="tests.contract.test_a" name="test_skip"><skipped /></testcase>'
        '<testcase classname="tests.contract.test_b" name="test_bad[x]">'
        '<failure message="AssertionError: no&#10;second line">trace</failure></testcase>'
        '<testcase classname="tests.contract.test_b" name="test_err">'
        '<error message="fixture failed" /></testcase>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    passed, failures = bench_scale.read_junit(report)
    assert passed == 1
    assert failures == [
        "tests.contract.test_b::test_bad[x]: AssertionError: no",
        "tests.contract.test_b::test_err: fixture failed",
    ]
    failed = bench_scale.Contract(1.0, passed, failures)
    scale = bench_scale.Scale(2, 0.1, 300, 12000, 600, 50.0, 60.0, 70.0, failed)
    assert failed.summary == "1 passed, 2 failed" and not failed.ok
    verdicts = bench_scale.verdicts([scale], None)
    assert verdicts[-1] == "MISSED: every contract test passes (failures at 2 ops)"
    listed = bench_scale.contract_failures([scale])
    assert listed == ["2 ops: 1 passed, 2 failed", *(f"  {f}" for f in failures)]
    scale.contract = bench_scale.Contract(1.0, 3, [])
    assert bench_scale.verdicts([scale], None)[-1] == "met: every contract test passes (at 2 ops)"
    assert bench_scale.contract_failures([scale]) == []


def test_memory_benchmark_sees_what_a_page_thread_holds() -> None:
    """The walk's peak is measured in the walking process, over all its threads: 32 MiB that a
    daemon thread holds during the walk show as 32 MiB more."""
    hold = 32 * 2**20
    with bench_faults.standin(300, 0.0, bench_faults.KINDS, seed=0) as base_url:
        plain = bench_memory.walk_peak(base_url, 50, 4)
        held = bench_memory.walk_peak(base_url, 50, 4, hold=hold)
    assert plain.count == held.count == 300
    assert 0 <= plain.added_mib < 32
    assert 32 <= held.added_mib < 32 + plain.added_mib + 8
    ((name, value, _),) = bench_memory.rows([plain])
    assert name == "peak memory added iterating 300 tasks (sync_iter, pages of 50, 4 in flight)"
    assert value == f"{plain.added_mib:.1f} MiB"


def test_fault_benchmark_walks_to_the_exact_set_under_faults() -> None:
    """Small walks against the stand-in's random faults and inserts: each one completes or
    resumes to every task, once (rate-limits are left out: their 1 s waits are slow here)."""
    kinds = [kind for kind in bench_faults.KINDS if kind != "rate-limit"]
    (outcome,) = bench_faults.run(
        walks=2, tasks=300, sizes=(40,), rate=0.3, kinds=kinds, inserts=2, every=100,
        parallel=1,
    )  # fmt: skip
    assert outcome.walks == 2 and outcome.completed + outcome.resumed_exact == 2
    assert outcome.duplicates == 0 and outcome.missing == 0
    assert outcome.requests > outcome.pages  # 30% of the requests failed and were asked again
    assert "2/2 walks completed" in outcome.line() or outcome.gave_up
