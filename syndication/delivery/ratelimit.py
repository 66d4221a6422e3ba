"""Sending rate limits: token buckets by key, each a limit for the whole site, split among senders.

Keys: `site` (the `[mail.smtp] rate`) and `domain:<name>` (the messages a second one
recipient domain accepts, declared with `limit_domain` from `[mail.domains."<name>"]`).
A message waits for its domain's bucket first, then for the site's, so waiting on a slow
domain does not spend the site's tokens; the sender's domain lanes (domain_lanes.py) use
`try_take` instead, so a message that must wait for its domain waits aside, not in a worker.
Every rate is for the whole site: each sender takes 1/n of it (`split`), n being the live
senders its heartbeat counted in the senders table, so n senders together stay under the
limit without asking the database before each message.

A token bucket: tokens accrue at `rate` per second up to `burst`. A caller that finds the
bucket empty reserves its token anyway (the level goes below zero) and sleeps until it is
paid for, so waiting callers are served in order and the long-run rate never exceeds `rate`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

SITE = "site"


def domain_key(domain: str) -> str:
    """The limiter key of a recipient domain."""
    return f"domain:{domain.lower()}"


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
        self._clock = clock
        self._sleep = sleep
        self._fixed_burst = burst
        self.rate = rate
        self.burst = self._burst_for(rate)
        self._level = self.burst
        self._updated = clock()

    def set_rate(self, rate: float) -> None:
        """Change the rate from now on (tokens already earned are kept, up to the burst)."""
        if rate <= 0:
            raise ValueError("the rate must be positive")
        self._refill()
        self.rate = rate
        self.burst = self._burst_for(rate)
        self._level = min(self._level, self.burst)

    async def acquire(self) -> None:
        """Take one token, waiting until the rate allows it."""
        self._refill()
        self._level -= 1
        if self._level < 0:
            await self._sleep(-self._level / self.rate)

    def try_take(self) -> float:
        """Take a token if one is there (0.0); else take none and return the seconds until one."""
        self._refill()
        if self._level >= 1:
            self._level -= 1
            return 0.0
        return (1 - self._level) / self.rate

    def _burst_for(self, rate: float) -> float:
        # A tenth of a second's worth by default: smooth, yet no wait at modest rates.
        return self._fixed_burst if self._fixed_burst is not None else max(1.0, rate / 10)

    def _refill(self) -> None:
        now = self._clock()
        self._level = min(self.burst, self._level + (now - self._updated) * self.rate)
        self._updated = now


class KeyedLimiter:
    """Site-wide rate limits by key; this sender's share of each is 1/`senders`."""

    def __init__(
        self,
        limits: Mapping[str, float] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._rates: dict[str, float] = {}
        self._buckets: dict[str, TokenBucket] = {}
        self._senders = 1
        for key, rate in (limits or {}).items():
            self.limit(key, rate)

    def limit(self, key: str, rate: float) -> None:
        """Declare (or change) the site-wide rate of `key`, in messages a second."""
        if rate <= 0:
            raise ValueError(f"the rate of {key} must be positive")
        self._rates[key] = rate
        share = rate / self._senders
        bucket = self._buckets.get(key)
        if bucket is None:
            self._buckets[key] = TokenBucket(share, clock=self._clock, sleep=self._sleep)
        else:
            bucket.set_rate(share)

    def limit_domain(self, domain: str, rate: float) -> None:
        """Declare the site-wide rate of the recipient domain `domain`."""
        self.limit(domain_key(domain), rate)

    def split(self, senders: int) -> None:
        """Take 1/`senders` of every limit: that many senders are live, this one included."""
        senders = max(1, senders)
        if senders == self._senders:
            return
        self._senders = senders
        for key, rate in self._rates.items():
            self._buckets[key].set_rate(rate / senders)

    def share(self, key: str = SITE) -> float | None:
        """This sender's messages a second under `key` (None: no limit)."""
        bucket = self._buckets.get(key)
        return None if bucket is None else bucket.rate

    def keys_for(self, recipient: str) -> tuple[str, ...]:
        """The limited keys a message to `recipient` waits for, most specific first."""
        domain = domain_key(recipient.rpartition("@")[2])
        return tuple(key for key in (domain, SITE) if key in self._buckets)

    def try_take(self, key: str) -> float:
        """A token of `key` now (0.0), or the seconds until one (none taken); 0.0 if unlimited."""
        bucket = self._buckets.get(key)
        return 0.0 if bucket is None else bucket.try_take()

    async def acquire(self, recipient: str, *, domain: bool = True) -> None:
        """Wait until every limit a message to `recipient` is under allows one more
        (the site's only, with `domain=False`: the domain's lane took its token)."""
        for key in self.keys_for(recipient):
            if domain or key == SITE:
                await self._buckets[key].acquire()
