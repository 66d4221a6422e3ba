"""Alembic environment of the publishing side's tables, run programmatically by `open_store`.

The caller passes an open connection (already in a transaction) in
`config.attributes["connection"]`. The version table is `alembic_version_syndication`, so
these migrations live in the same database as the subscribers package's own.
"""

from __future__ import annotations

from subscribers.database import run_environment
from syndication.database import VERSION_TABLE, include_name
from syndication.delivery.tables import metadata

run_environment(metadata, VERSION_TABLE, include_name)
