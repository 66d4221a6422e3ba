"""One path through for every report, whichever way it came in: parse, match, record.

`take_report` is what `bounces import`, the leader's Maildir reader and the `listen` server
all call, one report at a time, each in its own transaction: a report that cannot be used
(too large, unparseable, unsigned, forged, naming a delivery that is gone, handed over by
a host not allowed) is kept aside in `unmatched_reports` and counted; it never changes a
delivery or a subscriber, and never raises.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, insert

from storage import write_transaction
from syndication.bounce_settings import MAX_REPORT_BYTES
from syndication.bounces.match import match_report
from syndication.bounces.parse import parse_report
from syndication.bounces.record import Applied, record_report
from syndication.bounces.schema import MAX_KEPT, Source, Unmatched, unmatched_reports
from syndication.config import Settings


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one report: `applied` (matched) or `unmatched` (kept aside)."""

    kind: str | None  # hard, soft, complaint; None if it did not parse
    applied: Applied | None = None
    unmatched: Unmatched | None = None
    delivery_id: int | None = None

    @property
    def deferred(self) -> bool:
        """Whether the report must come again later (its delivery is not recorded as sent)."""
        return self.applied is Applied.DEFERRED


@dataclass
class Tally:
    """Counts of outcomes over many reports, for a summary line."""

    matched: Counter[str] = field(default_factory=Counter)  # by kind
    counted: int = 0
    unmatched: Counter[str] = field(default_factory=Counter)  # by reason
    deferred: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        if outcome.unmatched is not None:
            self.unmatched[outcome.unmatched.value] += 1
        elif outcome.deferred:
            self.deferred += 1
        elif outcome.kind is not None:
            self.matched[outcome.kind] += 1
            self.counted += outcome.applied is Applied.COUNTED


def take_report(
    engine: Engine,
    settings: Settings,
    data: bytes,
    *,
    source: Source,
    now: datetime,
    envelope_to: Sequence[str] = (),
) -> Outcome:
    """Parse, match and record one report (or keep it aside); its outcome."""
    if len(data) > MAX_REPORT_BYTES:
        return keep_aside(engine, data, Unmatched.TOO_LARGE, source=source, now=now)
    report = parse_report(data, envelope_to=envelope_to)
    if report.kind is None:
        return keep_aside(engine, data, Unmatched.UNPARSEABLE, source=source, now=now)
    with write_transaction(engine) as conn:
        match = match_report(
            conn, settings.secret(), envelope_to=envelope_to, texts=report.texts,
            return_path=settings.mail.return_path,
        )
        if match.delivery_id is None:
            reason = match.reason or Unmatched.UNSIGNED
            _insert_unmatched(conn, data, reason, report.kind.value, source=source, now=now)
            return Outcome(report.kind.value, unmatched=reason)
        applied = record_report(
            conn, match.delivery_id, report, source=source, now=now,
            suppress_after=settings.mail.suppress_after,
        )
    return Outcome(report.kind.value, applied=applied, delivery_id=match.delivery_id)


def keep_aside(
    engine: Engine, data: bytes, reason: Unmatched, *, source: Source, now: datetime
) -> Outcome:
    """Keep a report that names nothing of ours (cut to MAX_KEPT characters); counted."""
    with write_transaction(engine) as conn:
        _insert_unmatched(conn, data, reason, None, source=source, now=now)
    return Outcome(None, unmatched=reason)


def _insert_unmatched(
    conn: Connection, data: bytes, reason: Unmatched, kind: str | None, *,
    source: Source, now: datetime,
) -> None:
    # NUL cannot be stored in a PostgreSQL text column; the rest is kept as it came.
    content = data[:MAX_KEPT].decode("utf-8", "replace").replace("\x00", "\ufffd")
    conn.execute(insert(unmatched_reports).values(
        reason=reason.value, kind=kind, source=source.value, received_at=now, content=content,
    ))
