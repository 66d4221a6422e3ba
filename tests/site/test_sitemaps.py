"""Sitemaps, robots.txt, sharing metadata and enclosures, parsed as their clients parse them."""

from __future__ import annotations

import json
from datetime import datetime

import feedparser
from lxml import etree, html

from syndication.config import Settings
from tests.site.building import NOW, build, load, output_files, release_toml

BASE = "https://press.example.be"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
REPORT = "2020-11-17-social-situation-report-2020"
TELEWORK = "2021-06-08-telework-well-being-survey"
SENEGAL = "2026-02-10-belincosoc-senegal"


def test_the_sitemap_lists_every_page_with_its_language_versions(
    example_settings: Settings,
) -> None:
    build(example_settings)
    root = etree.parse(str(example_settings.output_dir / "sitemap.xml")).getroot()
    urls = {url.findtext(f"{SITEMAP}loc"): url for url in root.findall(f"{SITEMAP}url")}
    # Every page a search engine should index: the 404 page is not one.
    pages = {f"{BASE}/{path}" for path in output_files(example_settings)
             if path.endswith(".html") and path != "404.html"}
    assert set(urls) == pages
    page = urls[f"{BASE}/nl/{REPORT}.html"]
    alternates = {(link.get("rel"), link.get("hreflang"), link.get("href"))
                  for link in page.findall(f"{XHTML}link")}
    assert alternates == {("alternate", "fr", f"{BASE}/fr/{REPORT}.html"),
                          ("alternate", "nl", f"{BASE}/nl/{REPORT}.html")}
    assert page.findtext(f"{SITEMAP}lastmod") == "2020-11-17T10:00:00+01:00"
    corrected = urls[f"{BASE}/fr/{TELEWORK}.html"]
    assert corrected.findtext(f"{SITEMAP}lastmod") == "2021-06-09T11:30:00+02:00"  # updated
    home = urls[f"{BASE}/fr/index.html"]
    assert {link.get("hreflang") for link in home.findall(f"{XHTML}link")} == {"fr", "nl"}
    assert urls[f"{BASE}/index.html"].find(f"{XHTML}link") is None


def test_the_news_sitemap_holds_the_two_days_before_the_newest_release(
    example_settings: Settings,
) -> None:
    for name, published in (("day-before", "2026-02-09T09:00:00+01:00"),
                            ("three-days-before", "2026-02-07T09:00:00+01:00")):
        (example_settings.releases_dir / f"{name}.toml").write_text(
            release_toml(title=f"Titre {name}", body="Corps.", published=published), "utf-8")
    build(example_settings)
    root = etree.parse(str(example_settings.output_dir / "news-sitemap.xml")).getroot()
    entries = [(url.findtext(f"{SITEMAP}loc"), url.find(f"{NEWS}news"))
               for url in root.findall(f"{SITEMAP}url")]
    assert [loc for loc, _ in entries] == [  # (the Senegal release is in French only)
        f"{BASE}/fr/{SENEGAL}.html", f"{BASE}/fr/day-before.html", f"{BASE}/nl/day-before.html",
    ]
    _, news = entries[0]
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "SPF Sécurité sociale"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "fr"
    assert news.findtext(f"{NEWS}publication_date") == "2026-02-10T16:30:00+01:00"
    _, news = entries[2]
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "FOD Sociale Zekerheid"
    assert news.findtext(f"{NEWS}title") == "Titre day-before"
    assert news.findtext(f"{NEWS}title")
    # Dated by the newest release, not by the clock: a later build writes nothing.
    assert build(example_settings, now=datetime(2026, 12, 1, tzinfo=NOW.tzinfo)).written == []


def test_robots_names_both_sitemaps(example_settings: Settings) -> None:
    build(example_settings)
    robots = (example_settings.output_dir / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    assert f"Sitemap: {BASE}/news-sitemap.xml" in robots


def test_release_pages_carry_open_graph_and_twitter_cards(example_settings: Settings) -> None:
    build(example_settings)
    page = html.fromstring((example_settings.output_dir / f"fr/{TELEWORK}.html").read_bytes())
    meta = {(item.get("property") or item.get("name")): item.get("content")
            for item in page.iter("meta") if item.get("content")}
    release = next(release for release in load(example_settings) if release.id == TELEWORK)
    version = release.versions["fr"]
    assert meta["og:type"] == "article"
    assert meta["og:title"] == version.title
    assert meta["og:description"] == version.summary
    assert meta["og:url"] == f"{BASE}/fr/{TELEWORK}.html"
    assert meta["article:published_time"] == "2021-06-08T14:00:00+02:00"
    assert meta["article:modified_time"] == "2021-06-09T11:30:00+02:00"
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == version.title


def test_attachments_are_enclosures_with_type_and_size(example_settings: Settings) -> None:
    build(example_settings)
    output = example_settings.output_dir
    report = f"{BASE}/files/2020-social-situation-report.pdf"
    summary = f"{BASE}/files/2020-social-situation-summary.pdf"
    atom = feedparser.parse(str(output / "fr/atom.xml"))
    (entry,) = [entry for entry in atom.entries if REPORT in entry.id]
    enclosures = {(item.href, item.type, item.get("length")) for item in entry.enclosures}
    assert enclosures == {(report, "application/pdf", "2483712"),
                          (summary, "application/pdf", None)}
    rss = etree.parse(str(output / "fr/rss.xml")).getroot()
    (item,) = [item for item in rss.iter("item") if REPORT in item.findtext("guid")]
    (enclosure,) = item.findall("enclosure")  # RSS 2.0: one per item, the first one
    assert dict(enclosure.attrib) == {"url": report, "length": "2483712",
                                      "type": "application/pdf"}
    feed = json.loads((output / "fr/feed.json").read_text("utf-8"))
    (json_item,) = [item for item in feed["items"] if REPORT in item["id"]]
    assert [(a["url"], a["mime_type"], a.get("size_in_bytes")) for a in
            json_item["attachments"]] == [(report, "application/pdf", 2483712),
                                          (summary, "application/pdf", None)]


def test_an_attachment_url_keeps_only_uri_characters(example_settings: Settings) -> None:
    text = release_toml(title="Titre", body="Corps.") + (
        '[[attachments]]\ntitle = "Rapport"\n'
        'url = "https://example.org/rapport final.pdf?a=1&b=<2>#é"\ntype = "application/pdf"\n'
    )
    (example_settings.releases_dir / "odd-url.toml").write_text(text, "utf-8")
    build(example_settings)
    atom = etree.parse(str(example_settings.output_dir / "fr/atom.xml")).getroot()
    hrefs = [link.get("href") for link in atom.iter(f"{ATOM}link")
             if link.get("rel") == "enclosure" and "example.org" in link.get("href")]
    assert hrefs == ["https://example.org/rapport%20final.pdf?a=1&b=%3C2%3E#%C3%A9"]
