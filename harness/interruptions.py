"""Stopping a sending process at random moments and restarting it; what each stop cost.

`interrupt` starts `syndication send` (or `run`), waits until the recording server has
taken a random number of messages from it, sends the signal (SIGKILL: a crash; SIGTERM: a
graceful stop), waits for the process to end and for the server to finish reading, then
compares what arrived during that run with what the outbox recorded as sent. Arrivals
not recorded are the re-sends that stop causes: ADR 0001 bounds them by the recorder's
`RECORD_LIMIT` plus the messages in flight (`smtp.concurrency`). Nothing is done to the
outbox between runs: the next process must find the killed sender's claims and take them
back by itself (its lock is free), and each stop notes how long the next run took from its
start to its first delivery. A last run goes to the end; then every address must have
arrived, every extra copy must be one of the counted re-sends, with the Message-ID of the
first copy, and the report gives the time from that last start to the last delivery.
"""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from harness.mailing_site import MailingSite
from harness.recorder import Recorder, count_copies
from syndication.delivery.workers import RECORD_LIMIT

SETTLE = 0.3  # seconds for the server to finish a message the dead client had written


@dataclass(frozen=True)
class Stop:
    """One interrupted run."""

    arrived: int  # messages the server accepted during this run
    unrecorded: int  # of those, not recorded as sent: each will be sent again
    claimed: int  # deliveries still claimed (`sending`) after the process ended
    exit_code: int
    first_after: float | None  # seconds from the start of this run to its first arrival


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
    last_first_after: float | None = None  # the last run: from its start to its first arrival
    last_run_seconds: float | None = None  # the last run: from its start to the last arrival

    def lines(self) -> list[str]:
        """The report as a table, one line per stop, then the totals."""
        lines = [
            f"{self.command} × {len(self.stops)} {self.signal_name}, {self.recipients} "
            f"recipients, in-flight window {self.window} (RECORD_LIMIT {RECORD_LIMIT} + "
            "smtp.concurrency)",
            f"{'stop':>4} {'arrived':>8} {'unrecorded':>10} {'claimed':>8} {'exit':>5} "
            f"{'first delivery after start':>27}",
        ]
        for number, stop in enumerate(self.stops, start=1):
            lines.append(
                f"{number:>4} {stop.arrived:>8} {stop.unrecorded:>10} {stop.claimed:>8} "
                f"{stop.exit_code:>5} {format_seconds(stop.first_after):>27}"
            )
        lines += [
            f"missing {self.missing}, duplicated {self.duplicates} (re-sends counted at the "
            f"stops: {sum(stop.unrecorded for stop in self.stops)}), duplicates with another "
            f"Message-ID {self.changed_message_ids}, statuses {self.statuses}, "
            f"{self.seconds:.1f} s",
            f"last restart → its first delivery {format_seconds(self.last_first_after)}, "
            f"→ the last delivery {format_seconds(self.last_run_seconds)}",
        ]
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
        launched = time.monotonic()
        child = site.start(command, f"{command}-{number}")
        # The lambda is waited on here, before the loop rebinds `target` and `child`.
        wait_until(
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
        first = recorder.arrived_at(start)
        report.stops.append(Stop(
            arrived=len(run),
            unrecorded=sum(1 for address, _message_id in run if address not in sent),
            claimed=site.statuses()["sending"],
            exit_code=exit_code,
            first_after=None if first is None else first - launched,
        ))
    start, launched = recorder.count(), time.monotonic()
    _finish(site, command, timeout)
    first, last = recorder.arrived_at(start), recorder.last_at()
    report.last_first_after = None if first is None else first - launched
    report.last_run_seconds = None if last is None or first is None else last - launched
    copies = count_copies(recorder, site.addresses())
    report.missing, report.duplicates = copies.missing, copies.duplicates
    report.changed_message_ids = copies.changed_message_ids
    report.statuses = dict(site.statuses())
    report.seconds = time.monotonic() - started
    return report


def _finish(site: MailingSite, command: str, timeout: float) -> None:
    """A last run, to the end: `send` exits by itself; `run` is stopped once all is sent."""
    child = site.start(command, f"{command}-last")
    if command == "run":
        wait_until(
            lambda: site.statuses().keys() <= {"sent"} or child.poll() is not None,
            timeout, interval=0.2,
        )
        child.send_signal(signal.SIGTERM)
    exit_code = child.wait(timeout)
    assert exit_code == 0, site.log(f"{command}-last")


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.002) -> None:
    """Poll `condition` until it holds; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s")
        time.sleep(interval)


def format_seconds(value: float | None) -> str:
    """A duration for a report line; "-" when there is none."""
    return "-" if value is None else f"{value:.2f} s"
