"""A sender killed mid-mailing: nobody is lost, and only what was unrecorded is sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import Engine

from syndication.config import Settings
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import send_due
from syndication.delivery.workers import LEASE_MIN, RECORD_LIMIT
from syndication.releases import Release
from tests.delivery.conftest import smtp_settings
from tests.delivery.people import add, rows
from tests.delivery.smtp_server import SmtpServer

TELEWORK = "2021-06-08-telework-well-being-survey"
COUNT = 600


async def test_a_killed_sender_loses_no_one_and_resends_only_the_unrecorded(
    store: Engine, settings: Settings, releases: dict[str, Release], smtp_server: SmtpServer
) -> None:
    release = releases[TELEWORK]
    for number in range(COUNT):
        add(store, f"reader{number:04}@example.org")
    plan_release_alert(store, settings, release, at=release.published)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.delivery.crashing_sender",
            str(settings.config_path),
            settings.database_url,
            str(smtp_server.port),
            "400",
            release.published.isoformat(),
        ],
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    deadline = time.monotonic() + 30
    while len(smtp_server.handler.messages) < COUNT // 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    time.sleep(0.2)  # let the server finish a message it was reading
    before = len(smtp_server.handler.messages)
    recorded = sum(1 for *_rest, status in rows(store) if status == "sent")

    after_lease = release.published + LEASE_MIN + timedelta(seconds=1)
    summary = await send_due(
        store, smtp_settings(settings, smtp_server), releases, now=lambda: after_lease
    )

    copies = Counter(address for address in smtp_server.handler.recipients())
    twice = [address for address, count in copies.items() if count > 1]
    assert COUNT // 2 <= before < COUNT
    assert len(copies) == COUNT
    assert max(copies.values()) == 2
    # Sent twice: exactly those the dead sender had sent without recording them.
    assert len(twice) == before - recorded <= RECORD_LIMIT + 3
    assert summary.sent == COUNT - recorded
    message_ids: dict[str, set[str]] = {}
    for received in smtp_server.handler.messages:
        message_ids.setdefault(received.recipients[0], set()).add(received.parsed()["Message-ID"])
    assert all(len(ids) == 1 for ids in message_ids.values())
