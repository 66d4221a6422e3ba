"""A subscriber's standing after sign-up: confirmation, preferences, bounces.

Every function takes a Connection (the caller owns the transaction) or an Engine (the
function commits its own transaction). Times default to now, in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, select, update

from storage import writing
from subscribers.directory import RECEIVING, get_subscriber
from subscribers.errors import InvalidValue, WrongStatus
from subscribers.fields import join_values
from subscribers.lists import resolve_lists
from subscribers.membership import subscribe, unsubscribe
from subscribers.model import ConsentSource, Frequency, Status, Subscriber
from subscribers.schema import consents, subscribers, subscriptions


def confirm_subscriber(
    target: Connection | Engine, subscriber_id: int, *, now: datetime | None = None
) -> Subscriber:
    """Activate a pending web sign-up and date the consent's confirmation; idempotent."""
    now = now or datetime.now(UTC)
    with writing(target) as conn:
        subscriber = get_subscriber(conn, subscriber_id)
        if subscriber.status is Status.ACTIVE:
            return subscriber
        if subscriber.status is not Status.PENDING:
            raise WrongStatus(f"{subscriber.email} is {subscriber.status}: nothing to confirm")
        conn.execute(
            update(subscribers)
            .where(subscribers.c.id == subscriber_id)
            .values(status=Status.ACTIVE.value, confirmed_at=now)
        )
        conn.execute(
            update(consents)
            .where(
                (consents.c.subscriber_id == subscriber_id)
                & (consents.c.source == ConsentSource.WEB.value)
                & consents.c.confirmed_at.is_(None)
            )
            .values(confirmed_at=now)
        )
        return get_subscriber(conn, subscriber_id)


def set_preferences(
    target: Connection | Engine,
    subscriber_id: int,
    *,
    languages: Sequence[str],
    lists: Sequence[str],
    themes: Sequence[str],
    frequency: Frequency,
    now: datetime | None = None,
) -> Subscriber:
    """Replace languages and subscriptions; a list kept keeps its subscription date.

    Choosing no list at all unsubscribes (see ``unsubscribe``).
    """
    if not languages:
        raise InvalidValue("no language given")
    now = now or datetime.now(UTC)
    with writing(target) as conn:
        get_subscriber(conn, subscriber_id)
        wanted = resolve_lists(conn, lists)
        conn.execute(
            update(subscribers)
            .where(subscribers.c.id == subscriber_id)
            .values(languages=join_values(dict.fromkeys(languages)))
        )
        mine = subscriptions.c.subscriber_id == subscriber_id
        conn.execute(
            delete(subscriptions).where(mine & subscriptions.c.list_id.not_in(wanted.values()))
        )
        conn.execute(
            update(subscriptions)
            .where(mine)
            .values(themes=join_values(themes), frequency=frequency.value)
        )
        kept = set(conn.scalars(select(subscriptions.c.list_id).where(mine)))
        subscribe(conn, subscriber_id, set(wanted.values()) - kept, themes, frequency, now)
        if not wanted:
            return unsubscribe(conn, subscriber_id, now=now)
        return get_subscriber(conn, subscriber_id)


def record_hard_bounce(
    target: Connection | Engine, subscriber_id: int, *, suppress_after: int
) -> Subscriber:
    """Count a hard bounce; at ``suppress_after`` bounces the subscriber is suppressed."""
    with writing(target) as conn:
        get_subscriber(conn, subscriber_id)
        conn.execute(
            update(subscribers)
            .where(subscribers.c.id == subscriber_id)
            .values(bounces=subscribers.c.bounces + 1)
        )
        conn.execute(
            update(subscribers)
            .where(
                (subscribers.c.id == subscriber_id)
                & (subscribers.c.bounces >= suppress_after)
                & subscribers.c.status.in_(RECEIVING)
            )
            .values(status=Status.SUPPRESSED.value)
        )
        return get_subscriber(conn, subscriber_id)


def record_complaint(target: Connection | Engine, subscriber_id: int) -> Subscriber:
    """A spam complaint (RFC 5965): the subscriber is suppressed at once."""
    with writing(target) as conn:
        get_subscriber(conn, subscriber_id)
        conn.execute(
            update(subscribers)
            .where((subscribers.c.id == subscriber_id) & subscribers.c.status.in_(RECEIVING))
            .values(status=Status.SUPPRESSED.value)
        )
        return get_subscriber(conn, subscriber_id)
