"""Benchmark: walks of a large listing on a network that fails, against the stand-in's faults.

    .venv/bin/python tests/bench/bench_faults.py [--walks N] [--tasks N] [--size N ...]

The stand-in (tools/standin) runs in its own process with ``--tasks`` generated tasks and a
fault on ``--rate`` of the API requests (``--fault-rate``), drawn evenly from ``--kinds``:
resets before any answer and mid-body, bodies cut short (truncated, and garbled: cut with a
matching Content-Length), 502/503, a proxy's HTML 502 and 429 (with the stand-in's
``RateLimit-Reset: 1``). During each walk, ``--inserts`` new tasks are created at the head of
the listing after every ``--insert-every`` tasks taken by a walk; ``--parallel`` walks run at
once (each with its own client), so that one's waits overlap another's pages.

Each walk is ``sync_iter`` of the listing with the SDK's default settings (``Client`` with its
default timeout and retries, the default walk budget and concurrency) and the page ``--size``.
A walk that gives up is resumed with ``error.walk.resume()`` (at most ``RESUMES`` times). Every
walk is checked against the tasks that existed when its first page was cut (the ids up to the
largest then; the stand-in deletes none): duplicates are ids yielded more than once, missing
are ids that existed and were not yielded. Prints, per page size: walks completed without
giving up, walks that gave up and whether their resumptions reached the exact set, duplicates,
missing, requests per page (API requests the stand-in counted, over the pages of the
listings walked) and wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
from ocp_client import Client, errors  # noqa: E402 (after the path insert)
from tests.local_server import LISTING  # noqa: E402

KINDS = ("reset", "reset-body", "truncate", "garble", "unavailable", "html", "rate-limit")
RESUMES = 10
"""Resumptions of one walk before the benchmark calls it lost (each gets a fresh budget)."""
# The stand-in's generated tasks (--no-sample) belong to the first scope value of each path
# parameter: 1 (see tools/standin/data.py).
SCOPE = dict.fromkeys(LISTING.path_arguments, 1)


@dataclass
class Outcome:
    """What the walks of one page size did."""

    size: int
    walks: int = 0
    completed: int = 0  # without giving up
    gave_up: int = 0
    resumed_exact: int = 0  # of those that gave up: resumed to every task, each once
    lost: int = 0  # gave up more than RESUMES times
    duplicates: int = 0
    missing: int = 0
    requests: int = 0
    pages: int = 0
    seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def requests_per_page(self) -> float:
        return self.requests / self.pages if self.pages else math.nan

    def line(self) -> str:
        return (
            f"pages of {self.size}: {self.completed}/{self.walks} walks completed, "
            f"{self.gave_up} gave up ({self.resumed_exact} resumed to the exact set, "
            f"{self.lost} lost), {self.duplicates} duplicates, {self.missing} missing, "
            f"{self.requests_per_page:.2f} requests per page, {self.seconds:.1f} s"
        )


@contextlib.contextmanager
def standin(tasks: int, rate: float, kinds: Sequence[str], seed: int) -> Iterator[str]:
    """The base URL of a stand-in process with ``tasks`` tasks and random faults; stopped on
    exit (SIGTERM, then killed if it does not stop within 10 s)."""
    command = [
        sys.executable, "-m", "tools.standin", "--port", "0", "--no-auth", "--no-sample",
        "--tasks", str(tasks), "--fault-rate", str(rate), "--fault-kinds", ",".join(kinds),
        "--fault-seed", str(seed),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # "OCP stand-in listening on http://127.0.0.1:PORT"
        if "listening on " not in first:
            raise RuntimeError(f"the stand-in did not start: {first!r}")
        yield first.rsplit(" ", 1)[1].strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _admin(admin: httpx.Client, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    answer = admin.request(method, path, **kwargs)
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def walk_once(
    base_url: str, admin: httpx.Client, tasks: int, size: int, inserts: int, every: int
) -> tuple[list[Any], int, list[str]]:
    """One walk, resumed while it gives up, with a client of its own: (ids yielded, the largest
    id when the first page was cut, the class names of the errors it gave up on)."""
    faults = _admin(admin, "GET", "/_standin/faults")
    # Inserts still pending are made before the first page is cut: they exist for this walk.
    largest = tasks + faults["insertedItems"] + faults["pendingInserts"]
    found: list[Any] = []
    gave_up: list[str] = []
    key = LISTING.item_id.py_name
    with Client(base_url=base_url) as client:
        items: Iterator[Any] = LISTING.module.sync_iter(client=client, size=size, **SCOPE)
        for _ in range(RESUMES + 1):
            try:
                for item in items:
                    found.append(getattr(item, key))
                    if inserts and len(found) % every == 0:
                        _admin(admin, "POST", "/_standin/faults", json={"insert": inserts})
                break
            except errors.OcpError as error:
                resume = getattr(error, "walk", None)
                if resume is None:
                    raise
                gave_up.append(type(error).__name__)
                items = resume.resume()
    return found, largest, gave_up


def run(
    walks: int = 50,
    tasks: int = 20_000,
    sizes: Sequence[int] = (2000, 100),
    rate: float = 0.2,
    kinds: Sequence[str] = KINDS,
    inserts: int = 3,
    every: int = 2000,
    seed: int = 1,
    parallel: int = 2,
) -> list[Outcome]:
    """``walks`` walks for each page size in ``sizes``, ``parallel`` at a time (see the module
    docstring)."""
    outcomes = []
    with standin(tasks, rate, kinds, seed) as base_url, httpx.Client(base_url=base_url) as admin:
        for size in sizes:
            outcome = Outcome(size)
            start = time.perf_counter()
            before = _admin(admin, "GET", "/_standin/stats")["requests"]
            with ThreadPoolExecutor(parallel) as pool:
                arguments = (base_url, admin, tasks, size, inserts, every)
                started = [pool.submit(walk_once, *arguments) for _ in range(walks)]
                for future in started:
                    found, largest, gave_up = future.result()
                    # Items come newest first and a newer item has a larger id: the first item
                    # yielded is the newest that existed when page 1 was cut.
                    largest = max(largest if not found else found[0], 0)
                    unique = set(found)
                    missing = len(set(range(1, largest + 1)) - unique)
                    outcome.walks += 1
                    outcome.duplicates += len(found) - len(unique)
                    outcome.missing += missing
                    outcome.pages += math.ceil(largest / size)
                    if not gave_up:
                        outcome.completed += 1
                        continue
                    outcome.gave_up += 1
                    for name in gave_up:
                        outcome.errors[name] = outcome.errors.get(name, 0) + 1
                    if len(gave_up) > RESUMES:
                        outcome.lost += 1
                    elif missing == 0 and len(found) == len(unique):
                        outcome.resumed_exact += 1
            outcome.requests = _admin(admin, "GET", "/_standin/stats")["requests"] - before
            outcome.seconds = time.perf_counter() - start
            outcomes.append(outcome)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walks", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--size", type=int, action="append", help="page size (repeatable)")
    parser.add_argument("--rate", type=float, default=0.2, help="requests faulted (0..1)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="fault kinds, comma-separated")
    parser.add_argument("--inserts", type=int, default=3, help="tasks created at a time")
    parser.add_argument("--insert-every", type=int, default=2000, help="tasks taken in between")
    parser.add_argument("--seed", type=int, default=1, help="seed of the stand-in's faults")
    parser.add_argument("--parallel", type=int, default=2, help="walks at a time")
    args = parser.parse_args()
    outcomes = run(
        args.walks, args.tasks, args.size or (2000, 100), args.rate,
        args.kinds.split(","), args.inserts, args.insert_every, args.seed, args.parallel,
    )  # fmt: skip
    print(
        f"{args.walks} walks of {args.tasks:,} tasks per page size, {args.rate:.0%} of requests "
        f"faulted ({args.kinds}), {args.inserts} tasks created every {args.insert_every} taken, "
        f"{args.parallel} walks at a time"
    )
    for outcome in outcomes:
        print(outcome.line())
        if outcome.errors:
            print(f"  gave up on: {outcome.errors}")


if __name__ == "__main__":
    main()
