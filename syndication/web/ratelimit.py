"""Sliding-window rate limits, so the sign-up form cannot be used to bomb an inbox.

A `RateLimiter` allows at most `count` events per `seconds` for one key (a client address,
an email address): a refused event is not counted, and the wait it answers is until the
oldest counted event leaves the window. Where the events are kept is its `EventStore`:
`MemoryEvents`, this process's memory, or `rate_events.TableEvents`, the database, so that
every `run` process sharing it enforces one window together (the web app's limits).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

MAX_KEYS = 100_000


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `count` events per `seconds` for one key."""

    count: int
    seconds: float


class EventStore(Protocol):
    """Where a limiter's events are kept; `admit` is atomic for one key."""

    def admit(self, key: str, *, now: float, horizon: float, room: int) -> float | None:
        """Forget `key`'s events at or before `horizon`; if fewer than `room` are left,
        record one at `now` and return None, else return the oldest one left."""


class RateLimiter:
    """Says whether one more event is allowed for a key, and counts it if so."""

    def __init__(
        self, limit: Limit, *, store: EventStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self._store = store if store is not None else MemoryEvents()
        self._clock = clock

    def retry_after(self, key: str) -> int:
        """0 if one more event is allowed now (and count it), else seconds to wait."""
        now = self._clock()
        horizon = now - self.limit.seconds
        oldest = self._store.admit(key, now=now, horizon=horizon, room=self.limit.count)
        if oldest is None:
            return 0
        return max(1, math.ceil(oldest - horizon))


class MemoryEvents:
    """Events in this process's memory (each process its own window)."""

    def __init__(self) -> None:
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()  # routes call limiters from the thread pool

    def admit(self, key: str, *, now: float, horizon: float, room: int) -> float | None:
        """Forget old events of `key`; record one at `now` if there is room, else the oldest."""
        with self._lock:
            events = self._events.get(key)
            if events is None:
                if len(self._events) >= MAX_KEYS:
                    self._forget_idle(horizon)
                events = self._events.setdefault(key, deque())
            while events and events[0] <= horizon:
                events.popleft()
            if len(events) >= room:
                return events[0]
            events.append(now)
            return None

    def _forget_idle(self, horizon: float) -> None:
        for key in [key for key, events in self._events.items() if not events or
                    events[-1] <= horizon]:
            del self._events[key]
        if len(self._events) >= MAX_KEYS:  # under attack from many keys: start afresh
            self._events.clear()
