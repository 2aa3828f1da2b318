"""Benchmark: walking every page of a listing on a real HTTP server on 127.0.0.1.

    .venv/bin/python tests/bench/bench_pagination.py [--tasks N] [--repeat N] [--latency S]

The listing walked is the spec's paginated operation the runtime tests call
(``tests.local_server.LISTING``, today ``list_data_backup_tasks``).

1. ``sync_iter`` against a hand-written raw httpx loop (json.loads, no models) over the same
   server and pages: with ``concurrency=1`` (pages one by one, as the loop) the SDK's overhead
   (validation, models, dedupe); with the default, what a walk takes with pages fetched ahead.
2. ``asyncio_iter`` with concurrency 4 against concurrency 1 (sequential), with ``--latency``
   seconds of server latency per page (default 0.02).
The server runs in its own process, as OCP does: in the client's process its threads would
compete with the client for the GIL and blur the comparison. Prints the best of --repeat runs.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
from ocp_client import Client  # noqa: E402 (after the path insert)
from ocp_client._pagination import DEFAULT_CONCURRENCY  # noqa: E402
from tests.local_server import LISTING  # noqa: E402
from tests.test_pagination import PagingServer  # noqa: E402

# The listing's path, its path parameters filled in (the raw loop sends its own page and size).
PATH = LISTING.operation.path.format(
    **{
        p.name: LISTING.path_arguments[p.py_name]
        for p in LISTING.operation.parameters
        if p.location == "path"
    }
)


def _serve(tasks: int, latency: float, ports: multiprocessing.Queue[int]) -> None:
    server = PagingServer(tasks)
    server.latency = latency
    ports.put(server.server_port)
    server.serve_forever()


@contextlib.contextmanager
def server_process(tasks: int, latency: float) -> Iterator[str]:
    """The base URL of a PagingServer of ``tasks`` tasks, answering after ``latency`` seconds,
    in a child process that is stopped on exit."""
    context = multiprocessing.get_context("spawn")  # no fork of a process that may run threads
    ports: multiprocessing.Queue[int] = context.Queue()
    process = context.Process(target=_serve, args=(tasks, latency, ports), daemon=True)
    process.start()
    try:
        yield f"http://127.0.0.1:{ports.get(timeout=60)}"
    finally:
        process.terminate()
        process.join(timeout=10)


def best_of(repeat: int, function: Callable[[], int]) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = function()
        best = min(best, time.perf_counter() - start)
    return best * 1000, count


def alternating_best_of(repeat: int, *functions: Callable[[], int]) -> list[tuple[float, int]]:
    """``best_of`` for several functions run in turn, round after round, so that a machine that
    slows down for a while slows all of them alike."""
    best = [(float("inf"), 0)] * len(functions)
    for _ in range(repeat):
        for index, function in enumerate(functions):
            ms, count = best_of(1, function)
            best[index] = min(best[index], (ms, count))
    return best


def raw_loop(base_url: str, size: int) -> int:
    """What a user would write without the SDK: page through with httpx and json.loads."""
    seen = 0
    with httpx.Client(base_url=base_url) as client:
        page, total_pages = 1, 1
        while page <= total_pages:
            body = json.loads(client.get(PATH, params={"page": page, "size": size}).content)
            seen += len(body["data"]["contents"])
            total_pages = body["data"]["page"]["totalPages"]
            page += 1
    return seen


def sdk_sync(base_url: str, size: int, concurrency: int) -> int:
    with Client(base_url=base_url) as client:
        tasks = LISTING.module.sync_iter(
            client=client, size=size, concurrency=concurrency, **LISTING.path_arguments
        )
        return sum(1 for _ in tasks)


def sdk_async(base_url: str, size: int, concurrency: int) -> int:
    async def walk() -> int:
        async with Client(base_url=base_url) as client:
            pages = LISTING.module.asyncio_iter(
                client=client, size=size, concurrency=concurrency, **LISTING.path_arguments
            )
            return sum([1 async for _ in pages])

    return asyncio.run(walk())


def run(
    tasks: int = 20_000, size: int = 2000, repeat: int = 5, latency: float = 0.02
) -> dict[str, float]:
    """Best-of-``repeat`` milliseconds of each way of walking the listing."""
    results: dict[str, float] = {}
    for delay in (0.0, latency):
        with server_process(tasks, delay) as base_url:
            (raw, n_raw), (one, n_one), (ahead, n_ahead) = alternating_best_of(
                repeat,
                functools.partial(raw_loop, base_url, size),
                functools.partial(sdk_sync, base_url, size, 1),
                functools.partial(sdk_sync, base_url, size, DEFAULT_CONCURRENCY),
            )
        assert n_raw == n_one == n_ahead == tasks, (n_raw, n_one, n_ahead)
        at = f"{delay * 1000:.0f} ms latency"
        results[f"raw httpx loop, {at}"] = raw
        results[f"sync_iter, concurrency 1, {at}"] = one
        results[f"sync_iter, concurrency {DEFAULT_CONCURRENCY}, {at}"] = ahead
    with server_process(tasks, latency) as base_url:
        small = 200  # many small pages, so that latency dominates
        for concurrency in (1, 4):
            ms, count = best_of(repeat, functools.partial(sdk_async, base_url, small, concurrency))
            assert count == tasks
            results[f"asyncio_iter, pages of {small}, concurrency {concurrency}"] = ms
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    results = run(args.tasks, args.size, args.repeat, args.latency)
    print(f"listing of {args.tasks} tasks, pages of {args.size}, best of {args.repeat}")
    for name, ms in results.items():
        print(f"{name:50} {ms:9.1f} ms")


if __name__ == "__main__":
    main()
