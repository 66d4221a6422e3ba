"""Real feed readers, fed over HTTP, link every entry to its page in the feed's language.

feedparser, newsboat and rss2email all take an Atom entry's *last* `rel="alternate"` link
as its link: a second alternate (the translation) sent French readers to Dutch pages. The
example site is built with `feeds.items = 2` (so archive documents exist too), served by
a real HTTP server on loopback, and each reader reads every language and theme feed, Atom
and RSS; each entry's link must be a page of the feed's language, and each reader must
see every entry.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from syndication.config import Settings
from tests.delivery.smtp_server import running_smtp_server
from tests.feeds.served_site import served_folder
from tests.site.building import build

BASE = "https://press.example.be"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(example_settings: Settings) -> Settings:
    """The example site, cut at 2 entries per feed, built."""
    settings = dataclasses.replace(example_settings, feed_items=2)
    build(settings)
    return settings


@pytest.fixture
def served(site: Settings) -> Iterator[str]:
    with served_folder(site.output_dir) as url:
        yield url


def feeds(settings: Settings, *, archives: bool = False) -> dict[str, str]:
    """The path of every Atom and RSS feed (and, if asked, archive page) to its language."""
    found = {}
    for path in sorted(settings.output_dir.rglob("*.xml")):
        relative = path.relative_to(settings.output_dir).as_posix()
        language = relative.partition("/")[0]
        if language not in settings.languages:
            continue  # sitemaps
        if path.name in ("atom.xml", "rss.xml") or (archives and "/feed-archive/" in relative):
            found[relative] = language
    return found


def entry_ids(settings: Settings, relative: str) -> list[str]:
    """The ids (Atom) or guids (RSS) of a feed file's entries."""
    root = etree.parse(str(settings.output_dir / relative)).getroot()
    return [*(entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")),
            *(item.findtext("guid") for item in root.findall("channel/item"))]


def entry_count(settings: Settings, relative: str) -> int:
    return len(entry_ids(settings, relative))


def in_language(link: str, language: str) -> bool:
    return link.startswith(f"{BASE}/{language}/") and link.endswith(".html")


def test_feedparser_links_every_entry_to_the_feeds_language(site: Settings, served: str) -> None:
    paths = feeds(site, archives=True)
    assert any("/feed-archive/" in path for path in paths)
    seen = 0
    for relative, language in paths.items():
        parsed = feedparser.parse(f"{served}/{relative}")
        assert parsed.status == 200, relative
        assert not parsed.bozo, relative
        assert len(parsed.entries) == entry_count(site, relative), relative
        for entry in parsed.entries:
            assert in_language(entry.link, language), (relative, entry.link)
            alternates = [link for link in entry.get("links", []) if link.rel == "alternate"]
            assert len(alternates) == 1, (relative, alternates)
            seen += 1
    assert seen > 40


def test_the_json_feed_item_url_is_in_the_feeds_language(site: Settings, served: str) -> None:
    import urllib.request

    for language in site.languages:
        with urllib.request.urlopen(f"{served}/{language}/feed.json") as reply:
            items = json.load(reply)["items"]
        assert items
        assert all(in_language(item["url"], language) for item in items)


def test_newsboat_links_every_entry_to_the_feeds_language(
    site: Settings, served: str, tmp_path: Path
) -> None:
    paths = feeds(site)
    urls = tmp_path / "urls"
    urls.write_text("".join(f"{served}/{relative}\n" for relative in paths), "utf-8")
    cache = tmp_path / "cache.db"
    subprocess.run(
        ["newsboat", "-u", str(urls), "-C", "/dev/null", "-c", str(cache), "-x", "reload",
         "print-unread"],
        env={**os.environ, "HOME": str(tmp_path)}, check=True, capture_output=True, timeout=120,
    )
    with sqlite3.connect(cache) as conn:
        rows = conn.execute("SELECT feedurl, guid, url FROM rss_item").fetchall()
    # newsboat keeps an item once per guid, under one of the feeds that carry it (the same
    # entry is in the language feed and its theme feeds, in Atom and RSS).
    assert sorted(guid for _feed, guid, _url in rows) == sorted(
        {guid for relative in paths for guid in entry_ids(site, relative)}
    )
    for feed_url, guid, link in rows:
        language = paths[feed_url.removeprefix(f"{served}/")]
        assert in_language(link, language), (feed_url, link)
        assert f":/{language}/" in guid  # the entry of the feed's language version
    assert len(rows) >= 10


def test_rss2email_links_every_entry_to_the_feeds_language(
    site: Settings, served: str, tmp_path: Path
) -> None:
    paths = feeds(site)
    with running_smtp_server() as smtp:
        config = tmp_path / "rss2email.cfg"
        sections = "".join(
            f"[feed.f{index}]\nurl = {served}/{relative}\n"
            for index, relative in enumerate(paths)
        )
        config.write_text(
            "[DEFAULT]\nfrom = r2e@example.org\nto = reader@example.org\n"
            f"email-protocol = smtp\nsmtp-server = 127.0.0.1\nsmtp-port = {smtp.port}\n"
            f"smtp-ssl = False\nsmtp-auth = False\n{sections}",
            "utf-8",
        )
        subprocess.run(
            ["r2e", "-c", str(config), "-d", str(tmp_path / "data.json"), "run"],
            env={**os.environ, "HOME": str(tmp_path)}, check=True, capture_output=True,
            timeout=180,
        )
        messages = [message_from_bytes(item.content, policy=policy.default)
                    for item in smtp.handler.messages]
    by_feed: dict[str, list[str]] = {}
    for message in messages:
        feed = str(message["X-RSS-Feed"]).removeprefix(f"{served}/")
        by_feed.setdefault(feed, []).append(str(message["X-RSS-URL"]))
    for relative, language in paths.items():
        links = by_feed.get(relative, [])
        assert len(links) == entry_count(site, relative), relative
        assert all(in_language(link, language) for link in links), (relative, links)
    assert len(messages) > 30
