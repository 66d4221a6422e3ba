"""`send` and `run` killed (SIGKILL), `run` stopped (SIGTERM) mid-mailing, then restarted.

The full-size variant (5,000 recipients, 10 kills) is `bench/faults.py`; this one runs
the same code at 600 recipients and 4 stops. Nothing touches the outbox between runs: the
restarted process must find the dead one's claims (its lock is free) and take them back.
Crash: nobody is missing, each kill re-sends at most the in-flight window (RECORD_LIMIT +
smtp.concurrency), every extra copy is one of those and carries the first copy's
Message-ID, and every restart delivers within RESUME_GOAL seconds of its start.
Graceful stop: no duplicate at all.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.interruptions import InterruptionReport, interrupt
from harness.mailing_site import MailingSite, prepare_mailing_site
from harness.ports import free_port
from harness.recorder import Recorder, recording_server

RECIPIENTS = 600
STOPS = 4
RESUME_GOAL = 10.0  # seconds from a restart to its first delivery, and to the last one


@pytest.fixture
def recording() -> Iterator[tuple[int, Recorder]]:
    """The recording SMTP server: (port, recorder)."""
    with recording_server() as running:
        yield running


def mailing_site(folder: Path, port: int, *, rate: int) -> MailingSite:
    """The site of the test, sending through the recording server."""
    return prepare_mailing_site(
        folder, recipients=RECIPIENTS, smtp_port=port, web_port=free_port(), rate=rate,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "rate", "seed"), [("send", 400, 20260302), ("run", 300, 20260304)]
)
def test_send_killed_at_random_moments_loses_no_one_and_resends_only_the_window(
    tmp_path: Path, recording: tuple[int, Recorder], command: str, rate: int, seed: int
) -> None:
    port, recorder = recording
    site = mailing_site(tmp_path / "site", port, rate=rate)
    try:
        report = interrupt(
            site, recorder, command=command, signum=signal.SIGKILL, stops=STOPS,
            rng=random.Random(seed),
        )
    finally:
        site.close()
    print("\n".join(report.lines()))

    assert report.missing == 0
    assert all(stop.exit_code == -signal.SIGKILL for stop in report.stops)
    assert all(stop.arrived > 0 for stop in report.stops)  # each kill came mid-mailing
    assert all(stop.unrecorded <= report.window for stop in report.stops)
    assert report.duplicates == sum(stop.unrecorded for stop in report.stops)
    assert report.changed_message_ids == 0
    assert report.statuses == {"sent": RECIPIENTS}
    assert_resumed_quickly(report)


def assert_resumed_quickly(report: InterruptionReport) -> None:
    """Every restart delivered within RESUME_GOAL seconds, and the last one finished so."""
    firsts = [stop.first_after for stop in report.stops[1:]] + [report.last_first_after]
    assert all(first is not None and first <= RESUME_GOAL for first in firsts), firsts
    assert report.last_run_seconds is not None
    assert report.last_run_seconds <= RESUME_GOAL


@pytest.mark.slow
def test_run_stopped_with_sigterm_sends_no_duplicate(
    tmp_path: Path, recording: tuple[int, Recorder]
) -> None:
    port, recorder = recording
    site = mailing_site(tmp_path / "site", port, rate=300)
    try:
        report = interrupt(
            site, recorder, command="run", signum=signal.SIGTERM, stops=STOPS,
            rng=random.Random(20260303),
        )
    finally:
        site.close()
    print("\n".join(report.lines()))

    assert report.missing == 0
    assert all(stop.arrived > 0 for stop in report.stops)
    assert [(stop.unrecorded, stop.claimed, stop.exit_code) for stop in report.stops] == [
        (0, 0, 0)
    ] * STOPS
    assert (report.duplicates, report.changed_message_ids) == (0, 0)
    assert report.statuses == {"sent": RECIPIENTS}
