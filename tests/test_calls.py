"""The call contract, against a real HTTP server on 127.0.0.1: sync()/asyncio() return the model
or raise a typed OcpError; *_detailed() return the raw Response; bad arguments fail early."""

from __future__ import annotations

import asyncio
import datetime
import json
import socket
import ssl
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ocp_client import Client, errors
from ocp_client.api.backup import list_data_backup_tasks
from ocp_client.models import DataBackupHistoryWrapperTaskPageResponse, ErrorResponse
from ocp_client.retry import RetryPolicy, RetryTransport
from tests.conftest import REFERENCE_SAMPLE
from tests.local_server import serving

SAMPLE = REFERENCE_SAMPLE.read_bytes()


def envelope(status: int, code: int, message: str) -> bytes:
    return json.dumps(
        {"duration": 1,
         "error": {"code": code, "message": message, "subErrors": [{"field": "size"}]},
         "server": "s1", "status": status, "successful": False,
         "timestamp": "2021-09-23T11:03:24.945+08:00", "traceId": "abc123"}
    ).encode()  # fmt: skip


class Scripted(BaseHTTPRequestHandler):
    """Answers each request with the server's next scripted (status, headers, body)."""

    def do_GET(self) -> None:
        server: Any = self.server
        server.requests.append(self.path)
        status, headers, body = server.script.pop(0) if server.script else (200, {}, SAMPLE)
        if status == 302:  # a redirect loop: back to the same URL
            headers = {"Location": self.path}
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Any]:
    httpd: Any = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    httpd.script, httpd.requests = [], []
    with serving(httpd):
        yield httpd


@pytest.fixture
def client(server: Any) -> Iterator[Client]:
    """A client without retries: each scripted answer reaches the caller as it is."""
    base_url = f"http://127.0.0.1:{server.server_port}"
    with Client(base_url=base_url, timeout=httpx.Timeout(5), max_retries=0) as c:
        yield c


def call(client: Client) -> DataBackupHistoryWrapperTaskPageResponse:
    return list_data_backup_tasks.sync(1000005, client=client, page=1, size=10)


def test_sync_returns_the_model(client: Client, server: Any) -> None:
    page = call(client)
    assert [task.task_id for task in page.data.contents] == [23, 22, 21]
    assert server.requests == [
        "/api/v2/ob/clusters/1000005/backup/task/dataBackupTasks?page=1&size=10"
    ]


def test_asyncio_returns_the_model(server: Any) -> None:
    async def main() -> DataBackupHistoryWrapperTaskPageResponse:
        base_url = f"http://127.0.0.1:{server.server_port}"
        async with Client(base_url=base_url) as client:
            return await list_data_backup_tasks.asyncio(1000005, client=client, page=1, size=10)

    assert asyncio.run(main()).data.page.total_pages == 1


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (415, errors.ApiError),
        (500, errors.ServerError),
        (503, errors.ServerError),
    ],
)
def test_error_statuses_raise_their_class(
    client: Client, server: Any, status: int, error_class: type[errors.ApiError]
) -> None:
    server.script.append((status, {}, envelope(status, 10001, "Illegal argument: size")))
    with pytest.raises(error_class) as caught:
        call(client)
    error = caught.value
    assert type(error) is error_class
    assert (error.status_code, error.code, error.message) == (
        status,
        10001,
        "Illegal argument: size",
    )
    assert error.trace_id == "abc123" and error.sub_errors == [{"field": "size"}]
    assert error.response is not None and error.response.status_code == status
    assert str(error) == f"HTTP {status} code 10001: Illegal argument: size (traceId abc123)"


def test_rate_limit_error_parses_its_headers(client: Client, server: Any) -> None:
    headers = {"RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": "7"}
    server.script.append((429, headers, envelope(429, 0, "Excessive number of requests.")))
    with pytest.raises(errors.RateLimitError) as caught:
        call(client)
    assert (caught.value.limit, caught.value.remaining, caught.value.reset) == (100, 0, 7)


def test_html_error_page_gives_a_typed_error_with_an_excerpt(client: Client, server: Any) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.script.append((502, {"Content-Type": "text/html"}, page))
    with pytest.raises(errors.ServerError) as caught:
        call(client)
    assert "502 Bad Gateway" in caught.value.message and "text/html" in caught.value.message
    assert caught.value.code is None


def test_detailed_keeps_the_raw_response_even_for_html(client: Client, server: Any) -> None:
    server.script.append((502, {"Content-Type": "text/html"}, b"<html>bad gateway</html>"))
    response = list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)
    assert response.status_code == 502 and response.parsed is None
    assert response.content == b"<html>bad gateway</html>"
    server.script.append((404, {}, envelope(404, 10002, "Not found")))
    response = list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)
    assert isinstance(response.parsed, ErrorResponse) and response.parsed.error.code == 10002


def test_successful_false_in_a_200_is_an_error(client: Client, server: Any) -> None:
    body = json.loads(envelope(200, 10010, "Unexpected error"))
    server.script.append((200, {}, json.dumps(body).encode()))
    with pytest.raises(errors.ApiError) as caught:
        call(client)
    assert (caught.value.status_code, caught.value.code) == (200, 10010)


def test_invalid_body_raises_validation_error_with_the_response(
    client: Client, server: Any
) -> None:
    body = json.loads(SAMPLE)
    body["data"]["contents"][1]["taskId"] = "22"
    server.script.append((200, {}, json.dumps(body).encode()))
    with pytest.raises(errors.ResponseValidationError) as caught:
        call(client)
    error = caught.value
    assert error.path == "data.contents[1].taskId"
    assert (error.status_code, error.trace_id) == (200, "975e0a8a452e4ab7")
    assert "HTTP 200, traceId 975e0a8a452e4ab7" in str(error)


def test_non_json_200_is_a_validation_error(client: Client, server: Any) -> None:
    server.script.append((200, {}, b'{"data": {"contents": ['))
    with pytest.raises(errors.ResponseValidationError) as caught:
        call(client)
    assert caught.value.path == "$" and caught.value.expected == "a JSON body"


DEEPLY_NESTED = b"[" * 100_000  # json.loads raises RecursionError on it, not ValueError


def test_a_body_nested_too_deeply_is_a_validation_error(client: Client, server: Any) -> None:
    server.script.append((200, {}, DEEPLY_NESTED))
    with pytest.raises(errors.ResponseValidationError) as caught:
        call(client)
    assert caught.value.path == "$" and caught.value.expected == "a JSON body"


def test_an_error_body_nested_too_deeply_is_still_its_status_error(
    client: Client, server: Any
) -> None:
    server.script.append((500, {}, DEEPLY_NESTED))
    with pytest.raises(errors.ServerError) as caught:
        call(client)
    assert caught.value.status_code == 500 and "not an OCP error body" in caught.value.message
    server.script.append((500, {}, DEEPLY_NESTED))
    response = list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)
    assert response.status_code == 500 and response.parsed is None


def test_rate_limit_headers_that_are_not_ascii_digits_are_ignored(
    client: Client, server: Any
) -> None:
    # Digits to isdigit(), not to int(); and more digits than int() reads (4300).
    headers = {"RateLimit-Reset": "²", "Retry-After": "³", "RateLimit-Limit": "9" * 5000}
    server.script.append((429, headers, envelope(429, 0, "Excessive number of requests.")))
    with pytest.raises(errors.RateLimitError) as caught:
        call(client)
    assert (caught.value.reset, caught.value.retry_after, caught.value.limit) == (None, None, None)


def test_connection_refused_is_a_transport_error() -> None:
    with socket.socket() as probe:  # a port on 127.0.0.1 that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        Client(base_url=f"http://127.0.0.1:{port}") as client,
        pytest.raises(errors.TransportError) as caught,
    ):
        call(client)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_timeout_is_a_request_timeout_error(server: Any) -> None:
    silent = socket.socket()  # accepts connections (backlog) but never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        base_url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with (
            Client(base_url=base_url, timeout=httpx.Timeout(0.2)) as client,
            pytest.raises(errors.RequestTimeoutError),
        ):
            call(client)
    finally:
        silent.close()


def test_aware_times_are_sent_with_an_extended_offset(client: Client, server: Any) -> None:
    cst = datetime.timezone(datetime.timedelta(hours=8))
    start = datetime.datetime(2021, 9, 16, 15, 14, 51, 397000, tzinfo=cst)
    list_data_backup_tasks.sync(
        1, client=client, page=1, size=10, start_time=start, end_time=start, backup_set_id=23
    )
    raw_query = urlsplit(server.requests[-1]).query
    assert "%2B08%3A00" in raw_query and "+" not in raw_query
    assert parse_qs(raw_query)["startTime"] == ["2021-09-16T15:14:51.397000+08:00"]


def test_naive_times_are_refused_before_any_request(client: Client, server: Any) -> None:
    naive = datetime.datetime(2021, 9, 16, 15, 14, 51)
    with pytest.raises(errors.RequestValidationError) as caught:
        list_data_backup_tasks.sync(1, client=client, page=1, size=10, start_time=naive)
    assert caught.value.argument == "start_time"
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, errors.OcpError)
    assert server.requests == []


def test_client_defaults_are_10s_timeout_and_2_retries(server: Any) -> None:
    with Client(base_url=f"http://127.0.0.1:{server.server_port}") as client:
        httpx_client = client.get_httpx_client()
        assert httpx_client.timeout == httpx.Timeout(10.0)
        transport: Any = httpx_client._transport  # the RetryTransport the client built
        assert transport.policy.max_retries == 2


def test_client_retries_idempotent_calls(server: Any) -> None:
    fast = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)
    base_url = f"http://127.0.0.1:{server.server_port}"
    server.script += [(503, {}, envelope(503, 0, "busy")), (502, {}, b"<html>proxy</html>")]
    with Client(base_url=base_url, retry_policy=fast) as client:
        assert call(client).data.page.total_elements == 3
    assert len(server.requests) == 3


def test_per_call_max_retries_overrides_the_client(server: Any) -> None:
    fast = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)
    base_url = f"http://127.0.0.1:{server.server_port}"
    server.script.append((503, {}, envelope(503, 0, "busy")))
    with Client(base_url=base_url, retry_policy=fast) as client, pytest.raises(errors.ServerError):
        list_data_backup_tasks.sync(1, client=client, page=1, size=10, max_retries=0)
    assert len(server.requests) == 1


def test_per_call_timeout_overrides_the_client() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        base_url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with (
            Client(base_url=base_url, max_retries=0) as client,
            pytest.raises(errors.RequestTimeoutError),
        ):
            list_data_backup_tasks.sync(1, client=client, page=1, size=10, timeout=0.2)
    finally:
        silent.close()


def test_detailed_raises_typed_errors_for_a_bad_2xx_body(client: Client, server: Any) -> None:
    server.script.append((200, {}, b'{"data": {"contents": ['))
    with pytest.raises(errors.ResponseValidationError) as caught:
        list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)
    assert caught.value.path == "$" and caught.value.status_code == 200
    server.script.append((200, {}, envelope(200, 10010, "Unexpected error")))
    with pytest.raises(errors.ApiError):
        list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)


def test_detailed_keeps_a_status_httpstatus_does_not_know(client: Client, server: Any) -> None:
    server.script.append((520, {"Content-Type": "text/html"}, b"<html>origin error</html>"))
    response = list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)
    assert response.status_code == 520 and response.parsed is None
    server.script.append((520, {"Content-Type": "text/html"}, b"<html>origin error</html>"))
    with pytest.raises(errors.ServerError) as caught:
        call(client)
    assert caught.value.status_code == 520


def test_an_unreadable_compressed_body_is_a_transport_error(client: Client, server: Any) -> None:
    server.script.append((200, {"Content-Encoding": "gzip"}, b"not gzip at all"))
    with pytest.raises(errors.TransportError) as caught:
        call(client)
    assert isinstance(caught.value.__cause__, httpx.DecodingError)


def test_a_redirect_loop_is_a_transport_error(server: Any) -> None:
    base_url = f"http://127.0.0.1:{server.server_port}"
    server.script += [(302, {}, b"")] * 30
    with (
        Client(base_url=base_url, follow_redirects=True, max_retries=0) as client,
        pytest.raises(errors.TransportError) as caught,
    ):
        call(client)
    assert isinstance(caught.value.__cause__, httpx.TooManyRedirects)


def test_environment_proxies_are_honoured_and_retried(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy from HTTP_PROXY (here the scripted server on 127.0.0.1) carries the request,
    and the proxy's transport retries like the default one."""
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    fast = RetryPolicy(max_retries=1, backoff_base=0.001, backoff_max=0.01)
    server.script.append((503, {}, envelope(503, 0, "busy")))
    # ocp.invalid is never resolved: the proxy answers for it.
    with Client(base_url="http://ocp.invalid:8080", retry_policy=fast) as client:
        assert call(client).data.page.total_elements == 3
    assert len(server.requests) == 2
    assert all(path.startswith("http://ocp.invalid:8080/api/v2/") for path in server.requests)


def test_tls_settings_reach_the_transports() -> None:
    with Client(base_url="https://ocp.invalid", verify_ssl=False) as client:
        transport: Any = client.get_httpx_client()._transport
        assert isinstance(transport, RetryTransport)
        inner: Any = transport._transport  # the httpx.HTTPTransport httpx built from verify=
        assert inner._pool._ssl_context.verify_mode == ssl.CERT_NONE


@pytest.mark.parametrize("status", [201, 203])
def test_a_2xx_the_spec_does_not_list_is_read_by_every_variant(
    client: Client, server: Any, status: int
) -> None:
    server.script.append((status, {}, SAMPLE))
    assert call(client).data.page.total_elements == 3
    server.script.append((status, {}, SAMPLE))
    response = list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)
    assert response.status_code == status
    assert isinstance(response.parsed, DataBackupHistoryWrapperTaskPageResponse)
    server.script.append((status, {"Content-Type": "text/html"}, b"<html>a proxy</html>"))
    with pytest.raises(errors.ResponseValidationError):
        list_data_backup_tasks.sync_detailed(1, client=client, page=1, size=10)
