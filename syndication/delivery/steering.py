"""An admin's moves on a mailing: cancel it, retry its failures, make an early tick's plans due.

- `cancel_mailing` stamps `mailings.cancelled_at` and turns the mailing's planned deliveries
  `skipped` with the reply `CANCELLED_REPLY`: a sender claims only `planned` deliveries, so
  none of them is sent, and what was sent stays recorded. Deliveries a sender holds at that
  moment (`sending`) are left to it: what it sends is recorded as sent; cancelling again
  later skips any it handed back. Cancelling twice is harmless.
- `retry_mailing` plans the mailing's `failed` deliveries again, due now, with a fresh count
  of attempts (an admin retries once the cause is fixed). Bounced deliveries stay bounced:
  the server refused the address, and bounces count toward suppression.
- `bring_forward` makes the first attempt of a mailing's planned deliveries due now: a tick
  ahead of the clock (`publish --at ... --yes`) plans deliveries due at that future time,
  and what it plans must go out at the next `send`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, Row, func, select, update

from storage import write_transaction
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries, mailings
from syndication.errors import CancelledMailing, UnknownMailing

CANCELLED_REPLY = "cancelled by an admin (mailings cancel): not sent"


@dataclass(frozen=True, slots=True)
class Cancelled:
    """What cancelling a mailing did."""

    key: str
    cancelled_at: datetime  # the first cancellation's time
    skipped: int  # planned deliveries made skipped by this call
    in_flight: int  # deliveries a sender held (`sending`): they finish as they go
    sent: int  # sent before the cancellation: recorded, untouched


@dataclass(frozen=True, slots=True)
class Retried:
    """What retrying a mailing's failures did."""

    key: str
    planned: int  # failed deliveries planned again, due now
    bounced: int  # left bounced: the address was refused
    paused: str | None  # the pause reason, if the mailing is paused: nothing goes until resumed


def check_mailing(engine: Engine, key: str) -> None:
    """Raise UnknownMailing unless a mailing has this key."""
    with engine.connect() as conn:
        _mailing(conn, key)


def cancel_mailing(engine: Engine, key: str, *, at: datetime) -> Cancelled:
    """Cancel the mailing `key`: its planned deliveries are not sent (raises UnknownMailing)."""
    with write_transaction(engine) as conn:
        mailing = _mailing(conn, key)
        cancelled_at = mailing.cancelled_at or at
        if mailing.cancelled_at is None:
            conn.execute(
                update(mailings).where(mailings.c.id == mailing.id).values(cancelled_at=at)
            )
        skipped = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.mailing_id == mailing.id,
                deliveries.c.status == DeliveryStatus.PLANNED.value,
            )
            .values(status=DeliveryStatus.SKIPPED.value, last_reply=CANCELLED_REPLY)
        ).rowcount
        counts = _counts(conn, mailing.id)
    return Cancelled(
        key=key,
        cancelled_at=cancelled_at,
        skipped=max(0, skipped),
        in_flight=counts.get(DeliveryStatus.SENDING.value, 0),
        sent=counts.get(DeliveryStatus.SENT.value, 0),
    )


def retry_mailing(engine: Engine, key: str, *, at: datetime) -> Retried:
    """Plan the failed deliveries of `key` again, due at `at` (raises UnknownMailing,
    CancelledMailing)."""
    with write_transaction(engine) as conn:
        mailing = _mailing(conn, key)
        if mailing.cancelled_at is not None:
            raise CancelledMailing(key, mailing.cancelled_at)
        planned = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.mailing_id == mailing.id,
                deliveries.c.status == DeliveryStatus.FAILED.value,
                # An erased person's delivery has nobody left to send to.
                deliveries.c.subscriber_id.is_not(None),
            )
            .values(
                status=DeliveryStatus.PLANNED.value,
                attempts=0,
                next_attempt_at=at,
                claimed_by=None,
                claimed_until=None,
            )
        ).rowcount
        counts = _counts(conn, mailing.id)
    return Retried(
        key=key,
        planned=max(0, planned),
        bounced=counts.get(DeliveryStatus.BOUNCED.value, 0),
        paused=mailing.pause_reason if mailing.paused_at is not None else None,
    )


def bring_forward(engine: Engine, keys: Collection[str], *, at: datetime) -> int:
    """Make the not-yet-attempted planned deliveries of these mailings due at `at`; how many."""
    if not keys:
        return 0
    chosen = select(mailings.c.id).where(
        mailings.c.key.in_(list(keys)), mailings.c.cancelled_at.is_(None)
    )
    with write_transaction(engine) as conn:
        result = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.mailing_id.in_(chosen.scalar_subquery()),
                deliveries.c.status == DeliveryStatus.PLANNED.value,
                deliveries.c.attempts == 0,
                deliveries.c.next_attempt_at > at,
            )
            .values(next_attempt_at=at)
        )
        return max(0, result.rowcount)


def _mailing(
    conn: Connection, key: str
) -> Row[int, datetime | None, datetime | None, str | None]:
    row = conn.execute(
        select(
            mailings.c.id, mailings.c.cancelled_at, mailings.c.paused_at, mailings.c.pause_reason
        ).where(mailings.c.key == key)
    ).first()
    if row is None:
        raise UnknownMailing(key)
    return row


def _counts(conn: Connection, mailing_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(deliveries.c.status, func.count())
        .where(deliveries.c.mailing_id == mailing_id)
        .group_by(deliveries.c.status)
    )
    return {status: int(total) for status, total in rows}
