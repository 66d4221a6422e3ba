"""The page of a release in each of its languages: words, dates, contacts, links, JSON-LD."""

from __future__ import annotations

import json

from lxml import html

from syndication.config import Settings
from tests.site.building import build

BASE = "https://press.example.be"
CHINA = "2016-08-31-belincosoc-china"
REPORT = "2020-11-17-social-situation-report-2020"
TELEWORK = "2021-06-08-telework-well-being-survey"
SENEGAL = "2026-02-10-belincosoc-senegal"


def page(settings: Settings, path: str) -> html.HtmlElement:
    """A built page, parsed."""
    return html.fromstring((settings.output_dir / path).read_bytes())


def test_release_page_in_french_and_dutch(example_settings: Settings) -> None:
    build(example_settings)
    french = page(example_settings, f"fr/{CHINA}.html")
    assert french.get("lang") == "fr"
    assert french.findtext(".//h1").startswith("Le SPF Sécurité sociale partage son expérience")
    published = french.xpath("//p[@class='dates']/time")[0]
    assert published.get("datetime") == "2016-08-31T15:50:00+02:00"
    assert published.text == "Publié le 31 août 2016, 15:50"
    assert [h2.text for h2 in french.xpath("//main//h2")] == [
        "Plus d'information", "Contacts presse"
    ]
    dutch = page(example_settings, f"nl/{CHINA}.html")
    assert dutch.xpath("//p[@class='dates']/time")[0].text == (
        "Gepubliceerd op 31 augustus 2016, 15:50"
    )
    assert [h2.text for h2 in dutch.xpath("//main//h2")] == ["Meer informatie", "Perscontacten"]


def test_contacts_have_tel_and_mailto_links_and_roles_in_the_language(
    example_settings: Settings,
) -> None:
    build(example_settings)
    contacts = page(example_settings, f"nl/{CHINA}.html").xpath("//section[@class='contacts']")[0]
    cards = contacts.xpath(".//li")
    assert [card.findtext("strong") for card in cards] == [
        "Koen Vleminckx", "Service de presse / Persdienst", "Evelien De Vos"
    ]
    koen = cards[0]
    assert koen.xpath(".//span[@class='p-role']")[0].text == "Directeur Internationale Samenwerking"
    links = {link.get("href"): link.text for link in koen.iter("a")}
    assert links == {
        "tel:+32473636124": "+32 473 63 61 24",
        "mailto:koen.vleminckx@minsoc.fed.be": "koen.vleminckx@minsoc.fed.be",
    }


def test_links_to_the_other_language_and_hreflang_alternates(example_settings: Settings) -> None:
    build(example_settings)
    french = page(example_settings, f"fr/{REPORT}.html")
    switch = french.xpath("//header//a[@hreflang]")
    assert [(a.get("href"), a.text) for a in switch] == [(f"../nl/{REPORT}.html", "Nederlands")]
    alternates = {link.get("hreflang"): link.get("href")
                  for link in french.xpath("//link[@rel='alternate'][@hreflang]")}
    assert alternates == {"fr": f"{BASE}/fr/{REPORT}.html", "nl": f"{BASE}/nl/{REPORT}.html"}
    assert french.xpath("//link[@rel='canonical']")[0].get("href") == f"{BASE}/fr/{REPORT}.html"
    feeds = {link.get("type"): link.get("href")
             for link in french.xpath("//link[@rel='alternate'][@type]")}
    assert feeds == {"application/atom+xml": f"{BASE}/fr/atom.xml",
                     "application/rss+xml": f"{BASE}/fr/rss.xml",
                     "application/feed+json": f"{BASE}/fr/feed.json"}
    # A release in one language only has one page; its language switch leads to the other
    # language's home (there is no translation to link to), and no hreflang claims one.
    assert not (example_settings.output_dir / f"nl/{SENEGAL}.html").exists()
    senegal = page(example_settings, f"fr/{SENEGAL}.html")
    assert [(a.get("href"), a.text) for a in senegal.xpath("//header//a[@hreflang]")] == [
        ("../nl/index.html", "Nederlands")]
    assert [link.get("hreflang") for link in
            senegal.xpath("//link[@rel='alternate'][@hreflang]")] == ["fr"]


def test_attachments_and_themes(example_settings: Settings) -> None:
    build(example_settings)
    report = page(example_settings, f"fr/{REPORT}.html")
    attachments = report.xpath("//section[@class='attachments']//a")
    assert [(a.text, a.get("type")) for a in attachments] == [
        ("Rapport complet 2020 (PDF)", "application/pdf"), ("Synthèse en 4 pages", "application/pdf")
    ]
    themes = report.xpath("//ul[@class='themes']//a")
    assert [(a.text, a.get("href")) for a in themes] == [
        ("Protection sociale", "themes/social-protection/index.html")
    ]


def test_news_article_json_ld(example_settings: Settings) -> None:
    build(example_settings)
    corrected = page(example_settings, f"nl/{TELEWORK}.html")
    (script,) = corrected.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["url"] == f"{BASE}/nl/{TELEWORK}.html"
    assert data["inLanguage"] == "nl"
    assert data["headline"].startswith("Telewerk: één werknemer op drie")
    assert data["datePublished"] == "2021-06-08T14:00:00+02:00"
    assert data["dateModified"] == "2021-06-09T11:30:00+02:00"
    assert data["publisher"]["name"] == "FOD Sociale Zekerheid"
    assert data["workTranslation"] == [
        {"@type": "NewsArticle", "@id": f"{BASE}/fr/{TELEWORK}.html", "inLanguage": "fr"}
    ]
    updated = corrected.xpath("//p[@class='dates']/time")[1]
    assert updated.text == "Bijgewerkt op 9 juni 2021, 11:30"
