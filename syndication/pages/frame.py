"""What every page shares: its language, canonical URL, language alternates and feeds,
and the brand around the content: the header (logo, organisation, language switch) and the
footer (sign-up link, feeds, press contacts).

Links between pages are relative (the output folder works from any host, a local preview
included); the canonical URL, hreflang alternates and feed autodiscovery are absolute, as
search engines and feed readers expect. A page served at any path (the 404) takes links
from the site's root instead (`root_prefix`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from syndication.config import Settings
from syndication.localdates import language_name
from syndication.site.paths import (
    STYLESHEET,
    SUBSCRIBE,
    FeedFormat,
    absolute_url,
    contacts_path,
    feed_path,
    index_path,
    relative_url,
    search_page_path,
    signup_query,
)
from syndication.site.templates import render_site_template
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
    # Every other site language: this page in it, else that language's home.
    language_switch: tuple[Alternate, ...] = ()
    stylesheet_href: str = STYLESHEET
    logo_href: str | None = None
    subscribe_href: str = ""
    contacts_href: str = ""
    search_href: str = ""  # the language's search page


def site_title(settings: Settings, language: str) -> str:
    """The site's title in `language` (config `[site] title`, else a generic one)."""
    _ = translator(language).gettext
    return settings.title.get(language) or _("Press releases")


def page_frame(
    settings: Settings, *, language: str, path: str, paths_by_language: Mapping[str, str],
    feed_folder: str, feed_title: str, root_prefix: str | None = None,
) -> PageFrame:
    """The frame of the page at `path`, its versions in `paths_by_language`.

    With `root_prefix` ("/"), links start from the site's root, whatever `path` says.
    """
    title = site_title(settings, language)

    def link(target: str) -> str:
        if root_prefix is not None:
            return root_prefix + target
        return relative_url(path, target)

    alternates = tuple(
        Alternate(
            language=other, name=language_name(other),
            href=link(paths_by_language[other]),
            url=absolute_url(settings.base_url, paths_by_language[other]),
        )
        for other in settings.languages if other in paths_by_language
    )
    switch = tuple(
        Alternate(
            language=other, name=language_name(other),
            href=link(paths_by_language.get(other, index_path(other))),
            url=absolute_url(settings.base_url, paths_by_language.get(other, index_path(other))),
        )
        for other in settings.languages if other != language
    )
    logo = settings.branding.logo_name
    return PageFrame(
        language=language,
        url=absolute_url(settings.base_url, path),
        site_title=title,
        home_href=link(index_path(language)),
        organisation=settings.organisation_name.get(language) or title,
        organisation_url=settings.organisation_website,
        alternates=alternates,
        feeds=announce_feeds(settings.base_url, feed_folder, feed_title),
        language_switch=switch,
        stylesheet_href=link(STYLESHEET),
        logo_href=link(logo) if logo else None,
        subscribe_href=link(SUBSCRIBE) + signup_query(language),
        contacts_href=link(contacts_path(language)),
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


def render_site_page(
    settings: Settings, name: str, language: str, context: Mapping[str, object]
) -> bytes:
    """One template of the site (the override folder's first) in `language`, as UTF-8."""
    html = render_site_template(
        name, language, {"brand": settings.branding, **context},
        overrides=settings.branding.template_roots,
    )
    return html.encode("utf-8")
