"""`send` killed (SIGKILL) and `run` stopped (SIGTERM) mid-mailing, then restarted.

The full-size variant (5,000 recipients, 10 kills) is `bench/faults.py`; this one runs
the same code at 600 recipients and 4 stops. Crash: nobody is missing, each kill re-sends
at most the in-flight window (RECORD_LIMIT + smtp.concurrency), every extra copy is one
of those and carries the first copy's Message-ID. Graceful stop: no duplicate at all.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.interruptions import interrupt
from tests.faults.mailing_site import MailingSite, prepare_mailing_site
from tests.faults.recorder import Recorder, recording_server
from tests.scheduler.processes import free_port

RECIPIENTS = 600
STOPS = 4


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
def test_send_killed_at_random_moments_loses_no_one_and_resends_only_the_window(
    tmp_path: Path, recording: tuple[int, Recorder]
) -> None:
    port, recorder = recording
    site = mailing_site(tmp_path / "site", port, rate=400)
    try:
        report = interrupt(
            site, recorder, command="send", signum=signal.SIGKILL, stops=STOPS,
            rng=random.Random(20260302),
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
