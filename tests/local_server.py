"""Real HTTP servers on 127.0.0.1 for the runtime tests, and the one operation they call.

The runtime path (arguments checked, request sent, retries, answer read, errors, pages) is the
same for every operation, so the runtime tests call one: ``LISTING``, taken from the spec
(``tools/spec_model.py``) by what the tests need of it rather than by name, on first use: the
servers here serve any spec's tests (tests/conftest.py imports this module), and a spec without
such an operation must still collect those that do not call it.
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from types import ModuleType
from typing import Any, TypeVar

import spec_model

Server = TypeVar("Server", bound=HTTPServer)

TLS = ssl.create_default_context()
"""One TLS context for every client of the tests that speak plain HTTP to 127.0.0.1: httpx
builds one per client otherwise, reading the CA bundle each time (tens of milliseconds)."""


@contextmanager
def serving(httpd: Server) -> Iterator[Server]:
    """Serve ``httpd`` on a thread for the duration of the block, then shut it down, close its
    socket and join the thread (bounded: a server that does not stop fails the test)."""
    # A short poll interval: shutdown() waits up to one interval for the serving loop.
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
        assert not thread.is_alive(), f"{type(httpd).__name__} did not stop"


# --- the operation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """A paginated operation of the spec, with what the runtime tests need to call it."""

    operation: spec_model.Operation
    module: ModuleType
    """The generated module: ``sync``, ``asyncio``, ``*_detailed``, ``sync_iter``, ..."""
    path_arguments: dict[str, int | str]
    """A value for each path argument, by its Python name (``cluster_id``)."""
    example: bytes
    """The spec's example answer (the vendor's reference sample)."""

    @property
    def sample(self) -> dict[str, Any]:
        """The example answer as JSON, a fresh copy each time."""
        document: dict[str, Any] = json.loads(self.example)
        return document

    @property
    def item_id(self) -> spec_model.Property:
        assert self.operation.result.item_id is not None
        return self.operation.result.item_id

    @property
    def period(self) -> tuple[str, str]:
        """The Python names of the operation's first period (``start_time``, ``end_time``)."""
        start, end = self.operation.periods[0]
        return start.py_name, end.py_name

    def target(self, query: str | None = None, /, **path: int | str) -> str:
        """The request target of a call with ``path`` arguments (default ours) and ``query``
        (default: what a call without arguments sends, the spec's defaults: page=1&size=10)."""
        values = {**self.path_arguments, **path}
        parameters = self.operation.parameters
        by_name = {p.name: values[p.py_name] for p in parameters if p.location == "path"}
        if query is None:
            query = "&".join(
                f"{p.name}={p.default}"
                for p in parameters
                if p.location == "query" and p.default is not None
            )
        return f"{self.operation.path.format(**by_name)}?{query}"

    def call(self, client: Any, **arguments: Any) -> Any:
        """``sync()`` with our path arguments unless given."""
        return self.module.sync(client=client, **{**self.path_arguments, **arguments})

    def call_detailed(self, client: Any, **arguments: Any) -> Any:
        return self.module.sync_detailed(client=client, **{**self.path_arguments, **arguments})


@functools.cache
def _listing() -> Listing:
    """The spec's first paginated operation whose items have an id (the pagination tests
    de-duplicate by it), an example answer and a period (the argument tests check one)."""
    spec = spec_model.load()
    for operation in spec.operations:
        result = operation.result
        examples = spec.examples(result.media) if result.media is not None else []
        if result.shape == "page" and result.item_id and examples and operation.periods:
            module = importlib.import_module(f"ocp_client.api.{operation.tag}.{operation.module}")
            path = {p.py_name: _path_value(p) for p in operation.parameters if p.location == "path"}
            return Listing(operation, module, path, json.dumps(examples[0]).encode())
    raise AssertionError("the spec has no paginated operation with an item id, example, period")


def _path_value(parameter: spec_model.Parameter) -> int | str:
    """A value the parameter takes: the spec's path parameters are IDs."""
    return 7 if isinstance(parameter.type, spec_model.IntegerType) else "seven"


def __getattr__(name: str) -> Listing:
    """``LISTING`` (PEP 562): the listing, found when a test first asks for it."""
    if name == "LISTING":
        return _listing()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- a scripted server --------------------------------------------------------------------------

Reply = tuple[int, dict[str, str], bytes]


class ScriptedServer(ThreadingHTTPServer):
    """Answers each request with its next scripted (status, headers, body), or with the
    listing's example answer when the script is done; records each request's target and
    headers. A 302 redirects to the same target (a redirect loop)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)
        self.script: list[Reply] = []
        self.requests: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def next_reply(self, target: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append(target)
            self.headers.append(headers)
            return self.script.pop(0) if self.script else (200, {}, _listing().example)


class _ScriptedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: ScriptedServer = self.server  # type: ignore[assignment]
        status, headers, body = server.next_reply(self.path, dict(self.headers.items()))
        if status == 302:
            headers = {"Location": self.path}
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows stderr of failing tests, and the lines add nothing."""


@contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    with serving(ScriptedServer()) as server:
        yield server


def error_body(status: int, code: int, message: str) -> bytes:
    """An OCP error envelope."""
    return json.dumps(
        {"duration": 1,
         "error": {"code": code, "message": message, "subErrors": [{"field": "size"}]},
         "server": "s1", "status": status, "successful": False,
         "timestamp": "2021-09-23T11:03:24.945+08:00", "traceId": "abc123"}
    ).encode()  # fmt: skip


def with_data(data: Any) -> bytes:
    """The example answer with its ``data`` replaced."""
    body = copy.deepcopy(_listing().sample)
    body["data"] = data
    return json.dumps(body).encode()
