"""Sending through a real SMTP server (aiosmtpd) that defers, refuses and drops."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from syndication.config import Settings
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import send_due
from syndication.delivery.transports import SmtpTransport
from syndication.delivery.transports.transaction import wire_form
from syndication.errors import ConfigError, PermanentDeliveryError
from syndication.releases import Release
from tests.delivery.conftest import smtp_settings
from tests.delivery.people import add, hours
from tests.delivery.smtp_server import SmtpServer, running_smtp_server, self_signed_tls

TELEWORK = "2021-06-08-telework-well-being-survey"


def plan_readers(engine: Engine, settings: Settings, release: Release, count: int) -> list[str]:
    """`count` subscribers planned for the release's alert; their addresses."""
    addresses = [f"reader{number:03}@example.org" for number in range(count)]
    for address in addresses:
        add(engine, address, languages=["fr", "nl"])
    assert plan_release_alert(engine, settings, release, at=release.published) == count
    return addresses


def statuses(engine: Engine) -> dict[str, int]:
    """How many deliveries are in each status."""
    with engine.connect() as conn:
        found: dict[str, int] = {}
        for status in conn.scalars(select(deliveries.c.status)):
            found[status] = found.get(status, 0) + 1
        return found


def clock(start: datetime) -> list[datetime]:
    """A settable clock: the test moves `clock[0]`; the sender reads it."""
    return [start]


async def test_every_recipient_gets_exactly_one_message_over_reused_connections(
    backend: str,
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    smtp_server: SmtpServer,
) -> None:
    release = releases[TELEWORK]
    addresses = plan_readers(store, settings, release, 30)
    smtp = smtp_settings(settings, smtp_server)

    summary = await send_due(store, smtp, releases, now=lambda: release.published)

    handler = smtp_server.handler
    assert summary.sent == 30
    assert sorted(handler.recipients()) == addresses
    for received in handler.messages:
        message = received.parsed()
        assert received.recipients == (message["To"],)
        assert received.sender == "press@minsoc.fed.be"
        assert message["Subject"] == release.versions["fr"].title
    assert len({received.parsed()["Message-ID"] for received in handler.messages}) == 30
    assert handler.sessions <= smtp.mail.smtp.concurrency < 30
    assert statuses(store) == {"sent": 30}


async def test_a_deferred_recipient_is_retried_later_and_delivered_once(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    addresses = plan_readers(store, settings, release, 5)
    smtp_server.handler.defer(addresses[2], times=1)
    smtp = smtp_settings(settings, smtp_server)
    now = clock(release.published)

    first = await send_due(store, smtp, releases, now=lambda: now[0])
    too_early = await send_due(store, smtp, releases, now=lambda: now[0])
    now[0] += smtp.mail.retry_base
    second = await send_due(store, smtp, releases, now=lambda: now[0])

    assert (first.sent, first.retry) == (4, 1)
    assert (too_early.sent, too_early.retry) == (0, 0)
    assert (second.sent, second.retry) == (1, 0)
    assert sorted(smtp_server.handler.recipients()) == addresses
    assert smtp_server.handler.attempts[addresses[2]] == 2
    assert statuses(store) == {"sent": 5}


async def test_a_refused_recipient_fails_with_the_reply_and_is_not_retried(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    addresses = plan_readers(store, settings, release, 5)
    smtp_server.handler.refuse(addresses[0])
    smtp = smtp_settings(settings, smtp_server)

    first = await send_due(store, smtp, releases, now=lambda: release.published)
    later = await send_due(store, smtp, releases, now=lambda: release.published + hours(24))

    assert (first.sent, first.bounced, first.retry) == (4, 1, 0)
    assert later == type(later)()
    assert sorted(smtp_server.handler.recipients()) == addresses[1:]
    assert smtp_server.handler.attempts[addresses[0]] == 1
    with store.connect() as conn:
        refused = conn.execute(
            select(deliveries.c.status, deliveries.c.attempts, deliveries.c.last_reply).where(
                deliveries.c.status != "sent"
            )
        ).one()
    assert refused == ("bounced", 1, "550 5.1.1 No such user here")


async def test_a_server_down_then_up_loses_no_one(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    addresses = plan_readers(store, settings, release, 8)
    smtp = smtp_settings(settings, smtp_server)
    now = clock(release.published)
    smtp_server.stop()

    down = await send_due(store, smtp, releases, now=lambda: now[0])
    smtp_server.start()
    now[0] += smtp.mail.retry_base
    up = await send_due(store, smtp, releases, now=lambda: now[0])

    assert (down.sent, down.retry) == (0, 8)
    assert up.sent == 8
    assert sorted(smtp_server.handler.recipients()) == addresses


async def test_dropped_connections_are_retried_and_each_message_arrives_once(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    addresses = plan_readers(store, settings, release, 10)
    smtp_server.handler.drop(2)
    smtp = smtp_settings(settings, smtp_server)
    now = clock(release.published)

    first = await send_due(store, smtp, releases, now=lambda: now[0])
    now[0] += smtp.mail.retry_base
    second = await send_due(store, smtp, releases, now=lambda: now[0])

    assert (first.sent, first.retry) == (8, 2)
    assert second.sent == 2
    assert sorted(smtp_server.handler.recipients()) == addresses


async def test_login_uses_the_password_from_the_environment(
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = releases[TELEWORK]
    addresses = plan_readers(store, settings, release, 3)
    with running_smtp_server(credentials=("press", "s3cret")) as server:
        smtp = smtp_settings(settings, server)
        smtp = dataclasses.replace(
            smtp,
            mail=dataclasses.replace(
                smtp.mail, smtp=dataclasses.replace(smtp.mail.smtp, username="press")
            ),
        )
        monkeypatch.setenv(smtp.mail.smtp.password_env, "wrong")
        refused = await send_due(store, smtp, releases, now=lambda: release.published)
        monkeypatch.setenv(smtp.mail.smtp.password_env, "s3cret")
        later = release.published + smtp.mail.retry_base
        accepted = await send_due(store, smtp, releases, now=lambda: later)
        monkeypatch.delenv(smtp.mail.smtp.password_env)
        with pytest.raises(ConfigError, match=smtp.mail.smtp.password_env):
            await send_due(store, smtp, releases, now=lambda: later)

    assert (refused.sent, refused.retry) == (0, 3)
    assert accepted.sent == 3
    assert sorted(server.handler.recipients()) == addresses


@pytest.mark.parametrize("security", ["starttls", "tls"])
async def test_starttls_and_tls_with_a_verified_certificate(
    security: str,
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = releases[TELEWORK]
    addresses = plan_readers(store, settings, release, 2)
    context, certificate = self_signed_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # the client trusts only this CA
    with running_smtp_server(tls=context, implicit_tls=security == "tls") as server:
        smtp = smtp_settings(settings, server)
        smtp = dataclasses.replace(
            smtp,
            mail=dataclasses.replace(
                smtp.mail, smtp=dataclasses.replace(smtp.mail.smtp, security=security)
            ),
        )
        summary = await send_due(store, smtp, releases, now=lambda: release.published)

    assert summary.sent == 2
    assert sorted(server.handler.recipients()) == addresses


async def test_the_transport_sends_any_message_intact(
    smtp_server: SmtpServer, settings: Settings
) -> None:
    message = b"Subject: dots\n\n.starts with a dot\r\n..two dots\rlone CR\n.\nend"
    transport = SmtpTransport(smtp_settings(settings, smtp_server).mail.smtp)

    reply = await transport.send(
        sender="press@example.org", recipient="a@example.org", message=message
    )
    await transport.close()

    (received,) = smtp_server.handler.messages
    assert received.content.replace(b"\r\n", b"\n") == (
        b"Subject: dots\n\n.starts with a dot\n..two dots\nlone CR\n.\nend\n"
    )
    assert reply.startswith("250 ")


def test_the_wire_form_changes_only_what_smtp_requires() -> None:
    composed = b"Subject: x\r\n\r\nbody\r\n"

    assert wire_form(composed) == composed + b".\r\n"
    assert wire_form(b".a\nb\r.c") == b"..a\r\nb\r\n..c\r\n.\r\n"


async def test_an_address_no_envelope_can_carry_fails_without_breaking_the_connection(
    smtp_server: SmtpServer, settings: Settings
) -> None:
    transport = SmtpTransport(smtp_settings(settings, smtp_server, concurrency=1).mail.smtp)
    message = b"Subject: hi\r\n\r\nbody\r\n"

    with pytest.raises(PermanentDeliveryError, match="invalid address"):
        await transport.send(
            sender="press@example.org", recipient="a b@example.org", message=message
        )
    # This server offers SMTPUTF8 (aiosmtpd's default): a UTF-8 local part goes with it
    # (tests/delivery/test_international_addresses.py: and fails cleanly without it).
    await transport.send(sender="press@example.org", recipient="é@example.org", message=message)
    await transport.send(sender="press@example.org", recipient="ok@example.org", message=message)
    await transport.close()

    assert smtp_server.handler.recipients() == ["é@example.org", "ok@example.org"]
    assert smtp_server.handler.sessions == 1
