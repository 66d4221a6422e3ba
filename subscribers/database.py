"""Opening the database: engine set-up (SQLite pragmas, PostgreSQL) and schema migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url

from subscribers.tables import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version_subscribers"
# Key of the PostgreSQL advisory lock that serialises concurrent upgrades (any constant
# bigint works as long as no other code uses it): crc32 of "subscribers.migrations".
_ADVISORY_LOCK_KEY = 0x5B5C_7E1A
# Execution option asking for BEGIN IMMEDIATE on SQLite: the write lock is taken (waiting
# up to busy_timeout) before the first read, so a read-then-write transaction cannot fail
# with SQLITE_BUSY when another process wrote in between.
IMMEDIATE = "subscribers_sqlite_begin_immediate"
BUSY_TIMEOUT_MS = 30_000


def open_database(url: str) -> Engine:
    """Create an engine for ``url`` and bring this package's schema up to date."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        _configure_sqlite(engine)
    else:
        engine = create_engine(parsed)
    try:
        upgrade_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def upgrade_schema(
    engine: Engine, *, script_location: Path = MIGRATIONS, lock_key: int = _ADVISORY_LOCK_KEY
) -> None:
    """Run an Alembic chain (this package's by default) to head; safe to call concurrently."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Two processes starting at once: the second waits, then finds head.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


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


def run_environment(
    metadata: MetaData, version_table: str,
    include_name: Callable[[str | None, str, object], bool],
) -> None:
    """The body of an Alembic env.py of one package's tables in the shared database.

    The caller of `upgrade_schema` passes its open connection (already in a transaction) in
    `config.attributes["connection"]`; each package keeps its own version table.
    """
    connection: Connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=version_table,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Tell Alembic autogenerate to look only at this package's tables."""
    return type_ != "table" or name in metadata.tables


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
