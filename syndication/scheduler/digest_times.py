"""Digest times: the local wall-clock instants at which daily and weekly digests fall due.

Digest times are written in config as local times in the site's timezone ("08:00",
"monday 08:00"), so their UTC instants move with daylight saving. Each local date has
exactly one digest instant: a wall time skipped by a spring-forward change is read with the
offset before the change (02:30 becomes 03:30 summer time, as APScheduler's CronTrigger
does), and a wall time repeated by a fall-back change is its first occurrence (fold=0).

A tick plans only the *latest* due instant of each frequency: a digest missed while the
service was down is caught up once, not once per missed day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from subscribers import Frequency
from syndication.config import ScheduleSettings

DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)
# APScheduler 3.x day names (its numbers start at Monday = 0, not cron's Sunday = 0).
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def local_instant(day: date, clock: time, timezone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `clock` on local `day` (first occurrence; gaps shift on)."""
    return datetime.combine(day, clock.replace(tzinfo=timezone, fold=0)).astimezone(UTC)


def latest_digest_time(
    schedule: ScheduleSettings, timezone: ZoneInfo, frequency: Frequency, at: datetime
) -> datetime:
    """The latest digest instant of `frequency` at or before `at` (UTC)."""
    clock = _clock(schedule, frequency)
    local_day = at.astimezone(timezone).date()
    if frequency is Frequency.WEEKLY:
        local_day -= timedelta(days=(local_day.weekday() - schedule.weekly_digest.weekday) % 7)
    candidate = local_instant(local_day, clock, timezone)
    while candidate > at:
        local_day -= _step(frequency)
        candidate = local_instant(local_day, clock, timezone)
    return candidate


def digest_period(
    schedule: ScheduleSettings, timezone: ZoneInfo, frequency: Frequency, end: datetime
) -> tuple[datetime, datetime]:
    """The period (start, end] a digest at `end` covers: from the digest instant before it."""
    start = latest_digest_time(schedule, timezone, frequency, end - timedelta(microseconds=1))
    return start, end


def digest_times_between(
    schedule: ScheduleSettings,
    timezone: ZoneInfo,
    frequency: Frequency,
    start: datetime,
    end: datetime,
) -> Iterator[datetime]:
    """Every digest instant of `frequency` in (start, end], oldest first (UTC)."""
    clock = _clock(schedule, frequency)
    found = []
    instant = latest_digest_time(schedule, timezone, frequency, end)
    local_day = instant.astimezone(timezone).date()
    while instant > start:
        found.append(instant)
        local_day -= _step(frequency)
        instant = local_instant(local_day, clock, timezone)
    return reversed(found)


def cron_fields(schedule: ScheduleSettings, frequency: Frequency) -> dict[str, str]:
    """APScheduler CronTrigger fields of a digest (day names, never numbers)."""
    clock = _clock(schedule, frequency)
    fields = {"hour": str(clock.hour), "minute": str(clock.minute), "second": str(clock.second)}
    if frequency is Frequency.WEEKLY:
        fields["day_of_week"] = WEEKDAY_NAMES[schedule.weekly_digest.weekday]
    return fields


def _clock(schedule: ScheduleSettings, frequency: Frequency) -> time:
    if frequency is Frequency.DAILY:
        return schedule.daily_digest
    if frequency is Frequency.WEEKLY:
        return schedule.weekly_digest.at
    raise ValueError(f"{frequency} subscribers get no digest")


def _step(frequency: Frequency) -> timedelta:
    return timedelta(days=7 if frequency is Frequency.WEEKLY else 1)
