"""Who schedules, and one tick at a time: locks shared by every process on one database.

On PostgreSQL both are advisory locks held by a dedicated connection: the scheduler lock
for as long as the process leads (if that connection dies, PostgreSQL releases the lock
and another process takes over), the tick lock for the length of one tick. SQLite is a
file on one machine, so the same two locks are `flock`s on files in the data folder; the
service assumes a single `run` process there, and the lock makes a second one wait idle.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Engine, text

from storage.session_locks import HeldLock
from syndication.config import Settings

# Constant bigint keys of our advisory locks (no other code uses them):
# crc32("syndication.scheduler") and crc32("syndication.tick").
SCHEDULER_LOCK_KEY = 0x2F0C_5B31
TICK_LOCK_KEY = 0x6E57_A1D4


class Leadership(Protocol):
    """The scheduler lock: at most one holder among the processes sharing a database."""

    def try_acquire(self) -> bool:
        """Take the lock if free; True if this process now holds it."""

    def still_held(self) -> bool:
        """Whether the lock is still ours (False once its connection is gone)."""

    def release(self) -> None:
        """Give the lock up (no-op if not held)."""


class AdvisoryLeadership:
    """The scheduler lock as a PostgreSQL session advisory lock on its own connection."""

    def __init__(self, engine: Engine, key: int = SCHEDULER_LOCK_KEY) -> None:
        self._engine = engine
        self._key = key
        self._held: HeldLock | None = None

    def try_acquire(self) -> bool:
        """Take the lock if free; True if this process now holds it."""
        if self._held is not None:
            return self.still_held()
        connection = self._engine.connect()
        try:
            taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key})
            connection.commit()
        except BaseException:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._held = HeldLock(connection, {"key": self._key})
        return True

    def still_held(self) -> bool:
        """Whether the lock's connection is alive (the lock lives as long as it does)."""
        if self._held is not None and not self._held.alive():
            self._held = None  # gone with its connection: the next try_acquire tries anew
        return self._held is not None

    def release(self) -> None:
        """Unlock and close the connection."""
        if self._held is not None:
            self._held.release()
            self._held = None


class FileLeadership:
    """The scheduler lock as an exclusive `flock` on a file (SQLite: one machine)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stream: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        """Take the lock if free; True if this process now holds it."""
        if self._stream is not None:
            return True
        self._path.parent.mkdir(parents=True, exist_ok=True)
        stream = self._path.open("ab")
        try:
            fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            stream.close()
            return False
        self._stream = stream
        return True

    def still_held(self) -> bool:
        """A flock lasts as long as its open file."""
        return self._stream is not None

    def release(self) -> None:
        """Unlock by closing the file."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()


def scheduler_leadership(engine: Engine, settings: Settings) -> Leadership:
    """The scheduler lock fitting the database: advisory on PostgreSQL, a file otherwise."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLeadership(engine)
    return FileLeadership(settings.data_dir / "scheduler.lock")


_local_tick_lock = threading.Lock()


@contextmanager
def tick_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    """Hold the tick lock (waiting for it): ticks run one at a time across processes."""
    with _local_tick_lock:
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": TICK_LOCK_KEY})
                connection.commit()
                try:
                    yield
                finally:
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": TICK_LOCK_KEY}
                    )
                    connection.commit()
        else:
            path = settings.data_dir / "tick.lock"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as stream:
                fcntl.flock(stream, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(stream, fcntl.LOCK_UN)
