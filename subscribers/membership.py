"""Joining and leaving: add a subscriber (with consent), subscribe to lists, unsubscribe.

Every function takes a Connection (the caller owns the transaction) or an Engine (the
function commits its own transaction). Times default to now, in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from storage import writing
from subscribers.addresses import address_key, normalise_email
from subscribers.directory import RECEIVING, find_subscriber, get_subscriber, same_address
from subscribers.errors import (
    DuplicateSubscriber,
    ErasedAddress,
    InvalidValue,
    NotSubscribed,
)
from subscribers.fields import clean_text, join_values
from subscribers.keyring import Secret
from subscribers.lists import resolve_lists
from subscribers.model import ConsentSource, Frequency, Status, Subscriber
from subscribers.schema import consents, subscribers, subscriptions
from subscribers.suppressions import erased_among, lift_suppression, require_secret


def add_subscriber(
    target: Connection | Engine,
    email: str,
    *,
    languages: Sequence[str],
    name: str = "",
    organisation: str = "",
    lists: Sequence[str] | None = None,
    themes: Sequence[str] = (),
    frequency: Frequency = Frequency.IMMEDIATE,
    source: ConsentSource = ConsentSource.ADMIN,
    resubscribe: bool = False,
    secret: Secret | None = None,
    detail: str = "",
    now: datetime | None = None,
) -> Subscriber:
    """Add a subscriber on ``lists`` (every list when None) and record the consent.

    Admin and import additions are active at once; web sign-ups are pending until
    confirmed. An erased, unsubscribed or suppressed address is refused unless
    ``resubscribe`` is set: the one explicit way back, on the person's request.
    """
    email = normalise_email(email)
    if not languages:
        raise InvalidValue("no language given")
    now = now or datetime.now(UTC)
    status = Status.PENDING if source is ConsentSource.WEB else Status.ACTIVE
    values = {
        "name": clean_text(name, "name"),
        "organisation": clean_text(organisation, "organisation"),
        "languages": join_values(dict.fromkeys(languages)),
        "status": status.value,
        "confirmed_at": None if status is Status.PENDING else now,
        "bounces": 0,
    }
    with writing(target) as conn:
        list_ids = resolve_lists(conn, lists)
        secret = require_secret(conn, secret)
        if erased_among(conn, [email], secret):
            if not resubscribe:
                raise ErasedAddress(email)
            assert secret is not None
            lift_suppression(conn, email, secret)
        existing = conn.execute(select(subscribers).where(same_address(email))).first()
        if existing is None:
            subscriber_id = conn.execute(
                insert(subscribers)
                .values(email=email, email_key=address_key(email), created_at=now, **values)
                .returning(subscribers.c.id)
            ).scalar_one()
        elif existing.status in RECEIVING:
            raise DuplicateSubscriber(f"{email} is a subscriber already ({existing.status})")
        elif not resubscribe:
            raise DuplicateSubscriber(
                f"{email} is {existing.status}; add it with --resubscribe only if the person"
                " asked to come back"
            )
        else:
            subscriber_id = existing.id
            conn.execute(update(subscribers).where(subscribers.c.id == existing.id).values(values))
            conn.execute(delete(subscriptions).where(subscriptions.c.subscriber_id == existing.id))
        subscribe(conn, subscriber_id, list_ids.values(), themes, frequency, now)
        conn.execute(
            insert(consents).values(
                subscriber_id=subscriber_id, source=source.value, given_at=now, detail=detail
            )
        )
        return get_subscriber(conn, subscriber_id)


def subscribe(
    conn: Connection,
    subscriber_id: int,
    list_ids: Iterable[int],
    themes: Sequence[str],
    frequency: Frequency,
    now: datetime,
) -> None:
    """Insert the subscriptions of one subscriber to the given lists."""
    rows = [
        {
            "subscriber_id": subscriber_id,
            "list_id": list_id,
            "themes": join_values(themes),
            "frequency": frequency.value,
            "created_at": now,
        }
        for list_id in list_ids
    ]
    if rows:
        conn.execute(insert(subscriptions), rows)


def unsubscribe(
    target: Connection | Engine,
    subscriber_id: int,
    *,
    list_name: str | None = None,
    now: datetime | None = None,
) -> Subscriber:
    """Unsubscribe from one list, or from everything; the record stays.

    Leaving the last list unsubscribes from everything; consent is marked withdrawn.
    """
    now = now or datetime.now(UTC)
    with writing(target) as conn:
        subscriber = get_subscriber(conn, subscriber_id)
        if list_name is not None:
            list_id = resolve_lists(conn, [list_name])[list_name]
            removed = conn.execute(
                delete(subscriptions).where(
                    (subscriptions.c.subscriber_id == subscriber_id)
                    & (subscriptions.c.list_id == list_id)
                )
            ).rowcount
            if not removed:
                raise NotSubscribed(f"{subscriber.email} is not on list {list_name!r}")
            if _count_subscriptions(conn, subscriber_id):
                return subscriber
        if subscriber.status.value in RECEIVING:
            conn.execute(
                update(subscribers)
                .where(subscribers.c.id == subscriber_id)
                .values(status=Status.UNSUBSCRIBED.value)
            )
            conn.execute(
                update(consents)
                .where(
                    (consents.c.subscriber_id == subscriber_id) & consents.c.withdrawn_at.is_(None)
                )
                .values(withdrawn_at=now)
            )
        return get_subscriber(conn, subscriber_id)


def remove_subscriber(
    target: Connection | Engine,
    email: str,
    *,
    list_name: str | None = None,
    now: datetime | None = None,
) -> Subscriber:
    """Unsubscribe an address from one list or from everything (see ``unsubscribe``)."""
    with writing(target) as conn:
        subscriber = find_subscriber(conn, email)
        return unsubscribe(conn, subscriber.id, list_name=list_name, now=now)


def _count_subscriptions(conn: Connection, subscriber_id: int) -> int:
    return int(
        conn.scalar(
            select(func.count())
            .select_from(subscriptions)
            .where(subscriptions.c.subscriber_id == subscriber_id)
        )
        or 0
    )
