"""Claims that die with their sender: locks, heartbeats, and taking back a dead sender's work.

Real parts: a child process killed with SIGKILL, the SQLite file and its flocks, the real
PostgreSQL and its advisory locks, an SMTP server that answers slowly.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from syndication.config import Settings
from syndication.delivery import presence, sender
from syndication.delivery.claimant_locks import sender_locks
from syndication.delivery.outbox import claim_batch
from syndication.delivery.outbox_schema import deliveries, senders
from syndication.delivery.sender import send_due
from syndication.delivery.senders import reap_dead, register_sender
from syndication.delivery.workers import LEASE_MIN, RECORD_LIMIT
from syndication.releases import Release
from tests.delivery.conftest import smtp_settings
from tests.delivery.crashing_sender import kill_after, start_crashing_sender
from tests.delivery.people import plan, rows
from tests.delivery.smtp_server import SmtpServer

TELEWORK = "2021-06-08-telework-well-being-survey"


def database_url(engine: Engine) -> str:
    """The URL a child process opens the same database with."""
    return engine.url.render_as_string(hide_password=False)


async def test_a_killed_senders_claims_go_out_at_the_next_send_without_waiting_for_the_lease(
    backend: str,
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    smtp_server: SmtpServer,
) -> None:
    release = releases[TELEWORK]
    count = 300
    plan(store, settings, release, count)
    child = start_crashing_sender(
        settings, database_url(store), smtp_server.port, rate=200, start=release.published
    )
    kill_after(child, lambda: len(smtp_server.handler.messages), count // 3)
    left_claimed = sum(1 for *_rest, status in rows(store) if status == "sending")

    # The same instant as the dead sender's: its leases have minutes to run.
    summary = await send_due(
        store, smtp_settings(settings, smtp_server), releases, now=lambda: release.published
    )

    copies = Counter(smtp_server.handler.recipients())
    assert left_claimed > 0
    assert summary.reclaimed == left_claimed
    assert len(copies) == count
    assert sum(copies.values()) - count <= RECORD_LIMIT + 3
    assert {status for *_rest, status in rows(store)} == {"sent"}
    with store.connect() as conn:
        assert conn.scalars(select(senders.c.id)).all() == []  # the dead one's row is gone


async def test_a_live_senders_claims_are_never_taken_over_while_a_slow_server_holds_it(
    backend: str,
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stale_after = timedelta(seconds=1.5)
    monkeypatch.setattr(presence, "STALE_AFTER", stale_after)
    monkeypatch.setattr(presence, "HEARTBEAT_EVERY", 0.2)
    monkeypatch.setattr(sender, "LEASE_MIN", timedelta(seconds=2))  # renewed every second
    release = releases[TELEWORK]
    count = 8
    plan(store, settings, release, count)
    smtp_server.handler.slow(0.6)  # 8 × 0.6 s over one connection: well past stale_after
    locks = sender_locks(store, settings)
    taken: list[int] = []
    leases: set[datetime] = set()
    done = threading.Event()

    def rival() -> None:
        """Another sender's look for dead ones, again and again, with the same stale_after."""
        while not done.is_set():
            now = datetime.now(UTC)
            taken.append(reap_dead(store, locks, now=now, at=now, stale_after=stale_after))
            with store.connect() as conn:
                leases.update(
                    conn.scalars(
                        select(deliveries.c.claimed_until).where(deliveries.c.status == "sending")
                    )
                )
            time.sleep(0.1)

    watcher = threading.Thread(target=rival)
    watcher.start()
    started = time.monotonic()
    try:
        summary = await send_due(
            store, smtp_settings(settings, smtp_server, concurrency=1), releases
        )
    finally:
        done.set()
        watcher.join()

    assert time.monotonic() - started > 2 * stale_after.total_seconds()
    assert summary.sent == count
    assert len(taken) > 20
    assert sum(taken) == 0  # never taken for dead
    assert sorted(Counter(smtp_server.handler.recipients()).values()) == [1] * count
    assert len(leases) >= 3  # the heartbeat renewed the claims' lease as it went


@pytest.mark.postgres
def test_a_sender_whose_heartbeat_stopped_is_taken_for_dead_though_its_lock_lingers(
    pg_url: str, settings: Settings, releases: dict[str, Release]
) -> None:
    # A vanished host: PostgreSQL still holds its session (and lock) until TCP gives up.
    import dataclasses

    from syndication.database import open_store

    settings = dataclasses.replace(settings, database_url=pg_url)
    engine = open_store(settings)
    try:
        release = releases[TELEWORK]
        plan(engine, settings, release, 3)
        locks = sender_locks(engine, settings)
        lock = locks.lock_for("vanished")
        lock.acquire()
        long_ago = datetime.now(UTC) - timedelta(minutes=2)
        register_sender(engine, "vanished", lock_slot=lock.slot, at=long_ago, stale_after=LEASE_MIN)
        claim_batch(engine, claimant="vanished", now=release.published, size=10, lease=LEASE_MIN)
        fresh = datetime.now(UTC)

        spared = reap_dead(engine, locks, now=release.published, at=fresh, stale_after=LEASE_MIN)
        taken = reap_dead(engine, locks, now=release.published, at=fresh)
        lock.release()
    finally:
        engine.dispose()

    assert (spared, taken) == (0, 3)


HOLD_A_LOCK = """
import sys, time
from syndication.config import load_settings
from syndication.database import open_store
from syndication.delivery.claimant_locks import sender_locks
import dataclasses
from pathlib import Path
settings = dataclasses.replace(load_settings(Path(sys.argv[1])), database_url=sys.argv[2])
lock = sender_locks(open_store(settings), settings).lock_for("a0b1c2")
lock.acquire()
print(lock.slot, flush=True)
time.sleep(600)
"""


def test_a_senders_lock_is_held_while_it_lives_and_free_once_it_is_killed(
    backend: str, store: Engine, settings: Settings
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_LOCK, str(settings.config_path), database_url(store)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    printed = child.stdout.readline().strip()
    slot = {"a0b1c2": None if printed == "None" else int(printed)}
    locks = sender_locks(store, settings)

    alive = locks.probe(slot)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    time.sleep(0.2)  # PostgreSQL ends the session when it sees the socket close
    dead = locks.probe(slot)

    assert alive.free == frozenset()
    assert alive.alive == (frozenset(slot) if locks.authoritative else frozenset())
    assert dead.free == frozenset(slot)
    assert dead.alive == frozenset()


async def test_the_site_rate_is_shared_with_the_other_live_senders(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, 12)
    lock = sender_locks(store, settings).lock_for("0123abcd")
    lock.acquire()
    try:  # another live sender, busy with something else: half the rate is its
        register_sender(
            store, "0123abcd", lock_slot=lock.slot, at=datetime.now(UTC), stale_after=LEASE_MIN
        )
        started = time.monotonic()
        summary = await send_due(
            store,
            smtp_settings(settings, smtp_server, rate=20.0),
            releases,
            now=lambda: release.published,
        )
        elapsed = time.monotonic() - started
    finally:
        lock.release()

    assert summary.sent == 12
    # 10 a second (burst 1): the 11 others take 1.1 s; alone at 20 a second, 0.55 s.
    assert elapsed >= 1.05
