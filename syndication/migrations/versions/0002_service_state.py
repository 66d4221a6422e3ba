"""The scheduler's state: ticks, release_seen, digest_runs (syndication/scheduler/tick_state.py).

Revision ID: service_0001
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "service_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def _aware() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "ticks",
        sa.Column("clock", sa.String(32), nullable=False),
        sa.Column("latest_at", _aware(), nullable=False),
        sa.PrimaryKeyConstraint("clock", name="pk_ticks"),
    )
    op.create_table(
        "release_seen",
        sa.Column("release_id", sa.String(200), nullable=False),
        sa.Column("first_seen_at", _aware(), nullable=False),
        sa.Column("public_seen_at", _aware(), nullable=True),
        sa.Column("mailable", sa.Boolean(), nullable=True),
        sa.Column("notice_planned_at", _aware(), nullable=True),
        sa.Column("alert_planned_at", _aware(), nullable=True),
        sa.PrimaryKeyConstraint("release_id", name="pk_release_seen"),
    )
    op.create_table(
        "digest_runs",
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("period_end", _aware(), nullable=False),
        sa.Column("planned_at", _aware(), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("frequency", "period_end", name="pk_digest_runs"),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("digest_runs")
    op.drop_table("release_seen")
    op.drop_table("ticks")
