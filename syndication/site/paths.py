"""Where each file of the static site lives, relative to the output folder, and its URL.

One place decides the layout (`fr/index.html`, `fr/{id}.html`, `fr/themes/{slug}/atom.xml`,
`fr/archive/2016-08.html`, `feeds.opml`), so feeds, pages and the web server agree on it.
Paths are POSIX strings relative to the output folder; URLs are absolute, below `base_url`.
"""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

ROOT_INDEX = "index.html"
OPML = "feeds.opml"


class FeedFormat(StrEnum):
    """The formats each feed is written in; the value is the file name."""

    ATOM = "atom.xml"
    RSS = "rss.xml"
    JSON = "feed.json"

    @property
    def media_type(self) -> str:
        """The media type announced in links and autodiscovery."""
        return _MEDIA_TYPES[self]

    @property
    def label(self) -> str:
        """The format's name as readers know it."""
        return _LABELS[self]


_LABELS = {FeedFormat.ATOM: "Atom", FeedFormat.RSS: "RSS", FeedFormat.JSON: "JSON Feed"}
_MEDIA_TYPES = {
    FeedFormat.ATOM: "application/atom+xml",
    FeedFormat.RSS: "application/rss+xml",
    FeedFormat.JSON: "application/feed+json",
}


def index_path(language: str) -> str:
    """The language's home page: the newest releases and the archive months."""
    return f"{language}/index.html"


def release_path(language: str, release_id: str) -> str:
    """The page of one language version of a release."""
    return f"{language}/{release_id}.html"


def theme_index_path(language: str, theme: str) -> str:
    """The page of one theme's newest releases."""
    return f"{theme_folder(language, theme)}/index.html"


def archive_path(language: str, month: str) -> str:
    """The page of one month's releases (`month` is "2016-08", in the site's zone)."""
    return f"{language}/archive/{month}.html"


def search_page_path(language: str) -> str:
    """The search page of a language (lunr.js over the shards below)."""
    return f"{language}/search.html"


def search_shard_path(language: str, month: str) -> str:
    """The search index of one language's releases of one month."""
    return f"{language}/search/{month}.json"


def search_shards_path(language: str) -> str:
    """The list of a language's search shards, newest first."""
    return f"{language}/search/shards.json"


def asset_path(name: str) -> str:
    """A script or style every page may load (`templates/site/assets/NAME`)."""
    return f"assets/{name}"


def feed_path(folder: str, feed_format: FeedFormat) -> str:
    """The file of one format of the feed of `folder` (a language's or a theme's)."""
    return f"{folder}/{feed_format.value}"


def feed_archive_path(folder: str, page: int) -> str:
    """An RFC 5005 archive document of the Atom feed of `folder`, numbered from the oldest."""
    return f"{folder}/feed-archive/{page}.xml"


def language_folder(language: str) -> str:
    """The folder of a language's pages and feeds."""
    return language


def themes_folder(language: str) -> str:
    """The folder of every theme's folder in one language."""
    return f"{language}/themes"


def theme_folder(language: str, theme: str) -> str:
    """The folder of a theme's feeds and page in one language."""
    return f"{themes_folder(language)}/{theme}"


def absolute_url(base_url: str, path: str) -> str:
    """The absolute URL of a site path."""
    return f"{base_url}/{path}"


def release_url(base_url: str, language: str, release_id: str) -> str:
    """The absolute URL of one language version of a release: its page, feed link, email link."""
    return absolute_url(base_url, release_path(language, release_id))


def relative_url(from_path: str, to_path: str) -> str:
    """A link from one site file to another that works on any host (a preview included)."""
    # Site paths are normalised and relative, so this is plain list work (posixpath.relpath
    # asks the OS for the current folder on every call: 20,000 pages, many links each).
    here = from_path.split("/")[:-1]
    there = to_path.split("/")
    shared = 0
    for mine, theirs in zip(here, there[:-1], strict=False):
        if mine != theirs:
            break
        shared += 1
    return "../" * (len(here) - shared) + "/".join(there[shared:])


def tag_authority(base_url: str) -> tuple[str, str]:
    """The host and the path prefix of the site, for RFC 4151 tag URIs."""
    parts = urlsplit(base_url)
    return (parts.hostname or "localhost", parts.path.rstrip("/"))


# The site's brand and its pages outside the releases (syndication.pages.brand_pages).
STYLESHEET = "style.css"
NOT_FOUND = "404.html"
SUBSCRIBE = "subscribe"  # served by `run`, not written: the sign-up form


def contacts_path(language: str) -> str:
    """The press contacts page of a language."""
    return f"{language}/contacts.html"


def vcard_path(language: str, key: str) -> str:
    """The vCard of one config contact, its role in `language`."""
    return f"{language}/contacts/{key}.vcf"


def signup_query(language: str) -> str:
    """The query that opens the sign-up form (`SUBSCRIBE`) in `language`: `?lang=fr`."""
    return f"?lang={language}"


def root_path_prefix(base_url: str) -> str:
    """The URL path of the site's root ("/" or "/press/"), for pages served at any path."""
    return urlsplit(base_url).path.rstrip("/") + "/"
