"""The page of one language version of a release: `/{lang}/{id}.html`.

Title, publication (and correction) date worded in the page's language and the site's zone,
body, more information, press contacts with `tel:` and `mailto:` links, attachments, links
to the other language versions (visible and as hreflang alternates), the language's feeds
for autodiscovery, and schema.org `NewsArticle` JSON-LD.
"""

from __future__ import annotations

from dataclasses import dataclass

from syndication.config import Settings
from syndication.localdates import format_datetime_local, to_local
from syndication.pages.frame import PageFrame, page_frame, render_site_page, site_title
from syndication.pages.jsonld import news_article, script_safe_json
from syndication.releases import Release
from syndication.site.paths import (
    language_folder,
    relative_url,
    release_path,
    release_url,
    theme_index_path,
)
from syndication.site.release_views import (
    CorrectionView,
    EntryContentView,
    view_correction,
    view_entry_content,
)


@dataclass(frozen=True, slots=True)
class ThemeLink:
    """A theme, labelled in the page's language, linking to its page."""

    label: str
    href: str


@dataclass(frozen=True, slots=True)
class ReleasePageView:
    """The main content of a release page."""

    title: str
    summary: str
    published_text: str
    published_iso: str
    updated_text: str | None
    updated_iso: str | None
    themes: tuple[ThemeLink, ...]
    content: EntryContentView
    correction: CorrectionView | None
    json_ld: str


def render_release_page(settings: Settings, release: Release, language: str) -> bytes:
    """The HTML page of `release` in `language` (which it must have)."""
    path = release_path(language, release.id)
    frame = page_frame(
        settings, language=language, path=path,
        paths_by_language={other: release_path(other, release.id) for other in release.languages},
        feed_folder=language_folder(language), feed_title=site_title(settings, language),
    )
    view = view_release(settings, release, language, frame)
    return render_site_page(settings, "release.html", language, {"page": frame, "release": view})


def view_release(
    settings: Settings, release: Release, language: str, frame: PageFrame
) -> ReleasePageView:
    """The view model of the page of `release` in `language`."""
    tz = settings.timezone
    version = release.versions[language]
    published = to_local(release.published, tz)
    updated = to_local(release.updated, tz) if release.updated else None
    themes = tuple(
        ThemeLink(
            label=settings.themes[slug].label.get(language, slug),
            href=relative_url(release_path(language, release.id), theme_index_path(language, slug)),
        )
        for slug in release.themes if slug in settings.themes
    )
    article = news_article(
        url=frame.url, headline=version.title, description=version.summary, language=language,
        published=published, modified=updated or published, publisher=frame.organisation,
        publisher_url=settings.organisation_website,
        keywords=[theme.label for theme in themes],
        translations=[
            (other, release_url(settings.base_url, other, release.id))
            for other in release.languages if other != language
        ],
    )
    return ReleasePageView(
        title=version.title,
        summary=version.summary,
        published_text=format_datetime_local(published, language, tz),
        published_iso=published.isoformat(),
        updated_text=format_datetime_local(updated, language, tz) if updated else None,
        updated_iso=updated.isoformat() if updated else None,
        themes=themes,
        content=view_entry_content(release, language),
        correction=view_correction(release, language, tz),
        json_ld=script_safe_json(article),
    )
