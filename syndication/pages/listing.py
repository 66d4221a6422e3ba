"""Pages that list releases: a language's home, a theme's page, a month's archive, the root.

A language's home (`/{lang}/index.html`) shows the newest `settings.feed_items` releases, like
its feed, then links to the themes and to one archive page per month
(`/{lang}/archive/2016-08.html`, months in the site's zone). Monthly archives keep pages
stable: a new release changes its month's page and the home, not a numbered page series
that would all shift by one, so a site of 10,000 releases rebuilds in a few files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from babel.dates import format_skeleton

from syndication.config import Settings
from syndication.localdates import format_long_date, language_name, to_local
from syndication.pages.frame import page_frame, render_site_page, site_title
from syndication.releases import Release
from syndication.site.paths import (
    ROOT_INDEX,
    SUBSCRIBE,
    absolute_url,
    archive_path,
    index_path,
    language_folder,
    relative_url,
    release_path,
    theme_folder,
    theme_index_path,
)
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
    key: str = ""  # a month's "2016-08"; a pager link's `rel`


@dataclass(frozen=True, slots=True)
class SignupBox:
    """The sign-up box of a language's home: a form that opens the sign-up page."""

    action: str


@dataclass(frozen=True, slots=True)
class ListingView:
    """The main content of a listing page."""

    heading: str
    releases: tuple[ListedRelease, ...]
    themes: tuple[Link, ...]
    months: tuple[Link, ...]
    signup: SignupBox | None = None
    pager: tuple[Link, ...] = ()  # an archive month's neighbours and the home

    @property
    def years(self) -> tuple[tuple[str, tuple[Link, ...]], ...]:
        """The archive months grouped by year, newest first."""
        grouped: dict[str, list[Link]] = {}
        for month in self.months:
            grouped.setdefault(month.key[:4], []).append(month)
        return tuple((year, tuple(links)) for year, links in grouped.items())


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
        themes=_theme_links(settings, language, path),
        months=tuple(
            Link(_month_label(month, language), relative_url(path, archive_path(language, month)),
                 count, month)
            for month, count in months
        ),
        signup=SignupBox(relative_url(path, SUBSCRIBE)),
    )
    return _render(settings, language, path, view, language_folder(language),
                   {other: index_path(other) for other in settings.languages})


def render_theme_index(
    settings: Settings, language: str, theme: str, newest: Sequence[Release]
) -> bytes:
    """A theme's page in one language: its newest releases and its feeds."""
    path = theme_index_path(language, theme)
    label = settings.themes[theme].label.get(language, theme)
    # The other themes too: a reader goes from one to the next without the home page.
    view = ListingView(label, listed_releases(settings, language, path, newest),
                       _theme_links(settings, language, path, current=theme), ())
    return _render(settings, language, path, view, theme_folder(language, theme),
                   {other: theme_index_path(other, theme) for other in settings.languages},
                   feed_title=f"{site_title(settings, language)} – {label}")


def render_archive_month(
    settings: Settings, language: str, month: str, releases: Sequence[Release],
    neighbours: tuple[str | None, str | None] = (None, None),
) -> bytes:
    """One month's releases in one language, newest first; links to the months around it.

    `neighbours` is (the newer month with releases, the older one), None at either end.
    """
    path = archive_path(language, month)
    _ = translator(language).gettext
    heading = _("Archives: %(month)s") % {"month": _month_label(month, language)}
    newer, older = neighbours
    pager = [Link(_("All press releases"), relative_url(path, index_path(language)), key="up")]
    if newer:
        pager.append(Link(_("Newer: %(month)s") % {"month": _month_label(newer, language)},
                          relative_url(path, archive_path(language, newer)), key="next"))
    if older:
        pager.append(Link(_("Older: %(month)s") % {"month": _month_label(older, language)},
                          relative_url(path, archive_path(language, older)), key="prev"))
    view = ListingView(heading, listed_releases(settings, language, path, releases), (), (),
                       pager=tuple(pager))
    return _render(settings, language, path, view, language_folder(language),
                   {language: path})


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """One language of the root's chooser, worded in that language."""

    language: str
    name: str
    title: str
    href: str


def render_root_index(settings: Settings) -> bytes:
    """The site's root: a language chooser, each language named and titled in itself."""
    first = settings.languages[0]
    choices = tuple(
        LanguageChoice(language, language_name(language), site_title(settings, language),
                       relative_url(ROOT_INDEX, index_path(language)))
        for language in settings.languages
    )
    frame = page_frame(
        settings, language=first, path=ROOT_INDEX,
        paths_by_language={language: index_path(language) for language in settings.languages},
        feed_folder=language_folder(first), feed_title=site_title(settings, first),
    )
    frame = replace(frame, url=absolute_url(settings.base_url, ""), language_switch=())
    return render_site_page(settings, "root.html", first, {"page": frame, "choices": choices})


def _render(
    settings: Settings, language: str, path: str, view: ListingView, feed_folder: str,
    paths_by_language: dict[str, str], *, feed_title: str | None = None,
) -> bytes:
    frame = page_frame(
        settings, language=language, path=path, paths_by_language=paths_by_language,
        feed_folder=feed_folder, feed_title=feed_title or site_title(settings, language),
    )
    return render_site_page(settings, "listing.html", language, {"page": frame, "listing": view})


def _theme_links(
    settings: Settings, language: str, path: str, current: str = ""
) -> tuple[Link, ...]:
    return tuple(
        Link(theme.label.get(language, slug), relative_url(path, theme_index_path(language, slug)),
             key="page" if slug == current else "")
        for slug, theme in settings.themes.items()
    )


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
