"""Stopping a sending process at random moments and restarting it; what each stop cost.

`interrupt` starts `syndication send` (or `run`), waits until the recording server has
taken a random number of messages from it, sends the signal (SIGKILL: a crash; SIGTERM: a
graceful stop), waits for the process to end and for the server to finish reading, then
compares what arrived during that run with what the outbox recorded as sent. Arrivals
not recorded are the re-sends that stop causes: ADR 0001 bounds them by the recorder's
`RECORD_LIMIT` plus the messages in flight (`smtp.concurrency`). After a crash the
killed sender's claims are made to expire at once (`MailingSite.expire_leases`) instead
of after the 5-minute lease. A last run goes to the end; then every address must have
arrived, and every extra copy must be one of the counted re-sends, with the Message-ID
of the first copy.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from harness.mailing_site import MailingSite
from harness.recorder import Recorder
from syndication.delivery.workers import RECORD_LIMIT

SETTLE = 0.3  # seconds for the server to finish a message the dead client had written


@dataclass(frozen=True)
class Stop:
    """One interrupted run."""

    arrived: int  # messages the server accepted during this run
    unrecorded: int  # of those, not recorded as sent: each will be sent again
    claimed: int  # deliveries still claimed (`sending`) after the process ended
    exit_code: int


@dataclass
class InterruptionReport:
    """Every stop, and what arrived in the end."""

    command: str
    signal_name: str
    recipients: int
    window: int
    stops: list[Stop] = field(default_factory=list)
    missing: int = 0
    duplicates: int = 0
    changed_message_ids: int = 0  # duplicates whose Message-ID differs from the first copy
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The report as a table, one line per stop, then the totals."""
        lines = [
            f"{self.command} × {len(self.stops)} {self.signal_name}, {self.recipients} "
            f"recipients, in-flight window {self.window} (RECORD_LIMIT {RECORD_LIMIT} + "
            "smtp.concurrency)",
            f"{'stop':>4} {'arrived':>8} {'unrecorded':>10} {'claimed':>8} {'exit':>5}",
        ]
        for number, stop in enumerate(self.stops, start=1):
            lines.append(
                f"{number:>4} {stop.arrived:>8} {stop.unrecorded:>10} {stop.claimed:>8} "
                f"{stop.exit_code:>5}"
            )
        lines.append(
            f"missing {self.missing}, duplicated {self.duplicates} (re-sends counted at the "
            f"stops: {sum(stop.unrecorded for stop in self.stops)}), duplicates with another "
            f"Message-ID {self.changed_message_ids}, statuses {self.statuses}, "
            f"{self.seconds:.1f} s"
        )
        return lines


def interrupt(
    site: MailingSite,
    recorder: Recorder,
    *,
    command: str,
    signum: signal.Signals,
    stops: int,
    rng: random.Random,
    timeout: float = 120.0,
) -> InterruptionReport:
    """Stop `command` `stops` times at random moments, then let a last run finish."""
    started = time.monotonic()
    report = InterruptionReport(
        command, signum.name, site.recipients,
        window=RECORD_LIMIT + site.settings.mail.smtp.concurrency,
    )
    for number in range(stops):
        start = recorder.count()
        remaining = site.recipients - len(recorder.addresses())
        # On average an equal share of what is left; never so late that the run could end
        # on its own before the signal arrives.
        share = min(2 * remaining // (stops - number + 1), 3 * remaining // 4)
        target = start + rng.randint(1, max(1, share))
        child = site.start(command, f"{command}-{number}")
        # The lambda is waited on here, before the loop rebinds `target` and `child`.
        _wait_until(
            lambda: recorder.count() >= target or child.poll() is not None,  # noqa: B023
            timeout,
        )
        time.sleep(rng.uniform(0, 0.02))  # not always right after a message
        if child.poll() is None:
            child.send_signal(signum)
        exit_code = child.wait(timeout)
        time.sleep(SETTLE)
        sent = site.sent_addresses()
        run = recorder.between(start, recorder.count())
        report.stops.append(Stop(
            arrived=len(run),
            unrecorded=sum(1 for address, _message_id in run if address not in sent),
            claimed=site.statuses()["sending"],
            exit_code=exit_code,
        ))
        if signum is signal.SIGKILL:
            site.expire_leases()
    _finish(site, command, timeout)
    _count_arrivals(report, recorder)
    report.statuses = dict(site.statuses())
    report.seconds = time.monotonic() - started
    return report


def _finish(site: MailingSite, command: str, timeout: float) -> None:
    """A last run, to the end: `send` exits by itself; `run` is stopped once all is sent."""
    child = site.start(command, f"{command}-last")
    if command == "run":
        _wait_until(
            lambda: site.statuses().keys() <= {"sent"} or child.poll() is not None,
            timeout, interval=0.2,
        )
        child.send_signal(signal.SIGTERM)
    exit_code = child.wait(timeout)
    assert exit_code == 0, site.log(f"{command}-last")


def _count_arrivals(report: InterruptionReport, recorder: Recorder) -> None:
    copies: Counter[str] = Counter()
    message_ids: defaultdict[str, set[str]] = defaultdict(set)
    for address, message_id in recorder.between(0, recorder.count()):
        copies[address] += 1
        message_ids[address].add(message_id)
    expected = {f"reader{number:05}@example.org" for number in range(report.recipients)}
    report.missing = len(expected - set(copies))
    report.duplicates = sum(count - 1 for count in copies.values())
    report.changed_message_ids = sum(1 for ids in message_ids.values() if len(ids) > 1)


def _wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.002) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s")
        time.sleep(interval)
