"""The benchmark scripts still run and measure what they say (their numbers are not asserted:
they depend on the machine)."""

from __future__ import annotations

import json

from tests.bench import bench_pagination, bench_parse


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
