"""Fault injection: which request gets which fault, and the errors they answer with."""

from __future__ import annotations

import random
import threading
from typing import TYPE_CHECKING

from .errors import TwilioError
from .store import TIMING

if TYPE_CHECKING:  # annotations only
    from collections.abc import Container, Iterable
    from typing import Any

    from .params import Changes

KINDS = (
    "429",
    "429_retry_after",
    "500",
    "503",
    "503_retry_after",
    "reset",
    "commit_drop",
    "slow_commit",
    "drip",
    "redirect",
    "echo_auth",
    "echo_auth_html",
    "echo_auth_hex",
    "echo_auth_base64",
    "malformed",
    "drop_field",
    "late_commit_500",
    "late_commit_503",
)
#: Faults answered with an error response before the request is processed.
ERROR_KINDS = ("429", "429_retry_after", "500", "503", "503_retry_after")
#: Faults answered without processing the request (the answer comes from "something in front").
UNPROCESSED_KINDS = ("redirect", "echo_auth", "echo_auth_html", "echo_auth_hex", "echo_auth_base64")
#: Faults answered at once with Twilio's JSON 500/503 while the request is processed (committed) ``delay_ms`` later.
LATE_COMMIT_KINDS = {"late_commit_500": "500", "late_commit_503": "503"}


def fault_error(kind: str, retry_after: int = 1) -> TwilioError:
    """The Twilio error a response-level fault answers with."""
    if kind == "429":
        return TwilioError(429, 20429, "Too Many Requests")
    if kind == "429_retry_after":
        return TwilioError(429, 20429, "Too Many Requests", headers={"Retry-After": str(retry_after)})
    if kind == "500":
        return TwilioError(500, 20500, "Internal Server Error")
    if kind == "503":
        return TwilioError(503, 20503, "Service Unavailable")
    if kind == "503_retry_after":
        return TwilioError(503, 20503, "Service Unavailable", headers={"Retry-After": str(retry_after)})
    raise ValueError("not an error fault: %s" % kind)


class FaultPlan:
    """Thread-safe fault configuration.

    * ``next``: the next N API requests get a fault, cycling through ``kinds``
      in order (deterministic);
    * ``rate``: afterwards each request gets a fault with this probability,
      the kind drawn from ``kinds`` by a RNG seeded with ``seed``;
    * ``methods``: optional list restricting faults to these HTTP methods;
    * ``latency_ms``: added to every API request (not a fault kind);
    * ``retry_after``: seconds sent in ``Retry-After`` for ``429_retry_after`` and ``503_retry_after``;
    * ``delay_ms``: how long ``slow_commit`` waits before it processes (and commits) the request;
    * ``drip_ms``: the pause between two bytes of a ``drip`` answer;
    * ``location``: the ``Location`` of a ``redirect`` (default: the request's own path);
    * ``body``: the raw 200 body of a ``malformed`` answer (default ``null``);
    * ``drop_field``: the form parameter a ``drop_field`` fault leaves unapplied (e.g.
      ``"Limits.ChannelMembers"``); None drops the first parameter of the write that the
      operation does not require, in the order of the operation's parameters in the spec.
    * ``listing_lag_ms``: a new record is left out of listings for this long after its create
      (a fetch by SID finds it at once);
    * ``clock_offset_ms``: the emulator's clock (``date_created``, ``date_updated``, the ``Date``
      header) runs this far from the host's (negative: behind, as seen by a controller ahead of Twilio).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        """No faults, no latency."""
        self.configure()

    def configure(
        self,
        rate: float = 0.0,
        kinds: Iterable[str] = (),
        next: int = 0,  # pylint: disable=redefined-builtin
        latency_ms: int = 0,
        seed: int | None = None,
        methods: Iterable[str] | None = None,
        retry_after: int = 1,
        delay_ms: int = 3000,
        drip_ms: int = 1000,
        location: str | None = None,
        body: str = "null",
        drop_field: str | None = None,
        listing_lag_ms: int = 0,
        clock_offset_ms: int = 0,
    ) -> None:
        """Replace the configuration; raises ValueError on bad input."""
        kinds = list(kinds or ())
        bad = [kind for kind in kinds if kind not in KINDS]
        if bad:
            raise ValueError("unknown fault kind(s) %s; known: %s" % (", ".join(map(str, bad)), ", ".join(KINDS)))
        rate = float(rate or 0)
        next_count = int(next or 0)
        if not 0 <= rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if next_count < 0 or int(latency_ms or 0) < 0 or int(delay_ms) < 0 or int(drip_ms) < 0:
            raise ValueError("next, latency_ms, delay_ms and drip_ms must not be negative")
        if isinstance(listing_lag_ms, bool) or not isinstance(listing_lag_ms, int) or listing_lag_ms < 0:
            raise ValueError("listing_lag_ms must be a non-negative integer")
        if isinstance(clock_offset_ms, bool) or not isinstance(clock_offset_ms, int):
            raise ValueError("clock_offset_ms must be an integer (negative: the emulator's clock is behind)")
        if location is not None and not isinstance(location, str):
            raise ValueError("location must be a URL or path")
        if not isinstance(body, str):
            raise ValueError("body must be a string (the raw answer)")
        if (rate or next_count) and not kinds:
            raise ValueError("kinds must name at least one fault kind when rate or next is set")
        with self._lock:
            self.rate = rate
            self.kinds = kinds
            self.next = next_count
            self.latency_ms = int(latency_ms or 0)
            self.seed = seed
            self.methods = [m.upper() for m in methods] if methods else None
            self.retry_after = int(retry_after)
            self.delay_ms = int(delay_ms)
            self.drip_ms = int(drip_ms)
            self.location = location
            self.body = body
            self.drop_field = None if drop_field is None else str(drop_field)
            self.listing_lag_ms = listing_lag_ms
            self.clock_offset_ms = clock_offset_ms
            TIMING.listing_lag = listing_lag_ms / 1000.0
            TIMING.clock_offset = clock_offset_ms / 1000.0
            self._rng = random.Random(seed)
            self._cursor = 0

    def describe(self) -> dict[str, Any]:
        """The configuration as JSON-able dict."""
        with self._lock:
            return {
                "rate": self.rate,
                "kinds": list(self.kinds),
                "next": self.next,
                "latency_ms": self.latency_ms,
                "seed": self.seed,
                "methods": self.methods,
                "retry_after": self.retry_after,
                "delay_ms": self.delay_ms,
                "drip_ms": self.drip_ms,
                "location": self.location,
                "body": self.body,
                "drop_field": self.drop_field,
                "listing_lag_ms": self.listing_lag_ms,
                "clock_offset_ms": self.clock_offset_ms,
            }

    def pick(self, method: str) -> str | None:
        """The fault kind for one API request, or None."""
        with self._lock:
            if self.methods is not None and method not in self.methods:
                return None
            if self.next > 0:
                self.next -= 1
                kind = self.kinds[self._cursor % len(self.kinds)]
                self._cursor += 1
                return kind
            if self.rate > 0 and self._rng.random() < self.rate:
                return self._rng.choice(self.kinds)
            return None


class DropField:
    """A ``drop_field`` fault on one write: the request is answered as usual, one requested field is not applied.

    ``name`` is the form parameter to leave out (None: the first one sent that the operation does
    not require, in the operation's parameter order). ``dropped`` is
    set to the parameter actually left out, if any.
    """

    def __init__(self, name: str | None = None) -> None:
        self.name = name
        self.dropped: str | None = None

    def apply(self, changes: Changes, required: Container[str] = ()) -> Changes:
        """``changes`` (validated ``[(Param, value)]`` of a write) without the dropped parameter.

        A parameter the operation requires (``required``, e.g. a create's ``UniqueName``) is never dropped.
        """
        for index, (param, dummy) in enumerate(changes):
            if param.name in required:
                continue
            if self.name is None or param.name == self.name:
                self.dropped = param.name
                return changes[:index] + changes[index + 1 :]
        return changes
