"""The outbox: mailings and deliveries.

Revision ID: 0001
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_STATUSES = "'planned', 'sending', 'sent', 'failed', 'bounced', 'skipped'"


def _aware() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("release_id", sa.String(200), nullable=True),
        sa.Column("list_name", sa.String(64), nullable=False),
        sa.Column("period_end", _aware(), nullable=True),
        sa.Column("planned_at", _aware(), nullable=False),
        sa.Column("paused_at", _aware(), nullable=True),
        sa.Column("pause_reason", sa.String(1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mailings"),
        sa.UniqueConstraint("key", name="uq_mailings_key"),
    )
    op.create_index("ix_mailings_release_id", "mailings", ["release_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailing_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column("languages", sa.String(200), nullable=False),
        sa.Column("releases", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", _aware(), nullable=False),
        sa.Column("claimed_by", sa.String(32), nullable=True),
        sa.Column("claimed_until", _aware(), nullable=True),
        sa.Column("sent_at", _aware(), nullable=True),
        sa.Column("last_reply", sa.String(1000), nullable=True),
        # Named "ck_deliveries_status" by the target metadata's naming convention.
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="status"),
        sa.ForeignKeyConstraint(
            ["mailing_id"],
            ["mailings.id"],
            name="fk_deliveries_mailing_id_mailings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_deliveries_subscriber_id_subscribers",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint(
            "mailing_id", "subscriber_id", name="uq_deliveries_mailing_id_subscriber_id"
        ),
    )
    op.create_index(
        "ix_deliveries_status_next_attempt_at", "deliveries", ["status", "next_attempt_at"]
    )
    op.create_index("ix_deliveries_subscriber_id", "deliveries", ["subscriber_id"])


def downgrade() -> None:
    """Drop the tables."""
    op.drop_index("ix_deliveries_subscriber_id", table_name="deliveries")
    op.drop_index("ix_deliveries_status_next_attempt_at", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_mailings_release_id", table_name="mailings")
    op.drop_table("mailings")
