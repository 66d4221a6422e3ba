"""The release model: frozen values, one `LanguageVersion` per language the release has."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from syndication.contacts import Contact
from syndication.pickling import PickledByFields


@dataclass(frozen=True, slots=True)
class Attachment(PickledByFields):
    """A linked document (a PDF, a presentation), titled per language."""

    title: Mapping[str, str]
    url: str
    type: str | None
    size: int | None = None  # in bytes, when the release file says (feed enclosures)

    def title_in(self, language: str) -> str:
        """The title in `language`, else in any language, else the URL."""
        return self.title.get(language) or next(iter(self.title.values()), self.url)


@dataclass(frozen=True, slots=True)
class Embargo(PickledByFields):
    """An advance copy for `lists`, sent at `notify_at` (before publication)."""

    lists: tuple[str, ...]
    notify_at: datetime


@dataclass(frozen=True, slots=True)
class Correction(PickledByFields):
    """What a correction (`updated`) changed, per language, and whether to mail a notice."""

    note: Mapping[str, str]
    notify: bool = False

    def note_in(self, language: str) -> str:
        """The note in `language`, else "" (a language without a note shows none)."""
        return self.note.get(language, "")


@dataclass(frozen=True, slots=True)
class LanguageVersion(PickledByFields):
    """The release in one language; HTML is rendered from Markdown and sanitised."""

    language: str
    title: str
    summary: str
    body_html: str
    more_info_html: str | None
    summary_in_body: bool = False  # no summary was written: it is the body's first paragraph


@dataclass(frozen=True, slots=True)
class Release(PickledByFields):
    """One press release, as validated from its file."""

    id: str
    source: str  # the file's path
    published: datetime
    updated: datetime | None
    themes: tuple[str, ...]
    lists: tuple[str, ...]  # empty: every list
    embargo: Embargo | None
    versions: Mapping[str, LanguageVersion]  # in the site's language order
    contacts: tuple[Contact, ...]
    attachments: tuple[Attachment, ...]
    correction: Correction | None = None  # only with `updated`
    # A hash of the file's bytes and of the config it was validated against: equal digests,
    # equal release. Lets a rebuild tell what changed without hashing the content again.
    digest: str = ""

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this release has, in the site's order."""
        return tuple(self.versions)

    @property
    def modified(self) -> datetime:
        """When the release last changed: its correction time, else its publication."""
        return self.updated or self.published

    def is_public(self, at: datetime) -> bool:
        """Whether the release is public at `at` (its `published` instant counts)."""
        return self.published <= at
