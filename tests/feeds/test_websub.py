"""WebSub: every feed announces the hubs, and ticks ping them once per changed feed.

A real hub (tests/feeds/websub_hub.py, from the W3C recommendation) and a subscriber run
on loopback; the site is served over HTTP so the hub can fetch what it is told changed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from harness.sites import Site
from syndication.config import Settings, load_settings
from syndication.errors import ConfigError
from syndication.releases.catalog import ReleaseCatalog
from syndication.scheduler.follower import SiteFollower
from syndication.scheduler.site_generation import bump_generation
from syndication.scheduler.tick import publish_tick
from syndication.scheduler.websub import pending_path
from tests.feeds.served_site import served_folder
from tests.feeds.websub_hub import (
    HubState,
    SubscriberState,
    running_hub,
    running_subscriber,
    subscribe,
    wait_for,
)

ATOM = "{http://www.w3.org/2005/Atom}"
T1 = datetime(2026, 3, 1, 12, tzinfo=UTC)
T2 = datetime(2026, 3, 1, 13, tzinfo=UTC)
T3 = datetime(2026, 3, 2, 12, tzinfo=UTC)


@dataclasses.dataclass
class Bench:
    site: Site
    settings: Settings
    hub: HubState
    subscriber: SubscriberState

    def feed_files(self) -> list[str]:
        """Every current feed of the site (not archive pages), as a URL."""
        output = self.settings.output_dir
        return sorted(
            f"{self.settings.base_url}/{path.relative_to(output).as_posix()}"
            for name in ("atom.xml", "rss.xml", "feed.json") for path in output.rglob(name)
        )


@pytest.fixture
def bench(empty_site: Site) -> Iterator[Bench]:
    output = empty_site.settings.output_dir
    output.mkdir(parents=True, exist_ok=True)
    with served_folder(output) as url, running_hub() as hub, running_subscriber() as subscriber:
        settings = dataclasses.replace(empty_site.settings, base_url=url, websub_hubs=(hub.url,))
        yield Bench(empty_site, settings, hub, subscriber)


def test_every_feed_announces_the_hub_and_itself(bench: Bench) -> None:
    bench.site.add_release("first", "2026-02-01T10:00:00+01:00")
    publish_tick(bench.site.engine, bench.settings, at=T1, wall_clock=T1)
    output, base, hub = bench.settings.output_dir, bench.settings.base_url, bench.hub.url
    atom = etree.parse(str(output / "fr/atom.xml")).getroot()
    links = {link.get("rel"): link.get("href") for link in atom.findall(f"{ATOM}link")}
    assert links["hub"] == hub
    assert links["self"] == f"{base}/fr/atom.xml"
    channel = etree.parse(str(output / "nl/themes/international/rss.xml")).getroot()[0]
    rss_links = {link.get("rel"): link.get("href") for link in channel.findall(f"{ATOM}link")}
    assert rss_links == {"self": f"{base}/nl/themes/international/rss.xml", "hub": hub}
    feed = json.loads((output / "fr/feed.json").read_text("utf-8"))
    assert feed["hubs"] == [{"type": "WebSub", "url": hub}]
    assert feed["feed_url"] == f"{base}/fr/feed.json"


def test_one_ping_per_changed_feed_none_for_an_unchanged_rebuild(bench: Bench) -> None:
    engine, settings, hub, subscriber = (
        bench.site.engine, bench.settings, bench.hub, bench.subscriber
    )
    topic = f"{settings.base_url}/fr/atom.xml"
    subscribe(hub, topic, subscriber.url)
    bench.site.add_release("first", "2026-02-01T10:00:00+01:00")

    first = publish_tick(engine, settings, at=T1, wall_clock=T1)
    feeds = bench.feed_files()
    assert len(feeds) == 2 * 3 * (1 + len(settings.themes))  # every feed is new
    assert sorted(hub.pings) == feeds  # once each
    assert first.pinged == len(feeds)
    wait_for(lambda: len(subscriber.received) == 1)
    assert subscriber.received[0][0] == topic
    assert b"Titre first" in subscriber.received[0][1]

    unchanged = publish_tick(engine, settings, at=T2, wall_clock=T2)
    assert (unchanged.written, unchanged.pinged) == ((), 0)
    assert len(hub.pings) == len(feeds)

    bench.site.add_release("second", "2026-03-02T09:00:00+01:00")  # theme "international"
    publish_tick(engine, settings, at=T3, wall_clock=T3)
    changed = sorted(hub.pings[len(feeds):])
    base = settings.base_url
    assert changed == sorted(
        f"{base}/{folder}/{name}" for folder in ("fr", "nl", "fr/themes/international",
                                                 "nl/themes/international")
        for name in ("atom.xml", "rss.xml", "feed.json")
    )
    wait_for(lambda: len(subscriber.received) == 2)
    assert b"Titre second" in subscriber.received[1][1]


def test_a_failing_hub_never_stops_the_tick_and_gets_the_ping_later(bench: Bench) -> None:
    engine, settings, hub = bench.site.engine, bench.settings, bench.hub
    bench.site.add_release("first", "2026-02-01T10:00:00+01:00")
    publish_tick(engine, settings, at=T1, wall_clock=T1)
    pinged = len(hub.pings)

    hub.fail_with = 503
    bench.site.add_release("second", "2026-03-02T09:00:00+01:00")
    refused = publish_tick(engine, settings, at=T3, wall_clock=T3)
    assert refused.public == 2  # the tick did its work
    assert refused.written
    assert refused.pinged == 0
    assert len(refused.hub_failures) == 1  # logged once per hub, not once per feed
    assert "HTTP 503" in refused.hub_failures[0]
    assert len(hub.refused) == 1  # the hub is not hammered with the other feeds' pings
    assert pending_path(settings).exists()

    hub.fail_with = None
    retried = publish_tick(engine, settings, at=T3.replace(hour=13), wall_clock=T3)
    assert retried.written == ()  # nothing changed since: these are the pending pings
    assert retried.pinged == 12
    assert len(hub.pings) == pinged + 12
    again = publish_tick(engine, settings, at=T3.replace(hour=14), wall_clock=T3)
    assert again.pinged == 0


def test_a_follower_rebuilding_its_own_folder_pings_nobody(bench: Bench, tmp_path: Path) -> None:
    engine, settings, hub = bench.site.engine, bench.settings, bench.hub
    bench.site.add_release("first", "2026-02-01T10:00:00+01:00")
    publish_tick(engine, settings, at=T1, wall_clock=T1)
    pings = len(hub.pings)
    # Another `run` process on the same database, with its own output and data folders.
    other = dataclasses.replace(settings, output_dir=tmp_path / "other-public",
                                data_dir=tmp_path / "other-var")
    follower = SiteFollower(engine, other, ReleaseCatalog(engine, other))
    bump_generation(engine, as_of=T1)
    assert follower.catch_up()
    assert (other.output_dir / "fr/atom.xml").read_bytes() == (
        settings.output_dir / "fr/atom.xml").read_bytes()
    assert len(hub.pings) == pings


def test_hubs_are_absolute_http_urls(tmp_path: Path, example_site: Path) -> None:
    text = example_site.read_text("utf-8")
    assert "websub_hubs = []" in text
    example_site.write_text(text.replace(
        "websub_hubs = []", 'websub_hubs = ["https://hub.example/", "ftp://x", "/relative"]'
    ), "utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(example_site)
    problems = [(problem.field, problem.reason) for problem in error.value.problems]
    assert [field for field, _ in problems] == ["feeds.websub_hubs", "feeds.websub_hubs"]
    assert "'ftp://x' is not an absolute http(s) URL" in problems[0][1]
    example_site.write_text(text.replace(
        "websub_hubs = []", 'websub_hubs = ["https://hub.example/"]'), "utf-8")
    assert load_settings(example_site).websub_hubs == ("https://hub.example/",)
