"""Running a test HTTP server on 127.0.0.1 in a thread, for the tests that need a real one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import HTTPServer
from typing import TypeVar

Server = TypeVar("Server", bound=HTTPServer)


@contextmanager
def serving(httpd: Server) -> Iterator[Server]:
    """Serve ``httpd`` on a thread for the duration of the block, then shut it down, close its
    socket and join the thread (bounded: a server that does not stop fails the test)."""
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
        assert not thread.is_alive(), f"{type(httpd).__name__} did not stop"
