"""Sign-up rate limits: one sliding window per key, kept in memory or shared in the database.

The same scripted events give the same answers from both stores; the database's window
holds for several engines (processes) hammering one key at once, and stores no key.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from harness.sites import make_site, open_site
from storage import open_engine
from syndication.web.rate_events import TableEvents, rate_events
from syndication.web.ratelimit import EventStore, Limit, MemoryEvents, RateLimiter

LIMIT = Limit(count=3, seconds=60)
# (seconds since start, key) and the answer: 0 = allowed, else seconds to wait.
SCRIPT = [
    (0.0, "a", 0), (1.0, "a", 0), (2.5, "b", 0), (10.0, "a", 0),
    (11.0, "a", 49), (59.0, "a", 1), (60.0, "a", 0),  # the first left the window at 60
    (60.5, "a", 1), (61.0, "a", 0), (61.0, "a", 9), (62.0, "b", 0), (70.0, "a", 0),
    (70.5, "a", 50),  # 60, 61 and 70 in the window: the one at 60 leaves it at 120
]


class Clock:
    """A settable wall clock."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def play(store: EventStore) -> list[int]:
    """The answers of a limiter on `store` to SCRIPT."""
    clock = Clock()
    start = clock.now
    limiter = RateLimiter(LIMIT, store=store, clock=clock)
    answers = []
    for at, key, _expected in SCRIPT:
        clock.now = start + at
        answers.append(limiter.retry_after(key))
    return answers


def test_memory_window() -> None:
    assert play(MemoryEvents()) == [expected for _at, _key, expected in SCRIPT]


@pytest.fixture
def engine(backend: str, tmp_path: Path, secrets_env: None,
           request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The migrated database of a private site, on each backend."""
    url = None if backend == "sqlite" else request.getfixturevalue("pg_url")
    site = open_site(make_site(tmp_path / "site", database_url=url))
    yield site.engine
    site.engine.dispose()


def test_the_table_answers_as_memory_does_and_stores_no_key(engine: Engine) -> None:
    assert play(TableEvents(engine, "ip")) == [expected for _at, _key, expected in SCRIPT]
    with engine.connect() as conn:
        stored = conn.execute(select(rate_events.c.limit_name, rate_events.c.key_hash)).all()
    assert {name for name, _hash in stored} == {"ip"}
    assert all(len(digest) == 64 and digest not in ("a", "b") for _name, digest in stored)


def test_one_window_for_every_process(engine: Engine) -> None:
    """Eight threads on four engines (as many processes) ask at once: `count` get through."""
    engines = [open_site_engine(engine) for _ in range(4)]
    limiters = [RateLimiter(Limit(count=5, seconds=60), store=TableEvents(each, "address"))
                for each in engines]
    start = threading.Barrier(8)
    answers: list[int] = []

    def ask(limiter: RateLimiter) -> None:
        start.wait()
        for _ in range(5):
            answers.append(limiter.retry_after("victim@example.org"))

    threads = [threading.Thread(target=ask, args=(limiters[n % 4],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for each in engines:
        each.dispose()
    assert len(answers) == 40
    assert answers.count(0) == 5


def open_site_engine(engine: Engine) -> Engine:
    """Another engine (pool, connections) on the same database, as another process has."""
    return open_engine(engine.url.render_as_string(hide_password=False))
