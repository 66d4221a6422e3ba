"""The search page in Chromium: typed words find releases, no script says so and links on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine

from harness.browser import PHONE_WIDTH, open_page, serious_violations
from harness.web_thread import serving_in_thread
from syndication.config import Settings
from syndication.web.app import create_app
from tests.site.building import build


@contextmanager
def page_with(browser: Browser, **options: bool) -> Iterator[Page]:
    """A page in a context of its own with these Playwright options."""
    context = browser.new_context(**options)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def site_url(example_settings: Settings) -> Iterator[str]:
    """The built example site as `run` serves it (the .gz copies included)."""
    build(example_settings)
    engine = create_engine("sqlite://")
    try:
        with serving_in_thread(create_app(example_settings, engine, releases=dict)) as url:
            yield url
    finally:
        engine.dispose()


def test_typing_words_shows_the_releases_that_hold_them(browser: Browser, site_url: str) -> None:
    with open_page(browser) as page:
        page.goto(f"{site_url}/fr/index.html")
        page.get_by_role("link", name="Rechercher").click()
        expect(page).to_have_url(f"{site_url}/fr/search.html")
        expect(page.locator("#search-without-script")).to_be_hidden()
        page.get_by_label("Mots à rechercher").fill("senegal economie")  # no accents typed
        page.get_by_role("button", name="Rechercher").click()
        results = page.locator("#search-results li")
        expect(results).to_have_count(1)
        expect(page.locator("#search-status")).to_have_text(
            "1 communiqué de presse contient ces mots"
        )
        link = results.first.get_by_role("link")
        expect(link).to_contain_text("Sénégal")
        assert "q=senegal+economie" in page.url  # the search can be shared as a link
        link.click()
        expect(page).to_have_url(f"{site_url}/fr/2026-02-10-belincosoc-senegal.html")


def test_the_results_page_has_no_serious_accessibility_violation(
    browser: Browser, site_url: str
) -> None:
    # axe-core is injected inline, which the site's CSP (script-src 'self') rightly refuses.
    with page_with(browser, bypass_csp=True) as page:
        page.goto(f"{site_url}/fr/search.html?q=sociale")
        expect(page.locator("#search-results li").first).to_be_visible()
        assert serious_violations(page) == []


def test_a_shared_link_searches_at_once_and_prefixes_match(
    browser: Browser, site_url: str
) -> None:
    with open_page(browser, width=PHONE_WIDTH, locale="nl-BE") as page:
        page.goto(f"{site_url}/nl/search.html?q=sociale")
        expect(page.locator("#search-status")).to_contain_text("persberichten bevatten")
        assert page.locator("#search-results li").count() >= 2
        expect(page.get_by_label("Te zoeken woorden")).to_have_value("sociale")
        page.get_by_label("Te zoeken woorden").fill("chinois")  # French: not in Dutch
        page.get_by_role("button", name="Zoeken").click()
        expect(page.locator("#search-status")).to_have_text(
            "Geen enkel persbericht bevat deze woorden."
        )
        expect(page.locator("#search-results li")).to_have_count(0)
        page.get_by_label("Te zoeken woorden").fill("werkgeleg")  # the start of a word
        page.get_by_role("button", name="Zoeken").click()
        expect(page.locator("#search-results li")).to_have_count(1)


def test_without_javascript_the_page_says_so_and_links_the_archives(
    browser: Browser, site_url: str
) -> None:
    with page_with(browser, java_script_enabled=False) as page:
        page.goto(f"{site_url}/fr/search.html")
        expect(page.locator("#search-form")).to_be_hidden()
        fallback = page.locator("#search-without-script")
        expect(fallback).to_contain_text("JavaScript")
        fallback.get_by_role("link", name="parcourir les archives").click()
        expect(page).to_have_url(f"{site_url}/fr/index.html")
