"""The view model of a newsletter: release content resolved to one language, ready to render.

Templates never see a `Release` or `Settings`: they get these small values, already in the
reader's language (titles, roles, attachment names), with HTML marked safe only where it was
sanitised upstream. Whitespace, line breaks included, is collapsed in every one-line value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from syndication.config import Settings
from syndication.contacts import Contact
from syndication.mail.plaintext import html_to_text
from syndication.releases import Release


@dataclass(frozen=True, slots=True)
class ContactView:
    """A press contact: `phone` is E.164 (the `phone` and `tel` filters format it)."""

    name: str
    role: str
    phone: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """A linked document, titled in the reader's language."""

    title: str
    url: str
    type: str | None


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
    url: str
    contacts: tuple[ContactView, ...]
    attachments: tuple[AttachmentView, ...]


@dataclass(frozen=True, slots=True)
class OrganisationView:
    """The footer's publisher: name, postal address and website, in one language."""

    name: str
    address: str
    website: str | None


@dataclass(frozen=True, slots=True)
class Links:
    """Per-recipient values (placeholders while composing) and the confirmation link."""

    address: str
    unsubscribe: str = ""
    preferences: str = ""
    confirm: str = ""


def one_line(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) into one space."""
    return " ".join(text.split())


def page_url(settings: Settings, release_id: str, language: str) -> str:
    """The release's web page in `language`: `{base_url}/{lang}/{id}.html`."""
    return f"{settings.base_url}/{language}/{release_id}.html"


def release_view(settings: Settings, release: Release, language: str) -> ReleaseView:
    """The release in `language` (which it must have) for a template."""
    version = release.versions[language]
    more_info = version.more_info_html
    return ReleaseView(
        id=release.id,
        language=language,
        title=one_line(version.title),
        summary=one_line(version.summary),
        summary_in_body=version.summary_in_body,
        body_html=Markup(version.body_html),  # noqa: S704 - sanitised by releases.markdown
        body_text=html_to_text(version.body_html),
        more_info_html=Markup(more_info) if more_info else None,  # noqa: S704 - sanitised
        more_info_text=html_to_text(more_info) if more_info else None,
        published=release.published,
        url=page_url(settings, release.id, language),
        contacts=tuple(contact_view(contact, language) for contact in release.contacts),
        attachments=tuple(
            AttachmentView(one_line(item.title_in(language)), item.url, item.type)
            for item in release.attachments
        ),
    )


def contact_view(contact: Contact, language: str) -> ContactView:
    """A contact with its role in `language`."""
    return ContactView(
        name=one_line(contact.name),
        role=one_line(contact.role_in(language)),
        phone=contact.phone,
        email=contact.email,
    )


def organisation_view(settings: Settings, language: str) -> OrganisationView:
    """The organisation footer in `language`."""
    return OrganisationView(
        name=one_line(settings.organisation_name.get(language, "")),
        address=one_line(settings.organisation_address.get(language, "")),
        website=settings.organisation_website,
    )
