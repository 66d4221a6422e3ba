"""What every page shares: its language, canonical URL, language alternates and feeds.

Links between pages are relative (the output folder works from any host, a local preview
included); the canonical URL, hreflang alternates and feed autodiscovery are absolute, as
search engines and feed readers expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from syndication.config import Settings
from syndication.localdates import language_name
from syndication.site.paths import (
    FeedFormat,
    absolute_url,
    feed_path,
    index_path,
    relative_url,
    search_page_path,
)
from syndication.translations import translator


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same page in a language: relative link for people, absolute URL for hreflang."""

    language: str
    name: str
    href: str
    url: str


@dataclass(frozen=True, slots=True)
class FeedAnnouncement:
    """A feed announced with `<link rel="alternate">` (autodiscovery) and in the page."""

    label: str
    title: str
    media_type: str
    url: str


@dataclass(frozen=True, slots=True)
class PageFrame:
    """The parts of a page outside its main content."""

    language: str
    url: str
    site_title: str
    home_href: str
    organisation: str
    organisation_url: str | None
    alternates: tuple[Alternate, ...]  # every language of the page, this one included
    feeds: tuple[FeedAnnouncement, ...]
    search_href: str = ""  # the language's search page

    @property
    def other_languages(self) -> tuple[Alternate, ...]:
        """The alternates in other languages (the visible language switch)."""
        return tuple(item for item in self.alternates if item.language != self.language)


def site_title(settings: Settings, language: str) -> str:
    """The site's title in `language` (config `[site] title`, else a generic one)."""
    _ = translator(language).gettext
    return settings.title.get(language) or _("Press releases")


def page_frame(
    settings: Settings, *, language: str, path: str, paths_by_language: Mapping[str, str],
    feed_folder: str, feed_title: str,
) -> PageFrame:
    """The frame of the page at `path`, its versions in `paths_by_language`."""
    title = site_title(settings, language)
    alternates = tuple(
        Alternate(
            language=other, name=language_name(other),
            href=relative_url(path, paths_by_language[other]),
            url=absolute_url(settings.base_url, paths_by_language[other]),
        )
        for other in settings.languages if other in paths_by_language
    )
    return PageFrame(
        language=language,
        url=absolute_url(settings.base_url, path),
        site_title=title,
        home_href=relative_url(path, index_path(language)),
        organisation=settings.organisation_name.get(language) or title,
        organisation_url=settings.organisation_website,
        alternates=alternates,
        feeds=announce_feeds(settings.base_url, feed_folder, feed_title),
        search_href=relative_url(path, search_page_path(language)),
    )


@lru_cache(maxsize=256)
def announce_feeds(
    base_url: str, feed_folder: str, feed_title: str
) -> tuple[FeedAnnouncement, ...]:
    """The feeds of a folder, in every format (the same for thousands of pages: cached)."""
    return tuple(
        FeedAnnouncement(
            label=feed_format.label, title=f"{feed_title} ({feed_format.label})",
            media_type=feed_format.media_type,
            url=absolute_url(base_url, feed_path(feed_folder, feed_format)),
        )
        for feed_format in FeedFormat
    )
