"""Digest instants in the site's timezone, across both daylight-saving changes of 2026."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from subscribers import Frequency
from syndication.config import ScheduleSettings, WeeklyTime
from syndication.scheduler.digest_times import (
    cron_fields,
    digest_times_between,
    latest_digest_time,
    local_instant,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
SCHEDULE = ScheduleSettings(
    scan_every=timedelta(seconds=30), daily_digest=time(8, 0),
    weekly_digest=WeeklyTime(weekday=0, at=time(8, 0)),
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(("at", "expected"), [
    ("2026-03-28T12:00:00+01:00", "2026-03-28T07:00:00+00:00"),  # winter: 08:00 = 07:00Z
    ("2026-03-29T07:59:59+02:00", "2026-03-28T07:00:00+00:00"),  # DST day, just before
    ("2026-03-29T08:00:00+02:00", "2026-03-29T06:00:00+00:00"),  # summer: 08:00 = 06:00Z
    ("2026-10-25T07:59:00+01:00", "2026-10-24T06:00:00+00:00"),
    ("2026-10-25T08:00:00+01:00", "2026-10-25T07:00:00+00:00"),  # winter again
    ("2026-10-25T02:30:00+01:00", "2026-10-24T06:00:00+00:00"),  # the repeated hour
])
def test_latest_daily_digest_follows_local_time(at: str, expected: str) -> None:
    assert latest_digest_time(SCHEDULE, BRUSSELS, Frequency.DAILY, utc(at)) == utc(expected)


@pytest.mark.parametrize(("at", "expected"), [
    ("2026-03-29T23:00:00+02:00", "2026-03-23T07:00:00+00:00"),  # Sunday: last Monday
    ("2026-03-30T08:00:00+02:00", "2026-03-30T06:00:00+00:00"),  # Monday after the change
    ("2026-10-26T07:59:59+01:00", "2026-10-19T06:00:00+00:00"),
    ("2026-10-26T08:00:00+01:00", "2026-10-26T07:00:00+00:00"),
])
def test_latest_weekly_digest_is_on_the_configured_weekday(at: str, expected: str) -> None:
    assert latest_digest_time(SCHEDULE, BRUSSELS, Frequency.WEEKLY, utc(at)) == utc(expected)


def test_one_daily_instant_per_local_day_across_both_changes() -> None:
    spring = list(digest_times_between(
        SCHEDULE, BRUSSELS, Frequency.DAILY, utc("2026-03-27T12:00:00+01:00"),
        utc("2026-03-31T12:00:00+02:00"),
    ))
    assert [instant.astimezone(BRUSSELS).strftime("%d %H:%M") for instant in spring] == [
        "28 08:00", "29 08:00", "30 08:00", "31 08:00",
    ]
    assert [instant.hour for instant in spring] == [7, 6, 6, 6]
    autumn = list(digest_times_between(
        SCHEDULE, BRUSSELS, Frequency.DAILY, utc("2026-10-24T00:00:00+02:00"),
        utc("2026-10-26T12:00:00+01:00"),
    ))
    assert [instant.hour for instant in autumn] == [6, 7, 7]
    assert autumn[1] - autumn[0] == timedelta(hours=25)  # the long day


def test_wall_times_in_the_gap_and_the_repeated_hour() -> None:
    # 02:30 does not exist on 29 March: read with the winter offset, like CronTrigger.
    assert local_instant(datetime(2026, 3, 29).date(), time(2, 30), BRUSSELS) == utc(
        "2026-03-29T01:30:00+00:00"
    )
    # 02:30 happens twice on 25 October: the first one.
    assert local_instant(datetime(2026, 10, 25).date(), time(2, 30), BRUSSELS) == utc(
        "2026-10-25T00:30:00+00:00"
    )


@pytest.mark.parametrize("clock", [time(8, 0), time(2, 30)])
@pytest.mark.parametrize("start", ["2026-03-26T00:00:00+00:00", "2026-10-22T00:00:00+00:00"])
def test_cron_trigger_fires_at_the_same_instants(clock: time, start: str) -> None:
    schedule = ScheduleSettings(
        scan_every=timedelta(seconds=30), daily_digest=clock,
        weekly_digest=WeeklyTime(weekday=0, at=clock),
    )
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        trigger = CronTrigger(timezone=BRUSSELS, **cron_fields(schedule, frequency))
        fired, moment = [], utc(start)
        for _ in range(3):
            moment = trigger.get_next_fire_time(None, moment)
            fired.append(moment.astimezone(UTC))
            moment = moment + timedelta(seconds=1)
        ours = list(digest_times_between(
            schedule, BRUSSELS, frequency, utc(start), fired[-1]
        ))
        assert ours == fired


def test_weekly_cron_uses_day_names() -> None:
    schedule = ScheduleSettings(
        scan_every=timedelta(seconds=30), daily_digest=time(8, 0),
        weekly_digest=WeeklyTime(weekday=6, at=time(18, 15)),
    )
    assert cron_fields(schedule, Frequency.WEEKLY) == {
        "hour": "18", "minute": "15", "second": "0", "day_of_week": "sun",
    }
    with pytest.raises(ValueError, match="no digest"):
        cron_fields(schedule, Frequency.IMMEDIATE)
