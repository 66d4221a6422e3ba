"""State every `run` process shares: rate-limit events, the published site generation.

`rate_events` (syndication/web/rate_events.py) and `site_generation`
(syndication/scheduler/site_generation.py).

Revision ID: shared_web_state
Revises: 0004_mailing_cancelled
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "shared_web_state"
down_revision = "0004_mailing_cancelled"
branch_labels = None
depends_on = None


def _aware() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("limit_name", sa.String(32), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("at", _aware(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rate_events"),
    )
    op.create_index(
        "ix_rate_events_limit_name_key_hash_at", "rate_events", ["limit_name", "key_hash", "at"]
    )
    op.create_table(
        "site_generation",
        sa.Column("site", sa.String(32), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("as_of", _aware(), nullable=False),
        sa.PrimaryKeyConstraint("site", name="pk_site_generation"),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("site_generation")
    op.drop_index("ix_rate_events_limit_name_key_hash_at", table_name="rate_events")
    op.drop_table("rate_events")
