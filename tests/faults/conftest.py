"""Fixtures of the fault tests: a planned mailing on a private site, a fault-capable server.

The sender reads a clock the test moves (`Outbox.later`), so retries come due without
waiting; the SMTP server is real (aiosmtpd on loopback) and the database a SQLite file.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from harness.sites import Site
from subscribers.schema import subscribers
from syndication.config import Settings
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import SendSummary, send_due
from syndication.releases import Release, load_releases
from tests.delivery.conftest import smtp_settings
from tests.faults.fault_server import FaultServer, running_fault_server

PUBLISHED = "2026-03-02T10:00:00+01:00"
RELEASE_ID = "faults-under-test"


@dataclass(frozen=True)
class Row:
    """One delivery as the outbox holds it."""

    status: str
    attempts: int
    last_reply: str | None


@dataclass
class Outbox:
    """One planned release alert, the clock its sender reads, and how to look at it."""

    site: Site
    release: Release
    addresses: list[str]
    clock: list[datetime] = field(default_factory=list)

    def settings(self, server: FaultServer, **mail: Any) -> Settings:
        """The site sending through `server` (3 connections, no binding rate limit)."""
        smtp = mail.pop("smtp", {})
        settings = smtp_settings(self.site.settings, server, **mail)
        if smtp:
            smtp_section = dataclasses.replace(settings.mail.smtp, **smtp)
            mail_section = dataclasses.replace(settings.mail, smtp=smtp_section)
            settings = dataclasses.replace(settings, mail=mail_section)
        return settings

    async def send(self, server: FaultServer, *, resume: bool = False, **mail: Any) -> SendSummary:
        """One `send_due` at the clock's time."""
        return await send_due(
            self.site.engine, self.settings(server, **mail), {self.release.id: self.release},
            now=lambda: self.clock[0], resume=resume,
        )

    def later(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.clock[0] += delta

    async def drain(self, server: FaultServer, *, rounds: int = 10, **mail: Any) -> int:
        """Send, a day later each time, until nothing is planned; return the rounds used."""
        for used in range(1, rounds + 1):
            await self.send(server, **mail)
            if not any(row.status == "planned" for row in self.rows().values()):
                return used
            self.later(timedelta(days=1))
        raise AssertionError(f"still planned after {rounds} rounds: {self.rows()}")

    def rows(self) -> dict[str, Row]:
        """Every delivery by address."""
        query = select(
            subscribers.c.email, deliveries.c.status, deliveries.c.attempts,
            deliveries.c.last_reply,
        ).join(subscribers, subscribers.c.id == deliveries.c.subscriber_id)
        with self.site.engine.connect() as conn:
            return {
                email: Row(status, attempts, reply)
                for email, status, attempts, reply in conn.execute(query)
            }

    def statuses(self) -> Counter[str]:
        """How many deliveries are in each status."""
        return Counter(row.status for row in self.rows().values())


@pytest.fixture
def site(empty_site: Site) -> Site:
    """A private SQLite site with the lists and one release published on PUBLISHED."""
    empty_site.add_release(RELEASE_ID, PUBLISHED)
    return empty_site


def plan_outbox(site: Site, count: int) -> Outbox:
    """`count` readers of the press list, the release's alert planned for them."""
    addresses = [f"reader{number:03}@example.org" for number in range(count)]
    for address in addresses:
        site.add_subscriber(address, languages=("fr", "nl"))
    loaded = load_releases(site.settings, use_cache=False)
    assert not loaded.problems
    (release,) = loaded.releases
    assert plan_release_alert(site.engine, site.settings, release, at=release.published) == count
    return Outbox(site, release, addresses, [release.published])


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A fault-capable SMTP server on a free loopback port."""
    with running_fault_server() as running:
        yield running
