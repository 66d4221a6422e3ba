"""What the outbox says for `deliveries`: counts by mailing and status, retries, failures.

A delivery waiting for a retry is `planned`, with its attempts and next attempt time;
failures are grouped by mailing, status and the server's reply, so a thousand "550 no such
user" lines read as one. No address is read: deliveries hold none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Engine, and_, func, literal, or_, select, true

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


@dataclass(frozen=True, slots=True)
class RetryLine:
    """Deliveries of one mailing waiting for a retry after the same number of attempts."""

    mailing: str
    attempts: int
    count: int
    next_attempt_at: datetime
    reply: str


@dataclass(frozen=True, slots=True)
class FailureLine:
    """Deliveries of one mailing that failed (or bounced) with the same reply."""

    mailing: str
    status: str
    count: int
    reply: str


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """Everything `deliveries` shows."""

    mailings: tuple[MailingLine, ...]
    retries: tuple[RetryLine, ...]
    failures: tuple[FailureLine, ...]

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


def delivery_report(engine: Engine, *, release_id: str | None = None) -> DeliveryReport:
    """The report of every mailing, or of those carrying `release_id` (digests included)."""
    scope = _scope(release_id)
    with reading(engine) as conn:
        lines: dict[str, MailingLine] = {}
        for row in conn.execute(
            select(
                mailings.c.key,
                mailings.c.kind,
                mailings.c.release_id,
                mailings.c.planned_at,
                mailings.c.pause_reason,
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
                deliveries.c.status,
            )
            .order_by(mailings.c.planned_at, mailings.c.id)
        ):
            line = lines.setdefault(
                row.key,
                MailingLine(
                    row.key, row.kind, row.release_id, row.planned_at, {}, row.pause_reason
                ),
            )
            line.counts[row.status] = int(row.total)
        retries = conn.execute(
            select(
                mailings.c.key,
                deliveries.c.attempts,
                func.count(deliveries.c.id).label("total"),
                func.min(deliveries.c.next_attempt_at).label("next_attempt_at"),
                func.max(deliveries.c.last_reply).label("reply"),
            )
            .join(mailings, mailings.c.id == deliveries.c.mailing_id)
            .where(
                scope,
                deliveries.c.status == DeliveryStatus.PLANNED.value,
                deliveries.c.attempts > 0,
            )
            .group_by(mailings.c.key, deliveries.c.attempts)
            .order_by(mailings.c.key, deliveries.c.attempts)
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
    )


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
