"""APScheduler wiring: a wake-up at each release instant, kept in step with the files."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from harness.sites import Site
from syndication.releases import Embargo, Release, load_releases
from syndication.scheduler.wakeups import ServiceScheduler


def release(site: Site, release_id: str, published: datetime) -> Release:
    path = site.add_release(release_id, published.isoformat())
    return next(r for r in load_releases(site.settings).releases if r.source == str(path))


async def test_release_jobs_follow_the_files(site: Site) -> None:
    calls: list[datetime | None] = []

    async def tick(due: datetime | None) -> None:
        calls.append(due)

    now = datetime.now(UTC)
    later = release(site, "later", now + timedelta(hours=1))
    embargoed = replace(later, id="embargoed", embargo=Embargo(
        ("accredited",), now + timedelta(minutes=30)))
    past = release(site, "past", now - timedelta(hours=1))
    scheduler = ServiceScheduler(site.settings, tick)
    scheduler.start()
    try:
        scheduler.schedule_releases([later, embargoed, past], now)
        assert scheduler.release_jobs() == {
            "publish:later": later.published, "publish:embargoed": later.published,
            "notify:embargoed": now + timedelta(minutes=30),
        }
        moved = replace(later, published=now + timedelta(hours=2))
        scheduler.schedule_releases([moved], now)
        assert scheduler.release_jobs() == {"publish:later": moved.published}
        scheduler.schedule_releases([], now)
        assert scheduler.release_jobs() == {}
        await asyncio.sleep(0.05)
        assert calls == [None]  # the first scan, at start
    finally:
        scheduler.shutdown()


async def test_a_release_wakes_the_scheduler_at_its_instant(site: Site) -> None:
    woken: list[tuple[datetime | None, float]] = []

    async def tick(due: datetime | None) -> None:
        woken.append((due, time.time()))

    scheduler = ServiceScheduler(site.settings, tick)
    scheduler.start()
    try:
        soon = release(site, "soon", datetime.now(UTC) + timedelta(seconds=0.5))
        scheduler.schedule_releases([soon], datetime.now(UTC))
        await asyncio.sleep(0.8)
    finally:
        scheduler.shutdown()
    assert [due for due, _ in woken] == [None, soon.published]
    assert 0 <= woken[1][1] - soon.published.timestamp() < 0.1
