"""What a database error that only means "another writer is in the way" looks like.

Such an error is worth retrying a little later, never worth a 500: SQLite's SQLITE_BUSY
and SQLITE_LOCKED (the busy timeout ran out), PostgreSQL's lock_not_available (the
`lock_timeout` ran out), serialization_failure and deadlock_detected (the transaction was
chosen to give way). Every other error is a real one.
"""

from __future__ import annotations

import sqlite3

# SQLite primary result codes (the low byte of an extended code).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
# PostgreSQL SQLSTATEs: lock_not_available, serialization_failure, deadlock_detected.
_POSTGRES_BUSY = frozenset({"55P03", "40001", "40P01"})


def is_busy(error: BaseException) -> bool:
    """Whether `error` (SQLAlchemy's or the driver's) only says another writer held a lock."""
    original = getattr(error, "orig", None) or error
    if isinstance(original, sqlite3.OperationalError):
        code = getattr(original, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
        return "locked" in str(original) or "busy" in str(original)
    return getattr(original, "sqlstate", None) in _POSTGRES_BUSY
