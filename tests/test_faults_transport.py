"""Faults of the network, through the SDK's calls, against raw-socket servers on 127.0.0.1.

httpx-level faults (a connection reset before or in the middle of an answer, a body cut short, a
server trickling its answer a byte at a time, an exhausted connection pool, a certificate that
does not verify) need a server that misbehaves below HTTP: each test scripts one, per
connection, on a real socket. What is asserted: which faults are retried (and only for requests
that may be sent twice), that the whole call ends by its deadline, and that mutating operations
carry a signature over their body.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from ocp_client import Client, errors
from ocp_client.retry import (
    DEADLINE_EXTENSION,
    IDEMPOTENT_EXTENSION,
    RetryPolicy,
    RetryTransport,
)
from tests.local_server import LISTING, TLS
from tests.signing_server import running_server
from tests.test_codegen import BODY_METHODS, SHAPES, envelope, generate_package, host, operation

FAST = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.01)
# What a trickling server sends a byte at a time, and how often: far slower than any deadline
# below, yet each byte within every socket timeout.
TRICKLE_EVERY = 2.0
DEADLINE = 0.5
SLACK = 0.5

Behaviour = Callable[[socket.socket, bytes], None]


# --- a raw-socket server --------------------------------------------------------------------------


def answer(body: bytes = LISTING.example, status: int = 200) -> bytes:
    head = (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def reply(body: bytes = LISTING.example, status: int = 200) -> Behaviour:
    return lambda conn, request: conn.sendall(answer(body, status))


def reset(after: bytes = b"") -> Behaviour:
    """Send ``after``, then reset the connection (RST, not FIN: SO_LINGER 0)."""

    def behave(conn: socket.socket, request: bytes) -> None:
        if after:
            conn.sendall(after)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return behave


def cut(keep: int) -> Behaviour:
    """The answer's first ``keep`` bytes, then a clean close: a body cut short."""
    return lambda conn, request: conn.sendall(answer()[:keep])


def trickle(start: int, stop: threading.Event) -> Behaviour:
    """The answer's first ``start`` bytes at once, then one byte every TRICKLE_EVERY s."""

    def behave(conn: socket.socket, request: bytes) -> None:
        data = answer()
        conn.sendall(data[:start])
        for byte in data[start:]:
            if stop.wait(TRICKLE_EVERY):
                return
            conn.sendall(bytes([byte]))

    return behave


class RawServer:
    """Accepts connections on 127.0.0.1 and plays the next scripted behaviour on each request
    (the last one again when the script runs out), one request per connection; counts the
    requests it read."""

    def __init__(self, *behaviours: Behaviour, tls: ssl.SSLContext | None = None) -> None:
        self.behaviours = list(behaviours)
        self.requests: list[bytes] = []
        self.connections = 0
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.tls = tls
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.listener.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        self.threads.append(threading.Thread(target=self._accept))
        self.threads[0].start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in list(self.threads):
            thread.join(timeout=5)
            assert not thread.is_alive(), "a raw server thread did not stop"
        self.listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():  # bounded by stop: set when the test ends
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            with self.lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,))
            self.threads.append(thread)
            thread.start()

    def _serve(self, raw: socket.socket) -> None:
        conn = raw
        try:
            conn.settimeout(2)
            if self.tls is not None:
                conn = self.tls.wrap_socket(raw, server_side=True)
            request = self._read_request(conn)
            if request is None:
                return
            with self.lock:
                self.requests.append(request)
                index = min(len(self.requests), len(self.behaviours)) - 1
            self.behaviours[index](conn, request)
        except OSError:  # the client hung up, or refused our certificate
            return
        finally:
            conn.close()

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            body += chunk
        return data


def client_of(server: RawServer, **options: Any) -> Client:
    settings: dict[str, Any] = {"verify": TLS, "timeout": 5, "retry_policy": FAST, **options}
    return Client(server.url, **settings)


# --- retries: what is retried, and for whom ----------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        reset(),
        reset(after=answer()[:60]),  # in the middle of the headers
        reset(after=answer()[: len(answer()) - 20]),  # in the middle of the body
        cut(len(answer()) - 20),  # Content-Length promised more
    ],
    ids=["reset-before-answer", "reset-in-headers", "reset-in-body", "body-cut-short"],
)
def test_a_fault_of_an_idempotent_call_is_retried_with_the_body_read_in_the_attempt(
    fault: Behaviour,
) -> None:
    with RawServer(fault, reply()) as server, client_of(server) as client:
        page = LISTING.call(client)
    assert len(page.contents) == len(LISTING.sample["data"]["contents"])
    assert len(server.requests) == 2


def test_async_calls_retry_a_body_cut_short() -> None:
    async def main(client: Client) -> Any:
        async with client:
            return await LISTING.module.asyncio(client=client, **LISTING.path_arguments)

    with RawServer(cut(len(answer()) - 20), reply()) as server:
        page = asyncio.run(main(client_of(server)))
    assert page.page is not None and len(server.requests) == 2


def test_a_fault_on_every_attempt_is_a_transport_error_after_the_retries() -> None:
    with (
        RawServer(cut(len(answer()) - 20)) as server,
        client_of(server) as client,
        pytest.raises(errors.TransportError) as caught,
    ):
        LISTING.call(client)
    assert "peer closed connection" in str(caught.value)
    assert len(server.requests) == 3


def test_a_pool_timeout_is_retried() -> None:
    """Two calls share a pool of one connection; the second waits past its pool timeout while
    the first holds the connection, and is sent again once the pool has it back."""
    slow = threading.Event()

    def hold(conn: socket.socket, request: bytes) -> None:
        slow.set()
        time.sleep(0.3)
        conn.sendall(answer())

    policy = RetryPolicy(max_retries=2, backoff_base=0.4, backoff_max=0.4, random=max)
    with RawServer(hold, reply()) as server:
        client = client_of(
            server,
            timeout=httpx.Timeout(5, pool=0.05),
            retry_policy=policy,
            httpx_args={"limits": httpx.Limits(max_connections=1)},
        )
        with client:
            first = threading.Thread(target=LISTING.call, args=(client,))
            first.start()
            assert slow.wait(5)
            page = LISTING.call(client)
            first.join(timeout=5)
    assert page.page is not None and len(server.requests) == 2


def test_a_call_that_may_have_reached_the_server_is_sent_once_unless_idempotent() -> None:
    """A request not idempotent is sent once when the connection broke after it was sent; the
    same request marked idempotent is sent again (the retry transport, as operations use it)."""
    for idempotent, sent in [(False, 1), (True, 2)]:
        with (
            RawServer(reset(), reply()) as server,
            httpx.Client(transport=RetryTransport(policy=FAST)) as client,
        ):
            try:
                client.post(
                    server.url, content=b"{}", extensions={IDEMPOTENT_EXTENSION: idempotent}
                )
            except httpx.TransportError:
                assert not idempotent
            assert len(server.requests) == sent


# A self-signed certificate for 127.0.0.1 (valid until 2126), which no trust store holds: the
# default TLS verification refuses it. A test fixture only, with a key for nothing else.
TEST_CERTIFICATE = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAZ94/B8aVLwMOupt
bqhcF+GEAbQurLQR4d3EqQ0kx1ahRANCAAQKpczne1yLAHfjNoAUH3EzTzbpldjz
Y5fdx7YuJ9iekE8FadofLPeEsKxLslNkd6IFVDy0Doz5//yG+zZGGBkR
-----END PRIVATE KEY-----
-----BEGIN CERTIFICATE-----
MIIBnDCCAUKgAwIBAgIUbYuTUh8Z8nYGHhZgdD1M9G1lJ4UwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPb2NwLWNsaWVudC10ZXN0MCAXDTI2MTEzMDIxMDcwMVoYDzIx
MjYxMTA2MjEwNzAxWjAaMRgwFgYDVQQDDA9vY3AtY2xpZW50LXRlc3QwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQKpczne1yLAHfjNoAUH3EzTzbpldjzY5fdx7Yu
J9iekE8FadofLPeEsKxLslNkd6IFVDy0Doz5//yG+zZGGBkRo2QwYjAdBgNVHQ4E
FgQUAE8A5JhmycDDbrz6fJCv634QLUAwHwYDVR0jBBgwFoAUAE8A5JhmycDDbrz6
fJCv634QLUAwDwYDVR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqG
SM49BAMCA0gAMEUCIQDBgdrOmYXY+XAoKVqRn2xBriDJVfrLehpDjyedZTx6sgIg
GaIzBlANPW+xlW6LfuhrGDVF1vNHJ/FlTKudbq2aycc=
-----END CERTIFICATE-----
"""


def test_a_certificate_that_does_not_verify_is_never_retried(tmp_path: Path) -> None:
    pem = tmp_path / "server.pem"
    pem.write_text(TEST_CERTIFICATE, encoding="ascii")
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(pem)
    with RawServer(reply(), tls=tls) as server:
        client = Client(server.url, timeout=5, retry_policy=FAST)  # verification on: the default
        with client, pytest.raises(errors.TransportError) as caught:
            LISTING.call(client)
        connections = server.connections
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert connections == 1, "a certificate that did not verify was tried again"


# --- the deadline of a whole call --------------------------------------------------------------


def _timed(call: Callable[[], Any]) -> tuple[BaseException, float]:
    started = time.monotonic()
    try:
        call()
    except errors.OcpError as error:
        return error, time.monotonic() - started
    raise AssertionError("the call ended without an error")


@pytest.mark.parametrize("start", [3, len(answer()) - 30], ids=["in-headers", "in-body"])
def test_a_trickling_server_cannot_hold_a_call_past_its_deadline(start: int) -> None:
    """Each byte comes well within the 5 s socket timeout, so only the deadline ends it."""
    stop = threading.Event()
    with RawServer(trickle(start, stop)) as server, client_of(server, deadline=DEADLINE) as client:
        error, took = _timed(lambda: LISTING.call(client))
        stop.set()
    assert isinstance(error, errors.RequestTimeoutError)
    assert "deadline of 0.5 s" in str(error)
    assert took < DEADLINE + SLACK


def test_an_async_call_ends_by_its_deadline() -> None:
    stop = threading.Event()

    async def main(client: Client) -> Any:
        async with client:
            return await LISTING.module.asyncio(client=client, **LISTING.path_arguments)

    with RawServer(trickle(len(answer()) - 30, stop)) as server:
        error, took = _timed(lambda: asyncio.run(main(client_of(server, deadline=DEADLINE))))
        stop.set()
    assert isinstance(error, errors.RequestTimeoutError)
    assert took < DEADLINE + SLACK


def test_a_call_s_own_deadline_overrides_the_client_s() -> None:
    """``deadline`` among a call's arguments (what a generated function passes as its locals)
    wins over the client's default (60 s)."""
    stop = threading.Event()
    with RawServer(trickle(3, stop)) as server, client_of(server) as client:
        assert client.deadline == 60.0
        call = {
            **{p.py_name: None for p in LISTING.operation.parameters},
            **LISTING.path_arguments,
            "page": 1,
            "size": 10,
            "client": client,
            "timeout": None,
            "max_retries": None,
            "deadline": 0.3,
        }
        error, took = _timed(lambda: LISTING.module._OPERATION.sync(call))
        stop.set()
    assert isinstance(error, errors.RequestTimeoutError)
    assert took < 0.3 + SLACK


def test_no_retry_wait_is_started_that_would_pass_the_deadline() -> None:
    """A 503 asking for 5 s: the call gives up with the 503 at once, not after 5 s."""
    busy = b"HTTP/1.1 503 X\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    with (
        RawServer(lambda conn, request: conn.sendall(busy)) as server,
        client_of(server, deadline=1.0, retry_policy=RetryPolicy(max_retries=2)) as client,
    ):
        error, took = _timed(lambda: LISTING.call(client))
    assert isinstance(error, errors.ServerError) and error.status_code == 503
    assert took < 0.5 and len(server.requests) == 1


@pytest.mark.parametrize("deadline", [0, -1, float("nan"), float("inf"), True, "5"])
def test_a_deadline_that_is_not_seconds_is_refused(deadline: Any) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        Client("http://127.0.0.1:1", deadline=deadline)
    assert caught.value.argument == "deadline"
    with (
        httpx.Client(transport=RetryTransport()) as client,
        pytest.raises(errors.RequestValidationError, match=DEADLINE_EXTENSION),
    ):
        client.get("http://127.0.0.1:1/", extensions={DEADLINE_EXTENSION: deadline})


# --- mutating operations ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def mutating(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """test_codegen's inline spec (POST, PUT, PATCH, DELETE with a JSON body), generated with
    this runtime into a scratch package of its own name."""
    import importlib
    import sys

    root = tmp_path_factory.mktemp("mutating")
    generate_package(SHAPES, root, "ocp_mutating")
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        for name in ("api", "models", "errors", "auth", "retry"):
            importlib.import_module(f"ocp_mutating.{name}")
        yield importlib.import_module("ocp_mutating")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] == "ocp_mutating"]:
            del sys.modules[name]


@pytest.mark.parametrize("method", BODY_METHODS)
def test_a_mutating_call_is_signed_over_its_body(mutating: ModuleType, method: str) -> None:
    """The signing server rebuilds the string to sign from what it received (the body's MD5
    among it) with code of its own, and answers 401 unless the signature matches."""
    key_id, secret = "test-key-id", "test-key-secret"
    with running_server({key_id: secret}) as server:
        server.success_body = json.dumps(envelope(host(3))).encode()
        auth = mutating.auth.OcpAccessKeyAuth(key_id, secret)
        body = mutating.models.HostSpec(name="db1", cpu=8, labels=["ä"])
        with mutating.Client(server.url, auth=auth, timeout=5) as client:
            answer = operation(mutating, "hosts", f"{method}_host").sync(
                3, client=client, body=body
            )
        received = server.last()
    assert answer.host_id == 3
    assert received.verified and received.method == method.upper()
    assert json.loads(received.body) == {"name": "db1", "cpu": 8, "labels": ["ä"]}
    md5 = received.string_to_sign.splitlines()[1]
    assert md5 == hashlib.md5(received.body).hexdigest().upper() != ""


def test_a_mutating_call_is_retried_only_when_it_never_reached_the_server(
    mutating: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    post = operation(mutating, "hosts", "post_host")
    body = mutating.models.HostSpec(name="db1", cpu=8)
    policy = mutating.retry.RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.001)
    with socket.socket() as probe:  # a port where nothing listens: connecting is refused
        probe.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{probe.getsockname()[1]}"
    caplog.set_level("DEBUG", logger="ocp_client.retry")
    with (
        mutating.Client(refused, retry_policy=policy) as client,
        pytest.raises(mutating.errors.TransportError),
    ):
        post.sync(3, client=client, body=body)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 3 and all("(ConnectError)" in m for m in messages), messages
    assert messages[-1].endswith("giving up, no retries left")
    with (
        RawServer(reset(), reply(json.dumps(envelope(host(3))).encode())) as server,
        mutating.Client(server.url, retry_policy=policy) as client,
        pytest.raises(mutating.errors.TransportError),
    ):
        post.sync(3, client=client, body=body)
    assert len(server.requests) == 1, "OCP may have acted on the request"
