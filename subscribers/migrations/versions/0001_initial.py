"""Initial schema: subscribers, lists, subscriptions, consents, suppressions.

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


def _aware() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("email_key", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), server_default="", nullable=False),
        sa.Column("organisation", sa.String(200), server_default="", nullable=False),
        sa.Column("languages", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", _aware(), nullable=False),
        sa.Column("confirmed_at", _aware(), nullable=True),
        sa.Column("bounces", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'active', 'unsubscribed', 'suppressed')",
            name="ck_subscribers_status",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subscribers"),
        sa.UniqueConstraint("email", name="uq_subscribers_email"),
        sa.UniqueConstraint("email_key", name="uq_subscribers_email_key"),
    )
    op.create_table(
        "lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lists"),
        sa.UniqueConstraint("name", name="uq_lists_name"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("themes", sa.String(2000), server_default="", nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("created_at", _aware(), nullable=False),
        sa.CheckConstraint(
            "frequency IN ('immediate', 'daily', 'weekly')",
            name="ck_subscriptions_frequency",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["lists.id"],
            name="fk_subscriptions_list_id_lists",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_subscriptions_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint(
            "subscriber_id", "list_id", name="uq_subscriptions_subscriber_id_list_id"
        ),
    )
    op.create_index("ix_subscriptions_list_id", "subscriptions", ["list_id"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("given_at", _aware(), nullable=False),
        sa.Column("confirmed_at", _aware(), nullable=True),
        sa.Column("withdrawn_at", _aware(), nullable=True),
        sa.Column("detail", sa.String(500), server_default="", nullable=False),
        sa.CheckConstraint("source IN ('admin', 'import', 'web')", name="ck_consents_source"),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_consents_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
    )
    op.create_index("ix_consents_subscriber_id", "consents", ["subscriber_id"])
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("created_at", _aware(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_suppressions"),
        sa.UniqueConstraint("email_hash", name="uq_suppressions_email_hash"),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("suppressions")
    op.drop_index("ix_consents_subscriber_id", table_name="consents")
    op.drop_table("consents")
    op.drop_index("ix_subscriptions_list_id", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_table("lists")
    op.drop_table("subscribers")
