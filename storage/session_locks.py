"""A PostgreSQL session advisory lock held on a connection of its own.

The lock lives exactly as long as that connection: if the process dies or the connection
drops, PostgreSQL releases it, which is how another process (on any host) learns the holder
is gone. The scheduler's leadership and each sender's liveness lock both hold one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from sqlalchemy import Connection, text


class HeldLock:
    """A taken advisory lock and the connection that holds it."""

    def __init__(self, connection: Connection, keys: Mapping[str, int]) -> None:
        self._connection: Connection | None = connection
        self._keys = dict(keys)  # "key", or "space" and "slot": as it was taken

    def alive(self) -> bool:
        """Whether the connection answers (the lock lives as long as it does)."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except Exception:  # the connection is gone, and the lock with it
            self.drop()
            return False
        return True

    def release(self) -> None:
        """Unlock and close the connection (closing releases the lock anyway)."""
        if self._connection is None:
            return
        arguments = ", ".join(f":{name}" for name in self._keys)
        with contextlib.suppress(Exception):
            self._connection.execute(text(f"SELECT pg_advisory_unlock({arguments})"), self._keys)
            self._connection.commit()
        self.drop()

    def drop(self) -> None:
        """Close the connection without unlocking: PostgreSQL lets the lock go with it."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()
            finally:
                connection.close()
