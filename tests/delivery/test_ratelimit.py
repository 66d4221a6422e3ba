"""The token bucket and the keyed, split limits, on a fake clock."""

from __future__ import annotations

from syndication.delivery.ratelimit import SITE, KeyedLimiter, TokenBucket, domain_key


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_a_burst_passes_then_the_rate_holds() -> None:
    time = FakeTime()
    bucket = TokenBucket(10.0, burst=3, clock=time.clock, sleep=time.sleep)

    for _ in range(3 + 20):
        await bucket.acquire()

    assert len(time.sleeps) == 20
    assert abs(time.now - 20 / 10.0) < 1e-9


async def test_tokens_accrue_while_idle_up_to_the_burst() -> None:
    time = FakeTime()
    bucket = TokenBucket(100.0, burst=5, clock=time.clock, sleep=time.sleep)
    for _ in range(5):
        await bucket.acquire()
    time.now += 60.0  # a minute idle refills only the burst

    for _ in range(5):
        await bucket.acquire()
    await bucket.acquire()

    assert len(time.sleeps) == 1
    assert abs(time.sleeps[0] - 0.01) < 1e-9


def test_the_default_burst_is_a_tenth_of_a_second() -> None:
    assert TokenBucket(1000.0).burst == 100.0
    assert TokenBucket(2.0).burst == 1.0


async def test_the_site_rate_is_split_among_the_live_senders() -> None:
    time = FakeTime()
    limiter = KeyedLimiter({SITE: 100.0}, clock=time.clock, sleep=time.sleep)
    limiter.split(4)  # four live senders: 25 a second each

    for _ in range(10 + 50):  # the burst (a tenth of a second: 2.5), then the rate
        await limiter.acquire("reader@example.org")

    assert limiter.share() == 25.0
    assert 50 / 25.0 <= time.now <= 60 / 25.0


async def test_a_domain_limit_holds_for_its_domain_only_and_is_split_too() -> None:
    time = FakeTime()
    limiter = KeyedLimiter({SITE: 1000.0}, clock=time.clock, sleep=time.sleep)
    limiter.limit_domain("Slow.example", 10.0)
    limiter.split(2)

    for _ in range(20):
        await limiter.acquire("a@other.example")
    fast = time.now
    for _ in range(20):
        await limiter.acquire("b@slow.example")

    assert limiter.keys_for("b@SLOW.example") == (domain_key("slow.example"), SITE)
    assert limiter.keys_for("a@other.example") == (SITE,)
    assert limiter.share(domain_key("slow.example")) == 5.0
    assert fast < 0.05  # the site's 500 a second hardly waited
    assert time.now - fast >= (20 - 1) / 5.0 - 1e-9  # 5 a second for slow.example


async def test_a_sender_left_alone_gets_the_whole_rate_back() -> None:
    time = FakeTime()
    limiter = KeyedLimiter({SITE: 100.0}, clock=time.clock, sleep=time.sleep)
    limiter.split(2)
    limiter.split(1)

    for _ in range(10 + 100):
        await limiter.acquire("reader@example.org")

    assert limiter.share() == 100.0
    # The 5 tokens of the half rate's burst are kept (none invented), then 100 a second.
    assert abs(time.now - (10 + 100 - 5) / 100.0) < 1e-9


def test_no_keys_no_limit() -> None:
    assert KeyedLimiter().keys_for("a@example.org") == ()
    assert KeyedLimiter().share() is None
