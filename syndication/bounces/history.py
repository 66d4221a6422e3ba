"""What came back after sending, for people to read: `deliveries`, the API, `subscribers show`.

- `after_sending`: per mailing, the bounces (hard, soft) and complaints recorded, and the
  reports kept aside unmatched, by reason (SPEC: "`deliveries` shows bounces and
  complaints that arrived after sending");
- `history_with_reports`: one person's deliveries (delivery/history.py) each with the
  reports recorded against it (GDPR access: what we hold about them).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, select

from storage import reading
from syndication.bounces.schema import ReportKind, delivery_reports, unmatched_reports
from syndication.delivery.history import delivery_history
from syndication.delivery.outbox_schema import deliveries, mailings

KINDS = tuple(kind.value for kind in ReportKind)


@dataclass(frozen=True, slots=True)
class AfterSending:
    """Reports recorded per mailing (kind → count), and those kept aside (reason → count)."""

    by_mailing: dict[str, dict[str, int]] = field(default_factory=dict)
    unmatched: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """JSON-ready data (`deliveries --format json`, `GET /api/deliveries`)."""
        return {
            "mailings": [
                {"mailing": key, **{kind: counts.get(kind, 0) for kind in KINDS}}
                for key, counts in self.by_mailing.items()
            ],
            "unmatched": dict(self.unmatched),
        }


def after_sending(engine: Engine, *, mailing_keys: Collection[str] | None = None) -> AfterSending:
    """Bounces and complaints by mailing (only `mailing_keys`, if given), and unmatched ones."""
    query = (
        select(mailings.c.key, delivery_reports.c.kind, func.count())
        .select_from(delivery_reports.join(deliveries).join(mailings))
        .group_by(mailings.c.id, mailings.c.key, delivery_reports.c.kind)
        .order_by(mailings.c.id)
    )
    if mailing_keys is not None:
        query = query.where(mailings.c.key.in_(list(mailing_keys)))
    by_mailing: dict[str, dict[str, int]] = {}
    with reading(engine) as conn:
        for key, kind, count in conn.execute(query):
            by_mailing.setdefault(key, {})[kind] = int(count)
        unmatched = {
            reason: int(count) for reason, count in conn.execute(
                select(unmatched_reports.c.reason, func.count())
                .group_by(unmatched_reports.c.reason).order_by(unmatched_reports.c.reason)
            )
        }
    return AfterSending(by_mailing, unmatched)


def history_with_reports(conn: Connection, subscriber_id: int) -> list[dict[str, str]]:
    """`delivery_history`, each delivery with its reports ("hard 5.1.1 at …; complaint at …")."""
    found: dict[str, list[str]] = {}
    rows = conn.execute(
        select(mailings.c.key, delivery_reports.c.kind, delivery_reports.c.status,
               delivery_reports.c.received_at)
        .select_from(delivery_reports.join(deliveries).join(mailings))
        .where(deliveries.c.subscriber_id == subscriber_id)
        .order_by(delivery_reports.c.received_at, delivery_reports.c.id)
    )
    for row in rows:
        words = " ".join(filter(None, (row.kind, row.status)))
        found.setdefault(row.key, []).append(f"{words} at {row.received_at.isoformat()}")
    return [
        {**line, "reports": "; ".join(found.get(line["mailing"], []))}
        for line in delivery_history(conn, subscriber_id)
    ]
