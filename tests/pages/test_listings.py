"""Listing pages: each language's home, theme pages, monthly archives and the root."""

from __future__ import annotations

import dataclasses

from lxml import html

from syndication.config import Settings
from tests.site.building import build

BASE = "https://press.example.be"


def page(settings: Settings, path: str) -> html.HtmlElement:
    """A built page, parsed."""
    return html.fromstring((settings.output_dir / path).read_bytes())


def test_language_home_lists_newest_first_with_feed_autodiscovery(
    example_settings: Settings,
) -> None:
    build(example_settings)
    home = page(example_settings, "nl/index.html")
    assert home.get("lang") == "nl"
    listed = [a.get("href") for a in home.xpath("//ol[@class='releases']/li/a")]
    assert listed == [
        "2023-10-05-infosessies-startende-zelfstandigen.html",
        "2021-06-08-telework-well-being-survey.html",
        "2020-11-17-social-situation-report-2020.html",
        "2018-01-23-disability-file-online.html",
        "2016-08-31-belincosoc-china.html",
    ]
    dates = [time.text for time in home.xpath("//ol[@class='releases']//time")]
    assert dates[0] == "5 oktober 2023"
    feeds = {link.get("type"): link.get("href")
             for link in home.xpath("//link[@rel='alternate'][@type]")}
    assert feeds == {"application/atom+xml": f"{BASE}/nl/atom.xml",
                     "application/rss+xml": f"{BASE}/nl/rss.xml",
                     "application/feed+json": f"{BASE}/nl/feed.json"}
    months = [(a.get("href"), a.text) for a in home.xpath("//nav//a[starts-with(@href, 'archive/')]")]
    assert months[0] == ("archive/2023-10.html", "oktober 2023")
    assert months[-1] == ("archive/2016-08.html", "augustus 2016")


def test_home_is_cut_at_feed_items_and_older_releases_are_in_archives(
    example_settings: Settings,
) -> None:
    settings = dataclasses.replace(example_settings, feed_items=2)
    build(settings)
    home = page(settings, "fr/index.html")
    assert len(home.xpath("//ol[@class='releases']/li")) == 2
    archive = page(settings, "fr/archive/2016-08.html")
    assert archive.findtext(".//h1") == "Archives : août 2016"
    assert [a.get("href") for a in archive.xpath("//ol[@class='releases']/li/a")] == [
        "../2016-08-31-belincosoc-china.html"
    ]


def test_theme_pages_exist_in_every_language_even_when_empty(example_settings: Settings) -> None:
    build(example_settings)
    for language in example_settings.languages:
        for slug in example_settings.themes:
            assert (example_settings.output_dir / f"{language}/themes/{slug}/index.html").exists()
    empty = page(example_settings, "fr/themes/pensions/index.html")
    assert empty.findtext(".//h1") == "Pensions"
    assert empty.xpath("//main/p")[0].text == "Aucun communiqué de presse pour l'instant."
    feeds = [link.get("href") for link in empty.xpath("//link[@rel='alternate'][@type]")]
    assert f"{BASE}/fr/themes/pensions/atom.xml" in feeds


def test_root_links_to_each_language(example_settings: Settings) -> None:
    build(example_settings)
    root = page(example_settings, "index.html")
    links = [(a.get("href"), a.get("hreflang"))
             for a in root.xpath("//main//ul[@class='chooser']//a")]
    assert links == [("fr/index.html", "fr"), ("nl/index.html", "nl")]
    # Each choice is worded in its own language, whatever the page's language.
    choices = root.xpath("//ul[@class='chooser']/li")
    assert [li.get("lang") for li in choices] == ["fr", "nl"]
    assert "Persberichten" in "".join(choices[1].itertext())
