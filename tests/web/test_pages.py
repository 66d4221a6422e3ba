"""Every page template renders in every configured language, with every word translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.requests import Request

from subscribers import Frequency
from syndication.config import Settings, load_settings
from syndication.resources import EXAMPLE_SITE_DIR
from syndication.translations import translator
from syndication.web import preferences, responses, subscription
from syndication.web.pages import PAGES_DIR, page_language, render_page

SETTINGS: Settings = load_settings(EXAMPLE_SITE_DIR / "config.toml")
CHOICES = {
    "languages": [("fr", "Français"), ("nl", "Nederlands")], "lists": [("press", "Press")],
    "themes": [("pensions", "Pensions")], "frequencies": [f.value for f in Frequency],
    "chosen": {"languages": ("fr",), "lists": ("press",), "themes": (), "frequency": "daily"},
}
CONTEXT = {
    "subscribe": {**CHOICES, "typed": {"email": "", "name": "", "organisation": ""},
                  "errors": {"email": "Enter a valid email address, like name@example.org."},
                  "language_switch": [("nl", "Nederlands", "/subscribe?lang=nl")]},
    "subscribed": {},
    "confirmed": {"email": "a@example.org", "preferences_url": "/preferences/t"},
    "unsubscribe": {"email": "a@example.org", "action": "/unsubscribe/t",
                    "preferences_url": "/preferences/t"},
    "unsubscribed": {},
    "preferences": {**CHOICES, "email": "a@example.org", "action": "/preferences/t",
                    "csrf": "c", "saved": True},
    "problem": {"heading": responses.INVALID_LINK[0], "message": responses.INVALID_LINK[1],
                "detail": "<script>"},
}


def messages() -> set[str]:
    """Every interface word the pages and the routes ask for."""
    found = set()
    for template in PAGES_DIR.glob("*.html"):
        found.update(re.findall(r'_\("([^"]+)"\)', template.read_text(encoding="utf-8")))
    for module in (responses, subscription, preferences):
        for value in vars(module).values():
            if isinstance(value, tuple) and len(value) == 2 and all(
                isinstance(item, str) for item in value
            ):
                found.update(item for item in value if item)
    found.update(frequency.value for frequency in Frequency)
    return found


def test_every_page_template_has_a_context_here() -> None:
    names = {path.stem for path in PAGES_DIR.glob("*.html") if not path.stem.startswith("_")}
    assert names == set(CONTEXT)


@pytest.mark.parametrize("language", SETTINGS.languages)
@pytest.mark.parametrize("name", sorted(CONTEXT))
def test_pages_render_in_each_language(language: str, name: str) -> None:
    response = render_page(SETTINGS, name, language, **CONTEXT[name])
    html = bytes(response.body).decode()
    assert f'<html lang="{language}">' in html
    assert SETTINGS.title[language] in html
    assert "<script>" not in html  # autoescaped
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("language", SETTINGS.languages)
def test_every_word_is_translated(language: str) -> None:
    translate = translator(language).gettext
    untranslated = sorted(message for message in messages() if translate(message) == message)
    assert untranslated == []


def _request(query: str = "", accept: str = "") -> Request:
    headers = [(b"accept-language", accept.encode())] if accept else []
    return Request({"type": "http", "query_string": query.encode(), "headers": headers})


def test_page_language_choice() -> None:
    assert page_language(SETTINGS, _request()) == "fr"
    assert page_language(SETTINGS, _request(accept="de, nl-BE;q=0.8, fr;q=0.5")) == "nl"
    assert page_language(SETTINGS, _request("lang=nl", accept="fr")) == "nl"
    assert page_language(SETTINGS, _request("lang=xx", accept="nl;q=0")) == "fr"
    assert page_language(SETTINGS, _request("lang=fr"), ("de", "nl")) == "nl"


def test_templates_folder_is_the_repositorys() -> None:
    assert PAGES_DIR == Path(__file__).resolve().parents[2] / "templates" / "pages"
