"""The console's dashboard: what is due next, mailings in progress, recent failures.

Due next: releases not public yet (with their public time), embargo notices not sent yet,
and the next daily and weekly digests. Mailings in progress come from the delivery report
(their counts reload every few seconds: `GET /admin/live/mailings`). Recent failures are
the last failed or bounced deliveries with the server's reply; bounces and complaints
received afterwards (by DSN or feedback loop) come from the bounce store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from storage import reading
from subscribers import subscribers_table
from syndication.bounces.schema import delivery_reports
from syndication.config import ScheduleSettings
from syndication.delivery.outbox_schema import deliveries, mailings
from syndication.delivery.report import FAILED, MailingSummary, delivery_report
from syndication.releases import Release

ACTIVE_STATES = ("in progress", "paused")
RECENT = 10


@dataclass(frozen=True, slots=True)
class Due:
    """Something that will happen: a release going public, a notice, a digest."""

    kind: str  # release | embargo | daily | weekly
    at: datetime
    release: Release | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """A delivery that failed or bounced, with the server's reply."""

    mailing: str
    status: str
    email: str  # "" when the subscriber was erased since
    reply: str
    at: datetime | None


def due_next(releases: Iterable[Release], schedule: ScheduleSettings, timezone: ZoneInfo,
             now: datetime) -> list[Due]:
    """What is due after `now`, soonest first."""
    found = [Due("release", release.published, release) for release in releases
             if release.published > now]
    found += [Due("embargo", release.embargo.notify_at, release) for release in releases
              if release.embargo is not None and release.embargo.notify_at > now]
    found.append(Due("daily", _next_local(now, timezone, schedule.daily_digest, None)))
    weekly = schedule.weekly_digest
    found.append(Due("weekly", _next_local(now, timezone, weekly.at, weekly.weekday)))
    return sorted(found, key=lambda due: due.at)


def _next_local(now: datetime, timezone: ZoneInfo, clock: time, weekday: int | None) -> datetime:
    """The first instant after `now` at local wall-clock `clock` (on `weekday`, if given)."""
    local = now.astimezone(timezone)
    for days in range(8):
        day = local.date() + timedelta(days=days)
        if weekday is not None and day.weekday() != weekday:
            continue
        candidate = datetime.combine(day, clock, tzinfo=timezone)
        if candidate > now:
            return candidate
    raise AssertionError("a week always holds the next digest time")


def mailings_in_progress(engine: Engine) -> list[MailingSummary]:
    """The mailings being sent or paused, with their counts."""
    return [summary for summary in delivery_report(engine).summaries()
            if summary.state in ACTIVE_STATES]


def recent_failures(engine: Engine, limit: int = RECENT) -> list[Failure]:
    """The last failed or bounced deliveries, newest first."""
    query = (
        select(mailings.c.key, deliveries.c.status, subscribers_table.c.email,
               deliveries.c.last_reply, deliveries.c.next_attempt_at)
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .outerjoin(subscribers_table, subscribers_table.c.id == deliveries.c.subscriber_id)
        .where(deliveries.c.status.in_(FAILED))
        .order_by(deliveries.c.id.desc()).limit(limit)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [Failure(row.key, row.status, row.email or "", row.last_reply or "",
                    row.next_attempt_at) for row in rows]


def recent_bounces(engine: Engine, limit: int = RECENT) -> list[Failure]:
    """Bounces and complaints received after sending (DSNs, feedback loops), newest first:
    the kind (hard, soft, complaint) stands in the status, the remote words in the reply."""
    query = (
        select(mailings.c.key, delivery_reports.c.kind, subscribers_table.c.email,
               delivery_reports.c.diagnostic, delivery_reports.c.received_at)
        .join(deliveries, deliveries.c.id == delivery_reports.c.delivery_id)
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .outerjoin(subscribers_table, subscribers_table.c.id == deliveries.c.subscriber_id)
        .order_by(delivery_reports.c.id.desc()).limit(limit)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [Failure(row.key, row.kind, row.email or "", row.diagnostic or "", row.received_at)
            for row in rows]
