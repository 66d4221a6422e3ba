"""Alembic migrations of the publishing side's tables (outbox, scheduler and web state).

Run programmatically by `syndication.database.upgrade_schema` (no alembic.ini); the version
table is `alembic_version_syndication`. Importing this package declares every table of the
chain on its one MetaData (`CHAIN.metadata`): env.py compares with that, and so does the
test that fails when a table drifts from its migrations.
"""

from syndication.bounces import schema as bounce_schema
from syndication.database import CHAIN
from syndication.delivery import outbox_schema
from syndication.scheduler import site_generation, tick_state
from syndication.web import rate_events

# The table modules are imported for what they declare on CHAIN.metadata.
TABLE_MODULES = (outbox_schema, tick_state, site_generation, rate_events, bounce_schema)

__all__ = ["CHAIN", "TABLE_MODULES"]
