"""The database: the subscribers' schema and then the publishing side's (outbox, scheduler).

The publishing side's tables all hang on one MetaData, `metadata`, of one migration chain,
`CHAIN` (scripts in `syndication/migrations/`, version table `alembic_version_syndication`):
`mailings` and `deliveries` (delivery/outbox_schema.py), `ticks`, `release_seen` and
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
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(settings.database_url)
    try:
        upgrade_schema(engine)
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
