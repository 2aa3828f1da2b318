"""Benchmark: the client's peak memory while ``sync_iter`` walks a large listing.

    .venv/bin/python tests/bench/bench_memory.py [--tasks 100000] [--size 2000] [--concurrency 4 1]

The stand-in (tools/standin) serves ``--tasks`` generated tasks from its own process, without
faults. Each walk runs in a fresh interpreter that imports the SDK, opens a client and makes
one small call of the listing first (connections, lazy imports); then it resets the kernel's
high-water mark of its resident memory (``5`` written to ``/proc/self/clear_refs``) and walks
every task with ``sync_iter``, counting them and keeping none, in pages of ``--size`` (2000,
the SDK's default) with ``--concurrency`` pages fetched at once. The number is the high-water
mark after the walk (``VmHWM``) minus the resident memory before it (``VmRSS``): at its peak,
what the walk adds to the memory of the process that walks (pages in flight, their models, the
ids seen, the threads that fetch ahead), counted over all its threads, daemon or not.

The previous probe read 0 MiB because it ran the stand-in in the walking process and subtracted
``ru_maxrss`` after the stand-in's start from ``ru_maxrss`` after the walk. The stand-in's start
with 100,000 tasks peaks near 1 GiB and then settles about 45 MiB lower; a high-water mark only
moves when something goes above it, so the difference showed only what the walk added beyond
that slack (and the stand-in's work on each request counted as the walk's). The page threads
were never the cause: the kernel's counts are the process's. ``tracemalloc`` would see them
too, but it counts only what goes through Python's allocator, not the process's memory.

Linux only (``/proc/self``). Not a test: numbers depend on the machine and the allocator.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
from tests.bench import bench_faults  # noqa: E402 (after the path insert)

TASKS = 100_000
SIZE = 2000
CONCURRENCY = (4, 1)
PROBE_TIMEOUT = 600

PROBE = """
import json, re, sys, threading
sys.path[:0] = [{root!r}, {tools!r}]
import concurrent.futures, contextvars  # imported by the first walk: not the walk's memory
from ocp_client import Client
from tests.local_server import LISTING

def status(field):
    with open("/proc/self/status", encoding="ascii") as f:
        return int(re.search(field + r":\\s+(\\d+) kB", f.read()).group(1)) * 1024

hold_ready, walk_done = threading.Event(), threading.Event()

def hold(size):
    # A calibration: memory a daemon thread takes during the walk and keeps until its end.
    block = b"\\x01" * size
    hold_ready.set()
    walk_done.wait(timeout={timeout})
    del block

# The stand-in's generated data (--no-sample) belongs to the first scope value: 1.
scope = dict.fromkeys(LISTING.path_arguments, 1)
with Client(base_url={base_url!r}) as client:
    LISTING.module.sync(client=client, page=1, size=1, **scope)
    with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
        f.write("5")  # the high-water mark of resident memory starts again from here
    before = status("VmRSS")
    if {hold}:
        threading.Thread(target=hold, args=({hold},), daemon=True).start()
        hold_ready.wait(timeout={timeout})
    walk = LISTING.module.sync_iter(
        client=client, size={size}, concurrency={concurrency}, **scope
    )
    count = sum(1 for _ in walk)
    peak = status("VmHWM")
    walk_done.set()
print(json.dumps({{"count": count, "before": before, "peak": peak}}))
"""


@dataclass(frozen=True)
class Walk:
    """One walk's memory."""

    size: int
    concurrency: int
    count: int
    """Tasks the walk yielded."""
    before: int
    """Resident bytes of the walking process before the walk."""
    peak: int
    """The highest resident bytes during the walk."""

    @property
    def added_mib(self) -> float:
        return (self.peak - self.before) / 2**20


def walk_peak(base_url: str, size: int, concurrency: int, hold: int = 0) -> Walk:
    """One walk of the stand-in at ``base_url``, in pages of ``size`` with ``concurrency`` at
    once, in a fresh interpreter; ``hold`` bytes taken by a daemon thread of that process for
    the length of the walk (0: none), to check that the measure sees them."""
    if not Path("/proc/self/clear_refs").exists():
        raise SystemExit("bench_memory: needs Linux's /proc/self/clear_refs and /proc/self/status")
    code = PROBE.format(
        root=str(ROOT), tools=str(ROOT / "tools"), base_url=base_url, size=size,
        concurrency=concurrency, hold=hold, timeout=PROBE_TIMEOUT,
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        timeout=PROBE_TIMEOUT, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the memory probe failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.splitlines()[-1])
    return Walk(size, concurrency, result["count"], result["before"], result["peak"])


def run(
    tasks: int = TASKS, size: int = SIZE, concurrency: Sequence[int] = CONCURRENCY
) -> list[Walk]:
    """One walk of ``tasks`` tasks in pages of ``size`` for each of ``concurrency``, against
    one stand-in process; each walk checked to have yielded every task."""
    walks = []
    with bench_faults.standin(tasks, 0.0, bench_faults.KINDS, seed=0) as base_url:
        for pages in concurrency:
            walk = walk_peak(base_url, size, pages)
            if walk.count != tasks:
                raise RuntimeError(f"a walk yielded {walk.count} of {tasks} tasks")
            walks.append(walk)
    return walks


def rows(walks: Sequence[Walk]) -> list[tuple[str, str, str]]:
    """(benchmark, result, ratio) rows, as run_all.py's table has them."""
    result = []
    for walk in walks:
        how = "one page at a time" if walk.concurrency == 1 else f"{walk.concurrency} in flight"
        result.append(
            (f"peak memory added iterating {walk.count:,} tasks (sync_iter, pages of {walk.size}, "
             f"{how})", f"{walk.added_mib:.1f} MiB",
             f"{walk.before / 2**20:.0f} MiB before the walk")
        )  # fmt: skip
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=TASKS)
    parser.add_argument("--size", type=int, default=SIZE, help="tasks per page")
    parser.add_argument("--concurrency", type=int, nargs="+", default=list(CONCURRENCY))
    args = parser.parse_args()
    for name, value, note in rows(run(args.tasks, args.size, args.concurrency)):
        print(f"{name}  {value:>10}  {note}")


if __name__ == "__main__":
    main()
