"""The call contract, against a real HTTP server on 127.0.0.1: sync()/asyncio() return the
answer's ``data`` or raise a typed OcpError; *_detailed() return a Response whatever the status;
the one Client, its arguments, and a user's own httpx clients."""

from __future__ import annotations

import asyncio
import datetime
import json
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from packaging.version import Version

import ocp_client
from ocp_client import Client, Page, Response, errors
from ocp_client.auth import OcpAccessKeyAuth
from ocp_client.models import ErrorResponse, ResponseEnvelope
from ocp_client.retry import RetryPolicy, RetryTransport
from tests.local_server import LISTING, TLS, ScriptedServer, error_body

SAMPLE = LISTING.sample
ITEM_ID = LISTING.item_id
START, END = LISTING.period
FAST = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)


def ids(items: Any) -> list[Any]:
    return [getattr(item, ITEM_ID.py_name) for item in items]


SAMPLE_IDS = [item[ITEM_ID.json_name] for item in SAMPLE["data"]["contents"]]


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens, so connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A server that accepts connections (into its backlog) and never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        yield f"http://127.0.0.1:{silent.getsockname()[1]}"


# --- answers ----------------------------------------------------------------------------------


def test_sync_returns_the_data_of_the_answer(client: Client, server: ScriptedServer) -> None:
    page = LISTING.call(client)
    assert isinstance(page, Page)
    assert ids(page.contents) == ids(page) == SAMPLE_IDS and len(page) == len(SAMPLE_IDS)
    assert page.page.total_elements == SAMPLE["data"]["page"]["totalElements"]
    # page and size are the spec's defaults; optional arguments left out are not sent.
    assert server.requests == [LISTING.target()]


def test_optional_arguments_default_to_none(client: Client, server: ScriptedServer) -> None:
    optional = {
        p.py_name: None
        for p in LISTING.operation.parameters
        if not p.required and p.default is None
    }
    assert optional, "the operation has no optional argument to leave out"
    LISTING.call(client, **optional)
    assert server.requests == [LISTING.target()]


def test_asyncio_returns_the_data(server: ScriptedServer) -> None:
    async def main() -> Any:
        async with Client(server.url, verify=TLS) as client:
            return await LISTING.module.asyncio(client=client, **LISTING.path_arguments)

    page = asyncio.run(main())
    assert isinstance(page, Page) and ids(page) == SAMPLE_IDS


def test_sync_detailed_returns_data_envelope_status_and_headers(
    client: Client, server: ScriptedServer
) -> None:
    response = LISTING.call_detailed(client)
    assert isinstance(response, Response)
    assert response.status_code is HTTPStatus.OK
    assert response.content == LISTING.example
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.parsed, Page) and ids(response.parsed) == SAMPLE_IDS
    assert isinstance(response.envelope, ResponseEnvelope)
    assert (response.envelope.trace_id, response.envelope.successful) == (SAMPLE["traceId"], True)
    assert response.error is None


def test_asyncio_detailed_returns_the_response(server: ScriptedServer) -> None:
    server.script.append((404, {}, error_body(404, 10002, "Not found")))

    async def main() -> Any:
        async with Client(server.url, verify=TLS, max_retries=0) as client:
            return await LISTING.module.asyncio_detailed(client=client, **LISTING.path_arguments)

    response = asyncio.run(main())
    assert response.status_code is HTTPStatus.NOT_FOUND and response.parsed is None
    assert isinstance(response.error, ErrorResponse) and response.error.error.code == 10002


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
    client: Client, server: ScriptedServer, status: int, error_class: type[errors.ApiError]
) -> None:
    server.script.append((status, {}, error_body(status, 10001, "Illegal argument: size")))
    with pytest.raises(error_class) as caught:
        LISTING.call(client)
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
    # The same answer, detailed: the error envelope as a model, nothing raised.
    server.script.append((status, {}, error_body(status, 10001, "Illegal argument: size")))
    response = LISTING.call_detailed(client)
    assert (response.status_code, response.parsed, response.envelope) == (status, None, None)
    assert isinstance(response.error, ErrorResponse)
    assert (response.error.error.code, response.error.trace_id) == (10001, "abc123")


def test_rate_limit_error_parses_its_headers(client: Client, server: ScriptedServer) -> None:
    headers = {"RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": "7"}
    headers["Retry-After"] = "7"
    server.script.append((429, headers, error_body(429, 0, "Excessive number of requests.")))
    with pytest.raises(errors.RateLimitError) as caught:
        LISTING.call(client)
    error = caught.value
    assert (error.limit, error.remaining, error.reset, error.retry_after) == (100, 0, 7, 7)


def test_rate_limit_headers_that_are_not_ascii_digits_are_ignored(
    client: Client, server: ScriptedServer
) -> None:
    # Digits to isdigit(), not to int(); and more digits than int() reads (4300).
    headers = {"RateLimit-Reset": "²", "Retry-After": "³", "RateLimit-Limit": "9" * 5000}
    server.script.append((429, headers, error_body(429, 0, "Excessive number of requests.")))
    with pytest.raises(errors.RateLimitError) as caught:
        LISTING.call(client)
    assert (caught.value.reset, caught.value.retry_after, caught.value.limit) == (None, None, None)


def test_html_error_page_gives_a_typed_error_with_an_excerpt(
    client: Client, server: ScriptedServer
) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.script.append((502, {"Content-Type": "text/html"}, page))
    with pytest.raises(errors.ServerError) as caught:
        LISTING.call(client)
    assert "502 Bad Gateway" in caught.value.message and "text/html" in caught.value.message
    assert caught.value.code is None


def test_detailed_keeps_the_raw_response_of_a_body_that_is_no_envelope(
    client: Client, server: ScriptedServer
) -> None:
    server.script.append((502, {"Content-Type": "text/html"}, b"<html>bad gateway</html>"))
    response = LISTING.call_detailed(client)
    assert response.status_code == 502 and response.parsed is None and response.error is None
    assert response.content == b"<html>bad gateway</html>"


def test_detailed_keeps_a_status_httpstatus_does_not_know(
    client: Client, server: ScriptedServer
) -> None:
    server.script.append((520, {"Content-Type": "text/html"}, b"<html>origin error</html>"))
    response = LISTING.call_detailed(client)
    assert response.status_code == 520 and not isinstance(response.status_code, HTTPStatus)
    assert response.parsed is None
    server.script.append((520, {"Content-Type": "text/html"}, b"<html>origin error</html>"))
    with pytest.raises(errors.ServerError) as caught:
        LISTING.call(client)
    assert caught.value.status_code == 520


def test_successful_false_in_a_200_is_an_error(client: Client, server: ScriptedServer) -> None:
    server.script.append((200, {}, error_body(200, 10010, "Unexpected error")))
    with pytest.raises(errors.ApiError) as caught:
        LISTING.call(client)
    assert (caught.value.status_code, caught.value.code) == (200, 10010)
    server.script.append((200, {}, error_body(200, 10010, "Unexpected error")))
    with pytest.raises(errors.ApiError):
        LISTING.call_detailed(client)


def test_invalid_body_raises_validation_error_with_the_response(
    client: Client, server: ScriptedServer
) -> None:
    body = LISTING.sample
    body["data"]["contents"][1][ITEM_ID.json_name] = [1]  # no id of the spec is an array
    server.script.append((200, {}, json.dumps(body).encode()))
    with pytest.raises(errors.ResponseValidationError) as caught:
        LISTING.call(client)
    error = caught.value
    assert error.path == f"data.contents[1].{ITEM_ID.json_name}" and error.value == [1]
    assert (error.status_code, error.trace_id) == (200, SAMPLE["traceId"])
    assert f"HTTP 200, traceId {SAMPLE['traceId']}" in str(error)


def test_an_envelope_that_breaks_the_spec_is_a_validation_error(
    client: Client, server: ScriptedServer
) -> None:
    body = LISTING.sample
    del body["traceId"]
    server.script.append((200, {}, json.dumps(body).encode()))
    with pytest.raises(errors.ResponseValidationError) as caught:
        LISTING.call(client)
    assert caught.value.path == "traceId" and caught.value.missing


@pytest.mark.parametrize(
    ("body", "path", "expected"),
    [
        (b'{"data": {"contents": [', "data.contents[0]", "a JSON value"),
        (b"[" * 100_000, "[0]" * 128, "arrays and objects nested at most 128 deep"),
    ],
    ids=["cut-short", "nested-too-deeply"],
)
def test_an_unreadable_200_body_is_a_validation_error(
    client: Client, server: ScriptedServer, body: bytes, path: str, expected: str
) -> None:
    """Named where it breaks (json.loads raises RecursionError on the nested one, not
    ValueError; tests/test_strict_json.py has the other ways a body is not JSON)."""
    server.script.append((200, {}, body))
    with pytest.raises(errors.ResponseValidationError) as caught:
        LISTING.call(client)
    assert (caught.value.path, caught.value.expected) == (path, expected)
    assert caught.value.status_code == 200
    server.script.append((200, {}, body))
    with pytest.raises(errors.ResponseValidationError):
        LISTING.call_detailed(client)


def test_an_error_body_nested_too_deeply_is_still_its_status_error(
    client: Client, server: ScriptedServer
) -> None:
    server.script.append((500, {}, b"[" * 100_000))
    with pytest.raises(errors.ServerError) as caught:
        LISTING.call(client)
    assert caught.value.status_code == 500 and "not an OCP error body" in caught.value.message
    server.script.append((500, {}, b"[" * 100_000))
    response = LISTING.call_detailed(client)
    assert response.status_code == 500 and response.parsed is None and response.error is None


@pytest.mark.parametrize("status", [201, 203])
def test_a_2xx_the_spec_does_not_list_is_read_by_every_variant(
    client: Client, server: ScriptedServer, status: int
) -> None:
    server.script.append((status, {}, LISTING.example))
    assert ids(LISTING.call(client)) == SAMPLE_IDS
    server.script.append((status, {}, LISTING.example))
    response = LISTING.call_detailed(client)
    assert response.status_code == status and ids(response.parsed) == SAMPLE_IDS
    server.script.append((status, {"Content-Type": "text/html"}, b"<html>a proxy</html>"))
    with pytest.raises(errors.ResponseValidationError):
        LISTING.call_detailed(client)


# --- no answer ----------------------------------------------------------------------------------


def test_connection_refused_is_a_transport_error() -> None:
    with (
        Client(f"http://127.0.0.1:{closed_port()}", verify=TLS, max_retries=0) as client,
        pytest.raises(errors.TransportError) as caught,
    ):
        LISTING.call(client)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert caught.value.request is not None


def test_timeout_is_a_request_timeout_error(silent_url: str) -> None:
    with (
        Client(silent_url, verify=TLS, timeout=0.2, max_retries=0) as client,
        pytest.raises(errors.RequestTimeoutError) as caught,
    ):
        LISTING.call(client)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_per_call_timeout_overrides_the_client(silent_url: str) -> None:
    with (
        Client(silent_url, verify=TLS, max_retries=0) as client,
        pytest.raises(errors.RequestTimeoutError),
    ):
        LISTING.call(client, timeout=0.2)


def test_an_unreadable_compressed_body_is_a_transport_error(
    client: Client, server: ScriptedServer
) -> None:
    server.script.append((200, {"Content-Encoding": "gzip"}, b"not gzip at all"))
    with pytest.raises(errors.TransportError) as caught:
        LISTING.call(client)
    assert isinstance(caught.value.__cause__, httpx.DecodingError)


def test_a_redirect_loop_is_a_transport_error(server: ScriptedServer) -> None:
    server.script += [(302, {}, b"")] * 30
    with (
        Client(server.url, verify=TLS, follow_redirects=True, max_retries=0) as client,
        pytest.raises(errors.TransportError) as caught,
    ):
        LISTING.call(client)
    assert isinstance(caught.value.__cause__, httpx.TooManyRedirects)


# --- arguments on the wire ----------------------------------------------------------------------


def test_aware_times_are_sent_with_an_extended_offset(
    client: Client, server: ScriptedServer
) -> None:
    cst = datetime.timezone(datetime.timedelta(hours=8))
    start = datetime.datetime(2021, 9, 16, 15, 14, 51, 397000, tzinfo=cst)
    LISTING.call(client, **{START: start, END: start})
    raw_query = urlsplit(server.requests[-1]).query
    assert "%2B08%3A00" in raw_query and "+" not in raw_query
    start_name = LISTING.operation.periods[0][0].name
    assert parse_qs(raw_query)[start_name] == ["2021-09-16T15:14:51.397000+08:00"]


def test_path_arguments_are_sent_in_the_path(client: Client, server: ScriptedServer) -> None:
    path = dict.fromkeys(LISTING.path_arguments, 2**63 - 1)
    LISTING.call(client, **path)
    assert server.requests == [LISTING.target(**path)]


# --- retries ------------------------------------------------------------------------------------


def test_client_defaults_are_10s_timeout_and_2_retries(server: ScriptedServer) -> None:
    with Client(server.url, verify=TLS) as client:
        httpx_client = client.get_httpx_client()
        assert httpx_client.timeout == httpx.Timeout(10.0)
        transport = httpx_client._transport  # the RetryTransport the client built
        assert isinstance(transport, RetryTransport) and transport.policy.max_retries == 2


def test_client_retries_idempotent_calls(server: ScriptedServer) -> None:
    server.script += [(503, {}, error_body(503, 0, "busy")), (502, {}, b"<html>proxy</html>")]
    with Client(server.url, verify=TLS, retry_policy=FAST) as client:
        assert ids(LISTING.call(client)) == SAMPLE_IDS
    assert len(server.requests) == 3


def test_per_call_max_retries_overrides_the_client(server: ScriptedServer) -> None:
    server.script.append((503, {}, error_body(503, 0, "busy")))
    with (
        Client(server.url, verify=TLS, retry_policy=FAST) as client,
        pytest.raises(errors.ServerError),
    ):
        LISTING.call(client, max_retries=0)
    assert len(server.requests) == 1


def test_environment_proxies_are_honoured_and_retried(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy from HTTP_PROXY (here the scripted server on 127.0.0.1) carries the request,
    and the proxy's transport retries like the default one."""
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server.script.append((503, {}, error_body(503, 0, "busy")))
    # ocp.invalid is never resolved: the proxy answers for it.
    with Client("http://ocp.invalid:8080", verify=TLS, retry_policy=FAST) as client:
        assert ids(LISTING.call(client)) == SAMPLE_IDS
    assert server.requests == [f"http://ocp.invalid:8080{LISTING.target()}"] * 2


def test_tls_settings_reach_the_transports() -> None:
    with Client("https://ocp.invalid", verify=False) as client:
        transport: Any = client.get_httpx_client()._transport
        assert isinstance(transport, RetryTransport)
        inner: Any = transport._transport  # the httpx.HTTPTransport httpx built from verify=
        assert inner._pool._ssl_context.verify_mode == ssl.CERT_NONE


# --- a user's own httpx clients -----------------------------------------------------------------


def test_a_user_s_httpx_client_gets_retries_and_the_content_type(server: ScriptedServer) -> None:
    seen: list[str] = []
    hooks = {"request": [lambda request: seen.append(request.url.path)]}
    server.script.append((503, {}, error_body(503, 0, "busy")))
    own = httpx.Client(
        base_url=server.url, headers={"X-Team": "dba"}, event_hooks=hooks, verify=TLS
    )
    with Client(httpx_client=own, retry_policy=FAST) as client:
        assert client.get_httpx_client() is own
        assert ids(LISTING.call(client)) == SAMPLE_IDS
    assert len(server.requests) == 2, "the 503 was not retried"
    assert [h["Content-Type"] for h in server.headers] == ["application/json"] * 2
    assert all(h["X-Team"] == "dba" for h in server.headers), "the user's header was dropped"
    assert len(seen) == 1, "the user's event hook did not run (once per call, not per attempt)"
    assert own.is_closed


def test_a_user_s_async_httpx_client_gets_retries(server: ScriptedServer) -> None:
    server.script.append((502, {}, b"<html>proxy</html>"))

    async def main() -> Any:
        own = httpx.AsyncClient(base_url=server.url, verify=TLS)
        async with Client(async_httpx_client=own, retry_policy=FAST) as client:
            return await LISTING.module.asyncio(client=client, **LISTING.path_arguments)

    assert ids(asyncio.run(main())) == SAMPLE_IDS
    assert len(server.requests) == 2
    assert server.headers[-1]["Content-Type"] == "application/json"


def test_what_client_is_given_applies_to_a_user_s_client(server: ScriptedServer) -> None:
    own = httpx.Client(
        base_url="http://elsewhere.invalid", headers={"Content-Type": "x/y"}, verify=TLS
    )
    with Client(
        server.url, httpx_client=own, auth=httpx.BasicAuth("admin", "pw"), timeout=3,
        headers={"X-Team": "dba"}, max_retries=0,
    ) as client:  # fmt: skip
        LISTING.call(client)
        assert own.timeout == httpx.Timeout(3)
    (headers,) = server.headers
    assert headers["Content-Type"] == "x/y", "the user's own Content-Type was replaced"
    assert headers["X-Team"] == "dba" and headers["Authorization"].startswith("Basic ")


def test_a_user_s_client_that_has_sent_requests_already_is_adopted(
    server: ScriptedServer,
) -> None:
    own = httpx.Client(base_url=server.url, verify=TLS)
    own.get("/before")
    with Client(httpx_client=own, max_retries=0) as client:
        assert ids(LISTING.call(client)) == SAMPLE_IDS
    assert server.requests == ["/before", LISTING.target()]


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"verify": False}, "verify"),
        ({"httpx_args": {"limits": httpx.Limits()}}, "httpx_args"),
    ],
)
def test_what_cannot_change_a_user_s_client_is_refused(
    options: dict[str, Any], argument: str
) -> None:
    with httpx.Client(verify=TLS) as own, pytest.raises(errors.RequestValidationError) as caught:
        Client("http://ocp:8080", httpx_client=own, **options)
    assert caught.value.argument == argument and "httpx_client" in str(caught.value)


def test_a_closed_user_client_is_refused() -> None:
    own = httpx.Client(verify=TLS)
    own.close()
    with pytest.raises(errors.RequestValidationError) as caught:
        Client("http://ocp:8080", httpx_client=own)
    assert caught.value.argument == "httpx_client" and "closed" in str(caught.value)


# --- the Client -------------------------------------------------------------------------------

BAD_CLIENT_ARGUMENTS: list[tuple[dict[str, Any], str]] = [
    ({"base_url": None}, "base_url"),
    ({"base_url": b"http://ocp:8080"}, "base_url"),
    ({"base_url": "ocp:8080"}, "base_url"),  # no scheme: "ocp" would be the scheme
    ({"base_url": "ftp://ocp"}, "base_url"),
    ({"base_url": "http://"}, "base_url"),
    ({"auth": ("admin", "pw")}, "auth"),
    ({"timeout": 0}, "timeout"),
    ({"timeout": "10"}, "timeout"),
    ({"timeout": float("nan")}, "timeout"),
    ({"max_retries": -1}, "max_retries"),
    ({"max_retries": True}, "max_retries"),
    ({"retry_policy": 3}, "retry_policy"),
    ({"retry_policy": RetryPolicy(), "max_retries": 1}, "max_retries"),
    ({"headers": [("X-A", "1")]}, "headers"),
    ({"headers": {"X-A": 1}}, "headers"),
    ({"cookies": "a=1"}, "cookies"),
    ({"verify": 0}, "verify"),
    ({"verify": "/no/such/ca-bundle.pem"}, "verify"),
    ({"follow_redirects": "yes"}, "follow_redirects"),
    ({"httpx_client": httpx.AsyncClient(verify=TLS)}, "httpx_client"),
    ({"async_httpx_client": httpx.Client(verify=TLS)}, "async_httpx_client"),
    ({"httpx_args": {"headers": {"X-A": "1"}}}, "httpx_args['headers']"),
    ({"httpx_args": {"no_such_option": 1}}, "httpx_args['no_such_option']"),
]


@pytest.mark.parametrize(
    ("changes", "argument"), BAD_CLIENT_ARGUMENTS, ids=[a for _, a in BAD_CLIENT_ARGUMENTS]
)
def test_client_arguments_are_checked_naming_the_argument(
    changes: dict[str, Any], argument: str
) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        Client(**{"base_url": "http://ocp:8080", **changes})
    assert caught.value.argument == argument
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    "client",
    [
        Client("http://ocp:8080", auth=OcpAccessKeyAuth("AK1", "s3cret-key")),
        Client("http://ocp:8080", auth=httpx.BasicAuth("admin", "s3cret-pw")),
        Client("http://admin:s3cret-pw@ocp:8080/"),
    ],
    ids=["accesskey", "basic", "password-in-url"],
)
def test_client_repr_never_shows_a_secret(client: Client) -> None:
    for text in (repr(client), str(client)):
        assert "s3cret" not in text and text.startswith("Client(base_url=")


def test_client_repr_names_the_address_and_the_auth() -> None:
    client = Client("http://admin:pw@ocp:8080/", auth=OcpAccessKeyAuth("AK1", "s3cret-key"))
    assert repr(client) == "Client(base_url='http://admin:***@ocp:8080/', auth=OcpAccessKeyAuth)"
    assert repr(Client("http://ocp:8080")) == "Client(base_url='http://ocp:8080', auth=None)"


ENV = {"OCP_URL": "http://ocp:8080"}


def test_from_env_prefers_the_access_key() -> None:
    environ = {
        **ENV,
        "OCP_ACCESS_KEY_ID": "AK1", "OCP_ACCESS_KEY_SECRET": "s3cret",
        "OCP_USERNAME": "admin", "OCP_PASSWORD": "pw",
    }  # fmt: skip
    with Client.from_env(environ, max_retries=0, verify=TLS) as client:
        assert client.base_url == "http://ocp:8080" and client.retry_policy.max_retries == 0
        auth = client.get_httpx_client().auth
    assert isinstance(auth, OcpAccessKeyAuth) and auth.access_key_id == "AK1"


def test_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OCP_ACCESS_KEY_ID", "OCP_ACCESS_KEY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OCP_URL", "https://ocp.example.net")
    monkeypatch.setenv("OCP_USERNAME", "admin")
    monkeypatch.setenv("OCP_PASSWORD", "pw")
    with Client.from_env(verify=TLS) as client:
        assert client.base_url == "https://ocp.example.net"
        assert isinstance(client.get_httpx_client().auth, httpx.BasicAuth)


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({}, "OCP_URL"),
        ({"OCP_URL": ""}, "OCP_URL"),
        ({"OCP_URL": "ocp:8080"}, "OCP_URL"),
        ({**ENV, "OCP_ACCESS_KEY_ID": "AK1"}, "OCP_ACCESS_KEY_SECRET"),
        ({**ENV, "OCP_ACCESS_KEY_SECRET": "s3cret"}, "OCP_ACCESS_KEY_ID"),
        ({**ENV, "OCP_USERNAME": "admin", "OCP_PASSWORD": ""}, "OCP_PASSWORD"),
        ({**ENV, "OCP_ACCESS_KEY_ID": "A K", "OCP_ACCESS_KEY_SECRET": "s3cret"},
         "OCP_ACCESS_KEY_ID"),
    ],
)  # fmt: skip
def test_from_env_errors_name_the_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(errors.RequestValidationError) as caught:
        Client.from_env(environ)
    assert caught.value.argument == variable and "s3cret" not in str(caught.value)


def test_importing_an_operation_does_not_import_asyncio() -> None:
    """asyncio (and the thread pool) cost every import about 15 ms, and only async callers and
    concurrent walks need them: the runtime imports them when first used."""
    probe = (
        f"import sys, {LISTING.module.__name__}; "
        "print(sorted({'asyncio', 'concurrent.futures'} & set(sys.modules)))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60
    )
    assert found.stdout.strip() == "[]"


def test_importing_the_package_does_not_import_httpx() -> None:
    """``import ocp_client`` is cheap (the ``ocp-backup`` command's --help starts with it):
    ``Client``, like ``Page`` and ``Response``, is imported on first use, and is then the
    client module's own."""
    probe = (
        "import sys, ocp_client; before = 'httpx' in sys.modules; "
        "from ocp_client import Client; from ocp_client.client import Client as Own; "
        "print(before, 'httpx' in sys.modules, Client is Own is ocp_client.Client)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60
    )
    assert found.stdout.split() == ["False", "True", "True"]


def test_the_package_surface() -> None:
    assert str(Version(ocp_client.__version__)) == ocp_client.__version__  # PEP 440, normalised
    assert "AuthenticatedClient" not in dir(ocp_client) + dir(ocp_client.client)
    assert not hasattr(Client, "set_httpx_client")
    assert "Page" in ocp_client.__all__ and ocp_client.Page is Page
    assert {"Client", "Page", "Response"} <= set(dir(ocp_client))  # lazy, and listed


def test_the_defaults_and_environment_names_are_defined_once() -> None:
    """In ``ocp_client._config``: the client and the command read them from there."""
    from ocp_client import _config
    from ocp_client.cli import config

    assert ocp_client.client.ENVIRONMENT is _config.ENVIRONMENT
    client_module = ocp_client.client
    assert client_module.DEFAULT_MAX_RETRIES is _config.DEFAULT_MAX_RETRIES
    assert client_module.DEFAULT_DEADLINE is _config.DEFAULT_DEADLINE
    assert client_module.DEFAULT_TIMEOUT.read == _config.DEFAULT_TIMEOUT_SECONDS
    assert config.DEFAULT_REQUEST_TIMEOUT is _config.DEFAULT_TIMEOUT_SECONDS
    names = [config.ENV_URL, config.ENV_ACCESS_KEY_ID, config.ENV_ACCESS_KEY_SECRET,
             config.ENV_USERNAME, config.ENV_PASSWORD]  # fmt: skip
    assert names == list(_config.ENVIRONMENT.values())
