"""DKIM through a real MTA: signed messages relayed by a private Postfix still verify."""

from __future__ import annotations

import dataclasses
import time

import pytest
from sqlalchemy import Engine

from harness.dkim import DkimTestKeys
from harness.postfix import Sink, running_postfix
from harness.smtp import serving_smtp
from syndication.config import Settings
from syndication.delivery.planner import plan_release_alert
from syndication.delivery.sender import send_due
from syndication.releases import Release
from tests.delivery.people import add

TELEWORK = "2021-06-08-telework-well-being-survey"


async def test_signed_messages_relayed_by_postfix_still_verify(
    store: Engine, settings: Settings, releases: dict[str, Release],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = DkimTestKeys.generate("minsoc.fed.be")
    keys.install(monkeypatch.setenv)
    release = releases[TELEWORK]
    addresses = [f"reader{number}@example.org" for number in range(6)]
    for number, address in enumerate(addresses):
        add(store, address, languages=[("fr", "nl"), ("nl",)][number % 2])
    assert plan_release_alert(store, settings, release, at=release.published) == 6
    sink = Sink()
    with serving_smtp(sink) as sink_port, running_postfix(sink_port=sink_port) as postfix:
        smtp = dataclasses.replace(settings.mail.smtp, host="127.0.0.1", port=postfix.port)
        sending = keys.configure(dataclasses.replace(
            settings, mail=dataclasses.replace(settings.mail, transport="smtp", smtp=smtp)
        ))
        summary = await send_due(store, sending, releases, now=lambda: release.published)
        postfix.wait_empty()
        deadline = time.monotonic() + 20
        while len(sink.received()) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        log = postfix.log_tail()

    assert summary.sent == 6
    received = sink.received()
    assert sorted(recipient for recipient, _ in received) == addresses, log
    for _, content in received:
        assert content.startswith(b"Received: ")  # Postfix's own header: it went through it
        assert keys.verify(content) == [True, True]
        tampered = content.replace(b"</body>", b"<p>Win a prize</p></body>", 1)
        assert tampered != content
        assert keys.verify(tampered) == [False, False]
