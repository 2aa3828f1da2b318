"""The codegen step, shape by shape: small inline specs go through ``tools/generate.py`` into a
scratch package (the hand-written runtime copied beside it, imported under its own name), whose
functions then make real calls to a real HTTP server on 127.0.0.1.

As openapi-python-client's functional tests do, each operation shape is one small spec and one
test, so that the templates are tested without rebuilding the project's whole spec: paginated
lists with and without an item id, a single object, ``data`` as a list, a scalar or absent, and
JSON request bodies for POST, PUT, PATCH and DELETE. Then what the step refuses (exit 2, naming
the operation, nothing written), that it is deterministic, and that ``--check`` sees drift.
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import importlib
import inspect
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

import generate
import spec_model
from tests.bench import bench_scale
from tests.local_server import serving

RUNTIME = generate.PACKAGE
PROJECT = spec_model.load_document()
SCHEMAS = "#/components/schemas/"
ENVELOPE: dict[str, Any] = {
    "successful": True,
    "timestamp": "2021-09-23T11:03:24.945+08:00",
    "duration": 3,
    "status": 200,
    "traceId": "trace-1",
    "server": "s1",
}
NO_DATA = object()
AT = datetime.datetime(2021, 9, 16, 17, 25, tzinfo=datetime.UTC)


# --- inline specs ------------------------------------------------------------------------------


def _shared_schemas() -> dict[str, Any]:
    """The project's schemas that the runtime reads (the envelope, the page, errors) and those
    they refer to: every inline spec shares them, as every operation of the real spec does."""
    schemas = PROJECT["components"]["schemas"]
    wanted = [*generate.REQUIRED_SCHEMAS, *generate.RUNTIME_SCHEMAS]
    found: dict[str, Any] = {}
    while wanted:
        name = wanted.pop()
        if name not in found:
            found[name] = schemas[name]
            refs = re.findall(r"'\$ref': '#/components/schemas/(\w+)'", repr(schemas[name]))
            wanted.extend(refs)
    return found


def spec_of(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    """A whole spec: ``paths`` and ``schemas`` over the shared components."""
    return copy.deepcopy(
        {
            "openapi": "3.0.3",
            "info": {"title": "inline", "version": "1.0.0"},
            "paths": paths,
            "components": {
                "schemas": {**_shared_schemas(), **(schemas or {})},
                "parameters": PROJECT["components"]["parameters"],
            },
        }
    )


def answer(data: Any = None, status: str = "200") -> dict[str, Any]:
    """``responses`` of an operation whose envelope holds ``data`` (a schema; None: no data)."""
    schema: dict[str, Any] = {"allOf": [{"$ref": f"{SCHEMAS}ResponseEnvelope"}]}
    if data is not None:
        schema["allOf"].append(
            {"type": "object", "required": ["data"], "properties": {"data": data}}
        )
    content = {"application/json": {"schema": schema}}
    return {status: {"description": "The answer.", "content": content}}


def bare(schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    """``responses`` of an operation whose body is the data itself: JSON without an envelope
    (``x-ocp-envelope: false``), or text."""
    response: dict[str, Any] = {
        "description": "The answer.",
        "content": {media: {"schema": schema}},
    }
    if media == "application/json":
        response["x-ocp-envelope"] = False
    return {"200": response}


def page_of(item: str) -> dict[str, Any]:
    """The ``data`` schema of a page of ``item``s, as the project's spec writes it."""
    contents = {"type": "array", "items": {"$ref": f"{SCHEMAS}{item}"}}
    return {"allOf": [{"$ref": f"{SCHEMAS}Page"},
                      {"type": "object", "properties": {"contents": contents}}]}  # fmt: skip


PAGING: list[dict[str, Any]] = [
    {"$ref": "#/components/parameters/PageNumber"},
    {"$ref": "#/components/parameters/PageSize"},
]
ZONE_ID: dict[str, Any] = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
HOST_ID: dict[str, Any] = {**ZONE_ID, "description": "The ID of the host."}

HOST: dict[str, Any] = {
    "type": "object",
    "description": "A host.",
    "required": ["hostId", "name"],
    "x-ocp-item-id": "hostId",
    "properties": {
        "hostId": {"type": "integer", "format": "int64", "description": "The ID of the host."},
        "name": {"type": "string", "description": "The name of the host."},
        "up": {"type": "boolean"},
        "seenAt": {"type": "string", "format": "date-time"},
        "kind": {"anyOf": [{"$ref": f"{SCHEMAS}HostKind"}, {"type": "string"}]},
    },
}
HOST_KIND: dict[str, Any] = {"type": "string", "enum": ["PHYSICAL", "VIRTUAL"]}
EVENT: dict[str, Any] = {  # an item without x-ocp-item-id
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}, "level": {"type": "integer", "format": "int32"}},
}
HOST_SPEC: dict[str, Any] = {
    "type": "object",
    "description": "What a host is made of.",
    "required": ["name", "cpu"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 63, "pattern": "^[a-z]"},
        "cpu": {"type": "integer", "minimum": 1, "maximum": 64},
        "labels": {"type": "array", "items": {"type": "string"}},
        "owner": {"$ref": f"{SCHEMAS}Owner"},
    },
}
OWNER: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "integer", "minimum": 1}},
}
MODELS: dict[str, Any] = {
    "Host": HOST,
    "HostKind": HOST_KIND,
    "Event": EVENT,
    "HostSpec": HOST_SPEC,
    "Owner": OWNER,
}
BODY_METHODS = ("post", "put", "patch", "delete")
TIME: dict[str, Any] = {"type": "string", "format": "date-time"}


def body_operation(method: str, **extra: Any) -> dict[str, Any]:
    return {
        "operationId": f"{method}Host",
        "tags": ["hosts"],
        "summary": f"{method.upper()} a host",
        "parameters": [HOST_ID],
        "requestBody": {
            "required": True,
            "description": "The host's new make-up.",
            "content": {"application/json": {"schema": {"$ref": f"{SCHEMAS}HostSpec"}}},
        },
        "responses": answer({"$ref": f"{SCHEMAS}Host"}),
        **extra,
    }


SHAPES = spec_of(
    {
        # A paginated list whose items have an id, with a query array and an open enum.
        "/zones/{id}/hosts": {
            "get": {
                "operationId": "listHosts",
                "tags": ["hosts"],
                "summary": "List the hosts of a zone",
                "parameters": [
                    ZONE_ID,
                    {"name": "labels", "in": "query",
                     "description": "Only hosts with these\nlabels.",
                     "schema": {"type": "array", "items": {"type": "string"}}},
                    *PAGING,
                ],
                "responses": answer(page_of("Host")),
            }
        },
        # A paginated list whose items have none; a period and a narrower page size.
        "/events": {
            "get": {
                "operationId": "listEvents",
                "tags": ["events"],
                "parameters": [
                    {"name": "from", "in": "query", "schema": TIME,
                     "x-ocp-filter": {"property": "at", "op": "ge"}},
                    {"name": "to", "in": "query", "schema": TIME,
                     "x-ocp-filter": {"property": "at", "op": "le"}},
                    {"name": "since", "in": "query", "schema": TIME},
                    {"name": "page", "in": "query", "required": True,
                     "schema": {"type": "integer", "format": "int32", "minimum": 0,
                                "exclusiveMinimum": True, "default": 1}},
                    {"name": "size", "in": "query", "required": True,
                     "schema": {"type": "integer", "maximum": 500, "exclusiveMaximum": True,
                                "default": 10}},
                ],
                "responses": answer(page_of("Event")),
            }
        },
        # One object; data as a list, as a scalar, absent, and no body at all.
        "/hosts/{id}": {
            "get": {"operationId": "getHost", "tags": ["hosts"], "parameters": [HOST_ID],
                    "responses": answer({"$ref": f"{SCHEMAS}Host"})},
            **{method: body_operation(method) for method in BODY_METHODS},
        },
        "/hosts/{id}/neighbours": {
            "get": {"operationId": "listNeighbours", "tags": ["hosts"], "parameters": [HOST_ID],
                    "responses": answer({"type": "array", "items": {"$ref": f"{SCHEMAS}Host"}})}
        },
        "/hosts/count": {
            "get": {"operationId": "countHosts", "tags": ["hosts"],
                    "responses": answer({"type": "integer", "format": "int32", "minimum": 0})}
        },
        "/hosts/{id}/restart": {
            "post": {"operationId": "restartHost", "tags": ["hosts"], "parameters": [HOST_ID],
                     "responses": answer()}
        },
        "/hosts/{id}/ping": {
            "post": {"operationId": "pingHost", "tags": ["hosts"], "parameters": [HOST_ID],
                     "x-ocp-idempotent": True, "responses": {"204": {"description": "Reachable."}}}
        },
        # Answers without an envelope: a bare JSON object, and text (a time, a string).
        "/hosts/{id}/about": {
            "get": {"operationId": "describeHost", "tags": ["hosts"], "parameters": [HOST_ID],
                    "responses": bare({"$ref": f"{SCHEMAS}Host"})}
        },
        "/clock": {
            "get": {"operationId": "readClock", "tags": ["hosts"], "security": [],
                    "responses": bare(TIME, "text/plain")}
        },
        "/motd": {
            "get": {"operationId": "readMotd", "tags": ["hosts"],
                    "responses": bare({"type": "string"}, "text/plain")}
        },
    },
    MODELS,
)  # fmt: skip


# --- generating and importing ------------------------------------------------------------------


def write_spec(spec: dict[str, Any], directory: Path) -> Path:
    path = directory / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def package_dir(root: Path, name: str) -> Path:
    """A package directory holding the hand-written runtime, as generate.py expects."""
    package = root / name
    package.mkdir(parents=True)
    for module in [*RUNTIME.glob("*.py"), RUNTIME / "py.typed"]:
        shutil.copy2(module, package)
    return package


def generate_package(spec: dict[str, Any], root: Path, name: str) -> Path:
    package = package_dir(root, name)
    assert generate.main(["--spec", str(write_spec(spec, root)), "--output", str(package)]) == 0
    return package


def snapshot(tree: Path) -> dict[str, bytes]:
    return {
        p.relative_to(tree).as_posix(): p.read_bytes()
        for p in sorted(tree.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The SHAPES spec's package, imported as ``ocp_shapes`` (not ``ocp_client``, the project's)."""
    root = tmp_path_factory.mktemp("shapes")
    generate_package(SHAPES, root, "ocp_shapes")
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        # The subpackages and modules the tests reach as attributes (the package's own
        # __init__ imports none of them: importing it stays cheap).
        for name in ("api", "models", "errors", "retry"):
            importlib.import_module(f"ocp_shapes.{name}")
        yield importlib.import_module("ocp_shapes")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "ocp_shapes" or m.startswith("ocp_shapes.")]:
            del sys.modules[name]


def operation(sdk: ModuleType, tag: str, name: str) -> Any:
    return importlib.import_module(f"{sdk.__name__}.api.{tag}.{name}")


# --- a server that records every request -------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


Answer = Callable[[Seen], tuple[int, Any]]


@dataclass
class Text:
    """An answer's body as it is, with its Content-Type (the recorder's JSON is any other)."""

    body: bytes
    content_type: str = "text/plain;charset=UTF-8"


@dataclass
class Recorder:
    """What the server answers (``answer(request) -> (status, JSON or bytes)``) and saw."""

    answer: Answer
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    def _any(self) -> None:
        recorder: Recorder = self.server.recorder  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        target = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = self.rfile.read(length)
        seen = Seen(self.command, target.path, parse_qs(target.query), headers, body)
        with recorder.lock:
            recorder.seen.append(seen)
            status, payload = recorder.answer(seen)
        content_type = payload.content_type if isinstance(payload, Text) else "application/json"
        if isinstance(payload, Text):
            payload = payload.body
        content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder(lambda seen: (500, b"no answer set"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.recorder = recorder  # type: ignore[attr-defined]
    with serving(httpd):
        recorder.url = f"http://127.0.0.1:{httpd.server_port}"
        yield recorder


@pytest.fixture
def client(sdk: ModuleType, server: Recorder) -> Iterator[Any]:
    """The scratch package's client, retrying quickly (no real waits)."""
    policy = sdk.retry.RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.001)
    with sdk.Client(server.url, timeout=5, retry_policy=policy) as c:
        yield c


def envelope(data: Any = NO_DATA) -> dict[str, Any]:
    return {**ENVELOPE} if data is NO_DATA else {**ENVELOPE, "data": data}


def pages(items: list[dict[str, Any]], *, inserted: dict[str, Any] | None = None) -> Answer:
    """OCP pages of ``items``; ``inserted`` comes first from page 2 on, as an item created
    during a walk does, shifting the first item of page 2 back onto it."""

    def answer(seen: Seen) -> tuple[int, Any]:
        number, size = int(seen.query["page"][0]), int(seen.query["size"][0])
        if inserted is not None and number == 2 and items[0] is not inserted:
            items.insert(0, inserted)
        page = {"number": number, "size": size, "totalElements": len(items),
                "totalPages": -(-len(items) // size)}  # fmt: skip
        return 200, envelope({"contents": items[(number - 1) * size : number * size], "page": page})

    return answer


def host(host_id: int, **extra: Any) -> dict[str, Any]:
    return {"hostId": host_id, "name": f"h{host_id}", **extra}


# --- operation shapes --------------------------------------------------------------------------


def test_a_page_with_an_item_id_is_walked_once_per_item(
    sdk: ModuleType, server: Recorder, client: Any
) -> None:
    hosts = operation(sdk, "hosts", "list_hosts")
    assert "list_hosts" in dir(sdk.api.hosts) and {"hosts", "events"} <= set(dir(sdk.api))
    server.answer = pages([host(i, kind="PHYSICAL") for i in (5, 4, 3, 2, 1)])
    page = hosts.sync(7, client=client, labels=["db", "eu"], size=2)
    assert isinstance(page, sdk.Page) and page.page.total_elements == 5
    assert [h.host_id for h in page] == [5, 4]
    assert page.contents[0].kind is sdk.models.HostKind.PHYSICAL
    (request,) = server.seen
    assert (request.method, request.path) == ("GET", "/zones/7/hosts")
    assert request.query == {"labels": ["db", "eu"], "page": ["1"], "size": ["2"]}

    server.seen.clear()
    server.answer = pages([host(i) for i in (5, 4, 3, 2, 1)], inserted=host(6))
    walked = [h.host_id for h in hosts.sync_iter(7, client=client, size=2, concurrency=1)]
    assert walked == [5, 4, 3, 2, 1], "host 4 came again on page 2 and was skipped"
    assert [r.query["page"] for r in server.seen] == [["1"], ["2"], ["3"]]
    assert "each ``hostId`` once" in hosts.sync_iter.__doc__

    async def walk() -> list[int]:
        server.answer = pages([host(i) for i in (5, 4, 3, 2, 1)])
        async with sdk.Client(server.url) as own:
            return [h.host_id async for h in hosts.asyncio_iter(7, client=own, size=2)]

    assert asyncio.run(walk()) == [5, 4, 3, 2, 1]


def test_a_page_without_an_item_id_is_not_deduplicated(
    sdk: ModuleType, server: Recorder, client: Any
) -> None:
    """Without ``x-ocp-item-id`` nothing tells an item seen before: an item shifted onto the next
    page comes twice, and the docstring says so."""
    events = operation(sdk, "events", "list_events")
    items = [{"message": f"m{i}"} for i in (5, 4, 3, 2, 1)]
    server.answer = pages(items, inserted={"message": "m6"})
    walked = [e.message for e in events.sync_iter(client=client, size=2, concurrency=1)]
    assert walked == ["m5", "m4", "m4", "m3", "m2", "m1"]
    assert "nothing is skipped" in events.sync_iter.__doc__


def test_argument_checks_follow_the_spec(sdk: ModuleType, server: Recorder, client: Any) -> None:
    """Ranges, formats and periods come from the spec: ``size`` below 500 (exclusive), ``page``
    above 0 (exclusive, int32), ``from``/``to`` a period (``x-ocp-filter``), ``since`` not."""
    events = operation(sdk, "events", "list_events")
    errors = sdk.errors
    server.answer = pages([])
    refused_arguments: list[tuple[dict[str, Any], str]] = [
        ({"size": 500}, "size"),
        ({"page": 0}, "page"),
        ({"page": 2**31}, "page"),
        ({"from_": AT}, "to"),
        ({"since": "yesterday"}, "since"),
    ]
    for arguments, argument in refused_arguments:
        with pytest.raises(errors.RequestValidationError) as refused:
            events.sync(client=client, **arguments)
        assert refused.value.argument == argument
    assert server.seen == [], "a refused argument reached the server"
    events.sync(client=client, size=499, since=AT)
    list(events.sync_iter(client=client))
    assert [r.query["size"] for r in server.seen] == [["499"], ["499"]], (
        "a walk asks for the most the spec allows, not OCP's 2000"
    )


def test_a_single_object(sdk: ModuleType, server: Recorder, client: Any) -> None:
    get_host = operation(sdk, "hosts", "get_host")
    assert next(iter(inspect.signature(get_host.sync).parameters)) == "host_id"
    server.answer = lambda seen: (200, envelope(host(9, up=True, kind="NEWER")))
    found = get_host.sync(9, client=client)
    assert type(found) is sdk.models.Host and (found.host_id, found.up) == (9, True)
    assert found.kind == "NEWER" and found.seen_at is None, "an open enum keeps unknown values"
    detailed = get_host.sync_detailed(9, client=client)
    assert detailed.parsed == found and detailed.envelope.trace_id == "trace-1"
    server.answer = lambda seen: (200, envelope({"hostId": 9}))
    with pytest.raises(sdk.errors.ResponseValidationError) as invalid:
        get_host.sync(9, client=client)
    assert invalid.value.path == "data.name" and invalid.value.missing


@pytest.mark.parametrize(
    ("module", "data", "expected", "bad", "path"),
    [
        pytest.param("list_neighbours", [host(1), host(2)], [1, 2], [{"hostId": "1", "name": "x"}],
                     "data[0].hostId", id="data-list"),
        pytest.param("count_hosts", 12, 12, -1, "data", id="data-scalar"),
        pytest.param("restart_host", NO_DATA, None, "not JSON", "$", id="data-absent"),
        pytest.param("ping_host", b"", None, None, None, id="no-body"),
    ],
)  # fmt: skip
def test_data_of_each_shape(
    sdk: ModuleType,
    server: Recorder,
    client: Any,
    module: str,
    data: Any,
    expected: Any,
    bad: Any,
    path: str | None,
) -> None:
    call = operation(sdk, "hosts", module)
    arguments = {"host_id": 3} if "host_id" in inspect.signature(call.sync).parameters else {}
    if data == b"":
        server.answer = lambda seen: (204, b"")
    else:
        server.answer = lambda seen: (200, envelope(data))

    def plain(result: Any) -> Any:
        return [h.host_id for h in result] if isinstance(result, list) else result

    async def awaited() -> Any:
        async with sdk.Client(server.url) as own:
            return await call.asyncio(client=own, **arguments)

    assert plain(call.sync(client=client, **arguments)) == expected
    assert plain(asyncio.run(awaited())) == expected
    status = call.sync_detailed(client=client, **arguments).status_code
    assert status == (204 if data == b"" else 200)
    if bad is None:
        return
    server.answer = lambda seen: (200, bad.encode() if isinstance(bad, str) else envelope(bad))
    with pytest.raises(sdk.errors.ResponseValidationError) as invalid:
        call.sync(client=client, **arguments)
    assert invalid.value.path == path


def test_an_answer_without_an_envelope_is_the_data(
    sdk: ModuleType, server: Recorder, client: Any
) -> None:
    describe = operation(sdk, "hosts", "describe_host")
    server.answer = lambda seen: (200, host(9, up=True))
    found = describe.sync(9, client=client)
    assert type(found) is sdk.models.Host and (found.host_id, found.up) == (9, True)
    detailed = describe.sync_detailed(9, client=client)
    assert detailed.parsed == found and detailed.envelope is None
    # Not an envelope, so `successful` is one more field, not a verdict.
    server.answer = lambda seen: (200, {**host(9), "successful": False})
    assert describe.sync(9, client=client).additional_properties == {"successful": False}
    for body, path in [({"hostId": 9}, "name"), ([host(9)], "$"), (envelope(host(9)), "hostId")]:
        server.answer = lambda seen, body=body: (200, body)  # type: ignore[misc]
        with pytest.raises(sdk.errors.ResponseValidationError) as invalid:
            describe.sync(9, client=client)
        assert invalid.value.path == path, body
    error = {"code": 10002, "message": "No such host."}
    server.answer = lambda seen: (404, {**ENVELOPE, "successful": False, "error": error})
    with pytest.raises(sdk.errors.NotFoundError) as missing:
        describe.sync(9, client=client)
    assert missing.value.code == 10002


@pytest.mark.parametrize(
    ("module", "body", "expected"),
    [
        pytest.param("read_clock", b"2021-09-16T17:25:00Z", AT, id="time"),
        pytest.param("read_clock", b"2021-09-17T01:25:00.000+08:00\n", AT, id="time-line"),
        pytest.param("read_motd", b"bad monitordb", "bad monitordb", id="text"),
        pytest.param("read_motd", b" \tok\xc3\xa9\r\n", "ok\u00e9", id="text-spaced"),
        pytest.param("read_motd", b"", "", id="text-empty"),
    ],
)
def test_a_text_answer_is_its_text(
    sdk: ModuleType, server: Recorder, client: Any, module: str, body: bytes, expected: Any
) -> None:
    call = operation(sdk, "hosts", module)
    server.answer = lambda seen: (200, Text(body))

    async def awaited() -> Any:
        async with sdk.Client(server.url) as own:
            return await call.asyncio(client=own)

    assert call.sync(client=client) == expected
    assert asyncio.run(awaited()) == expected
    detailed = call.sync_detailed(client=client)
    assert (detailed.parsed, detailed.envelope, detailed.content) == (expected, None, body)


@pytest.mark.parametrize(
    ("module", "answer", "expected", "found"),
    [
        pytest.param("read_clock", Text(b"yesterday"), "date-time", "'yesterday'", id="not-a-time"),
        pytest.param("read_clock", Text(b'"2021-09-16T17:25:00Z"'), "date-time", "'\"2021",
                     id="a-JSON-string"),
        pytest.param("read_motd", Text(b"okay", "application/json"), "text/plain",
                     "Content-Type: application/json", id="JSON-content-type"),
        pytest.param("read_motd", Text(b"ok\xff"), "UTF-8 text", "offset 2", id="not-UTF-8"),
        pytest.param("read_motd", Text(b"okay", "text/plain; charset=ISO-8859-1"), "UTF-8",
                     "charset=iso-8859-1", id="other-charset"),
    ],
)  # fmt: skip
def test_a_text_answer_that_is_not_what_the_spec_says_is_refused(
    sdk: ModuleType, server: Recorder, client: Any, module: str, answer: Text, expected: str,
    found: str,
) -> None:  # fmt: skip
    call = operation(sdk, "hosts", module)
    server.answer = lambda seen: (200, answer)
    with pytest.raises(sdk.errors.ResponseValidationError) as invalid:
        call.sync(client=client)
    assert invalid.value.path == "$"
    assert expected in invalid.value.expected and found in repr(invalid.value.value)
    assert invalid.value.response.status_code == 200


def test_a_text_operation_s_error_is_an_api_error(
    sdk: ModuleType, server: Recorder, client: Any
) -> None:
    motd = operation(sdk, "hosts", "read_motd")
    server.answer = lambda seen: (503, Text(b"bad monitordb"))
    with pytest.raises(sdk.errors.ServerError) as failed:
        motd.sync(client=client)
    assert failed.value.status_code == 503 and "bad monitordb" in str(failed.value)
    detailed = motd.sync_detailed(client=client)
    assert (detailed.parsed, detailed.envelope, detailed.error) == (None, None, None)


@pytest.mark.parametrize("method", BODY_METHODS)
def test_a_json_body_is_checked_before_it_is_sent(
    sdk: ModuleType, server: Recorder, client: Any, method: str
) -> None:
    call = operation(sdk, "hosts", f"{method}_host")
    models, errors = sdk.models, sdk.errors
    for body, argument in [
        (models.HostSpec(name="db1", cpu=0), "body.cpu"),
        (models.HostSpec(name="db1", cpu=8, labels=["a", 2]), "body.labels[1]"),
        (models.HostSpec(name="db1", cpu=8, owner=models.Owner(id=-1)), "body.owner.id"),
        (models.HostSpec(name=None, cpu=8), "body.name"),
        (models.HostSpec(name="", cpu=8), "body.name"),  # minLength
        (models.HostSpec(name="d" * 64, cpu=8), "body.name"),  # maxLength
        (models.HostSpec(name="Db1", cpu=8), "body.name"),  # pattern
        ({"name": "db1", "cpu": 8}, "body"),
        (None, "body"),
    ]:
        with pytest.raises(errors.RequestValidationError) as refused:
            call.sync(3, client=client, body=body)
        assert refused.value.argument == argument, body
    with pytest.raises(errors.RequestValidationError, match=r"of 1 to 63 characters matching \^"):
        call.sync(3, client=client, body=models.HostSpec(name="", cpu=8))
    assert server.seen == [], "a refused body reached the server"

    server.answer = lambda seen: (200, envelope(host(3)))
    body = models.HostSpec(name="db1", cpu=8, labels=["a"], owner=models.Owner(id=4))
    assert call.sync(3, client=client, body=body).host_id == 3
    (request,) = server.seen
    assert (request.method, request.path) == (method.upper(), "/hosts/3")
    assert request.headers["content-type"] == "application/json"
    sent = {"name": "db1", "cpu": 8, "labels": ["a"], "owner": {"id": 4}}
    assert json.loads(request.body) == sent


@pytest.mark.parametrize("method", BODY_METHODS)
def test_an_operation_not_marked_idempotent_is_never_retried(
    sdk: ModuleType, server: Recorder, method: str
) -> None:
    """Not even by a policy that retries PUT and DELETE: the spec's word wins."""
    call = operation(sdk, "hosts", f"{method}_host")
    assert "max_retries" not in inspect.signature(call.sync).parameters
    assert "Retried only when the request never reached OCP" in call.sync.__doc__
    server.answer = lambda seen: (503, envelope())
    policy = sdk.retry.RetryPolicy(
        max_retries=2, backoff_base=0.001, retry_methods={"GET", "PUT", "DELETE"}
    )
    with (
        sdk.Client(server.url, retry_policy=policy) as client,
        pytest.raises(sdk.errors.ServerError),
    ):
        call.sync(3, client=client, body=sdk.models.HostSpec(name="db1", cpu=8))
    assert len(server.seen) == 1, "OCP may have acted on the first request"


@pytest.mark.parametrize(("module", "method"), [("get_host", "GET"), ("ping_host", "POST")])
def test_an_idempotent_operation_is_retried(
    sdk: ModuleType, server: Recorder, client: Any, module: str, method: str
) -> None:
    """A safe method, or an operation the spec marks ``x-ocp-idempotent: true`` (a POST)."""
    call = operation(sdk, "hosts", module)
    assert "max_retries" in inspect.signature(call.sync).parameters
    replies = iter([(503, envelope()), (200, envelope(host(3)))])
    server.answer = lambda seen: next(replies) if seen.method == method else (500, b"")
    call.sync(3, client=client)
    assert [r.method for r in server.seen] == [method, method]
    server.seen.clear()
    server.answer = lambda seen: (503, envelope())
    with pytest.raises(sdk.errors.ServerError):
        call.sync(3, client=client, max_retries=0)
    assert len(server.seen) == 1, "max_retries=0 for this call"


def test_each_request_tells_the_transport_whether_it_is_idempotent(
    sdk: ModuleType, server: Recorder
) -> None:
    """The spec's answer (a safe method, or ``x-ocp-idempotent``) reaches the retry transport as
    a request extension, beside the call's own retries."""
    extensions: list[dict[str, Any]] = []
    own = httpx.Client(event_hooks={"request": [lambda r: extensions.append(dict(r.extensions))]})
    server.answer = lambda seen: (204, b"") if seen.method == "POST" else (200, envelope(host(3)))
    key, retries = sdk.retry.IDEMPOTENT_EXTENSION, sdk.retry.RETRY_EXTENSION
    with sdk.Client(server.url, httpx_client=own) as client:
        operation(sdk, "hosts", "get_host").sync(3, client=client)
        assert operation(sdk, "hosts", "ping_host").sync(3, client=client, max_retries=1) is None
        server.answer = lambda seen: (200, envelope())
        operation(sdk, "hosts", "restart_host").sync(3, client=client)
    assert [(e[key], e.get(retries)) for e in extensions] == [
        (True, None),
        (True, 1),
        (False, None),
    ]


# --- what the step refuses ---------------------------------------------------------------------


def _listing(**changes: Any) -> dict[str, Any]:
    listing: dict[str, Any] = copy.deepcopy(SHAPES["paths"]["/zones/{id}/hosts"]["get"])
    listing.update(changes)
    return listing


def _host_with(kind: dict[str, Any]) -> dict[str, Any]:
    return {**MODELS, "Host": {**HOST, "properties": {**HOST["properties"], "kind": kind}}}


REFUSED = {
    "header-parameter": (
        {"/zones/{id}/hosts": {"get": _listing(parameters=[
            ZONE_ID, *PAGING, {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}])}},
        MODELS,
        ["GET /zones/{id}/hosts (listHosts) parameter X-Trace",
         "parameters in header are not supported"],
    ),
    "oneOf": (
        {"/zones/{id}/hosts": {"get": _listing()}},
        _host_with({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        ["GET /zones/{id}/hosts (listHosts)", "Host.kind", "the only union supported is an open"],
    ),
    "anyOf-that-models-cannot-tell-apart": (
        {"/zones/{id}/hosts": {"get": _listing()}},
        _host_with({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string"}]}),
        ["GET /zones/{id}/hosts (listHosts)", "Host.kind", "the only union supported is an open"],
    ),
    "a-keyword-models-do-not-check": (
        {"/zones/{id}/hosts": {"get": _listing()}},
        _host_with({"type": "array", "items": {"type": "integer", "multipleOf": 2},
                    "uniqueItems": True}),
        ["GET /zones/{id}/hosts (listHosts)", "Host.kind",
         "uniqueItems: the SDK's models do not check this keyword"],
    ),
    "a-pattern-that-is-no-regular-expression": (
        {"/zones/{id}/hosts": {"get": _listing()}},
        _host_with({"type": "string", "pattern": "^[A-Z+$"}),
        ["GET /zones/{id}/hosts (listHosts)", "Host.kind", "pattern '^[A-Z+$'"],
    ),
    "a-date-time-pattern-of-its-own": (
        {"/zones/{id}/hosts": {"get": _listing()}},
        _host_with({**TIME, "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}),
        ["GET /zones/{id}/hosts (listHosts)", "Host.kind", "a date-time's pattern must be"],
    ),
    "page-without-page-and-size": (
        {"/zones/{id}/hosts": {"get": _listing(parameters=[ZONE_ID])}},
        MODELS,
        ["GET /zones/{id}/hosts (listHosts)", "a paginated answer needs the query parameter page"],
    ),
    "body-not-json": (
        {"/hosts/{id}": {"post": body_operation("post", requestBody={
            "content": {"text/plain": {"schema": {"type": "string"}}}})}},
        MODELS,
        ["POST /hosts/{id} (postHost)", "a request body must be application/json only"],
    ),
    "one-module-for-two-operations": (
        {"/zones/{id}/hosts": {"get": _listing()},
         "/hosts": {"get": _listing(operationId="ListHosts", parameters=PAGING)}},
        MODELS,
        ["listHosts", "ListHosts", "both become api/hosts/list_hosts"],
    ),
    "no-operationId": (
        {"/zones/{id}/hosts": {"get": {k: v for k, v in _listing().items() if k != "operationId"}}},
        MODELS,
        ["GET /zones/{id}/hosts", "every operation needs an operationId"],
    ),
    "answer-neither-JSON-nor-text": (
        {"/motd": {"get": {"operationId": "readMotd", "tags": ["hosts"],
                           "responses": bare({"type": "string"}, "application/xml")}}},
        MODELS,
        ["GET /motd (readMotd)", "must be application/json or text/plain", "application/xml"],
    ),
    "answer-in-two-media-types": (
        {"/motd": {"get": {"operationId": "readMotd", "tags": ["hosts"], "responses": {"200": {
            "description": "Either.", "content": {"application/json": {"schema": TIME},
                                                  "text/plain": {"schema": TIME}}}}}}},
        MODELS,
        ["GET /motd (readMotd)", "and only one of them"],
    ),
    "text-answer-not-a-string": (
        {"/count": {"get": {"operationId": "countText", "tags": ["hosts"],
                            "responses": bare({"type": "integer"}, "text/plain")}}},
        MODELS,
        ["GET /count (countText) 200", "a text/plain answer must be a string"],
    ),
    "answer-without-envelope-unmarked": (
        {"/hosts/{id}/about": {"get": {"operationId": "describeHost", "tags": ["hosts"],
            "parameters": [HOST_ID], "responses": {"200": {"description": "The host.",
                "content": {"application/json": {"schema": {"$ref": f"{SCHEMAS}Host"}}}}}}}},
        MODELS,
        ["GET /hosts/{id}/about (describeHost)", "must be an OCP envelope",
         "x-ocp-envelope: false"],
    ),
    "envelope-marked-as-none": (
        {"/hosts/{id}": {"get": {"operationId": "getHost", "tags": ["hosts"],
            "parameters": [HOST_ID], "responses": {"200": {
                **answer({"$ref": f"{SCHEMAS}Host"})["200"], "x-ocp-envelope": False}}}}},
        MODELS,
        ["GET /hosts/{id} (getHost)", "x-ocp-envelope: false on an answer that is an envelope"],
    ),
    "x-ocp-envelope-true": (
        {"/hosts/{id}": {"get": {"operationId": "getHost", "tags": ["hosts"],
            "parameters": [HOST_ID], "responses": {"200": {
                **answer({"$ref": f"{SCHEMAS}Host"})["200"], "x-ocp-envelope": True}}}}},
        MODELS,
        ["GET /hosts/{id} (getHost)", "x-ocp-envelope may only be false"],
    ),
    "page-without-envelope": (
        {"/zones/{id}/hosts": {"get": _listing(responses=bare(page_of("Host")))}},
        MODELS,
        ["GET /zones/{id}/hosts (listHosts) 200", "a page is always inside an OCP envelope"],
    ),
    "x-ocp-idempotent-not-a-boolean": (
        {"/hosts/{id}": {"post": body_operation("post", **{"x-ocp-idempotent": "yes"})}},
        MODELS,
        ["POST /hosts/{id} (postHost)", "x-ocp-idempotent must be true or false"],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("paths", "schemas", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_an_unsupported_construct_stops_the_step(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    paths: dict[str, Any],
    schemas: dict[str, Any],
    message: list[str],
) -> None:
    package = package_dir(tmp_path, "ocp_refused")
    before = snapshot(package)
    spec = write_spec(spec_of(paths, schemas), tmp_path)
    assert generate.main(["--spec", str(spec), "--output", str(package)]) == 2
    stderr = capsys.readouterr().err
    for fragment in message:
        assert fragment in stderr
    assert snapshot(package) == before, "a refused spec wrote files"


def test_the_step_exits_2_as_a_command(tmp_path: Path) -> None:
    paths, schemas, message = REFUSED["no-operationId"]
    spec = write_spec(spec_of(paths, schemas), tmp_path)
    script = generate.ROOT / "tools" / "generate.py"
    done = subprocess.run(
        [sys.executable, str(script), "--spec", str(spec), "--output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and message[1] in done.stderr
    assert not (tmp_path / "out").exists()


# --- regeneration ------------------------------------------------------------------------------


def test_generation_is_byte_identical_and_keeps_every_feature(
    sdk: ModuleType, tmp_path: Path
) -> None:
    again = generate_package(SHAPES, tmp_path, "again")
    first = Path(str(sdk.__file__)).parent

    def owned(tree: Path) -> dict[str, bytes]:
        return {k: v for k, v in snapshot(tree).items() if k.startswith(generate.OWNED)}

    assert owned(again) == owned(first) and generate.differences(first, again) == []
    spec = spec_model.Spec(SHAPES)
    for op in spec.operations:
        source = (again / "api" / op.tag / f"{op.module}.py").read_text(encoding="utf-8")
        functions = ["sync", "asyncio", "sync_detailed", "asyncio_detailed"]
        functions += ["sync_iter", "asyncio_iter"] if op.result.shape == "page" else []
        for function in functions:
            assert re.search(rf"^(async )?def {function}\(", source, re.M), (op.id, function)


def test_check_reports_drift_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = spec_of({"/zones/{id}/hosts": {"get": _listing()}}, MODELS)
    package = generate_package(spec, tmp_path, "drifted")
    arguments = ["--spec", str(tmp_path / "spec.yaml"), "--output", str(package)]
    (package / "api" / "hosts" / "list_hosts.py").write_text("# edited\n", encoding="utf-8")
    (package / "models" / "host.py").unlink()
    (package / "models" / "stray.py").write_text("", encoding="utf-8")
    drifted = snapshot(package)
    capsys.readouterr()
    assert generate.main(["--check", *arguments]) == 1
    stderr = capsys.readouterr().err
    for name, change in [
        ("api/hosts/list_hosts.py", "changed"),
        ("models/host.py", "new"),
        ("models/stray.py", "obsolete"),
    ]:
        assert f"drifted/{name} ({change})" in stderr
    assert snapshot(package) == drifted, "--check wrote"
    assert generate.main(arguments) == 0
    assert generate.main(["--check", *arguments]) == 0


def test_the_project_spec_stays_thin(tmp_path: Path) -> None:
    """At most 300 generated lines per paginated operation of the spec, docstrings included:
    its module and its own item model, for an operation of the benchmark's size (the parameters
    of its template operation, ITEM_PROPERTIES item properties). A larger operation may add
    what one more parameter costs (a line in each of its six functions' signatures, one in
    `_OPERATION`, one in the Args) and one more property (its annotation, a one-line docstring
    and its field entry), and no more."""
    package = package_dir(tmp_path, "project")
    assert generate.main(["--output", str(package)]) == 0
    spec = spec_model.load()
    pages = [op for op in spec.operations if op.result.shape == "page"]
    assert pages
    template, _ = bench_scale.template_of(spec)
    for op in pages:
        files = [package / "api" / op.tag / f"{op.module}.py"]
        budget = 300 + 8 * max(0, len(op.parameters) - len(template.parameters))
        if isinstance(op.result.item, spec_model.ModelType):
            files.append(package / "models" / f"{spec_model.snake(op.result.item.name)}.py")
            properties = len(spec.models[op.result.item.name].properties)
            budget += 3 * max(0, properties - bench_scale.ITEM_PROPERTIES)
        lines = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
        assert lines <= budget, (op.id, lines, budget)


# --- docstrings and spec facts -----------------------------------------------------------------


def test_descriptions_reach_the_docstrings_rewrapped(sdk: ModuleType) -> None:
    hosts = operation(sdk, "hosts", "list_hosts")
    assert "labels: Only hosts with these labels." in hosts.sync.__doc__
    assert generate.docstring("Intro\ntext:\n- one\n  more\n- two\n1. first\n") == (
        "Intro text:\n- one more\n- two\n1. first"
    )
    # Whatever the spec writes stays text inside the generated triple quotes.
    assert generate.docstring('a """quoted""" \\d') == 'a \\"\\"\\"quoted\\"\\"\\" \\\\d'


def test_integer_ranges_are_read_as_openapi_3_0_and_3_1_write_them() -> None:
    integer_range = spec_model.integer_range
    assert integer_range({"type": "integer"}) == (None, None)
    assert integer_range({"format": "int32", "maximum": 7}) == (-(2**31), 7)
    # The smallest integer above 2.5 is 3, the largest below 2.5 is 2; 3.1's numeric form too.
    assert integer_range({"minimum": 2.5, "exclusiveMinimum": True}) == (3, None)
    assert integer_range({"minimum": 2, "exclusiveMinimum": True}) == (3, None)
    assert integer_range({"maximum": 2.5, "exclusiveMaximum": True}) == (None, 2)
    assert integer_range({"maximum": 2.5}) == (None, 2)
    assert integer_range({"exclusiveMinimum": 0, "exclusiveMaximum": 10}) == (1, 9)
