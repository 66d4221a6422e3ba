"""Alembic environment of the subscribers package, run programmatically by ``open_database``.

The caller passes an open connection (already in a transaction) in
``config.attributes["connection"]``; the version table is ``alembic_version_subscribers`` so
that the syndication package's own migrations can live in the same database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from subscribers.database import VERSION_TABLE, include_name
from subscribers.tables import metadata


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations(context.config.attributes["connection"])
