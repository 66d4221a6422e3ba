"""Every page and message kind of the product rendered in one language, and the words asked.

The kinds: the site's pages (language home, release, theme, archive, root) and feeds, the
emails (alert, embargo, digest, confirmation: subject, text and HTML), and the subscription
pages (subscribe, subscribed, confirmed, preferences, unsubscribe, unsubscribed, and a
problem page for each problem the routes answer with).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from types import ModuleType

import pytest
from babel.support import NullTranslations

from syndication import translations
from syndication.config import Settings
from syndication.localdates import format_long_date
from syndication.mail import MailKind, compose_confirmation, compose_mailing
from syndication.releases import Release
from syndication.web import busy, preferences, responses, subscription
from syndication.web.pages import render_page
from syndication.web.signup_form import FIELD_ERRORS
from tests.mail.conftest import (
    CORRECTED,
    EMBARGOED,
    SEED,
    html_of,
    parse,
    personalise_for,
    text_of,
)
from tests.site.building import build, output_files
from tests.web.test_pages import CONTEXT

PROBLEM_MODULES: tuple[ModuleType, ...] = (responses, subscription, preferences, busy)
# Pages that show every language at once (a link to each language's home; every feed).
MULTILINGUAL = ("index.html", "feeds.opml")


def problem_words() -> dict[str, tuple[str, str]]:
    """Every problem (heading, sentence) the subscription routes can answer with."""
    found = {}
    for module in PROBLEM_MODULES:
        for name, value in vars(module).items():
            if isinstance(value, tuple) and len(value) == 2 and all(
                isinstance(item, str) for item in value
            ):
                found[f"{module.__name__.rsplit('.', 1)[1]}.{name}"] = value
    return found


def site_pages(settings: Settings) -> dict[str, str]:
    """Build the site; every file of it (pages, feeds, OPML) by path."""
    build(settings)
    return {path: data.decode("utf-8") for path, data in output_files(settings).items()}


def in_language(pages: Mapping[str, str], language: str) -> Iterator[tuple[str, str]]:
    """The site's files of one language (its folder)."""
    for path, text in pages.items():
        if path.startswith(f"{language}/"):
            yield path, text


def emails(
    settings: Settings, releases: Mapping[str, Release], language: str
) -> Iterator[tuple[str, str]]:
    """(what, body) for every email kind and part, and its subject, in `language`."""
    mailings = [
        ("alert", MailKind.ALERT, (releases[SEED],)),
        ("embargo", MailKind.EMBARGO, (releases[EMBARGOED],)),
        ("correction", MailKind.CORRECTION, (releases[CORRECTED],)),
        ("digest", MailKind.DIGEST, (releases[SEED], releases[EMBARGOED])),
        ("digest of one", MailKind.DIGEST, (releases[SEED],)),
    ]
    for what, kind, chosen in mailings:
        template = compose_mailing(
            settings, kind=kind, releases=chosen, languages=(language,), list_id="press"
        )
        message = parse(personalise_for(template))
        yield f"{what} subject", str(message["Subject"])
        yield f"{what} text", text_of(message)
        yield f"{what} html", html_of(message)
    message = parse(compose_confirmation(
        settings, to="jane@example.org", language=language,
        confirm_url="https://press.example.be/confirm/t", message_id="<c.1@press.example.be>",
        date=datetime(2027, 3, 15, 6, 0, tzinfo=UTC),
    ))
    yield "confirmation subject", str(message["Subject"])
    yield "confirmation text", text_of(message)
    yield "confirmation html", html_of(message)


def web_pages(settings: Settings, language: str) -> Iterator[tuple[str, str]]:
    """(what, HTML) for every subscription page, the sign-up form with each error it can
    show, and one problem page per problem."""
    for name, context in sorted(CONTEXT.items()):
        yield f"{name} page", bytes(render_page(settings, name, language, **context).body).decode()
    for field, words in FIELD_ERRORS.items():
        context = {**CONTEXT["subscribe"], "errors": {field: words}}
        page = render_page(settings, "subscribe", language, **context)
        yield f"subscribe page, error in {field}", bytes(page.body).decode()
    # A date on the first of a month has a word of its own ("1er" in French).
    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    yield "first of a month", format_long_date(first, language, settings.timezone)
    for name, (heading, message) in sorted(problem_words().items()):
        page = render_page(
            settings, "problem", language, heading=heading, message=message, detail="why"
        )
        yield f"problem {name}", bytes(page.body).decode()


class _Recording(NullTranslations):
    """A catalog that notes every message asked of it."""

    def __init__(self, catalog: NullTranslations, asked: set[str]) -> None:
        super().__init__()
        self.catalog, self.asked = catalog, asked

    def gettext(self, message: str) -> str:
        self.asked.add(message)
        return str(self.catalog.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.asked.add(singular)
        return str(self.catalog.ngettext(singular, plural, n))


def record_words(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """From now on, every message asked of the catalogs, by language."""
    asked: dict[str, set[str]] = defaultdict(set)
    load = translations.load_translations

    def recording(language: str) -> NullTranslations:
        return _Recording(load(language), asked[language])

    monkeypatch.setattr(translations, "load_translations", recording)
    return asked
