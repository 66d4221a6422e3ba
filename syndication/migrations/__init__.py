"""Alembic migrations of the publishing side's tables (outbox, scheduler state).

Run programmatically by `syndication.database.upgrade_schema` (no alembic.ini); the version
table is `alembic_version_syndication`. Importing this package declares every table of the
chain on its one MetaData (`CHAIN.metadata`): env.py compares with that, and so does the
test that fails when a table drifts from its migrations.
"""

from syndication.database import CHAIN
from syndication.delivery import tables as outbox_tables
from syndication.service import tables as tick_tables

# The table modules are imported for what they declare on CHAIN.metadata.
TABLE_MODULES = (outbox_tables, tick_tables)

__all__ = ["CHAIN", "TABLE_MODULES"]
