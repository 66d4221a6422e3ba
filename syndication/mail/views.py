"""The view model of a newsletter: release content resolved to one language, ready to render.

Templates never see a `Release` or `Settings`: they get these small values, already in the
reader's language (titles, roles, attachment names), with HTML marked safe only where it was
sanitised upstream. Whitespace, line breaks included, is collapsed in every one-line value.
Contacts and attachments are the site's own views (`syndication.site.release_views`), and
the release's link is its page's URL (`syndication.site.paths`): a reader of the email and
a visitor of the page see the same contacts, and the link points where the page is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from syndication.config import Settings
from syndication.mail.plaintext import html_to_text
from syndication.releases import Release
from syndication.site.paths import release_url
from syndication.site.release_views import (
    AttachmentView,
    ContactView,
    one_line,
    view_entry_content,
)


@dataclass(frozen=True, slots=True)
class ReleaseView:
    """One release in one language, as a newsletter shows it."""

    id: str
    language: str
    title: str
    summary: str
    summary_in_body: bool  # a lead paragraph would repeat the body's first one
    body_html: Markup
    body_text: str
    more_info_html: Markup | None
    more_info_text: str | None
    published: datetime
    updated: datetime | None  # the correction's time, if corrected
    correction_note: str  # what the correction changed, in this language ("" if none)
    url: str
    contacts: tuple[ContactView, ...]
    attachments: tuple[AttachmentView, ...]


@dataclass(frozen=True, slots=True)
class OrganisationView:
    """The footer's publisher: name, postal address and website, in one language."""

    name: str
    address: str
    website: str | None
    in_sentence: str = ""  # the name as a sentence says it ("le SPF …"), else the name


@dataclass(frozen=True, slots=True)
class Links:
    """Per-recipient values (placeholders while composing) and the confirmation link."""

    address: str
    unsubscribe: str = ""
    preferences: str = ""
    confirm: str = ""


def release_view(settings: Settings, release: Release, language: str) -> ReleaseView:
    """The release in `language` (which it must have) for a template."""
    version = release.versions[language]
    content = view_entry_content(release, language)
    more_info = content.more_info_html
    return ReleaseView(
        id=release.id,
        language=language,
        title=one_line(version.title),
        summary=one_line(version.summary),
        summary_in_body=version.summary_in_body,
        body_html=Markup(content.body_html),  # noqa: S704 - sanitised by releases.markdown
        body_text=html_to_text(content.body_html),
        more_info_html=Markup(more_info) if more_info else None,  # noqa: S704 - sanitised
        more_info_text=html_to_text(more_info) if more_info else None,
        published=release.published,
        updated=release.updated,
        correction_note=one_line(release.correction.note_in(language)) if release.correction
        else "",
        url=release_url(settings.base_url, language, release.id),
        contacts=content.contacts,
        attachments=content.attachments,
    )


def organisation_view(settings: Settings, language: str) -> OrganisationView:
    """The organisation footer in `language`."""
    return OrganisationView(
        name=one_line(settings.organisation_name.get(language, "")),
        address=one_line(settings.organisation_address.get(language, "")),
        website=settings.organisation_website,
        in_sentence=one_line(settings.branding.name_in_sentence.get(language)
                             or settings.organisation_name.get(language, "")),
    )
