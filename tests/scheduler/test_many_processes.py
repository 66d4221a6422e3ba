"""Several `run` processes on one PostgreSQL database, each with its own output folder.

Only the leader ticks; the other process rebuilds its own folder when the leader's tick
published (the site generation), so a release due seconds later is in both folders'
feeds within seconds. The sign-up limits are one window for both processes together.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import httpx
import pytest

from harness.processes import Inbox, RunningService, sites_sharing_releases, smtp_server
from harness.sites import Site, open_site
from syndication.config import load_settings
from syndication.scheduler.runner import FOLLOW_POLL
from syndication.web.context import ADDRESS_LIMIT, IP_LIMIT

pytestmark = pytest.mark.postgres


@dataclass
class Process:
    """One `run` process: its service, web port and output folder."""

    service: RunningService
    port: int
    output: Path


@dataclass
class TwoProcesses:
    """Two `run` processes on one database, with the site they share and their SMTP inbox."""

    site: Site
    configs: list[Path]
    inbox: Inbox
    processes: list[Process] = field(default_factory=list)


@pytest.fixture
def start_two(tmp_path: Path, secrets_env: None, pg_url: str) -> Iterator[TwoProcesses]:
    """A site on PostgreSQL whose releases two `run` processes read; started by `.begin`."""
    with smtp_server() as (smtp_port, inbox):
        configs = sites_sharing_releases(tmp_path, database_url=pg_url, smtp_port=smtp_port)
        site = open_site(configs[0])
        pair = TwoProcesses(site, configs, inbox)
        try:
            yield pair
        finally:
            codes = [process.service.stop() for process in pair.processes]
            site.engine.dispose()
        assert codes == [0] * len(pair.processes)


def begin(pair: TwoProcesses) -> None:
    """Start both processes and wait until both serve."""
    for config in pair.configs:
        settings = load_settings(config)
        pair.processes.append(
            Process(RunningService(config), settings.web.port, settings.output_dir)
        )
    assert pair.processes[0].output != pair.processes[1].output
    for process in pair.processes:
        process.service.wait_for_line("Serving")


def due_in(seconds: float) -> datetime:
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def entries(feed: Path) -> list[str]:
    """The entry titles of an Atom file ([] while it does not exist)."""
    if not feed.exists():
        return []
    return [entry.title for entry in feedparser.parse(feed.read_bytes()).entries]


def test_a_release_appears_in_both_output_folders_within_seconds(start_two: TwoProcesses) -> None:
    pair = start_two
    published = due_in(8)
    pair.site.add_release("everywhere", published.isoformat())
    begin(pair)
    seen: dict[int, float] = {}
    with httpx.Client(timeout=5) as client:
        while len(seen) < 2 and time.time() < published.timestamp() + 15:
            for index, process in enumerate(pair.processes):
                if index in seen:
                    continue
                on_disk = "Titre everywhere" in entries(process.output / "fr" / "atom.xml")
                served = client.get(f"http://127.0.0.1:{process.port}/fr/atom.xml")
                if on_disk and "Titre everywhere" in served.text:
                    seen[index] = time.time()
            time.sleep(0.05)
    outputs = "".join(line for process in pair.processes for line in process.service.output)
    assert len(seen) == 2, outputs
    late = {index: at - published.timestamp() for index, at in seen.items()}
    print(f"\nin each folder's feed after: {', '.join(f'{s:.2f} s' for s in late.values())}")
    assert all(seconds >= 0 for seconds in late.values())  # never before its time
    assert max(late.values()) < FOLLOW_POLL + 3
    assert any("followed the leader's generation" in line for line in outputs.splitlines())
    # Both folders hold the same feed, byte for byte.
    first, second = (process.output / "fr" / "atom.xml" for process in pair.processes)
    assert first.read_bytes() == second.read_bytes()


def test_the_sign_up_limits_hold_across_both_processes(start_two: TwoProcesses) -> None:
    pair = start_two
    begin(pair)
    ports = [process.port for process in pair.processes]
    with httpx.Client(timeout=10) as client:
        one_client = Counter(
            client.post(f"http://127.0.0.1:{ports[n % 2]}/subscribe",
                        content=json.dumps({"email": f"reader{n}@example.org"}),
                        headers={"Content-Type": "application/json"}).status_code
            for n in range(2 * IP_LIMIT.count)
        )
        one_address = Counter(
            client.post(f"http://127.0.0.1:{ports[n % 2]}/subscribe",
                        content=json.dumps({"email": "victim@example.org"}),
                        headers={"Content-Type": "application/json",
                                 "X-Forwarded-For": f"198.51.100.{n + 1}"}).status_code
            for n in range(2 * ADDRESS_LIMIT.count)
        )
    assert one_client == {200: IP_LIMIT.count, 429: IP_LIMIT.count}
    assert one_address == {200: ADDRESS_LIMIT.count, 429: ADDRESS_LIMIT.count}
    sent = pair.inbox.wait_for(IP_LIMIT.count + ADDRESS_LIMIT.count, timeout=10)
    victims = [message for message in sent if message.recipients == ("victim@example.org",)]
    assert len(victims) == ADDRESS_LIMIT.count
