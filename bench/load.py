"""Feeds under load while a mailing is sent: requests per second, errors, 304s.

    .venv/bin/python bench/load.py [--connections 1000] [--requests 20000]
                                   [--recipients 20000] [--rate 300]

Starts `syndication run` on a private site whose release alert to `--recipients` readers
is being sent (SMTP, `--rate` msgs/s, to a recording aiosmtpd server), then sends
`--requests` conditional GETs of /fr/atom.xml (4 in 5 with If-None-Match, 1 in 5 with
If-Modified-Since only) over `--connections` keep-alive connections opened at once, from
an asyncio load generator (harness/load_generator.py) in this process, on loopback. Every
answer must be a 304 carrying the feed's ETag and no body. Prints requests per second,
errors, latency percentiles and how far the mailing got meanwhile; exit 1 on any error
or wrong answer. The test suite runs the same code at 200 connections and 1,000 requests
(tests/load/test_feed_load.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path (and bench/subscribers.py would shadow
# the subscribers package): the repository root goes first.
sys.path.insert(0, str(ROOT))


def main() -> None:
    """Measure, print, and exit 1 if any request failed or got a wrong answer."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--rate", type=int, default=300, help="the mailing's msgs/s limit")
    arguments = parser.parse_args()

    from harness.feeds_under_load import feeds_under_load

    with tempfile.TemporaryDirectory() as folder:
        result = feeds_under_load(
            Path(folder) / "site", recipients=arguments.recipients, rate=arguments.rate,
            connections=arguments.connections, requests=arguments.requests,
        )
    print("\n".join(result.lines()))
    report = result.load
    failed = (
        sum(report.errors.values()) or report.wrong
        or report.statuses != {304: arguments.requests}
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
