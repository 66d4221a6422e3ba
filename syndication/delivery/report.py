"""What the outbox says for `deliveries` and `mailings list`: counts by mailing and status,
retries, deliveries not due yet, failures.

No planned delivery is left unexplained: a delivery waiting for a retry is `planned`, with
its attempts and next attempt time; one not attempted yet and due later (a digest planned
ahead) says when it is due; a paused mailing says why, a cancelled one when. Failures are
grouped by mailing, status and the server's reply, so a thousand "550 no such user" lines
read as one. No address is read: deliveries hold none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, func, literal, or_, select, true

from storage import reading
from syndication.delivery.outbox_schema import DeliveryStatus, deliveries, mailings
from syndication.mail.kinds import MailKind

STATUSES = tuple(status.value for status in DeliveryStatus)
FAILED = (DeliveryStatus.FAILED.value, DeliveryStatus.BOUNCED.value)


@dataclass(frozen=True, slots=True)
class MailingLine:
    """One mailing and how many of its deliveries are in each status."""

    key: str
    kind: str
    release_id: str | None
    planned_at: datetime
    counts: dict[str, int]
    pause_reason: str | None
    cancelled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RetryLine:
    """Deliveries of one mailing waiting for a retry after the same number of attempts."""

    mailing: str
    attempts: int
    count: int
    next_attempt_at: datetime
    reply: str


@dataclass(frozen=True, slots=True)
class WaitingLine:
    """Deliveries of one mailing not attempted yet and not due before `due_at`."""

    mailing: str
    count: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class FailureLine:
    """Deliveries of one mailing that failed (or bounced) with the same reply."""

    mailing: str
    status: str
    count: int
    reply: str


@dataclass(frozen=True, slots=True)
class MailingSummary:
    """One line of `mailings list`: a mailing, where it stands, how much of it is done."""

    key: str
    kind: str
    planned_at: datetime
    state: str
    done: int  # sent, failed, bounced or skipped
    total: int
    due_at: datetime | None  # when what is not due yet is due


DONE = (*FAILED, DeliveryStatus.SENT.value, DeliveryStatus.SKIPPED.value)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """Everything `deliveries` shows."""

    mailings: tuple[MailingLine, ...]
    retries: tuple[RetryLine, ...]
    failures: tuple[FailureLine, ...]
    waiting: tuple[WaitingLine, ...] = ()

    def state(self, line: MailingLine) -> str:
        """Where a mailing stands: cancelled, paused, in progress, not due yet, or finished."""
        if line.cancelled_at is not None:
            return "cancelled"
        if line.pause_reason:
            return "paused"
        planned = line.counts.get(DeliveryStatus.PLANNED.value, 0)
        if not planned and not line.counts.get(DeliveryStatus.SENDING.value, 0):
            return "finished"
        later = sum(waiting.count for waiting in self.waiting if waiting.mailing == line.key)
        return "not due yet" if later == planned else "in progress"

    def summaries(self) -> tuple[MailingSummary, ...]:
        """Each mailing's state and progress (`mailings list`)."""
        due: dict[str, datetime] = {}
        for item in self.waiting:
            due.setdefault(item.mailing, item.due_at)
        return tuple(
            MailingSummary(
                key=line.key,
                kind=line.kind,
                planned_at=line.planned_at,
                state=self.state(line),
                done=sum(line.counts.get(status, 0) for status in DONE),
                total=sum(line.counts.values()),
                due_at=due.get(line.key),
            )
            for line in self.mailings
        )

    def as_json(self) -> dict[str, object]:
        """The report as JSON-ready data (`deliveries --format json`, `GET /api/deliveries`)."""
        return {
            "mailings": [
                {
                    "key": line.key,
                    "kind": line.kind,
                    "release": line.release_id,
                    "planned_at": line.planned_at.isoformat(),
                    "counts": {status: line.counts.get(status, 0) for status in STATUSES},
                    "total": sum(line.counts.values()),
                    "paused": line.pause_reason,
                    "cancelled_at": _iso(line.cancelled_at),
                    "state": self.state(line),
                }
                for line in self.mailings
            ],
            "retries": [
                {
                    "mailing": retry.mailing,
                    "attempts": retry.attempts,
                    "count": retry.count,
                    "next_attempt_at": retry.next_attempt_at.isoformat(),
                    "reply": retry.reply,
                }
                for retry in self.retries
            ],
            "waiting": [
                {"mailing": item.mailing, "count": item.count, "due_at": item.due_at.isoformat()}
                for item in self.waiting
            ],
            "failures": [
                {
                    "mailing": failure.mailing,
                    "status": failure.status,
                    "count": failure.count,
                    "reply": failure.reply,
                }
                for failure in self.failures
            ],
        }


def delivery_report(
    engine: Engine, *, release_id: str | None = None, now: datetime | None = None
) -> DeliveryReport:
    """The report of every mailing, or of those carrying `release_id` (digests included),
    as of `now` (default: the clock) for what is not due yet."""
    scope = _scope(release_id)
    now = now or datetime.now(UTC)
    with reading(engine) as conn:
        lines: dict[str, MailingLine] = {}
        for row in conn.execute(
            select(
                mailings.c.key,
                mailings.c.kind,
                mailings.c.release_id,
                mailings.c.planned_at,
                mailings.c.pause_reason,
                mailings.c.cancelled_at,
                deliveries.c.status,
                func.count(deliveries.c.id).label("total"),
            )
            .select_from(mailings.join(deliveries, deliveries.c.mailing_id == mailings.c.id))
            .where(scope)
            .group_by(
                mailings.c.id,
                mailings.c.key,
                mailings.c.kind,
                mailings.c.release_id,
                mailings.c.planned_at,
                mailings.c.pause_reason,
                mailings.c.cancelled_at,
                deliveries.c.status,
            )
            .order_by(mailings.c.planned_at, mailings.c.id)
        ):
            line = lines.setdefault(
                row.key,
                MailingLine(
                    row.key, row.kind, row.release_id, row.planned_at, {}, row.pause_reason,
                    row.cancelled_at,
                ),
            )
            line.counts[row.status] = int(row.total)
        retries = conn.execute(
            _planned(
                scope,
                deliveries.c.attempts,
                func.min(deliveries.c.next_attempt_at).label("next_attempt_at"),
                func.max(deliveries.c.last_reply).label("reply"),
                where=deliveries.c.attempts > 0,
            )
            .group_by(mailings.c.key, deliveries.c.attempts)
            .order_by(mailings.c.key, deliveries.c.attempts)
        ).all()
        waiting = conn.execute(
            _planned(
                scope,
                func.min(deliveries.c.next_attempt_at).label("due_at"),
                where=and_(deliveries.c.attempts == 0, deliveries.c.next_attempt_at > now),
            )
            .group_by(mailings.c.key)
            .order_by(func.min(deliveries.c.next_attempt_at), mailings.c.key)
        ).all()
        failures = conn.execute(
            select(
                mailings.c.key,
                deliveries.c.status,
                deliveries.c.last_reply,
                func.count(deliveries.c.id).label("total"),
            )
            .join(mailings, mailings.c.id == deliveries.c.mailing_id)
            .where(scope, deliveries.c.status.in_(FAILED))
            .group_by(mailings.c.key, deliveries.c.status, deliveries.c.last_reply)
            .order_by(mailings.c.key, func.count(deliveries.c.id).desc())
        ).all()
    return DeliveryReport(
        mailings=tuple(lines.values()),
        retries=tuple(
            RetryLine(row.key, row.attempts, int(row.total), row.next_attempt_at, row.reply or "")
            for row in retries
        ),
        failures=tuple(
            FailureLine(row.key, row.status, int(row.total), row.last_reply or "")
            for row in failures
        ),
        waiting=tuple(WaitingLine(row.key, int(row.total), row.due_at) for row in waiting),
    )


def _planned(
    scope: ColumnElement[bool], *columns: ColumnElement[Any], where: ColumnElement[bool]
) -> Select[Any]:
    """Planned deliveries in scope meeting `where`: mailing key, `columns`, their count."""
    return (
        select(mailings.c.key, *columns, func.count(deliveries.c.id).label("total"))
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .where(scope, deliveries.c.status == DeliveryStatus.PLANNED.value, where)
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _scope(release_id: str | None) -> ColumnElement[bool]:
    if release_id is None:
        return true()
    padded = literal(",") + deliveries.c.releases + literal(",")
    return or_(
        mailings.c.release_id == release_id,
        and_(
            mailings.c.kind == MailKind.DIGEST.value,
            padded.contains(f",{release_id},", autoescape=True),
        ),
    )
