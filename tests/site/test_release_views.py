"""One presentation of contacts and attachments: pages, feeds and emails show the same."""

from __future__ import annotations

import dataclasses

from lxml import html

from syndication.config import Settings
from syndication.contacts import Contact
from syndication.feeds.definitions import FeedDocuments, define_feeds
from syndication.mail import MailKind, compose_mailing
from syndication.pages.release import render_release_page
from syndication.releases import Attachment, Release
from syndication.site.paths import release_url
from syndication.site.release_views import view_attachment, view_contact
from tests.mail.conftest import html_of, parse, personalise_for, text_of
from tests.site.building import NOW, load

SEED = "2016-08-31-belincosoc-china"
CONTACT = Contact(
    name="Jean\nDupont", role={"fr": "Porte-parole\r\n(francophone)", "nl": "Woordvoerder"},
    phone="+32473636124", email="o'brien+presse@example.be",
)
ATTACHMENT = Attachment(title={"fr": "Le  rapport\n2016"}, url="https://example.be/r.pdf",
                        type="application/pdf")
MAILTO = "mailto:o'brien+presse@example.be"


def with_contact(settings: Settings) -> Release:
    seed = next(release for release in load(settings) if release.id == SEED)
    return dataclasses.replace(seed, contacts=(CONTACT,), attachments=(ATTACHMENT,))


def test_a_contact_is_one_line_values_ready_to_link() -> None:
    view = view_contact(CONTACT, "fr")
    assert (view.name, view.role) == ("Jean Dupont", "Porte-parole (francophone)")
    assert (view.phone, view.phone_uri) == ("+32 473 63 61 24", "tel:+32473636124")
    assert (view.email, view.email_uri) == ("o'brien+presse@example.be", MAILTO)
    assert view_contact(CONTACT, "de").role == ""
    attachment = view_attachment(ATTACHMENT, "nl")  # no Dutch title: the French one
    assert (attachment.title, attachment.type) == ("Le rapport 2016", "application/pdf")
    untyped = dataclasses.replace(ATTACHMENT, type=None)
    assert view_attachment(untyped, "fr").type == ""


def contact_links(fragment: str) -> list[tuple[str, str]]:
    """The (href, text) of every tel: and mailto: link of an HTML document or fragment."""
    document = html.fromstring(fragment)
    return [(link.get("href"), link.text_content()) for link in document.iter("a")
            if link.get("href", "").startswith(("tel:", "mailto:"))]


EXPECTED_LINKS = [("tel:+32473636124", "+32 473 63 61 24"),
                  (MAILTO, "o'brien+presse@example.be")]


def test_page_feed_and_email_show_the_same_contact(example_settings: Settings) -> None:
    release = with_contact(example_settings)

    page = render_release_page(example_settings, release, "fr").decode("utf-8")
    assert contact_links(page) == EXPECTED_LINKS
    assert html.fromstring(page).findtext(".//li[@class='h-card']/strong") == "Jean Dupont"

    (definition,) = [item for item in define_feeds(example_settings, [release], now=NOW)
                     if item.folder == "fr"]
    (entry,) = FeedDocuments(example_settings).document(definition).entries
    assert contact_links(entry.content_html) == EXPECTED_LINKS
    (person,) = entry.contributors
    assert (person.name, person.email, person.uri) == (
        "Jean Dupont", "o'brien+presse@example.be", "tel:+32473636124"
    )
    (related,) = [link for link in entry.links if link.rel == "enclosure"]
    assert (related.title, related.media_type) == ("Le rapport 2016", "application/pdf")
    assert entry.url == release_url(example_settings.base_url, "fr", SEED)

    template = compose_mailing(example_settings, kind=MailKind.ALERT, releases=(release,),
                               languages=("fr",), list_id="press")
    message = parse(personalise_for(template))
    assert contact_links(html_of(message)) == EXPECTED_LINKS
    text = text_of(message)
    assert "+32 473 63 61 24 <tel:+32473636124>" in text
    assert f"o'brien+presse@example.be <{MAILTO}>" in text
    assert "- Jean Dupont Porte-parole (francophone)" in text  # text_of joins the lines
    assert "- Le rapport 2016 https://example.be/r.pdf" in text
    assert release_url(example_settings.base_url, "fr", SEED) in text
