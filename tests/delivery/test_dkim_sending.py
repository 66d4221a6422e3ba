"""Every message `send` writes or hands to an SMTP server is DKIM-signed and verifies."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import Engine

from harness.dkim import RSA_ENV, DkimTestKeys
from syndication.config import Settings
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import send_due
from syndication.delivery.signing_pool import SigningPool
from syndication.errors import ConfigError
from syndication.releases import Release
from tests.delivery.conftest import smtp_settings
from tests.delivery.people import add
from tests.delivery.smtp_server import SmtpServer

TELEWORK = "2021-06-08-telework-well-being-survey"


@pytest.fixture(scope="module")
def keys() -> DkimTestKeys:
    """An RSA-2048 and an Ed25519 key for the example site's domain."""
    return DkimTestKeys.generate("minsoc.fed.be")


def plan_readers(store: Engine, settings: Settings, release: Release, count: int) -> list[str]:
    addresses = [f"reader{number:02}@example.org" for number in range(count)]
    for number, address in enumerate(addresses):
        add(store, address, languages=[("fr", "nl"), ("nl", "fr"), ("nl",)][number % 3])
    assert plan_release_alert(store, settings, release, at=release.published) == count
    return addresses


async def test_every_message_in_the_maildir_verifies(
    store: Engine, settings: Settings, releases: dict[str, Release], keys: DkimTestKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys.install(monkeypatch.setenv)
    signing = keys.configure(settings)
    release = releases[TELEWORK]
    plan_readers(store, signing, release, 9)

    summary = await send_due(store, signing, releases, now=lambda: release.published)

    files = sorted((settings.mail.maildir / "new").iterdir())
    assert summary.sent == len(files) == 9
    for path in files:
        content = path.read_bytes()
        assert keys.verify(content) == [True, True], path
        tampered = content.replace(b"</body>", b"<p>Win a prize</p></body>", 1)
        assert tampered != content
        assert keys.verify(tampered) == [False, False]


async def test_every_message_received_over_smtp_verifies(
    store: Engine, settings: Settings, releases: dict[str, Release], keys: DkimTestKeys,
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys.install(monkeypatch.setenv)
    signing = keys.configure(smtp_settings(settings, smtp_server))
    release = releases[TELEWORK]
    addresses = plan_readers(store, signing, release, 12)

    summary = await send_due(store, signing, releases, now=lambda: release.published)

    received = smtp_server.handler.messages
    assert summary.sent == 12
    assert sorted(smtp_server.handler.recipients()) == addresses
    for message in received:
        assert keys.verify(message.content) == [True, True]
        assert message.parsed()["To"] == message.recipients[0]


async def test_a_missing_key_sends_nothing_unsigned(
    store: Engine, settings: Settings, releases: dict[str, Release], keys: DkimTestKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys.install(monkeypatch.setenv)
    monkeypatch.delenv(RSA_ENV)
    signing = keys.configure(settings)
    release = releases[TELEWORK]
    plan_readers(store, signing, release, 2)

    with pytest.raises(ConfigError, match=f"{RSA_ENV} is not set"):
        await send_due(store, signing, releases, now=lambda: release.published)
    assert not (settings.mail.maildir / "new").exists()


async def test_messages_sent_outside_a_mailing_are_signed_by_the_transport(
    settings: Settings, releases: dict[str, Release], keys: DkimTestKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import UTC, datetime

    from syndication.delivery.transports import SigningTransport, open_transport
    from syndication.mail import compose_confirmation

    keys.install(monkeypatch.setenv)
    transport = open_transport(keys.configure(settings))  # as the web's sign-up sends
    assert isinstance(transport, SigningTransport)
    message = compose_confirmation(
        settings, to="jane@example.org", language="fr",
        confirm_url="https://press.example.be/confirm/abc", message_id="<c.1@press.example.be>",
        date=datetime.now(UTC),
    )
    await transport.send(sender="press@minsoc.fed.be", recipient="jane@example.org",
                         message=message)
    await transport.close()

    (written,) = (settings.mail.maildir / "new").iterdir()
    assert keys.verify(written.read_bytes()) == [True, True]


async def test_runs_sharing_one_signing_pool_keep_it_and_survive_its_death(
    store: Engine, settings: Settings, releases: dict[str, Release], keys: DkimTestKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `run` keeps one pool for its life (no half-second process start before each alert);
    # a run must leave the caller's pool open, and a pool whose process died starts again.
    keys.install(monkeypatch.setenv)
    signing = keys.configure(settings)
    assert signing.mail.dkim is not None
    release = releases[TELEWORK]
    pool = SigningPool(signing.mail.dkim, source=str(signing.config_path))
    try:
        plan_readers(store, signing, release, 3)
        first = await send_due(store, signing, releases, now=lambda: release.published,
                               signing=pool)
        for process in list(pool._pool._processes.values()):  # a crash, as by the OOM killer
            process.kill()
            process.join()
        deadline = time.monotonic() + 10
        while not pool._pool._broken and time.monotonic() < deadline:  # noticed by its thread
            await asyncio.sleep(0.01)
        assert pool._pool._broken
        later = [f"late{number}@example.org" for number in range(3)]
        for address in later:
            add(store, address, languages=("fr",))
        assert plan_release_alert(store, signing, release, at=release.published) == 3
        second = await send_due(store, signing, releases, now=lambda: release.published,
                                signing=pool)
    finally:
        pool.close()
    files = sorted((settings.mail.maildir / "new").iterdir())
    assert (first.sent, second.sent, second.retry, second.failed) == (3, 3, 0, 0)
    assert len(files) == 6
    assert all(keys.verify(path.read_bytes()) == [True, True] for path in files)
