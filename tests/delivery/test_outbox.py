"""Claims and leases: several senders share a mailing; a crashed sender's claims come back."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import Engine, select

from syndication.config import Settings
from syndication.delivery.messages import MessageFactory, envelope_sender
from syndication.delivery.outbox import (
    Outcome,
    Result,
    claim_batch,
    reclaim_expired,
    record_results,
)
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery.sender import send_due
from syndication.delivery.transports import SmtpTransport
from syndication.releases import Release
from tests.delivery.conftest import smtp_settings
from tests.delivery.people import plan
from tests.delivery.smtp_server import SmtpServer

TELEWORK = "2021-06-08-telework-well-being-survey"
LEASE = timedelta(minutes=5)


async def test_a_crashed_senders_claims_come_back_after_the_lease_with_the_same_message_id(
    backend: str,
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    smtp_server: SmtpServer,
    site_secret: bytes,
) -> None:
    release = releases[TELEWORK]
    addresses = plan(store, settings, release, 6)
    smtp = smtp_settings(settings, smtp_server)
    crash_time = release.published
    # The crashed sender claimed everything and got one message out before dying.
    claims = claim_batch(store, claimant="crashed", now=crash_time, size=100, lease=LEASE)
    transport = SmtpTransport(smtp.mail.smtp)
    first = claims[0]
    assert first.email is not None
    assert first.subscriber_id is not None
    message = MessageFactory(smtp, releases, secret=site_secret).message(
        first, email=first.email, subscriber_id=first.subscriber_id, date=crash_time
    )
    await transport.send(sender=envelope_sender(smtp), recipient=first.email, message=message)
    await transport.close()

    during_lease = await send_due(store, smtp, releases, now=lambda: crash_time + LEASE / 2)
    after_lease = await send_due(
        store, smtp, releases, now=lambda: crash_time + LEASE + timedelta(seconds=1)
    )

    assert len(claims) == 6
    assert during_lease.sent == 0
    assert after_lease.sent == 6
    received = smtp_server.handler.messages
    assert sorted({address for message in received for address in message.recipients}) == (
        addresses
    )
    resent = [message.parsed() for message in received if first.email in message.recipients]
    assert len(resent) == 2
    assert resent[0]["Message-ID"] == resent[1]["Message-ID"]


def test_concurrent_claimants_never_share_a_delivery(
    backend: str, store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, 40)

    def drain(claimant: str) -> list[int]:
        taken: list[int] = []
        while claims := claim_batch(
            store, claimant=claimant, now=release.published, size=3, lease=LEASE
        ):
            taken.extend(claim.id for claim in claims)
        return taken

    with ThreadPoolExecutor(max_workers=4) as pool:
        shares = list(pool.map(drain, ["a", "b", "c", "d"]))

    everything = [delivery_id for share in shares for delivery_id in share]
    assert len(everything) == len(set(everything)) == 40


def test_a_sender_whose_lease_ran_out_cannot_overwrite_the_next_ones_results(
    backend: str, store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    release = releases[TELEWORK]
    plan(store, settings, release, 1)
    start = release.published
    (slow,) = claim_batch(store, claimant="slow", now=start, size=10, lease=LEASE)
    later = start + LEASE * 2
    assert reclaim_expired(store, now=later) == 1
    (taken_over,) = claim_batch(store, claimant="next", now=later, size=10, lease=LEASE)

    retry = Result(slow.id, slow.subscriber_id, Outcome.RETRY, "451 late", later + LEASE)
    record_results(store, [retry], claimant="slow", now=later, suppress_after=3)
    sent = Result(taken_over.id, taken_over.subscriber_id, Outcome.SENT, "250 ok")
    record_results(store, [sent], claimant="next", now=later, suppress_after=3)

    with store.connect() as conn:
        row = conn.execute(
            select(deliveries.c.status, deliveries.c.attempts, deliveries.c.last_reply)
        ).one()
    assert tuple(row) == ("sent", 1, "250 ok")
