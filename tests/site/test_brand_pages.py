"""The newsroom's pages around the releases: the sign-up link on every page, the sign-up box,
archive navigation, the press contacts page with its vCards, the 404 in every language."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import vobject
from lxml import html

from harness.sites import Site
from syndication.config import Settings
from tests.site.building import build, output_files


@pytest.fixture
def site(built_site: Site) -> Site:
    """The example site, built, for the served tests (`client`)."""
    return built_site


def resolve(page: str, href: str) -> str:
    """The site path a relative link of the page at `page` leads to."""
    parts: list[str] = []
    for part in (*PurePosixPath(page).parent.parts, *href.split("?")[0].split("/")):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def test_every_page_links_to_the_sign_up_form_in_its_language(
    example_settings: Settings,
) -> None:
    build(example_settings)
    pages = {path: data for path, data in output_files(example_settings).items()
             if path.endswith(".html")}
    assert len(pages) >= 40
    for path, data in pages.items():
        document = html.fromstring(data)
        language = document.get("lang")
        links = [a.get("href") for a in document.xpath("//footer//a[@href]")
                 if "subscribe" in a.get("href")]
        assert links, path
        for href in links:
            query = parse_qs(urlsplit(href).query)
            assert query == {"lang": [language]}, (path, href)
            if path == "404.html":  # served at any path: from the site's root
                assert href == f"/subscribe?lang={language}"
            else:
                assert resolve(path, href) == "subscribe", (path, href)


def test_a_language_home_has_a_sign_up_box_that_opens_the_form(
    example_settings: Settings,
) -> None:
    build(example_settings)
    home = html.fromstring((example_settings.output_dir / "nl/index.html").read_bytes())
    (form,) = home.xpath("//section[@class='signup-box']//form")
    assert form.get("method") == "get"
    assert resolve("nl/index.html", form.get("action")) == "subscribe"
    assert form.xpath(".//input[@type='hidden'][@name='lang']/@value") == ["nl"]
    (email,) = form.xpath(".//input[@name='email']")
    assert home.xpath(f"//label[@for='{email.get('id')}']")[0].text == "E-mailadres"


async def test_the_box_fills_in_the_address_of_the_form(client: httpx.AsyncClient) -> None:
    response = await client.get("/subscribe?lang=nl&email=jan%40example.org")
    form = html.fromstring(response.text)
    assert form.xpath("//input[@name='email']/@value") == ["jan@example.org"]
    assert form.get("lang") == "nl"
    # The language switch of the form leads to the form in the other language.
    assert form.xpath("//header//a[@hreflang='fr']/@href") == ["/subscribe?lang=fr"]


def test_month_archives_link_to_their_neighbours_and_home(example_settings: Settings) -> None:
    build(example_settings)
    month = html.fromstring((example_settings.output_dir / "fr/archive/2020-11.html").read_bytes())
    pager = {a.get("rel"): a.get("href") for a in month.xpath("//main/nav//a")}
    assert pager == {"up": "../index.html", "next": "2021-06.html", "prev": "2018-01.html"}
    oldest = html.fromstring((example_settings.output_dir / "fr/archive/2016-08.html").read_bytes())
    assert "prev" not in {a.get("rel") for a in oldest.xpath("//main/nav//a")}
    home = html.fromstring((example_settings.output_dir / "fr/index.html").read_bytes())
    years = [h3.text for h3 in home.xpath("//nav[@class='years']/h3")]
    assert years == ["2026", "2021", "2020", "2018", "2016"]


def test_the_contacts_page_lists_the_config_contacts_with_vcards(
    example_settings: Settings,
) -> None:
    build(example_settings)
    files = output_files(example_settings)
    for language in example_settings.languages:
        page = html.fromstring(files[f"{language}/contacts.html"])
        cards = page.xpath("//ul[@class='contact-cards']/li")
        assert len(cards) == len(example_settings.contacts)
        for card, (key, contact) in zip(cards, example_settings.contacts.items(), strict=True):
            assert card.findtext(".//strong") == contact.name
            assert card.xpath(".//a[@class='p-tel']/@href") == [f"tel:{contact.phone}"]
            (href,) = card.xpath(".//a[@class='vcard']/@href")
            assert href == f"contacts/{key}.vcf"
            data = files[f"{language}/contacts/{key}.vcf"]
            assert data.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
            assert data.endswith(b"END:VCARD\r\n")
            card_data = vobject.readOne(data.decode("utf-8"))
            assert card_data.fn.value == contact.name
            assert card_data.title.value == contact.role_in(language)
            assert card_data.tel.value == f"tel:{contact.phone}"
            assert card_data.email.value == contact.email
            assert card_data.org.value == [example_settings.organisation_name[language]]


def test_the_404_page_speaks_every_language(example_settings: Settings) -> None:
    build(example_settings)
    page = html.fromstring((example_settings.output_dir / "404.html").read_bytes())
    sections = page.xpath("//main/section")
    assert [section.get("lang") for section in sections] == ["fr", "nl"]
    assert sections[0].findtext("h1") == "Page introuvable"
    assert sections[1].findtext("h2") == "Pagina niet gevonden"
    assert [a.get("href") for a in page.xpath("//main//a")] == ["/fr/index.html", "/nl/index.html"]
    assert page.xpath("//link[@rel='stylesheet']/@href") == ["/style.css"]


@pytest.mark.parametrize("path", ["/fr/no-such-release.html", "/nowhere/", "/../etc/passwd"])
async def test_run_answers_unknown_paths_with_the_404_page(
    client: httpx.AsyncClient, site: Site, path: str,
) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Page introuvable" in response.text
    assert "Pagina niet gevonden" in response.text
    head = await client.head(path)
    assert head.status_code == 404
    assert head.content == b""


def test_a_theme_page_leads_to_every_other_theme(example_settings: Settings) -> None:
    build(example_settings)
    page = html.fromstring(
        (example_settings.output_dir / "nl/themes/pensions/index.html").read_bytes())
    links = page.xpath("//main//ul[@class='themes']//a")
    assert [a.get("href") for a in links] == [
        "index.html" if slug == "pensions" else f"../{slug}/index.html"
        for slug in example_settings.themes]
    assert [a.text for a in links if a.get("aria-current") == "page"] == ["Pensioenen"]
