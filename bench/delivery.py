"""Delivery throughput: our pipeline against the physical limit and a naive loop.

    .venv/bin/python bench/delivery.py [--count 20000] [--naive-count 3000] [--postgres]

Each sends ≈ 20 KB messages to Postfix's `smtp-sink` on loopback over 10 connections:

1. `smtp-source` (C, persistent connections): the limit of this machine;
2. a naive aiosmtplib loop building one `EmailMessage` per recipient;
3. aiosmtplib's own `mail`/`rcpt`/`data` with the message bytes ready (no database, no
   personalising) — its `data()` runs two regexes over every message, which our
   transport's `transaction.py` replaces with byte scans;
4. our pipeline from the outbox: subscribers in the database, an alert planned with
   `plan_release_alert`, then `send_due` (claim, compose once, personalise, rate limit
   not binding, SMTP pool, statuses recorded), with the real newsletter of the example
   release 2020-11-17-social-situation-report-2020 in French and Dutch (≈ 19.5 KB);
   subscribers are imported with `import_csv`, `--postgres` adds a PostgreSQL run;
5. the same pipeline with `[mail.dkim]`: every message DKIM-signed (RSA-2048, relaxed/
   relaxed) by the signing process; the goal is ≥ 70 % of row 4's rate. Its CPU time
   includes the signing process's.

Each Python measurement runs in a child process so its peak memory (max RSS) is its own;
"msgs per CPU s" divides by the CPU time the sender itself used (its threads included), a
figure other load on the machine skews less than msgs/s.
Needs `smtp-sink` and `smtp-source` from the postfix package; installs it when missing
(`apt-get install -y postfix`, non-interactive, without starting the daemon).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from syndication.config import Settings
    from syndication.releases import Release

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path, and bench/subscribers.py (another
# benchmark) would shadow the subscribers package: the repository root goes first.
sys.path.insert(0, str(ROOT))
Measure = dict[str, Any]  # one row of the table, as a child process prints it in JSON

RELEASE = "2020-11-17-social-situation-report-2020"
SINK = "/usr/sbin/smtp-sink"
SOURCE = "/usr/sbin/smtp-source"
CONCURRENCY = 10


def main() -> None:
    """Run every measurement and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="recipients of the pipeline")
    parser.add_argument("--naive-count", type=int, default=3_000, help="messages, naive loop")
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--child", choices=["pipeline", "naive", "raw"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--dkim", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child == "pipeline":
        _print_json(asyncio.run(_pipeline(
            arguments.port, arguments.count, arguments.database_url, dkim=arguments.dkim
        )))
        return
    if arguments.child == "naive":
        _print_json(asyncio.run(_naive(arguments.port, arguments.naive_count)))
        return
    if arguments.child == "raw":
        _print_json(asyncio.run(_raw(arguments.port, arguments.count)))
        return
    _ensure_postfix()
    rows = []
    with _sink() as port:
        rows.append(_smtp_source(port, arguments.count))
        rows.append(_child("naive", port, naive_count=arguments.naive_count))
        rows.append(_child("raw", port, count=arguments.count))
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            rows.append(_child("pipeline", port, count=arguments.count, database_url=url))
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            rows.append(
                _child("pipeline", port, count=arguments.count, database_url=url, dkim=True)
            )
        if arguments.postgres:
            from harness.postgres import throwaway_database

            with throwaway_database("bench_delivery") as url:
                rows.append(_child("pipeline", port, count=arguments.count, database_url=url))
    _print_table(rows)


# --- the measurements ---------------------------------------------------------------


def _smtp_source(port: int, count: int) -> Measure:
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            SOURCE,
            "-d",
            "-s",
            str(CONCURRENCY),
            "-m",
            str(count),
            "-l",
            "20000",
            "-M",
            "localhost",
            f"127.0.0.1:{port}",
        ],
        check=True,
    )
    elapsed = time.perf_counter() - started
    return {
        "name": "smtp-source (persistent, 10 parallel)",
        "messages": count,
        "seconds": elapsed,
        "cpu_seconds": _cpu(resource.RUSAGE_CHILDREN) - cpu,
        "bytes": 20_000,
        "peak_mb": None,
    }


async def _naive(port: int, count: int) -> Measure:
    import aiosmtplib

    text, html = _sample_parts()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(count):
        queue.put_nowait(number)
    size = 0

    async def worker() -> None:
        nonlocal size
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, local_hostname="bench")
        await client.connect()
        while not queue.empty():
            number = queue.get_nowait()
            message = EmailMessage(policy=SMTP)
            message["From"] = "Service de presse <press@example.org>"
            message["To"] = f"reader{number}@example.org"
            message["Subject"] = "Rapport sur la situation sociale 2020"
            message["Message-ID"] = f"<{uuid.uuid4()}@example.org>"
            message["Date"] = datetime.now(UTC)
            message.set_content(text, charset="utf-8", cte="8bit")
            message.add_alternative(html, subtype="html", charset="utf-8", cte="8bit")
            size = len(message.as_bytes())
            await client.send_message(message)
        await client.quit()

    cpu = _cpu()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    return {
        "name": "naive aiosmtplib (EmailMessage per recipient, 10 conn.)",
        "messages": count,
        "seconds": elapsed,
        "cpu_seconds": _cpu() - cpu,
        "bytes": size,
        "peak_mb": _peak_mb(),
    }


async def _raw(port: int, count: int) -> Measure:
    """aiosmtplib's ceiling: the same bytes every time, no database, no personalising."""
    import aiosmtplib

    with tempfile.TemporaryDirectory() as folder:
        settings, releases = _settings(Path(folder), port, f"sqlite:///{folder}/unused.db")
        message = _sample_message(settings, releases)
    left = count

    async def worker() -> None:
        nonlocal left
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, local_hostname="bench")
        await client.connect()
        await client.ehlo()
        while left > 0:
            left -= 1
            await client.mail("press@example.org", options=[f"SIZE={len(message)}"])
            await client.rcpt(f"reader{left}@example.org")
            await client.data(message)
        await client.quit()

    cpu = _cpu()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    return {
        "name": "aiosmtplib mail/rcpt/data, message bytes ready, 10 conn.",
        "messages": count,
        "seconds": elapsed,
        "cpu_seconds": _cpu() - cpu,
        "bytes": len(message),
        "peak_mb": _peak_mb(),
    }


async def _pipeline(port: int, count: int, database_url: str, *, dkim: bool) -> Measure:
    from harness.dkim import DkimTestKeys
    from syndication.database import open_store
    from syndication.delivery.planner import plan_release_alert
    from syndication.delivery.sender import send_due

    os.environ.setdefault("SYNDICATION_SECRET", "bench-secret")
    with tempfile.TemporaryDirectory() as folder:
        settings, releases = _settings(Path(folder), port, database_url)
        if dkim:
            keys = DkimTestKeys.generate("minsoc.fed.be")
            keys.install(os.environ.__setitem__)
            settings = keys.configure(settings, ed25519_too=False)
        engine = open_store(settings)
        try:
            _add_subscribers(engine, settings, Path(folder), count)
            release = releases[RELEASE]
            started = time.perf_counter()
            planned = plan_release_alert(engine, settings, release, at=release.published)
            planning = time.perf_counter() - started
            assert planned == count, planned
            cpu = _cpu() + _cpu(resource.RUSAGE_CHILDREN)  # the signing process is a child
            started = time.perf_counter()
            summary = await send_due(engine, settings, releases, now=lambda: release.published)
            elapsed = time.perf_counter() - started
            cpu = _cpu() + _cpu(resource.RUSAGE_CHILDREN) - cpu
            assert summary.sent == count, summary
            size = len(_sample_message(settings, releases))
        finally:
            engine.dispose()
    backend = database_url.split(":")[0].split("+")[0]
    signed = ", DKIM-signed" if dkim else ""
    return {
        "name": f"our pipeline from the outbox ({backend}){signed}",
        "messages": count,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "bytes": size,
        "peak_mb": _peak_mb(),
        "planning_seconds": planning,
    }


# --- the pipeline's site ------------------------------------------------------------


def _settings(folder: Path, port: int, database_url: str) -> tuple[Settings, dict[str, Release]]:
    from syndication.config import load_settings
    from syndication.releases import load_releases

    settings = load_settings(ROOT / "examples" / "config.toml")
    smtp = dataclasses.replace(
        settings.mail.smtp, host="127.0.0.1", port=port, concurrency=CONCURRENCY, rate=1e6
    )
    settings = dataclasses.replace(
        settings,
        database_url=database_url,
        data_dir=folder,
        mail=dataclasses.replace(settings.mail, transport="smtp", smtp=smtp),
    )
    loaded = load_releases(settings, use_cache=False)
    return settings, {release.id: release for release in loaded.releases}


def _add_subscribers(engine: Engine, settings: Settings, folder: Path, count: int) -> None:
    """`count` subscribers on list press, half reading French first, half Dutch first."""
    from subscribers import create_list, import_csv, list_lists

    if "press" not in {mailing_list.name for mailing_list in list_lists(engine)}:
        create_list(engine, "press")  # open_store creates the lists config declares
    path = folder / "subscribers.csv"
    lines = ["email,name,organisation,languages,lists,themes,frequency"]
    lines += [
        f"reader{number:06}@example.org,,,{('fr;nl', 'nl;fr')[number % 2]},press,,immediate"
        for number in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_csv(
        engine,
        path,
        languages=settings.languages,
        themes=frozenset(settings.themes),
        secret=settings.secret(),
    )
    assert not report.errors, report.errors[:3]
    assert report.imported == count


def _sample_message(settings: Settings, releases: dict[str, Release]) -> bytes:
    from syndication.mail import MailKind, compose_mailing

    template = compose_mailing(
        settings,
        kind=MailKind.ALERT,
        releases=[releases[RELEASE]],
        languages=("fr", "nl"),
        list_id="press",
    )
    return template.personalise(
        to="reader000000@example.org",
        message_id="<mailing-1.subscriber-1@press.example.be>",
        unsubscribe_url="https://press.example.be/unsubscribe/" + "x" * 40,
        preferences_url="https://press.example.be/preferences/" + "x" * 40,
        date=datetime.now(UTC),
    )


def _sample_parts() -> tuple[str, str]:
    """The text and HTML of the pipeline's newsletter, for the naive loop to send."""
    from syndication.config import load_settings
    from syndication.mail import render_preview
    from syndication.releases import load_releases

    settings = load_settings(ROOT / "examples" / "config.toml")
    with tempfile.TemporaryDirectory() as folder:
        settings = dataclasses.replace(settings, data_dir=Path(folder))
        release = next(
            r for r in load_releases(settings, use_cache=False).releases if r.id == RELEASE
        )
    message = message_from_bytes(
        render_preview(settings, release, ("fr", "nl"), fmt="eml"), policy=policy.default
    )
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())


# --- plumbing -----------------------------------------------------------------------


def _ensure_postfix() -> None:
    if Path(SINK).exists() and Path(SOURCE).exists():
        return
    # Preseed so that installing postfix asks nothing; the daemon is never started.
    subprocess.run(
        ["debconf-set-selections"],
        check=True,
        input=b"postfix postfix/main_mailer_type select No configuration\n",
    )
    subprocess.run(
        ["apt-get", "install", "-y", "postfix"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


@contextmanager
def _sink() -> Iterator[int]:
    from harness.ports import free_port

    port = free_port()
    sink = subprocess.Popen([SINK, "-u", "nobody", "-m", "512", f"127.0.0.1:{port}", "1024"])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield port
    finally:
        sink.terminate()
        sink.wait()


def _child(kind: str, port: int, **options: object) -> Measure:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--port", str(port)]
    for name, value in options.items():
        flag = f"--{name.replace('_', '-')}"
        command += [flag] if value is True else [flag, str(value)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: Measure = json.loads(output.strip().splitlines()[-1])
    return result


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds used so far (user + system): unlike msgs/s, not skewed by other load."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _print_json(result: Measure) -> None:
    print(json.dumps(result))


def _print_table(rows: list[Measure]) -> None:
    limit = float(rows[0]["messages"]) / float(rows[0]["seconds"])
    print(f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, sink: smtp-sink on loopback")
    print(
        "| sender → smtp-sink | messages | KB each | msgs/s | of smtp-source "
        "| msgs per CPU s | peak MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        rate = float(row["messages"]) / float(row["seconds"])
        peak = row["peak_mb"]
        per_cpu = float(row["messages"]) / max(float(row["cpu_seconds"]), 1e-9)
        print(
            f"| {row['name']} | {row['messages']} | {int(row['bytes']) / 1000:.1f} "
            f"| {rate:,.0f} | {rate / limit:.0%} | {per_cpu:,.0f} "
            f"| {'' if peak is None else f'{peak:.0f}'} |"
        )
    rates = {str(row["name"]): float(row["messages"]) / float(row["seconds"]) for row in rows}
    unsigned = rates.get("our pipeline from the outbox (sqlite)")
    signed = rates.get("our pipeline from the outbox (sqlite), DKIM-signed")
    if unsigned and signed:
        print(f"DKIM-signed pipeline: {signed / unsigned:.0%} of the unsigned one's rate "
              "(goal: at least 70 %)")
    for row in rows:
        if "planning_seconds" in row:
            print(
                f"planning {row['messages']} deliveries ({row['name']}): "
                f"{float(row['planning_seconds']):.2f} s"
            )


if __name__ == "__main__":
    main()
