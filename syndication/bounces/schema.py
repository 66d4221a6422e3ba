"""The bounce store: reports matched to a delivery, and those kept aside unmatched.

`delivery_reports` holds one row per bounce or complaint that named one of our deliveries
through a signed VERP address or a signed Message-ID; `counted` says whether it counted
toward `suppress_after` (a repeated report, or a second soft bounce within a day, does not).
`unmatched_reports` keeps, cut to `MAX_KEPT` characters, every report that named nothing of
ours we could verify (unsigned, forged, unparseable, from a host not allowed): counted and
shown, never guessed. Both can quote an address: registered in personal_data.py, scrubbed
by erase (bounces/erasure.py).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from storage import UTCDateTime, one_of
from syndication.database import metadata
from syndication.delivery.outbox_schema import deliveries

MAX_KEPT = 100_000  # characters of an unmatched report kept for a person to read


class ReportKind(StrEnum):
    """What a report says about a delivery."""

    HARD = "hard"  # permanent failure (RFC 3464 Action: failed, status 5.x.x)
    SOFT = "soft"  # transient (status 4.x.x, or a delayed notice): half a hard bounce
    COMPLAINT = "complaint"  # RFC 5965 abuse report: the person marked it as spam


class Source(StrEnum):
    """Which of the three ways in a report took."""

    IMPORT = "import"  # `bounces import PATH`
    MAILDIR = "maildir"  # `[bounces] maildir`, read by run's leader
    LISTEN = "listen"  # `[bounces] listen`, handed over by a relay


class Unmatched(StrEnum):
    """Why a report was kept aside."""

    UNPARSEABLE = "unparseable"  # neither a DSN, a known bounce form nor an ARF report
    UNSIGNED = "unsigned"  # no VERP token or Message-ID of ours whose signature verifies
    UNKNOWN_DELIVERY = "unknown-delivery"  # signed, but the delivery is gone
    AMBIGUOUS = "ambiguous"  # names two different deliveries with valid signatures
    NOT_ALLOWED = "not-allowed"  # handed to `listen` by a host not in `[bounces] allow`
    TOO_LARGE = "too-large"  # larger than MAX_REPORT_BYTES: not parsed


delivery_reports = Table(
    "delivery_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("delivery_id", Integer, ForeignKey(deliveries.c.id, ondelete="CASCADE"),
           nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=True),  # RFC 3463 status code, "5.1.1"
    Column("diagnostic", String(1000), nullable=True),  # the remote server's words
    Column("source", String(16), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("counted", Boolean, nullable=False),
    one_of("kind", ReportKind),
)

unmatched_reports = Table(
    "unmatched_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reason", String(32), nullable=False),
    Column("kind", String(16), nullable=True),  # what it looked like, if it parsed
    Column("source", String(16), nullable=False),
    Column("received_at", UTCDateTime, nullable=False, index=True),
    Column("content", Text, nullable=False),  # the report as received, cut to MAX_KEPT
)
