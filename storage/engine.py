"""Opening a database and the transactions to read and write through it.

One engine set-up for every package sharing the database: on SQLite the per-connection
pragmas (WAL, foreign keys, secure delete, a busy timeout) and SQLAlchemy-driven BEGIN, so
transactional DDL and SAVEPOINT work and a writer can take the write lock up front
(BEGIN IMMEDIATE); on PostgreSQL the defaults.

How long a transaction waits for a lock another writer holds: on SQLite `BUSY_TIMEOUT_MS`,
on PostgreSQL as long as it takes, unless the engine came from `bounded_waits` (the web
app's: a person clicking waits a few seconds, then is asked to retry), where it is the
SQLite busy timeout or PostgreSQL's `lock_timeout`, set per transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry

# Execution option asking for BEGIN IMMEDIATE on SQLite: the write lock is taken (waiting
# up to busy_timeout) before the first read, so a read-then-write transaction cannot fail
# with SQLITE_BUSY when another process wrote in between.
IMMEDIATE = "storage_sqlite_begin_immediate"
BUSY_TIMEOUT_MS = 30_000
# Execution option: the most, in seconds, a transaction waits for another writer's lock.
LOCK_WAIT = "storage_lock_wait"
# Key in a pooled SQLite connection's info: the busy timeout it has now (ms).
_BUSY_TIMEOUT_NOW = "storage_busy_timeout_ms"


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
        _configure_server(engine)
    return engine


def bounded_waits(engine: Engine, seconds: float) -> Engine:
    """The same engine (pool, pragmas) whose transactions wait at most `seconds` for a lock
    another writer holds, then fail with a busy error (`storage.is_busy`)."""
    return engine.execution_options(**{LOCK_WAIT: seconds})


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
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy emit BEGIN itself: pysqlite's legacy mode skips it for SELECT
        # and DDL, which breaks transactional DDL and SAVEPOINT.
        dbapi_connection.isolation_level = None
        _record.info[_BUSY_TIMEOUT_NOW] = BUSY_TIMEOUT_MS
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
        options = conn.get_execution_options()
        wait = options.get(LOCK_WAIT)
        timeout = BUSY_TIMEOUT_MS if wait is None else round(wait * 1000)
        info = conn.connection.info
        if info.get(_BUSY_TIMEOUT_NOW) != timeout:  # pooled connections serve both kinds
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {timeout}")
            info[_BUSY_TIMEOUT_NOW] = timeout
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(IMMEDIATE, False) else "BEGIN")


def _configure_server(engine: Engine) -> None:
    """Bound the lock waits of a server database's transactions when asked (`LOCK_WAIT`)."""

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        wait = conn.get_execution_options().get(LOCK_WAIT)
        if wait is not None and conn.dialect.name == "postgresql":
            # SET LOCAL: the bound ends with the transaction, the pooled connection is
            # back to waiting as long as it takes for the next user.
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{round(wait * 1000)}ms'")
