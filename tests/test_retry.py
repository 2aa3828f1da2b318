"""The retry transport against a real HTTP server on 127.0.0.1, scripted per test.

Waits go to a fake sleep that records them, so no test sleeps for a backoff or asserts on wall
time; the only real delays are the read-timeout tests' 0.05 s timeouts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import logging
import random
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import httpx
import pytest

from ocp_client import errors
from ocp_client.retry import (
    IDEMPOTENT_EXTENSION,
    RETRY_EXTENSION,
    AsyncRetryTransport,
    RetryPolicy,
    RetryTransport,
)
from tests.local_server import TLS

Action = Literal["reply", "drop", "garbage"]


@dataclasses.dataclass(frozen=True)
class Reply:
    """One scripted answer: a response after ``delay`` seconds, a connection closed without a
    byte (``drop``), or bytes that are not HTTP (``garbage``)."""

    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    body: bytes = b"{}"
    delay: float = 0.0
    action: Action = "reply"


@dataclasses.dataclass(frozen=True)
class Seen:
    method: str
    path: str
    body: bytes
    client_port: int


class ScriptedServer:
    """A ThreadingHTTPServer (HTTP/1.1, keep-alive) that answers each request with the next
    scripted reply and records what it received; unscripted requests get a 500."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        # A short poll interval: shutdown() waits up to one interval for the serve loop.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def url(self, path: str = "/api/x") -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def script(self, *replies: Reply) -> None:
        with self.lock:
            self.replies.extend(replies)

    def next_reply(self, seen: Seen) -> Reply:
        with self.lock:
            self.seen.append(seen)
            return self.replies.pop(0) if self.replies else Reply(500, body=b"unscripted")


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are separate writes

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(self.command, self.path, body, self.client_address[1])
            reply = server.next_reply(seen)
            if reply.delay:
                server.stop.wait(reply.delay)
            if reply.action == "drop":
                self.close_connection = True
                return
            try:
                if reply.action == "garbage":
                    self.wfile.write(b"NOT HTTP AT ALL\r\n\r\n")
                    self.close_connection = True
                    return
                # send_response_only: no automatic Date/Server, so tests control every header.
                self.send_response_only(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                headers["Content-Length"] = str(len(reply.body))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)
            except OSError:  # the client gave up (read-timeout tests)
                self.close_connection = True

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_OPTIONS = _handle

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return Handler


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    scripted.thread.start()
    try:
        yield scripted
    finally:
        scripted.stop.set()
        scripted.httpd.shutdown()
        scripted.httpd.server_close()
        scripted.thread.join(timeout=5)


class FakeSleep:
    """Records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def highest(low: float, high: float) -> float:
    """Deterministic 'jitter': always the cap, so the expected waits are exact."""
    return high


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


def make_policy(fake_sleep: FakeSleep, **overrides: Any) -> RetryPolicy:
    settings: dict[str, Any] = {
        "sleep": fake_sleep,
        "async_sleep": fake_sleep.asleep,
        "random": highest,
        **overrides,
    }
    return RetryPolicy(**settings)


def make_client(policy: RetryPolicy, timeout: float = 5.0) -> httpx.Client:
    inner = httpx.HTTPTransport(verify=TLS)
    return httpx.Client(transport=RetryTransport(transport=inner, policy=policy), timeout=timeout)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens, so connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- statuses ---------------------------------------------------------------------------------


def test_503_503_200_returns_the_200_after_two_retries(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(503), Reply(503), Reply(200, body=b'{"ok": true}'))
    with make_client(make_policy(fake_sleep)) as client:
        response = client.get(server.url())
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert fake_sleep.waits == [0.5, 1.0]
    assert len(server.seen) == 3


def test_discarded_responses_are_drained_so_the_connection_is_reused(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(503, body=b"x" * 10_000), Reply(502), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert len({seen.client_port for seen in server.seen}) == 1


@pytest.mark.parametrize("status", [502, 503, 504, 429])
def test_each_retry_status_is_retried(
    server: ScriptedServer, fake_sleep: FakeSleep, status: int
) -> None:
    server.script(Reply(status), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert len(server.seen) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500])
def test_other_error_statuses_are_never_retried(
    server: ScriptedServer, fake_sleep: FakeSleep, status: int
) -> None:
    server.script(Reply(status), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == status
    assert fake_sleep.waits == []
    assert len(server.seen) == 1


def test_exhausted_retries_return_the_last_response(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(503, body=b"first"), Reply(503, body=b"second"), Reply(503, body=b"third"))
    with make_client(make_policy(fake_sleep)) as client:
        response = client.get(server.url())
    assert response.status_code == 503
    assert response.content == b"third"
    assert fake_sleep.waits == [0.5, 1.0]
    assert len(server.seen) == 3


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_methods_are_never_retried(
    server: ScriptedServer, fake_sleep: FakeSleep, method: str
) -> None:
    server.script(Reply(503), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        response = client.request(method, server.url(), content=b'{"name": "x"}')
    assert response.status_code == 503
    assert fake_sleep.waits == []
    assert len(server.seen) == 1


def test_post_is_retried_on_a_connect_error(fake_sleep: FakeSleep) -> None:
    """A refused connection proves the request never reached the server: safe to send again,
    whatever the method (tests/test_faults_transport.py: and nothing else is)."""
    with (
        make_client(make_policy(fake_sleep)) as client,
        pytest.raises(httpx.ConnectError),
    ):
        client.post(f"http://127.0.0.1:{closed_port()}/api/x", json={})
    assert fake_sleep.waits == [0.5, 1.0]


def test_a_request_said_to_be_idempotent_is_retried_whatever_its_method(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    """Operations pass the spec's answer (``x-ocp-idempotent`` on a POST); the extension wins
    over the policy's methods both ways."""
    server.script(Reply(503), Reply(200), Reply(503), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        said = {IDEMPOTENT_EXTENSION: True}
        assert client.post(server.url(), content=b"{}", extensions=said).status_code == 200
        said = {IDEMPOTENT_EXTENSION: False}
        assert client.get(server.url(), extensions=said).status_code == 503
    assert [seen.method for seen in server.seen] == ["POST", "POST", "GET"]
    assert [seen.body for seen in server.seen[:2]] == [b"{}", b"{}"]


def test_an_idempotent_extension_that_is_not_a_bool_is_rejected(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    with (
        make_client(make_policy(fake_sleep)) as client,
        pytest.raises(TypeError, match=IDEMPOTENT_EXTENSION),
    ):
        client.get(server.url(), extensions={IDEMPOTENT_EXTENSION: "yes"})
    assert server.seen == []


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS"])
def test_head_and_options_are_retried(
    server: ScriptedServer, fake_sleep: FakeSleep, method: str
) -> None:
    server.script(Reply(503), Reply(204, body=b""))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.request(method, server.url()).status_code == 204
    assert [seen.method for seen in server.seen] == [method, method]


# --- server-given waits -----------------------------------------------------------------------


def test_429_waits_what_ratelimit_reset_says(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    limited = {"RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}
    server.script(Reply(429, headers=limited), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert fake_sleep.waits == [1.0]


def test_retry_after_in_seconds(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(503, headers={"Retry-After": "3"}), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert fake_sleep.waits == [3.0]


def test_retry_after_date_is_measured_from_the_response_date(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    # Years in the past: only the difference between the two headers may matter, not our clock.
    date = email.utils.formatdate(1_000_000_000, usegmt=True)
    later = email.utils.formatdate(1_000_000_004, usegmt=True)
    server.script(Reply(429, headers={"Date": date, "Retry-After": later}), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert fake_sleep.waits == [4.0]


def test_retry_after_date_in_the_past_without_a_date_header_waits_nothing(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    past = email.utils.formatdate(1_000_000_000, usegmt=True)
    server.script(Reply(503, headers={"Retry-After": past}), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert fake_sleep.waits == [0.0]


def test_retry_after_wins_over_ratelimit_reset(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(429, headers={"Retry-After": "2", "RateLimit-Reset": "5"}), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        client.get(server.url())
    assert fake_sleep.waits == [2.0]


def test_a_server_given_wait_is_capped_at_backoff_max(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(429, headers={"RateLimit-Reset": "3600"}), Reply(200))
    with make_client(make_policy(fake_sleep, backoff_max=8.0)) as client:
        assert client.get(server.url()).status_code == 200
    assert fake_sleep.waits == [8.0]


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "soon"},
        {"Retry-After": "-5"},
        {"Retry-After": "Mon, 01 Jan 99999999999 00:00:00 GMT"},  # OverflowError in the parser
        {"Retry-After": "Mon, 01 Jan 10000 00:00:00 GMT"},
        {"RateLimit-Reset": "1e9"},
        {"RateLimit-Reset": ""},
    ],
)
def test_unreadable_wait_headers_fall_back_to_backoff(
    server: ScriptedServer, fake_sleep: FakeSleep, headers: dict[str, str]
) -> None:
    server.script(Reply(429, headers=headers), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert fake_sleep.waits == [0.5]


def test_wait_headers_are_read_only_on_429_and_503(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(502, headers={"Retry-After": "5"}), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        client.get(server.url())
    assert fake_sleep.waits == [0.5]


# --- backoff ----------------------------------------------------------------------------------


def test_full_jitter_draws_between_zero_and_the_exponential_cap(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    rng = random.Random(20240101)
    draws: list[tuple[float, float]] = []

    def recorded(low: float, high: float) -> float:
        draws.append((low, high))
        return rng.uniform(low, high)

    server.script(*[Reply(503)] * 7)
    policy = make_policy(
        fake_sleep, max_retries=6, backoff_base=0.5, backoff_max=8.0, max_total_wait=100.0
    )
    with make_client(dataclasses.replace(policy, random=recorded)) as client:
        assert client.get(server.url()).status_code == 503
    caps = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert draws == [(0.0, cap) for cap in caps]
    assert len(fake_sleep.waits) == len(caps)
    for wait, cap in zip(fake_sleep.waits, caps, strict=True):
        assert 0.0 <= wait <= cap
    assert len(set(fake_sleep.waits)) > 1, "jitter should vary"


def test_out_of_range_jitter_is_clamped(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(503), Reply(503), Reply(200))
    policy = make_policy(fake_sleep, random=lambda low, high: [99.0, -1.0][len(fake_sleep.waits)])
    with make_client(policy) as client:
        client.get(server.url())
    assert fake_sleep.waits == [0.5, 0.0]


def test_total_wait_is_bounded_by_max_total_wait(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(*[Reply(503)] * 11)
    policy = make_policy(fake_sleep, max_retries=10, max_total_wait=5.0)
    with make_client(policy) as client:
        assert client.get(server.url()).status_code == 503
    # 0.5 + 1 + 2 = 3.5; the next wait (4) would take the total to 7.5 > 5, so it stops there.
    assert fake_sleep.waits == [0.5, 1.0, 2.0]
    assert sum(fake_sleep.waits) <= 5.0
    assert len(server.seen) == 4


def test_max_retries_zero_sends_once(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(503), Reply(200))
    with make_client(make_policy(fake_sleep, max_retries=0)) as client:
        assert client.get(server.url()).status_code == 503
    assert len(server.seen) == 1


# --- transport errors -------------------------------------------------------------------------


def test_connect_errors_are_retried_then_raised(fake_sleep: FakeSleep) -> None:
    with (
        make_client(make_policy(fake_sleep)) as client,
        pytest.raises(httpx.ConnectError),
    ):
        client.get(f"http://127.0.0.1:{closed_port()}/api/x")
    assert fake_sleep.waits == [0.5, 1.0]


def test_read_timeout_is_retried(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(200, delay=2.0), Reply(200, body=b'{"second": true}'))
    with make_client(make_policy(fake_sleep), timeout=0.05) as client:
        response = client.get(server.url())
    assert response.json() == {"second": True}
    assert fake_sleep.waits == [0.5]


def test_read_timeouts_exhausting_the_retries_raise_read_timeout(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(200, delay=2.0), Reply(200, delay=2.0), Reply(200))
    with (
        make_client(make_policy(fake_sleep, max_retries=1), timeout=0.05) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.get(server.url())
    assert fake_sleep.waits == [0.5]


def test_a_connection_closed_before_any_response_byte_is_retried(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(action="drop"), Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url()).status_code == 200
    assert fake_sleep.waits == [0.5]


def test_a_malformed_response_is_not_retried(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(action="garbage"), Reply(200))
    with (
        make_client(make_policy(fake_sleep)) as client,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        client.get(server.url())
    assert fake_sleep.waits == []
    assert len(server.seen) == 1


# --- request bodies ---------------------------------------------------------------------------


def test_a_replayable_body_is_sent_again_unchanged(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(503), Reply(200))
    policy = make_policy(fake_sleep, retry_methods={"GET", "PUT"})
    with make_client(policy) as client:
        assert client.put(server.url(), content=b'{"a": 1}').status_code == 200
    assert [seen.body for seen in server.seen] == [b'{"a": 1}', b'{"a": 1}']


def test_a_streamed_body_is_not_retried(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(503), Reply(200))

    def chunks() -> Iterator[bytes]:
        yield b'{"a": 1}'

    policy = make_policy(fake_sleep, retry_methods={"GET", "PUT"})
    with make_client(policy) as client:
        response = client.put(server.url(), content=chunks(), headers={"Content-Length": "8"})
    assert response.status_code == 503
    assert len(server.seen) == 1


# --- per-request policy -----------------------------------------------------------------------


def test_an_int_extension_replaces_max_retries(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(503), Reply(200), *[Reply(503)] * 4, Reply(200))
    with make_client(make_policy(fake_sleep)) as client:
        assert client.get(server.url(), extensions={RETRY_EXTENSION: 0}).status_code == 503
        assert client.get(server.url()).status_code == 200
        assert client.get(server.url(), extensions={RETRY_EXTENSION: 5}).status_code == 200
    assert len(server.seen) == 7


def test_a_policy_extension_replaces_the_whole_policy(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(500), Reply(200))
    other = FakeSleep()
    per_call = RetryPolicy(retry_statuses={500}, sleep=other, random=highest, backoff_base=2.0)
    with make_client(make_policy(fake_sleep)) as client:
        response = client.get(server.url(), extensions={RETRY_EXTENSION: per_call})
    assert response.status_code == 200
    assert (fake_sleep.waits, other.waits) == ([], [2.0])


@pytest.mark.parametrize("value", ["3", True, 1.5, -1])
def test_an_invalid_extension_is_rejected(
    server: ScriptedServer, fake_sleep: FakeSleep, value: object
) -> None:
    with (
        make_client(make_policy(fake_sleep)) as client,
        pytest.raises(errors.RequestValidationError, match=r"ocp_retry"),
    ):
        client.get(server.url(), extensions={RETRY_EXTENSION: value})
    assert server.seen == []


def test_the_extension_key_is_documented() -> None:
    assert RETRY_EXTENSION == "ocp_retry"


# --- logging ----------------------------------------------------------------------------------


def test_every_retry_is_logged_at_debug_without_secrets(
    server: ScriptedServer, fake_sleep: FakeSleep, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ocp_client.retry")
    server.script(Reply(503), Reply(429), Reply(503))
    with make_client(make_policy(fake_sleep)) as client:
        client.get(
            server.url("/api/v2/ob/clusters/7?accessKey=s3cret-query"),
            headers={"Authorization": "Basic s3cret-header"},
        )
    records = [r for r in caplog.records if r.name == "ocp_client.retry"]
    messages = [r.getMessage() for r in records]
    assert all(r.levelno == logging.DEBUG for r in records)
    assert messages == [
        "GET /api/v2/ob/clusters/7: attempt 1 of 3 failed (HTTP 503); retrying in 0.500 s",
        "GET /api/v2/ob/clusters/7: attempt 2 of 3 failed (HTTP 429); retrying in 1.000 s",
        "GET /api/v2/ob/clusters/7: attempt 3 of 3 failed (HTTP 503); giving up, no retries left",
    ]
    assert not any("s3cret" in message for message in messages)


def test_exception_retries_are_logged_with_the_exception_class(
    fake_sleep: FakeSleep, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ocp_client.retry")
    with (
        make_client(make_policy(fake_sleep, max_retries=1)) as client,
        pytest.raises(httpx.HTTPError),
    ):
        client.get(f"http://127.0.0.1:{closed_port()}/x")
    assert [r.getMessage() for r in caplog.records if r.name == "ocp_client.retry"] == [
        "GET /x: attempt 1 of 2 failed (ConnectError); retrying in 0.500 s",
        "GET /x: attempt 2 of 2 failed (ConnectError); giving up, no retries left",
    ]


# --- async ------------------------------------------------------------------------------------


def make_async_client(policy: RetryPolicy, timeout: float = 5.0) -> httpx.AsyncClient:
    inner = httpx.AsyncHTTPTransport(verify=TLS)
    return httpx.AsyncClient(
        transport=AsyncRetryTransport(transport=inner, policy=policy), timeout=timeout
    )


def test_async_503_503_200_returns_the_200(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(503), Reply(429, headers={"RateLimit-Reset": "2"}), Reply(200))

    async def main() -> httpx.Response:
        async with make_async_client(make_policy(fake_sleep)) as client:
            return await client.get(server.url())

    assert asyncio.run(main()).status_code == 200
    assert fake_sleep.waits == [0.5, 2.0]
    assert len({seen.client_port for seen in server.seen}) == 1


def test_async_exhausted_retries_return_the_last_response(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(503), Reply(503), Reply(503, body=b"last"), Reply(200))

    async def main() -> httpx.Response:
        async with make_async_client(make_policy(fake_sleep)) as client:
            return await client.get(server.url())

    response = asyncio.run(main())
    assert (response.status_code, response.content) == (503, b"last")


def test_async_connect_errors_are_retried_then_raised(fake_sleep: FakeSleep) -> None:
    async def main() -> None:
        async with make_async_client(make_policy(fake_sleep)) as client:
            await client.get(f"http://127.0.0.1:{closed_port()}/api/x")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(main())
    assert fake_sleep.waits == [0.5, 1.0]


def test_async_read_timeout_is_retried_and_post_is_not(
    server: ScriptedServer, fake_sleep: FakeSleep
) -> None:
    server.script(Reply(200, delay=2.0), Reply(200, body=b"late"), Reply(503), Reply(200))

    async def main() -> tuple[httpx.Response, httpx.Response]:
        async with make_async_client(make_policy(fake_sleep), timeout=0.05) as client:
            return await client.get(server.url()), await client.post(server.url(), json={})

    got, posted = asyncio.run(main())
    assert (got.content, posted.status_code) == (b"late", 503)
    assert fake_sleep.waits == [0.5]


def test_async_per_request_override(server: ScriptedServer, fake_sleep: FakeSleep) -> None:
    server.script(Reply(503), Reply(200))

    async def main() -> httpx.Response:
        async with make_async_client(make_policy(fake_sleep)) as client:
            return await client.get(server.url(), extensions={RETRY_EXTENSION: 0})

    assert asyncio.run(main()).status_code == 503
    assert fake_sleep.waits == []


# --- the transports and the policy ------------------------------------------------------------


class ClosingTransport(httpx.HTTPTransport):
    """httpx's own transport, recording how it was closed: httpx closes a client's transport
    with ``__exit__`` at the end of a ``with`` block, with ``close()`` otherwise."""

    closed_by: str | None = None

    def __exit__(self, *args: Any) -> None:
        self.closed_by = "__exit__"
        super().__exit__(*args)

    def close(self) -> None:
        self.closed_by = "close"
        super().close()


class AsyncClosingTransport(httpx.AsyncHTTPTransport):
    closed_by: str | None = None

    async def __aexit__(self, *args: Any) -> None:
        self.closed_by = "__aexit__"
        await super().__aexit__(*args)

    async def aclose(self) -> None:
        self.closed_by = "aclose"
        await super().aclose()


def test_closing_the_client_closes_the_wrapped_transport(server: ScriptedServer) -> None:
    server.script(Reply(200), Reply(200), Reply(200), Reply(200))
    inner = ClosingTransport(verify=TLS)
    with httpx.Client(transport=RetryTransport(transport=inner)) as client:
        assert client.get(server.url()).status_code == 200
    assert inner.closed_by == "__exit__"
    inner = ClosingTransport(verify=TLS)
    client = httpx.Client(transport=RetryTransport(transport=inner))
    assert client.get(server.url()).status_code == 200
    client.close()
    assert inner.closed_by == "close"

    async def main() -> list[str | None]:
        closed = []
        inner = AsyncClosingTransport(verify=TLS)
        async with httpx.AsyncClient(transport=AsyncRetryTransport(transport=inner)) as client:
            assert (await client.get(server.url())).status_code == 200
        closed.append(inner.closed_by)
        inner = AsyncClosingTransport(verify=TLS)
        client = httpx.AsyncClient(transport=AsyncRetryTransport(transport=inner))
        assert (await client.get(server.url())).status_code == 200
        await client.aclose()
        return [*closed, inner.closed_by]

    assert asyncio.run(main()) == ["__aexit__", "aclose"]


def test_the_default_async_sleep_waits(server: ScriptedServer) -> None:
    """The default ``async_sleep`` (asyncio's, imported when first needed) really waits."""
    server.script(Reply(503), Reply(200))
    policy = RetryPolicy(backoff_base=0.001, backoff_max=0.001)

    async def main() -> int:
        async with make_async_client(policy) as client:
            return (await client.get(server.url())).status_code

    assert asyncio.run(main()) == 200
    assert len(server.seen) == 2


def test_default_transports_and_policy() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.backoff_base, policy.backoff_max) == (2, 0.5, 8.0)
    assert policy.max_total_wait == 30.0
    assert policy.retry_statuses == {408, 429, 502, 503, 504}
    assert policy.retry_methods == {"GET", "HEAD", "OPTIONS"}
    with RetryTransport() as transport:
        assert transport.policy == policy
        assert isinstance(transport._transport, httpx.HTTPTransport)
    assert isinstance(AsyncRetryTransport()._transport, httpx.AsyncHTTPTransport)


def test_policy_normalises_sets_and_methods() -> None:
    policy = RetryPolicy(retry_statuses={503}, retry_methods={"get", "put"})
    assert policy.retry_statuses == frozenset({503})
    assert policy.retry_methods == frozenset({"GET", "PUT"})
    assert hash(policy) == hash(RetryPolicy(retry_statuses={503}, retry_methods={"PUT", "GET"}))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        # max_retries and the seconds: tests/test_arguments.py, with every other place that
        # takes them (one rule, errors.RequestValidationError).
        ({"retry_statuses": 503}, TypeError, "retry_statuses must be a set of ints"),
        ({"retry_statuses": {"503"}}, TypeError, "non-int"),
        ({"retry_statuses": {200}}, ValueError, "200 is not an error status"),
        ({"retry_methods": "GET"}, TypeError, "retry_methods must be a set"),
        ({"retry_methods": {"GET", 1}}, TypeError, "non-str"),
        ({"retry_methods": {"GET", "post"}}, ValueError, "POST is not idempotent"),
        ({"retry_methods": {"PATCH"}}, ValueError, "PATCH is not idempotent"),
        ({"sleep": None}, TypeError, "sleep must be callable"),
        ({"random": 0.5}, TypeError, "random must be callable"),
    ],
)
def test_policy_arguments_are_validated(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        RetryPolicy(**kwargs)
