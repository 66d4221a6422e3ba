"""Who gets a mailing: one streaming SQL query over subscribers and their subscriptions.

The delivery planner uses ``recipients_query`` inside ``INSERT ... SELECT``; other
callers iterate ``select_recipients``, which streams (server-side cursor on PostgreSQL)
so a million subscribers never sit in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Select, exists, false, literal, or_, select

from subscribers.fields import split_values
from subscribers.model import Frequency, Recipient, Status
from subscribers.schema import lists as lists_table
from subscribers.schema import subscribers, subscriptions

STREAM_BATCH = 2_000


def _contains_any(column: ColumnElement[str], values: Sequence[str]) -> ColumnElement[bool]:
    """SQL for: the comma-joined ``column`` holds at least one of ``values``."""
    padded = literal(",") + column + literal(",")
    return or_(false(), *(padded.contains(f",{value},", autoescape=True) for value in values))


def recipients_query(
    *,
    lists: Sequence[str],
    themes: Sequence[str],
    languages: Sequence[str],
    frequencies: Sequence[Frequency],
    since_subscribed_before: datetime | None = None,
) -> Select[int, str, str]:
    """Select ``subscriber_id, email, languages`` of everyone who should get a mailing.

    Active subscribers only, one row each, who have a subscription to one of ``lists``
    with one of ``frequencies`` whose theme filter is empty or shares a theme with
    ``themes``, and who read one of ``languages``. With ``since_subscribed_before``,
    only subscriptions made before that time count (a digest covers earlier subscribers).
    """
    conditions = [
        subscriptions.c.subscriber_id == subscribers.c.id,
        subscriptions.c.list_id.in_(
            select(lists_table.c.id).where(lists_table.c.name.in_(list(lists)))
        ),
        subscriptions.c.frequency.in_([Frequency(value).value for value in frequencies]),
        or_(subscriptions.c.themes == "", _contains_any(subscriptions.c.themes, themes)),
    ]
    if since_subscribed_before is not None:
        conditions.append(subscriptions.c.created_at < since_subscribed_before)
    # EXISTS, not a join: a subscriber on several of the lists is still one row.
    subscribed = exists().where(*conditions)
    return (
        select(
            subscribers.c.id.label("subscriber_id"),
            subscribers.c.email.label("email"),
            subscribers.c.languages.label("languages"),
        )
        .where(
            subscribers.c.status == Status.ACTIVE.value,
            _contains_any(subscribers.c.languages, languages),
            subscribed,
        )
        .order_by(subscribers.c.id)
    )


def select_recipients(
    conn: Connection,
    *,
    lists: Sequence[str],
    themes: Sequence[str],
    languages: Sequence[str],
    frequencies: Sequence[Frequency],
    since_subscribed_before: datetime | None = None,
) -> Iterator[Recipient]:
    """Stream the recipients of a mailing, each with the mailing languages they read.

    The languages keep the subscriber's order of preference.
    """
    query = recipients_query(
        lists=lists,
        themes=themes,
        languages=languages,
        frequencies=frequencies,
        since_subscribed_before=since_subscribed_before,
    )
    offered = frozenset(languages)
    result = conn.execute(query, execution_options={"yield_per": STREAM_BATCH})
    try:
        for subscriber_id, email, joined in result:
            reads = tuple(code for code in split_values(joined) if code in offered)
            yield Recipient(subscriber_id=subscriber_id, email=email, languages=reads)
    finally:
        result.close()
