"""One scheduler tick: make public what is due, rebuild feeds and pages, plan due mailings.

A tick at instant T (the `publish --at` time, or the clock in `run`):
1. moves the tick clock to T — never back, never ahead of the wall clock: a tick asked for
   an earlier time than one already made acts at that later time; a tick ahead of the wall
   clock (`publish --at ... --yes`) acts at T, and the ticks after it at their own time;
2. notes each release seen and, the first time it is found public, whether it may be
   mailed (found public within `max_age` of its publication: no mass mailing of an
   archive, no hours-late alerts);
3. rebuilds feeds and pages as of T (only changed files are written) and pings the
   WebSub hubs about the feeds whose bytes changed (`websub.py`: a failing hub is retried
   at the next tick, never stops this one);
4. plans embargo notices due (notify_at <= T < published), then release alerts, then the
   latest due daily and weekly digest (a digest missed while the service was down is
   caught up once; the planner never plans an empty one), and correction notices
   (`[correction] notify`: once per `updated` value, to whoever received the release); a
   tick ahead of the wall clock makes what it planned due at once (the planner dates
   deliveries at T), so that the next `send` delivers it.
Every step is idempotent, in whatever order ticks come: the planner's unique keys stop
doubles; the state tables stop a tick every 30 s from asking the planner again about every
release of the archive, an embargo notice from following its release's alert, and a digest
from being planned after a later one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from subscribers import Frequency
from syndication.config import Settings
from syndication.delivery.corrections import correction_due, plan_correction_notice
from syndication.delivery.outbox_schema import (
    alert_key,
    correction_key,
    digest_key,
    embargo_key,
)
from syndication.delivery.planner import plan_digest, plan_embargo_notice, plan_release_alert
from syndication.delivery.steering import bring_forward
from syndication.errors import Problem
from syndication.releases import LoadedReleases, Release
from syndication.releases.catalog import load_site_releases
from syndication.scheduler.digest_times import DIGEST_FREQUENCIES, latest_digest_time
from syndication.scheduler.leader import tick_lock
from syndication.scheduler.tick_state import (
    Seen,
    advance_clock,
    mark_planned,
    planned_digests,
    record_digest,
    record_seen,
)
from syndication.scheduler.websub import notify_hubs
from syndication.site.build import build_site


@dataclass(frozen=True, slots=True)
class DigestRun:
    """One digest planned by a tick: its frequency, period end and new deliveries."""

    frequency: Frequency
    period_end: datetime
    deliveries: int


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick did."""

    requested_at: datetime
    at: datetime  # the instant it acted at: requested_at, or a later tick's time
    public: int
    written: tuple[Path, ...]
    notices: Mapping[str, int] = field(default_factory=dict)  # release id: new deliveries
    alerts: Mapping[str, int] = field(default_factory=dict)
    corrections: Mapping[str, int] = field(default_factory=dict)  # release id: new deliveries
    digests: tuple[DigestRun, ...] = ()
    unmailed: tuple[str, ...] = ()  # found public too late (max_age): published, not mailed
    problems: tuple[Problem, ...] = ()
    ahead_of_clock: bool = False  # asked for a time later than the wall clock
    pinged: int = 0  # WebSub pings the hubs took (one per hub and changed feed)
    hub_failures: tuple[str, ...] = ()  # hubs that did not take a ping (retried next tick)
    published: tuple[str, ...] = ()  # releases this tick found public for the first time

    @property
    def made_already(self) -> bool:
        """Whether a tick already made at a later time decided the instant this one acted at."""
        return self.at != self.requested_at

    def planned_mailings(self) -> dict[str, int]:
        """The key of each mailing this tick planned deliveries of, with how many."""
        return {
            **{embargo_key(release_id): count for release_id, count in self.notices.items()},
            **{alert_key(release_id): count for release_id, count in self.alerts.items()},
            **{digest_key(run.frequency, run.period_end): run.deliveries for run in self.digests},
        }

    @property
    def planned(self) -> int:
        """New deliveries planned by this tick, all mailings together."""
        return (
            sum(self.notices.values())
            + sum(self.alerts.values())
            + sum(self.corrections.values())
            + sum(run.deliveries for run in self.digests)
        )


def publish_tick(
    engine: Engine,
    settings: Settings,
    *,
    at: datetime,
    releases: LoadedReleases | None = None,
    wall_clock: datetime | None = None,
) -> TickReport:
    """Run one tick at `at` (aware); `releases` defaults to the releases folder read now."""
    if at.tzinfo is None:
        raise ValueError("a tick needs an aware time")
    with tick_lock(engine, settings):
        loaded = releases if releases is not None else load_site_releases(engine, settings)
        wall = wall_clock or datetime.now(UTC)
        now = advance_clock(engine, at, wall_clock=wall)
        seen, too_late = record_seen(
            engine, loaded.releases, at=now, max_age=settings.mail.max_age
        )
        published = tuple(
            release.id for release in loaded.releases if seen[release.id].public_seen_at == now
        )
        build = build_site(settings, loaded.releases, now=now)
        pings = notify_hubs(settings, build.written)
        notices = _plan_notices(engine, settings, loaded.releases, seen, now)
        alerts = _plan_alerts(engine, settings, loaded.releases, seen, now)
        digests = _plan_digests(engine, settings, loaded.releases, seen, now, wall)
        corrections = _plan_corrections(engine, settings, loaded.releases, now)
        ahead = now > wall
        if ahead:
            keys = _planned_keys(notices, alerts, digests)
            keys.extend(correction_key(release_id, updated)
                        for release_id, (updated, count) in corrections.items() if count)
            bring_forward(engine, keys, at=wall)
    return TickReport(
        requested_at=at, at=now, public=build.public, written=tuple(build.written),
        notices=notices, alerts=alerts, digests=digests,
        corrections={release_id: count for release_id, (_, count) in corrections.items()},
        unmailed=tuple(too_late),
        problems=tuple(loaded.problems), ahead_of_clock=ahead, pinged=len(pings.sent),
        hub_failures=pings.failures, published=published,
    )


def _planned_keys(
    notices: Mapping[str, int], alerts: Mapping[str, int], digests: tuple[DigestRun, ...]
) -> list[str]:
    """The keys of the mailings a tick planned deliveries of."""
    return [
        *(embargo_key(release_id) for release_id, count in notices.items() if count),
        *(alert_key(release_id) for release_id, count in alerts.items() if count),
        *(digest_key(run.frequency, run.period_end) for run in digests if run.deliveries),
    ]


def _plan_notices(
    engine: Engine, settings: Settings, releases: tuple[Release, ...],
    seen: Mapping[str, Seen], now: datetime,
) -> dict[str, int]:
    planned = {}
    for release in releases:
        embargo, state = release.embargo, seen[release.id]
        # Once a tick found the release public, an advance copy is pointless (even for a
        # tick asked, later, for an earlier time): the alert serves everyone.
        if embargo is None or state.notice_planned_at or state.public_seen_at:
            continue
        if embargo.notify_at <= now < release.published:
            planned[release.id] = plan_embargo_notice(engine, settings, release, at=now)
    mark_planned(engine, planned, column="notice_planned_at", at=now)
    return planned


def _plan_alerts(
    engine: Engine, settings: Settings, releases: tuple[Release, ...],
    seen: Mapping[str, Seen], now: datetime,
) -> dict[str, int]:
    planned = {}
    for release in releases:
        state = seen[release.id]
        if release.is_public(now) and state.mailable and state.alert_planned_at is None:
            planned[release.id] = plan_release_alert(engine, settings, release, at=now)
    mark_planned(engine, planned, column="alert_planned_at", at=now)
    return planned


def _plan_corrections(
    engine: Engine, settings: Settings, releases: tuple[Release, ...], now: datetime
) -> dict[str, tuple[datetime, int]]:
    planned = {}
    for release in releases:
        if release.updated is not None and correction_due(release, now, settings):
            planned[release.id] = (
                release.updated, plan_correction_notice(engine, settings, release, at=now)
            )
    return planned


def _plan_digests(
    engine: Engine, settings: Settings, releases: tuple[Release, ...],
    seen: Mapping[str, Seen], now: datetime, wall: datetime,
) -> tuple[DigestRun, ...]:
    done = planned_digests(engine)
    runs = []
    for frequency in DIGEST_FREQUENCIES:
        period_end = latest_digest_time(settings.schedule, settings.timezone, frequency, now)
        # Never after a later one; but a trial tick in the future does not hold digests up.
        later = [end for kind, end in done if kind == frequency.value and period_end < end <= wall]
        if (frequency.value, period_end) in done or later:
            continue
        included = [
            release for release in releases
            if release.is_public(period_end) and seen[release.id].mailable
        ]
        deliveries = plan_digest(
            engine, settings, frequency=frequency, period_end=period_end, releases=included
        )
        record_digest(engine, frequency, period_end, at=now, deliveries=deliveries)
        runs.append(DigestRun(frequency, period_end, deliveries))
    return tuple(runs)
