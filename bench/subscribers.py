"""Benchmark: CSV import and recipient selection of the subscribers package.

Imports a generated CSV of ``--rows`` rows (default 100,000) into SQLite and PostgreSQL,
then seeds ``--subscribers`` subscribers (default 1,000,000) straight into each database
and streams the recipients of one mailing. Selection runs in a fresh process so its peak
memory is its own: seconds, peak RSS of that process, and the peak of Python's heap
during the selection (tracemalloc, second pass). Prints a table.

    .venv/bin/python bench/subscribers.py [--rows N] [--subscribers M] [--pg URL]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.postgres import SERVER_URL
from subscribers.cli.display import Format, emit
from subscribers.csvio import import_csv
from subscribers.lists import create_list
from subscribers.model import Frequency
from subscribers.recipients import select_recipients
from subscribers.schema import open_database

LISTS = ("press", "accredited", "health-desk")
THEMES = ("international", "social-protection", "health")
MAILING = {
    "lists": ["press", "accredited"],
    "themes": ["international"],
    "languages": ["fr", "nl"],
    "frequencies": [Frequency.IMMEDIATE],
}


def write_csv(path: Path, rows: int) -> None:
    """A realistic `;`-delimited import file with a BOM."""
    languages = ("fr", "nl", "nl;fr", "fr;nl")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            ["email", "name", "organisation", "languages", "lists", "themes", "frequency"]
        )
        for number in range(rows):
            writer.writerow(
                [
                    f"journaliste.{number}@redaction{number % 700}.be",
                    f"Journaliste Numéro {number}",
                    f"Rédaction {number % 700}",
                    languages[number % 4],
                    "press,accredited" if number % 5 == 0 else "press",
                    THEMES[number % 3] if number % 2 else "",
                    ("immediate", "daily", "weekly")[number % 3],
                ]
            )


def seed(engine: Engine, count: int) -> None:
    """Insert `count` subscribers and their subscriptions with set-based SQL."""
    numbers = (
        f"SELECT generate_series(1, {count}) AS i"
        if engine.dialect.name == "postgresql"
        else f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})"
        " SELECT i FROM n"
    )
    concat = "'s' || i || '@example.be'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO subscribers (email, email_key, name, organisation, languages, status,"
                " created_at, confirmed_at, bounces)"
                f" SELECT {concat}, {concat}, 'Name ' || i, 'Org ' || (i % 500),"
                " CASE i % 3 WHEN 0 THEN 'fr' WHEN 1 THEN 'nl' ELSE 'nl,fr' END,"
                " CASE WHEN i % 20 = 0 THEN 'unsubscribed' ELSE 'active' END,"
                " :now, :now, 0"
                f" FROM ({numbers}) AS numbers"
            ),
            {"now": _now()},
        )
        for list_id, every in ((1, 1), (2, 3)):
            conn.execute(
                text(
                    "INSERT INTO subscriptions"
                    " (subscriber_id, list_id, themes, frequency, created_at)"
                    f" SELECT id, {list_id},"
                    " CASE id % 4 WHEN 0 THEN '' WHEN 1 THEN 'international'"
                    " WHEN 2 THEN 'health' ELSE 'international,health' END,"
                    " CASE WHEN id % 10 = 0 THEN 'daily' ELSE 'immediate' END, :now"
                    f" FROM subscribers WHERE id % {every} = 0"
                ),
                {"now": _now()},
            )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def _now() -> datetime:
    return datetime.now(UTC)


def select_in_child(url: str) -> dict[str, float]:
    """Run the selection in a fresh process; return its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--select-only", url],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def select_only(url: str) -> None:
    """Child process: time one streaming selection, then measure its Python heap peak."""
    engine = open_database(url)
    try:
        start = time.perf_counter()
        with engine.connect() as conn:
            count = 0
            for _ in select_recipients(conn, **MAILING):  # type: ignore[arg-type]
                count += 1
        seconds = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        with engine.connect() as conn:
            for _ in select_recipients(conn, **MAILING):  # type: ignore[arg-type]
                pass
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        engine.dispose()
    print(
        json.dumps(
            {"seconds": seconds, "recipients": count, "rss_mb": rss, "heap_mb": peak / 2**20}
        )
    )


class Databases:
    """A fresh SQLite file or PostgreSQL database per run, cleaned up afterwards."""

    def __init__(self, folder: Path, pg_server: str) -> None:
        self.folder = folder
        self.pg_server = pg_server
        self.created: list[str] = []

    def url(self, backend: str, label: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.folder / label}.db"
        name = f"subs_bench_{secrets.token_hex(6)}"
        admin = create_engine(f"{self.pg_server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.created.append(name)
        return f"{self.pg_server}/{name}"

    def drop(self) -> None:
        if not self.created:
            return
        admin = create_engine(f"{self.pg_server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--pg", default=SERVER_URL, help="PostgreSQL server URL (no database)")
    parser.add_argument("--select-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.select_only:
        select_only(args.select_only)
        return
    results: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        databases = Databases(Path(folder), args.pg)
        try:
            source = Path(folder) / "import.csv"
            write_csv(source, args.rows)
            for backend in ("sqlite", "postgresql"):
                engine = open_database(databases.url(backend, "import"))
                for name in LISTS:
                    create_list(engine, name)
                start = time.perf_counter()
                report = import_csv(engine, source, languages=("fr", "nl"), themes=THEMES)
                seconds = time.perf_counter() - start
                engine.dispose()
                assert not report.errors, report.errors[:3]
                results.append(
                    {
                        "benchmark": f"import {args.rows:,} CSV rows",
                        "database": backend,
                        "seconds": f"{seconds:.2f}",
                        "rows/s": f"{report.imported / seconds:,.0f}",
                        "peak RSS MB": "",
                        "heap peak MB": "",
                    }
                )
            for backend in ("sqlite", "postgresql"):
                url = databases.url(backend, "select")
                engine = open_database(url)
                for name in LISTS:
                    create_list(engine, name)
                seed(engine, args.subscribers)
                engine.dispose()
                figures = select_in_child(url)
                results.append(
                    {
                        "benchmark": f"select recipients of {args.subscribers:,}"
                        f" ({int(figures['recipients']):,} found)",
                        "database": backend,
                        "seconds": f"{figures['seconds']:.2f}",
                        "rows/s": f"{figures['recipients'] / figures['seconds']:,.0f}",
                        "peak RSS MB": f"{figures['rss_mb']:.0f}",
                        "heap peak MB": f"{figures['heap_mb']:.1f}",
                    }
                )
        finally:
            databases.drop()
    columns = ("benchmark", "database", "seconds", "rows/s", "peak RSS MB", "heap peak MB")
    emit(results, columns, Format.TABLE, sys.stdout)


if __name__ == "__main__":
    main()
