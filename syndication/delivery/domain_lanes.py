"""Per-recipient-domain admission: concurrency, rate and backing off a domain that throttles.

A domain gets a lane when `[mail.domains."<name>"]` limits it, or the first time it answers
as a provider does when we send too fast: 421 (RFC 5321 §4.2.2: closing the connection,
"too many connections"), or a 4xx whose enhanced status (RFC 3463) is X.7.x (policy: rate
limits such as Gmail's 4.7.28 or Yahoo's 4.7.0 TSxx), X.4.5 (congestion) or X.3.2 (not
accepting messages now). A plain "451 4.3.0 try again later" stays one recipient's
deferral and is retried like any transient error.

A worker asks `admit(claim)`: either the claim may go now (a slot of the domain taken, a
token of its rate taken), or the lane keeps it, in order, and hands it back through `resume`
when a slot frees, a token accrues or the backoff ends. Workers therefore never wait for a
domain: a throttled or slow domain holds its own claims, the others go out at full speed.

Backing off (AIMD, as TCP does): a throttling answer halves the domain's concurrency (at
least 1) and holds the domain for `BACKOFF_FIRST`, doubled at each throttle in a row up to
`BACKOFF_MAX`; the claim that was refused waits in the lane and is tried again, without
counting an attempt, up to `THROTTLE_TRIES` times, then takes the ordinary retry path
(planned again for later: nobody is skipped). Each answer that is not a throttle ends the
backoff and gives one slot back, up to the configured concurrency.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from syndication.delivery.outbox import Claim
from syndication.delivery.ratelimit import KeyedLimiter, domain_key
from syndication.sending_settings import DomainLimit

BACKOFF_FIRST = 1.0  # seconds a domain is held after its first throttling answer
BACKOFF_MAX = 60.0
THROTTLE_TRIES = 5  # throttling answers one claim takes in a run before it is retried later
_THROTTLING_STATUS = re.compile(r"4\.(?:7\.\d{1,3}|4\.5|3\.2)\b")


def is_throttling(code: int | None, reply: str) -> bool:
    """Whether an SMTP reply asks us to slow down for the whole domain."""
    if code == 421:
        return True
    if code is None or not 400 <= code < 500:
        return False
    return bool(_THROTTLING_STATUS.match(reply.removeprefix(str(code)).lstrip(" -")))


@dataclass
class _Lane:
    key: str
    ceiling: int | None  # configured concurrency; None: as many as the transport has
    rated: bool  # whether the domain has a rate of its own
    allowed: int | None = None  # the concurrency now (halved by throttles)
    in_flight: int = 0
    backoff: float = 0.0
    until: float = 0.0  # monotonic time before which nothing goes to the domain
    next_token: float = 0.0
    waiting: deque[Claim] = field(default_factory=deque)
    timer: asyncio.TimerHandle | None = None


class DomainLanes:
    """The lanes of one sending run; `resume(claim)` puts a waiting claim back to work."""

    def __init__(
        self,
        limits: Mapping[str, DomainLimit],
        *,
        limiter: KeyedLimiter | None,
        resume: Callable[[Claim], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limiter = limiter
        self._resume = resume
        self._clock = clock
        self._lanes = {
            domain: _Lane(domain_key(domain), limit.concurrency, limit.rate is not None,
                          allowed=limit.concurrency)
            for domain, limit in limits.items()
        }
        self._entered: set[int] = set()  # claims holding a slot of their lane
        self._admitted: set[int] = set()  # claims handed back with their slot already taken
        self._throttles: Counter[int] = Counter()
        self.parked = 0  # claims waiting in lanes
        self.throttled = 0  # throttling answers in this run

    @property
    def active(self) -> bool:
        """Whether any domain has a lane (limited by config, or throttled in this run)."""
        return bool(self._lanes)

    def admit(self, claim: Claim) -> bool:
        """True: send `claim` now. False: its lane keeps it and will `resume` it."""
        if claim.id in self._admitted:
            self._admitted.discard(claim.id)
            return True
        lane = self._lanes.get(_domain(claim))
        if lane is None:
            return True
        if not lane.waiting and self._take(lane, claim):
            return True
        self._park(lane, claim)
        return False

    def done(self, claim: Claim, *, throttled: bool) -> None:
        """`claim` was answered; `throttled` if the answer asked the domain to slow down."""
        domain = _domain(claim)
        lane = self._lanes.get(domain)
        if lane is None and throttled:
            lane = self._lanes[domain] = _Lane(domain_key(domain), None, False)
        if lane is None:
            return
        before = lane.in_flight
        if claim.id in self._entered:
            self._entered.discard(claim.id)
            lane.in_flight -= 1
        if throttled:
            self.throttled += 1
            lane.backoff = min(BACKOFF_MAX, lane.backoff * 2 or BACKOFF_FIRST)
            lane.until = self._clock() + lane.backoff
            lane.allowed = max(1, (lane.allowed or before) // 2)
        else:
            lane.backoff = 0.0
            if lane.allowed is not None and (lane.ceiling is None or lane.allowed < lane.ceiling):
                lane.allowed += 1
        self._pump(lane)

    def defer(self, claim: Claim) -> bool:
        """Keep a throttled `claim` for another try after the backoff; False past the tries."""
        self._throttles[claim.id] += 1
        if self._throttles[claim.id] > THROTTLE_TRIES:
            return False
        self._park(self._lanes[_domain(claim)], claim)
        return True

    def close(self) -> None:
        """Stop every timer (the run is over; its claims are settled by the caller)."""
        for lane in self._lanes.values():
            if lane.timer is not None:
                lane.timer.cancel()
                lane.timer = None

    def _take(self, lane: _Lane, claim: Claim) -> bool:
        now = self._clock()
        if now < lane.until or (lane.allowed is not None and lane.in_flight >= lane.allowed):
            return False
        if lane.rated and self._limiter is not None:
            wait = self._limiter.try_take(lane.key)
            if wait > 0:
                lane.next_token = now + wait
                return False
        lane.in_flight += 1
        self._entered.add(claim.id)
        return True

    def _park(self, lane: _Lane, claim: Claim) -> None:
        lane.waiting.append(claim)
        self.parked += 1
        self._schedule(lane)

    def _pump(self, lane: _Lane) -> None:
        lane.timer = None
        while lane.waiting and self._take(lane, lane.waiting[0]):
            claim = lane.waiting.popleft()
            self.parked -= 1
            self._admitted.add(claim.id)
            self._resume(claim)
        if lane.waiting:
            self._schedule(lane)

    def _schedule(self, lane: _Lane) -> None:
        # A full lane is pumped by `done`; a held or rate-limited one by a timer.
        now = self._clock()
        at = max(lane.until, lane.next_token)
        full = lane.allowed is not None and lane.in_flight >= lane.allowed
        if lane.timer is not None or (at <= now and full):
            return
        lane.timer = asyncio.get_running_loop().call_later(max(0.0, at - now), self._pump, lane)


def _domain(claim: Claim) -> str:
    return (claim.email or "").rpartition("@")[2].lower()
