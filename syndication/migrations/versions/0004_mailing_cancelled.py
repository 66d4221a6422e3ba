"""A mailing an admin cancelled: `mailings.cancelled_at` (syndication/delivery/steering.py).

Revision ID: 0004_mailing_cancelled
Revises: delivery_0002
Create Date: 2026-12-01

A plain nullable column, added in place on every backend (no table rebuild on SQLite).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_mailing_cancelled"
# Issue 10 adds another revision to this chain at the same time: whichever merges second
# points its down_revision at the other one.
down_revision = "delivery_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column."""
    op.add_column("mailings", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("mailings") as batch:
        batch.drop_column("cancelled_at")
