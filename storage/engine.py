"""Opening a database and the transactions to read and write through it.

One engine set-up for every package sharing the database: on SQLite the per-connection
pragmas (WAL, foreign keys, secure delete, a busy timeout) and SQLAlchemy-driven BEGIN, so
transactional DDL and SAVEPOINT work and a writer can take the write lock up front
(BEGIN IMMEDIATE); on PostgreSQL the defaults.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

# Execution option asking for BEGIN IMMEDIATE on SQLite: the write lock is taken (waiting
# up to busy_timeout) before the first read, so a read-then-write transaction cannot fail
# with SQLITE_BUSY when another process wrote in between.
IMMEDIATE = "storage_sqlite_begin_immediate"
BUSY_TIMEOUT_MS = 30_000


def open_engine(url: str) -> Engine:
    """Create an engine for `url` (on SQLite, its folder and pragmas); no schema is touched."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        _configure_sqlite(engine)
    else:
        engine = create_engine(parsed)
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """Open a connection in a transaction that will write (BEGIN IMMEDIATE on SQLite)."""
    with engine.connect() as conn:
        conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            yield conn


@contextmanager
def writing(target: Connection | Engine) -> Iterator[Connection]:
    """Yield a connection to write on: a new committed transaction for an Engine, else as is.

    Given a Connection, the caller owns the transaction and commits it.
    """
    if isinstance(target, Engine):
        with write_transaction(target) as conn:
            yield conn
    else:
        yield target


@contextmanager
def reading(target: Connection | Engine) -> Iterator[Connection]:
    """Yield a connection to read from: a new one for an Engine, else as is."""
    if isinstance(target, Engine):
        with target.connect() as conn:
            yield conn
    else:
        yield target


def checkpoint_wal(engine: Engine) -> bool:
    """Fold SQLite's write-ahead log into the database file and truncate it.

    After an erase, the WAL still holds the old pages with the person's data; this
    removes them. Returns False when a reader kept the checkpoint from completing.
    No-op (True) on other databases.
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # Outside any transaction: the begin hook has not run on this fresh checkout.
        cursor = raw.cursor()
        try:
            busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            cursor.close()
    return bool(busy == 0)


def _configure_sqlite(engine: Engine) -> None:
    """Install the per-connection pragmas and SQLAlchemy-driven BEGIN on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy emit BEGIN itself: pysqlite's legacy mode skips it for SELECT
        # and DDL, which breaks transactional DDL and SAVEPOINT.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            # Deleted content is overwritten with zeros: an erased person leaves no bytes.
            cursor.execute("PRAGMA secure_delete = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
