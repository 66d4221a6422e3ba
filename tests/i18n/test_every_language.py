"""Every page and message kind, rendered in every configured language, asks only for words
its catalog translates; and between them they ask for every word of the catalogs."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import replace

import pytest
from babel.messages.pofile import read_po

from syndication.config import Settings
from syndication.feeds.definitions import FeedDocuments, define_feeds
from syndication.pages.listing import render_root_index
from syndication.releases import Release
from syndication.resources import LOCALES_DIR
from tests.i18n.rendering import (
    MULTILINGUAL,
    emails,
    in_language,
    record_words,
    site_pages,
    web_pages,
)
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


def english_sentences(language: str) -> set[str]:
    """The English messages (their pieces between placeholders, two words or more) whose
    `language` translation says something else: seeing one means a word was not translated."""
    with open(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalog = read_po(file)
    pieces = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated = " ".join(strings)
        for english in ids:
            for piece in re.split(r"%\(\w+\)[sd]", english):
                piece = " ".join(piece.split()).strip(" .:;?,–-")
                if len(piece.split()) >= 2 and piece not in translated:
                    pieces.add(piece)
    return pieces


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_page_or_message_shows_an_english_sentence(
    settings: Settings, releases: Mapping[str, Release], example_settings: Settings,
    language: str,
) -> None:
    pages = site_pages(example_settings)
    rendered = [*in_language(pages, language), *emails(settings, releases, language),
                *web_pages(settings, language),
                *((name, pages[name]) for name in (*MULTILINGUAL, "404.html"))]
    kinds = {what.rsplit(".", 1)[-1] if "/" in what else what for what, _ in rendered}
    assert {"html", "xml", "json", "vcf", "404.html", "alert html", "digest text",
            "subscribe page", "preferences page"} <= kinds
    english = english_sentences(language)
    assert {"Press contacts", "Subscribe to our press releases"} <= english
    for what, body in rendered:
        text = html.unescape(body)
        shown = {piece for piece in english if piece in text}
        assert shown == set(), f"{language} {what}: {shown}"
