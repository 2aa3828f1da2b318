"""Strict JSON and HTTP: what a server may answer that is not what the spec's JSON is, through
the SDK's calls against a real scripted server on 127.0.0.1.

Bodies that ``json.loads`` would accept but RFC 8259 does not (NaN, Infinity, duplicate names,
ill-formed UTF-8, UTF-16/32), a 2xx that says it is not JSON, nesting and integers beyond what
Python reads (with the path, from any stack depth), redirects to URLs httpx cannot read, statuses
outside HTTP's classes, and a client used after it was closed: each is a typed ``OcpError``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest

from ocp_client import Client, errors
from tests.local_server import LISTING, TLS, ScriptedServer

ITEM_ID = LISTING.item_id.json_name
FIRST_ID = f"data.contents[0].{ITEM_ID}"


def with_first_id(raw: str) -> bytes:
    """The example answer with its first item's id written as ``raw`` JSON text."""
    body = LISTING.sample
    body["data"]["contents"][0][ITEM_ID] = "@ID@"
    return json.dumps(body).replace('"@ID@"', raw).encode()


def refused(client: Client, server: ScriptedServer, body: bytes, **headers: str) -> Any:
    """The ResponseValidationError of ``sync`` and of ``sync_detailed`` for a 200 with ``body``
    (they must agree); the first."""
    caught = []
    for call in (LISTING.call, LISTING.call_detailed):
        server.script.append((200, headers, body))
        with pytest.raises(errors.ResponseValidationError) as error:
            call(client)
        assert error.value.status_code == 200
        caught.append(error.value)
    first, second = caught
    assert (first.path, first.expected, first.value) == (second.path, second.expected, second.value)
    return first


# --- bodies that are not strict JSON -----------------------------------------------------------


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_numbers_json_does_not_have_are_refused_at_their_path(
    client: Client, server: ScriptedServer, word: str
) -> None:
    error = refused(client, server, with_first_id(word))
    assert error.path == FIRST_ID
    assert error.value == word
    assert "NaN and Infinity are not JSON" in error.expected or "range of a float" in error.expected


def test_a_duplicate_name_is_refused_at_its_path(client: Client, server: ScriptedServer) -> None:
    body = with_first_id(f'1, "{ITEM_ID}": 2')
    error = refused(client, server, body)
    assert (error.path, error.expected) == (FIRST_ID, "names that are unique within an object")


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (LISTING.example.replace(b'"', b'"\xff', 1), "bytes b'\\xff"),
        (LISTING.example.replace(b'"', b'"\xed\xa0\x80', 1), "bytes b'\\xed\\xa0\\x80"),  # U+D800
        (LISTING.example.decode().encode("utf-16"), "UTF-16 or UTF-32 bytes"),
        (LISTING.example.decode().encode("utf-16-le"), "UTF-16 or UTF-32 bytes"),
        (LISTING.example.decode().encode("utf-32"), "UTF-16 or UTF-32 bytes"),
    ],
    ids=["invalid-byte", "encoded-surrogate", "utf-16", "utf-16-le", "utf-32"],
)
def test_a_body_that_is_not_well_formed_utf_8_is_refused(
    client: Client, server: ScriptedServer, body: bytes, found: str
) -> None:
    error = refused(client, server, body)
    assert error.path == "$" and "UTF-8" in error.expected
    assert str(error.value).startswith(found)


def test_a_utf_8_byte_order_mark_is_ignored(client: Client, server: ScriptedServer) -> None:
    """RFC 8259 §8.1 lets a reader ignore it."""
    server.script.append((200, {}, b"\xef\xbb\xbf" + LISTING.example))
    assert LISTING.call(client).page is not None


@pytest.mark.parametrize(
    "content_type",
    ["text/html", "text/plain; charset=utf-8", "application/json; charset=utf-16"],
)
def test_a_2xx_that_says_it_is_not_utf_8_json_is_refused(
    client: Client, server: ScriptedServer, content_type: str
) -> None:
    error = refused(client, server, LISTING.example, **{"Content-Type": content_type})
    assert error.path == "$"
    assert content_type.split(";")[-1].strip() in str(error.value)


@pytest.mark.parametrize(
    "content_type", ["application/json;charset=UTF-8", "application/problem+json"]
)
def test_json_content_types_are_read(
    client: Client, server: ScriptedServer, content_type: str
) -> None:
    server.script.append((200, {"Content-Type": content_type}, LISTING.example))
    assert LISTING.call(client).page is not None


# --- limits: the same verdict, with the path, from any stack depth -----------------------------


def at_depth(depth: int, call: Callable[[], Any]) -> Any:
    """``call()`` with ``depth`` frames of the caller's own recursion under it."""
    return call() if depth <= 0 else at_depth(depth - 1, call)


def verdict(call: Callable[[], Any]) -> tuple[str, ...]:
    try:
        call()
    except errors.ResponseValidationError as error:
        return ("refused", error.path, error.expected)
    return ("read",)


def deepest_caller(client: Client, server: ScriptedServer) -> int:
    """About the deepest recursion a caller may be in for a call to still be sent: the
    interpreter's limit less what httpx itself needs (found by bisection on real calls)."""
    low, high = 0, sys.getrecursionlimit()
    for _ in range(12):  # bisection of at most 2**12 depths
        middle = (low + high) // 2
        server.script.append((200, {}, LISTING.example))
        try:
            at_depth(middle, lambda: LISTING.call(client))
            low = middle
        except RecursionError:
            high = middle
        if high - low <= 4:
            break
    with server.lock:  # the replies of calls that never reached the server
        server.script.clear()
    return low - 4


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1" * 4301, ("refused", FIRST_ID, "an integer of at most 4300 digits")),
        # The envelope, data, contents and the item are 4 of the 128 levels.
        ("[" * 200 + "]" * 200, ("refused", FIRST_ID + "[0]" * 124,
                                 "arrays and objects nested at most 128 deep")),
        ("[" * 100 + "]" * 100, ("refused", FIRST_ID, "integer")),  # the id is an integer
    ],
    ids=["4301-digits", "200-deep", "100-deep"],
)  # fmt: skip
def test_limits_give_one_verdict_with_its_path_at_any_stack_depth(
    client: Client, server: ScriptedServer, raw: str, expected: tuple[str, ...]
) -> None:
    body = with_first_id(raw)
    deep = deepest_caller(client, server)
    verdicts = []
    for depth in (0, deep):
        server.script.append((200, {}, body))
        verdicts.append(verdict(functools.partial(at_depth, depth, lambda: LISTING.call(client))))
    assert verdicts[0] == verdicts[1], f"from {deep} frames deep: {verdicts[1]}"
    status, path, what = verdicts[0]
    assert (status, path) == expected[:2] and expected[2] in what


def test_an_unknown_property_nested_within_the_limit_is_read_at_any_depth(
    client: Client, server: ScriptedServer
) -> None:
    """100 levels deep under a property the spec does not name (kept as it is): read at the top
    and from deep in the caller's recursion alike (there, on a fresh stack)."""
    body = LISTING.sample
    body["data"]["contents"][0]["extra"] = json.loads("[" * 100 + "]" * 100)
    raw = json.dumps(body).encode()
    deep = deepest_caller(client, server)
    for depth in (0, deep):
        server.script.append((200, {}, raw))
        page = at_depth(depth, lambda: LISTING.call(client))
        assert len(page.contents) == len(LISTING.sample["data"]["contents"])


# --- HTTP: redirects, statuses, a closed client ------------------------------------------------


@pytest.mark.parametrize(
    "location",
    ["mailto:ops@example.net", "javascript:alert(1)", "data:text/plain,hi", "http://xn--/"],
)
@pytest.mark.parametrize("follow", [False, True])
def test_a_redirect_to_a_url_httpx_cannot_read_is_a_transport_error(
    server: ScriptedServer, location: str, follow: bool
) -> None:
    server.script.append((303, {"Location": location}, b""))
    with (
        Client(server.url, verify=TLS, follow_redirects=follow, max_retries=0) as client,
        pytest.raises(errors.TransportError) as caught,
    ):
        LISTING.call(client)
    assert "HTTP 303 redirects to a Location that is not an http(s) URL" in str(caught.value)


@pytest.mark.parametrize("status", [600, 999])
def test_a_status_outside_http_s_classes_is_an_api_error_not_a_server_error(
    client: Client, server: ScriptedServer, status: int
) -> None:
    server.script.append((status, {}, b"{}"))
    with pytest.raises(errors.ApiError) as caught:
        LISTING.call(client)
    assert type(caught.value) is errors.ApiError and caught.value.status_code == status


def test_a_client_used_after_with_is_refused_with_a_typed_error(server: ScriptedServer) -> None:
    with Client(server.url, verify=TLS) as client:
        LISTING.call(client)
    with pytest.raises(errors.RequestValidationError) as caught:
        LISTING.call(client)
    assert caught.value.argument == "client" and "closed" in caught.value.reason


def test_a_client_used_from_a_second_event_loop_is_refused_with_a_typed_error(
    server: ScriptedServer,
) -> None:
    client = Client(server.url, verify=TLS)

    async def call() -> Any:
        return await LISTING.module.asyncio(client=client, **LISTING.path_arguments)

    assert asyncio.run(call()).page is not None
    with pytest.raises(errors.RequestValidationError) as caught:
        asyncio.run(call())
    assert caught.value.argument == "client" and "second event loop" in caught.value.reason

    async def closed() -> Any:
        await client.aclose()
        return await call()

    other = Client(server.url, verify=TLS)
    client = other
    with pytest.raises(errors.RequestValidationError) as caught:
        asyncio.run(closed())
    assert "closed" in caught.value.reason
