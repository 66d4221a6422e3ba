"""Conditional GETs of a feed hammering `syndication run` while it sends a mailing.

`feeds_under_load` starts `run` on a site whose alert is being sent through a rate-limited
SMTP transport to a recording server, fetches the feed once for its validators, waits
until the mailing is under way, then sends the conditional GETs (If-None-Match, and
If-Modified-Since alone) from many connections at once. A right answer is a 304 with the
feed's ETag and no body. The report says how far the mailing went during the load.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.faults.mailing_site import prepare_mailing_site
from tests.faults.recorder import recording_server
from tests.load.generator import Answer, LoadReport, conditional_get, load
from tests.scheduler.processes import free_port

FEED = "/fr/atom.xml"
QUIET = 1.0  # seconds of sending measured before the load


@dataclass
class FeedLoad:
    """The load report and the mailing's progress around it."""

    load: LoadReport
    recipients: int
    sent_before: int  # messages the SMTP server had when the load began
    sent_after: int  # ... and when it ended
    quiet_rate: float  # msgs/s in the second before the load

    def lines(self) -> list[str]:
        """The report as text."""
        during = self.sent_after - self.sent_before
        return [
            f"conditional GETs of {FEED} on `run`: {self.load.line()}",
            f"mailing of {self.recipients} under way throughout: {self.sent_before} sent "
            f"before, {self.sent_after} after: {during / self.load.seconds:.0f} msgs/s "
            f"during the load, {self.quiet_rate:.0f} msgs/s in the second before it",
        ]


def feeds_under_load(
    folder: Path, *, recipients: int, rate: int, connections: int, requests: int
) -> FeedLoad:
    """Run the whole measurement in `folder`."""
    with recording_server() as (smtp_port, recorder):
        site = prepare_mailing_site(
            folder, recipients=recipients, smtp_port=smtp_port, web_port=free_port(),
            rate=rate,
        )
        try:
            with site.serving() as base:
                with urllib.request.urlopen(base + FEED, timeout=10) as first:
                    etag, since = first.headers["ETag"], first.headers["Last-Modified"]
                while recorder.count() == 0:
                    time.sleep(0.02)
                quiet = recorder.count()
                time.sleep(QUIET)
                by_etag = conditional_get(FEED, etag=etag)
                by_date = conditional_get(FEED, since=since)
                batch = [by_etag if number % 5 else by_date for number in range(requests)]

                def right(answer: Answer) -> bool:
                    return (answer.status, answer.headers.get("etag"), answer.body) == (
                        304, etag, b"",
                    )

                before = recorder.count()
                report = asyncio.run(load(
                    "127.0.0.1", site.web_port, batch, connections=connections, check=right,
                ))
                after = recorder.count()
        finally:
            site.close()
    return FeedLoad(report, recipients, before, after, (before - quiet) / QUIET)
