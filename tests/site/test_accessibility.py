"""Every page kind of the public newsroom, opened in Chromium and judged by axe-core.

WCAG 2.1 AA is the EU rule for public-sector sites: no page may have a serious or critical
violation, at desktop and at phone width, the sign-up form shown again with an error
included. The browser is the shared fixture (`browser`, harness/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from harness.browser import DESKTOP_WIDTH, PHONE_WIDTH, open_page, serious_violations
from harness.newsroom import Newsroom, open_branded_example, serving_newsroom

pytestmark = pytest.mark.integration


@pytest.fixture
def newsroom(tmp_path: Path, secrets_env: None) -> Iterator[Newsroom]:
    site = open_branded_example(tmp_path / "site")
    try:
        with serving_newsroom(site) as served:
            yield served
    finally:
        site.engine.dispose()


def judged(page: Page) -> list[str]:
    return [str(violation) for violation in serious_violations(page)]


def test_every_page_kind_has_no_serious_violation(browser: Browser, newsroom: Newsroom) -> None:
    seen = {}
    for width in (DESKTOP_WIDTH, PHONE_WIDTH):
        with open_page(browser, width=width) as page:
            for kind, path in newsroom.pages.items():
                if kind in ("confirmed",) and width != DESKTOP_WIDTH:
                    continue  # confirming twice shows the same page; once is the case
                response = page.goto(newsroom.url + path)
                assert response is not None
                seen[kind] = response.status
                assert page.locator("h1").count() == 1, (kind, width)
                assert judged(page) == [], (kind, width)
    assert seen["404"] == 404
    assert all(status == 200 for kind, status in seen.items() if kind != "404"), seen


def test_the_sign_up_error_is_read_with_its_field(browser: Browser, newsroom: Newsroom) -> None:
    with open_page(browser, width=PHONE_WIDTH) as page:
        page.goto(newsroom.url + "/subscribe?lang=nl")
        page.fill("#field-email", "not-an-address")
        page.fill("#field-name", "Jan Peeters")
        page.fill("#field-organisation", "De Standaard")
        with page.expect_navigation():
            page.click("form[method=post] button[type=submit]")
        assert page.locator("html").get_attribute("lang") == "nl", page.content()[:600]
        email = page.locator("#field-email")
        assert email.get_attribute("aria-invalid") == "true"
        described = email.get_attribute("aria-describedby") or ""
        error = page.locator(f"#{described.split()[0]}")
        assert "geldig e-mailadres" in error.inner_text()
        # What was typed is still there.
        assert email.input_value() == "not-an-address"
        assert page.locator("#field-name").input_value() == "Jan Peeters"
        assert page.locator("#field-organisation").input_value() == "De Standaard"
        assert judged(page) == []


def test_keyboard_users_skip_to_the_content_and_see_the_focus(
    browser: Browser, newsroom: Newsroom
) -> None:
    with open_page(browser) as page:
        page.goto(newsroom.url + newsroom.pages["index"])
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("element => element === document.activeElement")
        box = skip.bounding_box()
        assert box is not None
        assert box["y"] >= 0  # on screen once focused
        outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
        assert outline not in ("", "none")
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == "#content"


def test_the_preferences_form_saves_from_a_real_browser(
    browser: Browser, newsroom: Newsroom
) -> None:
    # A browser posts a page's own form with the page's Origin only if the page's referrer
    # policy lets it (under no-referrer it sends `Origin: null`, which is refused).
    with open_page(browser) as page:
        page.goto(newsroom.url + newsroom.pages["preferences"])
        with page.expect_navigation():
            page.click("form button[type=submit]")
        assert page.locator("[role=status]").count() == 1
        assert judged(page) == []


@pytest.mark.parametrize("accent", ["#ffcc00", "#00a3e0"])
def test_a_light_accent_still_reads(
    browser: Browser, tmp_path: Path, secrets_env: None, accent: str
) -> None:
    # The text on the accent and the links' shade are computed from it: a yellow or a
    # sky blue brand stays AA (axe-core measures the contrast of what is drawn).
    site = open_branded_example(tmp_path / "site", accent=accent)
    try:
        with serving_newsroom(site) as served, open_page(browser) as page:
            for kind in ("index", "release", "subscribe", "contacts"):
                page.goto(served.url + served.pages[kind])
                assert judged(page) == [], (accent, kind)
    finally:
        site.engine.dispose()


def test_print_leaves_out_the_navigation(browser: Browser, newsroom: Newsroom) -> None:
    with open_page(browser) as page:
        page.goto(newsroom.url + newsroom.pages["release"])
        assert page.locator(".masthead").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".masthead").is_visible()
        assert not page.locator(".site-footer").is_visible()
        assert page.locator(".print-brand").is_visible()
        assert page.locator("article h1").is_visible()
