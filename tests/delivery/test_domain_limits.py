"""Per-domain limits and backing off a domain that throttles, against a real SMTP server.

One aiosmtpd server plays two providers, routing by the recipient's domain: `busy.example`
answers "421 4.7.0 too many connections" to every second RCPT (and our client then drops
that connection, as RFC 5321 §4.2.2 says), `calm.example` accepts everything.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery import domain_lanes
from syndication.delivery.domain_lanes import is_throttling
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import send_due
from syndication.releases import Release
from syndication.sending_settings import DomainLimit
from tests.delivery.conftest import smtp_settings
from tests.delivery.people import add
from tests.delivery.smtp_server import FaultyHandler, running_smtp_server

TELEWORK = "2021-06-08-telework-well-being-survey"
BUSY, CALM = "busy.example", "calm.example"


@dataclass
class ProvidersHandler(FaultyHandler):
    """`BUSY` throttles every second RCPT; in-flight transactions counted per domain."""

    busy_rcpts: int = 0
    throttled: int = 0
    in_flight: Counter[str] = field(default_factory=Counter)
    most_in_flight: Counter[str] = field(default_factory=Counter)
    accepted_at: list[tuple[float, str]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        domain = address.rpartition("@")[2]
        if domain == BUSY:
            self.busy_rcpts += 1
            if self.busy_rcpts % 2 == 0:
                self.throttled += 1
                return "421 4.7.0 Too many connections, slow down"
        self.in_flight[domain] += 1
        self.most_in_flight[domain] = max(self.most_in_flight[domain], self.in_flight[domain])
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        for address in envelope.rcpt_tos:
            domain = address.rpartition("@")[2]
            self.in_flight[domain] -= 1
            self.accepted_at.append((time.monotonic(), domain))
        return reply


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold a throttling domain 0.2 s rather than 1 s, so the test takes a second or two."""
    monkeypatch.setattr(domain_lanes, "BACKOFF_FIRST", 0.2)


async def test_a_throttling_domain_is_slowed_the_other_is_not_and_nobody_is_skipped(
    store: Engine, settings: Settings, releases: dict[str, Release], quick_backoff: None
) -> None:
    release = releases[TELEWORK]
    busy = [f"reader{number:02}@{BUSY}" for number in range(10)]
    calm = [f"reader{number:02}@{CALM}" for number in range(40)]
    for address in [*busy, *calm]:
        add(store, address)
    assert plan_release_alert(store, settings, release, at=release.published) == 50
    handler = ProvidersHandler()
    with running_smtp_server(handler) as server:
        sending = smtp_settings(settings, server, concurrency=6)
        limits = {BUSY: DomainLimit(concurrency=2, rate=20.0)}
        sending = dataclasses.replace(
            sending, mail=dataclasses.replace(sending.mail, domains=limits)
        )
        now = release.published
        summaries = []
        for _ in range(5):  # a claim throttled too often is planned again: send again later
            summaries.append(await send_due(store, sending, releases, now=lambda: now))
            if summaries[-1].backlog.due == 0 and summaries[-1].retry == 0:
                break
            now += sending.mail.retry_base * 2**5

    recipients = handler.recipients()
    assert sorted(recipients) == sorted([*busy, *calm])  # everyone, exactly once
    assert sum(summary.sent for summary in summaries) == 50
    # Throttled recipients waited in their domain's lane and went out in the same run,
    # rather than being failed, skipped or planned for much later.
    assert (summaries[0].sent, summaries[0].retry, summaries[0].failed) == (50, 0, 0)
    assert handler.throttled >= 4  # the busy domain throttled us, again and again
    assert handler.most_in_flight[BUSY] <= 2  # its own concurrency
    assert handler.most_in_flight[CALM] > 2  # the calm one used the site's connections
    # The calm domain went out at full speed while the busy one was held: all of it was
    # accepted before the busy domain's last message, which waited out its backoffs.
    order = [domain for _, domain in handler.accepted_at]
    last_calm = max(index for index, domain in enumerate(order) if domain == CALM)
    last_busy = max(index for index, domain in enumerate(order) if domain == BUSY)
    assert last_calm < last_busy
    times = {domain: [at for at, found in handler.accepted_at if found == domain]
             for domain in (BUSY, CALM)}
    busy_span = times[BUSY][-1] - times[BUSY][0]
    assert busy_span >= 0.2 * (handler.throttled // 2)  # held after the throttles


@pytest.mark.parametrize(
    ("code", "reply", "throttling"),
    [
        (421, "421 4.7.0 Too many connections, slow down", True),
        (421, "421 Service not available, closing transmission channel", True),
        (450, "450 4.7.28 Our system has detected an unusual rate of unsolicited mail", True),
        (451, "451 4.7.500 Server busy. Please try again later", True),
        (451, "451 4.4.5 Mail system congestion", True),
        (451, "451 4.3.0 Try again later", False),  # one recipient's deferral (greylisting)
        (450, "450 4.2.1 Mailbox busy", False),
        (550, "550 5.7.1 Rejected", False),
        (None, "connection lost", False),
    ],
)
def test_which_answers_throttle_the_whole_domain(
    code: int | None, reply: str, throttling: bool
) -> None:
    assert is_throttling(code, reply) is throttling


@dataclass
class LateThrottleHandler(FaultyHandler):
    """Throttles the first `throttles` RCPTs, answering only after `late` seconds."""

    throttles: int = 3
    late: float = 0.3

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self._lock:
            throttle = self.throttles > 0
            self.throttles -= throttle
        if throttle:
            await asyncio.sleep(self.late)  # the sender has claimed all there is by now
            return "421 4.7.0 Too many connections, slow down"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


async def test_a_domain_with_no_lane_that_throttles_after_the_last_claim_is_sent_in_the_run(
    store: Engine, settings: Settings, releases: dict[str, Release], quick_backoff: None
) -> None:
    # The throttles arrive once nothing is left to claim and before the domain has a lane:
    # the run must still wait for the claims its new lane holds, not end and hand them back
    # unsent (it used to: 0 sent, 0 retried, the throttle's reply recorded nowhere).
    release = releases[TELEWORK]
    readers = [f"reader{number:02}@{CALM}" for number in range(8)]
    for address in readers:
        add(store, address)
    assert plan_release_alert(store, settings, release, at=release.published) == 8
    handler = LateThrottleHandler()
    with running_smtp_server(handler) as server:
        sending = smtp_settings(settings, server, concurrency=3)
        assert not sending.mail.domains  # no lane before the first throttle
        summary = await send_due(store, sending, releases, now=lambda: release.published)

    assert (summary.sent, summary.retry, summary.failed) == (8, 0, 0)
    assert summary.backlog.due == 0
    assert sorted(handler.recipients()) == readers  # everyone, exactly once
    assert handler.throttles == 0  # the three throttles were answered
