"""The sender's policies: pausing, giving up, suppressing, skipping, limits and the secret."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from subscribers import Status, get_subscriber, remove_subscriber
from syndication.config import Settings
from syndication.delivery.outbox_schema import alert_key, deliveries
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import PAUSE_COOL_DOWN, send_due
from syndication.delivery.workers import PAUSE_AFTER
from syndication.errors import ConfigError
from syndication.releases import Release
from tests.delivery.conftest import smtp_settings
from tests.delivery.people import add, plan, rows
from tests.delivery.smtp_server import SmtpServer

TELEWORK = "2021-06-08-telework-well-being-survey"
CHINA = "2016-08-31-belincosoc-china"


def status_counts(engine: Engine) -> dict[str, int]:
    """How many deliveries are in each status."""
    counts: dict[str, int] = {}
    for *_rest, status in rows(engine):
        counts[str(status)] = counts.get(str(status), 0) + 1
    return counts


async def test_a_mailing_pauses_after_many_errors_in_a_row_and_resumes_later(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    addresses = plan(store, settings, release, PAUSE_AFTER + 20)
    smtp_server.handler.defer(times=10_000)
    smtp = smtp_settings(settings, smtp_server)
    start = release.published

    failing = await send_due(store, smtp, releases, now=lambda: start)
    smtp_server.handler.heal()
    cooling = await send_due(store, smtp, releases, now=lambda: start + PAUSE_COOL_DOWN / 2)
    resumed = await send_due(
        store, smtp, releases, now=lambda: start + PAUSE_COOL_DOWN + timedelta(seconds=1)
    )

    assert PAUSE_AFTER <= failing.retry < len(addresses)
    assert failing.sent == 0
    ((key, reason),) = failing.paused
    assert key == alert_key(TELEWORK)
    assert "errors in a row" in reason
    assert "451" in reason
    assert (cooling.sent, cooling.paused) == (0, failing.paused)
    assert resumed.resumed == (key,)
    assert resumed.sent == len(addresses)
    assert resumed.paused == ()
    assert sorted(smtp_server.handler.recipients()) == addresses


async def test_resume_sends_a_paused_mailing_at_once(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, PAUSE_AFTER + 5)
    smtp_server.handler.defer(times=PAUSE_AFTER)
    smtp = smtp_settings(settings, smtp_server, retry_base=timedelta(0))

    paused = await send_due(store, smtp, releases, now=lambda: release.published)
    resumed = await send_due(store, smtp, releases, now=lambda: release.published, resume=True)

    assert paused.paused
    assert paused.sent < PAUSE_AFTER + 5
    assert paused.sent + resumed.sent == PAUSE_AFTER + 5


async def test_a_delivery_fails_once_out_of_attempts(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    (address,) = plan(store, settings, release, 1)
    smtp_server.handler.defer(address, times=10)
    smtp = smtp_settings(settings, smtp_server, max_attempts=3)
    when = release.published

    summaries = []
    for _ in range(3):
        summaries.append(await send_due(store, smtp, releases, now=lambda: when))
        when += smtp.mail.retry_base * 4

    assert [(summary.retry, summary.failed) for summary in summaries] == [(1, 0), (1, 0), (0, 1)]
    with store.connect() as conn:
        row = conn.execute(select(deliveries.c.attempts, deliveries.c.last_reply)).one()
    assert row.attempts == 3
    assert row.last_reply == "451 4.3.0 Try again later (gave up after 3 attempts)"


async def test_hard_bounces_suppress_the_address_after_suppress_after(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    subscriber = add(store, "gone@example.org", lists=["press"])
    smtp_server.handler.refuse("gone@example.org")
    smtp = smtp_settings(settings, smtp_server, suppress_after=2)
    for release_id in (CHINA, TELEWORK):
        release = releases[release_id]
        plan_release_alert(store, smtp, release, at=release.published)
        summary = await send_due(store, smtp, releases, now=lambda: release.published)
        assert summary.bounced == 1

    assert get_subscriber(store, subscriber).status is Status.SUPPRESSED
    assert status_counts(store) == {"bounced": 2}


async def test_someone_who_unsubscribed_after_planning_is_not_mailed(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    addresses = plan(store, settings, release, 3)
    remove_subscriber(store, addresses[1])
    smtp = smtp_settings(settings, smtp_server)

    summary = await send_due(store, smtp, releases, now=lambda: release.published)

    assert (summary.sent, summary.skipped) == (2, 1)
    assert sorted(smtp_server.handler.recipients()) == [addresses[0], addresses[2]]


async def test_limit_and_dry_run(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, 5)
    now = release.published

    dry = await send_due(store, settings, releases, now=lambda: now, dry_run=True)
    limited = await send_due(store, settings, releases, now=lambda: now, limit=2)
    rest = await send_due(store, settings, releases, now=lambda: now)

    assert (dry.due, dry.sent) == (5, 0)
    assert (limited.sent, rest.sent) == (2, 3)


async def test_the_rate_limit_holds_across_connections(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, 12)
    smtp = smtp_settings(settings, smtp_server, rate=20.0)

    started = time.monotonic()
    summary = await send_due(store, smtp, releases, now=lambda: release.published)
    elapsed = time.monotonic() - started

    assert summary.sent == 12
    # A burst of 2, then 20 a second: the other 10 take at least half a second.
    assert elapsed >= 0.45


async def test_nothing_is_sent_without_the_secret(
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, 1)
    monkeypatch.delenv("SYNDICATION_SECRET")

    with pytest.raises(ConfigError, match="SYNDICATION_SECRET"):
        await send_due(store, settings, releases, now=lambda: release.published)
    assert status_counts(store) == {"planned": 1}


async def test_a_stopped_run_hands_back_what_it_did_not_send(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, 450)
    stop = asyncio.Event()

    first = await send_due(
        store,
        settings,
        releases,
        now=lambda: release.published,
        progress=lambda done: stop.set(),
        stop=stop,
    )
    unsent = status_counts(store)
    rest = await send_due(store, settings, releases, now=lambda: release.published)

    assert 0 < first.sent < 450
    assert unsent == {"sent": first.sent, "planned": 450 - first.sent}
    assert first.sent + rest.sent == 450
    assert len(list((settings.mail.maildir / "new").iterdir())) == 450
