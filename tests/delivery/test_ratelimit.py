"""The token bucket, on a fake clock."""

from __future__ import annotations

from syndication.delivery.ratelimit import TokenBucket


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
