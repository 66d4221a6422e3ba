"""Alembic migration chains: each package's scripts, version table and MetaData, run to head.

Several packages keep their tables in one database, each with a migration chain of its own
(`MigrationChain`): its scripts, its version table (so the chains never see each other's
revisions) and the one MetaData its tables are declared on. There is no alembic.ini: the
chain's env.py calls `run_environment`, `upgrade_schema` runs it programmatically, and
`schema_drift` is what a test compares to catch a table that drifted from its migrations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command, context
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, text

from storage.engine import write_transaction


@dataclass(frozen=True, slots=True)
class MigrationChain:
    """One package's migrations in the shared database."""

    script_location: Path
    version_table: str
    # Key of the PostgreSQL advisory lock that serialises concurrent upgrades of this
    # chain: any constant bigint no other code (and no other chain) uses.
    lock_key: int
    metadata: MetaData

    def include_name(self, name: str | None, type_: str, _parents: object) -> bool:
        """Tell Alembic autogenerate to look only at this chain's tables, and not at the
        indexes a migration makes only where the database can (`*_trgm`: PostgreSQL's
        trigram search indexes, absent from the MetaData)."""
        if type_ == "index" and name is not None and name.endswith("_trgm"):
            return False
        return type_ != "table" or name in self.metadata.tables


def upgrade_schema(engine: Engine, chain: MigrationChain) -> None:
    """Run `chain` to head; safe to call concurrently (a second caller waits, finds head)."""
    config = Config()
    config.set_main_option("script_location", str(chain.script_location))
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": chain.lock_key})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def run_environment(chain: MigrationChain) -> None:
    """The body of a chain's Alembic env.py.

    The caller of `upgrade_schema` passes its open connection (already in a transaction) in
    `config.attributes["connection"]`.
    """
    connection: Connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=chain.metadata,
        version_table=chain.version_table,
        include_name=chain.include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def schema_drift(connection: Connection, chain: MigrationChain) -> list[object]:
    """Every difference Alembic finds between the chain's tables and the migrated database."""
    migration_context = MigrationContext.configure(
        connection,
        opts={
            "version_table": chain.version_table,
            "include_name": chain.include_name,
            "compare_type": True,
        },
    )
    return list(compare_metadata(migration_context, chain.metadata))
