"""GDPR: what is held about a person (access) and forgetting them (erasure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, select

from storage import checkpoint_wal, reading, writing
from subscribers.addresses import normalise_email
from subscribers.directory import find_subscriber, same_address
from subscribers.keyring import Secret
from subscribers.model import Person
from subscribers.rows import to_consent, to_subscription
from subscribers.schema import consents, lists, subscribers, subscriptions
from subscribers.suppressions import ERASED, record_suppression

# What the product around this package adds to an erase: given the open write transaction,
# the address and the ids of its subscriber rows (before they go), it forgets the person
# in its own places and says what it removed, one line each.
EraseHook = Callable[[Connection, str, Sequence[int]], Sequence[str]]
# What the mounting side holds on a person beyond this package's tables (GDPR access):
# (connection, address, subscriber ids) -> section title -> printable rows.
AccessHook = Callable[[Connection, str, Sequence[int]], Mapping[str, list[dict[str, str]]]]


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erase did: whether anything was held, and whether the WAL was scrubbed."""

    email: str
    held: bool
    newly_suppressed: bool
    wal_scrubbed: bool
    removed: tuple[str, ...] = ()  # what the erase hook removed, one line each


def show_person(target: Connection | Engine, email: str) -> Person:
    """Return everything held about an address, or raise UnknownSubscriber."""
    with reading(target) as conn:
        subscriber = find_subscriber(conn, email)
        held = conn.execute(
            select(subscriptions, lists.c.name.label("list_name"))
            .join(lists, lists.c.id == subscriptions.c.list_id)
            .where(subscriptions.c.subscriber_id == subscriber.id)
            .order_by(lists.c.name)
        )
        given = conn.execute(
            select(consents)
            .where(consents.c.subscriber_id == subscriber.id)
            .order_by(consents.c.given_at, consents.c.id)
        )
        return Person(
            subscriber=subscriber,
            subscriptions=tuple(to_subscription(row._mapping) for row in held),
            consents=tuple(to_consent(row._mapping) for row in given),
        )


def erase_person(
    target: Connection | Engine,
    email: str,
    secret: Secret,
    *,
    now: datetime | None = None,
    hook: EraseHook | None = None,
) -> Erasure:
    """Forget a person everywhere, keeping only a keyed hash so they are never mailed again.

    The subscriber row goes, and with it (by foreign key) subscriptions and consents;
    delivery records keep the row but lose the link (ON DELETE SET NULL). SQLite's
    secure_delete zeroes the freed bytes. Given an Engine, the write-ahead log is then
    checkpointed and truncated; given a Connection, call ``checkpoint_wal`` after commit.
    An address not held is still recorded as erased (an erase request is honoured even
    when nothing is held). `hook` runs first, in the same transaction, while the
    subscriber ids still link their records. Raises InvalidEmail for a malformed address.
    """
    email = normalise_email(email)
    now = now or datetime.now(UTC)
    with writing(target) as conn:
        ids = conn.scalars(select(subscribers.c.id).where(same_address(email))).all()
        extra = tuple(hook(conn, email, ids)) if hook else ()
        # Every letter-case variant goes: the person asked to be forgotten.
        removed = conn.execute(delete(subscribers).where(same_address(email))).rowcount
        added = record_suppression(conn, email, secret, reason=ERASED, now=now)
    scrubbed = checkpoint_wal(target) if isinstance(target, Engine) else False
    return Erasure(email=email, held=bool(removed), newly_suppressed=added, wal_scrubbed=scrubbed,
                   removed=extra)
