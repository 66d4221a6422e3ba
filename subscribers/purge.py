"""Forgetting sign-ups never confirmed: pending records outlive no confirmation link.

A web sign-up names an address that may be anyone's; until its owner confirms, nobody
consented to anything. Once the confirmation link's lifetime (`CONFIRM_MAX_AGE`) has
passed since the sign-up (or a later recorded consent, as a sign-up after an unsubscribe),
the link cannot be used and the record only holds a third party's address: it goes, with
its subscriptions and consents, and no hash is kept (unlike an erasure, there is no
request to honour and nothing to block).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, exists, select

from storage import writing
from subscribers.model import Status
from subscribers.schema import consents, subscribers, subscriptions
from subscribers.tokens import CONFIRM_MAX_AGE


def purge_pending(target: Connection | Engine, *, now: datetime | None = None) -> int:
    """Delete pending subscribers whose latest confirmation link has expired; how many."""
    cutoff = (now or datetime.now(UTC)) - CONFIRM_MAX_AGE
    # A repeated sign-up sends a fresh link (and records a fresh consent): its own
    # lifetime counts, not the first sign-up's.
    recent_consent = exists().where(
        (consents.c.subscriber_id == subscribers.c.id) & (consents.c.given_at >= cutoff)
    )
    expired = select(subscribers.c.id).where(
        (subscribers.c.status == Status.PENDING.value)
        & (subscribers.c.created_at < cutoff)
        & ~recent_consent
    )
    with writing(target) as conn:
        ids = list(conn.execute(expired).scalars())
        if not ids:
            return 0
        # Explicit, not only ON DELETE CASCADE: SQLite honours that only with foreign_keys on.
        conn.execute(delete(subscriptions).where(subscriptions.c.subscriber_id.in_(ids)))
        conn.execute(delete(consents).where(consents.c.subscriber_id.in_(ids)))
        conn.execute(delete(subscribers).where(subscribers.c.id.in_(ids)))
    return len(ids)
