"""Every benchmark of the project, in one table: ``.venv/bin/python tests/bench/run_all.py``.

    --update-readme   also write the table into README.md (between the bench markers)

1. Parse of one page of 2000 tasks: json.loads alone, ocp_client's validating models, the
   generator's default models, pydantic v2 (tests/bench/bench_parse.py).
2. Walking a 20,000-task listing: sync_iter (pages one by one, and 4 in flight) vs a raw httpx
   loop, and asyncio_iter with 4 pages in flight vs sequential, with 20 ms of server latency
   (tests/bench/bench_pagination.py).
3. `import ocp_client` vs `import httpx`, in fresh interpreters.
4. Peak memory of the client process while iterating 100,000 tasks from the stand-in.
Numbers depend on the machine: they are for comparing, not for asserting.
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.bench import bench_pagination, bench_parse  # noqa: E402 (after the path insert)

MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"

MEMORY_PROBE = """
import resource, sys
sys.path.insert(0, {tools!r})
from standin import StandIn, Credentials
from ocp_client import Client
from ocp_client.api.backup import list_data_backup_tasks
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with StandIn(tasks={tasks}, reference=False, credentials=Credentials(enabled=False)) as server:
    ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with Client(base_url=server.base_url) as client:
        count = sum(1 for _ in list_data_backup_tasks.sync_iter(1, client=client))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count, before, ready, after)
"""


def import_time(module: str, repeat: int = 7) -> float:
    """Best wall time, in ms, of a fresh interpreter importing ``module``, minus a bare start."""

    def best(code: str) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
            times.append(time.perf_counter() - start)
        return min(times) * 1000

    return best(f"import {module}") - best("pass")


def memory(tasks: int) -> tuple[int, float]:
    """(tasks seen, MiB the client's walk added to the peak). The stand-in runs in the same
    process, so its data is measured first and subtracted."""
    code = MEMORY_PROBE.format(tools=str(ROOT / "tools"), tasks=tasks)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=600
    ).stdout.split()
    count, _, ready, after = map(int, out)
    return count, (after - ready) / 1024


def table() -> str:
    rows: list[tuple[str, str, str]] = []
    parse = bench_parse.run()
    base = parse["json.loads"]
    for name, ms in parse.items():
        rows.append((f"parse 2000 tasks: {name}", f"{ms:.2f} ms", f"{ms / base:.2f}x json.loads"))
    walk = bench_pagination.run()
    for name, ms in walk.items():
        if name.startswith("asyncio_iter"):
            continue
        what, _, latency = name.rpartition(", ")
        raw = walk[f"raw httpx loop, {latency}"]
        ratio = "" if what == "raw httpx loop" else f"{ms / raw:.2f}x raw"
        rows.append((f"20,000 tasks, {latency}: {what}", f"{ms:.0f} ms", ratio))
    seq = walk["asyncio_iter, pages of 200, concurrency 1"]
    conc = walk["asyncio_iter, pages of 200, concurrency 4"]
    rows.append(("100 pages, 20 ms latency: asyncio_iter, sequential", f"{seq:.0f} ms", ""))
    rows.append(
        ("100 pages, 20 ms latency: asyncio_iter, 4 in flight", f"{conc:.0f} ms",
         f"{seq / conc:.2f}x faster")
    )  # fmt: skip
    ocp, httpx_ms = import_time("ocp_client"), import_time("httpx")
    rows.append(("import httpx", f"{httpx_ms:.0f} ms", ""))
    rows.append(("import ocp_client", f"{ocp:.0f} ms", f"{ocp / httpx_ms:.2f}x httpx"))
    count, mib = memory(100_000)
    rows.append((f"peak memory added iterating {count:,} tasks (sync_iter)", f"{mib:.1f} MiB", ""))
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    )
    lines = [f"Measured with `{Path(__file__).relative_to(ROOT)}` on {machine}.", ""]
    lines += ["| benchmark | result | ratio |", "|---|---:|---:|"]
    lines += [f"| {name} | {value} | {ratio} |" for name, value, ratio in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()
    result = table()
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


if __name__ == "__main__":
    main()
