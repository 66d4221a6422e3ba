"""Every page and message kind, rendered in every configured language, asks only for words
its catalog translates; and between them they ask for every word of the catalogs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pytest
from babel.messages.pofile import read_po

from syndication.config import Settings
from syndication.feeds.definitions import FeedDocuments, define_feeds
from syndication.pages.listing import render_root_index
from syndication.releases import Release
from syndication.resources import LOCALES_DIR
from tests.i18n.rendering import emails, in_language, record_words, site_pages, web_pages
from tests.site.building import NOW


def translated_ids(language: str) -> set[str]:
    """The message ids `language`'s catalog translates (not empty, not fuzzy)."""
    with open(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalog = read_po(file)
    found = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not message.fuzzy and all(strings):
            found.add(message.id if isinstance(message.id, str) else message.id[0])
    return found


def _said_by_the_cli(path: str) -> bool:
    return path.startswith(("syndication/cli/", "subscribers/cli/"))


def test_every_kind_in_every_language_asks_only_translated_words(
    settings: Settings, releases: Mapping[str, Release], example_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = record_words(monkeypatch)
    pages = site_pages(example_settings)
    for language in settings.languages:
        rendered = [*in_language(pages, language), *emails(settings, releases, language),
                    *web_pages(settings, language)]
        assert len(rendered) > 50
    # A site with no title of its own: pages and feeds fall back on a generic one.
    untitled = replace(example_settings, title={})
    assert render_root_index(untitled)
    documents = FeedDocuments(untitled)
    for definition in define_feeds(untitled, tuple(releases.values()), now=NOW):
        assert documents.document(definition).title
    with open(LOCALES_DIR / "messages.pot", "rb") as file:
        # The command line's words are shown by commands, not rendered: tests/cli/test_plurals.py
        every_word = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file)
                      if m.id and not all(_said_by_the_cli(path) for path, _ in m.locations)}
    for language in settings.languages:
        words = set(asked[language])
        assert words - translated_ids(language) == set(), language
        assert every_word - words == set(), f"{language}: no kind rendered these"
