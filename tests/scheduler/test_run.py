"""`syndication run` as a child process: a release due seconds later is on time everywhere."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path

import feedparser
import httpx

from harness.ports import free_port
from harness.processes import RunningService, smtp_server, use_smtp_and_port
from harness.sites import make_site, open_site


def due_in(seconds: float) -> datetime:
    """A publication instant `seconds` from now, to the millisecond."""
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def test_run_publishes_and_mails_a_release_at_its_instant(
    tmp_path: Path, secrets_env: None
) -> None:
    config = make_site(tmp_path / "site")
    web_port = free_port()
    with smtp_server() as (smtp_port, inbox):
        use_smtp_and_port(config, smtp_port=smtp_port, web_port=web_port)
        site = open_site(config)
        site.add_subscriber("journalist@example.org", languages=("fr", "nl"))
        published = due_in(6)
        site.add_release("on-time", published.isoformat())
        site.engine.dispose()
        service = RunningService(config)
        try:
            listening = service.wait_for_line("Serving")
            assert f"http://127.0.0.1:{web_port}/" in listening
            feed_url = f"http://127.0.0.1:{web_port}/fr/atom.xml"
            feed_seen = None
            with httpx.Client(timeout=5) as client:
                while time.time() < published.timestamp() + 5:
                    body = client.get(feed_url).text
                    if "on-time" in body:
                        feed_seen = time.time()
                        break
                    time.sleep(0.02)
            assert feed_seen is not None, "".join(service.output)
            assert feed_seen >= published.timestamp()  # never before its time
            entries = feedparser.parse(body).entries
            assert [entry.title for entry in entries] == ["Titre on-time"]
            messages = inbox.wait_for(1, timeout=5)
        finally:
            code = service.stop()
    assert code == 0, "".join(service.output)
    assert [message.recipients for message in messages] == [("journalist@example.org",)]
    print(f"feed after {feed_seen - published.timestamp():.3f} s, "
          f"mail after {messages[0].at - published.timestamp():.3f} s")
    assert feed_seen - published.timestamp() < 1.5
    assert messages[0].at - published.timestamp() < 1.5
    assert "Titre on-time" in str(make_header(decode_header(messages[0].message["Subject"])))
