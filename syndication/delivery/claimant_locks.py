"""Locks that die with their sender, and how any other process tells whose lock is free.

A sender holds one lock for as long as it runs; the operating system (SQLite) or the
database server (PostgreSQL) releases it the moment the process dies, SIGKILL included, so
a free lock is proof of death without waiting for a lease:

- PostgreSQL: a session advisory lock `(SENDER_LOCK_SPACE, slot)` held by a connection of
  its own (the pattern of scheduler/leader.py). `pg_locks` shows every granted one to every
  session of the database, from any host: one query tells which slots are alive.
- SQLite (one machine): an exclusive `flock` on `<data folder>/senders/<claimant>.lock`.
  Another process tries the same flock without blocking: getting it means the holder died.
  flock belongs to the open file, not the process, so this works within one process too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Engine, text

from storage.session_locks import HeldLock
from syndication.config import Settings

# First key of every sender lock (the two-int4 form of pg_advisory_lock); the scheduler's
# locks use the one-bigint form with other values, so they never collide.
SENDER_LOCK_SPACE = 0x5E4D_0A11
_SLOTS = 2**31 - 1

_HELD_SLOTS = text(
    "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND classid = :space AND objsubid = 2"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


@dataclass(frozen=True, slots=True)
class Probe:
    """Senders whose lock is free (dead), and those whose held lock proves them alive."""

    free: frozenset[str]
    alive: frozenset[str]  # empty unless the locks are authoritative


class ClaimantLock(Protocol):
    """The lock one sender holds while it runs."""

    @property
    def slot(self) -> int | None:
        """What the senders table records to find the lock (PostgreSQL), else None."""
        ...

    def acquire(self) -> None:
        """Take the lock (a fresh one: nobody else can hold it)."""

    def still_held(self) -> bool:
        """Whether the lock is still ours (False once its connection is gone)."""

    def release(self) -> None:
        """Give the lock up (no-op if not held)."""


class SenderLocks(Protocol):
    """The kind of lock of one database: making one, and probing everyone's."""

    # True when a held lock proves its holder alive (SQLite: one kernel decides); False
    # when a holder's host may have vanished with its lock still held (PostgreSQL keeps
    # a dead host's session until TCP keepalive gives up), so heartbeats must decide too.
    authoritative: bool

    def lock_for(self, claimant: str) -> ClaimantLock:
        """A lock for a new sender."""
        ...

    def probe(self, senders: Mapping[str, int | None]) -> Probe:
        """What the locks of these senders (id → slot) say about them."""
        ...

    def discard(self, claimants: Iterable[str]) -> None:
        """Forget what dead senders left behind (their lock files)."""


class AdvisoryLock:
    """A sender's lock: a PostgreSQL session advisory lock on a connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._held: HeldLock | None = None
        self._slot: int | None = None

    @property
    def slot(self) -> int | None:
        """The lock's second key."""
        return self._slot

    def acquire(self) -> None:
        """Take a free slot (a random one; another if a live sender already has it)."""
        connection = self._engine.connect()
        try:
            while True:
                slot = secrets.randbelow(_SLOTS) + 1
                taken = connection.scalar(
                    text("SELECT pg_try_advisory_lock(:space, :slot)"),
                    {"space": SENDER_LOCK_SPACE, "slot": slot},
                )
                connection.commit()
                if taken:
                    break
        except BaseException:
            connection.close()
            raise
        self._held = HeldLock(connection, {"space": SENDER_LOCK_SPACE, "slot": slot})
        self._slot = slot

    def still_held(self) -> bool:
        """Whether the lock's connection is alive (the lock lives as long as it does)."""
        if self._held is not None and not self._held.alive():
            self._held = None  # gone with its connection
        return self._held is not None

    def release(self) -> None:
        """Unlock and close the connection (closing releases the lock anyway)."""
        if self._held is not None:
            self._held.release()
            self._held = None

class AdvisoryLocks:
    """Sender locks on PostgreSQL: advisory locks, probed through `pg_locks`."""

    authoritative = False

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def lock_for(self, claimant: str) -> ClaimantLock:
        """A new advisory lock."""
        return AdvisoryLock(self._engine)

    def probe(self, senders: Mapping[str, int | None]) -> Probe:
        """Free: senders whose slot no session of this database holds; none proven alive."""
        if not senders:
            return Probe(frozenset(), frozenset())
        with self._engine.connect() as conn:
            held = {int(slot) for slot in conn.scalars(_HELD_SLOTS, {"space": SENDER_LOCK_SPACE})}
        free = {claimant for claimant, slot in senders.items() if slot is None or slot not in held}
        return Probe(frozenset(free), frozenset())

    def discard(self, claimants: Iterable[str]) -> None:
        """Nothing is left behind: the server dropped the lock with the session."""


class FileLock:
    """A sender's lock: an exclusive flock on a file of its own."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stream: IO[bytes] | None = None

    @property
    def slot(self) -> int | None:
        """The file is found by the sender's id: no slot."""
        return None

    def acquire(self) -> None:
        """Create the file and lock it."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        stream = self._path.open("ab")
        try:
            fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BaseException:
            stream.close()
            raise
        self._stream = stream

    def still_held(self) -> bool:
        """A flock lasts as long as its open file."""
        return self._stream is not None

    def release(self) -> None:
        """Remove the file, then unlock by closing it."""
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(FileNotFoundError):
                self._path.unlink()
            stream.close()


class FileLocks:
    """Sender locks on SQLite: flocks on files in `<data folder>/senders/`."""

    authoritative = True

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def lock_for(self, claimant: str) -> ClaimantLock:
        """A new flock on `<claimant>.lock`."""
        return FileLock(self._path(claimant))

    def probe(self, senders: Mapping[str, int | None]) -> Probe:
        """Free: the file could be locked now; alive: it is locked; a missing one tells nothing."""
        states = {claimant: _lockable(self._path(claimant)) for claimant in senders}
        return Probe(
            frozenset(claimant for claimant, state in states.items() if state is True),
            frozenset(claimant for claimant, state in states.items() if state is False),
        )

    def discard(self, claimants: Iterable[str]) -> None:
        """Remove dead senders' lock files."""
        for claimant in claimants:
            with contextlib.suppress(FileNotFoundError):
                self._path(claimant).unlink()

    def _path(self, claimant: str) -> Path:
        # Claimant ids are hex tokens: safe as file names.
        return self._folder / f"{claimant}.lock"


def _lockable(path: Path) -> bool | None:
    """True: nobody holds the file's lock; False: somebody does; None: no such file."""
    try:
        descriptor = os.open(path, os.O_RDONLY)  # never created here: missing means unknown
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)  # closing also unlocks what we took
    return True


def sender_locks(engine: Engine, settings: Settings) -> SenderLocks:
    """The sender locks fitting the database: advisory on PostgreSQL, files otherwise."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLocks(engine)
    return FileLocks(settings.data_dir / "senders")
