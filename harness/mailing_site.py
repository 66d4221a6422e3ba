"""A site with one big planned mailing, driven by real `syndication` child processes.

`prepare_mailing_site` writes a config (SMTP or Maildir transport, rate, connections,
database), one release published a minute ago, imports the readers from a CSV file and
plans the release's alert, so a `send` or `run` started now has the whole mailing due.
The parent keeps an engine on the same database to look at the outbox between runs.
"""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from harness.processes import SYNDICATION, child_environment
from harness.sites import SECRET, make_site, open_site
from subscribers.csvio import import_csv
from subscribers.schema import subscribers
from syndication.config import Settings
from syndication.delivery.outbox_schema import deliveries, senders
from syndication.delivery.planner import plan_release_alert
from syndication.releases import load_releases

RELEASE_ID = "mailing-under-fault"


@dataclass
class MailingSite:
    """The site's config and database, and the size of its one mailing."""

    config: Path
    settings: Settings
    engine: Engine
    recipients: int
    web_port: int

    def start(self, command: str, label: str) -> subprocess.Popen[bytes]:
        """Start `syndication --config CONFIG COMMAND`, its output in a log file."""
        environment = child_environment()
        with (self.config.parent / f"{label}.log").open("wb") as log:
            return subprocess.Popen(
                [str(SYNDICATION), "--config", str(self.config), command],
                env=environment, stdout=log, stderr=subprocess.STDOUT,
            )

    @contextmanager
    def serving(self, label: str = "run", *, timeout: float = 60.0) -> Iterator[str]:
        """`syndication run` for the block, once its feeds answer; yield its base URL."""
        base = f"http://127.0.0.1:{self.web_port}"
        child = self.start("run", label)
        try:
            deadline = time.monotonic() + timeout
            while not _answers(f"{base}/fr/atom.xml"):
                assert child.poll() is None, self.log(label)
                assert time.monotonic() < deadline, self.log(label)
                time.sleep(0.1)
            yield base
        finally:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
            exit_code = child.wait(timeout)
        assert exit_code == 0, self.log(label)

    def log(self, label: str) -> str:
        """What a child process printed."""
        return (self.config.parent / f"{label}.log").read_text(encoding="utf-8", errors="replace")

    def sent_addresses(self) -> set[str]:
        """The addresses whose delivery is recorded as sent."""
        query = (
            select(subscribers.c.email)
            .join(deliveries, deliveries.c.subscriber_id == subscribers.c.id)
            .where(deliveries.c.status == "sent")
        )
        with self.engine.connect() as conn:
            return {email.lower() for email in conn.scalars(query)}

    def statuses(self) -> Counter[str]:
        """How many deliveries are in each status."""
        query = select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
        with self.engine.connect() as conn:
            return Counter({status: count for status, count in conn.execute(query)})

    def addresses(self) -> list[str]:
        """Every reader's address, as `prepare_mailing_site` made them."""
        return [f"reader{number:05}@example.org" for number in range(self.recipients)]

    def sender_of(self, pid: int) -> str | None:
        """The claimant id the sender process `pid` registered, if it is registered."""
        query = select(senders.c.id).where(senders.c.pid == pid)
        with self.engine.connect() as conn:
            found = conn.scalar(query)
            return None if found is None else str(found)

    def claimed_by(self, claimant: str) -> int:
        """How many deliveries `claimant` holds (`sending`)."""
        query = select(func.count()).where(
            deliveries.c.status == "sending", deliveries.c.claimed_by == claimant
        )
        with self.engine.connect() as conn:
            return int(conn.scalar(query) or 0)

    def close(self) -> None:
        """Release the parent's connections."""
        self.engine.dispose()


def prepare_mailing_site(
    folder: Path,
    *,
    recipients: int,
    smtp_port: int = 25,
    web_port: int = 8080,
    transport: str = "smtp",
    rate: int = 1000,
    concurrency: int = 10,
    database_url: str | None = None,
) -> MailingSite:
    """A site whose release alert to `recipients` readers is planned and due now."""
    config = make_site(folder, database_url=database_url)
    text = config.read_text(encoding="utf-8")
    for old, new in (
        ('transport = "maildir"', f'transport = "{transport}"'),
        ("port = 25 ", f"port = {smtp_port} "),
        ("port = 8080 ", f"port = {web_port} "),
        ("rate = 100 ", f"rate = {rate} "),
        ("concurrency = 10 ", f"concurrency = {concurrency} "),
        # The tests play many clients behind one proxy on loopback.
        ("trusted_proxies = [] ", 'trusted_proxies = ["127.0.0.1"] '),
    ):
        assert old in text, f"the example config no longer has {old!r}"
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    site = open_site(config)
    now = datetime.now(UTC).replace(microsecond=0)
    site.add_release(RELEASE_ID, (now - timedelta(minutes=1)).isoformat())
    readers = folder / "readers.csv"
    readers.write_text(
        "email,languages,lists\n"
        + "".join(f"reader{number:05}@example.org,fr;nl,press\n" for number in range(recipients)),
        encoding="utf-8",
    )
    report = import_csv(
        site.engine, readers, languages=site.settings.languages,
        themes=site.settings.themes, secret=SECRET.encode(),
    )
    assert (report.imported, report.errors) == (recipients, ())
    loaded = load_releases(site.settings, use_cache=False)
    (release,) = loaded.releases
    assert plan_release_alert(site.engine, site.settings, release, at=now) == recipients
    return MailingSite(config, site.settings, site.engine, recipients, web_port)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
