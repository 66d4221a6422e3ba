"""Crash safety and concurrency at full size: the report tables of issues 6 and 10.

    .venv/bin/python bench/faults.py [--recipients 5000] [--stops 10] [--share 20000]
                                     [--seed N] [--skip-postgres] [--crash-on-postgres]

1. `syndication send` (SMTP transport, to a recording aiosmtpd server) killed with SIGKILL
   at `--stops` random moments of a mailing of `--recipients`, restarted each time with
   nothing done to the outbox in between (no lease expired by hand: the restarted sender
   finds the dead one's lock free and takes its claims back): recipients missing (must be
   0), duplicates per kill against the re-send window (RECORD_LIMIT + smtp.concurrency),
   duplicates whose Message-ID differs (must be 0), each restart's first delivery and the
   time from the last restart to the last delivery (goal: within `RESUME_GOAL` seconds).
2. The same with `syndication run` killed with SIGKILL, then stopped with SIGTERM (a
   graceful stop: no duplicate at all). (SQLite; `--crash-on-postgres` runs 1 and 2 on
   PostgreSQL as well.)
3. Two `send` processes on PostgreSQL sharing a mailing of `--recipients`, one SIGKILLed
   midway: the other takes back what the dead one held and finishes (goal: the last
   delivery within `RESUME_GOAL` seconds of the kill), each recipient at least once.
4. Two `send` processes draining one mailing of `--share` recipients on PostgreSQL (a
   database of its own, dropped afterwards; Maildir transport): each recipient once.

The test suite runs the same code smaller (tests/faults/test_interruptions.py, 600 × 4;
tests/faults/test_sharing.py). Exit 1 if any expectation fails.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path (and bench/subscribers.py would shadow
# the subscribers package): the repository root goes first.
sys.path.insert(0, str(ROOT))
RESUME_GOAL = 10.0  # seconds: a restarted sender's first delivery, the last run's last one


def main() -> None:
    """Run the three measurements and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=5_000)
    parser.add_argument("--stops", type=int, default=10)
    parser.add_argument("--share", type=int, default=20_000, help="recipients, PostgreSQL run")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--crash-on-postgres", action="store_true")
    arguments = parser.parse_args()
    seed = arguments.seed if arguments.seed is not None else random.randrange(10**6)
    print(f"seed {seed}\n")
    failures = []
    backends = [False, True] if arguments.crash_on_postgres else [False]
    for postgres in backends:
        for command, signum in (
            ("send", signal.SIGKILL), ("run", signal.SIGKILL), ("run", signal.SIGTERM),
        ):
            failures += _interruptions(
                command, signum, arguments.recipients, arguments.stops, random.Random(seed),
                postgres=postgres,
            )
    if not arguments.skip_postgres:
        failures += _kill_one_of_two(arguments.recipients, random.Random(seed))
        failures += _sharing(arguments.share)
    for failure in failures:
        print(f"FAILED: {failure}")
    sys.exit(1 if failures else 0)


def _interruptions(
    command: str, signum: signal.Signals, recipients: int, stops: int, rng: random.Random,
    *, postgres: bool,
) -> list[str]:
    from harness.interruptions import interrupt
    from harness.mailing_site import prepare_mailing_site
    from harness.ports import free_port
    from harness.postgres import throwaway_database
    from harness.recorder import recording_server

    with (
        tempfile.TemporaryDirectory() as folder,
        recording_server() as (port, recorder),
        throwaway_database("bench_faults") if postgres else nullcontext(None) as url,
    ):
        site = prepare_mailing_site(
            Path(folder) / "site", recipients=recipients, smtp_port=port,
            web_port=free_port(), rate=1000, database_url=url,
        )
        try:
            report = interrupt(
                site, recorder, command=command, signum=signum, stops=stops, rng=rng,
                timeout=600,
            )
        finally:
            site.close()
    print(f"[{'PostgreSQL' if postgres else 'SQLite'}] " + "\n".join(report.lines()), end="\n\n")
    failures = []
    if report.missing:
        failures.append(f"{command}: {report.missing} recipients missing")
    if report.changed_message_ids:
        failures.append(f"{command}: {report.changed_message_ids} copies with a new Message-ID")
    if report.duplicates != sum(stop.unrecorded for stop in report.stops):
        failures.append(f"{command}: duplicates that no stop explains")
    limit = report.window if signum is signal.SIGKILL else 0
    failures += [
        f"{command}: stop {number} re-sends {stop.unrecorded} > {limit}"
        for number, stop in enumerate(report.stops, start=1)
        if stop.unrecorded > limit
    ]
    failures += [
        f"{command}: run {number} delivered its first message after {stop.first_after:.1f} s"
        for number, stop in enumerate(report.stops, start=1)
        if stop.first_after is not None and stop.first_after > RESUME_GOAL
    ]
    if report.last_run_seconds is None or report.last_run_seconds > RESUME_GOAL:
        failures.append(f"{command}: last restart → last delivery {report.last_run_seconds} s")
    return failures


def _kill_one_of_two(recipients: int, rng: random.Random) -> list[str]:
    from harness.mailing_site import prepare_mailing_site
    from harness.postgres import throwaway_database
    from harness.recorder import recording_server
    from harness.sharing import share_with_a_kill
    from syndication.delivery.workers import RECORD_LIMIT

    with (
        tempfile.TemporaryDirectory() as folder,
        recording_server() as (port, recorder),
        throwaway_database("bench_faults") as url,
    ):
        site = prepare_mailing_site(
            Path(folder) / "site", recipients=recipients, smtp_port=port, rate=1000,
            database_url=url,
        )
        try:
            kill_after = rng.randint(recipients // 5, recipients // 2)
            report = share_with_a_kill(site, recorder, kill_after=kill_after, timeout=600)
        finally:
            site.close()
    print("[PostgreSQL] " + "\n".join(report.lines()), end="\n\n")
    window = RECORD_LIMIT + site.settings.mail.smtp.concurrency
    failures = []
    if report.missing or report.changed_message_ids or report.duplicates > window:
        failures.append(
            f"kill one of two: {report.missing} missing, {report.duplicates} duplicates "
            f"(window {window}), {report.changed_message_ids} with a new Message-ID"
        )
    if report.survivor_exit != 0:
        failures.append(f"kill one of two: the survivor exited {report.survivor_exit}")
    if report.last_delivery_after is None or report.last_delivery_after > RESUME_GOAL:
        failures.append(f"kill one of two: last delivery {report.last_delivery_after} s after")
    return failures


def _sharing(recipients: int) -> list[str]:
    from harness.mailing_site import prepare_mailing_site
    from harness.postgres import throwaway_database
    from harness.sharing import share_mailing

    with tempfile.TemporaryDirectory() as folder, throwaway_database("bench_faults") as url:
        site = prepare_mailing_site(
            Path(folder) / "site", recipients=recipients, transport="maildir",
            database_url=url,
        )
        try:
            report = share_mailing(site, senders=2, timeout=900)
        finally:
            site.close()
    print("\n".join(report.lines()), end="\n\n")
    if (report.missing, report.duplicates) != (0, 0) or report.delivered != recipients:
        return [f"sharing: {report.missing} missing, {report.duplicates} duplicates"]
    return []


if __name__ == "__main__":
    main()
