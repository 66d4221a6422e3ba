"""A global rate limit shared by every sending worker: a token bucket.

Tokens accrue at `rate` per second up to `burst`. A caller that finds the bucket empty
reserves its token anyway (the level goes below zero) and sleeps until it is paid for, so
waiting callers are served in order and the long-run rate never exceeds `rate`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class TokenBucket:
    """At most `rate` acquisitions per second on average, `burst` at once."""

    def __init__(
        self,
        rate: float,
        *,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("the rate must be positive")
        self.rate = rate
        # A tenth of a second's worth by default: smooth, yet no wait at modest rates.
        self.burst = burst if burst is not None else max(1.0, rate / 10)
        self._clock = clock
        self._sleep = sleep
        self._level = self.burst
        self._updated = clock()

    async def acquire(self) -> None:
        """Take one token, waiting until the rate allows it."""
        now = self._clock()
        self._level = min(self.burst, self._level + (now - self._updated) * self.rate)
        self._updated = now
        self._level -= 1
        if self._level < 0:
            await self._sleep(-self._level / self.rate)
