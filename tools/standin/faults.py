"""Faults the stand-in injects on demand, and the counters that show they happened.

One-shot faults wait in a queue, first armed first served: each request to the API (not to the
stand-in's own `/_standin/` endpoints) takes the next one. `rate_limit(2); reset(1)` answers the
next three requests 429, 429, then drops the connection. Latency applies to every API request
while set. Inserts wait for the next request that reaches a listing.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["rate-limit", "unavailable", "reset", "truncate", "html"]
KINDS: tuple[Kind, ...] = ("rate-limit", "unavailable", "reset", "truncate", "html")


@dataclass(frozen=True)
class Fault:
    kind: Kind
    status: int = 0  # 429, 502 or 503 where it matters


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

    def insert(self, count: int) -> None:
        """Insert `count` new items (newest, ids above the largest) before the next page served."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            self._pending_inserts += count

    def clear(self) -> None:
        """Drop every queued fault and pending insert, and the latency."""
        with self._lock:
            self._queue.clear()
            self._pending_inserts = 0
            self._latency_ms = 0.0

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
            if not self._queue:
                return None
            fault = self._queue.popleft()
            self._applied[fault.kind] += 1
            return fault

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
                "rateLimit": {"limit": self.rate_limit_limit, "reset": self.rate_limit_reset},
                "applied": dict(sorted(self._applied.items())),
                "delayedRequests": self._delayed_requests,
                "delayTotalMs": round(self._delay_total_ms, 3),
                "insertedItems": self._inserted,
            }

    def configure(self, settings: dict[str, Any]) -> None:
        """Arm faults from a JSON object (the admin endpoint's body, keys as in `snapshot`).

        Keys: `clear` (bool, applied first), `latencyMs`, `rateLimit` (count), `rateLimitLimit`,
        `rateLimitReset`, `unavailable` (count), `unavailableStatus` (502/503), `reset`,
        `truncate`, `html`, `insert`. Unknown keys are an error.
        """
        known = {
            "clear", "latencyMs", "rateLimit", "rateLimitLimit", "rateLimitReset", "unavailable",
            "unavailableStatus", "reset", "truncate", "html", "insert",
        }  # fmt: skip
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        if settings.get("clear"):
            self.clear()
        if "latencyMs" in settings:
            self.set_latency(float(settings["latencyMs"]))
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
        ):
            if settings.get(key):
                arm(int(settings[key]))
        if settings.get("insert"):
            self.insert(int(settings["insert"]))
