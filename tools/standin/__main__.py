"""Command line: `.venv/bin/python -m tools.standin --port 8080 [options]` (see --help)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import spec_model as sm

from .auth import VECTOR_ACCESS_KEY, Credentials
from .faults import KINDS, Faults, Kind, kinds_of
from .server import StandIn
from .spec import DEFAULT_SPEC
from .state import DEFAULT_CLUSTERS, DEFAULT_TASK_SECONDS


def _epilog() -> str:
    """The stand-in's TEST credentials and, for the default spec, its clusters."""
    defaults = Credentials()
    users = ", ".join(
        f"{user}/{password}"
        + (" (authenticates, then 403)" if user in defaults.no_permission else "")
        for user, password in defaults.users.items()
    )
    keys = ", ".join(f"id {key} secret {secret}" for key, secret in defaults.access_keys.items())
    try:
        clusters = ", ".join(map(str, StandIn().clusters))
    except (OSError, ValueError, sm.SpecError) as failure:  # a broken default spec: say so
        clusters = f"(cannot read {DEFAULT_SPEC}: {failure})"
    return f"""\
TEST credentials: the stand-in's own test values, accepted by default (not secrets of any real
OCP; --user/--access-key replace them):
  Basic       {users}
  AccessKey   {keys}

clusters (default spec, --clusters {DEFAULT_CLUSTERS}): {clusters}; listClusters lists them, and
every /clusters/{{id}}/... operation answers 404 (code 10002) for another id.

state: backUpNow starts an OCP task whose subtasks run --task-seconds in all, then shows as a
data backup task (DONE); POST /_standin/faults {{"failNextBackup": 1}} makes the next one fail.
"""


def _pair(text: str) -> tuple[str, str]:
    name, colon, secret = text.partition(":")
    if not colon or not name:
        raise argparse.ArgumentTypeError(f"expected NAME:SECRET, got {text!r}")
    return name, secret


def _kinds(text: str) -> tuple[Kind, ...]:
    try:
        return kinds_of(text)
    except ValueError as bad:
        raise argparse.ArgumentTypeError(str(bad)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.standin",
        description="A local OCP stand-in on 127.0.0.1, driven by the OpenAPI spec.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the OpenAPI document")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument(
        "--tasks", type=int, default=20, help="generated items per listing, after the sample's"
    )
    parser.add_argument(
        "--no-sample",
        action="store_true",
        help="serve generated data only (items with ids TASKS..1), not the spec's examples",
    )
    parser.add_argument("--server-name", default="ocp-standin", help="the envelope's `server`")
    parser.add_argument(
        "--clusters",
        type=int,
        default=DEFAULT_CLUSTERS,
        help="clusters it manages: the samples', then generated ones (default %(default)s)",
    )
    parser.add_argument(
        "--task-seconds",
        type=float,
        default=DEFAULT_TASK_SECONDS,
        help="how long a task it starts runs, all subtasks (default %(default)s)",
    )
    auth = parser.add_argument_group("credentials")
    auth.add_argument("--no-auth", action="store_true", help="accept every request")
    auth.add_argument(
        "--user", type=_pair, action="append", metavar="NAME:PASSWORD",
        help="a Basic user (repeatable; default admin:admin)",
    )  # fmt: skip
    auth.add_argument(
        "--access-key", type=_pair, action="append", metavar="ID:SECRET",
        help=f"an AccessKey (repeatable; default the spec's test vector {VECTOR_ACCESS_KEY[0]})",
    )  # fmt: skip
    auth.add_argument(
        "--no-permission-user", type=_pair, action="append", metavar="NAME:PASSWORD",
        help="a Basic user that authenticates but gets 403 (default viewer:viewer)",
    )  # fmt: skip
    faults = parser.add_argument_group("faults (one-shot faults queue in the order below)")
    faults.add_argument("--latency-ms", type=float, default=0, help="delay every API request")
    faults.add_argument("--rate-limit", type=int, default=0, metavar="N", help="429 for N requests")
    faults.add_argument("--rate-limit-limit", type=int, default=100, help="RateLimit-Limit")
    faults.add_argument("--rate-limit-reset", type=int, default=1, help="RateLimit-Reset (s)")
    faults.add_argument("--unavailable", type=int, default=0, metavar="N", help="502/503 for N")
    faults.add_argument("--unavailable-status", type=int, default=503, choices=(502, 503))
    faults.add_argument("--reset", type=int, default=0, metavar="N", help="drop N connections")
    faults.add_argument("--truncate", type=int, default=0, metavar="N", help="cut N bodies short")
    faults.add_argument("--html-error", type=int, default=0, metavar="N", help="502 HTML for N")
    faults.add_argument(
        "--reset-body", type=int, default=0, metavar="N", help="half of N bodies, then a reset"
    )
    faults.add_argument(
        "--garble",
        type=int,
        default=0,
        metavar="N",
        help="half of N bodies, with a Content-Length to match",
    )
    faults.add_argument("--stall", type=int, default=0, metavar="N", help="hold N answers")
    faults.add_argument("--stall-ms", type=float, default=2000, help="how long a stall holds")
    faults.add_argument(
        "--trickle", type=int, default=0, metavar="N", help="send N bodies one byte at a time"
    )
    faults.add_argument("--trickle-ms", type=float, default=2000, help="between trickled bytes")
    faults.add_argument("--insert", type=int, default=0, metavar="K", help="K new items first")
    faults.add_argument(
        "--fault-rate",
        type=float,
        default=0,
        metavar="P",
        help="fault each request with probability P (0..1) once the queue is empty",
    )
    faults.add_argument(
        "--fault-kinds",
        type=_kinds,
        default=KINDS,
        metavar="KIND,...",
        help=f"kinds --fault-rate draws from (default all: {','.join(KINDS)})",
    )
    faults.add_argument("--fault-seed", type=int, default=0, help="seed of --fault-rate's draws")
    return parser


def _credentials(args: argparse.Namespace) -> Credentials:
    credentials = Credentials(enabled=not args.no_auth)
    if args.user is not None:
        credentials.users = dict(args.user)
        credentials.no_permission = set()
    if args.no_permission_user is not None:
        if args.user is None:
            credentials.users.pop("viewer", None)
            credentials.no_permission = set()
        credentials.users.update(dict(args.no_permission_user))
        credentials.no_permission |= {name for name, _ in args.no_permission_user}
    if args.access_key is not None:
        credentials.access_keys = dict(args.access_key)
    return credentials


def _faults(args: argparse.Namespace) -> Faults:
    faults = Faults()
    faults.set_latency(args.latency_ms)
    faults.rate_limit(args.rate_limit, limit=args.rate_limit_limit, reset=args.rate_limit_reset)
    faults.unavailable(args.unavailable, status=args.unavailable_status)
    faults.reset(args.reset)
    faults.truncate(args.truncate)
    faults.html_error(args.html_error)
    faults.stall_ms, faults.trickle_ms = args.stall_ms, args.trickle_ms
    faults.reset_body(args.reset_body)
    faults.garble(args.garble)
    faults.stall(args.stall)
    faults.trickle(args.trickle)
    faults.random_faults(args.fault_rate, args.fault_kinds, seed=args.fault_seed)
    faults.insert(args.insert)
    return faults


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        standin = StandIn(
            port=args.port,
            seed=args.seed,
            tasks=args.tasks,
            reference=not args.no_sample,
            credentials=_credentials(args),
            spec=args.spec,
            server_name=args.server_name,
            faults=_faults(args),
            clusters=args.clusters,
            task_seconds=args.task_seconds,
        )
        standin.start()
    except (OSError, ValueError, sm.SpecError) as failure:
        print(f"standin: {failure}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    credentials = standin.credentials
    print(f"OCP stand-in listening on {standin.base_url}", flush=True)
    count = len(standin.app.spec.operations)
    print(f"  serving {count} operation{'' if count == 1 else 's'} of {args.spec}")
    if credentials.enabled:
        users = ", ".join(
            f"{u}:{p}" + (" (no permission)" if u in credentials.no_permission else "")
            for u, p in credentials.users.items()
        )
        keys = ", ".join(f"{k} (secret {v})" for k, v in credentials.access_keys.items())
        print(f"  TEST credentials (the stand-in's own): Basic {users}; AccessKeys {keys}")
    else:
        print("  no authentication (--no-auth)")
    print(f"  clusters: {', '.join(map(str, standin.clusters))}")
    for url in standin.example_urls():
        print(f"  try: {url}")
    print("  faults: GET/POST/DELETE /_standin/faults, stats: GET /_standin/stats", flush=True)
    while not stop.wait(0.5):
        pass
    standin.stop()
    print("OCP stand-in stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
