"""Alembic environment of the subscribers package, run programmatically by `open_database`.

The caller passes an open connection (already in a transaction) in
`config.attributes["connection"]`; the chain (`subscribers.schema.CHAIN`) names its own
version table, so that the syndication package's migrations can live in the same database.
"""

from __future__ import annotations

from storage import run_environment
from subscribers.schema import CHAIN

run_environment(CHAIN)
