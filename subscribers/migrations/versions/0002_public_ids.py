"""Public ids for the links in emails; address keys that fold ASCII case only (issue 11).

Every subscriber gets a random public id (tokens name it, not the reusable row id), and
`email_key` is recomputed with the new key: the local part exact except ASCII letter case,
the domain as its IDNA A-label (`casefold()` made `ſam@` the same person as `sam@`). Two
stored addresses whose new keys collide cannot be told apart safely: the migration stops
and names them.

The table is altered in place, never rebuilt: on SQLite a rebuild (Alembic's batch mode)
drops the old table, and with foreign keys on that would cascade to subscriptions and the
outbox. So the column is added NOT NULL with an empty default, filled, then indexed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import contextlib
import secrets
from string import ascii_lowercase, ascii_uppercase

import idna
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The key as this revision defines it, frozen here (subscribers.addresses may move on).
_ASCII_LOWER = str.maketrans(ascii_uppercase, ascii_lowercase)


def _key(email: str) -> str:
    local, _, domain = email.rpartition("@")
    if not domain.isascii():
        with contextlib.suppress(idna.IDNAError):
            domain = idna.encode(domain, uts46=True).decode("ascii")
    return f"{local.translate(_ASCII_LOWER)}@{domain.lower()}"


_subscribers = sa.table(
    "subscribers",
    sa.column("id", sa.Integer()),
    sa.column("email", sa.String()),
    sa.column("email_key", sa.String()),
    sa.column("public_id", sa.String()),
)


def upgrade() -> None:
    """Add and fill public ids; recompute the address keys."""
    op.add_column(
        "subscribers",
        sa.Column("public_id", sa.String(32), server_default="", nullable=False),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(_subscribers.c.id, _subscribers.c.email)).all()
    keys: dict[str, str] = {}
    for _id, email in rows:
        key = _key(email)
        if key in keys:
            raise RuntimeError(
                f"subscribers {keys[key]!r} and {email!r} now share the address key {key!r}:"
                " erase or merge one of them, then upgrade again"
            )
        keys[key] = email
    # Keys first to temporary values: a new key may equal another row's old one.
    for row_id, _email in rows:
        conn.execute(
            sa.update(_subscribers).where(_subscribers.c.id == row_id)
            .values(email_key=f"#{row_id}", public_id=secrets.token_urlsafe(16))
        )
    for row_id, email in rows:
        conn.execute(
            sa.update(_subscribers).where(_subscribers.c.id == row_id).values(email_key=_key(email))
        )
    if conn.dialect.name != "sqlite":  # SQLite cannot drop a default without a rebuild
        op.alter_column("subscribers", "public_id", server_default=None)
    op.create_index("ix_subscribers_public_id", "subscribers", ["public_id"], unique=True)


def downgrade() -> None:
    """Drop the public ids (the address keys stay in their new form)."""
    op.drop_index("ix_subscribers_public_id", table_name="subscribers")
    op.drop_column("subscribers", "public_id")
