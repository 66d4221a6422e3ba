"""The web's rate-limit events in the database: one window for every `run` process.

Table `rate_events` (created by the chain's `shared_web_state` revision): one row per
event a limiter counted, under the limiter's name (`ip`, `address`) and a SHA-256 of its
key, so neither a client address nor an email address is stored; rows older than the
longest window are deleted as they are met, and now and then all at once.

One key's check-and-count is one transaction, atomic across processes: on SQLite the
write lock (BEGIN IMMEDIATE) serialises it; on PostgreSQL a transaction advisory lock on
the key's hash does, so two processes never both see room for the last event.
"""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Engine,
    Index,
    Integer,
    String,
    Table,
    and_,
    delete,
    func,
    insert,
    select,
    text,
)

from storage import UTCDateTime, write_transaction
from syndication.database import metadata

# First key of the two-key advisory locks on limiter keys: any int4 no other code uses
# (PostgreSQL keeps two-key locks apart from the one-key locks of the scheduler and the
# migrations).
LOCK_SPACE = 0x1B7E_40A9
PURGE_EVERY = 60.0  # seconds between deletions of every expired row of one limiter

rate_events = Table(
    "rate_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("limit_name", String(32), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_rate_events_limit_name_key_hash_at", "limit_name", "key_hash", "at"),
)


class TableEvents:
    """A limiter's events in `rate_events`, shared by every process on the database."""

    def __init__(self, engine: Engine, name: str) -> None:
        self._engine = engine
        self._name = name
        self._purged = 0.0
        self._purge_lock = threading.Lock()

    def admit(self, key: str, *, now: float, horizon: float, room: int) -> float | None:
        """Forget old events of `key`; record one at `now` if there is room, else the oldest."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        mine = and_(rate_events.c.limit_name == self._name, rate_events.c.key_hash == digest)
        before = _instant(horizon)
        with write_transaction(self._engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:space, :key)"),
                    {"space": LOCK_SPACE, "key": int(digest[:8], 16) - 2**31},
                )
            conn.execute(delete(rate_events).where(mine, rate_events.c.at <= before))
            count, oldest = conn.execute(
                select(func.count(), func.min(rate_events.c.at)).where(mine)
            ).one()
            if count >= room:
                return float(oldest.timestamp())
            conn.execute(
                insert(rate_events).values(limit_name=self._name, key_hash=digest,
                                           at=_instant(now))
            )
            if self._purge_due():
                conn.execute(delete(rate_events).where(
                    rate_events.c.limit_name == self._name, rate_events.c.at <= before
                ))
        return None

    def _purge_due(self) -> bool:
        """Whether to delete every expired row now (keys never seen again leave rows)."""
        with self._purge_lock:
            clock = time.monotonic()
            if clock - self._purged < PURGE_EVERY:
                return False
            self._purged = clock
            return True


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
