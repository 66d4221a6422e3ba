"""SIGTERM in the middle of a mailing: nothing claimed stays stuck, nothing is lost or doubled."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from harness.ports import free_port
from harness.processes import RunningService, smtp_server, use_smtp_and_port
from harness.sites import make_site, open_site
from syndication.delivery.outbox_schema import deliveries


def test_a_stopped_mailing_is_finished_by_the_next_run(tmp_path: Path, secrets_env: None) -> None:
    config = make_site(tmp_path / "site")
    people = [f"reader{index:03d}@example.org" for index in range(100)]
    with smtp_server() as (smtp_port, inbox):
        use_smtp_and_port(config, smtp_port=smtp_port, web_port=free_port())
        # 40 messages a second: the mailing takes 2.5 s, long enough to stop it midway.
        config.write_text(config.read_text().replace("rate = 100 ", "rate = 40 "))
        site = open_site(config)
        for email in people:
            site.add_subscriber(email)
        published = datetime.now(UTC) + timedelta(seconds=3)
        site.add_release("interrupted", published.isoformat(timespec="milliseconds"))
        first = RunningService(config)
        try:
            first.wait_for_line("Serving")
            inbox.wait_for(1, timeout=15)
            time.sleep(0.5)
        finally:
            assert first.stop() == 0, "".join(first.output)
        sent_before = len(inbox.wait_for(0, timeout=0))
        with site.engine.connect() as conn:
            statuses = Counter(conn.execute(select(deliveries.c.status)).scalars())
        assert 0 < sent_before < len(people)
        assert statuses == {"sent": sent_before, "planned": len(people) - sent_before}
        second = RunningService(config)
        try:
            second.wait_for_line("Serving")
            received = inbox.wait_for(len(people), timeout=15)
            time.sleep(0.5)
            received = inbox.wait_for(len(people), timeout=0)
        finally:
            assert second.stop() == 0
        with site.engine.connect() as conn:
            statuses = Counter(conn.execute(select(deliveries.c.status)).scalars())
        site.engine.dispose()
    assert Counter(r for message in received for r in message.recipients) == Counter(people)
    assert statuses == {"sent": len(people)}
