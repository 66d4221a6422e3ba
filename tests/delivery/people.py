"""Subscribers and releases for delivery tests, made through the real services."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from subscribers import Frequency, add_subscriber
from syndication.config import Settings
from syndication.delivery.outbox_schema import deliveries, mailings
from syndication.delivery.planner import plan_release_alert
from syndication.releases import Release

LONG_AGO = datetime(2010, 1, 1, tzinfo=UTC)


def add(
    engine: Engine,
    email: str,
    *,
    languages: Sequence[str] = ("fr", "nl"),
    lists: Sequence[str] | None = None,
    themes: Sequence[str] = (),
    frequency: Frequency = Frequency.IMMEDIATE,
    since: datetime = LONG_AGO,
) -> int:
    """Add an active subscriber (on every list by default); return their id."""
    subscriber = add_subscriber(
        engine,
        email,
        languages=languages,
        lists=lists,
        themes=themes,
        frequency=frequency,
        now=since,
    )
    return subscriber.id



def plan(engine: Engine, settings: Settings, release: Release, count: int) -> list[str]:
    """`count` readers (on every list) planned for the release's alert; their addresses."""
    addresses = [f"reader{number:03}@example.org" for number in range(count)]
    for address in addresses:
        add(engine, address)
    plan_release_alert(engine, settings, release, at=release.published)
    return addresses

def variant(release: Release, release_id: str, published: datetime, **changes: Any) -> Release:
    """A copy of an example release under another id and publication time."""
    return dataclasses.replace(
        release, id=release_id, published=published, updated=None, embargo=None, **changes
    )


def rows(engine: Engine) -> list[tuple[Any, ...]]:
    """Every delivery as (mailing key, subscriber id, languages, releases, status)."""
    query = (
        select(
            mailings.c.key,
            deliveries.c.subscriber_id,
            deliveries.c.languages,
            deliveries.c.releases,
            deliveries.c.status,
        )
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .order_by(deliveries.c.id)
    )
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def by_subscriber(engine: Engine, key: str) -> dict[int | None, str]:
    """The languages of each delivery of one mailing, by subscriber id."""
    return {
        subscriber: languages
        for mailing, subscriber, languages, _releases, _status in rows(engine)
        if mailing == key
    }


def hours(count: float) -> timedelta:
    """A duration in hours."""
    return timedelta(hours=count)
