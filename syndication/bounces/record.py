"""SPEC's rules for a matched report, in the caller's transaction.

- hard bounce: the delivery becomes `bounced` (its reply: the status and the server's
  words) and the bounce counts toward `suppress_after`, once per delivery;
- soft bounce: recorded; it counts half a hard bounce, at most once a day per address
  (Mailman's rule): every second counted soft bounce adds one to the subscriber's count;
- complaint: recorded beside the delivery, which stays `sent`; the subscriber is
  suppressed at once.
A report for a delivery not yet recorded as sent (the relay bounced before the sender wrote
its result) is deferred: the relay, the Maildir or the operator tries again.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Connection, func, insert, select, update

from subscribers import UnknownSubscriber, record_complaint, record_hard_bounce
from syndication.bounces.parse import Report
from syndication.bounces.schema import ReportKind, Source, delivery_reports
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries

SOFT_EVERY = timedelta(days=1)  # a soft bounce counts at most once in this time per address
SOFT_PER_HARD = 2  # soft bounces counted that make one hard bounce


class Applied(StrEnum):
    """What recording a matched report did."""

    COUNTED = "counted"  # recorded, and counted toward suppression (or suppressed)
    RECORDED = "recorded"  # recorded only: a repeat, or a soft bounce within the day
    DEFERRED = "deferred"  # not recorded: the delivery is not sent yet; try again later


def record_report(
    conn: Connection,
    delivery_id: int,
    report: Report,
    *,
    source: Source,
    now: datetime,
    suppress_after: int,
) -> Applied:
    """Record `report` against the delivery and apply SPEC's rule for its kind."""
    row = conn.execute(
        select(deliveries.c.status, deliveries.c.subscriber_id)
        .where(deliveries.c.id == delivery_id)
        .with_for_update()
    ).one()
    if row.status in (DeliveryStatus.PLANNED.value, DeliveryStatus.SENDING.value):
        return Applied.DEFERRED
    kind = report.kind
    assert kind is not None  # unparseable reports never reach a delivery
    subscriber_id: int | None = row.subscriber_id
    counted = subscriber_id is not None and _counts(conn, kind, row.status, subscriber_id, now)
    conn.execute(insert(delivery_reports).values(
        delivery_id=delivery_id, kind=kind.value, status=report.status,
        diagnostic=report.diagnostic, source=source.value, received_at=now, counted=counted,
    ))
    if kind is ReportKind.HARD and row.status == DeliveryStatus.SENT.value:
        reply = " ".join(filter(None, ("bounced after sending:", report.status,
                                       report.diagnostic)))
        conn.execute(update(deliveries).where(deliveries.c.id == delivery_id)
                     .values(status=DeliveryStatus.BOUNCED.value, last_reply=reply[:1000]))
    if counted and subscriber_id is not None:
        with suppress(UnknownSubscriber):  # erased meanwhile: nothing to suppress
            _apply(conn, kind, subscriber_id, suppress_after)
    return Applied.COUNTED if counted else Applied.RECORDED


def _counts(
    conn: Connection, kind: ReportKind, status: str, subscriber_id: int, now: datetime
) -> bool:
    if kind is ReportKind.HARD:
        return status == DeliveryStatus.SENT.value  # a second report of one bounce: once
    if kind is ReportKind.COMPLAINT:
        return True
    recent = conn.scalar(
        select(func.count()).select_from(delivery_reports.join(deliveries))
        .where(deliveries.c.subscriber_id == subscriber_id,
               delivery_reports.c.kind == ReportKind.SOFT.value,
               delivery_reports.c.counted.is_(True),
               delivery_reports.c.received_at > now - SOFT_EVERY)
    )
    return not recent


def _apply(conn: Connection, kind: ReportKind, subscriber_id: int, suppress_after: int) -> None:
    if kind is ReportKind.COMPLAINT:
        record_complaint(conn, subscriber_id)
    elif kind is ReportKind.HARD or _counted_soft(conn, subscriber_id) % SOFT_PER_HARD == 0:
        record_hard_bounce(conn, subscriber_id, suppress_after=suppress_after)


def _counted_soft(conn: Connection, subscriber_id: int) -> int:
    return int(conn.scalar(
        select(func.count()).select_from(delivery_reports.join(deliveries))
        .where(deliveries.c.subscriber_id == subscriber_id,
               delivery_reports.c.kind == ReportKind.SOFT.value,
               delivery_reports.c.counted.is_(True))
    ) or 0)
