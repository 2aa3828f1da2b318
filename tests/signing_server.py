"""A local HTTP server that checks OCP AccessKey signatures the way OCP is documented to.

Written from the ``ocpAccessKey`` text of the spec alone, sharing no code with
``ocp_client.auth``: it rebuilds the string to sign from the raw request line and the headers as
received, using the standard library's own percent-decoding and -encoding, so that a mistake in
the client cannot be mirrored here. A good signature gets 200 and a JSON account of what arrived;
anything else gets 401 with an OCP error envelope.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote

from tests.local_server import serving

AUTHORIZATION = re.compile(r"OCP-ACCESS-KEY-HMACSHA1 (?P<key_id>[^:\s]+):(?P<signature>\S+)")
MAX_CLOCK_SKEW = timedelta(minutes=15)


@dataclass
class Received:
    """One request as the server saw it."""

    method: str
    target: str  # the raw request target of the request line
    headers: list[tuple[str, str]]
    body: bytes
    string_to_sign: str
    verified: bool


@dataclass
class SigningServer:
    """The running server: its URL, the secrets it knows, what it received."""

    url: str
    secrets: dict[str, str] = field(repr=False)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The 200 body, or a function of the request target that gives it; None: the JSON account.
    success_body: bytes | Callable[[str], bytes] | None = None
    unavailable: int = 0  # answer 503 to this many verified requests first (to test retries)

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")

    def last(self) -> Received:
        with self.lock:
            return self.received[-1]


def server_string_to_sign(
    method: str, target: str, headers: list[tuple[str, str]], body: bytes
) -> str:
    """The seven fields, rebuilt from the request as received."""

    def header(name: str) -> str:
        return next((v for k, v in headers if k.lower() == name.lower()), "")

    ocp: dict[str, list[str]] = {}
    for name, value in headers:
        if name.lower().startswith("x-ocp"):
            ocp.setdefault(name, []).append(value)  # the name as received
    path, _, query = target.partition("?")
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if v != ""]
    params.sort(key=lambda kv: kv[0])  # stable: values of one key keep their order
    canonical = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)
    return "\n".join(
        [
            method.upper(),
            hashlib.md5(body).hexdigest().upper() if body else "",
            header("Content-Type"),
            header("Date"),
            header("Host"),
            "\n".join(f"{name}:{','.join(ocp[name])}" for name in sorted(ocp)),
            f"{path}?{canonical}" if canonical else path,
        ]
    )


def _date_is_fresh(value: str) -> bool:
    try:
        sent = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return False
    return sent.tzinfo is not None and abs(datetime.now(UTC) - sent) <= MAX_CLOCK_SKEW


def _handler(server: SigningServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                self._answer(411, {"successful": False, "error": {"message": "length required"}})
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = list(self.headers.items())
            message = server_string_to_sign(self.command, self.path, headers, body)
            match = AUTHORIZATION.fullmatch(self.headers.get("Authorization", ""))
            verified = False
            if match and match["key_id"] in server.secrets:
                key = server.secrets[match["key_id"]].encode("utf-8")
                expected = hmac.new(key, message.encode("utf-8"), hashlib.sha1).digest()
                verified = hmac.compare_digest(
                    base64.b64encode(expected).decode("ascii"), match["signature"]
                ) and _date_is_fresh(self.headers.get("Date", ""))
            with server.lock:
                server.received.append(
                    Received(self.command, self.path, headers, body, message, verified)
                )
            with server.lock:
                busy = verified and server.unavailable > 0
                server.unavailable -= busy
            if not verified:
                error = {"code": 30004, "message": "bad credentials"}
                self._answer(401, {"successful": False, "status": 401, "error": error})
            elif busy:
                self._answer(503, {"successful": False, "status": 503, "error": {"code": 0}})
            elif callable(server.success_body):
                self._send(200, server.success_body(self.path))
            elif server.success_body is not None:
                self._send(200, server.success_body)
            else:
                _, _, query = self.path.partition("?")
                self._answer(
                    200,
                    {
                        "successful": True,
                        "target": self.path,
                        "params": parse_qsl(query, keep_blank_values=True),
                        "stringToSign": message,
                    },
                )

        def _answer(self, status: int, document: dict[str, Any]) -> None:
            self._send(status, json.dumps(document).encode("utf-8"))

        def _send(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows stderr of failing tests, and the lines add nothing."""

    return Handler


@contextmanager
def running_server(secrets: dict[str, str]) -> Iterator[SigningServer]:
    """A server on 127.0.0.1 (a free port) in a thread, shut down and joined on exit."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    host, port = httpd.server_address[:2]
    server = SigningServer(url=f"http://{host!s}:{port}", secrets=secrets)
    httpd.RequestHandlerClass = _handler(server)
    with serving(httpd):
        yield server
