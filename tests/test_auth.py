"""``ocp_client.auth.OcpAccessKeyAuth``: the published test vectors, and real round trips to a
local server that verifies signatures with its own implementation (``tests/signing_server.py``).
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ocp_client import Client
from ocp_client.auth import SCHEME, OcpAccessKeyAuth, canonical_query, string_to_sign
from ocp_client.retry import RetryPolicy
from tests.local_server import LISTING, TLS
from tests.signing_server import Received, SigningServer, running_server

# The published test vectors' key pair and host (ocp-doc V4.2.2, 300.ak-sk-sign-roles.md).
AK = "cqammmxBpfGjFlto"
SK = "2fc0c299cc94c6be266f2ceece765d4d"
VECTOR_HOST = "http://ocp.alibaba.net:8080"
VECTOR_1_BODY = b'{"name":"test01","description":"test","regionId":1}'
VECTOR_1_DATE = "Tue, 17 Jan 2023 09:13:57 GMT"
VECTOR_2_DATE = "Tue, 17 Jan 2023 04:14:02 GMT"

CST = datetime.timezone(datetime.timedelta(hours=8))
OFFSET_TIME = datetime.datetime(2021, 9, 16, 15, 14, 51, 397000, tzinfo=CST)
RFC_1123_GMT = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")


def signed(request: httpx.Request, auth: httpx.Auth | None = None) -> httpx.Request:
    """``request`` after the sync auth flow, as httpx runs it (body read first)."""
    flow = (auth or OcpAccessKeyAuth(AK, SK)).sync_auth_flow(request)
    result = next(flow)
    flow.close()
    return result


def signature_of(request: httpx.Request) -> str:
    scheme, _, credentials = request.headers["Authorization"].partition(" ")
    key_id, _, signature = credentials.partition(":")
    assert (scheme, key_id) == (SCHEME, AK)
    return signature


# --- The published test vectors -------------------------------------------------------------


@pytest.mark.parametrize(
    "ocp_headers",
    [
        [("x-ocp-data", "A,1")],  # as published
        [("X-OCP-Data", "A,1")],  # another spelling of the name: sent and signed lower-cased
        [("x-ocp-data", "A"), ("x-ocp-data", "1")],  # two values, joined in the order sent
    ],
    ids=["as-published", "upper-case-name", "two-values"],
)
def test_vector_1_post_with_body_and_x_ocp_header(ocp_headers: list[tuple[str, str]]) -> None:
    request = httpx.Request(
        "POST",
        f"{VECTOR_HOST}/api/v2/compute/idcs",
        content=VECTOR_1_BODY,
        headers=[("Content-Type", "application/json"), ("Date", VECTOR_1_DATE), *ocp_headers],
    )

    result = signed(request)

    assert string_to_sign(result) == (
        "POST\n186974DB33A090A16D3E2CA35F547B56\napplication/json\n"
        f"{VECTOR_1_DATE}\nocp.alibaba.net:8080\nx-ocp-data:A,1\n/api/v2/compute/idcs"
    )
    assert signature_of(result) == "XN8P+O+v3vUabB16ZCooq5wMJoY="
    sent_names = [name for name, _ in result.headers.raw if name.lower().startswith(b"x-ocp")]
    assert sent_names == [b"x-ocp-data"] * len(ocp_headers)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (f"{VECTOR_HOST}/api/v2/compute/idcs?size=100", None),
        (f"{VECTOR_HOST}/api/v2/compute/idcs", {"size": 100}),
    ],
    ids=["query-in-url", "params"],
)
def test_vector_2_get_with_query(url: str, params: dict[str, int] | None) -> None:
    request = httpx.Request(
        "GET",
        url,
        params=params,
        headers={"Content-Type": "application/json;charset=utf-8", "Date": VECTOR_2_DATE},
    )

    result = signed(request)

    assert string_to_sign(result) == (
        "GET\n\napplication/json;charset=utf-8\n"
        f"{VECTOR_2_DATE}\nocp.alibaba.net:8080\n\n/api/v2/compute/idcs?size=100"
    )
    assert signature_of(result) == "TsQD6HDOuZuJ409m0wdnZPmijlc="


def test_values_of_one_header_are_signed_in_the_order_sent() -> None:
    """The order of the values of one header is part of the message, so it is not sorted."""
    request = httpx.Request(
        "POST",
        f"{VECTOR_HOST}/api/v2/compute/idcs",
        content=VECTOR_1_BODY,
        headers=[
            ("Content-Type", "application/json"),
            ("Date", VECTOR_1_DATE),
            ("x-ocp-data", "1"),
            ("x-ocp-data", "A"),
        ],
    )

    assert signature_of(signed(request)) != "XN8P+O+v3vUabB16ZCooq5wMJoY="


# --- The string to sign ---------------------------------------------------------------------


def test_x_ocp_headers_are_sorted_by_name_and_others_ignored() -> None:
    request = httpx.Request(
        "GET",
        "http://ocp.example.net/api",
        headers=[
            ("X-Ocp-Zeta", "z"),
            ("x-ocpalpha", "a"),  # the prefix is "x-ocp", not "x-ocp-"
            ("X-Other", "o"),
            ("Date", VECTOR_2_DATE),
        ],
    )

    fields = string_to_sign(signed(request)).split("\n")

    assert fields[4] == "ocp.example.net"  # no port when the URL has none
    assert fields[5:7] == ["x-ocp-zeta:z", "x-ocpalpha:a"]
    assert fields[7] == "/api"


def test_no_body_and_empty_body_sign_an_empty_md5_field() -> None:
    for request in (
        httpx.Request("GET", "http://h/p"),
        httpx.Request("POST", "http://h/p", content=b""),
    ):
        assert string_to_sign(signed(request)).split("\n")[1] == ""


def test_body_md5_is_upper_case_hex_of_the_raw_bytes() -> None:
    body = '{"name": "集群"}'.encode()
    request = signed(httpx.Request("PUT", "http://h/p", content=body))

    assert string_to_sign(request).split("\n")[1] == hashlib.md5(body).hexdigest().upper()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("size=100&page=1", "page=1&size=100"),
        ("t=2021-09-16T15%3A14%3A51.397%2B08%3A00", "t=2021-09-16T15%3A14%3A51.397%2B08%3A00"),
        ("t=2021-09-16T15:14:51.397%2b08:00", "t=2021-09-16T15%3A14%3A51.397%2B08%3A00"),
        ("q=a+b&r=a%20b", "q=a%20b&r=a%20b"),  # "+" in a query is a space
        ("name=%E9%9B%86%E7%BE%A4", "name=%E9%9B%86%E7%BE%A4"),
        ("k=-._~*'()!", "k=-._~%2A%27%28%29%21"),
        ("empty=&bare&size=1", "size=1"),
        ("id=3&id=1&a=2&id=2", "a=2&id=3&id=1&id=2"),  # one key's values keep their order
        ("=x&&size=1", "=x&size=1"),
        ("", ""),
        ("empty=", ""),
    ],
)
def test_canonical_query(query: str, expected: str) -> None:
    assert canonical_query(query) == expected
    assert canonical_query(query.encode("ascii")) == expected
    assert canonical_query(expected) == expected  # the canonical form is a fixed point


# --- The query on the wire ------------------------------------------------------------------


def test_the_query_sent_is_the_query_signed() -> None:
    request = httpx.Request(
        "GET",
        "http://h:1/api/items",
        params=[
            ("startTime", OFFSET_TIME.isoformat()),
            ("name", "a b"),
            ("label", "集群"),
            ("empty", ""),
            ("id", "2"),
            ("id", "1"),
        ],
    )
    assert b"+" in request.url.raw_path  # what httpx writes for the space, before signing

    result = signed(request)

    target = result.url.raw_path.decode("ascii")
    assert target == (
        "/api/items?id=2&id=1&label=%E9%9B%86%E7%BE%A4&name=a%20b"
        "&startTime=2021-09-16T15%3A14%3A51.397000%2B08%3A00"
    )
    assert string_to_sign(result).split("\n")[-1] == target


def test_a_query_of_empty_values_is_not_sent() -> None:
    for url in ("http://h/p?", "http://h/p?empty=", "http://h/p?&"):
        result = signed(httpx.Request("GET", url))
        assert result.url.raw_path == b"/p"
        assert string_to_sign(result).split("\n")[-1] == "/p"


# --- Date and Content-Type ------------------------------------------------------------------


def test_date_is_set_when_absent() -> None:
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    result = signed(httpx.Request("GET", "http://h/p"))
    after = datetime.datetime.now(datetime.UTC)

    date = result.headers["Date"]
    assert RFC_1123_GMT.fullmatch(date)
    sent = parsedate_to_datetime(date)
    assert sent.utcoffset() == datetime.timedelta(0)
    assert before <= sent <= after
    assert string_to_sign(result).split("\n")[3] == date


def test_date_is_kept_when_present() -> None:
    result = signed(httpx.Request("GET", "http://h/p", headers={"date": VECTOR_2_DATE}))

    assert result.headers.get_list("Date") == [VECTOR_2_DATE]


def test_content_type_defaults_to_json_even_on_get() -> None:
    result = signed(httpx.Request("GET", "http://h/p"))

    assert result.headers.get_list("Content-Type") == ["application/json"]
    assert string_to_sign(result).split("\n")[2] == "application/json"


def test_content_type_is_kept_when_present() -> None:
    request = httpx.Request("POST", "http://h/p", content=b"a=1", headers={"content-type": "x/y"})

    result = signed(request)

    assert result.headers.get_list("Content-Type") == ["x/y"]
    assert string_to_sign(result).split("\n")[2] == "x/y"


# --- Round trips to a verifying server ------------------------------------------------------


@pytest.fixture
def server() -> Iterator[SigningServer]:
    with running_server({AK: SK}) as running:
        yield running


# Query parameters that a naive encoding gets wrong, and what the server must decode.
AWKWARD_PARAMS: tuple[tuple[str, str], ...] = (
    ("startTime", "2021-09-16T15:14:51.397+08:00"),
    ("endTime", OFFSET_TIME.isoformat()),
    ("name", "backup task 1"),
    ("label", "集群-é"),
    ("empty", ""),
    ("id", "7"),
    ("id", "3"),
    ("plus", "1+1=2"),
)
# Sorted by key (a stable sort: one key's values keep their order), empty values left out.
EXPECTED_DECODED = sorted(((k, v) for k, v in AWKWARD_PARAMS if v), key=lambda kv: kv[0])
OCP_HEADERS = [("X-OCP-Origin", "sdk"), ("x-ocp-trace", "b"), ("x-ocp-trace", "a")]


def assert_verified(server: SigningServer, response: httpx.Response) -> dict[str, Any]:
    received = server.last()
    assert received.verified, received.string_to_sign
    assert response.status_code == 200
    echo: dict[str, Any] = response.json()
    return echo


def assert_offset_encoded(target: str) -> None:
    _, _, query = target.partition("?")
    assert "%2B08%3A00" in query
    assert "+" not in query


def test_sync_client_requests_verify(server: SigningServer) -> None:
    auth = OcpAccessKeyAuth(AK, SK)
    with httpx.Client(base_url=server.url, auth=auth, timeout=10, verify=TLS) as client:
        response = client.get("/api/v2/items", params=AWKWARD_PARAMS, headers=OCP_HEADERS)
        echo = assert_verified(server, response)
        assert [tuple(pair) for pair in echo["params"]] == EXPECTED_DECODED
        assert_offset_encoded(echo["target"])
        sent = server.last().headers
        assert [(k, v) for k, v in sent if k.lower().startswith("x-ocp")] == [
            ("x-ocp-origin", "sdk"),
            ("x-ocp-trace", "b"),
            ("x-ocp-trace", "a"),
        ]

        response = client.post(
            "/api/v2/items", params={"dryRun": "true"}, json={"name": "集群", "size": 1}
        )
        assert_verified(server, response)
        assert json.loads(server.last().body) == {"name": "集群", "size": 1}

        response = client.delete("/api/v2/items/a b/é")
        assert_verified(server, response)
        assert server.last().target == "/api/v2/items/a%20b/%C3%A9"


def test_async_client_requests_verify(server: SigningServer) -> None:
    async def run() -> None:
        auth = OcpAccessKeyAuth(AK, SK)
        async with httpx.AsyncClient(
            base_url=server.url, auth=auth, timeout=10, verify=TLS
        ) as client:
            response = await client.get("/api/v2/items", params=AWKWARD_PARAMS, headers=OCP_HEADERS)
            echo = assert_verified(server, response)
            assert [tuple(pair) for pair in echo["params"]] == EXPECTED_DECODED
            assert_offset_encoded(echo["target"])

            response = await client.put("/api/v2/items/1", content=b"\x00\xffraw")
            assert_verified(server, response)
            assert server.last().body == b"\x00\xffraw"

    asyncio.run(run())


def test_a_plus_written_into_the_url_is_a_space(server: SigningServer) -> None:
    with httpx.Client(
        base_url=server.url, auth=OcpAccessKeyAuth(AK, SK), timeout=10, verify=TLS
    ) as client:
        echo = assert_verified(server, client.get("/api/v2/items?q=a+b&t=1%2B2"))

    assert echo["target"] == "/api/v2/items?q=a%20b&t=1%2B2"
    assert [tuple(pair) for pair in echo["params"]] == [("q", "a b"), ("t", "1+2")]


def test_sdk_operation_signs_its_request(server: SigningServer) -> None:
    server.success_body = LISTING.example
    start, end = LISTING.period
    period = {start: OFFSET_TIME, end: OFFSET_TIME + datetime.timedelta(days=1)}
    with Client(server.url, verify=TLS, auth=OcpAccessKeyAuth(AK, SK)) as client:
        response = LISTING.call_detailed(client, **period)

    assert response.status_code == 200
    received = server.last()
    assert received.verified, received.string_to_sign
    assert received.target.startswith(LISTING.target().partition("?")[0] + "?")
    assert_offset_encoded(received.target)
    start_name = LISTING.operation.periods[0][0].name
    assert f"{start_name}=2021-09-16T15%3A14%3A51.397000%2B08%3A00" in received.target


PAGES = 3


def one_item_pages(target: str) -> bytes:
    """Page n of a listing of PAGES items, one a page, item n having id n."""
    number = int(parse_qs(urlsplit(target).query)["page"][0])
    body = LISTING.sample
    item = {**body["data"]["contents"][0], LISTING.item_id.json_name: number}
    body["data"] = {
        "contents": [item] if number <= PAGES else [],
        "page": {"number": number, "size": 1, "totalElements": PAGES, "totalPages": PAGES},
    }
    return json.dumps(body).encode()


def test_every_request_is_signed_pages_and_retries_included(server: SigningServer) -> None:
    """A walk of three pages, its first request answered 503 and retried: every request that
    reached the server carried a signature it verified, the retry included."""
    server.success_body = one_item_pages
    server.unavailable = 1
    fast = RetryPolicy(max_retries=1, backoff_base=0.001, backoff_max=0.001)
    walk = LISTING.module.sync_iter
    with Client(server.url, verify=TLS, auth=OcpAccessKeyAuth(AK, SK), retry_policy=fast) as client:
        items = list(walk(client=client, **LISTING.path_arguments, size=1, concurrency=2))

    assert [getattr(item, LISTING.item_id.py_name) for item in items] == [1, 2, 3]
    assert len(server.received) == 1 + PAGES
    assert all(received.verified for received in server.received), server.received


def test_asynchronous_pages_are_signed(server: SigningServer) -> None:
    server.success_body = one_item_pages

    async def main() -> list[Any]:
        async with Client(server.url, verify=TLS, auth=OcpAccessKeyAuth(AK, SK)) as client:
            walk = LISTING.module.asyncio_iter(client=client, **LISTING.path_arguments, size=1)
            return [item async for item in walk]

    assert len(asyncio.run(main())) == PAGES
    assert len(server.received) == PAGES
    assert all(received.verified for received in server.received)


def test_a_user_s_httpx_client_signs_with_the_client_s_auth(server: SigningServer) -> None:
    server.success_body = LISTING.example
    own = httpx.Client(timeout=10, verify=TLS)
    with Client(server.url, auth=OcpAccessKeyAuth(AK, SK), httpx_client=own) as client:
        assert LISTING.call_detailed(client).status_code == 200
    assert server.last().verified


def test_from_env_signs_with_the_access_key(server: SigningServer) -> None:
    server.success_body = LISTING.example
    environ = {"OCP_URL": server.url, "OCP_ACCESS_KEY_ID": AK, "OCP_ACCESS_KEY_SECRET": SK}
    with Client.from_env(environ, verify=TLS) as client:
        assert LISTING.call_detailed(client).status_code == 200
    assert server.last().verified
    assert SK not in repr(client)


def test_wrong_secret_or_unknown_key_gets_401(server: SigningServer) -> None:
    wrong = "0" * len(SK)
    for auth in (OcpAccessKeyAuth(AK, wrong), OcpAccessKeyAuth("unknownKey", SK)):
        with httpx.Client(base_url=server.url, auth=auth, timeout=10, verify=TLS) as client:
            response = client.get("/api/v2/items", params={"size": 1})
        assert response.status_code == 401
        assert not server.last().verified
        with pytest.raises(httpx.HTTPStatusError) as raised:
            response.raise_for_status()
        for text in (str(raised.value), repr(raised.value), repr(auth), str(auth)):
            assert wrong not in text
            assert SK not in text


def add_param(request: httpx.Request) -> None:
    request.url = request.url.copy_add_param("size", "2000")


def add_ocp_header(request: httpx.Request) -> None:
    request.headers["x-ocp-extra"] = "1"


def change_date(request: httpx.Request) -> None:
    request.headers["Date"] = "Tue, 17 Jan 2023 04:14:02 GMT"


@pytest.mark.parametrize("tamper", [add_param, add_ocp_header, change_date])
def test_server_rejects_a_request_changed_after_signing(server: SigningServer, tamper: Any) -> None:
    """The server's check is not vacuous: each signed part, changed after signing, fails it."""
    hooks = {"request": [tamper]}  # request hooks run after the auth flow
    auth = OcpAccessKeyAuth(AK, SK)
    with httpx.Client(
        base_url=server.url, auth=auth, event_hooks=hooks, timeout=10, verify=TLS
    ) as client:
        response = client.get("/api/v2/items", params={"page": 1})

    assert response.status_code == 401
    assert not server.last().verified


# --- Secrets --------------------------------------------------------------------------------


def test_repr_and_str_show_the_key_id_only() -> None:
    auth = OcpAccessKeyAuth(AK, SK)

    assert repr(auth) == f"OcpAccessKeyAuth(access_key_id={AK!r})"
    assert auth.access_key_id == AK
    for text in (repr(auth), str(auth), f"{auth}", repr(vars(auth)), str(vars(auth))):
        assert SK not in text


def test_deep_copies_share_the_immutable_auth() -> None:
    auth = OcpAccessKeyAuth(AK, SK)

    assert copy.deepcopy({"auth": auth})["auth"] is auth


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("", SK), ValueError),
        (("has:colon " + SK, "x"), ValueError),  # arguments swapped: the "ID" is a secret
        ((f"{SK}\n", "x"), ValueError),
        ((AK, ""), ValueError),
        ((AK, SK.encode()), TypeError),
        ((SK.encode(), AK), TypeError),
    ],
)
def test_constructor_errors_never_show_the_values(args: tuple[Any, Any], error: type) -> None:
    with pytest.raises(error) as raised:
        OcpAccessKeyAuth(*args)

    for text in (str(raised.value), repr(raised.value)):
        assert SK not in text


def test_nothing_logged_contains_the_secret(
    server: SigningServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    auth = OcpAccessKeyAuth(AK, SK)
    with httpx.Client(base_url=server.url, auth=auth, timeout=10, verify=TLS) as client:
        assert_verified(server, client.get("/api/v2/items", params=AWKWARD_PARAMS))
        assert_verified(server, client.post("/api/v2/items", json={"a": 1}))

    signing_logs = [r for r in caplog.records if r.name == "ocp_client.auth"]
    assert len(signing_logs) == 2  # the string to sign, for each request, at DEBUG
    assert "%2B08%3A00" in signing_logs[0].getMessage()
    for record in caplog.records:
        assert SK not in record.getMessage()
        assert SK not in repr(record.args)
    for received in server.received:
        assert SK not in repr(received.headers)


def content_types(received: Received) -> list[str]:
    return [value for name, value in received.headers if name.lower() == "content-type"]


def test_basic_auth_requests_carry_the_json_content_type_too(server: SigningServer) -> None:
    """OCP expects Content-Type: application/json on every request, whatever the scheme."""
    with Client(
        base_url=server.url, verify=TLS, auth=httpx.BasicAuth("admin", "pw"), max_retries=0
    ) as c:
        c.get_httpx_client().get("/api/v2/echo")
    assert content_types(server.last()) == ["application/json"]


def test_a_content_type_given_to_the_client_replaces_the_default(server: SigningServer) -> None:
    chosen = {"content-type": "application/json;charset=utf-8"}
    with Client(base_url=server.url, verify=TLS, headers=chosen, max_retries=0) as client:
        client.get_httpx_client().get("/api/v2/echo")
    assert content_types(server.last()) == ["application/json;charset=utf-8"]
