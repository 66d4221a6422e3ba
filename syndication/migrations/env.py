"""Alembic environment of the publishing side's tables, run programmatically by `open_store`.

The caller passes an open connection (already in a transaction) in
`config.attributes["connection"]`. The chain's version table is `alembic_version_syndication`,
so these migrations live in the same database as the subscribers package's own.
"""

from __future__ import annotations

from storage import run_environment
from syndication.migrations import CHAIN

run_environment(CHAIN)
