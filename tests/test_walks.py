"""Walks that finish and resume, against the stand-in's fault injection (tools/standin) on
127.0.0.1: a page whose call fails is asked again within the walk's budget, whatever the fault
(resets, bodies cut short or garbled, 502/503, 429); a walk that gives up carries ``error.walk``,
whose ``resume()`` yields exactly the rest; Ctrl-C and ``break`` end the process at once. And
the stand-in's faults themselves, seen from plain httpx."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ocp_client import Client, _pagination, errors
from ocp_client._pagination import AsyncResume, Resume, WalkRetry
from standin import Credentials, StandIn
from tests.local_server import LISTING, TLS, serving
from tests.test_pagination import PagingServer, hold_pages_after_2

ROOT = Path(__file__).resolve().parent.parent
TASKS = 230  # pages of 50: 5 pages, the last of 30
SIZE = 50
KEY = LISTING.item_id.py_name
# The stand-in's generated tasks (reference=False) belong to the first scope value: 1.
SCOPE = dict.fromkeys(LISTING.path_arguments, 1)
QUICK = WalkRetry(page_retries=2, max_retries=10, backoff_base=0, backoff_max=0)


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn(tasks=TASKS, reference=False, credentials=Credentials(enabled=False)) as ocp:
        yield ocp


@pytest.fixture
def ocp(standin: StandIn) -> Iterator[StandIn]:
    """The module's stand-in, its faults cleared before and after each test."""
    standin.faults.clear()
    yield standin
    standin.faults.clear()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Walks that ask a page at most twice more and do not wait in between (the documented way
    to change every walk's budget: assign DEFAULT_WALK_RETRY)."""
    monkeypatch.setattr(_pagination, "DEFAULT_WALK_RETRY", QUICK)


def client_of(ocp: StandIn) -> Client:
    # No retries of a request: what is retried here is the walk's doing.
    return Client(ocp.base_url, verify=TLS, timeout=5, max_retries=0)


def everything(ocp: StandIn) -> list[int]:
    """The ids of the listing now, newest first (tests before may have created tasks)."""
    name = LISTING.item_id.json_name
    return [item[name] for item in ocp.store(LISTING.operation.id).items()]


def ids(items: Any) -> list[int]:
    return [getattr(item, KEY) for item in items]


def requests(ocp: StandIn) -> int:
    count: int = ocp.stats()["requests"]
    return count


def arm(ocp: StandIn, kind: str, count: int = 1) -> None:
    faults = ocp.faults
    arming: dict[str, Callable[[int], None]] = {
        "reset": faults.reset,
        "reset-body": faults.reset_body,
        "truncate": faults.truncate,
        "garble": faults.garble,
        "unavailable": lambda n: faults.unavailable(n, status=502),
        "html": faults.html_error,
        "rate-limit": lambda n: faults.rate_limit(n, reset=0),
    }
    arming[kind](count)


KINDS = ["reset", "reset-body", "truncate", "garble", "unavailable", "html", "rate-limit"]


# --- pages asked again --------------------------------------------------------------------------


def walk_with_faults(ocp: StandIn, items: Iterator[Any]) -> list[int]:
    """The ids of a walk during which a fault of each kind is armed every 20 tasks taken (the
    first before the walk), each hitting whichever request comes next."""
    kinds = iter(KINDS)
    arm(ocp, next(kinds))
    found = []
    for item in items:
        found.append(getattr(item, KEY))
        if len(found) % 20 == 0:
            kind = next(kinds, None)
            if kind is not None:
                arm(ocp, kind)
    return found


def all_kinds_applied(ocp: StandIn) -> bool:
    applied = ocp.stats()["faults"]["applied"]
    return all(applied.get(kind) for kind in KINDS)


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_walk_survives_every_kind_of_fault_on_its_pages(ocp: StandIn, concurrency: int) -> None:
    every = everything(ocp)
    with client_of(ocp) as client:
        walk = LISTING.module.sync_iter(client=client, size=10, concurrency=concurrency, **SCOPE)
        assert walk_with_faults(ocp, walk) == every
    assert all_kinds_applied(ocp)


def test_asyncio_walk_survives_faults(ocp: StandIn) -> None:
    every = everything(ocp)

    async def collect() -> list[int]:
        async with client_of(ocp) as client:
            walk = LISTING.module.asyncio_iter(client=client, size=10, **SCOPE)
            found = []
            kinds = iter(KINDS)
            arm(ocp, next(kinds))
            async for item in walk:
                found.append(getattr(item, KEY))
                kind = next(kinds, None) if len(found) % 20 == 0 else None
                if kind is not None:
                    arm(ocp, kind)
            return found

    assert asyncio.run(collect()) == every
    assert all_kinds_applied(ocp)


def test_an_error_that_would_come_back_is_not_asked_again(ocp: StandIn) -> None:
    """A 404 (no such cluster) is the answer, not a fault: one request, and the error carries
    where the walk stopped."""
    before = requests(ocp)
    missing = dict.fromkeys(SCOPE, 999_999)
    with client_of(ocp) as client, pytest.raises(errors.NotFoundError) as caught:
        list(LISTING.module.sync_iter(client=client, size=SIZE, **missing))
    assert requests(ocp) - before == 1
    walk = caught.value.walk
    assert isinstance(walk, Resume) and walk.next_page == 1 and walk.seen == frozenset()


def test_retryable_tells_faults_from_answers() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/")
    cut = httpx.Response(200, content=b'{"data": {"contents": [', request=request)
    wrong = httpx.Response(200, content=b'{"data": 1}', request=request)
    assert _pagination.retryable(errors.TransportError("reset"))
    assert _pagination.retryable(errors.ResponseValidationError("data.x", "a", 1, response=cut))
    assert not _pagination.retryable(
        errors.ResponseValidationError("data", "an object", 1, response=wrong)
    )
    assert _pagination.retryable(errors.ServerError(503, "busy"))
    assert not _pagination.retryable(errors.ServerError(500, "bug"))
    assert not _pagination.retryable(errors.NotFoundError(404, "gone"))
    try:  # a certificate that failed verification fails again
        raise errors.TransportError("tls") from httpx.ConnectError("verify")
    except errors.TransportError as tls:
        assert _pagination.retryable(tls)
    try:
        try:
            raise __import__("ssl").SSLCertVerificationError("bad certificate")
        except OSError as cause:
            raise errors.TransportError("tls") from cause
    except errors.TransportError as tls:
        assert not _pagination.retryable(tls)


def test_walk_retry_is_checked() -> None:
    """By the SDK's one rule for retries and seconds (ocp_client._validation)."""
    cases: list[tuple[dict[str, Any], str]] = [
        ({"page_retries": -1}, "WalkRetry.page_retries"),
        ({"max_retries": True}, "WalkRetry.max_retries"),
        ({"backoff_max": float("inf")}, "WalkRetry.backoff_max"),
        ({"backoff_base": -0.1}, "WalkRetry.backoff_base"),
    ]
    for arguments, argument in cases:
        with pytest.raises(errors.RequestValidationError) as refused:
            WalkRetry(**arguments)
        assert refused.value.argument == argument
    assert WalkRetry(backoff_base=0, backoff_max=0).backoff_max == 0.0  # no wait at all
    with pytest.raises(errors.RequestValidationError, match="walk_retry"):
        _pagination.iterate(lambda n: None, None, size=1, retry=3)  # type: ignore[arg-type,return-value]


# --- giving up and resuming ---------------------------------------------------------------------


def fail_page_2(ocp: StandIn, concurrency: int) -> Callable[[int], None]:
    """Arm, once the first task is taken, what makes page 2 fail three times (its first call
    and both retries of QUICK), with the pages fetched alongside it failing too."""

    def after(taken: int) -> None:
        if taken == 1:
            ocp.faults.unavailable(2 + concurrency, status=503)

    return after


@pytest.mark.parametrize("concurrency", [1, 3])
def test_a_walk_that_gives_up_resumes_to_exactly_the_rest(
    ocp: StandIn, quick: None, concurrency: int
) -> None:
    every = everything(ocp)
    taken: list[int] = []
    after = fail_page_2(ocp, concurrency)
    with client_of(ocp) as client:
        walk = LISTING.module.sync_iter(client=client, size=SIZE, concurrency=concurrency, **SCOPE)
        with pytest.raises(errors.ServerError) as caught:
            for item in walk:
                taken.append(getattr(item, KEY))
                after(len(taken))
        resume = caught.value.walk
        assert isinstance(resume, Resume)
        assert taken == every[:SIZE], "the walk gave up before page 2"
        assert resume.next_page == 2 and resume.yielded == SIZE and resume.seen == set(taken)
        # Tasks created before the walk resumes shift page 1's last tasks onto page 2: seen
        # already, so not yielded again; the new tasks are on page 1, not read again.
        ocp.faults.insert(3)
        before = requests(ocp)
        rest = ids(resume.resume())
        again = ids(resume.resume())  # each resume starts from the point of the error
    assert rest == every[SIZE:] and again == rest
    pages = -(-(len(every) + 3) // SIZE)
    # Pages 2 on, twice; with pages in flight, a page cut before the inserts is asked again
    # once (see _Walk.cut_too_early): page 1 never.
    assert requests(ocp) - before <= 2 * (pages - 1 + 1), "pages read before were read again"


def test_a_walk_that_gives_up_on_its_first_page_resumes_from_it(ocp: StandIn, quick: None) -> None:
    every = everything(ocp)
    ocp.faults.reset(3)
    with client_of(ocp) as client:
        with pytest.raises(errors.TransportError) as caught:
            list(LISTING.module.sync_iter(client=client, size=SIZE, **SCOPE))
        resume = caught.value.walk
        assert isinstance(resume, Resume)
        assert resume.next_page == 1 and resume.yielded == 0
        assert ids(resume.resume()) == every


def test_a_resumed_walk_that_fails_carries_its_own_resume(ocp: StandIn, quick: None) -> None:
    """The walk's budget is fresh on each resume; a resume that gives up again says where."""
    every = everything(ocp)
    found: list[int] = []
    with client_of(ocp) as client:
        items: Iterator[Any] = LISTING.module.sync_iter(
            client=client, size=SIZE, concurrency=1, **SCOPE
        )
        stops = []
        for _ in range(5):  # bounded: three stops are armed
            try:
                for item in items:
                    found.append(getattr(item, KEY))
                    if len(found) in (10, 60, 110):
                        ocp.faults.unavailable(3)
                break
            except errors.ServerError as error:
                resume = error.walk
                assert isinstance(resume, Resume)
                stops.append(resume.next_page)
                items = resume.resume()
    assert stops == [2, 3, 4]
    assert found == every


def test_asyncio_walk_gives_up_and_resumes(ocp: StandIn, quick: None) -> None:
    every = everything(ocp)

    async def collect() -> tuple[list[int], list[int], int]:
        taken: list[int] = []
        async with client_of(ocp) as client:
            walk = LISTING.module.asyncio_iter(client=client, size=SIZE, concurrency=2, **SCOPE)
            try:
                async for item in walk:
                    taken.append(getattr(item, KEY))
                    if len(taken) == 1:
                        ocp.faults.unavailable(4)  # pages 2 and 3, then page 2 twice more
            except errors.ServerError as error:
                resume = error.walk
                assert isinstance(resume, AsyncResume)
                rest = ids([t async for t in resume.resume()])
                return taken, rest, resume.next_page
        raise AssertionError("the walk did not give up")

    taken, rest, next_page = asyncio.run(collect())
    assert next_page == 2 and taken == every[:SIZE] and rest == every[SIZE:]


# --- ending the process -------------------------------------------------------------------------

CHILD = """
import sys
sys.path[:0] = [{root!r}, {tools!r}]
from ocp_client import Client
from tests.local_server import LISTING
with Client({url!r}, timeout=60, max_retries=0) as client:
    for number, item in enumerate(LISTING.module.sync_iter(
            client=client, size=10, concurrency=3, **LISTING.path_arguments)):
        if number == 0:
            print("walking", flush=True)
        if number == 15 and {leave!r}:
            break
print("left", flush=True)
"""


@pytest.mark.parametrize("leave", [False, True], ids=["ctrl-c", "break"])
def test_ctrl_c_or_break_ends_the_process_while_pages_are_held(leave: bool) -> None:
    """Pages after 2 are held by the server (up to 10 s); the process walking them ends at
    once on Ctrl-C, or once it leaves the loop, rather than when its page threads would."""
    server = PagingServer(200)
    release, _ = hold_pages_after_2(server)
    with serving(server):
        code = CHILD.format(root=str(ROOT), tools=str(ROOT / "tools"), url=server.url, leave=leave)
        child = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "walking\n"
            time.sleep(0.3)  # the child is blocked on page 3
            start = time.monotonic()
            if not leave:
                child.send_signal(signal.SIGINT)
            child.wait(timeout=8)
            elapsed = time.monotonic() - start
            output = child.stdout.read()
        finally:
            release.set()
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
    assert elapsed < 3, f"the process took {elapsed:.1f} s to end"
    if leave:
        assert child.returncode == 0 and output == "left\n"
    else:
        assert child.returncode != 0 and "left" not in output


# --- the stand-in's faults ----------------------------------------------------------------------


def target() -> str:
    path = LISTING.operation.path
    for name, value in SCOPE.items():
        parameter = next(p for p in LISTING.operation.parameters if p.py_name == name)
        path = path.replace("{" + parameter.name + "}", str(value))
    return f"{path}?page=1&size={SIZE}"


def test_reset_mid_body_sends_half_a_body_then_resets(ocp: StandIn) -> None:
    ocp.faults.reset_body()
    with httpx.Client(base_url=ocp.base_url) as http:
        with http.stream("GET", target()) as answer:
            assert answer.status_code == 200
            with pytest.raises(httpx.ReadError):
                answer.read()
        assert http.get(target()).status_code == 200  # the next request is served


def test_garble_sends_a_cut_body_with_a_matching_length(ocp: StandIn) -> None:
    ocp.faults.garble()
    with httpx.Client(base_url=ocp.base_url) as http:
        cut = http.get(target())
        whole = http.get(target())
    assert cut.status_code == 200 and int(cut.headers["Content-Length"]) == len(cut.content)
    assert whole.content.startswith(cut.content) and len(cut.content) < len(whole.content)


def test_stall_holds_a_connection_and_exhausts_a_small_pool(ocp: StandIn) -> None:
    ocp.faults.stall(1, ms=800)
    limits = httpx.Limits(max_connections=1)
    timeout = httpx.Timeout(5, pool=0.3)
    with httpx.Client(base_url=ocp.base_url, limits=limits, timeout=timeout) as http:
        held = []
        import threading

        thread = threading.Thread(target=lambda: held.append(http.get(target()).status_code))
        thread.start()
        time.sleep(0.2)  # the stalled request has the only connection
        with pytest.raises(httpx.PoolTimeout):
            http.get(target())
        thread.join(timeout=5)
    assert held == [200]


def test_trickle_sends_one_byte_at_a_time(ocp: StandIn) -> None:
    ocp.faults.trickle(1, ms=20)
    http = httpx.Client(base_url=ocp.base_url, timeout=1)
    with http, http.stream("GET", target()) as answer:
        start = time.monotonic()
        chunks = []
        for chunk in answer.iter_raw():
            chunks.append(chunk)
            if len(chunks) == 5:
                break
    assert all(len(chunk) == 1 for chunk in chunks)
    assert time.monotonic() - start >= 0.06


def test_random_faults_through_the_admin_endpoint(ocp: StandIn) -> None:
    with httpx.Client(base_url=ocp.base_url) as http:
        armed = http.post(
            "/_standin/faults",
            json={"randomRate": 1, "randomKinds": "unavailable,html", "randomSeed": 3},
        ).json()
        assert armed["random"] == {"rate": 1.0, "kinds": ["unavailable", "html"]}
        statuses = {http.get(target()).status_code for _ in range(6)}
        assert statuses <= {502, 503} and 502 in statuses
        assert http.post("/_standin/faults", json={"randomKinds": "nope", "randomRate": 1})
        http.post("/_standin/faults", json={"randomRate": 0})
        assert http.get(target()).status_code == 200
        refused = http.post("/_standin/faults", json={"randomRate": 0.5, "randomKinds": "nope"})
    assert refused.status_code == 400 and "nope" in refused.json()["error"]


def test_fault_flags_of_the_command_line() -> None:
    from standin.__main__ import _faults, _parser

    args = _parser().parse_args(
        ["--reset-body", "1", "--garble", "2", "--stall", "1", "--stall-ms", "5",
         "--trickle", "1", "--fault-rate", "0.25", "--fault-kinds", "reset,garble"]
    )  # fmt: skip
    snapshot = _faults(args).snapshot()
    assert snapshot["queued"] == ["reset-body", "garble", "garble", "stall", "trickle"]
    assert snapshot["random"] == {"rate": 0.25, "kinds": ["reset", "garble"]}
    assert snapshot["stallMs"] == 5
    with pytest.raises(SystemExit):
        _parser().parse_args(["--fault-kinds", "reset,explode"])
