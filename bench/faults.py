"""Crash safety and concurrency at full size: the report tables of issue 6.

    .venv/bin/python bench/faults.py [--recipients 5000] [--stops 10] [--share 20000]
                                     [--seed N] [--skip-postgres] [--crash-on-postgres]

1. `syndication send` (SMTP transport, to a recording aiosmtpd server) killed with SIGKILL
   at `--stops` random moments of a mailing of `--recipients`, restarted each time (the
   dead sender's claims made to expire at once instead of after the 5-minute lease):
   recipients missing (must be 0), duplicates per kill against the in-flight window
   (RECORD_LIMIT + smtp.concurrency), duplicates whose Message-ID differs (must be 0).
2. The same with `syndication run` stopped by SIGTERM: no duplicate at all.
   (SQLite; `--crash-on-postgres` runs both on PostgreSQL as well.)
3. Two `send` processes draining one mailing of `--share` recipients on PostgreSQL (a
   database of its own, dropped afterwards; Maildir transport): each recipient once.

The test suite runs the same code smaller (tests/faults/test_interruptions.py, 600 × 4;
tests/faults/test_sharing.py, 4,000). Exit 1 if any expectation fails.
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
        for command, signum in (("send", signal.SIGKILL), ("run", signal.SIGTERM)):
            failures += _interruptions(
                command, signum, arguments.recipients, arguments.stops, random.Random(seed),
                postgres=postgres,
            )
    if not arguments.skip_postgres:
        failures += _sharing(arguments.share)
    for failure in failures:
        print(f"FAILED: {failure}")
    sys.exit(1 if failures else 0)


def _interruptions(
    command: str, signum: signal.Signals, recipients: int, stops: int, rng: random.Random,
    *, postgres: bool,
) -> list[str]:
    from tests.faults.interruptions import interrupt
    from tests.faults.mailing_site import prepare_mailing_site
    from tests.faults.recorder import recording_server
    from tests.postgres import throwaway_database
    from tests.scheduler.processes import free_port

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
    return failures


def _sharing(recipients: int) -> list[str]:
    from tests.faults.mailing_site import prepare_mailing_site
    from tests.faults.sharing import share_mailing
    from tests.postgres import throwaway_database

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
