"""View models of a release's content, resolved to one language: for pages and feed entries.

Templates receive these values and only lay them out: the role is already in the page's
language, the phone number already has its `tel:` URI (E.164, RFC 3966) and its readable
form, dates are already worded. Feed entry content (`feed-entry.html`) uses the same views,
so a feed reader sees the same press contacts as a visitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from syndication.contacts import Contact
from syndication.releases import Attachment, Release


@dataclass(frozen=True, slots=True)
class ContactView:
    """A press contact as shown: name, role in the page's language, click-to-call, mailto."""

    name: str
    role: str
    phone: str
    phone_uri: str
    email: str
    email_uri: str


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """A linked document, titled in the page's language."""

    title: str
    url: str
    type: str


@dataclass(frozen=True, slots=True)
class EntryContentView:
    """What a release says in one language: the content of its page and of its feed entries."""

    language: str
    body_html: str  # sanitised by the loader: the one value templates mark |safe
    more_info_html: str | None
    contacts: tuple[ContactView, ...]
    attachments: tuple[AttachmentView, ...]


def view_contact(contact: Contact, language: str) -> ContactView:
    """One contact for a reader of `language`."""
    return ContactView(
        name=contact.name,
        role=contact.role_in(language),
        phone=_phone_display(contact),
        phone_uri=f"tel:{contact.phone}" if contact.phone else "",
        email=contact.email or "",
        email_uri=f"mailto:{quote(contact.email, safe='@')}" if contact.email else "",
    )


@lru_cache(maxsize=4096)
def _phone_text(phone: str) -> str:
    # Parsing a number costs ~100 µs; the same few press numbers appear on thousands of pages.
    return Contact(name="", role={}, phone=phone, email=None).phone_display


def _phone_display(contact: Contact) -> str:
    return _phone_text(contact.phone) if contact.phone else ""


def view_attachment(attachment: Attachment, language: str) -> AttachmentView:
    """One attachment for a reader of `language`."""
    return AttachmentView(
        title=attachment.title_in(language), url=attachment.url, type=attachment.type or ""
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

