"""Publication-to-first-email latency of `syndication run`, over N releases.

Builds a private site from the example config (SQLite, SMTP transport to an aiosmtpd
server in this process), adds immediate subscribers and N releases due a few seconds
apart, starts `syndication run` as a child process, and measures for each release:
- feed: from its `published` instant to its entry being served in /fr/atom.xml (polled
  over HTTP every 5 ms),
- first: to the first of its emails accepted by the SMTP server,
- last: to the last of them.
Prints one row per release, then the median and the maximum of each column.

    .venv/bin/python bench/latency.py [--releases 20] [--subscribers 50] [--gap 1.5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import httpx
from aiosmtpd.controller import Controller

# The repository first: bench/subscribers.py would otherwise shadow the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.ports import free_port
from harness.sites import RELEASE
from subscribers.membership import add_subscriber
from syndication.config import load_settings
from syndication.database import open_store
from syndication.resources import EXAMPLE_SITE_DIR


@dataclass
class Inbox:
    """Records when each release's emails were accepted."""

    arrivals: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        now = time.time()
        message = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
        subject = str(make_header(decode_header(message["Subject"] or "")))
        release_id = subject.rsplit(" ", 1)[-1]
        with self.lock:
            self.arrivals.setdefault(release_id, []).append(now)
        return "250 OK"


def prepare_site(folder: Path, *, smtp_port: int, web_port: int, subscribers: int) -> Path:
    config = folder / "config.toml"
    text = (EXAMPLE_SITE_DIR / "config.toml").read_text(encoding="utf-8")
    text = text.replace('transport = "maildir"', 'transport = "smtp"')
    text = text.replace("port = 25 ", f"port = {smtp_port} ")
    text = text.replace("port = 8080 ", f"port = {web_port} ")
    config.write_text(text, encoding="utf-8")
    (folder / "releases").mkdir()
    engine = open_store(load_settings(config))
    try:
        # open_store created the lists the example config declares (press among them)
        for index in range(subscribers):
            add_subscriber(engine, f"reader{index:04d}@example.org", languages=("fr", "nl"),
                           lists=["press"])
    finally:
        engine.dispose()
    return config


def watch_feed(url: str, wanted: set[str], seen: dict[str, float], stop: threading.Event) -> None:
    with httpx.Client(timeout=5) as client:
        while not stop.is_set() and len(seen) < len(wanted):
            body = client.get(url).text
            now = time.time()
            for release_id in wanted - seen.keys():
                if f"Titre {release_id}<" in body:
                    seen[release_id] = now
            time.sleep(0.005)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--releases", type=int, default=20)
    options.add_argument("--subscribers", type=int, default=50)
    options.add_argument("--gap", type=float, default=1.5, help="seconds between releases")
    args = options.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="latency-"))
    inbox = Inbox()
    smtp_port, web_port = free_port(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {**os.environ, "SYNDICATION_SECRET": "bench-secret"}
    os.environ["SYNDICATION_SECRET"] = "bench-secret"
    try:
        config = prepare_site(folder, smtp_port=smtp_port, web_port=web_port,
                              subscribers=args.subscribers)
        start = datetime.now(UTC) + timedelta(seconds=6)
        due = {}
        for index in range(args.releases):
            release_id = f"bench-{index:02d}"
            published = start + timedelta(seconds=index * args.gap)
            due[release_id] = published.timestamp()
            (folder / "releases" / f"{release_id}.toml").write_text(RELEASE.format(
                id=release_id, published=published.isoformat(timespec="milliseconds"),
                lists='"press"', embargo="",
            ), encoding="utf-8")
        service = subprocess.Popen(
            [str(Path(sys.executable).parent / "syndication"), "--config", str(config), "run"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        feed_seen: dict[str, float] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=watch_feed, args=(
            f"http://127.0.0.1:{web_port}/fr/atom.xml", set(due), feed_seen, stop,
        ))
        time.sleep(3)
        watcher.start()
        deadline = max(due.values()) + 10
        while time.time() < deadline:
            with inbox.lock:
                done = sum(len(inbox.arrivals.get(r, ())) for r in due)
            if done >= len(due) * args.subscribers and len(feed_seen) == len(due):
                break
            time.sleep(0.1)
        stop.set()
        watcher.join()
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=30)
    finally:
        controller.stop()
        shutil.rmtree(folder, ignore_errors=True)
    report(due, feed_seen, inbox.arrivals, args.subscribers)


def report(
    due: dict[str, float], feed_seen: dict[str, float], arrivals: dict[str, list[float]],
    subscribers: int,
) -> None:
    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value * 1000:8.0f}"

    columns: dict[str, list[float]] = {"feed": [], "first": [], "last": []}
    print(f"{'release':<10} {'feed ms':>8} {'first ms':>8} {'last ms':>8} {'emails':>7}")
    for release_id, published in due.items():
        times = sorted(arrivals.get(release_id, []))
        feed = feed_seen[release_id] - published if release_id in feed_seen else None
        first = times[0] - published if times else None
        last = times[-1] - published if times else None
        for name, value in (("feed", feed), ("first", first), ("last", last)):
            if value is not None:
                columns[name].append(value)
        print(f"{release_id:<10} {ms(feed)} {ms(first)} {ms(last)} {len(times):>4}/{subscribers}")
    print("-" * 48)
    for label, pick in (("median", statistics.median), ("max", max)):
        cells = [ms(pick(values)) if values else ms(None) for values in columns.values()]
        print(f"{label:<10} {' '.join(cells)}")


if __name__ == "__main__":
    main()
