"""The console's tables: `admins` (accounts) and `audit_log` (who changed what, from where).

Both hang on the publishing chain's MetaData (`syndication.database.metadata`); their
migration is `0007_console`.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from storage import UTCDateTime
from syndication.database import metadata

admins = Table(
    "admins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("email", String(320), nullable=False, server_default=""),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Consecutive failed sign-ins, and until when the account is locked after too many.
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime, nullable=True),
    # Bumped by a sign-out (or a new password): every session cookie of an older epoch dies.
    Column("session_epoch", Integer, nullable=False, server_default="0"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),  # an admin's name, "api token", an OS user
    Column("channel", String(16), nullable=False),  # console | api | cli
    Column("origin", String(200), nullable=False),  # a client address, or host of the CLI
    Column("action", String(200), nullable=False),
    Column("target", String(500), nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
    Index("ix_audit_log_at", "at"),
)
