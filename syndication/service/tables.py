"""The scheduler's own state: the tick clock, when each release was seen, digests planned.

The schema is created by an Alembic revision in `syndication/migrations/versions/`
(`service_state`); these Core tables are what the service queries.

- `ticks`: one row per clock (`publish`), its latest tick instant. Ticks never go back:
  a tick asked for an earlier time acts at this instant, so `--at` in any order neither
  re-plans nor plans a notice after its release's alert.
- `release_seen`: when a tick first found each release, first found it public (the
  `max_age` rule), and planned its embargo notice and alert (so a tick every 30 s does
  not re-ask the planner about every release of the archive).
- `digest_runs`: each (frequency, period end) planned once, whatever the number of ticks.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table

from storage import UTCDateTime
from syndication.database import metadata

ticks = Table(
    "ticks",
    metadata,
    Column("clock", String(32), primary_key=True),
    Column("latest_at", UTCDateTime, nullable=False),
)

release_seen = Table(
    "release_seen",
    metadata,
    Column("release_id", String(200), primary_key=True),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("public_seen_at", UTCDateTime, nullable=True),
    # Whether the release may be mailed: found public within max_age of its publication.
    Column("mailable", Boolean, nullable=True),
    Column("notice_planned_at", UTCDateTime, nullable=True),
    Column("alert_planned_at", UTCDateTime, nullable=True),
)

digest_runs = Table(
    "digest_runs",
    metadata,
    Column("frequency", String(16), primary_key=True),
    Column("period_end", UTCDateTime, primary_key=True),
    Column("planned_at", UTCDateTime, nullable=False),
    Column("deliveries", Integer, nullable=False),
)
