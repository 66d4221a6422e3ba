"""The subscribers' schema, as SQLAlchemy Core tables, and the migration chain that makes it.

Every change to these tables comes with an Alembic migration in `subscribers/migrations/`;
`open_database` brings a database up to date with them. The chain has its own version
table, `alembic_version_subscribers`, so that the syndication package's migrations can
live in the same database.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from storage import (
    MigrationChain,
    UTCDateTime,
    chain_metadata,
    one_of,
    open_engine,
    upgrade_schema,
)
from subscribers.model import ConsentSource, Frequency, Status

metadata = chain_metadata()


def new_public_id() -> str:
    """A subscriber's public id: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    # What the links in emails name (tokens.py): random, never reused, unlike the row id.
    # Unique by an index: migration 0002 adds it to a live table without rebuilding it.
    Column("public_id", String(32), nullable=False, default=lambda: new_public_id()),
    Column("email", String(320), nullable=False, unique=True),
    # The address's key (addresses.address_key): one subscriber per mailbox.
    Column("email_key", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("organisation", String(200), nullable=False, server_default=""),
    # Comma-joined language codes, in the subscriber's order of preference.
    Column("languages", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=True),
    Column("bounces", Integer, nullable=False, server_default="0"),
    one_of("status", Status),
    Index(None, "public_id", unique=True),
)

lists = Table(
    "lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("label", String(200), nullable=False, server_default=""),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "subscriber_id",
        Integer,
        ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("list_id", Integer, ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
    # Comma-joined theme slugs; empty means every theme.
    Column("themes", String(2000), nullable=False, server_default=""),
    Column("frequency", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("subscriber_id", "list_id"),
    Index(None, "list_id"),
    one_of("frequency", Frequency),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "subscriber_id",
        Integer,
        ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("source", String(16), nullable=False),
    Column("given_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=True),
    Column("withdrawn_at", UTCDateTime, nullable=True),
    Column("detail", String(500), nullable=False, server_default=""),
    one_of("source", ConsentSource),
)

suppressions = Table(
    "suppressions",
    metadata,
    Column("id", Integer, primary_key=True),
    # HMAC-SHA256 of the normalised address with the site secret: never the address.
    Column("email_hash", String(64), nullable=False, unique=True),
    Column("reason", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

CHAIN = MigrationChain(
    script_location=Path(__file__).resolve().parent / "migrations",
    version_table="alembic_version_subscribers",
    lock_key=0x5B5C_7E1A,  # crc32 of "subscribers.migrations"
    metadata=metadata,
)


def open_database(url: str) -> Engine:
    """Create an engine for `url` and bring this package's schema up to date."""
    engine = open_engine(url)
    try:
        upgrade_schema(engine, CHAIN)
    except BaseException:
        engine.dispose()
        raise
    return engine
