"""Alembic environment of the subscribers package, run programmatically by ``open_database``.

The caller passes an open connection (already in a transaction) in
``config.attributes["connection"]``; the version table is ``alembic_version_subscribers`` so
that the syndication package's own migrations can live in the same database.
"""

from __future__ import annotations

from subscribers.database import VERSION_TABLE, include_name, run_environment
from subscribers.tables import metadata

run_environment(metadata, VERSION_TABLE, include_name)
