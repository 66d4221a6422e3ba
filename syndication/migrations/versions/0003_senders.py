"""The senders table: who is sending now, its lock slot and heartbeat (delivery/senders.py).

Revision ID: delivery_0002
Revises: service_0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "delivery_0002"
down_revision = "service_0001"
branch_labels = None
depends_on = None


def _aware() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "senders",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("lock_slot", sa.Integer(), nullable=True),
        sa.Column("started_at", _aware(), nullable=False),
        sa.Column("heartbeat_at", _aware(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_senders"),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("senders")
