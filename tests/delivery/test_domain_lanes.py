"""Domain lanes on their own: slots, tokens and backoff decide who goes now and who waits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from syndication.delivery import domain_lanes
from syndication.delivery.domain_lanes import DomainLanes
from syndication.delivery.outbox import Claim
from syndication.delivery.ratelimit import KeyedLimiter
from syndication.sending_settings import DomainLimit


def claim(number: int, domain: str) -> Claim:
    return Claim(id=number, mailing_id=1, kind="alert", release_id="r", list_name="press",
                 subscriber_id=number, email=f"r{number}@{domain}", public_id=f"p{number}",
                 languages=("fr",), releases=(), attempts=0,
                 claimed_until=datetime(2026, 1, 1, tzinfo=UTC))


async def test_a_full_domain_keeps_its_claims_in_order_and_hands_them_back() -> None:
    resumed: list[int] = []
    lanes = DomainLanes({"gmail.com": DomainLimit(concurrency=2, rate=None)}, limiter=None,
                        resume=lambda c: resumed.append(c.id))
    claims = [claim(number, "gmail.com") for number in range(4)]
    assert [lanes.admit(c) for c in claims] == [True, True, False, False]
    assert lanes.admit(claim(9, "other.org"))  # another domain is never held
    assert lanes.parked == 2

    lanes.done(claims[0], throttled=False)
    assert resumed == [2]
    assert lanes.admit(claims[2])  # handed back with its slot: it goes at once
    lanes.done(claims[1], throttled=False)
    assert resumed == [2, 3]
    assert lanes.parked == 0
    lanes.close()


async def test_a_rated_domain_waits_for_its_tokens_aside() -> None:
    now = [0.0]
    limiter = KeyedLimiter(clock=lambda: now[0])
    limiter.limit_domain("gmail.com", 1.0)  # one a second, a burst of one
    resumed: list[int] = []
    lanes = DomainLanes({"gmail.com": DomainLimit(concurrency=None, rate=1.0)},
                        limiter=limiter, resume=lambda c: resumed.append(c.id),
                        clock=lambda: now[0])
    first, second = claim(1, "gmail.com"), claim(2, "gmail.com")
    assert lanes.admit(first)
    assert not lanes.admit(second)
    now[0] = 1.0
    await asyncio.sleep(1.05)  # the lane's timer, set for when the next token accrues
    assert resumed == [2]
    lanes.close()


async def test_a_throttle_halves_the_domain_and_holds_it() -> None:
    now = [0.0]
    resumed: list[int] = []
    lanes = DomainLanes({"yahoo.com": DomainLimit(concurrency=4, rate=None)}, limiter=None,
                        resume=lambda c: resumed.append(c.id), clock=lambda: now[0])
    claims = [claim(number, "yahoo.com") for number in range(6)]
    assert [lanes.admit(c) for c in claims[:4]] == [True] * 4

    lanes.done(claims[0], throttled=True)  # 421: half the concurrency, held 1 s
    assert lanes.defer(claims[0])
    for other in claims[1:4]:
        lanes.done(other, throttled=False)  # answers that were under way
    assert resumed == []  # held: nothing goes during the backoff
    now[0] = domain_lanes.BACKOFF_FIRST
    await asyncio.sleep(domain_lanes.BACKOFF_FIRST + 0.05)
    assert resumed == [0]
    lanes.close()


async def test_a_claim_throttled_too_often_takes_the_ordinary_retry_path() -> None:
    lanes = DomainLanes({}, limiter=None, resume=lambda c: None)
    throttled = claim(1, "busy.example")
    assert lanes.admit(throttled)
    results = []
    for _ in range(domain_lanes.THROTTLE_TRIES + 1):
        lanes.done(throttled, throttled=True)
        results.append(lanes.defer(throttled))
    assert results == [True] * domain_lanes.THROTTLE_TRIES + [False]
    lanes.close()
