"""The schema, as SQLAlchemy Core tables; every change to it comes with an Alembic migration."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import DateTime, TypeDecorator

from subscribers.model import ConsentSource, Frequency, Status

# Constraint names both Alembic chains in this database follow.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive times; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; times must be aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return aware UTC times."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    # The address case folded (addresses.address_key): one subscriber per mailbox.
    Column("email_key", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("organisation", String(200), nullable=False, server_default=""),
    # Comma-joined language codes, in the subscriber's order of preference.
    Column("languages", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=True),
    Column("bounces", Integer, nullable=False, server_default="0"),
    _one_of("status", Status),
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
    _one_of("frequency", Frequency),
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
    _one_of("source", ConsentSource),
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
