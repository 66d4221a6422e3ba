"""What the admin API reads from the outbox and the audience: counts, failures, reach.

Queries only; the routes in `api.py` turn their results into JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from subscribers.model import Frequency
from subscribers.recipients import select_recipients
from subscribers.tables import lists as lists_table
from syndication.delivery.tables import DeliveryStatus, deliveries, mailings
from syndication.releases import Release

FAILED = (DeliveryStatus.FAILED.value, DeliveryStatus.BOUNCED.value)


@dataclass(frozen=True, slots=True)
class MailingCounts:
    """One mailing and how many of its deliveries are in each status."""

    key: str
    kind: str
    release_id: str | None
    list_name: str
    planned_at: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "key": self.key, "kind": self.kind, "release": self.release_id,
            "list": self.list_name, "planned_at": self.planned_at.isoformat(),
            "counts": self.counts, "total": sum(self.counts.values()),
        }


def mailing_counts(engine: Engine, *, release_id: str | None = None) -> list[MailingCounts]:
    """Every mailing (of one release, if given), oldest first, with counts by status."""
    query = (
        select(
            mailings.c.id, mailings.c.key, mailings.c.kind, mailings.c.release_id,
            mailings.c.list_name, mailings.c.planned_at, deliveries.c.status,
            func.count(deliveries.c.id),
        )
        .select_from(mailings.outerjoin(deliveries, deliveries.c.mailing_id == mailings.c.id))
        .group_by(
            mailings.c.id, mailings.c.key, mailings.c.kind, mailings.c.release_id,
            mailings.c.list_name, mailings.c.planned_at, deliveries.c.status,
        )
        .order_by(mailings.c.planned_at, mailings.c.id)
    )
    if release_id is not None:
        query = query.where(mailings.c.release_id == release_id)
    found: dict[int, MailingCounts] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            entry = found.setdefault(row.id, MailingCounts(
                row.key, row.kind, row.release_id, row.list_name, row.planned_at
            ))
            if row.status is not None:
                entry.counts[row.status] = int(row[7])
    return list(found.values())


def delivery_failures(
    engine: Engine, *, release_id: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The latest failed and bounced deliveries with the server's reply."""
    query = (
        select(
            mailings.c.key, deliveries.c.subscriber_id, deliveries.c.status,
            deliveries.c.attempts, deliveries.c.last_reply, deliveries.c.next_attempt_at,
        )
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .where(deliveries.c.status.in_(FAILED))
        .order_by(deliveries.c.id.desc())
        .limit(limit)
    )
    if release_id is not None:
        query = query.where(mailings.c.release_id == release_id)
    with engine.connect() as conn:
        return [
            {
                "mailing": row.key, "subscriber_id": row.subscriber_id, "status": row.status,
                "attempts": row.attempts, "reply": row.last_reply,
            }
            for row in conn.execute(query)
        ]


def audience(
    engine: Engine, release: Release, *, lists: Iterable[str] | None = None,
    frequencies: Iterable[Frequency] = (Frequency.IMMEDIATE,),
) -> dict[str, int]:
    """How many active subscribers a mailing of `release` reaches, by the language of their
    message's subject (the first of theirs the release has). Default lists: the release's."""
    with engine.connect() as conn:
        names = list(lists) if lists is not None else list(release.lists)
        if not names:
            names = list(conn.scalars(select(lists_table.c.name)))
        counts: Counter[str] = Counter()
        for recipient in select_recipients(
            conn, lists=names, themes=release.themes, languages=release.languages,
            frequencies=list(frequencies),
        ):
            if recipient.languages:
                counts[recipient.languages[0]] += 1
    return {language: counts[language] for language in release.languages}


def mailing_stats(engine: Engine) -> dict[str, dict[str, int]]:
    """Deliveries by status, summed over every mailing of each release."""
    query = (
        select(mailings.c.release_id, deliveries.c.status, func.count(deliveries.c.id))
        .join(deliveries, deliveries.c.mailing_id == mailings.c.id)
        .where(mailings.c.release_id.is_not(None))
        .group_by(mailings.c.release_id, deliveries.c.status)
    )
    stats: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for release_id, status, count in conn.execute(query):
            stats.setdefault(release_id, {})[status] = int(count)
    return stats
