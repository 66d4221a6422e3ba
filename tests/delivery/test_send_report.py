"""What `send` says, and its exit status, for each reason a delivery is not sent now.

Through the real command line, a real SMTP server and the site's SQLite file; the "other
sender" is a real registration in this process (its flock held, or released as a crash
releases it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine

from syndication.config import load_settings
from syndication.database import open_store
from syndication.delivery.claimant_locks import ClaimantLock, sender_locks
from syndication.delivery.outbox import claim_batch
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.senders import register_sender
from syndication.delivery.workers import PAUSE_AFTER
from syndication.releases import load_releases
from tests.delivery.people import add
from tests.delivery.smtp_server import SmtpServer
from tests.delivery.test_cli import PENSION, SENEGAL, run

READERS = ("one@example.org", "two@example.org")


@pytest.fixture
def site(example_site: Path, smtp_server: SmtpServer) -> Path:
    """The example site sending through the test SMTP server; two French readers."""
    text = example_site.read_text(encoding="utf-8")
    text = text.replace('transport = "maildir"', 'transport = "smtp"')
    text = text.replace("port = 25 ", f"port = {smtp_server.port} ")
    example_site.write_text(text, encoding="utf-8")
    for address in READERS:
        added = run(example_site, "subscribers", "add", address, "--languages", "fr")
        assert added.exit_code == 0, added.output
    return example_site


@pytest.fixture
def engine(site: Path) -> Iterator[Engine]:
    """The site's database, as another process on the same machine would open it."""
    opened = open_store(load_settings(site))
    yield opened
    opened.dispose()


def publish(site: Path) -> None:
    """Plan the Senegal release's alert to the readers: due now."""
    published = run(site, "publish", "--at", "2026-02-10T16:31:00+01:00")
    assert published.exit_code == 0, published.output


def other_sender(site: Path, engine: Engine, claimant: str, *, alive: bool) -> ClaimantLock | None:
    """A sender that registered and claimed everything due; alive, or as a SIGKILL leaves it:
    its row, its claims and its lock file, unlocked."""
    settings = load_settings(site)
    lock = sender_locks(engine, settings).lock_for(claimant)
    lock.acquire()
    now = datetime.now(UTC)
    register_sender(engine, claimant, lock_slot=lock.slot, at=now, stale_after=timedelta(0))
    claim_batch(engine, claimant=claimant, now=now, size=100, lease=timedelta(minutes=5))
    if alive:
        return lock
    lock.release()  # which removes the file a killed sender leaves behind: put it back
    (settings.data_dir / "senders" / f"{claimant}.lock").touch()
    return None


def send(site: Path) -> Result:
    """`syndication send`."""
    return run(site, "send")


def test_deliveries_held_by_a_live_sender_are_reported_and_left_to_it(
    site: Path, engine: Engine, smtp_server: SmtpServer
) -> None:
    publish(site)
    lock = other_sender(site, engine, "a1b2c3d4", alive=True)
    assert lock is not None
    try:
        result = send(site)
    finally:
        lock.release()

    assert result.exit_code == 0
    assert "Sent 0, failed 0" in result.output
    assert "2 deliveries are held by 1 other live sender, which is sending them." in result.output
    assert smtp_server.handler.messages == []


def test_deliveries_of_a_sender_that_died_are_reclaimed_and_sent(
    site: Path, engine: Engine, smtp_server: SmtpServer
) -> None:
    publish(site)
    other_sender(site, engine, "deadbeef", alive=False)

    result = send(site)

    assert result.exit_code == 0
    assert "Sent 2, failed 0" in result.output
    assert "Reclaimed 2 deliveries claimed by a sender that is no longer running" in result.output
    assert sorted(smtp_server.handler.recipients()) == sorted(READERS)


def test_a_deferred_delivery_is_reported_with_its_next_attempt(
    site: Path, smtp_server: SmtpServer
) -> None:
    publish(site)
    smtp_server.handler.defer(READERS[0])

    result = send(site)

    assert result.exit_code == 0
    assert "Sent 1, failed 0 (0 bounced), to retry later 1" in result.output
    # retry_base 30 s after the send, in the site's time zone.
    assert "1 delivery waits for a retry; the next at 20" in result.output
    assert " CET." in result.output or " CEST." in result.output


def test_a_server_that_defers_everything_is_not_success(
    site: Path, smtp_server: SmtpServer
) -> None:
    publish(site)
    smtp_server.stop()

    result = send(site)

    assert result.exit_code == 1
    assert "Sent 0, failed 0 (0 bounced), to retry later 2" in result.output
    assert "error: nothing could be handed to the server: all 2 deliveries tried" in result.output
    assert "2 deliveries wait for a retry; the next at " in result.output


def test_a_paused_mailing_is_reported_with_its_reason_and_exit_1(
    site: Path, engine: Engine, smtp_server: SmtpServer
) -> None:
    for number in range(PAUSE_AFTER):
        add(engine, f"reader{number:03}@example.org", languages=("fr",), lists=["press"])
    publish(site)
    smtp_server.handler.defer(times=10_000)

    result = send(site)

    assert result.exit_code == 1
    assert "paused mailings 1." in result.output
    assert f"paused: alert:{SENEGAL}: {PAUSE_AFTER} errors in a row" in result.output
    assert "or at once with `send --resume`" in result.output


def test_deliveries_not_due_yet_are_reported_with_when(
    site: Path, engine: Engine, smtp_server: SmtpServer
) -> None:
    settings = load_settings(site)
    (release,) = [
        item for item in load_releases(settings, use_cache=False).releases if item.id == PENSION
    ]
    # Planned as a tick at its publication would (`publish --at` ahead of the clock).
    assert release.published > datetime.now(UTC)
    assert plan_release_alert(engine, settings, release, at=release.published) == 2

    dry = run(site, "send", "--dry-run")
    result = send(site)

    local = release.published.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M:%S %Z")
    assert result.exit_code == 0
    assert "Sent 0, failed 0" in result.output
    assert f"2 deliveries are not due yet; the first at {local}." in result.output
    assert dry.exit_code == 0
    assert "0 deliveries are due; nothing sent (dry run)." in dry.output
    assert f"2 deliveries are not due yet; the first at {local}." in dry.output
    assert smtp_server.handler.messages == []
