"""sync_iter/asyncio_iter against a real paging server on 127.0.0.1: every item once, in order,
across pages, with tasks inserted between requests, concurrent async pages, lying servers,
and cancellation; and a listing whose items name no id, generated from a small inline spec."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import copy
import importlib
import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

import spec_model
from ocp_client import Client, errors
from tests.local_server import LISTING, TLS, serving

SAMPLE = LISTING.sample
TEMPLATE = SAMPLE["data"]["contents"][0]
ITEM_ID = LISTING.item_id
KEY = ITEM_ID.py_name
ROOT = Path(__file__).resolve().parent.parent


def task(task_id: int) -> dict[str, Any]:
    """An item of the listing, the example's first with another id."""
    return {**TEMPLATE, ITEM_ID.json_name: task_id}


def ids(items: Any) -> list[Any]:
    return [getattr(item, KEY) for item in items]


def walk(client: Client, **arguments: Any) -> Iterator[Any]:
    iterator: Iterator[Any] = LISTING.module.sync_iter(
        client=client, **LISTING.path_arguments, **arguments
    )
    return iterator


def awalk(client: Client, **arguments: Any) -> AsyncGenerator[Any, None]:
    iterator: AsyncGenerator[Any, None] = LISTING.module.asyncio_iter(
        client=client, **LISTING.path_arguments, **arguments
    )
    return iterator


class PagingServer(ThreadingHTTPServer):
    """Serves `tasks` (newest first) as OCP pages. `before_page` runs before a page is cut, to
    insert tasks; `lie_total_pages` replaces totalPages; `latency` delays each answer."""

    def __init__(self, count: int, item: Callable[[int], dict[str, Any]] = task) -> None:
        super().__init__(("127.0.0.1", 0), PageHandler)
        self.tasks = [item(i) for i in range(count, 0, -1)]
        self.pages_requested: list[int] = []
        self.sizes_requested: list[int] = []
        self.before_page: Callable[[PagingServer, int], None] | None = None
        self.lie_total_pages: int | None = None
        self.latency = 0.0
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def answer(self, page: int, size: int) -> dict[str, Any]:
        with self.lock:
            self.pages_requested.append(page)
            self.sizes_requested.append(size)
            if self.before_page:
                self.before_page(self, page)
            size = min(size, 2000)
            total = len(self.tasks)
            contents = self.tasks[(page - 1) * size : page * size]
            body: dict[str, Any] = copy.deepcopy(SAMPLE)
            body["data"] = {
                "contents": contents,
                "page": {"number": page, "size": size, "totalElements": total,
                         "totalPages": self.lie_total_pages or -(-total // size)},
            }  # fmt: skip
            return body


class PageHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: Any = self.server
        query = parse_qs(urlsplit(self.path).query)
        with server.lock:
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            if server.latency:
                time.sleep(server.latency)
            payload = json.dumps(server.answer(int(query["page"][0]), int(query["size"][0])))
        finally:
            with server.lock:
                server.in_flight -= 1
        body = payload.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may have cancelled this page: expected in the cancellation tests.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def make_server() -> Iterator[Callable[..., PagingServer]]:
    with contextlib.ExitStack() as running:
        yield lambda *args: running.enter_context(serving(PagingServer(*args)))


def client_for(server: PagingServer) -> Client:
    # A walk left early does not wait for its pages in flight. Closing the client right after
    # closes their sockets under them, and a thread blocked reading a socket closed by another
    # is not woken: it ends at its read timeout. 3 s keeps that inside page_threads_after().
    return Client(server.url, verify=TLS, timeout=3, max_retries=0)


def test_sync_iter_yields_every_task_of_every_page_once(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(25)
    with client_for(server) as client:
        found = ids(walk(client, size=10))
    assert found == list(range(25, 0, -1))
    assert sorted(server.pages_requested) == [1, 2, 3]  # pages 2 and 3 go out together


def test_default_page_size_is_the_server_maximum(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(3)
    with client_for(server) as client:
        assert len(list(walk(client))) == 3
    size = LISTING.operation.parameter("size", "query")
    assert size is not None and isinstance(size.type, spec_model.IntegerType)
    assert server.pages_requested == [1] and server.sizes_requested == [size.type.upper]


def test_empty_listing(make_server: Callable[..., PagingServer]) -> None:
    server = make_server(0)
    with client_for(server) as client:
        assert list(walk(client, size=10)) == []


def test_inserts_between_pages_never_duplicate_a_task(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(30)
    next_id = [1000]

    def insert_two(srv: PagingServer, page: int) -> None:
        if page > 1:  # two new tasks appear, newest first, before each later page is cut
            srv.tasks[:0] = [task(next_id[0] + 1), task(next_id[0])]
            next_id[0] += 2

    server.before_page = insert_two
    with client_for(server) as client:
        found = ids(walk(client, size=10))
    assert len(found) == len(set(found)), "a task was yielded twice"
    assert set(range(1, 31)) <= set(found), "a task that existed all along was missed"


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_lying_server_cannot_loop_forever(
    make_server: Callable[..., PagingServer], concurrency: int
) -> None:
    server = make_server(20)
    server.lie_total_pages = 10**9

    def insert_a_page(srv: PagingServer, page: int) -> None:  # so that pages never run dry
        srv.tasks[:0] = [task(10_000 + 10 * page + i) for i in range(10)]

    server.before_page = insert_a_page
    seen: list[int] = []
    with client_for(server) as client, pytest.raises(errors.ResponseValidationError) as caught:
        for item in walk(client, size=10, concurrency=concurrency):
            seen.append(getattr(item, KEY))
    # The first answer announced 10**9 pages but 30 elements (10 inserted before it): 3 pages,
    # so at most 2 * 3 + 1; reaching that bound while pages are still announced is an error,
    # not a shortened list.
    assert sorted(set(server.pages_requested)) == list(range(1, 8))
    if concurrency == 1:
        assert server.pages_requested == list(range(1, 8))
    else:  # a page cut before the one ahead of it is asked again, once
        assert len(server.pages_requested) <= 1 + 2 * 6
    assert caught.value.path == "data.page.totalPages"
    # Ten new tasks before each page of ten shift every task one page on: each page repeats
    # the last, so only the first page's tasks are new, each yielded once.
    assert seen and len(seen) == len(set(seen))


def test_a_server_reporting_its_maximum_size_loses_no_task(
    make_server: Callable[..., PagingServer],
) -> None:
    """The reference sample answers `size: 2000` to a request for 10: the bound must count in
    the pages actually served, not in the reported size."""
    server = make_server(500)
    original = server.answer

    def report_maximum(page: int, size: int) -> dict[str, Any]:
        body = original(page, size)
        body["data"]["page"]["size"] = 2000
        return body

    server.answer = report_maximum  # type: ignore[method-assign]
    with client_for(server) as client:
        found = ids(walk(client, size=100))
    assert found == list(range(500, 0, -1))


def test_a_server_ignoring_page_is_an_error(make_server: Callable[..., PagingServer]) -> None:
    server = make_server(20)
    original = server.answer
    server.answer = lambda page, size: original(1, size)  # type: ignore[method-assign]
    with client_for(server) as client, pytest.raises(errors.ResponseValidationError) as caught:
        list(walk(client, size=10))
    assert caught.value.path == "data.page.number"


def test_asyncio_iter_fetches_pages_concurrently_in_order(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(95)
    server.latency = 0.05

    async def collect() -> list[int]:
        async with client_for(server) as client:
            iterator = awalk(client, size=10, concurrency=4)
            return ids([t async for t in iterator])

    assert asyncio.run(collect()) == list(range(95, 0, -1))
    assert sorted(server.pages_requested) == list(range(1, 11))
    assert server.max_in_flight > 1, "pages after the first were not requested concurrently"
    assert server.max_in_flight <= 4


def test_asyncio_iter_stopping_early_cancels_pages_requested_ahead(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(200)
    server.latency = 0.05

    async def first_fifteen() -> list[int]:
        async with client_for(server) as client:
            taken = []
            iterator = awalk(client, size=10, concurrency=3)
            async with contextlib.aclosing(iterator) as tasks:  # as the docstring says to
                async for item in tasks:
                    taken.append(getattr(item, KEY))
                    if len(taken) == 15:
                        break
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            assert pending == [], f"tasks left running: {pending}"
            return taken

    assert asyncio.run(first_fifteen()) == list(range(200, 185, -1))
    assert len(server.pages_requested) <= 1 + 3


def test_asyncio_iter_is_cancellable(make_server: Callable[..., PagingServer]) -> None:
    server = make_server(200)
    server.latency = 0.2

    async def consume() -> None:
        async with client_for(server) as client:
            async for _ in awalk(client, size=10):
                pass

    async def main() -> None:
        job = asyncio.ensure_future(consume())
        await asyncio.sleep(0.3)
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

    asyncio.run(asyncio.wait_for(main(), timeout=10))
    assert len(server.pages_requested) < 20


# --- sync_iter with pages in flight together ------------------------------------------------

PAGE_THREADS = "ocp-client-pages"


def page_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(PAGE_THREADS)]


def page_threads_after(seconds: float = 10.0) -> list[threading.Thread]:
    """The page threads still alive once they had up to ``seconds`` to end: pages in flight
    when a walk ends finish in the background."""
    deadline = time.monotonic() + seconds
    while page_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    return page_threads()


def test_sync_iter_fetches_pages_concurrently_in_order(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(95)
    server.latency = 0.05
    with client_for(server) as client:
        iterator = walk(client, size=10, concurrency=4)
        assert ids(iterator) == list(range(95, 0, -1))
    assert sorted(server.pages_requested) == list(range(1, 11))
    assert server.max_in_flight > 1, "pages after the first were not requested concurrently"
    assert server.max_in_flight <= 4
    assert page_threads_after() == []


def test_sync_iter_with_concurrency_1_requests_pages_one_by_one_in_the_calling_thread(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(35)
    server.latency = 0.01
    threads: list[str] = []
    hooks = {"request": [lambda request: threads.append(threading.current_thread().name)]}
    with Client(server.url, verify=TLS, httpx_args={"event_hooks": hooks}) as client:
        iterator = walk(client, size=10, concurrency=1)
        assert ids(iterator) == list(range(35, 0, -1))
    assert server.pages_requested == [1, 2, 3, 4]
    assert server.max_in_flight == 1
    assert threads == [threading.current_thread().name] * 4


def hold_pages_after_2(
    server: PagingServer, *, bad_page_2: bool = False
) -> tuple[threading.Event, list[int]]:
    """Make the server hold every page after page 2 until the event is set (or 10 s, so that a
    walk that waited for them is slow, not hung), and page 2 break the spec if asked. Returns
    the event and the held pages answered so far."""
    release = threading.Event()
    answered: list[int] = []
    original = server.answer

    def answer(page: int, size: int) -> dict[str, Any]:
        if page > 2:
            release.wait(timeout=10)
            answered.append(page)
        body = original(page, size)
        if page == 2 and bad_page_2:
            body["data"]["page"]["totalPages"] = -1
        return body

    server.answer = answer  # type: ignore[method-assign]
    return release, answered


def test_leaving_sync_iter_early_does_not_wait_for_pages_in_flight(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(200)
    release, held_pages_answered = hold_pages_after_2(server)
    taken = []
    try:
        with client_for(server) as client:
            for item in walk(client, size=10, concurrency=3):
                taken.append(getattr(item, KEY))
                if len(taken) == 15:
                    break
            # The break came back before any page held by the server was answered.
            assert held_pages_answered == []
    finally:
        release.set()
    assert taken == list(range(200, 185, -1))
    assert page_threads_after() == [], "page threads left running"
    # Page 1, then at most 3 in flight, and at most 3 more requested as pages were taken.
    assert len(server.pages_requested) <= 1 + 3 + 3


def test_pages_fetched_ahead_run_in_the_caller_s_context(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(45)
    trace: contextvars.ContextVar[str] = contextvars.ContextVar("trace", default="none")
    seen: list[str] = []
    hooks = {"request": [lambda request: seen.append(trace.get())]}
    trace.set("walk-1")
    with Client(server.url, verify=TLS, httpx_args={"event_hooks": hooks}) as client:
        assert len(list(walk(client, size=10))) == 45
    assert seen == ["walk-1"] * 5


def test_an_error_on_a_page_fetched_ahead_comes_after_the_pages_before_it(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(50)
    original = server.answer

    def fail_page_3(page: int, size: int) -> dict[str, Any]:
        body = original(page, size)
        if page == 3:
            body["data"]["contents"][4][ITEM_ID.json_name] = [4]  # no id of the spec is a list
        return body

    server.answer = fail_page_3  # type: ignore[method-assign]
    taken: list[int] = []
    with client_for(server) as client, pytest.raises(errors.ResponseValidationError) as caught:
        for item in walk(client, size=10, concurrency=4):
            taken.append(getattr(item, KEY))
    assert taken == list(range(50, 30, -1)), "the pages before the bad one were not all yielded"
    assert caught.value.path == f"data.contents[4].{ITEM_ID.json_name}"
    assert page_threads_after() == []


def test_an_error_does_not_wait_for_slower_pages_in_flight(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(80)
    release, held_pages_answered = hold_pages_after_2(server, bad_page_2=True)
    try:
        with client_for(server) as client, pytest.raises(errors.ResponseValidationError):
            list(walk(client, size=10, concurrency=4))
        assert held_pages_answered == [], "the error waited for the pages in flight"
    finally:
        release.set()
    assert page_threads_after() == []


def test_concurrency_below_1_is_refused_before_any_request(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(5)
    with client_for(server) as client, pytest.raises(ValueError, match="concurrency"):
        list(walk(client, concurrency=0))
    assert server.pages_requested == []


# --- pages cut out of order -----------------------------------------------------------------


def cut_page_3_before_page_2_with_two_tasks_created_in_between(server: PagingServer) -> None:
    """Tasks 30..1 in pages of 10. Page 2's request waits until page 3 is cut (tasks 10..1),
    then two tasks are created and page 2 is cut (tasks 22..13): tasks 12 and 11 are on neither
    page. Only asking for page 3 again, after page 2, finds them."""
    original = server.answer
    created: list[int] = []

    def answer(page: int, size: int) -> dict[str, Any]:
        if page == 2 and not created:
            deadline = time.monotonic() + 5
            while 3 not in server.pages_requested and time.monotonic() < deadline:
                time.sleep(0.005)
            with server.lock:
                server.tasks[:0] = [task(1001), task(1000)]
            created.append(1)
        return original(page, size)

    server.answer = answer  # type: ignore[method-assign]


def test_sync_iter_asks_again_for_a_page_cut_before_the_page_ahead_of_it(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(30)
    cut_page_3_before_page_2_with_two_tasks_created_in_between(server)
    with client_for(server) as client:
        found = ids(walk(client, size=10))
    assert server.pages_requested[:3] == [1, 3, 2], "the test did not cut page 3 first"
    assert set(range(1, 31)) <= set(found) and len(found) == len(set(found))
    assert server.pages_requested.count(3) == 2


def test_asyncio_iter_asks_again_for_a_page_cut_before_the_page_ahead_of_it(
    make_server: Callable[..., PagingServer],
) -> None:
    server = make_server(30)
    cut_page_3_before_page_2_with_two_tasks_created_in_between(server)

    async def collect() -> list[int]:
        async with client_for(server) as client:
            iterator = awalk(client, size=10)
            return ids([t async for t in iterator])

    found = asyncio.run(collect())
    assert server.pages_requested[:3] == [1, 3, 2], "the test did not cut page 3 first"
    assert set(range(1, 31)) <= set(found) and len(found) == len(set(found))
    assert server.pages_requested.count(3) == 2


# --- a listing whose items name no id -----------------------------------------------------------

SCRATCH = "ocp_scratch_unnamed"


def notes_spec() -> dict[str, Any]:
    """A spec of one paginated operation whose items name no id (no ``x-ocp-item-id``), on the
    real spec's shared parts: its envelope, page, paging parameters and errors."""
    document = spec_model.load().document
    schemas = document["components"]["schemas"]
    shared = ("ResponseEnvelope", "Page", "PageInfo", "ErrorResponse", "ApiError", "ApiSubError")
    page_of_notes = {
        "allOf": [
            {"$ref": "#/components/schemas/ResponseEnvelope"},
            {"type": "object", "required": ["data"], "properties": {"data": {"allOf": [
                {"$ref": "#/components/schemas/Page"},
                {"type": "object", "properties": {"contents": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Note"}}}},
            ]}}},
        ]
    }  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {"title": "notes", "version": "1.0.0"},
        "paths": {"/api/v2/notes": {"get": {
            "operationId": "listNotes", "tags": ["notes"], "summary": "List notes",
            "parameters": [{"$ref": "#/components/parameters/PageNumber"},
                           {"$ref": "#/components/parameters/PageSize"}],
            "responses": {"200": {"description": "One page of notes.",
                                  "content": {"application/json": {"schema": page_of_notes}}}},
        }}},
        "components": {
            "parameters": document["components"]["parameters"],
            "schemas": {
                **{name: schemas[name] for name in shared},
                "Note": {"type": "object", "required": ["text"],
                         "properties": {"text": {"type": "string"}}},
            },
        },
    }  # fmt: skip


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """``list_notes`` of a scratch package: the hand-written runtime beside what tools/generate.py
    makes of :func:`notes_spec`, imported under another name than ocp_client."""
    root = tmp_path_factory.mktemp("scratch")
    package = root / SCRATCH
    package.mkdir()
    runtime = ROOT / "generated" / "ocp_client"
    for source in [*runtime.glob("*.py"), runtime / "py.typed"]:
        shutil.copy(source, package / source.name)
    spec = root / "notes.yaml"
    spec.write_text(yaml.safe_dump(notes_spec()), encoding="utf-8")
    generate = [sys.executable, str(ROOT / "tools" / "generate.py")]
    done = subprocess.run(
        [*generate, "--spec", str(spec), "--output", str(package)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(f"{SCRATCH}.api.notes.list_notes")
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == SCRATCH]:
            del sys.modules[name]


def note(number: int) -> dict[str, Any]:
    return {"text": f"note {number}"}


def texts(items: Any) -> list[str]:
    return [item.text for item in items]


def test_items_without_an_id_are_all_yielded_even_when_pages_shift(
    notes: ModuleType, make_server: Callable[..., PagingServer]
) -> None:
    """With nothing to tell an item seen before, each comes as often as the pages hold it: two
    notes created before page 2 is cut push the last two of page 1 onto page 2."""
    server = make_server(25, note)

    def insert_two(srv: PagingServer, page: int) -> None:
        if page == 2:
            srv.tasks[:0] = [note(1001), note(1000)]

    server.before_page = insert_two
    with notes.Client(server.url, verify=TLS, max_retries=0) as client:
        found = texts(notes.sync_iter(client=client, size=10, concurrency=1))
    assert found[:10] == [f"note {n}" for n in range(25, 15, -1)]
    assert found[10:12] == ["note 17", "note 16"], "the shifted notes were not yielded again"
    assert sorted(set(found)) == sorted(f"note {n}" for n in range(1, 26))
    assert len(found) == 27 and server.pages_requested == [1, 2, 3]


def test_items_without_an_id_asynchronously(
    notes: ModuleType, make_server: Callable[..., PagingServer]
) -> None:
    server = make_server(25, note)
    server.tasks[10] = server.tasks[9]  # the same note twice, across a page boundary

    async def collect() -> list[str]:
        async with notes.Client(server.url, verify=TLS, max_retries=0) as client:
            return texts([item async for item in notes.asyncio_iter(client=client, size=10)])

    found = asyncio.run(collect())
    assert found == [item["text"] for item in server.tasks]
    assert found.count("note 16") == 2
