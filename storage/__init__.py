"""The storage layer every package shares: engine, transactions, column types, migrations.

Neutral ground: `subscribers/` and `syndication/` both keep their tables in one database
through it, and it imports neither.

    open_engine          an engine (SQLite pragmas, BEGIN IMMEDIATE for writers)
    bounded_waits        the same engine, waiting at most N seconds for another writer
    is_busy              whether an error only means another writer held a lock
    write_transaction    a connection in a transaction that will write
    writing, reading     a connection from a Connection (as is) or an Engine (a new one)
    checkpoint_wal       fold SQLite's write-ahead log into the file (after an erase)
    UTCDateTime          aware UTC timestamps on every backend
    chain_metadata       a MetaData with the shared constraint naming convention
    MigrationChain       one package's Alembic scripts, version table and MetaData
    upgrade_schema       run a chain to head, safely from several processes at once
    run_environment      the body of a chain's env.py
    schema_drift         what differs between a chain's tables and the migrated database

`storage.session_locks.HeldLock`: a PostgreSQL advisory lock held on a connection of its own.
"""

from storage.contention import is_busy
from storage.conventions import NAMING_CONVENTION, UTCDateTime, chain_metadata, one_of
from storage.engine import (
    bounded_waits,
    checkpoint_wal,
    open_engine,
    reading,
    write_transaction,
    writing,
)
from storage.errors import NaiveDatetime, StorageError
from storage.migrations import MigrationChain, run_environment, schema_drift, upgrade_schema

__all__ = [
    "NAMING_CONVENTION",
    "MigrationChain",
    "NaiveDatetime",
    "StorageError",
    "UTCDateTime",
    "bounded_waits",
    "chain_metadata",
    "checkpoint_wal",
    "is_busy",
    "one_of",
    "open_engine",
    "reading",
    "run_environment",
    "schema_drift",
    "upgrade_schema",
    "write_transaction",
    "writing",
]
