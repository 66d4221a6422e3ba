"""The browser fixture itself: Chromium opens our served pages and axe-core judges them.

The site and console tests use the same fixture (`browser` in tests/conftest.py,
`harness.browser`); this proves it sees what a user sees and that axe-core does report.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from harness.browser import PHONE_WIDTH, axe_violations, open_page, serious_violations
from harness.web_thread import serving_in_thread

GOOD = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Bon</title></head>
<body><main><h1>Communiqués</h1><p>Texte lisible.</p></main></body></html>"""
# An image without alternative text and a button with no name: axe-core's "critical".
BAD = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mauvais</title></head>
<body><main><h1>Titre</h1><img src="/x.png"><button></button></main></body></html>"""


@pytest.fixture
def pages_url() -> Iterator[str]:
    async def good(request: object) -> HTMLResponse:
        return HTMLResponse(GOOD)

    async def bad(request: object) -> HTMLResponse:
        return HTMLResponse(BAD)

    app = Starlette(routes=[Route("/good", good), Route("/bad", bad)])
    with serving_in_thread(app) as url:
        yield url


def test_an_accessible_page_has_no_violation(browser: Browser, pages_url: str) -> None:
    with open_page(browser) as page:
        page.goto(f"{pages_url}/good")
        assert page.locator("h1").inner_text() == "Communiqués"
        assert axe_violations(page) == []


def test_axe_reports_what_a_screen_reader_user_would_miss(browser: Browser, pages_url: str) -> None:
    with open_page(browser, width=PHONE_WIDTH) as page:
        page.goto(f"{pages_url}/bad")
        rules = {violation.rule for violation in serious_violations(page)}
    assert {"image-alt", "button-name"} <= rules
