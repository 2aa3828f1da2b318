"""Faults the stand-in injects on demand, and the counters that show they happened.

One-shot faults wait in a queue, first armed first served: each request to the API (not to the
stand-in's own `/_standin/` endpoints) takes the next one. `rate_limit(2); reset(1)` answers the
next three requests 429, 429, then drops the connection. Latency applies to every API request
while set. Inserts wait for the next request that reaches a listing.

Random faults (`random_faults(0.2, kinds)`) fault each API request that finds the queue empty
with that probability, of a kind drawn evenly from `kinds`, from a seeded generator.

What each kind does to a request:

- `rate-limit`: 429 with `RateLimit-*` headers; `unavailable`: 502 or 503 with OCP's envelope;
  `html`: a proxy's 502 HTML page.
- `reset`: the connection is reset (TCP RST) before any byte of an answer.
- `reset-body`: the answer's head and half its body, then a reset.
- `truncate`: a Content-Length larger than the body, half the body, then the connection closed.
- `garble`: half the body with a Content-Length that matches it: well-formed HTTP, a body that
  is no JSON (a proxy that rewrote a cut body).
- `stall`: the answer held `stall_ms` (default 2000) before it is sent: with the connection
  busy meanwhile, a client with a small pool runs out of connections.
- `trickle`: the answer's body sent one byte every `trickle_ms` (default 2000), which no
  per-read timeout catches.

Besides the wire: `fail_next_backup()` makes the next OCP task the stand-in starts fail.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal[
    "rate-limit", "unavailable", "reset", "truncate", "html", "reset-body", "garble", "stall",
    "trickle",
]  # fmt: skip
KINDS: tuple[Kind, ...] = (
    "rate-limit", "unavailable", "reset", "truncate", "html", "reset-body", "garble", "stall",
    "trickle",
)  # fmt: skip


@dataclass(frozen=True)
class Fault:
    kind: Kind
    status: int = 0  # 429, 502 or 503 where it matters
    ms: float = 0.0  # how long a stall holds the answer, or a trickle waits between bytes


def kinds_of(value: Any) -> tuple[Kind, ...]:
    """Fault kinds from a list or a comma-separated string, each one of KINDS."""
    names = value.split(",") if isinstance(value, str) else list(value)
    chosen: list[Kind] = []
    for name in names:
        name = str(name).strip()
        if name not in KINDS:
            raise ValueError(f"unknown fault kind {name!r}: one of {', '.join(KINDS)}")
        chosen.append(name)
    if not chosen:
        raise ValueError("no fault kinds given")
    return tuple(chosen)


class Faults:
    """Thread-safe fault settings (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Fault] = deque()
        self._latency_ms = 0.0
        self._pending_inserts = 0
        self.rate_limit_limit = 100
        self.rate_limit_reset = 1
        self._applied: Counter[str] = Counter()
        self._delayed_requests = 0
        self._delay_total_ms = 0.0
        self._inserted = 0
        self.stall_ms = 2000.0
        self.trickle_ms = 2000.0
        self._random_rate = 0.0
        self._random_kinds: tuple[Kind, ...] = ()
        self._random = random.Random(0)
        self._failing_tasks = 0

    # --- arming ----------------------------------------------------------------------------------

    def set_latency(self, ms: float) -> None:
        """Delay every API request by `ms` milliseconds (0 switches it off)."""
        if ms < 0:
            raise ValueError("latency must be >= 0")
        with self._lock:
            self._latency_ms = float(ms)

    def _push(self, fault: Fault, count: int) -> None:
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            self._queue.extend([fault] * count)

    def rate_limit(
        self, count: int = 1, *, limit: int | None = None, reset: int | None = None
    ) -> None:
        """Answer the next `count` requests 429 with `RateLimit-*` headers."""
        with self._lock:
            if limit is not None:
                self.rate_limit_limit = limit
            if reset is not None:
                self.rate_limit_reset = reset
        self._push(Fault("rate-limit", 429), count)

    def unavailable(self, count: int = 1, *, status: int = 503) -> None:
        """Answer the next `count` requests `status` (502 or 503) with an OCP error envelope."""
        if status not in (502, 503):
            raise ValueError("status must be 502 or 503")
        self._push(Fault("unavailable", status), count)

    def reset(self, count: int = 1) -> None:
        """Close the connection of the next `count` requests without any answer (TCP RST)."""
        self._push(Fault("reset"), count)

    def truncate(self, count: int = 1) -> None:
        """Send the next `count` answers with a Content-Length larger than the body, then close."""
        self._push(Fault("truncate"), count)

    def html_error(self, count: int = 1) -> None:
        """Answer the next `count` requests with a proxy's 502 HTML page."""
        self._push(Fault("html", 502), count)

    def reset_body(self, count: int = 1) -> None:
        """Send the head and half the body of the next `count` answers, then reset."""
        self._push(Fault("reset-body"), count)

    def garble(self, count: int = 1) -> None:
        """Send half the body of the next `count` answers, with a Content-Length to match."""
        self._push(Fault("garble"), count)

    def stall(self, count: int = 1, *, ms: float | None = None) -> None:
        """Hold the next `count` answers `ms` milliseconds (default `stall_ms`) each."""
        self._push(Fault("stall", ms=self._ms("stall", ms, self.stall_ms)), count)

    def trickle(self, count: int = 1, *, ms: float | None = None) -> None:
        """Send the body of the next `count` answers one byte every `ms` (default `trickle_ms`)."""
        self._push(Fault("trickle", ms=self._ms("trickle", ms, self.trickle_ms)), count)

    @staticmethod
    def _ms(kind: str, ms: float | None, default: float) -> float:
        value = default if ms is None else float(ms)
        if not 0 <= value < float("inf"):
            raise ValueError(f"{kind} ms must be >= 0, got {ms!r}")
        return value

    def random_faults(
        self, rate: float, kinds: Sequence[Kind] | str = KINDS, *, seed: int | None = None
    ) -> None:
        """Fault each API request that finds the queue empty with probability `rate` (0 switches
        it off), of a kind drawn evenly from `kinds`; `seed` restarts the draws."""
        if not 0 <= rate <= 1:
            raise ValueError(f"the fault rate must be between 0 and 1, got {rate!r}")
        chosen = kinds_of(kinds)
        with self._lock:
            self._random_rate = float(rate)
            self._random_kinds = chosen
            if seed is not None:
                self._random.seed(seed)

    def insert(self, count: int) -> None:
        """Insert `count` new items (newest, ids above the largest) before the next page served."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            self._pending_inserts += count

    def fail_next_backup(self, count: int = 1) -> None:
        """Make the next `count` OCP tasks the stand-in starts (the task of a `backUpNow`, or
        of any operation that answers a `taskIdList`) fail: a subtask ends FAILED, with an
        error in its log, and so does the task (and the data backup task it made)."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            self._failing_tasks += count

    def take_task_failure(self) -> bool:
        """Whether the task starting now is to fail (takes one `fail_next_backup`)."""
        with self._lock:
            if not self._failing_tasks:
                return False
            self._failing_tasks -= 1
            self._applied["fail-backup"] += 1
            return True

    def clear(self) -> None:
        """Drop every queued fault and pending insert, task failure, and the latency."""
        with self._lock:
            self._failing_tasks = 0
            self._queue.clear()
            self._pending_inserts = 0
            self._latency_ms = 0.0
            self._random_rate = 0.0

    # --- consuming (the server) ------------------------------------------------------------------

    def latency(self) -> float:
        with self._lock:
            return self._latency_ms

    def record_delay(self, ms: float) -> None:
        with self._lock:
            self._delayed_requests += 1
            self._delay_total_ms += ms

    def take(self) -> Fault | None:
        with self._lock:
            if self._queue:
                fault = self._queue.popleft()
            elif self._random_rate and self._random.random() < self._random_rate:
                fault = self._draw(self._random.choice(self._random_kinds))
            else:
                return None
            self._applied[fault.kind] += 1
            return fault

    def _draw(self, kind: Kind) -> Fault:
        if kind == "rate-limit":
            return Fault(kind, 429)
        if kind == "unavailable":
            return Fault(kind, self._random.choice((502, 503)))
        if kind == "html":
            return Fault(kind, 502)
        if kind == "stall":
            return Fault(kind, ms=self.stall_ms)
        if kind == "trickle":
            return Fault(kind, ms=self.trickle_ms)
        return Fault(kind)

    def take_inserts(self) -> int:
        with self._lock:
            count, self._pending_inserts = self._pending_inserts, 0
            self._inserted += count
            if count:
                self._applied["insert"] += 1
            return count

    # --- reporting -------------------------------------------------------------------------------

    def applied(self, kind: str) -> int:
        """How many times a fault of this kind (or "insert") was applied."""
        with self._lock:
            return self._applied[kind]

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "latencyMs": self._latency_ms,
                "queued": [f.kind if not f.status else f"{f.kind}:{f.status}" for f in self._queue],
                "pendingInserts": self._pending_inserts,
                "failNextBackup": self._failing_tasks,
                "rateLimit": {"limit": self.rate_limit_limit, "reset": self.rate_limit_reset},
                "applied": dict(sorted(self._applied.items())),
                "delayedRequests": self._delayed_requests,
                "delayTotalMs": round(self._delay_total_ms, 3),
                "insertedItems": self._inserted,
                "stallMs": self.stall_ms,
                "trickleMs": self.trickle_ms,
                "random": {"rate": self._random_rate, "kinds": list(self._random_kinds)},
            }

    def configure(self, settings: dict[str, Any]) -> None:
        """Arm faults from a JSON object (the admin endpoint's body, keys as in `snapshot`).

        Keys: `clear` (bool, applied first), `latencyMs`, `rateLimit` (count), `rateLimitLimit`,
        `rateLimitReset`, `unavailable` (count), `unavailableStatus` (502/503), `reset`,
        `truncate`, `html`, `resetBody`, `garble`, `stall`, `trickle` (counts), `stallMs` and
        `trickleMs` (their defaults, set before they are queued), `randomRate` with
        `randomKinds` (a list or "a,b") and `randomSeed`, `insert`, and `failNextBackup` (a
        count: `fail_next_backup`). Unknown keys are an error.
        """
        known = {
            "clear", "latencyMs", "rateLimit", "rateLimitLimit", "rateLimitReset", "unavailable",
            "unavailableStatus", "reset", "truncate", "html", "insert", "resetBody", "garble",
            "stall", "stallMs", "trickle", "trickleMs", "randomRate", "randomKinds", "randomSeed",
            "failNextBackup",
        }  # fmt: skip
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        if settings.get("clear"):
            self.clear()
        if "latencyMs" in settings:
            self.set_latency(float(settings["latencyMs"]))
        if "stallMs" in settings:
            self.stall_ms = self._ms("stall", settings["stallMs"], 0)
        if "trickleMs" in settings:
            self.trickle_ms = self._ms("trickle", settings["trickleMs"], 0)
        if settings.get("rateLimit"):
            self.rate_limit(
                int(settings["rateLimit"]),
                limit=settings.get("rateLimitLimit"),
                reset=settings.get("rateLimitReset"),
            )
        if settings.get("unavailable"):
            status = int(settings.get("unavailableStatus", 503))
            self.unavailable(int(settings["unavailable"]), status=status)
        for key, arm in (
            ("reset", self.reset),
            ("truncate", self.truncate),
            ("html", self.html_error),
            ("resetBody", self.reset_body),
            ("garble", self.garble),
            ("stall", self.stall),
            ("trickle", self.trickle),
        ):
            if settings.get(key):
                arm(int(settings[key]))
        if "randomRate" in settings:
            seed = settings.get("randomSeed")
            self.random_faults(
                float(settings["randomRate"]),
                settings.get("randomKinds", KINDS),
                seed=None if seed is None else int(seed),
            )
        if settings.get("insert"):
            self.insert(int(settings["insert"]))
        if settings.get("failNextBackup"):
            self.fail_next_backup(int(settings["failNextBackup"]))
