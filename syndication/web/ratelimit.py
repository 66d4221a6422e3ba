"""Sliding-window rate limits, so the sign-up form cannot be used to bomb an inbox.

Counts live in this process's memory: with several `run` processes behind one address,
each enforces its own window (a bound of N x the limit; put a shared limit in the proxy
if that matters).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 100_000


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `count` events per `seconds` for one key."""

    count: int
    seconds: float


class RateLimiter:
    """Remembers recent events per key and says whether one more is allowed."""

    def __init__(self, limit: Limit, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._events: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> int:
        """0 if one more event is allowed now (and count it), else seconds to wait."""
        now = self._clock()
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= MAX_KEYS:
                self._forget_idle(now)
            events = self._events.setdefault(key, deque())
        horizon = now - self.limit.seconds
        while events and events[0] <= horizon:
            events.popleft()
        if len(events) >= self.limit.count:
            return max(1, math.ceil(events[0] - horizon))
        events.append(now)
        return 0

    def _forget_idle(self, now: float) -> None:
        horizon = now - self.limit.seconds
        for key in [key for key, events in self._events.items() if not events or
                    events[-1] <= horizon]:
            del self._events[key]
        if len(self._events) >= MAX_KEYS:  # under attack from many keys: start afresh
            self._events.clear()
