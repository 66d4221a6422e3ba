"""RFC 5005 archived feeds: a cut feed links back, page by page, to its first release.

The example site is built with `feeds.items = 2`; feedparser walks `prev-archive` links
from each current feed to its oldest page, and the entries met are every public release
of the feed, each once per document. Full archive pages rebuild to the same bytes when
newer releases come.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import feedparser
from lxml import etree

from syndication.config import Settings
from syndication.feeds.atom_rss import render_atom
from syndication.feeds.definitions import FeedDocuments, define_feeds
from tests.site.building import NOW, build, load, release_toml

BASE = "https://press.example.be"
ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY = "{http://purl.org/syndication/history/1.0}"


def cut(settings: Settings) -> Settings:
    return dataclasses.replace(settings, feed_items=2)


def local(settings: Settings, url: str) -> Path:
    assert url.startswith(f"{BASE}/")
    return settings.output_dir / url.removeprefix(f"{BASE}/")


def link(parsed: feedparser.FeedParserDict, rel: str) -> str | None:
    return next((item.href for item in parsed.feed.get("links", []) if item.rel == rel), None)


def walk(settings: Settings, feed: str) -> list[feedparser.FeedParserDict]:
    """The current feed then each archive page, following prev-archive to the oldest."""
    documents = [feedparser.parse(str(settings.output_dir / feed))]
    while (previous := link(documents[-1], "prev-archive")) is not None:
        documents.append(feedparser.parse(str(local(settings, previous))))
        assert len(documents) < 50
    return documents


def test_walking_back_from_every_cut_feed_reaches_every_release(example_settings: Settings) -> None:
    settings = cut(example_settings)
    build(settings)
    public = [release for release in load(settings) if release.is_public(NOW)]
    walked = 0
    for definition in define_feeds(settings, public, now=NOW):
        every = [release for release in public if definition.language in release.versions
                 and (definition.theme is None or definition.theme.slug in release.themes)]
        documents = walk(settings, f"{definition.folder}/atom.xml")
        assert all(not document.bozo for document in documents)
        seen = [entry.id for document in documents for entry in document.entries]
        assert {entry_id.rsplit("/", 1)[1] for entry_id in seen} == {r.id for r in every}
        for document in documents:  # no document lists an entry twice
            ids = [entry.id for entry in document.entries]
            assert len(ids) == len(set(ids))
        if len(every) <= 2:
            assert len(documents) == 1  # not cut: no archive
        else:
            assert len(documents) == 1 + len(every) // 2
            walked += 1
    assert walked >= 3  # fr, nl and at least one theme feed are cut


def test_archive_pages_say_so_and_link_current_and_both_ways(example_settings: Settings) -> None:
    settings = cut(example_settings)
    build(settings)
    documents = walk(settings, "fr/atom.xml")
    pages = documents[1:]
    assert len(pages) == 2  # 5 French releases public at NOW: two full pages of 2
    newest_first = [f"{BASE}/fr/feed-archive/{number}.xml" for number in (2, 1)]
    assert [link(page, "self") for page in pages] == newest_first
    for index, page in enumerate(pages):
        path = local(settings, newest_first[index])
        root = etree.parse(str(path)).getroot()
        assert root.find(f"{HISTORY}archive") is not None  # RFC 5005 §4: fh:archive
        assert link(page, "current") == f"{BASE}/fr/atom.xml"
        assert page.feed.id == documents[0].feed.id  # one logical feed
        assert len(page.entries) == 2
        assert link(page, "next-archive") == (newest_first[index - 1] if index else None)
    current = etree.parse(str(settings.output_dir / "fr/atom.xml")).getroot()
    assert current.find(f"{HISTORY}archive") is None
    assert {item.get("rel") for item in current.findall(f"{ATOM}link")} >= {"prev-archive"}
    # Oldest page: the two oldest French releases.
    oldest = [entry.published for entry in pages[-1].entries]
    assert oldest == sorted(oldest, reverse=True)
    every = sorted(entry.published_parsed for document in documents for entry in document.entries)
    assert sorted(entry.published_parsed for entry in pages[-1].entries) == every[:2]


def test_full_archive_pages_rebuild_to_the_same_bytes(example_settings: Settings) -> None:
    settings = cut(example_settings)
    build(settings)
    archive = settings.output_dir / "fr/feed-archive"
    before = {path.name: path.read_bytes() for path in archive.glob("*.xml")}  # not the .gz copies
    assert sorted(before) == ["1.xml", "2.xml"]  # 5 French releases

    def publish(name: str, published: str) -> None:
        (settings.releases_dir / f"{name}.toml").write_text(
            release_toml(title=f"Titre {name}", body="Corps.", published=published), "utf-8")

    publish("sixth", "2026-05-01T10:00:00+02:00")  # 6 releases: a third page fills up
    build(settings)
    after = {path.name: path.read_bytes() for path in archive.glob("*.xml")}  # not the .gz copies
    assert sorted(after) == ["1.xml", "2.xml", "3.xml"]
    assert after["1.xml"] == before["1.xml"]
    # The newest page of before gains its next-archive link, and only that.
    assert after["2.xml"] != before["2.xml"]
    assert after["2.xml"].replace(
        b'  <link href="https://press.example.be/fr/feed-archive/3.xml" rel="next-archive" '
        b'type="application/atom+xml"/>\n', b"") == before["2.xml"]

    publish("seventh", "2026-05-02T10:00:00+02:00")  # 7: no new full page
    report = build(settings)
    assert not [path for path in report.written if "fr/feed-archive" in path.as_posix()]
    assert {path.name: path.read_bytes() for path in archive.glob("*.xml")}  # not the .gz copies == after
    assert build(settings).written == []


def test_entries_spliced_from_the_cache_are_the_bytes_feedgen_writes(
    example_settings: Settings,
) -> None:
    settings = dataclasses.replace(cut(example_settings), websub_hubs=("https://hub.example/",))
    documents, cache = FeedDocuments(settings), {}
    checked = 0
    for definition in define_feeds(settings, load(settings), now=NOW):
        for document in (documents.document(definition),
                         *(documents.archive(archive) for archive in definition.archives)):
            assert render_atom(document, entries=cache) == render_atom(document)
            checked += 1
    assert checked > 20  # every language and theme feed, and the archive pages
    assert cache  # entries were shared
