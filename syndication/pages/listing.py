"""Pages that list releases: a language's home, a theme's page, a month's archive, the root.

A language's home (`/{lang}/index.html`) shows the newest `settings.feed_items` releases, like
its feed, then links to the themes and to one archive page per month
(`/{lang}/archive/2016-08.html`, months in the site's zone). Monthly archives keep pages
stable: a new release changes its month's page and the home, not a numbered page series
that would all shift by one, so a site of 10,000 releases rebuilds in a few files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_skeleton

from syndication.config import Settings
from syndication.localdates import format_long_date, language_name, to_local
from syndication.pages.frame import page_frame, site_title
from syndication.releases import Release
from syndication.site.paths import (
    ROOT_INDEX,
    absolute_url,
    archive_path,
    index_path,
    language_folder,
    relative_url,
    release_path,
    theme_folder,
    theme_index_path,
)
from syndication.site.templates import render_site_template
from syndication.translations import translator


@dataclass(frozen=True, slots=True)
class ListedRelease:
    """One release in a list: title, link, date and summary."""

    title: str
    href: str
    date_text: str
    date_iso: str
    summary: str


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link, with a count where it helps (releases in a month)."""

    label: str
    href: str
    count: int = 0


@dataclass(frozen=True, slots=True)
class ListingView:
    """The main content of a listing page."""

    heading: str
    releases: tuple[ListedRelease, ...]
    themes: tuple[Link, ...]
    months: tuple[Link, ...]


def month_of(release: Release, settings: Settings) -> str:
    """The archive month of a release ("2016-08"), in the site's zone."""
    local = to_local(release.published, settings.timezone)
    return f"{local.year:04d}-{local.month:02d}"


def render_language_index(
    settings: Settings, language: str, newest: Sequence[Release],
    months: Sequence[tuple[str, int]],
) -> bytes:
    """A language's home: its newest releases, its themes and its archive months."""
    path = index_path(language)
    _ = translator(language).gettext
    view = ListingView(
        heading=_("Latest press releases"),
        releases=listed_releases(settings, language, path, newest),
        themes=tuple(
            Link(theme.label.get(language, slug),
                 relative_url(path, theme_index_path(language, slug)))
            for slug, theme in settings.themes.items()
        ),
        months=tuple(
            Link(_month_label(month, language), relative_url(path, archive_path(language, month)),
                 count)
            for month, count in months
        ),
    )
    return _render(settings, language, path, view, language_folder(language),
                   {other: index_path(other) for other in settings.languages})


def render_theme_index(
    settings: Settings, language: str, theme: str, newest: Sequence[Release]
) -> bytes:
    """A theme's page in one language: its newest releases and its feeds."""
    path = theme_index_path(language, theme)
    label = settings.themes[theme].label.get(language, theme)
    view = ListingView(label, listed_releases(settings, language, path, newest), (), ())
    return _render(settings, language, path, view, theme_folder(language, theme),
                   {other: theme_index_path(other, theme) for other in settings.languages},
                   feed_title=f"{site_title(settings, language)} – {label}")


def render_archive_month(
    settings: Settings, language: str, month: str, releases: Sequence[Release]
) -> bytes:
    """One month's releases in one language, newest first."""
    path = archive_path(language, month)
    _ = translator(language).gettext
    heading = _("Archives: %(month)s") % {"month": _month_label(month, language)}
    view = ListingView(heading, listed_releases(settings, language, path, releases), (), ())
    return _render(settings, language, path, view, language_folder(language),
                   {language: path})


def render_root_index(settings: Settings) -> bytes:
    """The site's root: a link to each language's home, each named in its language."""
    languages = [
        (language,
         Link(f"{site_title(settings, language)} ({language_name(language)})",
              relative_url(ROOT_INDEX, index_path(language))),
         absolute_url(settings.base_url, index_path(language)))
        for language in settings.languages
    ]
    first = settings.languages[0]
    html = render_site_template(
        "root.html", first,
        {"languages": languages, "language": first, "title": site_title(settings, first)},
    )
    return html.encode("utf-8")


def _render(
    settings: Settings, language: str, path: str, view: ListingView, feed_folder: str,
    paths_by_language: dict[str, str], *, feed_title: str | None = None,
) -> bytes:
    frame = page_frame(
        settings, language=language, path=path, paths_by_language=paths_by_language,
        feed_folder=feed_folder, feed_title=feed_title or site_title(settings, language),
    )
    html = render_site_template("listing.html", language, {"page": frame, "listing": view})
    return html.encode("utf-8")


def listed_releases(
    settings: Settings, language: str, path: str, releases: Sequence[Release]
) -> tuple[ListedRelease, ...]:
    """The releases as a list shows them, linked from the page at `path`."""
    tz = settings.timezone
    return tuple(
        ListedRelease(
            title=release.versions[language].title,
            href=relative_url(path, release_path(language, release.id)),
            date_text=format_long_date(release.published, language, tz),
            date_iso=to_local(release.published, tz).isoformat(),
            summary=release.versions[language].summary,
        )
        for release in releases
    )


def _month_label(month: str, language: str) -> str:
    first_day = datetime.strptime(month, "%Y-%m").date()
    return format_skeleton("yMMMM", first_day, locale=language)
