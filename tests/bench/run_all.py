"""Every benchmark of the project, in one table: ``.venv/bin/python tests/bench/run_all.py``.

    --update-readme   also write the table into README.md (between the bench markers)
    --quick           small sizes: does every benchmark still run?
    --skip-slow       leave out the benchmarks that take minutes (5. below; not with
                      --update-readme)

1. Parse of one page of 2000 tasks: json.loads alone, ocp_client's validating models, the
   generator's default models, pydantic v2 (tests/bench/bench_parse.py).
2. Walking a 20,000-task listing: sync_iter (pages one by one, and 4 in flight) vs a raw httpx
   loop, and asyncio_iter with 4 pages in flight vs sequential, with 20 ms of server latency
   (tests/bench/bench_pagination.py).
3. The SDK at the size of OCP's API: specs of 1, 50 and 200 paginated operations synthesized
   from the spec, each generated, imported (`import ocp_client` vs `import httpx`, one
   operation's module) and contract-tested; and `ocp-backup --help` vs `import httpx`
   (tests/bench/bench_scale.py). A contract test that fails is listed on stderr after the
   table, and the command exits with status 1 (after writing the README when asked: the
   table says how many failed).
4. Peak memory that walking 100,000 tasks with sync_iter adds to the walking process, pages of
   2000 fetched 4 at a time and one at a time, the stand-in in a process of its own
   (tests/bench/bench_memory.py).
5. Walks of 20,000 tasks with 20% of the requests faulted and tasks created during each walk,
   50 with pages of 2000 and 50 with pages of 100: completed, resumed, duplicates, missing,
   requests per page, wall time (tests/bench/bench_faults.py; about 15 minutes on 2 cores).
Numbers depend on the machine: they are for comparing, not for asserting.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
from tests.bench import (  # noqa: E402 (after the path)
    bench_faults,
    bench_memory,
    bench_pagination,
    bench_parse,
    bench_scale,
)

MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass(frozen=True)
class Sizes:
    """How much each benchmark does (``QUICK``: enough to see that every one still runs)."""

    parse_tasks: int = 2000
    walk_tasks: int = 20_000
    repeat: int = 5
    counts: tuple[int, ...] = bench_scale.COUNTS
    contract: bool = True
    memory_tasks: int = 100_000
    fault_walks: int = 50  # 0: the fault benchmark is skipped
    fault_tasks: int = 20_000


QUICK = Sizes(parse_tasks=200, walk_tasks=1000, repeat=1, counts=(2,), contract=False,
              memory_tasks=2000, fault_walks=2, fault_tasks=1000)  # fmt: skip


def fault_rows(walks: int, tasks: int) -> list[tuple[str, str, str]]:
    """One row per page size of bench_faults' walks under faults."""
    rows = []
    for outcome in bench_faults.run(walks=walks, tasks=tasks):
        rows.append(
            (f"{walks} walks of {tasks:,} tasks, pages of {outcome.size}, 20% of requests "
             f"faulted: completed", f"{outcome.completed}/{outcome.walks}",
             f"{outcome.gave_up} gave up, {outcome.resumed_exact} resumed to the exact set; "
             f"{outcome.duplicates} duplicates, {outcome.missing} missing; "
             f"{outcome.requests_per_page:.2f} requests/page; {outcome.seconds:.0f} s")
        )  # fmt: skip
    return rows


def table(sizes: Sizes = Sizes()) -> tuple[str, list[str]]:
    """The README's table, and the contract tests that failed on the synthesized specs."""
    rows: list[tuple[str, str, str]] = []
    parse = bench_parse.run(sizes.parse_tasks, repeat=10 * sizes.repeat)
    base = parse["json.loads"]
    for name, ms in parse.items():
        rows.append(
            (f"parse {sizes.parse_tasks} tasks: {name}", f"{ms:.2f} ms",
             f"{ms / base:.2f}x json.loads")
        )  # fmt: skip
    walk = bench_pagination.run(tasks=sizes.walk_tasks, repeat=sizes.repeat)
    for name, ms in walk.items():
        if name.startswith("asyncio_iter"):
            continue
        what, _, latency = name.rpartition(", ")
        raw = walk[f"raw httpx loop, {latency}"]
        ratio = "" if what == "raw httpx loop" else f"{ms / raw:.2f}x raw"
        rows.append((f"{sizes.walk_tasks:,} tasks, {latency}: {what}", f"{ms:.0f} ms", ratio))
    seq = walk["asyncio_iter, pages of 200, concurrency 1"]
    conc = walk["asyncio_iter, pages of 200, concurrency 4"]
    pages = -(-sizes.walk_tasks // 200)
    rows.append((f"{pages} pages, 20 ms latency: asyncio_iter, sequential", f"{seq:.0f} ms", ""))
    rows.append(
        (f"{pages} pages, 20 ms latency: asyncio_iter, 4 in flight", f"{conc:.0f} ms",
         f"{seq / conc:.2f}x faster")
    )  # fmt: skip
    scales = list(bench_scale.run(sizes.counts, repeat=7, contract=sizes.contract))
    cli = bench_scale.cli_help_time(repeat=7)
    rows += bench_scale.rows(scales, cli)
    rows += bench_memory.rows(bench_memory.run(sizes.memory_tasks))
    if sizes.fault_walks:
        rows += fault_rows(sizes.fault_walks, sizes.fault_tasks)
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    )
    lines = [f"Measured with `{Path(__file__).relative_to(ROOT)}` on {machine}.", ""]
    lines += ["| benchmark | result | ratio |", "|---|---:|---:|"]
    lines += [f"| {name} | {value} | {ratio} |" for name, value, ratio in rows]
    lines += ["", *(f"- {verdict}" for verdict in bench_scale.verdicts(scales, cli))]
    return "\n".join(lines), bench_scale.contract_failures(scales)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-readme", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, no contract tests: does it all run?"
    )
    parser.add_argument(
        "--skip-slow", action="store_true", help="leave out the fault benchmark (minutes)"
    )
    args = parser.parse_args()
    if args.quick and args.update_readme:
        parser.error("--quick numbers are not for the README")
    if args.skip_slow and args.update_readme:
        parser.error("--skip-slow would leave rows of the README's table out")
    sizes = QUICK if args.quick else Sizes()
    if args.skip_slow:
        sizes = dataclasses.replace(sizes, fault_walks=0)
    result, failures = table(sizes)
    print(result)
    if args.update_readme:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no {MARK_START} ... {MARK_END} section")
        readme.write_text(
            pattern.sub(lambda _: f"{MARK_START}\n{result}\n{MARK_END}", text), encoding="utf-8"
        )
    if failures:  # the table says how many; here is which, and the exit status says so too
        print("\ncontract tests that fail on the synthesized specs:", file=sys.stderr)
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
