"""The HTTP server: routing, validation, credentials, answers and faults, all from the spec.

Every operation of the spec is served (`spec_model` reads them; what it cannot read stops the
stand-in with its reason). A request is routed, authenticated, its parameters and its JSON body
validated against the document's own schemas (`parameters.py`, `schemas.py`); a
violation gets OCP's 400 envelope naming the parameter or field. The answer has the shape the
spec gives the operation: a page of a listing's items, the `data` of the answer's example (else
a value generated from its schema), or the envelope alone. Every success answer is checked
against the spec's schema when the stand-in starts.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import math
import random
import secrets
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

import spec_model as sm

from .auth import Authenticator, Credentials, RequestView
from .data import OCP_TZ, Store, envelope_time, example_data, generated_data
from .examples import ExampleRequest, example_request
from .faults import Fault, Faults
from .listing import PAGE_PARAMETER, SIZE_PARAMETER, Listing, derive_listing
from .parameters import Parameters, read_parameters
from .schemas import Validators, body_errors, field_path
from .spec import DEFAULT_SPEC, Match, MethodNotAllowed, Router, load_document, security
from .state import (
    DEFAULT_CLUSTERS,
    DEFAULT_TASK_SECONDS,
    ILLEGAL_ARGUMENT,
    NOT_FOUND,
    Refusal,
    World,
)

LOGGER = logging.getLogger("standin")
ADMIN_PREFIX = "/_standin/"

INVALID_TIME_RANGE = 10005
TIME_PAIR = 10006
UNEXPECTED = 10010
#: Items of a listing checked against the spec when the stand-in starts.
CHECKED_ITEMS = 50

#: Faults that spoil a real answer on the wire (the others replace it, or send none).
WIRE_FAULTS = frozenset({"truncate", "reset-body", "garble", "stall", "trickle"})
#: How long a `reset-body` waits, after half the body, before the reset.
RESET_AFTER_S = 0.05

RATE_LIMIT_MESSAGE = "Excessive number of requests. Please try again later."
HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json"  # "": no body, no Content-Type
    headers: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""  # for the log line


class _Problem(Exception):
    """An OCP error answer, raised from deep inside request handling."""

    def __init__(self, status: int, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = {k: v for k, v in extra.items() if v is not None}


def _json(value: Any) -> bytes:
    # OCP's Jackson writes properties in alphabetical order and omits nulls.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


#: The starts whose success answers were checked against the spec (App._check_success).
_CHECKED: set[tuple[Any, ...]] = set()


def _fingerprint(document: Mapping[str, Any]) -> str:
    """What identifies a spec document's content (its keys sorted; YAML dates as text)."""
    text = json.dumps(document, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _bare(operation: sm.Operation, data: Any) -> bytes:
    """An answer without an envelope: the data as JSON, or as text."""
    if operation.result.framing == "text":
        return str(data).encode()
    return _json(data)


class App:
    """Everything but the sockets: turns a request into an answer, as the spec says."""

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        credentials: Credentials,
        faults: Faults,
        seed: int,
        tasks: int,
        reference: bool,
        server_name: str,
        now: datetime.datetime | None = None,
        clusters: int = DEFAULT_CLUSTERS,
        task_seconds: float = DEFAULT_TASK_SECONDS,
    ) -> None:
        self.document = document
        # The moment generated times are relative to (tasks of the last days, ...).
        self.now = now or datetime.datetime.now(OCP_TZ)
        self.reference = reference  # the spec's examples served (else generated data only)
        self.spec = sm.Spec(document)
        self.router = Router(self.spec)
        self.validators = Validators(document)
        self.credentials = credentials
        self.faults = faults
        self.server_name = server_name
        self.authenticator = Authenticator(
            credentials, document.get("components", {}).get("securitySchemes", {})
        )
        listings = [derive_listing(self.spec, op) for op in self.spec.operations]
        # Listings with reference items first: generated-only ones take their scope (cluster).
        ordered = sorted(
            (listing for listing in listings if listing is not None),
            key=lambda listing: not (reference and listing.reference_items),
        )
        self.listings: dict[str, tuple[Listing, Store]] = {}
        known: dict[str, tuple[sm.Type, Any]] = {}
        for listing in ordered:
            store = Store(
                self.spec,
                listing,
                seed=seed,
                generated=tasks,
                use_reference=reference,
                scope_values=known,
                now=self.now,
            )
            for name, value in store.scope_values().items():
                known.setdefault(name, value)
            self.listings[listing.operation_id] = (listing, store)
        # The `data` of every answer that is neither a page nor absent, made once.
        self.data: dict[str, Any] = {}
        for op in self.spec.operations:
            if op.result.shape in ("object", "list", "scalar"):
                found, data = example_data(self.spec, op) if reference else (False, None)
                if not found:
                    rng = random.Random(f"{seed}/{op.id}/data")
                    data = generated_data(self.spec, op, rng, self.now)
                self.data[op.id] = data
        self.world = World(
            self.spec,
            self.listings,
            self.data,
            faults=faults,
            seed=seed,
            now=self.now,
            clusters=clusters,
            task_seconds=task_seconds,
            reference=reference,
        )
        # The same spec, seed and sizes make the same answers: checked once a process (tests
        # start a stand-in for every call that changes state).
        made = (_fingerprint(document), seed, tasks, reference, clusters)
        for op in self.spec.operations:
            # Every validator made now: a part of the spec they cannot find stops the start.
            if op.body is not None:
                self.validators.body(op)
            for parameter in op.parameters:
                self.validators.parameter(op, parameter)
            if made not in _CHECKED:
                self._check_success(op)
        _CHECKED.add(made)
        self._stats_lock = threading.Lock()
        self._statuses: Counter[str] = Counter()
        self.stopping = threading.Event()

    # --- entry point -----------------------------------------------------------------------------

    def handle(self, handler: _Handler) -> None:
        start = time.perf_counter()
        method = handler.command
        split = urlsplit(handler.path)
        declared = handler.headers.get("Content-Length") or "0"
        length = int(declared) if declared.isdigit() else 0
        body = handler.rfile.read(length) if length > 0 else b""
        if not declared.isdigit():
            handler.close_connection = True  # cannot tell where the next request starts
        if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
            handler.close_connection = True  # a chunked body we did not read: start afresh
        if split.path.startswith(ADMIN_PREFIX):
            answer = self._admin(method, split.path, body)
            self._log(method, handler.path, str(answer.status), start, "admin", count=False)
            self._send(handler, answer)
            return

        latency = self.faults.latency()
        if latency > 0:
            slept = time.perf_counter()
            self.stopping.wait(latency / 1000)
            self.faults.record_delay((time.perf_counter() - slept) * 1000)
        fault = self.faults.take()
        if fault is not None and fault.kind == "reset":
            cast(_Server, handler.server).abort(handler.connection)
            handler.close_connection = True
            self._log(method, handler.path, "reset", start, "fault=reset")
            return
        if fault is not None and fault.kind not in WIRE_FAULTS:
            answer = self._fault_answer(fault, start)
        else:
            try:
                answer = self._answer(handler, method, split.path, split.query, body, start)
            except _Problem as problem:
                answer = self._error(problem, start)
            except Exception:
                LOGGER.exception("stand-in failure on %s %s", method, handler.path)
                answer = self._error(_Problem(500, UNEXPECTED, "Unexpected error."), start)
        # Logged (and counted) before the answer leaves: whoever reads the answer sees the line.
        if fault is not None and fault.kind in WIRE_FAULTS:
            self._log(method, handler.path, str(answer.status), start, f"fault={fault.kind}")
            self._send(handler, answer, fault)
            return
        self._log(method, handler.path, str(answer.status), start, answer.note)
        self._send(handler, answer)

    # --- answers ---------------------------------------------------------------------------------

    def _envelope(self, status: int, start: float, **fields: Any) -> bytes:
        envelope = {
            "duration": int((time.perf_counter() - start) * 1000),
            "server": self.server_name,
            "status": status,
            "successful": "error" not in fields,
            "timestamp": envelope_time(datetime.datetime.now(datetime.UTC)),
            "traceId": secrets.token_hex(8),
        }
        envelope.update(fields)
        return _json(envelope)

    def _error(self, problem: _Problem, start: float, **headers: str) -> Answer:
        error = {"code": problem.code, "message": problem.message, **problem.extra}
        return Answer(
            problem.status,
            self._envelope(problem.status, start, error=error),
            headers=list(headers.items()),
            note=f"code={problem.code}",
        )

    def _fault_answer(self, fault: Fault, start: float) -> Answer:
        note = f"fault={fault.kind}"
        if fault.kind == "html":
            return Answer(502, HTML_502, "text/html; charset=utf-8", note=note)
        if fault.kind == "rate-limit":
            body = json.loads(
                self._envelope(429, start, error={"code": 0, "message": RATE_LIMIT_MESSAGE})
            )
            body["traceId"] = ""  # as in OCP's documented 429: rate limiting runs before tracing
            headers = [
                ("RateLimit-Limit", str(self.faults.rate_limit_limit)),
                ("RateLimit-Remaining", "0"),
                ("RateLimit-Reset", str(self.faults.rate_limit_reset)),
            ]
            return Answer(429, _json(body), headers=headers, note=note)
        message = "Bad gateway." if fault.status == 502 else "Service temporarily unavailable."
        error = {"code": 0, "message": message}
        return Answer(fault.status, self._envelope(fault.status, start, error=error), note=note)

    def _answer(
        self, handler: _Handler, method: str, path: str, query: str, body: bytes, start: float
    ) -> Answer:
        pairs = parse_qsl(query, keep_blank_values=True)  # `+` is a space, as OCP decodes it
        view = RequestView(
            method=method,
            path=path,
            query=tuple(pairs),
            headers=tuple(handler.headers.items()),
            body=body,
        )
        try:
            match = self.router.match(method, path)
        except MethodNotAllowed as refused:
            self._authenticate(view, None)
            message = f"Request method '{method}' is not supported by {path}."
            problem = _Problem(405, ILLEGAL_ARGUMENT, message)
            return self._error(problem, start, Allow=", ".join(refused.allowed))
        if match is None:
            self._authenticate(view, None)
            # OCP answers an unknown path with 400 (ocp-api-notes: "bad or missing parameter,
            # unknown path"); 404 is for an object that does not exist.
            raise _Problem(400, ILLEGAL_ARGUMENT, f"No API at {method} {path}.", target=path)
        operation = match.route.operation
        self._authenticate(view, operation)
        parameters = self._parameters(match, pairs)
        value = self._check_body(operation, view.header("Content-Type"), body)
        try:
            content = self._success(operation, parameters, value, start)
        except Refusal as refused:
            raise _Problem(refused.status, refused.code, refused.message) from None
        media = operation.result.media_type or ""
        if media == sm.TEXT:
            media += "; charset=utf-8"  # as Spring writes a String answer
        return Answer(success_status(operation), content, media if content else "")

    def _authenticate(self, view: RequestView, operation: sm.Operation | None) -> None:
        outcome = self.authenticator.check(view, security(self.document, operation))
        if outcome.status:
            raise _Problem(outcome.status, outcome.code, outcome.message)

    def _success(
        self, operation: sm.Operation, parameters: Parameters, body: Any, start: float
    ) -> bytes:
        """The body of a successful answer: the envelope, with `data` as the state (state.py)
        or else the shape says; or the data alone, for an answer without an envelope."""
        status = success_status(operation)
        shape = operation.result.shape
        self.world.refresh()
        found, data = self.world.answer(operation, parameters.path, body)
        if operation.result.framing != "envelope":
            return _bare(operation, data if found else self.data[operation.id])
        if found:
            if shape == "none":
                return self._envelope(status, start) if operation.result.media else b""
            return self._envelope(status, start, data=data)
        if shape == "none":
            if operation.result.media is None:
                return b""  # the spec documents no body
            return self._envelope(status, start)
        if shape == "page":
            listing, store = self.listings[operation.id]
            return self._envelope(status, start, data=self._page(listing, store, parameters))
        return self._envelope(status, start, data=self.data[operation.id])

    def _check_success(self, operation: sm.Operation) -> None:
        """Refuse to start when a success answer would not match the spec (a spec example that
        breaks its schema, a type the generator gets wrong): better than serving it."""
        status = success_status(operation)
        if operation.result.media is None:
            return
        validator = self.validators.answer(operation, status)
        if validator is None:
            return
        if operation.result.shape == "page":
            store = self.listings[operation.id][1]
            items = store.first(CHECKED_ITEMS)
            page = {"number": 1, "size": max(len(items), 1), "totalElements": len(items)}
            data: Any = {"contents": items, "page": {**page, "totalPages": 1 if items else 0}}
            body = json.loads(self._envelope(status, 0.0, data=data))
        elif operation.result.shape == "none":
            body = json.loads(self._envelope(status, 0.0))
        elif operation.result.framing != "envelope":
            body = self.data[operation.id]
        else:
            body = json.loads(self._envelope(status, 0.0, data=self.data[operation.id]))
        if operation.result.framing == "envelope":
            body["duration"] = 0
        for error in validator.iter_errors(body):
            where = field_path(error.absolute_path) or "the body"
            raise ValueError(
                f"{operation.id}: the stand-in's answer would not match the spec at {where}: "
                f"{error.message}"
            )

    def _check_body(self, operation: sm.Operation, content_type: str | None, body: bytes) -> Any:
        """A JSON request body as the spec's schema says, its value; OCP's 400 naming the
        field if not."""
        spec_body = operation.body
        if spec_body is None:
            return None  # a body the operation does not take is ignored, as Spring does
        model = spec_body.type.name
        if not body:
            if spec_body.required:
                message = f"Required request body is missing: a {model} is expected."
                raise _Problem(400, ILLEGAL_ARGUMENT, message, target="body")
            return None
        media = (content_type or "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            message = f"Content type '{content_type or ''}' not supported: send application/json."
            raise _Problem(415, ILLEGAL_ARGUMENT, message)
        try:
            value = json.loads(body)
        except ValueError as bad:  # also bytes that are not UTF-8
            message = f"Malformed JSON request: {bad}."
            raise _Problem(400, ILLEGAL_ARGUMENT, message, target="body") from None
        sub_errors = body_errors(self.validators.body(operation), value, model)
        if sub_errors:
            message = " ".join(str(sub["message"]) for sub in sub_errors)
            raise _Problem(
                400, ILLEGAL_ARGUMENT, message, target=sub_errors[0]["field"], subErrors=sub_errors
            )
        return value

    # --- parameters ------------------------------------------------------------------------------

    def _parameters(self, match: Match, pairs: list[tuple[str, str]]) -> Parameters:
        """The request's parameters, read and validated (parameters.py); 400 naming each
        offender."""
        operation = match.route.operation
        listing = self.listings.get(operation.id, (None, None))[0]
        if listing is not None and listing.max_size is not None:
            # OCP clamps a larger page size instead of rejecting it (spec: `size` description).
            pairs = [
                (k, str(listing.max_size))
                if k == SIZE_PARAMETER and v.isdigit() and int(v) > listing.max_size
                else (k, v)
                for k, v in pairs
            ]
        parameters = read_parameters(
            self.spec, self.validators, operation, pairs, match.path_values
        )
        if parameters.errors:
            subs = parameters.errors
            message = " ".join(str(sub["message"]) for sub in subs)
            raise _Problem(400, ILLEGAL_ARGUMENT, message, target=subs[0]["field"], subErrors=subs)
        return parameters

    # --- listings --------------------------------------------------------------------------------

    def _page(self, listing: Listing, store: Store, parameters: Parameters) -> dict[str, Any]:
        query, path = parameters.query, parameters.path
        for lower, upper in listing.ranges:
            given = [f.parameter for f in (lower, upper) if f.parameter in query]
            if len(given) == 1:
                missing = upper.parameter if given[0] == lower.parameter else lower.parameter
                message = (
                    f"{lower.parameter} and {upper.parameter} must both be set or both be empty."
                )
                raise _Problem(400, TIME_PAIR, message, target=missing)
            if given and query[lower.parameter] > query[upper.parameter]:
                message = f"Invalid time range: {lower.parameter} is after {upper.parameter}."
                raise _Problem(400, INVALID_TIME_RANGE, message, target=lower.parameter)
        scope = tuple(path[s.parameter] for s in listing.scopes)
        if listing.scopes:
            # Another cluster's items are in a store of their own (state.py).
            store = self.world.store_for(listing.operation_id, scope) or store
        if listing.scopes and not store.scope_exists(scope):
            names = ", ".join(f"{s.resource} {path[s.parameter]}" for s in listing.scopes)
            raise _Problem(404, NOT_FOUND, f"Not found: {names} does not exist.")
        inserts = self.faults.take_inserts()
        if inserts:
            store.insert(inserts, scope)
        criteria = [(f, query[f.parameter]) for f in listing.filters if f.parameter in query]
        items = store.select(scope, criteria)
        number, size = int(query[PAGE_PARAMETER]), int(query[SIZE_PARAMETER])
        return {
            "contents": items[(number - 1) * size : number * size],
            "page": {
                "number": number,
                "size": size,
                "totalElements": len(items),
                "totalPages": math.ceil(len(items) / size),
            },
        }

    # --- the stand-in's own endpoints ------------------------------------------------------------

    def _admin(self, method: str, path: str, body: bytes) -> Answer:
        if path == ADMIN_PREFIX + "faults" and method in ("GET", "POST", "DELETE"):
            if method == "DELETE":
                self.faults.clear()
            if method == "POST":
                try:
                    settings = json.loads(body or b"{}")
                    if not isinstance(settings, dict):
                        raise ValueError("the body must be a JSON object")
                    self.faults.configure(settings)
                except (ValueError, TypeError) as bad:
                    return Answer(400, _json({"error": str(bad)}))
            return Answer(200, _json(self.faults.snapshot()))
        if path == ADMIN_PREFIX + "stats" and method == "GET":
            return Answer(200, _json(self.stats()))
        return Answer(404, _json({"error": f"no stand-in endpoint {method} {path}"}))

    def stats(self) -> dict[str, Any]:
        with self._stats_lock:
            statuses = dict(sorted(self._statuses.items()))
        return {
            "requests": sum(statuses.values()),
            "statuses": statuses,
            "faults": self.faults.snapshot(),
        }

    # --- the wire --------------------------------------------------------------------------------

    def _send(self, handler: _Handler, answer: Answer, fault: Fault | None = None) -> None:
        """Send the answer, as the fault (one of WIRE_FAULTS) spoils it, if any."""
        kind = fault.kind if fault is not None else ""
        ms = fault.ms if fault is not None else 0.0
        if kind == "stall" and self.stopping.wait(ms / 1000):
            handler.close_connection = True  # stopping: no answer
            return
        body = answer.body
        sent = body[: len(body) // 2] if kind in ("truncate", "reset-body", "garble") else body
        handler.send_response(answer.status)
        if answer.content_type:
            handler.send_header("Content-Type", answer.content_type)
        declared = {"truncate": len(body) * 2 + 16, "garble": len(sent)}.get(kind, len(body))
        if answer.status != 204:  # RFC 9110: a 204 has no Content-Length
            handler.send_header("Content-Length", str(declared))
        for name, value in answer.headers:
            handler.send_header(name, value)
        if kind == "truncate":
            handler.send_header("Connection", "close")
        handler.end_headers()
        if handler.command != "HEAD":
            if kind == "trickle":
                self._trickle(handler, sent, ms)
            else:
                handler.wfile.write(sent)
        if kind in ("truncate", "reset-body"):
            handler.wfile.flush()
            handler.close_connection = True
        if kind == "reset-body":
            # What was sent reaches the client before the reset, which would drop it.
            self.stopping.wait(RESET_AFTER_S)
            cast(_Server, handler.server).abort(handler.connection)

    def _trickle(self, handler: _Handler, body: bytes, ms: float) -> None:
        """One byte every `ms` milliseconds, until the body is sent, the client leaves (the
        write raises) or the stand-in stops (the connection is closed unfinished)."""
        for index in range(len(body)):
            if self.stopping.wait(ms / 1000):
                handler.close_connection = True
                return
            handler.wfile.write(body[index : index + 1])

    def _log(
        self, method: str, target: str, status: str, start: float, note: str, *, count: bool = True
    ) -> None:
        if count:  # the stand-in's own endpoints are not counted
            with self._stats_lock:
                self._statuses[status] += 1
        elapsed = (time.perf_counter() - start) * 1000
        LOGGER.info(
            "%s %s %s %.1fms%s", method, target, status, elapsed, f" {note}" if note else ""
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ocp-standin"
    sys_version = ""
    timeout = 60  # idle keep-alive connections
    # Headers and body go out in two writes: without TCP_NODELAY the second waits for the
    # client's delayed ACK (40 ms a request on Linux).
    disable_nagle_algorithm = True

    def _dispatch(self) -> None:
        cast(_Server, self.server).app.handle(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        LOGGER.debug("http.server: " + format, *args)


class _Server(HTTPServer):
    """An HTTPServer bound to 127.0.0.1 with one thread per connection, all tracked for stop()."""

    allow_reuse_address = True

    def __init__(self, app: App, port: int, thread_prefix: str) -> None:
        self.app = app
        self.thread_prefix = thread_prefix
        self._lock = threading.Lock()
        self._threads: set[threading.Thread] = set()
        self._connections: set[socket.socket] = set()
        self._aborted: set[socket.socket] = set()
        super().__init__(("127.0.0.1", port), _Handler)

    def server_bind(self) -> None:
        TCPServer.server_bind(self)  # HTTPServer's would look the host name up (slow offline)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve,
            args=(request, client_address),
            name=f"{self.thread_prefix}-connection",
        )
        thread.daemon = True
        with self._lock:
            self._threads.add(thread)
            self._connections.add(request)
        thread.start()

    def _serve(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._lock:
                self._threads.discard(threading.current_thread())
                self._connections.discard(request)

    def abort(self, connection: socket.socket) -> None:
        """Make the close of this connection a reset (RST), with no answer sent."""
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with self._lock:
            self._aborted.add(connection)

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            aborted = request in self._aborted
            self._aborted.discard(request)
        if aborted:
            request.close()  # no FIN first: the linger setting turns the close into a reset
        else:
            super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # the client went away
        LOGGER.exception("stand-in: error on a connection from %s", client_address)

    def close_connections(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed
                connection.shutdown(socket.SHUT_RDWR)

    def threads(self) -> list[threading.Thread]:
        with self._lock:
            return list(self._threads)


class StandIn:
    """A local OCP stand-in on 127.0.0.1, driven by the spec.

    Use it as a context manager (it starts a server thread on `port`, 0 for any free port)::

        with StandIn(seed=1, tasks=20) as ocp:
            httpx.get(ocp.base_url + "/api/v2/ob/clusters/1000005/backup/task/dataBackupTasks",
                      params={"page": 1, "size": 10}, auth=("admin", "admin"))
            ocp.faults.rate_limit(2)
    """

    def __init__(
        self,
        *,
        port: int = 0,
        seed: int = 0,
        tasks: int = 20,
        reference: bool = True,
        credentials: Credentials | None = None,
        spec: Path | Mapping[str, Any] = DEFAULT_SPEC,
        server_name: str = "ocp-standin",
        faults: Faults | None = None,
        now: datetime.datetime | None = None,
        clusters: int = DEFAULT_CLUSTERS,
        task_seconds: float = DEFAULT_TASK_SECONDS,
    ) -> None:
        document = load_document(spec) if isinstance(spec, Path) else spec
        self.faults = faults or Faults()
        self.credentials = credentials or Credentials()
        self.app = App(
            document,
            credentials=self.credentials,
            faults=self.faults,
            seed=seed,
            tasks=tasks,
            reference=reference,
            server_name=server_name,
            now=now,
            clusters=clusters,
            task_seconds=task_seconds,
        )
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._thread_prefix = f"standin-{id(self):x}"

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the stand-in is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> StandIn:
        if self._server is not None:
            raise RuntimeError("the stand-in is already running")
        self.app.stopping.clear()
        self._server = _Server(self.app, self._port, self._thread_prefix)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{self._thread_prefix}-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, drop open connections, wait (bounded) for every thread to end."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self.app.stopping.set()  # wakes requests sleeping in a latency fault
        server.shutdown()
        server.server_close()
        server.close_connections()
        deadline = time.monotonic() + timeout
        for worker in [thread, *server.threads()]:
            worker.join(max(0.0, deadline - time.monotonic()))
        self._server = self._thread = None

    def leftover_threads(self) -> list[threading.Thread]:
        """This stand-in's threads still alive (none after a clean stop)."""
        prefix = self._thread_prefix + "-"
        return [t for t in threading.enumerate() if t.name.startswith(prefix)]

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stats(self) -> dict[str, Any]:
        """Requests answered, by status (or "reset"), and the fault counters."""
        return self.app.stats()

    def store(self, operation_id: str) -> Store:
        """The items of a listing (a paginated operation), by operationId."""
        if operation_id not in self.app.listings:
            raise KeyError(f"{operation_id!r} is no listing: one of {sorted(self.app.listings)}")
        return self.app.listings[operation_id][1]

    def listing(self, operation_id: str) -> Listing:
        """What the stand-in read from the spec for a listing, by operationId."""
        return self.store(operation_id).listing

    def example_request(
        self, operation_id: str, *, optional: bool = False, seed: int = 0
    ) -> ExampleRequest:
        """A request the stand-in answers with success (see `examples.py`): required
        parameters only, or every one (``optional``); a listing's first scope."""
        operation = self.app.spec.operation(operation_id)
        entry = self.app.listings.get(operation_id)
        listing, scope = None, ()
        if entry is not None:
            listing, scopes = entry[0], entry[1].scopes()
            scope = scopes[0] if scopes else ()
        return example_request(
            self.app.spec,
            operation,
            listing=listing,
            scope=scope,
            optional=optional,
            seed=seed,
            path_values=self.app.world.example_path(operation),
            now=self.app.now,
        )

    @property
    def world(self) -> World:
        """The state behind the answers: clusters, strategies, tasks (state.py)."""
        return self.app.world

    @property
    def clusters(self) -> list[Any]:
        """The ids of the clusters the stand-in manages, as `listClusters` lists them."""
        return self.app.world.clusters

    @property
    def now(self) -> datetime.datetime:
        """The moment the generated times are relative to."""
        return self.app.now

    def example_urls(self) -> list[str]:
        """A first-page URL per listing and scope, for humans."""
        urls: list[str] = []
        for listing, store in self.app.listings.values():
            for scope in store.scopes():
                path = listing.operation.path
                for binding, value in zip(listing.scopes, scope, strict=True):
                    path = path.replace("{" + binding.parameter + "}", str(value))
                urls.append(f"{self.base_url}{path}?{PAGE_PARAMETER}=1&{SIZE_PARAMETER}=10")
        return urls


def success_status(operation: sm.Operation) -> int:
    """The status of a successful answer: the spec's first 2xx (200 for a `2XX` range)."""
    status = operation.result.status
    return int(status) if status.isdigit() else 200
