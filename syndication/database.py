"""The database: the subscribers' schema and then the publishing side's (outbox, scheduler).

The publishing side's tables all hang on one MetaData, `metadata`, of one migration chain,
`CHAIN` (scripts in `syndication/migrations/`, version table `alembic_version_syndication`):
`mailings`, `deliveries` and `senders` (delivery/outbox_schema.py), `ticks`, `release_seen` and
`digest_runs` (scheduler/tick_state.py), `site_generation` (scheduler/site_generation.py),
`rate_events` (web/rate_events.py). Importing `syndication.migrations` declares them
all, which is what env.py and the drift test compare.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import sqlalchemy

from storage import MigrationChain, chain_metadata
from storage import upgrade_schema as upgrade_chain
from subscribers import DuplicateList, create_list, list_names, open_database
from syndication.config import Settings
from syndication.file_modes import make_private_files, make_private_folder

metadata = chain_metadata()
CHAIN = MigrationChain(
    script_location=Path(__file__).resolve().parent / "migrations",
    version_table="alembic_version_syndication",
    # Distinct from the subscribers chain's key.
    lock_key=0x1D3F_52C4,
    metadata=metadata,
)


def open_store(settings: Settings) -> sqlalchemy.Engine:
    """Open the configured database with every schema upgraded to its newest version."""
    make_private_folder(settings.data_dir)
    engine = open_database(settings.database_url)
    try:
        upgrade_schema(engine)  # creates an SQLite file on first use
        _make_database_files_private(engine)
        create_declared_lists(engine, settings)
    except BaseException:
        engine.dispose()
        raise
    return engine


def upgrade_schema(engine: sqlalchemy.Engine) -> None:
    """Run the publishing side's migrations to head (after the subscribers' ones)."""
    upgrade_chain(engine, CHAIN)


def create_declared_lists(engine: sqlalchemy.Engine, settings: Settings) -> None:
    """Create the lists config.toml declares and the database lacks (labels in the first
    language); lists an admin made with `lists create` are left as they are."""
    existing = set(list_names(engine))
    for name, declared in settings.lists.items():
        if name not in existing:
            label = declared.label.get(settings.languages[0], "")
            with contextlib.suppress(DuplicateList):  # another process was quicker
                create_list(engine, name, label=label)


def _make_database_files_private(engine: sqlalchemy.Engine) -> None:
    """An SQLite database and its WAL are the service user's alone, wherever they are.

    SQLite creates them with the process umask (0644 under the usual 022) and gives the WAL
    and shared-memory files the database file's own mode, so fixing the database fixes them.
    """
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
        make_private_files(path, path.with_name(path.name + "-wal"),
                           path.with_name(path.name + "-shm"))
