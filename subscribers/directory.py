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
from subscribers.tokens import LegacySubject, TokenSubject

RECEIVING = (Status.ACTIVE.value, Status.PENDING.value)


def get_subscriber(target: Connection | Engine, subscriber_id: int) -> Subscriber:
    """Return a subscriber by id, or raise UnknownSubscriber."""
    with reading(target) as conn:
        row = conn.execute(select(subscribers).where(subscribers.c.id == subscriber_id)).first()
    if row is None:
        raise UnknownSubscriber(f"no subscriber with id {subscriber_id}")
    return to_subscriber(row._mapping)


def subscriber_for_token(target: Connection | Engine, subject: TokenSubject) -> Subscriber:
    """Return whom a token names, or raise UnknownSubscriber.

    A public id names one person for ever. An old-form token (a row id) names the record
    only if the record is not younger than the token: a row id that SQLite gave again
    after an erase (or a restored sequence) is someone else, whose record is newer.
    """
    if isinstance(subject, LegacySubject):
        subscriber = get_subscriber(target, subject.subscriber_id)
        # Token timestamps are whole seconds: compare with the record's second.
        created = subscriber.created_at.replace(microsecond=0)
        if subject.signed_at < created:
            raise UnknownSubscriber(f"no subscriber with id {subject.subscriber_id} that old")
        return subscriber
    with reading(target) as conn:
        row = conn.execute(select(subscribers).where(subscribers.c.public_id == subject)).first()
    if row is None:
        raise UnknownSubscriber("no subscriber with that public id")
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
