"""The published site's generation: how several `run` processes serve the same feeds.

Only the leader ticks, and a tick rebuilds only the leader's own output folder. So each
tick of the leader that wrote anything bumps one row of `site_generation` (created by the
chain's `shared_web_state` revision): a counter and the instant the tick built as of.
Every other process polls the row (`follower.py`) and, when the counter moved, builds its
own output folder as of that instant, which gives the same files as the leader's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Engine, Integer, String, Table, insert, select, update

from storage import UTCDateTime, reading, write_transaction
from syndication.database import metadata

SITE = "site"  # the one row's key: one site per database

site_generation = Table(
    "site_generation",
    metadata,
    Column("site", String(32), primary_key=True),
    Column("generation", Integer, nullable=False),
    Column("as_of", UTCDateTime, nullable=False),
)


@dataclass(frozen=True, slots=True)
class Generation:
    """One state of the published site: its counter and the instant it was built as of."""

    number: int
    as_of: datetime


def bump_generation(engine: Engine, *, as_of: datetime) -> Generation:
    """Record that the leader's output folder changed, built as of `as_of`."""
    with write_transaction(engine) as conn:
        moved = conn.execute(
            update(site_generation)
            .where(site_generation.c.site == SITE)
            .values(generation=site_generation.c.generation + 1, as_of=as_of)
        ).rowcount
        if not moved:
            conn.execute(insert(site_generation).values(site=SITE, generation=1, as_of=as_of))
        number = conn.scalar(
            select(site_generation.c.generation).where(site_generation.c.site == SITE)
        )
    assert number is not None
    return Generation(number, as_of)


def current_generation(engine: Engine) -> Generation | None:
    """The latest generation the leader published (None before its first build)."""
    with reading(engine) as conn:
        row = conn.execute(
            select(site_generation.c.generation, site_generation.c.as_of)
            .where(site_generation.c.site == SITE)
        ).one_or_none()
    return None if row is None else Generation(row.generation, row.as_of)
