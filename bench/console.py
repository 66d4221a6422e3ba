"""Benchmark: server time of the console's pages at 100,000 subscribers, on SQLite and
PostgreSQL: the subscribers page (first page, a search, page 500 by keyset) and the
dashboard while a 20,000-delivery mailing is being sent. Goal: p95 ≤ 100 ms.

Each request goes through the whole app in process (httpx's ASGI transport: routing,
session check, database, templates); the time is from request to last byte. Prints a table.

    .venv/bin/python bench/console.py [--subscribers N] [--deliveries M] [--runs R]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.postgres import throwaway_database
from harness.sites import EXAMPLE_SITE_DIR, make_site, open_site
from syndication.console.accounts import Role, add_admin
from syndication.web.app import create_app

PASSWORD = "benchmark password"
PAGE = 50
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def seed_subscribers(engine: Engine, count: int) -> None:
    """`count` active subscribers of newsrooms, on press (all) and accredited (a third)."""
    numbers = (
        f"SELECT generate_series(1, {count}) AS i" if engine.dialect.name == "postgresql"
        else f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})"
        " SELECT i FROM n"
    )
    address = "'journaliste.' || i || '@redaction' || (i % 700) || '.be'"
    now = {"now": datetime.now(UTC)}
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO subscribers (public_id, email, email_key, name, organisation, languages,"
            " status, created_at, confirmed_at, bounces)"
            f" SELECT 'bench' || i, {address}, {address}, 'Journaliste ' || i,"
            " 'Rédaction ' || (i % 700),"
            " CASE i % 3 WHEN 0 THEN 'fr' WHEN 1 THEN 'nl' ELSE 'nl,fr' END, 'active',"
            f" :now, :now, 0 FROM ({numbers}) AS numbers"), now)
        lists = dict(conn.execute(text("SELECT name, id FROM lists")).all())
        for name, every in (("press", 1), ("accredited", 3)):
            conn.execute(text(
                "INSERT INTO subscriptions (subscriber_id, list_id, themes, frequency, created_at)"
                f" SELECT id, {lists[name]}, '', CASE WHEN id % 10 = 0 THEN 'daily'"
                f" ELSE 'immediate' END, :now FROM subscribers WHERE id % {every} = 0"), now)


def seed_mailing(engine: Engine, deliveries: int) -> None:
    """A mailing of `deliveries` deliveries, part sent, part failed, the rest planned."""
    now = {"now": datetime.now(UTC)}
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO mailings (key, kind, release_id, list_name, planned_at)"
            " VALUES ('alert:2026-02-10-belincosoc-senegal', 'alert',"
            " '2026-02-10-belincosoc-senegal', 'press', :now)"), now)
        conn.execute(text(
            "INSERT INTO deliveries (mailing_id, subscriber_id, languages, releases, status,"
            " attempts, next_attempt_at, sent_at, last_reply)"
            " SELECT (SELECT id FROM mailings), s.id, 'fr', '2026-02-10-belincosoc-senegal',"
            " CASE WHEN s.id % 20 = 0 THEN 'failed' WHEN s.id % 3 = 0 THEN 'sent'"
            " ELSE 'planned' END, CASE WHEN s.id % 20 = 0 THEN 1 ELSE 0 END, :now,"
            " CASE WHEN s.id % 3 = 0 AND s.id % 20 <> 0 THEN :now END,"
            " CASE WHEN s.id % 20 = 0 THEN '550 5.1.1 no such user' END"
            f" FROM subscribers AS s ORDER BY s.id LIMIT {deliveries}"), now)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


async def measure(app: object, engine: Engine, runs: int) -> dict[str, list[float]]:
    """Milliseconds of each console request, `runs` times each after a warm-up."""
    with engine.connect() as conn:
        after = conn.scalar(text(f"SELECT id FROM subscribers ORDER BY id LIMIT 1 "
                                 f"OFFSET {PAGE * 499 - 1}"))
    targets = {
        "subscribers: first page": "/admin/subscribers",
        "subscribers: search": "/admin/subscribers?q=redaction42.be",
        "subscribers: page 500": f"/admin/subscribers?after={after}",
        "dashboard (20,000 mailing)": "/admin/",
    }
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    times: dict[str, list[float]] = {name: [] for name in targets}
    async with httpx.AsyncClient(transport=transport, base_url="https://bench") as client:
        form = await client.get("/admin/login")
        found = CSRF.search(form.text)
        assert found is not None
        signed = await client.post("/admin/login", data={
            "csrf": found.group(1), "username": "bench", "password": PASSWORD})
        assert signed.status_code == 303, signed.text
        for name, path in targets.items():
            for run in range(runs + 3):
                start = time.perf_counter()
                answer = await client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                assert answer.status_code == 200, (path, answer.status_code)
                if run >= 3:
                    times[name].append(elapsed)
    return times


def bench_backend(label: str, url: str | None, subscribers: int, deliveries: int,
                  runs: int) -> list[tuple[str, str, float, float, float]]:
    """Seed one database, time the pages; (backend, page, p50, p95, max) rows."""
    folder = Path(tempfile.mkdtemp(prefix="console-bench-"))
    try:
        config = make_site(folder / "site", database_url=url)
        shutil.copytree(EXAMPLE_SITE_DIR / "releases", folder / "site" / "releases",
                        dirs_exist_ok=True)
        site = open_site(config)
        seed_subscribers(site.engine, subscribers)
        seed_mailing(site.engine, deliveries)
        add_admin(site.engine, "bench", role=Role.ADMIN, password=PASSWORD)
        app = create_app(site.settings, site.engine)
        times = asyncio.run(measure(app, site.engine, runs))
        site.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [(label, name, statistics.median(values),
             statistics.quantiles(values, n=20, method="inclusive")[-1], max(values))
            for name, values in times.items()]


def main() -> None:
    """Run on SQLite and PostgreSQL; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--deliveries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()
    import os

    os.environ.setdefault("SYNDICATION_SECRET", "bench-secret-" + "x" * 40)
    rows = bench_backend("SQLite", None, options.subscribers, options.deliveries, options.runs)
    with throwaway_database("console_bench") as url:
        rows += bench_backend("PostgreSQL", url, options.subscribers, options.deliveries,
                              options.runs)
    print(f"{options.subscribers:,} subscribers, a {options.deliveries:,}-delivery mailing, "
          f"{options.runs} requests per page (goal: p95 ≤ 100 ms)")
    print(f"| {'backend':<10} | {'page':<28} | {'p50 ms':>7} | {'p95 ms':>7} | {'max ms':>7} |")
    print(f"|{'-' * 12}|{'-' * 30}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for backend, page, p50, p95, most in rows:
        print(f"| {backend:<10} | {page:<28} | {p50:>7.1f} | {p95:>7.1f} | {most:>7.1f} |")


if __name__ == "__main__":
    main()
