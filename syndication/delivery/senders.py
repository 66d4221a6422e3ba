"""The senders table: who is sending now, their heartbeats, and taking back the claims of the dead.

A sender takes its lock (claimant_locks.py), then inserts its row; it deletes the row, then
releases the lock. So a row whose lock is free belongs to a process that died, and
`reap_dead` hands its claims back at once, whoever runs it and from whichever host. A row
whose heartbeat is older than `STALE_AFTER` is dead too unless its lock proves otherwise
(the fallback for a PostgreSQL client host that vanished while the server still holds its
session). A claim whose claimant has no row at all falls back to its lease
(`outbox.reclaim_expired`).

Two clocks: heartbeats are wall-clock time (`at`), compared across processes; leases are the
outbox clock (`now`) that due times use, which tests move.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from storage import reading, write_transaction
from syndication.delivery.claimant_locks import SenderLocks
from syndication.delivery.outbox import expired_claims, reclaim_expired, release_claims
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries, senders

STALE_AFTER = timedelta(seconds=30)  # a heartbeat older than this is a dead sender's


@dataclass(frozen=True, slots=True)
class Beat:
    """What one heartbeat found."""

    registered: bool  # False: our row is gone, another sender took us for dead
    live: int  # senders with a fresh heartbeat, this one included


def register_sender(
    engine: Engine, claimant: str, *, lock_slot: int | None, at: datetime, stale_after: timedelta
) -> int:
    """Add this sender's row (its lock already held); return the live senders, it included."""
    with write_transaction(engine) as conn:
        conn.execute(
            insert(senders).values(
                id=claimant,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                lock_slot=lock_slot,
                started_at=at,
                heartbeat_at=at,
            )
        )
        return _live(conn, at - stale_after)


def beat(
    engine: Engine,
    claimant: str,
    *,
    at: datetime,
    stale_after: timedelta,
    now: datetime,
    lease: timedelta,
) -> Beat:
    """Renew this sender's heartbeat and the lease of its claims; count the live senders.

    Only leases in their second half are renewed (most beats touch no delivery), and on
    PostgreSQL rows the recorder is writing at that moment are skipped, not waited for:
    two transactions locking the same rows in different orders would deadlock.
    """
    with write_transaction(engine) as conn:
        renewed = conn.execute(
            update(senders).where(senders.c.id == claimant).values(heartbeat_at=at)
        ).rowcount
        if renewed:
            ageing = select(deliveries.c.id).where(
                deliveries.c.status == DeliveryStatus.SENDING.value,
                deliveries.c.claimed_by == claimant,
                deliveries.c.claimed_until < now + lease / 2,
            )
            if conn.dialect.name == "postgresql":
                ageing = ageing.with_for_update(skip_locked=True)
            conn.execute(
                update(deliveries)
                .where(deliveries.c.id.in_(ageing.scalar_subquery()))
                .values(claimed_until=now + lease)
            )
        return Beat(registered=renewed > 0, live=_live(conn, at - stale_after))


def deregister_sender(engine: Engine, claimant: str) -> None:
    """Delete this sender's row, handing back any claim it still holds (before its unlock)."""
    with write_transaction(engine) as conn:
        release_claims(conn, [claimant])
        conn.execute(delete(senders).where(senders.c.id == claimant))


def live_senders(
    engine: Engine, locks: SenderLocks, *, at: datetime, stale_after: timedelta = STALE_AFTER
) -> set[str]:
    """The senders alive now: lock held, and a fresh heartbeat unless the lock proves life."""
    with reading(engine) as conn:
        rows = conn.execute(select(senders.c.id, senders.c.lock_slot, senders.c.heartbeat_at)).all()
    probe = locks.probe({row.id: row.lock_slot for row in rows})
    fresh = {row.id for row in rows if row.heartbeat_at >= at - stale_after}
    return (fresh | probe.alive) - probe.free


def reap_dead(
    engine: Engine,
    locks: SenderLocks,
    *,
    now: datetime,
    at: datetime,
    stale_after: timedelta = STALE_AFTER,
) -> int:
    """Delete dead senders' rows and make every claim of theirs (or of an unregistered
    claimant past its lease) planned again; return how many deliveries came back.

    Reads first and writes only when there is something to take back, so the senders'
    periodic calls cost no write lock on SQLite.
    """
    stale_before = at - stale_after
    with reading(engine) as conn:
        rows = conn.execute(select(senders.c.id, senders.c.lock_slot, senders.c.heartbeat_at)).all()
        expired = conn.scalar(select(deliveries.c.id).where(expired_claims(now)).limit(1))
    probe = locks.probe({row.id: row.lock_slot for row in rows})
    stale = {row.id for row in rows if row.heartbeat_at < stale_before} - probe.alive - probe.free
    if not (probe.free or stale or expired is not None):
        return 0
    with write_transaction(engine) as conn:
        gone = set(probe.free)
        if probe.free:
            conn.execute(delete(senders).where(senders.c.id.in_(sorted(probe.free))))
        if stale:
            # Only if still stale: a sender that was merely slow may have beaten meanwhile.
            gone |= set(
                conn.scalars(
                    delete(senders)
                    .where(senders.c.id.in_(sorted(stale)), senders.c.heartbeat_at < stale_before)
                    .returning(senders.c.id)
                )
            )
        reclaimed = release_claims(conn, gone) + reclaim_expired(conn, now=now)
    locks.discard(gone)
    return reclaimed


def _live(conn: Connection, fresh_since: datetime) -> int:
    count = conn.scalar(
        select(func.count()).select_from(senders).where(senders.c.heartbeat_at >= fresh_since)
    )
    return max(1, int(count or 0))
