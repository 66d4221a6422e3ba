"""Reading subscribers: by id, by address, and the listing for admins.

Every function takes a Connection (the caller owns the transaction) or an Engine (the
function commits its own transaction). Times default to now, in UTC.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Engine, exists, select

from storage import reading
from subscribers.addresses import address_key, normalise_email
from subscribers.errors import UnknownSubscriber
from subscribers.lists import resolve_lists
from subscribers.model import Status, Subscriber
from subscribers.rows import to_subscriber
from subscribers.schema import lists, subscribers, subscriptions

RECEIVING = (Status.ACTIVE.value, Status.PENDING.value)


def get_subscriber(target: Connection | Engine, subscriber_id: int) -> Subscriber:
    """Return a subscriber by id, or raise UnknownSubscriber."""
    with reading(target) as conn:
        row = conn.execute(select(subscribers).where(subscribers.c.id == subscriber_id)).first()
    if row is None:
        raise UnknownSubscriber(f"no subscriber with id {subscriber_id}")
    return to_subscriber(row._mapping)


def same_address(email: str) -> ColumnElement[bool]:
    """SQL for: the subscriber's address is ``email``, in any letter case."""
    return subscribers.c.email_key == address_key(email)


def find_subscriber(target: Connection | Engine, email: str) -> Subscriber:
    """Return a subscriber by address in any letter case, or raise UnknownSubscriber."""
    email = normalise_email(email)
    with reading(target) as conn:
        row = conn.execute(select(subscribers).where(same_address(email))).first()
    if row is None:
        raise UnknownSubscriber(f"no subscriber with address {email}")
    return to_subscriber(row._mapping)


def list_subscribers(
    target: Connection | Engine, *, list_name: str | None = None, include_all: bool = False
) -> list[tuple[Subscriber, tuple[str, ...]]]:
    """Return subscribers with the names of their lists, by address.

    Active and pending ones only, unless ``include_all``; only those on ``list_name`` if given.
    """
    with reading(target) as conn:
        names = select(lists.c.name, subscriptions.c.subscriber_id).join(
            subscriptions, subscriptions.c.list_id == lists.c.id
        )
        query = select(subscribers).order_by(subscribers.c.email)
        if not include_all:
            query = query.where(subscribers.c.status.in_(RECEIVING))
        if list_name is not None:
            resolve_lists(conn, [list_name])
            names_on = names.where(lists.c.name == list_name).subquery()
            query = query.where(exists().where(names_on.c.subscriber_id == subscribers.c.id))
        memberships: dict[int, list[str]] = {}
        for name, subscriber_id in conn.execute(names.order_by(lists.c.name)):
            memberships.setdefault(subscriber_id, []).append(name)
        return [
            (to_subscriber(row._mapping), tuple(memberships.get(row.id, ())))
            for row in conn.execute(query)
        ]
