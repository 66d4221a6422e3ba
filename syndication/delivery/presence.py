"""A sender's presence while it runs: its lock, its row in `senders`, its heartbeat.

`SenderPresence` (an async context manager) takes the lock, then registers. Every
`HEARTBEAT_EVERY` seconds it renews its heartbeat and the lease of its claims in one small
write, learns how many senders are live (`on_live`, which splits the rate limits) and,
every `REAP_EVERY` seconds, takes back the claims of dead senders, so a crashed sender's
deliveries go out again within seconds even while this one is busy.

If its row was reaped (it was taken for dead) or its lock's connection is gone, the
presence is `lost`: others may now send what it holds, so it must stop sending. Where a
held lock does not prove life (PostgreSQL: a vanished host's session may linger), sending
also stops once the last heartbeat is half of `STALE_AFTER` old, well before others would
take the claims.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType

from sqlalchemy import Engine

from syndication.delivery.claimant_locks import ClaimantLock, SenderLocks
from syndication.delivery.senders import (
    STALE_AFTER,
    Beat,
    beat,
    deregister_sender,
    reap_dead,
    register_sender,
)

HEARTBEAT_EVERY = 1.0  # seconds between heartbeats
REAP_EVERY = 2.0  # seconds between looks for dead senders during a run

log = logging.getLogger("syndication.delivery")


def wall_clock() -> datetime:
    """The real time, in UTC: what heartbeats are compared with, across processes."""
    return datetime.now(UTC)


class SenderPresence:
    """One sender's registration for the length of a run; `async with` it."""

    def __init__(
        self,
        engine: Engine,
        locks: SenderLocks,
        *,
        claimant: str,
        lease: timedelta,
        now: Callable[[], datetime],
        on_live: Callable[[int], None] = lambda live: None,
        stale_after: timedelta | None = None,
        heartbeat_every: float | None = None,
        wall: Callable[[], datetime] = wall_clock,
    ) -> None:
        self.engine = engine
        self.locks = locks
        self.claimant = claimant
        self.lease = lease
        self.now = now
        self.on_live = on_live
        # Looked up now, not at import: tests shorten them.
        self.stale_after = STALE_AFTER if stale_after is None else stale_after
        self.heartbeat_every = HEARTBEAT_EVERY if heartbeat_every is None else heartbeat_every
        self.wall = wall
        self.reclaimed = 0  # deliveries taken back from dead senders during the run
        self.lost = asyncio.Event()
        self._lock: ClaimantLock = locks.lock_for(claimant)
        self._last_beat = wall()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> SenderPresence:
        await asyncio.to_thread(self._lock.acquire)
        try:
            at = self.wall()
            live = await asyncio.to_thread(
                register_sender,
                self.engine,
                self.claimant,
                lock_slot=self._lock.slot,
                at=at,
                stale_after=self.stale_after,
            )
        except BaseException:
            await asyncio.to_thread(self._lock.release)
            raise
        self._last_beat = at
        self.on_live(live)
        self._task = asyncio.create_task(self._beat_loop())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        try:
            await asyncio.to_thread(deregister_sender, self.engine, self.claimant)
        except Exception:  # the row stays with a free lock: the next reap removes it
            log.exception("could not deregister sender %s", self.claimant)
        finally:
            await asyncio.to_thread(self._lock.release)

    def may_send(self) -> bool:
        """Whether this sender's claims are still surely its own."""
        if self.lost.is_set():
            return False
        if self.locks.authoritative:
            return True
        return self.wall() < self._last_beat + self.stale_after / 2

    async def reap(self) -> int:
        """Take back the claims of dead senders now; return how many came back."""
        reclaimed = await asyncio.to_thread(
            reap_dead,
            self.engine,
            self.locks,
            now=self.now(),
            at=self.wall(),
            stale_after=self.stale_after,
        )
        self.reclaimed += reclaimed
        return reclaimed

    async def _beat_loop(self) -> None:
        last_reap = time.monotonic()
        while not self.lost.is_set():
            await asyncio.sleep(self.heartbeat_every)
            at = self.wall()
            try:
                found = await asyncio.to_thread(self._beat, at)
            except Exception:  # the database is unreachable: may_send runs out by itself
                log.warning("heartbeat of sender %s failed", self.claimant, exc_info=True)
                continue
            if found is None or not found.registered:
                log.warning("sender %s lost its claims: it stops sending", self.claimant)
                self.lost.set()
                return
            self._last_beat = at
            self.on_live(found.live)
            if time.monotonic() - last_reap >= REAP_EVERY:
                last_reap = time.monotonic()
                try:
                    await self.reap()
                except Exception:
                    log.warning("looking for dead senders failed", exc_info=True)

    def _beat(self, at: datetime) -> Beat | None:
        if not self._lock.still_held():
            return None
        return beat(
            self.engine,
            self.claimant,
            at=at,
            stale_after=self.stale_after,
            now=self.now(),
            lease=self.lease,
        )
