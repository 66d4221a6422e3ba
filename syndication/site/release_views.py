"""View models of a release's content, resolved to one language: for pages, feeds and emails.

The one presentation of a release's press contacts and attachments: the site's pages, its
feed entries (`feed-entry.html` and the entries' contributors and related links) and the
newsletters (`mail/views.py`, HTML and text parts) all take them from here. Templates
receive these values and only lay them out: the role is already in the reader's language,
the phone number already has its `tel:` URI and its readable form, the address its
`mailto:` URI (all three from `syndication.contacts`). Names, roles and titles are one line
each: a line break in them would break the layout of a text part and means nothing in HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from syndication.contacts import Contact, display_phone, mailto_uri, tel_uri
from syndication.localdates import format_datetime_local, to_local
from syndication.releases import Attachment, Release


@dataclass(frozen=True, slots=True)
class ContactView:
    """A press contact as shown: name, role in the reader's language, click-to-call, mailto."""

    name: str
    role: str
    phone: str  # for reading, "" when the contact has none
    phone_uri: str
    email: str
    email_uri: str


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """A linked document, titled in the reader's language."""

    title: str
    url: str
    type: str
    size: int | None = None  # bytes, when the release file gives it


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """A correction's note in the reader's language and when it was made (`updated`)."""

    note: str
    updated_text: str
    updated_iso: str


@dataclass(frozen=True, slots=True)
class EntryContentView:
    """What a release says in one language: the content of its page and of its feed entries."""

    language: str
    body_html: str  # sanitised by the loader: the one value templates mark |safe
    more_info_html: str | None
    contacts: tuple[ContactView, ...]
    attachments: tuple[AttachmentView, ...]


def one_line(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) into one space."""
    return " ".join(text.split())


def view_contact(contact: Contact, language: str) -> ContactView:
    """One contact for a reader of `language`."""
    return ContactView(
        name=one_line(contact.name),
        role=one_line(contact.role_in(language)),
        phone=display_phone(contact.phone) if contact.phone else "",
        phone_uri=tel_uri(contact.phone) if contact.phone else "",
        email=contact.email or "",
        email_uri=mailto_uri(contact.email) if contact.email else "",
    )


def view_attachment(attachment: Attachment, language: str) -> AttachmentView:
    """One attachment for a reader of `language`."""
    return AttachmentView(
        title=one_line(attachment.title_in(language)),
        url=attachment.url,
        type=attachment.type or "",
        size=attachment.size,
    )


def view_correction(release: Release, language: str, tz: ZoneInfo) -> CorrectionView | None:
    """The correction note of `release` in `language`, or None if it has none there."""
    correction, updated = release.correction, release.updated
    note = correction.note_in(language) if correction is not None else ""
    if not note or updated is None:
        return None
    local = to_local(updated, tz)
    return CorrectionView(
        note=one_line(note),
        updated_text=format_datetime_local(local, language, tz),
        updated_iso=local.isoformat(),
    )


def view_entry_content(release: Release, language: str) -> EntryContentView:
    """The content of `release` in `language` (which it must have)."""
    version = release.versions[language]
    return EntryContentView(
        language=language,
        body_html=version.body_html,
        more_info_html=version.more_info_html,
        contacts=tuple(view_contact(contact, language) for contact in release.contacts),
        attachments=tuple(view_attachment(item, language) for item in release.attachments),
    )
