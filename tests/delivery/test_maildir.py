"""The Maildir transport: every message lands in new/ as a file a mail client can read."""

from __future__ import annotations

import mailbox
from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import send_due
from syndication.delivery.transports import MaildirTransport
from syndication.releases import Release
from tests.delivery.people import add, rows

TELEWORK = "2021-06-08-telework-well-being-survey"


async def test_messages_land_in_new_and_parse(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    addresses = [f"reader{number}@example.org" for number in range(5)]
    for address in addresses:
        add(store, address, languages=["nl", "fr"])
    release = releases[TELEWORK]
    plan_release_alert(store, settings, release, at=release.published)

    summary = await send_due(store, settings, releases, now=lambda: release.published)

    assert summary.sent == 5
    assert {status for *_rest, status in rows(store)} == {"sent"}
    folder = settings.mail.maildir
    files = sorted((folder / "new").iterdir())
    assert len(files) == 5
    assert not any((folder / "tmp").iterdir())
    parsed = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert sorted(message["To"] for message in parsed) == addresses
    assert all(message["Delivered-To"] == message["To"] for message in parsed)
    for message in parsed:
        assert message["Subject"] == release.versions["nl"].title
        assert message["List-Unsubscribe"].startswith(f"<{settings.base_url}/unsubscribe/")
        assert message.get_body(preferencelist=("plain",)) is not None
    assert len(mailbox.Maildir(folder, create=False)) == 5


async def test_the_maildir_is_created_on_first_use(tmp_path: Path) -> None:
    folder = tmp_path / "new-outbox"
    transport = MaildirTransport(folder)

    reply = await transport.send(
        sender="press@example.org",
        recipient="a@example.org",
        message=b"Subject: hi\r\n\r\nbody\r\n",
    )
    await transport.close()

    (written,) = (folder / "new").iterdir()
    assert written.read_bytes().endswith(b"Subject: hi\n\nbody\n")
    assert str(written) in reply
