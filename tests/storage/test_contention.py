"""Which database errors mean only "another writer is in the way" (a 503, not a 500)."""

from __future__ import annotations

import sqlite3

import psycopg.errors
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from storage import is_busy


def wrapped(original: Exception) -> OperationalError:
    """The driver's error as SQLAlchemy raises it."""
    return OperationalError("UPDATE subscribers ...", {}, original)


def sqlite_error(message: str, code: int | None) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    if code is not None:
        error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize("original", [
    sqlite_error("database is locked", 5),
    sqlite_error("database is locked", 5 | (3 << 8)),  # SQLITE_BUSY_TIMEOUT
    sqlite_error("database table is locked", 6),
    sqlite_error("database is locked", None),  # an older sqlite3 without the code
    psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
    psycopg.errors.SerializationFailure("could not serialize access"),
    psycopg.errors.DeadlockDetected("deadlock detected"),
], ids=lambda error: type(error).__name__ + ":" + str(error)[:20])
def test_busy_errors(original: Exception) -> None:
    assert is_busy(wrapped(original))
    assert is_busy(original)


@pytest.mark.parametrize("error", [
    wrapped(sqlite_error("no such table: subscribers", 1)),
    wrapped(sqlite_error("disk I/O error", 10)),
    wrapped(psycopg.errors.UndefinedTable("relation does not exist")),
    wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")),
    IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
    ValueError("not a database error"),
], ids=str)
def test_real_errors_are_not_busy(error: Exception) -> None:
    assert not is_busy(error)
