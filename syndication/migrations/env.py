"""Alembic environment of the publishing side's tables, run programmatically by `open_store`.

The caller passes an open connection (already in a transaction) in
`config.attributes["connection"]`. The version table is `alembic_version_syndication`, so
these migrations live in the same database as the subscribers package's own.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from syndication.database import VERSION_TABLE, include_name
from syndication.delivery.tables import metadata


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on `connection`."""
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
