"""The database: the subscribers' schema and then the publishing side's (mailings, deliveries)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import sqlalchemy

from subscribers.database import open_database
from subscribers.database import upgrade_schema as upgrade_chain
from subscribers.errors import DuplicateList
from subscribers.lists import create_list, list_lists
from syndication.config import Settings
from syndication.delivery.tables import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version_syndication"
# Key of the PostgreSQL advisory lock that serialises concurrent upgrades; distinct from
# the subscribers package's key (any constant bigint no other code uses).
_ADVISORY_LOCK_KEY = 0x1D3F_52C4


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
    upgrade_chain(engine, script_location=MIGRATIONS, lock_key=_ADVISORY_LOCK_KEY)


def create_declared_lists(engine: sqlalchemy.Engine, settings: Settings) -> None:
    """Create the lists config.toml declares and the database lacks (labels in the first
    language); lists an admin made with `lists create` are left as they are."""
    existing = {mailing_list.name for mailing_list in list_lists(engine)}
    for name, declared in settings.lists.items():
        if name not in existing:
            label = declared.label.get(settings.languages[0], "")
            with contextlib.suppress(DuplicateList):  # another process was quicker
                create_list(engine, name, label=label)


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Tell Alembic autogenerate to look only at the publishing side's tables."""
    return type_ != "table" or name in metadata.tables
