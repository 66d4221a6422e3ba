"""One person's deliveries, for GDPR access (`subscribers show`, `GET /api/subscribers/…`).

Everything the outbox holds about a subscriber: each mailing sent (or planned, failed,
bounced, skipped) to them, when, how many attempts and the server's last reply. A person
who was erased has no subscriber id left on any delivery, so nothing of theirs is shown.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from syndication.delivery.outbox_schema import deliveries, mailings


def delivery_history(conn: Connection, subscriber_id: int) -> list[dict[str, str]]:
    """Every delivery to `subscriber_id`, oldest mailing first, as printable fields."""
    rows = conn.execute(
        select(
            mailings.c.key, mailings.c.kind, mailings.c.release_id, mailings.c.list_name,
            deliveries.c.status, deliveries.c.attempts, deliveries.c.languages,
            deliveries.c.sent_at, deliveries.c.next_attempt_at, deliveries.c.last_reply,
        )
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .where(deliveries.c.subscriber_id == subscriber_id)
        .order_by(mailings.c.planned_at, mailings.c.id)
    )
    return [
        {
            "mailing": row.key,
            "kind": row.kind,
            "release": row.release_id or "",
            "list": row.list_name,
            "status": row.status,
            "languages": row.languages,
            "attempts": str(row.attempts),
            "sent_at": _time(row.sent_at),
            "next_attempt_at": "" if row.sent_at else _time(row.next_attempt_at),
            "last_reply": row.last_reply or "",
        }
        for row in rows
    ]


def _time(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""
