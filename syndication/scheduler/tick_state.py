"""The scheduler's own state, its tables and the queries on them, under the tick lock.

The tables are created by an Alembic revision in `syndication/migrations/versions/`
(`service_state`), and declared on the publishing side's one MetaData:

- `ticks`: one row per clock (`publish`), its latest tick instant (never ahead of the wall
  clock). Ticks never go back: a tick asked for an earlier time acts at this instant, so
  `--at` in any order neither re-plans nor plans a notice after its release's alert.
- `release_seen`: when a tick first found each release, first found it public (the
  `max_age` rule), and planned its embargo notice and alert (so a tick every 30 s does
  not re-ask the planner about every release of the archive).
- `digest_runs`: each (frequency, period end) planned once, whatever the number of ticks.

Callers hold `tick_lock`, so plain reads followed by plain writes are safe here on every
database (no two ticks interleave). Writes open their transaction with `write_transaction`
(BEGIN IMMEDIATE on SQLite): a read-then-write transaction must not meet SQLITE_BUSY when
the sender wrote in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    Row,
    String,
    Table,
    bindparam,
    insert,
    select,
    update,
)

from storage import UTCDateTime, write_transaction
from subscribers import Frequency
from syndication.database import metadata
from syndication.releases import Release

PUBLISH_CLOCK = "publish"

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


@dataclass(frozen=True, slots=True)
class Seen:
    """What the ticks so far know of one release."""

    first_seen_at: datetime
    public_seen_at: datetime | None
    mailable: bool | None
    notice_planned_at: datetime | None
    alert_planned_at: datetime | None


def advance_clock(engine: Engine, at: datetime, *, wall_clock: datetime) -> datetime:
    """The instant a tick asked for `at` acts at; the clock keeps the latest tick made.

    Ticks do not go back in time: after a tick at 10:00, a tick at 09:00 acts at 10:00
    (it neither unpublishes a release nor plans anything 10:00 made moot). A tick ahead of
    the wall clock (`publish --at ... --yes`) acts at its own time but moves the clock only
    to the wall clock: the ticks that follow at the real time act at their own time, and
    what the early tick planned stays planned once (the other state tables keep it). A
    clock left ahead of the wall clock by an older version is not followed either.
    """
    with write_transaction(engine) as conn:
        latest: datetime | None = conn.scalar(
            select(ticks.c.latest_at).where(ticks.c.clock == PUBLISH_CLOCK)
        )
        followed = latest if latest is not None and latest <= wall_clock else None
        kept = min(at, wall_clock) if followed is None else max(followed, min(at, wall_clock))
        if latest is None:
            conn.execute(insert(ticks).values(clock=PUBLISH_CLOCK, latest_at=kept))
        elif kept != latest:
            conn.execute(
                update(ticks).where(ticks.c.clock == PUBLISH_CLOCK).values(latest_at=kept)
            )
    return at if followed is None else max(at, followed)


def record_seen(
    engine: Engine, releases: Iterable[Release], *, at: datetime, max_age: timedelta
) -> tuple[dict[str, Seen], list[str]]:
    """Note releases seen and found public at `at`; return everything seen and the ids
    found public too late (more than `max_age` after publication) to be mailed."""
    with write_transaction(engine) as conn:
        known = {row.release_id: row for row in conn.execute(select(release_seen))}
        new_rows = []
        public_now = []
        too_late = []
        for release in releases:
            row = known.get(release.id)
            if row is None:
                new_rows.append({"release_id": release.id, "first_seen_at": at})
            if release.is_public(at) and (row is None or row.public_seen_at is None):
                mailable = at - release.published <= max_age
                public_now.append({"key": release.id, "mailable": mailable})
                if not mailable:
                    too_late.append(release.id)
        if new_rows:
            conn.execute(insert(release_seen), new_rows)
        if public_now:
            conn.execute(
                update(release_seen)
                .where(release_seen.c.release_id == bindparam("key"))
                .values(public_seen_at=at, mailable=bindparam("mailable")),
                public_now,
            )
        seen = {row.release_id: _seen(row) for row in conn.execute(select(release_seen))}
    return seen, too_late


def mark_planned(engine: Engine, release_ids: Iterable[str], *, column: str, at: datetime) -> None:
    """Stamp `column` (notice_planned_at or alert_planned_at) of these releases."""
    rows = [{"key": release_id} for release_id in release_ids]
    if not rows:
        return
    with write_transaction(engine) as conn:
        conn.execute(
            update(release_seen)
            .where(release_seen.c.release_id == bindparam("key"))
            .values({column: at}),
            rows,
        )


def planned_digests(engine: Engine) -> set[tuple[str, datetime]]:
    """Every (frequency, period end) of the digests planned so far."""
    with engine.connect() as conn:
        rows = conn.execute(select(digest_runs.c.frequency, digest_runs.c.period_end))
        return {(frequency, period_end) for frequency, period_end in rows}


def record_digest(
    engine: Engine, frequency: Frequency, period_end: datetime, *, at: datetime, deliveries: int
) -> None:
    """Note that the digest of `frequency` ending at `period_end` was planned."""
    with write_transaction(engine) as conn:
        conn.execute(
            insert(digest_runs).values(
                frequency=frequency.value, period_end=period_end, planned_at=at,
                deliveries=deliveries,
            )
        )


def _seen(row: Row[Any]) -> Seen:
    return Seen(
        first_seen_at=row.first_seen_at,
        public_seen_at=row.public_seen_at,
        mailable=row.mailable,
        notice_planned_at=row.notice_planned_at,
        alert_planned_at=row.alert_planned_at,
    )
