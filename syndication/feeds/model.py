"""What a feed is, apart from how it is written: a neutral document of entries.

`definitions.py` builds these values from releases and config; `atom_rss.py` (Atom, RSS),
`jsonfeed.py` and `opml.py` write them. Every value is already resolved to one language and
every date is already in the site's time zone, so the writers only serialise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from syndication.site.paths import FeedFormat, absolute_url, feed_archive_path, feed_path


@dataclass(frozen=True, slots=True)
class FeedPerson:
    """An Atom person construct (RFC 4287 §3.2): an author or a contributor."""

    name: str
    email: str | None = None
    uri: str | None = None


@dataclass(frozen=True, slots=True)
class FeedCategory:
    """A category: a theme slug, its label in the feed's language, and its scheme."""

    term: str
    label: str
    scheme: str


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A link from an entry: an attachment (RFC 4287 `enclosure`, its length when known)."""

    href: str
    rel: str
    media_type: str | None = None
    hreflang: str | None = None
    title: str | None = None
    length: int | None = None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One language version of one release."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    categories: tuple[FeedCategory, ...]
    contributors: tuple[FeedPerson, ...]
    links: tuple[FeedLink, ...]


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """One feed in one language: its identity, its links and its entries, newest first."""

    folder: str  # relative to the output folder, like "fr" or "fr/themes/pensions"
    id: str
    language: str
    title: str
    description: str
    home_url: str
    base_url: str  # the site's URL, the feed files' folder is below it
    updated: datetime
    author: FeedPerson
    entries: tuple[FeedEntry, ...]
    hubs: tuple[str, ...] = ()  # WebSub hubs announced (rel="hub")
    # RFC 5005 links of the document: `prev-archive` of a cut feed; `current`,
    # `prev-archive` and `next-archive` of an archive document.
    history: tuple[FeedLink, ...] = ()
    archive_page: int | None = None  # an RFC 5005 archive document (Atom only), its number

    def path(self, feed_format: FeedFormat) -> str:
        """The file's path relative to the output folder."""
        if self.archive_page is not None:
            return feed_archive_path(self.folder, self.archive_page)
        return feed_path(self.folder, feed_format)

    def url(self, feed_format: FeedFormat) -> str:
        """The file's absolute URL."""
        return absolute_url(self.base_url, self.path(feed_format))
