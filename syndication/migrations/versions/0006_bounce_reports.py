"""The bounce store: `delivery_reports` (matched) and `unmatched_reports` (kept aside).

syndication/bounces/schema.py.

Revision ID: 0006_bounce_reports
Revises: shared_web_state
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_bounce_reports"
down_revision = "shared_web_state"
branch_labels = None
depends_on = None


def _aware() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "delivery_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("diagnostic", sa.String(1000), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("received_at", _aware(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('hard', 'soft', 'complaint')", name="kind"),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["deliveries.id"],
            name="fk_delivery_reports_delivery_id_deliveries", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_reports"),
    )
    op.create_index(
        "ix_delivery_reports_delivery_id", "delivery_reports", ["delivery_id"]
    )
    op.create_table(
        "unmatched_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("received_at", _aware(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unmatched_reports"),
    )
    op.create_index(
        "ix_unmatched_reports_received_at", "unmatched_reports", ["received_at"]
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_index("ix_unmatched_reports_received_at", table_name="unmatched_reports")
    op.drop_table("unmatched_reports")
    op.drop_index("ix_delivery_reports_delivery_id", table_name="delivery_reports")
    op.drop_table("delivery_reports")
