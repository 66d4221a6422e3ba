"""Several `syndication send` processes draining one mailing at once, and one of them killed.

`share_mailing`: into one Maildir. Each message the Maildir transport writes starts with
`Delivered-To: <recipient>`, so counting the files per recipient counts what was
delivered, whoever sent it. `share_with_a_kill`: two senders to the recording SMTP server,
one SIGKILLed mid-mailing; the other must take back what the dead one held (its lock is
free at once) and finish, with no harness help.
"""

from __future__ import annotations

import re
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness.interruptions import format_seconds, wait_until
from harness.mailing_site import MailingSite
from harness.recorder import Recorder, count_copies

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
    expected = set(site.addresses())
    report.delivered = sum(copies.values())
    report.missing = len(expected - set(copies))
    report.duplicates = sum(count - 1 for count in copies.values())
    report.statuses = dict(site.statuses())
    return report


@dataclass
class KillReport:
    """Two senders, one killed: what the survivor did about it."""

    recipients: int
    killed_after: int = 0  # messages arrived when the kill came
    held_by_dead: int = 0  # deliveries the killed sender held when it died
    taken_back_after: float | None = None  # seconds from the kill until it held none
    last_delivery_after: float | None = None  # seconds from the kill to the last arrival
    survivor_exit: int | None = None
    survivor_said: list[str] = field(default_factory=list)  # its summary lines
    missing: int = 0
    duplicates: int = 0
    changed_message_ids: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The report as text."""
        return [
            f"2 × send, one SIGKILLed after {self.killed_after} of {self.recipients} messages "
            f"holding {self.held_by_dead} deliveries; the other (exit {self.survivor_exit}) "
            f"took them back after {format_seconds(self.taken_back_after)}, last delivery "
            f"{format_seconds(self.last_delivery_after)} after the kill",
            f"missing {self.missing}, duplicates {self.duplicates}, duplicates with another "
            f"Message-ID {self.changed_message_ids}, statuses {self.statuses}",
            *(f"  survivor: {line}" for line in self.survivor_said),
        ]


def share_with_a_kill(
    site: MailingSite, recorder: Recorder, *, kill_after: int, timeout: float = 300.0
) -> KillReport:
    """Start two `send`s, SIGKILL the first once `kill_after` messages arrived, time the other."""
    report = KillReport(site.recipients)
    victim, survivor = (site.start("send", f"send-{number}") for number in range(2))
    wait_until(lambda: recorder.count() >= kill_after or victim.poll() is not None, timeout)
    claimant = site.sender_of(victim.pid)
    assert claimant is not None, site.log("send-0")
    assert victim.poll() is None, site.log("send-0")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout)
    killed = time.monotonic()
    report.killed_after = recorder.count()
    report.held_by_dead = site.claimed_by(claimant)
    wait_until(lambda: site.claimed_by(claimant) == 0, timeout, interval=0.05)
    report.taken_back_after = time.monotonic() - killed
    report.survivor_exit = survivor.wait(timeout)
    last = recorder.last_at()
    report.last_delivery_after = None if last is None else last - killed
    report.survivor_said = site.log("send-1").strip().splitlines()
    copies = count_copies(recorder, site.addresses())
    report.missing, report.duplicates = copies.missing, copies.duplicates
    report.changed_message_ids = copies.changed_message_ids
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
