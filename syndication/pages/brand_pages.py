"""The site's pages that are not about a release: press contacts with vCards, and the 404.

`/{lang}/contacts.html` lists the config's contacts (`[contacts.<key>]`) with click-to-call,
mailto and a vCard download each (`/{lang}/contacts/{key}.vcf`, the role in that language).
`/404.html` says "not found" in every site language (a static server or `run` answers it
for any unknown path, so its links start from the site's root).
"""

from __future__ import annotations

from dataclasses import dataclass

from syndication.config import Settings
from syndication.localdates import language_name
from syndication.pages.frame import page_frame, render_site_page, site_title
from syndication.pages.vcard import VCardContact, render_vcard
from syndication.site.paths import (
    NOT_FOUND,
    contacts_path,
    index_path,
    language_folder,
    relative_url,
    root_path_prefix,
    vcard_path,
)
from syndication.site.release_views import ContactView, view_contact
from syndication.translations import translator


@dataclass(frozen=True, slots=True)
class ContactCard:
    """A config contact on the contacts page, with its vCard link."""

    contact: ContactView
    vcard_href: str


@dataclass(frozen=True, slots=True)
class NotFoundText:
    """The 404's words in one language, and the way back to that language's home."""

    language: str
    heading: str
    message: str
    home_label: str
    home_href: str


def render_contacts_page(settings: Settings, language: str) -> bytes:
    """The press contacts page of `language`."""
    path = contacts_path(language)
    frame = page_frame(
        settings, language=language, path=path,
        paths_by_language={other: contacts_path(other) for other in settings.languages},
        feed_folder=language_folder(language), feed_title=site_title(settings, language),
    )
    cards = tuple(
        ContactCard(view_contact(contact, language),
                    relative_url(path, vcard_path(language, key)))
        for key, contact in settings.contacts.items()
    )
    return render_site_page(settings, "contacts.html", language, {"page": frame, "cards": cards})


def render_contact_vcard(settings: Settings, language: str, key: str) -> bytes:
    """The vCard of config contact `key`, its role in `language`."""
    contact = settings.contacts[key]
    return render_vcard(VCardContact(
        name=contact.name, role=contact.role_in(language),
        organisation=settings.organisation_name.get(language, ""), phone=contact.phone,
        email=contact.email, website=settings.organisation_website, language=language,
    ))


def render_not_found(settings: Settings) -> bytes:
    """The 404 page: its message in every site language, links from the site's root."""
    prefix = root_path_prefix(settings.base_url)
    first = settings.languages[0]
    frame = page_frame(
        settings, language=first, path=NOT_FOUND, paths_by_language={},
        feed_folder=language_folder(first), feed_title=site_title(settings, first),
        root_prefix=prefix,
    )
    texts = []
    for language in settings.languages:
        _ = translator(language).gettext
        texts.append(NotFoundText(
            language=language,
            heading=_("Page not found"),
            message=_("The page you asked for does not exist or has moved."),
            home_label=_("Latest press releases") + f" ({language_name(language)})",
            home_href=prefix + index_path(language),
        ))
    return render_site_page(settings, "404.html", first, {"page": frame, "texts": texts})
