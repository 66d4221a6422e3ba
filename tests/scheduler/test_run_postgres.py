"""Two `run` processes on one PostgreSQL database: one schedules, both send, nobody twice."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from harness.processes import RunningService, sites_sharing_releases, smtp_server
from harness.sites import open_site
from syndication.delivery.outbox_schema import deliveries, mailings

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(pg_url: str) -> str:
    """A database of our own on the real server."""
    return pg_url


def due_in(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def test_two_processes_send_each_recipient_exactly_once(
    tmp_path: Path, secrets_env: None, database_url: str
) -> None:
    with smtp_server() as (smtp_port, inbox):
        # Both sites read the same releases: the second one's folder is the first one's.
        configs = sites_sharing_releases(
            tmp_path, database_url=database_url, smtp_port=smtp_port
        )
        site = open_site(configs[0])
        people = [f"reader{index:02d}@example.org" for index in range(40)]
        for email in people:
            site.add_subscriber(email)
        site.add_release("shared", due_in(5))
        services = [RunningService(config) for config in configs]
        try:
            for service in services:
                service.wait_for_line("Serving")
            received = inbox.wait_for(len(people), timeout=20)
            time.sleep(1)  # anything sent twice would arrive by now
            received = inbox.wait_for(len(people), timeout=0)
            assert Counter(r for message in received for r in message.recipients) == Counter(
                people
            )
            leaders = [s for s in services if any("this process schedules" in line
                                                 for line in s.output)]
            assert len(leaders) == 1
            # The leader goes: the other takes the scheduler lock over and publishes on time.
            # The release is there before: a takeover quicker than the test's next line
            # would scan without it and wait for the next scan (30 s).
            site.add_release("after-failover", due_in(8))
            assert leaders[0].stop() == 0
            follower = next(s for s in services if s is not leaders[0])
            again = inbox.wait_for(2 * len(people), timeout=20)
            assert Counter(r for message in again[len(people):] for r in message.recipients) == (
                Counter(people)
            )
            assert any("this process schedules" in line for line in follower.output)
        finally:
            codes = [service.stop() for service in services]
        with site.engine.connect() as conn:
            keys = conn.execute(select(mailings.c.key).order_by(mailings.c.key)).scalars().all()
            statuses = Counter(conn.execute(select(deliveries.c.status)).scalars())
        site.engine.dispose()
    assert [key for key in keys if key.startswith("alert:")] == [
        "alert:after-failover", "alert:shared",
    ]
    assert statuses == {"sent": 2 * len(people)}
    assert codes == [0, 0]
