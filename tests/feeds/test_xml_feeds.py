"""Atom and RSS of the example site: parsed by feedparser and read element by element."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import feedparser
from lxml import etree

from syndication.config import Settings
from tests.site.building import FUTURE_ID, build, feed_paths

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://press.example.be"
CHINA = "2016-08-31-belincosoc-china"  # summer: +02:00
REPORT = "2020-11-17-social-situation-report-2020"  # winter: +01:00
TELEWORK = "2021-06-08-telework-well-being-survey"  # corrected the next day
SENEGAL = "2026-02-10-belincosoc-senegal"  # French only
INFOSESSIES = "2023-10-05-infosessies-startende-zelfstandigen"  # Dutch only


def atom_entries(settings: Settings, path: str) -> dict[str, etree._Element]:
    """The entries of one Atom feed, by id."""
    root = etree.parse(str(settings.output_dir / path)).getroot()
    return {entry.findtext(f"{ATOM}id"): entry for entry in root.iter(f"{ATOM}entry")}


def test_every_feed_parses_cleanly_in_feedparser(example_settings: Settings) -> None:
    build(example_settings)
    feeds = feed_paths(example_settings, "atom.xml") + feed_paths(example_settings, "rss.xml")
    assert len(feeds) == 2 * 2 * (1 + len(example_settings.themes))
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version in ("atom10", "rss20")
        for entry in parsed.entries:
            assert FUTURE_ID not in entry.id


def test_atom_ids_dates_and_language(example_settings: Settings) -> None:
    build(example_settings)
    root = etree.parse(str(example_settings.output_dir / "fr/atom.xml")).getroot()
    assert root.get(XML_LANG) == "fr"
    assert root.findtext(f"{ATOM}id") == f"{BASE}/fr/atom.xml"
    # The feed's time is its newest entry's (Senegal, winter), not the build's.
    assert root.findtext(f"{ATOM}updated") == "2026-02-10T16:30:00+01:00"
    links = {link.get("rel"): link for link in root.findall(f"{ATOM}link")}
    assert links["self"].get("href") == f"{BASE}/fr/atom.xml"
    assert links["alternate"].get("href") == f"{BASE}/fr/index.html"

    entries = atom_entries(example_settings, "fr/atom.xml")
    ids = list(entries)
    assert ids == [  # newest first, the Dutch-only release absent
        f"tag:press.example.be,2026-02-10:/fr/{SENEGAL}",
        f"tag:press.example.be,2021-06-08:/fr/{TELEWORK}",
        f"tag:press.example.be,2020-11-17:/fr/{REPORT}",
        "tag:press.example.be,2018-01-23:/fr/2018-01-23-disability-file-online",
        f"tag:press.example.be,2016-08-31:/fr/{CHINA}",
    ]
    summer = entries[f"tag:press.example.be,2016-08-31:/fr/{CHINA}"]
    assert summer.findtext(f"{ATOM}published") == "2016-08-31T15:50:00+02:00"
    assert summer.findtext(f"{ATOM}updated") == "2016-08-31T15:50:00+02:00"
    winter = entries[f"tag:press.example.be,2020-11-17:/fr/{REPORT}"]
    assert winter.findtext(f"{ATOM}published") == "2020-11-17T10:00:00+01:00"
    corrected = entries[f"tag:press.example.be,2021-06-08:/fr/{TELEWORK}"]
    assert corrected.findtext(f"{ATOM}published") == "2021-06-08T14:00:00+02:00"
    assert corrected.findtext(f"{ATOM}updated") == "2021-06-09T11:30:00+02:00"


def test_atom_entry_links_categories_and_contacts(example_settings: Settings) -> None:
    build(example_settings)
    entry = atom_entries(example_settings, "nl/atom.xml")[
        f"tag:press.example.be,2020-11-17:/nl/{REPORT}"
    ]
    links = [(link.get("rel"), link.get("hreflang"), link.get("type"), link.get("href"))
             for link in entry.findall(f"{ATOM}link")]
    assert links[0] == ("alternate", "nl", "text/html", f"{BASE}/nl/{REPORT}.html")
    # Exactly one alternate: the translation is no entry link (readers take the last one).
    assert [link for link in links if link[0] == "alternate"] == [links[0]]
    enclosures = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert [link.get("title") for link in enclosures] == [
        "Volledig rapport 2020 (pdf)", "Samenvatting in 4 pagina's"
    ]
    assert {link.get("type") for link in enclosures} == {"application/pdf"}
    categories = [(c.get("term"), c.get("label")) for c in entry.findall(f"{ATOM}category")]
    assert categories == [("social-protection", "Sociale bescherming")]
    contributors = [(c.findtext(f"{ATOM}name"), c.findtext(f"{ATOM}email"),
                     c.findtext(f"{ATOM}uri")) for c in entry.findall(f"{ATOM}contributor")]
    assert ("Marc Dewilde", "marc.dewilde@minsoc.fed.be", "tel:+3225286011") in contributors
    content = entry.findtext(f"{ATOM}content")
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert 'href="tel:+3225286011"' in content
    assert "Perscontacten" in content
    assert "Adviseur-generaal, DG Sociaal Beleid" in content
    assert "Meer informatie" in content


def test_rss_channel_items_and_dates(example_settings: Settings) -> None:
    build(example_settings)
    channel = etree.parse(str(example_settings.output_dir / "nl/rss.xml")).getroot()[0]
    assert channel.findtext("language") == "nl"
    # The channel link is the home page, not the feed's own URL (feedgen's last-link rule).
    assert channel.findtext("link") == f"{BASE}/nl/index.html"
    assert channel.find(f"{ATOM}link").get("href") == f"{BASE}/nl/rss.xml"
    assert channel.findtext("lastBuildDate") == "Thu, 05 Oct 2023 09:30:00 +0200"
    items = {item.findtext("guid"): item for item in channel.iter("item")}
    summer = items[f"tag:press.example.be,2023-10-05:/nl/{INFOSESSIES}"]
    assert summer.findtext("pubDate") == "Thu, 05 Oct 2023 09:30:00 +0200"
    assert summer.find("guid").get("isPermaLink") == "false"
    assert summer.findtext("link") == f"{BASE}/nl/{INFOSESSIES}.html"
    assert [c.text for c in summer.findall("category")] == ["Zelfstandigen", "Sociale bescherming"]
    winter = items["tag:press.example.be,2018-01-23:/nl/2018-01-23-disability-file-online"]
    assert winter.findtext("pubDate") == "Tue, 23 Jan 2018 11:00:00 +0100"
    assert parsedate_to_datetime(winter.findtext("pubDate")).utcoffset().total_seconds() == 3600
    assert "content:encoded" not in winter.findtext("description")
    assert "<p>" in winter.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")


def test_theme_feeds_exist_even_when_empty(example_settings: Settings) -> None:
    build(example_settings)
    # Only the future release is about pensions: its feeds exist, empty, with a fixed time.
    root = etree.parse(str(example_settings.output_dir / "fr/themes/pensions/atom.xml"))
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated") == "2000-01-01T01:00:00+01:00"
    theme = atom_entries(example_settings, "fr/themes/international/atom.xml")
    assert list(theme) == [f"tag:press.example.be,2026-02-10:/fr/{SENEGAL}",
                           f"tag:press.example.be,2016-08-31:/fr/{CHINA}"]
