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
    feed_archive_path,
    feed_path,
    index_path,
    language_folder,
    release_url,
    tag_authority,
    theme_folder,
    theme_index_path,
    themes_folder,
)
from syndication.site.release_views import view_correction, view_entry_content
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
    """What one feed holds: a language, a theme or none, and its releases newest first.

    `releases` is the current feed (the newest `feeds.items`); `archives` are its RFC 5005
    archive documents, oldest first, each exactly `feeds.items` releases (see `archives`).
    """

    folder: str
    language: str
    theme: Theme | None
    releases: tuple[Release, ...]
    archives: tuple[ArchiveDefinition, ...] = ()


@dataclass(frozen=True, slots=True)
class ArchiveDefinition:
    """One RFC 5005 archive document: page `page` (1 = the oldest) of a feed's releases.

    Pages are fixed slices of the feed's releases in publication order, `feeds.items`
    each, and only full slices are pages: a page never changes again once written, unless
    one of its releases is corrected (or one is withdrawn or backdated into it), except that
    the newest page gains its `next-archive` link when the next one fills up.
    """

    folder: str
    language: str
    theme: Theme | None
    page: int
    releases: tuple[Release, ...]  # newest first, like the feed
    newest: bool  # the newest archive page: the current feed's `prev-archive`


def archives(
    folder: str, language: str, theme: Theme | None, every: Sequence[Release], limit: int
) -> tuple[ArchiveDefinition, ...]:
    """The archive pages of a feed whose releases (newest first) are `every`.

    Page k holds the releases k·limit-limit … k·limit-1 counted from the oldest; there are
    len(every) // limit full pages, so every release older than the current feed's
    newest `limit` is on a page (the newest page may also hold some of the current
    feed's, which RFC 5005 §4 allows: the newer document's entry wins).
    """
    if len(every) <= limit:
        return ()  # the feed is complete: nothing is cut, no archive
    oldest_first = every[::-1]
    count = len(every) // limit
    return tuple(
        ArchiveDefinition(
            folder, language, theme, page,
            tuple(oldest_first[(page - 1) * limit:page * limit][::-1]), page == count,
        )
        for page in range(1, count + 1)
    )


def define_feeds(
    settings: Settings, releases: Sequence[Release], *, now: datetime
) -> list[FeedDefinition]:
    """Every feed of the site, in a fixed order: per language, its own feed then its themes'."""
    public = public_newest_first(releases, now)
    limit = settings.feed_items
    definitions = []
    for language in settings.languages:
        in_language = [release for release in public if language in release.versions]
        folder = language_folder(language)
        definitions.append(FeedDefinition(
            folder, language, None, tuple(in_language[:limit]),
            archives(folder, language, None, in_language, limit),
        ))
        by_theme: dict[str, list[Release]] = {slug: [] for slug in settings.themes}
        for release in in_language:
            for slug in release.themes:
                chosen = by_theme.get(slug)
                if chosen is not None:
                    chosen.append(release)
        for slug, theme in settings.themes.items():
            folder, every = theme_folder(language, slug), by_theme[slug]
            definitions.append(FeedDefinition(
                folder, language, theme, tuple(every[:limit]),
                archives(folder, language, theme, every, limit),
            ))
    return definitions


class FeedDocuments:
    """Turns definitions into documents, making each entry once however many feeds share it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._makers: dict[str, _EntryMaker] = {}
        self._documents: dict[str, FeedDocument] = {}
        # Each entry's Atom bytes, by entry id, once per build (`atom_rss.render_atom`).
        self.atom_entries: dict[str, bytes] = {}

    def document(self, definition: FeedDefinition) -> FeedDocument:
        """The document of one feed (built once, then remembered)."""
        document = self._documents.get(definition.folder)
        if document is None:
            maker = self._maker(definition.language)
            document = self._documents[definition.folder] = _document(
                self.settings, definition, maker
            )
        return document

    def archive(self, archive: ArchiveDefinition) -> FeedDocument:
        """The document of one archive page (its entries shared with the other feeds)."""
        maker = self._maker(archive.language)
        return _archive_document(self.settings, archive, maker)

    def _maker(self, language: str) -> _EntryMaker:
        maker = self._makers.get(language)
        if maker is None:
            maker = self._makers[language] = _EntryMaker(self.settings, language)
        return maker


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
        correction = view_correction(release, language, settings.timezone)
        content = render_site_template(
            "feed-entry.html", language, {"content": view, "correction": correction},
            overrides=settings.branding.template_roots,
        )
        # Exactly one alternate per entry, its page in the feed's language (written by the
        # serialiser): feedparser, newsboat and rss2email follow the *last* alternate, so a
        # link to the translation here sent French readers to Dutch pages. The translation
        # stays an hreflang alternate of the pages, never of a feed entry.
        links = [
            FeedLink(href=attachment.url, rel="enclosure",
                     media_type=attachment.type or "application/octet-stream",
                     title=attachment.title, length=attachment.size)
            for attachment in view.attachments
        ]
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
    history: tuple[FeedLink, ...] = ()
    if definition.archives:  # RFC 5005 §4: a cut feed links its newest archive page
        newest = definition.archives[-1]
        history = (_history_link(settings, "prev-archive", definition.folder, newest.page),)
    return _feed_document(settings, definition.folder, definition.language, definition.theme,
                          definition.releases, entries, hubs=settings.websub_hubs,
                          history=history)


def _archive_document(
    settings: Settings, archive: ArchiveDefinition, entries: _EntryMaker
) -> FeedDocument:
    folder, page = archive.folder, archive.page
    current = FeedLink(
        href=absolute_url(settings.base_url, feed_path(folder, FeedFormat.ATOM)), rel="current",
        media_type=FeedFormat.ATOM.media_type,
    )
    history = [current]  # RFC 5005 §4: current, prev-archive, next-archive
    if page > 1:
        history.append(_history_link(settings, "prev-archive", folder, page - 1))
    if not archive.newest:
        history.append(_history_link(settings, "next-archive", folder, page + 1))
    return _feed_document(settings, folder, archive.language, archive.theme, archive.releases,
                          entries, history=tuple(history), archive_page=page)


def _history_link(settings: Settings, rel: str, folder: str, page: int) -> FeedLink:
    return FeedLink(href=absolute_url(settings.base_url, feed_archive_path(folder, page)),
                    rel=rel, media_type=FeedFormat.ATOM.media_type)


def _feed_document(
    settings: Settings, folder: str, language: str, theme: Theme | None,
    releases: tuple[Release, ...], entries: _EntryMaker, *, hubs: tuple[str, ...] = (),
    history: tuple[FeedLink, ...] = (), archive_page: int | None = None,
) -> FeedDocument:
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
    made = tuple(entries.entry(release) for release in releases)
    updated = max((entry.updated for entry in made), default=EMPTY_FEED_UPDATED)
    return FeedDocument(
        folder=folder,
        # One logical feed (RFC 5005): its archive pages share the current feed's id.
        id=absolute_url(settings.base_url, feed_path(folder, FeedFormat.ATOM)),
        language=language,
        title=title,
        description=description,
        home_url=absolute_url(settings.base_url, home),
        base_url=settings.base_url,
        updated=to_local(updated, settings.timezone),
        author=FeedPerson(name=organisation, uri=settings.organisation_website),
        entries=made,
        hubs=hubs,
        history=history,
        archive_page=archive_page,
    )
