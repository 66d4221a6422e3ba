"""`publish_tick` through days and weeks across daylight-saving changes: exact mailings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness.sites import Site
from subscribers.model import Frequency
from syndication.scheduler.tick import publish_tick


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def tick_hourly(site: Site, start: str, end: str) -> int:
    """Tick every hour from start to end (inclusive); return the deliveries planned."""
    planned, moment, stop = 0, utc(start), utc(end)
    while moment <= stop:
        planned += publish_tick(site.engine, site.settings, at=moment).planned
        moment += timedelta(hours=1)
    return planned


def spring_site(site: Site) -> dict[str, int]:
    """Three releases around 29 March 2026 (Brussels moves to summer time at 01:00Z)."""
    site.add_release("r1", "2026-03-28T09:00:00+01:00")
    site.add_release("r2", "2026-03-29T09:00:00+02:00")
    site.add_release("r3", "2026-03-30T10:00:00+02:00",
                     embargo=("accredited", "2026-03-30T07:00:00+02:00"))
    return {
        "now": site.add_subscriber("now@example.org", languages=("fr",)),
        "daily": site.add_subscriber("daily@example.org", languages=("nl",),
                                     frequency=Frequency.DAILY),
        "weekly": site.add_subscriber("weekly@example.org", languages=("nl", "fr"),
                                      frequency=Frequency.WEEKLY),
        "press": site.add_subscriber("accredited@example.org", lists=("press", "accredited")),
    }


def test_a_week_across_the_spring_change_plans_exactly_these_mailings(site: Site) -> None:
    ids = spring_site(site)
    planned = tick_hourly(site, "2026-03-27T12:00:00+00:00", "2026-04-01T12:00:00+00:00")
    mailings = site.mailings()
    assert {key: count for key, count in mailings.items() if count} == {
        "alert:r1": 2,
        "alert:r2": 2,
        "embargo:r3": 1,
        "alert:r3": 1,  # the accredited journalist had the advance copy
        "digest:daily:2026-03-29T06:00:00Z": 1,  # 08:00 summer time: 06:00Z
        "digest:daily:2026-03-30T06:00:00Z": 1,
        "digest:daily:2026-03-31T06:00:00Z": 1,
        "digest:weekly:2026-03-30T06:00:00Z": 1,
    }
    assert planned == sum(mailings.values()) == 10
    # Digests with nothing new are never mailed (the winter 08:00 one included).
    assert mailings["digest:daily:2026-03-28T07:00:00Z"] == 0
    assert site.recipients("embargo:r3") == [(ids["press"], "")]
    assert site.recipients("alert:r3") == [(ids["now"], "")]
    assert site.recipients("digest:daily:2026-03-29T06:00:00Z") == [(ids["daily"], "r1")]
    assert site.recipients("digest:weekly:2026-03-30T06:00:00Z") == [(ids["weekly"], "r1,r2")]


def test_a_day_across_the_autumn_change(site: Site) -> None:
    ids = {
        "daily": site.add_subscriber("daily@example.org", frequency=Frequency.DAILY),
        "weekly": site.add_subscriber("weekly@example.org", frequency=Frequency.WEEKLY),
    }
    site.add_release("before", "2026-10-24T12:00:00+02:00")
    site.add_release("long-day", "2026-10-25T02:30:00+01:00")  # the second 02:30
    tick_hourly(site, "2026-10-24T00:00:00+00:00", "2026-10-26T12:00:00+00:00")
    mailings = {key: count for key, count in site.mailings().items() if count}
    assert mailings == {
        "digest:daily:2026-10-25T07:00:00Z": 1,  # 08:00 winter time
        "digest:weekly:2026-10-26T07:00:00Z": 1,
    }
    assert site.recipients("digest:daily:2026-10-25T07:00:00Z") == [
        (ids["daily"], "before,long-day")
    ]
    assert site.recipients("digest:weekly:2026-10-26T07:00:00Z") == [
        (ids["weekly"], "before,long-day")
    ]


def test_a_second_tick_at_the_same_time_plans_nothing(site: Site) -> None:
    spring_site(site)
    at = utc("2026-03-30T10:00:00+02:00")
    first = publish_tick(site.engine, site.settings, at=at)
    assert first.alerts == {"r3": 2}  # r1 and r2 were public over a day before anyone saw them
    assert first.unmailed == ("r1", "r2")
    before = site.mailings()
    again = publish_tick(site.engine, site.settings, at=at)
    assert again.planned == 0
    assert again.written == ()
    assert site.mailings() == before


def test_an_earlier_tick_after_a_later_one_neither_replans_nor_misplans(site: Site) -> None:
    spring_site(site)
    later = publish_tick(site.engine, site.settings, at=utc("2026-03-30T10:00:00+02:00"))
    assert later.alerts["r3"] == 2  # no advance copy was sent: both immediate readers
    before = site.mailings()
    # 08:00 is inside r3's embargo window, but the clock has moved past its publication.
    earlier = publish_tick(site.engine, site.settings, at=utc("2026-03-30T08:00:00+02:00"))
    assert earlier.at == later.at
    assert earlier.planned == 0
    assert site.mailings() == before
    assert "embargo:r3" not in before


def test_ticks_in_any_order_plan_each_mailing_once(site: Site) -> None:
    spring_site(site)
    times = ["2026-03-29T12:00:00+02:00", "2026-03-28T12:00:00+01:00",
             "2026-03-29T12:00:00+02:00", "2026-03-28T10:00:00+01:00"]
    for text in times:
        publish_tick(site.engine, site.settings, at=utc(text))
    assert {key: count for key, count in site.mailings().items() if count} == {
        "alert:r2": 2,  # r1 was first seen public (at the first tick) 26 hours late
    }
    report = publish_tick(site.engine, site.settings, at=utc("2026-03-29T12:00:00+02:00"))
    assert report.planned == 0


def test_a_missed_digest_is_caught_up_once_and_stale_releases_are_not_mailed(site: Site) -> None:
    ids = spring_site(site)
    publish_tick(site.engine, site.settings, at=utc("2026-03-28T09:30:00+01:00"))
    # The service is down from Saturday morning to Monday noon.
    report = publish_tick(site.engine, site.settings, at=utc("2026-03-30T12:00:00+02:00"))
    assert [(run.frequency, run.period_end) for run in report.digests] == [
        (Frequency.DAILY, utc("2026-03-30T08:00:00+02:00")),
        (Frequency.WEEKLY, utc("2026-03-30T08:00:00+02:00")),
    ]
    assert report.unmailed == ("r2",)  # public 27 hours before anyone saw it
    assert report.notices == {}  # r3 is public already: its alert serves everyone
    assert report.alerts == {"r3": 2}
    mailings = {key: count for key, count in site.mailings().items() if count}
    assert mailings == {
        "alert:r1": 2,
        "alert:r3": 2,
        "digest:daily:2026-03-30T06:00:00Z": 1,
        "digest:weekly:2026-03-30T06:00:00Z": 1,
    }
    assert site.recipients("digest:daily:2026-03-30T06:00:00Z") == [(ids["daily"], "r1")]
    assert site.recipients("digest:weekly:2026-03-30T06:00:00Z") == [(ids["weekly"], "r1")]
    assert publish_tick(site.engine, site.settings, at=utc("2026-03-30T13:00:00+02:00")).planned == 0


def test_an_archive_release_is_published_but_not_mailed(site: Site) -> None:
    site.add_subscriber("now@example.org")
    site.add_release("old", "2026-01-05T10:00:00+01:00")
    report = publish_tick(site.engine, site.settings, at=utc("2026-03-01T10:00:00+01:00"))
    assert report.public == 1
    assert report.unmailed == ("old",)
    assert report.alerts == {}
    assert (site.settings.output_dir / "fr" / "old.html").is_file()
    assert site.mailings().get("alert:old", 0) == 0


def test_a_release_is_in_no_feed_before_its_time(site: Site) -> None:
    site.add_release("soon", "2026-03-30T10:00:00+02:00")
    feed = site.settings.output_dir / "fr" / "atom.xml"
    publish_tick(site.engine, site.settings, at=utc("2026-03-30T09:59:59+02:00"))
    assert "soon" not in feed.read_text(encoding="utf-8")
    report = publish_tick(site.engine, site.settings, at=utc("2026-03-30T10:00:00+02:00"))
    assert "soon" in feed.read_text(encoding="utf-8")
    assert feed in report.written


def test_a_trial_tick_in_the_future_is_not_followed(site: Site) -> None:
    spring_site(site)
    wall = utc("2026-03-29T12:00:00+02:00")
    trial = publish_tick(site.engine, site.settings, at=utc("2026-03-30T10:30:00+02:00"),
                         wall_clock=wall)
    assert trial.alerts == {"r3": 2}
    # Back to the present: r3 (due tomorrow) leaves the feeds again, nothing more is planned.
    back = publish_tick(site.engine, site.settings, at=wall, wall_clock=wall)
    assert back.at == wall
    assert "r3" not in (site.settings.output_dir / "fr" / "atom.xml").read_text()
    assert back.planned == 0
    # The trial planned Monday's digests; those due by now are still planned.
    assert [(run.frequency, run.period_end) for run in back.digests] == [
        (Frequency.DAILY, utc("2026-03-29T08:00:00+02:00")),
        (Frequency.WEEKLY, utc("2026-03-23T08:00:00+01:00")),
    ]
    # Inside r3's embargo window now, but a tick already found r3 public: no advance copy.
    window = utc("2026-03-30T08:00:00+02:00")
    assert publish_tick(site.engine, site.settings, at=window, wall_clock=window).notices == {}
    assert "embargo:r3" not in site.mailings()


def test_ticks_after_an_early_one_act_at_their_own_time(site: Site) -> None:
    spring_site(site)
    wall = utc("2026-03-29T12:00:00+02:00")
    early = publish_tick(site.engine, site.settings, at=utc("2026-03-30T10:30:00+02:00"),
                         wall_clock=wall)
    assert (early.ahead_of_clock, early.made_already) == (True, False)
    # What the early tick planned is due at the wall clock's time, not at 10:30 tomorrow.
    assert _next_attempts(site, "alert:r3") == [wall, wall]
    for minutes in (1, 2):
        later = wall + timedelta(minutes=minutes)
        report = publish_tick(site.engine, site.settings, at=later, wall_clock=later)
        assert (report.at, report.made_already, report.ahead_of_clock) == (later, False, False)


def test_a_clock_left_ahead_by_an_older_version_is_not_followed(site: Site) -> None:
    from sqlalchemy import insert

    from syndication.scheduler.tick_state import PUBLISH_CLOCK, ticks

    with site.engine.begin() as conn:
        conn.execute(insert(ticks).values(clock=PUBLISH_CLOCK,
                                          latest_at=utc("2027-01-01T00:00:00+00:00")))
    wall = utc("2026-03-29T12:00:00+02:00")
    report = publish_tick(site.engine, site.settings, at=wall, wall_clock=wall)
    assert (report.at, report.made_already) == (wall, False)
    earlier = publish_tick(site.engine, site.settings, at=wall - timedelta(hours=1),
                           wall_clock=wall)
    assert (earlier.at, earlier.made_already) == (wall, True)


def _next_attempts(site: Site, key: str) -> list[datetime]:
    from sqlalchemy import select

    from syndication.delivery.outbox_schema import deliveries, mailings

    query = (
        select(deliveries.c.next_attempt_at)
        .join(mailings, mailings.c.id == deliveries.c.mailing_id)
        .where(mailings.c.key == key)
    )
    with site.engine.connect() as conn:
        return list(conn.scalars(query))
