"""Bounce intake throughput: how fast reports go through the one path, on SQLite.

    .venv/bin/python bench/bounces.py [--count 2000]

A private site with `[mail] return_path`, COUNT subscribers and one alert whose deliveries
are marked sent; then each report is a real RFC 3464 DSN naming one delivery by its VERP
address (tests/bounces/corpus/rfc3464-failed.eml, filled in per delivery):

1. parse only (`parse_report`: the email package and flufl.bounce's detectors);
2. the whole path (`take_report`: parse, verify the signature, record the hard bounce and
   count it toward suppression, one transaction per report);
3. forged reports (a wrong Message-ID signature): parsed, refused, kept aside.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, update

from harness.sites import SECRET, make_site, open_site
from subscribers import subscribers_table
from syndication.bounces.intake import take_report
from syndication.bounces.parse import parse_report
from syndication.bounces.schema import Source
from syndication.delivery.outbox_schema import deliveries
from syndication.delivery.planner import plan_release_alert
from syndication.delivery_ids import signed_message_id, verp_address
from syndication.releases.catalog import load_site_releases

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "bounces" / "corpus"
RETURN_PATH = "bounces@press.example.be"


def _rate(count: int, work: Callable[[int], object]) -> tuple[float, float]:
    start = time.perf_counter()
    for number in range(count):
        work(number)
    seconds = time.perf_counter() - start
    return count / seconds, seconds / count * 1000


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    count = parser.parse_args().count
    os.environ.setdefault("SYNDICATION_SECRET", SECRET)
    with tempfile.TemporaryDirectory() as folder:
        config = make_site(Path(folder) / "site")
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace(
            "suppress_after = 3 ", f'return_path = "{RETURN_PATH}"\nsuppress_after = 3 ', 1))
        site = open_site(config)
        for number in range(count):
            site.add_subscriber(f"reader{number}@example.org")
        site.add_release("bench", "2026-03-29T09:00:00+02:00")
        (release,) = load_site_releases(site.engine, site.settings).releases
        plan_release_alert(site.engine, site.settings, release, at=release.published)
        with site.engine.begin() as conn:
            conn.execute(update(deliveries).values(status="sent", sent_at=datetime.now(UTC)))
            rows = conn.execute(
                select(deliveries.c.id, deliveries.c.mailing_id, deliveries.c.subscriber_id,
                       subscribers_table.c.email)
                .join(subscribers_table, subscribers_table.c.id == deliveries.c.subscriber_id)
            ).all()
        secret = SECRET.encode()
        template = (CORPUS / "rfc3464-failed.eml").read_bytes()
        reports, forged = [], []
        for delivery_id, mailing_id, subscriber_id, email in rows:
            message_id = signed_message_id(secret, mailing_id, subscriber_id, "press.example.be")
            filled = template.replace(b"@@ADDRESS@@", email.encode())
            reports.append(
                filled.replace(b"@@VERP@@", verp_address(RETURN_PATH, secret, delivery_id)
                               .encode()).replace(b"@@MESSAGE_ID@@", message_id.encode()))
            # The plain return path and a Message-ID whose signature is wrong.
            wrong = message_id.split(".")
            wrong[2] = "a" * 16 + wrong[2][16:]
            forged.append(filled.replace(b"@@VERP@@", RETURN_PATH.encode())
                          .replace(b"@@MESSAGE_ID@@", ".".join(wrong).encode()))
        now = datetime.now(UTC)
        rows_out = [
            ("parse only", *_rate(count, lambda n: parse_report(reports[n]))),
            ("whole path, hard bounces recorded", *_rate(count, lambda n: take_report(
                site.engine, site.settings, reports[n], source=Source.IMPORT, now=now))),
            ("forged, kept aside", *_rate(count, lambda n: take_report(
                site.engine, site.settings, forged[n], source=Source.IMPORT, now=now))),
        ]
        site.engine.dispose()
    print(f"{count} reports of ≈ {len(reports[0])} bytes, SQLite")
    print(f"{'path':<36} {'reports/s':>10} {'ms each':>8}")
    for name, rate, each in rows_out:
        print(f"{name:<36} {rate:>10.0f} {each:>8.2f}")


if __name__ == "__main__":
    main()
