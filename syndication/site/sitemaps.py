"""`/sitemap.xml`, the Google News sitemap `/news-sitemap.xml` and `/robots.txt`.

- The sitemap (sitemaps.org 0.9) lists every page the build writes (the 404 page aside),
  each with its versions in the other languages as `xhtml:link rel="alternate"
  hreflang` (Google's hreflang in sitemaps), and release pages with `lastmod` (their
  correction time, else their publication): never a build time, so an unchanged site
  rebuilds to the same bytes.
- The news sitemap lists the releases published in the two days before the newest one
  (Google News takes articles of the last two days): measured from the newest release,
  not from the clock, for the same reason.
- robots.txt allows everything and names both sitemaps (absolute URLs, as the protocol
  requires).
Written by hand with escaping: these are flat lists, and 20,000 URLs must take
milliseconds, not an lxml tree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from xml.sax.saxutils import escape

from syndication.config import Settings
from syndication.localdates import to_local
from syndication.releases import Release
from syndication.site.paths import absolute_url, release_path

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
ROBOTS = "robots.txt"
NEWS_WINDOW = timedelta(days=2)

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
         'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
_NEWS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n')


def sitemap_pages(paths: Sequence[str], languages: Sequence[str]) -> list[str]:
    """The pages a sitemap lists among the build's files: HTML, not the 404 page."""
    return [path for path in paths
            if path.endswith(".html") and not path.rpartition("/")[2].startswith("404")
            and (path.partition("/")[0] in languages or "/" not in path)]


def render_sitemap(
    settings: Settings, pages: Sequence[str], public: Sequence[Release]
) -> bytes:
    """The sitemap of `pages` (output paths), with hreflang alternates and release dates."""
    base, languages = settings.base_url, settings.languages
    # The same page in each language: "fr/x.html" and "nl/x.html" share "x.html".
    versions: dict[str, dict[str, str]] = {}
    for path in pages:
        language, _, rest = path.partition("/")
        if language in languages and rest:
            versions.setdefault(rest, {})[language] = path
    modified = {
        release_path(language, release.id): to_local(release.modified, settings.timezone)
        for release in public for language in release.versions
    }
    # 20,000 pages: escape each URL once, and only when it needs it (ids and slugs never do).
    urls = {path: _escaped(absolute_url(base, path)) for path in pages}
    parts = [_HEAD]
    for path in pages:
        parts.append(f"<url><loc>{urls[path]}</loc>")
        when = modified.get(path)
        if when is not None:
            parts.append(f"<lastmod>{when.isoformat()}</lastmod>")
        language, _, rest = path.partition("/")
        same = versions.get(rest, {}) if language in languages else {}
        if len(same) > 1:
            parts.extend(
                f'<xhtml:link rel="alternate" hreflang="{other}" href="{urls[same[other]]}"/>'
                for other in languages if other in same
            )
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def _escaped(url: str) -> str:
    """`url` escaped for XML text and double-quoted attributes."""
    if any(character in url for character in "&<>\"'"):
        return escape(url, {'"': "&quot;", "'": "&apos;"})
    return url


def news_releases(public: Sequence[Release]) -> list[Release]:
    """The releases (newest first) published in the two days up to the newest one."""
    if not public:
        return []
    newest = max(release.published for release in public)
    return sorted((release for release in public if release.published >= newest - NEWS_WINDOW),
                  key=lambda release: (release.published, release.id), reverse=True)


def render_news_sitemap(
    settings: Settings, releases: Sequence[Release], publication: Mapping[str, str]
) -> bytes:
    """The Google News sitemap of `releases`; `publication` is the site's name per language."""
    parts = [_NEWS_HEAD]
    for release in releases:
        published = to_local(release.published, settings.timezone).isoformat()
        for language, version in release.versions.items():
            url = absolute_url(settings.base_url, release_path(language, release.id))
            parts.append(
                f"<url><loc>{escape(url)}</loc><news:news><news:publication>"
                f"<news:name>{escape(publication.get(language, ''))}</news:name>"
                f"<news:language>{escape(language)}</news:language></news:publication>"
                f"<news:publication_date>{published}</news:publication_date>"
                f"<news:title>{escape(version.title)}</news:title></news:news></url>\n"
            )
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def render_robots(settings: Settings) -> bytes:
    """robots.txt: everything may be crawled; where the sitemaps are."""
    return (
        "User-agent: *\nAllow: /\n\n"
        f"Sitemap: {absolute_url(settings.base_url, SITEMAP)}\n"
        f"Sitemap: {absolute_url(settings.base_url, NEWS_SITEMAP)}\n"
    ).encode()
