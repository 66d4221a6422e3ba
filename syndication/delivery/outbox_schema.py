"""The outbox schema: `mailings` (one send-out), `deliveries` (one email to one subscriber) and
`senders` (the processes sending now, each with its lock and heartbeat).

Every change to these tables comes with an Alembic migration in `syndication/migrations/`.
"No double send" is a unique constraint, not care: a delivery is keyed by (mailing,
subscriber), and a mailing by its `key` ("alert:<release id>", "digest:daily:<time>").
A delivery keeps no address, name or organisation: erasing a subscriber sets its
`subscriber_id` to NULL and leaves only counts and SMTP replies behind.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage import UTCDateTime
from subscribers import Frequency, subscribers_table
from syndication.database import metadata


class DeliveryStatus(StrEnum):
    """Where a delivery stands: planned → sending → sent | failed | bounced (or skipped)."""

    PLANNED = "planned"  # due at next_attempt_at (a retry waiting is planned too)
    SENDING = "sending"  # claimed by a sender until claimed_until
    SENT = "sent"  # accepted by the server (or written to the Maildir)
    FAILED = "failed"  # 5xx reply, or out of attempts; last_reply says why
    BOUNCED = "bounced"  # hard bounce: the server refused the address; counts to suppression
    SKIPPED = "skipped"  # the subscriber was no longer active (or erased) at send time


# Deliveries that mean "this subscriber has (or will have) this release".
RECEIVED = (DeliveryStatus.PLANNED.value, DeliveryStatus.SENDING.value, DeliveryStatus.SENT.value)


def alert_key(release_id: str) -> str:
    """The mailing key of a release's alert."""
    return f"alert:{release_id}"


def embargo_key(release_id: str) -> str:
    """The mailing key of a release's embargo notice."""
    return f"embargo:{release_id}"


def correction_key(release_id: str, updated: datetime) -> str:
    """The mailing key of a release's correction notice: one per `updated` value."""
    return f"correction:{release_id}:{updated.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def digest_key(frequency: Frequency, period_end: datetime) -> str:
    """The mailing key of the digest of `frequency` ending at `period_end`."""
    return f"digest:{frequency.value}:{period_end.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


# The list a mailing to every list names in its List-Id (RFC 2919).
ALL_LISTS = "all"

FINISHED = (
    DeliveryStatus.SENT.value,
    DeliveryStatus.FAILED.value,
    DeliveryStatus.BOUNCED.value,
    DeliveryStatus.SKIPPED.value,
)

mailings = Table(
    "mailings",
    metadata,
    Column("id", Integer, primary_key=True),
    # Unique business key: planning the same mailing twice finds the first one.
    Column("key", String(200), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    # The release of an alert or embargo notice; NULL for a digest.
    Column("release_id", String(200), nullable=True, index=True),
    # The list named in the List-Id header (RFC 2919).
    Column("list_name", String(64), nullable=False),
    # The end of the period a digest covers; NULL for other kinds.
    Column("period_end", UTCDateTime, nullable=True),
    Column("planned_at", UTCDateTime, nullable=False),
    # Set when a sender paused the mailing after too many errors in a row.
    Column("paused_at", UTCDateTime, nullable=True),
    Column("pause_reason", String(1000), nullable=True),
    # Set by `mailings cancel`: its planned deliveries were made skipped (delivery/steering.py).
    Column("cancelled_at", UTCDateTime, nullable=True),
)

_statuses = ", ".join(f"'{status.value}'" for status in DeliveryStatus)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("mailing_id", Integer, ForeignKey(mailings.c.id, ondelete="CASCADE"), nullable=False),
    # SET NULL: erasing a person keeps the delivery counts but nothing about them.
    Column(
        "subscriber_id",
        Integer,
        ForeignKey(subscribers_table.c.id, ondelete="SET NULL"),
        nullable=True,
    ),
    # Comma-joined languages the message is written in, in the subscriber's order.
    Column("languages", String(200), nullable=False),
    # Comma-joined release ids a digest carries; empty for alerts and embargo notices.
    Column("releases", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(32), nullable=True),
    Column("claimed_until", UTCDateTime, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("last_reply", String(1000), nullable=True),
    UniqueConstraint("mailing_id", "subscriber_id"),
    CheckConstraint(f"status IN ({_statuses})", name="status"),
    # Claiming scans due work by status and time.
    Index(None, "status", "next_attempt_at"),
    Index(None, "subscriber_id"),
)

# One row per sender while it runs: the `claimed_by` of its deliveries. Written after its
# lock is taken and deleted before the lock is released, so a row whose lock is free
# belongs to a dead sender (delivery/senders.py; docs/adr/0001).
senders = Table(
    "senders",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    # PostgreSQL: the second key of its session advisory lock; NULL on SQLite (a flock).
    Column("lock_slot", Integer, nullable=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("heartbeat_at", UTCDateTime, nullable=False),
)
