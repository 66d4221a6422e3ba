"""Which feeds the site has and what is in them: releases and config in, `FeedDocument`s out.

Per language, one feed of every release in that language and one per configured theme
(written even when empty). Only releases public at `now` appear.

Decisions:
- Entries are ordered newest first by `published` and a feed keeps the newest
  `settings.feed_items`. A correction changes its entry's `updated` in place; it does not move
  the entry to the top (readers see the change; news order stays publication order).
- Entry ids are RFC 4151 tag URIs, `tag:{host},{published day}:{path}/{lang}/{release id}`:
  fixed by the release's id, language and first publication day, so a correction (or a
  change of page template) never makes a new entry.
- A feed's `updated` is its newest entry's `modified` time. An empty feed uses a constant,
  2000-01-01T00:00Z, so no rebuild rewrites it (the newest time of the other feeds would
  rewrite every empty theme feed at each publication, for no news in it). Not the Unix
  epoch: the W3C feed validator flags any date before 1990 as implausible.
- Every time is expressed in the site's zone, so offsets read +01:00 in winter and +02:00 in
  summer in Brussels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from syndication.config import Settings, Theme
from syndication.feeds.model import (
    FeedCategory,
    FeedDocument,
    FeedEntry,
    FeedLink,
    FeedPerson,
)
from syndication.localdates import to_local
from syndication.releases import Release
from syndication.site.paths import (
    FeedFormat,
    absolute_url,
    feed_path,
    index_path,
    language_folder,
    release_url,
    tag_authority,
    theme_folder,
    theme_index_path,
    themes_folder,
)
from syndication.site.release_views import view_entry_content
from syndication.site.templates import render_site_template
from syndication.translations import translator

EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)


def public_newest_first(releases: Sequence[Release], now: datetime) -> list[Release]:
    """The releases public at `now`, newest publication first (ties broken by id)."""
    public = [release for release in releases if release.is_public(now)]
    public.sort(key=lambda release: (release.published, release.id), reverse=True)
    return public


@dataclass(frozen=True, slots=True)
class FeedDefinition:
    """What one feed holds: a language, a theme or none, and its releases newest first."""

    folder: str
    language: str
    theme: Theme | None
    releases: tuple[Release, ...]


def define_feeds(
    settings: Settings, releases: Sequence[Release], *, now: datetime
) -> list[FeedDefinition]:
    """Every feed of the site, in a fixed order: per language, its own feed then its themes'."""
    public = public_newest_first(releases, now)
    limit = settings.feed_items
    definitions = []
    for language in settings.languages:
        in_language = [release for release in public if language in release.versions]
        definitions.append(FeedDefinition(
            language_folder(language), language, None, tuple(in_language[:limit])
        ))
        by_theme: dict[str, list[Release]] = {slug: [] for slug in settings.themes}
        for release in in_language:
            for slug in release.themes:
                chosen = by_theme.get(slug)
                if chosen is not None and len(chosen) < limit:
                    chosen.append(release)
        definitions.extend(
            FeedDefinition(theme_folder(language, slug), language, theme, tuple(by_theme[slug]))
            for slug, theme in settings.themes.items()
        )
    return definitions


class FeedDocuments:
    """Turns definitions into documents, making each entry once however many feeds share it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._makers: dict[str, _EntryMaker] = {}
        self._documents: dict[str, FeedDocument] = {}

    def document(self, definition: FeedDefinition) -> FeedDocument:
        """The document of one feed (built once, then remembered)."""
        document = self._documents.get(definition.folder)
        if document is None:
            maker = self._makers.get(definition.language)
            if maker is None:
                maker = self._makers[definition.language] = _EntryMaker(
                    self.settings, definition.language
                )
            document = self._documents[definition.folder] = _document(
                self.settings, definition, maker
            )
        return document


def entry_id(settings: Settings, release: Release, language: str) -> str:
    """The RFC 4151 tag URI of one language version of a release (stable for its life)."""
    host, prefix = tag_authority(settings.base_url)
    day = to_local(release.published, settings.timezone).date().isoformat()
    return f"tag:{host},{day}:{prefix}/{language}/{release.id}"


class _EntryMaker:
    """Builds each entry once per build, however many feeds it appears in."""

    def __init__(self, settings: Settings, language: str) -> None:
        self.settings = settings
        self.language = language
        self.translate = translator(language).gettext
        self.made: dict[str, FeedEntry] = {}

    def entry(self, release: Release) -> FeedEntry:
        made = self.made.get(release.id)
        if made is None:
            made = self.made[release.id] = self._make(release)
        return made

    def _make(self, release: Release) -> FeedEntry:
        settings, language = self.settings, self.language
        version = release.versions[language]
        view = view_entry_content(release, language)
        content = render_site_template("feed-entry.html", language, {"content": view},
                                       overrides=settings.branding.template_roots)
        links = [
            FeedLink(href=release_url(settings.base_url, other, release.id),
                     rel="alternate", media_type="text/html", hreflang=other,
                     title=release.versions[other].title)
            for other in release.languages if other != language
        ]
        links.extend(
            FeedLink(href=attachment.url, rel="related", media_type=attachment.type or None,
                     title=attachment.title)
            for attachment in view.attachments
        )
        return FeedEntry(
            id=entry_id(settings, release, language),
            url=release_url(settings.base_url, language, release.id),
            title=version.title,
            summary=version.summary,
            content_html=content,
            published=to_local(release.published, settings.timezone),
            updated=to_local(release.modified, settings.timezone),
            categories=tuple(
                _category(settings, language, settings.themes[slug])
                for slug in release.themes if slug in settings.themes
            ),
            contributors=tuple(
                FeedPerson(name=contact.name, email=contact.email or None,
                           uri=contact.phone_uri or None)
                for contact in view.contacts
            ),
            links=tuple(links),
        )


def _category(settings: Settings, language: str, theme: Theme) -> FeedCategory:
    return FeedCategory(
        term=theme.slug,
        label=theme.label.get(language, theme.slug),
        scheme=absolute_url(settings.base_url, f"{themes_folder(language)}/"),
    )


def _document(
    settings: Settings, definition: FeedDefinition, entries: _EntryMaker
) -> FeedDocument:
    language, theme = definition.language, definition.theme
    _ = entries.translate
    site_title = settings.title.get(language) or _("Press releases")
    organisation = settings.organisation_name.get(language) or site_title
    description = _("Press releases of %(organisation)s") % {
        "organisation": organisation
    }
    home, title = index_path(language), site_title
    if theme is not None:
        label = theme.label.get(language, theme.slug)
        home = theme_index_path(language, theme.slug)
        title = f"{site_title} – {label}"
        description = f"{description} – {label}"
    made = tuple(entries.entry(release) for release in definition.releases)
    updated = max((entry.updated for entry in made), default=EMPTY_FEED_UPDATED)
    return FeedDocument(
        folder=definition.folder,
        id=absolute_url(settings.base_url, feed_path(definition.folder, FeedFormat.ATOM)),
        language=language,
        title=title,
        description=description,
        home_url=absolute_url(settings.base_url, home),
        base_url=settings.base_url,
        updated=to_local(updated, settings.timezone),
        author=FeedPerson(name=organisation, uri=settings.organisation_website),
        entries=made,
    )
