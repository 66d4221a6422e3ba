"""A trigram index for the console's subscriber search, on PostgreSQL where pg_trgm exists.

The search matches text inside `email_key || ' ' || lower(name || ' ' || organisation)`
(`subscribers/search.py`); a GIN trigram index on that expression makes it a lookup
instead of a scan of every subscriber. Only PostgreSQL has it, and only where the
extension can be created (a trusted extension since PostgreSQL 13); elsewhere the search
scans, which stays fast enough on SQLite. The index is the migration's alone: the drift
check leaves `*_trgm` indexes aside (storage/migrations.py).

Revision ID: 0003_search
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_search"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEX = "ix_subscribers_search_trgm"
EXPRESSION = "(email_key || ' ' || lower(name || ' ' || organisation))"


def upgrade() -> None:
    """Create the extension and the index, if this PostgreSQL can."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return  # not installed, or not allowed: the search scans
    bind.execute(sa.text(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON subscribers USING gin ({EXPRESSION} gin_trgm_ops)"))


def downgrade() -> None:
    """Drop the index (the extension stays: others may use it)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
