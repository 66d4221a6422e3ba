"""Several `syndication send` processes draining one mailing at once, into one Maildir.

Each message the Maildir transport writes starts with `Delivered-To: <recipient>`, so
counting the files per recipient counts what was delivered, whoever sent it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness.mailing_site import MailingSite

_SENT = re.compile(r"^Sent (\d+),", re.MULTILINE)
_DELIVERED_TO = re.compile(rb"^Delivered-To: (\S+)$", re.MULTILINE)


@dataclass
class SharingReport:
    """What each sender sent and what the Maildir holds."""

    recipients: int
    senders: int
    sent_by_sender: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    delivered: int = 0  # message files in the Maildir
    missing: int = 0
    duplicates: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The report as text."""
        rate = self.delivered / self.seconds if self.seconds else 0.0
        return [
            f"{self.senders} × send on PostgreSQL, one mailing of {self.recipients}: "
            f"sent by each {self.sent_by_sender} (exit {self.exit_codes})",
            f"delivered {self.delivered}, missing {self.missing}, duplicates "
            f"{self.duplicates}, statuses {self.statuses}, {self.seconds:.1f} s "
            f"({rate:.0f} msgs/s together, start-up included)",
        ]


def share_mailing(site: MailingSite, *, senders: int, timeout: float = 300.0) -> SharingReport:
    """Start `senders` `send` processes at once, wait for all, count what was delivered."""
    report = SharingReport(site.recipients, senders)
    started = time.monotonic()
    children = [site.start("send", f"send-{number}") for number in range(senders)]
    report.exit_codes = [child.wait(timeout) for child in children]
    report.seconds = time.monotonic() - started
    for number in range(senders):
        found = _SENT.search(site.log(f"send-{number}"))
        report.sent_by_sender.append(int(found.group(1)) if found else -1)
    copies = delivered_copies(site.settings.mail.maildir)
    expected = {f"reader{number:05}@example.org" for number in range(site.recipients)}
    report.delivered = sum(copies.values())
    report.missing = len(expected - set(copies))
    report.duplicates = sum(count - 1 for count in copies.values())
    report.statuses = dict(site.statuses())
    return report


def delivered_copies(maildir: Path) -> Counter[str]:
    """How many messages the Maildir holds for each recipient."""
    copies: Counter[str] = Counter()
    for path in (maildir / "new").iterdir():
        with path.open("rb") as message:
            found = _DELIVERED_TO.search(message.read(1024))
        assert found is not None, path
        copies[found.group(1).decode().lower()] += 1
    return copies
