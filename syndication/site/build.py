"""Building the static site: every feed and page of the releases public at `now`.

The build plans every output file with the fingerprint of its inputs, then renders only
the files whose fingerprint changed or whose file is missing or was altered (see
`manifest`), writes them atomically and only when their bytes changed, and deletes the
files of earlier builds that are no longer part of the site (a release withdrawn or not
yet public). A rebuild with nothing new renders nothing and writes nothing.

Output, per language: feeds `/{lang}/atom.xml|rss.xml|feed.json` and per theme
`/{lang}/themes/{theme}/...`; pages `/{lang}/index.html`, `/{lang}/{id}.html`,
`/{lang}/themes/{theme}/index.html`, `/{lang}/archive/{YYYY-MM}.html`; RFC 5005 archive
pages `/{folder}/feed-archive/{n}.xml` of every feed cut at `feeds.items`; and `/index.html`,
`/feeds.opml`, `/sitemap.xml`, `/news-sitemap.xml`, `/robots.txt`; the search page and index
(`/{lang}/search.html`, `/{lang}/search/*.json`, the scripts in `/assets/`); beside each of
them its gzipped copy (`x.html.gz`, see `compression`), which the manifest records like any
file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from syndication.config import Settings
from syndication.feeds.atom_rss import render_atom, render_rss
from syndication.feeds.definitions import (
    ArchiveDefinition,
    FeedDefinition,
    FeedDocuments,
    define_feeds,
    public_newest_first,
)
from syndication.feeds.jsonfeed import render_json_feed
from syndication.feeds.model import FeedDocument
from syndication.feeds.opml import render_opml
from syndication.pages.frame import site_title
from syndication.pages.listing import (
    month_of,
    render_archive_month,
    render_language_index,
    render_root_index,
    render_theme_index,
)
from syndication.pages.release import render_release_page
from syndication.pages.search import LUNR, SCRIPT, render_search_page
from syndication.releases import Release
from syndication.search.index import render_shard, render_shard_list
from syndication.site.brand_files import plan_brand_files
from syndication.site.compression import compressed_path, is_compressed
from syndication.site.fingerprints import combine, release_fingerprint, site_fingerprint
from syndication.site.manifest import (
    Manifest,
    is_current,
    manifest_path,
    read_manifest,
    record_of,
    write_manifest,
)
from syndication.site.paths import (
    OPML,
    ROOT_INDEX,
    FeedFormat,
    archive_path,
    asset_path,
    feed_archive_path,
    feed_path,
    index_path,
    release_path,
    search_page_path,
    search_shard_path,
    search_shards_path,
    theme_index_path,
)
from syndication.site.sitemaps import (
    NEWS_SITEMAP,
    ROBOTS,
    SITEMAP,
    news_releases,
    render_news_sitemap,
    render_robots,
    render_sitemap,
    sitemap_pages,
)
from syndication.site.templates import SITE_TEMPLATES_DIR
from syndication.site.writer import PlannedFile, write_files

_FEED_WRITERS: dict[FeedFormat, Callable[[FeedDocument], bytes]] = {
    FeedFormat.ATOM: render_atom,
    FeedFormat.RSS: render_rss,
    FeedFormat.JSON: render_json_feed,
}


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did: releases public, files written, files left as they were, removed."""

    public: int
    written: list[Path]
    unchanged: int
    removed: list[Path] = field(default_factory=list)


def build_site(settings: Settings, releases: Sequence[Release], *, now: datetime) -> BuildReport:
    """Write the feeds and pages of the releases public at `now`; only changed files."""
    public = public_newest_first(releases, now)
    planned = plan_site(settings, public, now=now)
    output = settings.output_dir
    record_path = manifest_path(settings.data_dir)
    site = site_fingerprint(settings)
    before = read_manifest(record_path, output)
    # Another config, template or code version: every file is rendered again (and compared).
    reusable = before.files if before.site == site else {}
    after: dict[str, str] = {}
    stale = []
    folder = str(output)
    for item in planned:
        names = [item.path]
        if is_compressed(item.path):
            names.append(compressed_path(item.path))
        known = [reusable.get(name) for name in names]
        if all(record is not None and is_current(os.path.join(folder, name), item.fingerprint,
                                                 record)
               for name, record in zip(names, known, strict=True)):
            after.update((name, str(record)) for name, record in zip(names, known, strict=True))
        else:
            stale.append(item)
    written = []
    for outcome, item in zip(write_files(output, stale), stale, strict=True):
        for done in (outcome, outcome.compressed):
            if done is None:
                continue
            after[done.path] = record_of(item.fingerprint, done.mtime_ns, done.size)
            if done.written:
                written.append(output / done.path)
    removed = []
    for name in sorted(before.files.keys() - after.keys()):
        target = output / name
        if target.exists():
            target.unlink()
            removed.append(target)
    if after != before.files or site != before.site:
        write_manifest(record_path, output, Manifest(site, after))
    return BuildReport(
        public=len(public), written=written, unchanged=len(after) - len(written),
        removed=removed,
    )


def plan_site(
    settings: Settings, public: Sequence[Release], *, now: datetime
) -> list[PlannedFile]:
    """Every file of the site for these public releases (newest first).

    Each file's fingerprint covers the releases it shows; what every file depends on (config,
    templates, code) is the site fingerprint, kept once in the manifest.
    """
    keys = {release.id: release_fingerprint(release) for release in public}
    months = {release.id: month_of(release, settings) for release in public}
    planned = _plan_feeds(settings, public, now, keys)
    planned.append(PlannedFile(ROOT_INDEX, ROOT_INDEX, partial(render_root_index, settings)))
    for name in (LUNR, SCRIPT):  # the site fingerprint covers templates/site/assets/
        planned.append(PlannedFile(asset_path(name), name, partial(_read_asset, name)))
    planned.extend(plan_brand_files(settings))
    for language in settings.languages:
        planned.extend(_plan_language_pages(settings, language, public, keys, months))
    planned.extend(_plan_sitemaps(settings, public, keys, [item.path for item in planned]))
    return planned


def _plan_sitemaps(
    settings: Settings, public: Sequence[Release], keys: dict[str, str], paths: list[str]
) -> list[PlannedFile]:
    """The sitemaps of the planned pages, and robots.txt naming them."""
    pages = sitemap_pages(paths, settings.languages)
    news = news_releases(public)
    names = {language: settings.organisation_name.get(language) or site_title(settings, language)
             for language in settings.languages}
    return [
        # The sitemap shows pages and dates, not content: an edit re-renders it only when
        # it moves a date.
        PlannedFile(SITEMAP, combine(SITEMAP, *pages, *(str(r.modified) for r in public)),
                    partial(render_sitemap, settings, pages, public)),
        PlannedFile(NEWS_SITEMAP, combine(NEWS_SITEMAP, *(keys[r.id] for r in news)),
                    partial(render_news_sitemap, settings, news, names)),
        PlannedFile(ROBOTS, ROBOTS, partial(render_robots, settings)),
    ]


def _plan_feeds(
    settings: Settings, public: Sequence[Release], now: datetime, keys: dict[str, str]
) -> list[PlannedFile]:
    definitions = define_feeds(settings, public, now=now)
    documents = FeedDocuments(settings)
    planned = []
    for definition in definitions:
        inputs = combine(definition.folder, str(len(definition.archives)),
                         *(keys[r.id] for r in definition.releases))
        for feed_format, write in _FEED_WRITERS.items():
            planned.append(PlannedFile(
                feed_path(definition.folder, feed_format), inputs,
                partial(_render_feed, write, documents, definition),
            ))
        for archive in definition.archives:
            path = feed_archive_path(archive.folder, archive.page)
            planned.append(PlannedFile(
                path, combine(path, str(archive.newest), *(keys[r.id] for r in archive.releases)),
                partial(_render_archive, documents, archive),
            ))
    planned.append(PlannedFile(
        OPML, OPML, partial(_render_opml, settings, documents, definitions)
    ))
    return planned


def _render_feed(
    write: Callable[[FeedDocument], bytes], documents: FeedDocuments, definition: FeedDefinition
) -> bytes:
    if write is render_atom:
        return render_atom(documents.document(definition), entries=documents.atom_entries)
    return write(documents.document(definition))


def _render_archive(documents: FeedDocuments, archive: ArchiveDefinition) -> bytes:
    return render_atom(documents.archive(archive), entries=documents.atom_entries)


def _render_opml(
    settings: Settings, documents: FeedDocuments, definitions: list[FeedDefinition]
) -> bytes:
    title = " / ".join(site_title(settings, language) for language in settings.languages)
    return render_opml(title, [documents.document(definition) for definition in definitions])


def _plan_language_pages(
    settings: Settings, language: str, public: Sequence[Release], keys: dict[str, str],
    months_of: dict[str, str],
) -> list[PlannedFile]:
    limit = settings.feed_items
    in_language = [release for release in public if language in release.versions]
    months: dict[str, list[Release]] = {}  # newest month first
    by_theme: dict[str, list[Release]] = {slug: [] for slug in settings.themes}
    for release in in_language:
        months.setdefault(months_of[release.id], []).append(release)
        for slug in release.themes:
            chosen = by_theme.get(slug)
            if chosen is not None and len(chosen) < limit:
                chosen.append(release)
    newest = in_language[:limit]
    month_counts = [(month, len(items)) for month, items in months.items()]
    path = index_path(language)
    planned = [PlannedFile(
        path, combine(path, *(keys[r.id] for r in newest), repr(month_counts)),
        partial(render_language_index, settings, language, newest, month_counts),
    )]
    for slug, chosen in by_theme.items():
        path = theme_index_path(language, slug)
        planned.append(PlannedFile(
            path, combine(path, *(keys[r.id] for r in chosen)),
            partial(render_theme_index, settings, language, slug, chosen),
        ))
    order = list(months)
    for rank, (month, items) in enumerate(months.items()):
        path = archive_path(language, month)
        neighbours = (order[rank - 1] if rank else None,
                      order[rank + 1] if rank + 1 < len(order) else None)
        planned.append(PlannedFile(
            path, combine(path, *(keys[r.id] for r in items), repr(neighbours)),
            partial(render_archive_month, settings, language, month, items, neighbours),
            parallel=True,
        ))
    for release in in_language:
        path = release_path(language, release.id)
        planned.append(PlannedFile(
            path, keys[release.id],
            partial(render_release_page, settings, release, language), parallel=True,
        ))
    planned.extend(_plan_search(settings, language, months, keys))
    return planned


def _plan_search(
    settings: Settings, language: str, months: dict[str, list[Release]], keys: dict[str, str]
) -> list[PlannedFile]:
    """The search page, one index shard per month (a release changes its month's only)."""
    page, listing = search_page_path(language), search_shards_path(language)
    planned = [
        PlannedFile(page, page, partial(render_search_page, settings, language)),
        PlannedFile(listing, combine(listing, *sorted(months)),
                    partial(render_shard_list, list(months))),
    ]
    for month, items in months.items():
        path = search_shard_path(language, month)
        planned.append(PlannedFile(
            path, combine(path, *(keys[r.id] for r in items)),
            partial(render_shard, settings, language, items), parallel=True,
        ))
    return planned


def _read_asset(name: str) -> bytes:
    return (SITE_TEMPLATES_DIR / "assets" / name).read_bytes()
