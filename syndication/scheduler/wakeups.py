"""APScheduler wiring, nothing else: which instants wake a tick.

- a scan every `scan_every` (new and changed release files; anything a wake-up missed),
- a DateTrigger job AT each future `published` and `notify_at` instant (not at the next
  scan: a release goes out the moment it is due), rescheduled whenever a scan finds the
  release's times changed, removed when the file goes,
- a CronTrigger per digest, in the site's timezone, with day names (APScheduler 3.x reads
  day-of-week 0 as Monday, unlike cron: names leave no doubt).
Jobs live in the in-memory job store: 3.x job stores must never be shared by processes,
and only the process holding the scheduler lock runs this at all. What a tick does is
decided by the tick itself (`publish_tick`), from the clock: a wake-up is only a wake-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from syndication.config import Settings
from syndication.releases import Release
from syndication.scheduler.digest_times import DIGEST_FREQUENCIES, cron_fields

TickJob = Callable[[datetime | None], Awaitable[None]]
_RELEASE_JOBS = ("publish:", "notify:")


class ServiceScheduler:
    """The wake-ups of the leading process: scans, release instants, digest times."""

    def __init__(self, settings: Settings, tick: TickJob) -> None:
        self._settings = settings
        self._tick = tick
        self._scheduler = AsyncIOScheduler(
            timezone=settings.timezone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    @property
    def running(self) -> bool:
        """Whether the scheduler has been started and not shut down."""
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Start scanning now and every `scan_every`, and arm the digest triggers."""
        settings = self._settings
        self._scheduler.start()
        self._scheduler.add_job(
            self._tick, IntervalTrigger(seconds=settings.schedule.scan_every.total_seconds()),
            args=[None], id="scan", next_run_time=datetime.now(UTC),
        )
        for frequency in DIGEST_FREQUENCIES:
            trigger = CronTrigger(
                timezone=settings.timezone, **cron_fields(settings.schedule, frequency)
            )
            self._scheduler.add_job(self._tick, trigger, args=[None], id=f"digest:{frequency}")

    def schedule_releases(self, releases: Iterable[Release], now: datetime) -> None:
        """Arm a job at each future publication and embargo-notice instant; drop stale ones."""
        wanted: dict[str, datetime] = {}
        for release in releases:
            if release.published > now:
                wanted[f"publish:{release.id}"] = release.published
            if release.embargo is not None and release.embargo.notify_at > now:
                wanted[f"notify:{release.id}"] = release.embargo.notify_at
        for job in self._scheduler.get_jobs():
            if not job.id.startswith(_RELEASE_JOBS):
                continue
            if wanted.get(job.id) == job.trigger.run_date:
                del wanted[job.id]
            else:
                job.remove()
        for job_id, instant in wanted.items():
            self._scheduler.add_job(
                self._tick, DateTrigger(run_date=instant), args=[instant], id=job_id,
                replace_existing=True,
            )

    def release_jobs(self) -> dict[str, datetime]:
        """The armed release wake-ups: job id to instant."""
        return {
            job.id: job.trigger.run_date
            for job in self._scheduler.get_jobs()
            if job.id.startswith(_RELEASE_JOBS)
        }

    def shutdown(self) -> None:
        """Stop waking anything (a tick already running finishes on its own)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
