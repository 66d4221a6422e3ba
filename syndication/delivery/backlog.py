"""What a send left in the outbox, and why: so `send` never leaves a planned delivery unexplained.

After (or instead of, on a dry run) sending, the deliveries not finished are one of:
held by another live sender (it is sending them), claimed by a sender that is gone (the
next send takes them back), waiting for a retry (with the next attempt time), not due yet
(with the first due time), still due (a `--limit` or a stop ended the run), or in a
paused mailing (reported with its reason by `paused_mailings`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, case, func, select

from storage import reading
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries, mailings


@dataclass(frozen=True, slots=True)
class Waiting:
    """Planned deliveries of one kind and the earliest time one of them is due."""

    count: int = 0
    first_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Backlog:
    """The unfinished deliveries of mailings not paused, by why they are not sent yet."""

    held: int = 0  # claimed by other live senders
    holders: int = 0  # how many live senders hold them
    orphaned: int = 0  # claimed by senders that are gone: the next send takes them back
    due: int = 0  # due now and not sent (a limit or a stop ended the run)
    retrying: Waiting = field(default_factory=Waiting)  # transient failures, next attempt
    not_due: Waiting = field(default_factory=Waiting)  # first attempts planned for later


def outbox_backlog(engine: Engine, *, now: datetime, live: Collection[str]) -> Backlog:
    """Classify the outbox's unfinished deliveries at `now`; `live`: the live senders' ids."""
    kind = case(
        (deliveries.c.next_attempt_at <= now, "due"),
        (deliveries.c.attempts > 0, "retrying"),
        else_="not_due",
    )
    active = mailings.c.paused_at.is_(None) & mailings.c.cancelled_at.is_(None)
    joined = deliveries.join(mailings, mailings.c.id == deliveries.c.mailing_id)
    with reading(engine) as conn:
        claims = conn.execute(
            select(deliveries.c.claimed_by, func.count())
            .select_from(joined)
            .where(deliveries.c.status == DeliveryStatus.SENDING.value, active)
            .group_by(deliveries.c.claimed_by)
        ).all()
        planned = conn.execute(
            select(kind.label("kind"), func.count(), func.min(deliveries.c.next_attempt_at))
            .select_from(joined)
            .where(deliveries.c.status == DeliveryStatus.PLANNED.value, active)
            .group_by(kind)
        ).all()
    held = {claimant: int(count) for claimant, count in claims if claimant in live}
    waiting = {str(row[0]): Waiting(int(row[1]), row[2]) for row in planned}
    return Backlog(
        held=sum(held.values()),
        holders=len(held),
        orphaned=sum(int(count) for claimant, count in claims if claimant not in live),
        due=waiting.get("due", Waiting()).count,
        retrying=waiting.get("retrying", Waiting()),
        not_due=waiting.get("not_due", Waiting()),
    )
