"""Every interface word is translated in every configured language, and nothing English leaks.

Adding a language is a catalog, a config line and release fields: these tests are what tell
you the catalog is complete (they run over the example site's configured languages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from syndication.config import Settings
from syndication.releases import Release
from syndication.resources import LOCALES_DIR, PROJECT_ROOT
from tests.i18n.rendering import emails, in_language, site_pages, web_pages

LANGUAGES = ("fr", "nl")  # the example site's; test_languages_match_the_example_site checks
Message = tuple[str, str | None]  # (msgid, msgid_plural)


@cache
def source_messages() -> frozenset[Message]:
    """Every message the templates and the code use, extracted as pybabel does."""
    with open(LOCALES_DIR / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _, _, message, _, _ in extract_from_dir(PROJECT_ROOT, method_map, options_map):
        found.add((message[0], message[1]) if isinstance(message, tuple) else (message, None))
    return frozenset(found)


def read_catalog(path: Path) -> Catalog:
    with open(path, "rb") as file:
        return read_po(file)


def catalog_path(language: str, suffix: str = ".po") -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"messages{suffix}"


def missing_translations(language: str) -> set[str]:
    """The messages `language` lacks: absent, empty, fuzzy or with an empty plural form."""
    path = catalog_path(language)
    if not path.is_file():
        return {msgid for msgid, _ in source_messages()}
    catalog = read_catalog(path)
    missing = set()
    for msgid, _ in source_messages():
        entry = catalog.get(msgid)
        strings = () if entry is None else (
            entry.string if isinstance(entry.string, tuple) else (entry.string,)
        )
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.add(msgid)
    return missing


def test_languages_match_the_example_site(settings: Settings) -> None:
    assert settings.languages == LANGUAGES


def test_extraction_finds_the_words_of_templates_and_subjects() -> None:
    ids = {msgid for msgid, _ in source_messages()}
    assert "Press contacts" in ids  # a template
    assert "EMBARGO until %(date)s at %(time)s" in ids  # a subject built in Python
    assert ("%(num)d new press release", "%(num)d new press releases") in source_messages()
    assert "Latest press releases" in ids  # the static site's code
    assert "Press releases of %(organisation)s" in ids  # a feed's description
    assert "Unsubscribed" in ids  # a subscription page
    assert "This link is not valid" in ids  # a problem the web routes answer with


def test_the_readmes_extraction_writes_the_committed_template(tmp_path: Path) -> None:
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(LOCALES_DIR / "babel.cfg"), "--no-wrap",
        "--sort-by-file", "--project=syndication", "-o", str(extracted), str(PROJECT_ROOT),
    ])
    assert message_ids(read_catalog(extracted)) == message_ids(
        read_catalog(LOCALES_DIR / "messages.pot")
    ), "run pybabel extract (syndication/locales/README.md)"


def message_ids(catalog: Catalog) -> set[object]:
    return {message.id if isinstance(message.id, str) else tuple(message.id)
            for message in catalog if message.id}


def test_template_catalog_is_up_to_date() -> None:
    pot = read_catalog(LOCALES_DIR / "messages.pot")
    in_pot = {(m.id[0], m.id[1]) if isinstance(m.id, tuple) else (m.id, None)
              for m in pot if m.id}
    assert in_pot == source_messages(), "run pybabel extract (syndication/locales/README.md)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    assert missing_translations(language) == set()
    catalog = read_catalog(catalog_path(language))
    obsolete = {m.id for m in catalog if m.id and (m.id if isinstance(m.id, str) else m.id[0])
                not in {msgid for msgid, _ in source_messages()}}
    assert obsolete == set(), "run pybabel update (syndication/locales/README.md)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language: str) -> None:
    source = read_catalog(catalog_path(language))
    with open(catalog_path(language, ".mo"), "rb") as file:
        compiled = read_mo(file)
    assert strings(compiled) == strings(source), "run pybabel compile (see the README)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language: str) -> None:
    catalog = read_catalog(catalog_path(language))
    problems = [(message.id, [str(error) for error in errors])
                for message, errors in catalog.check()]
    assert problems == []


def strings(catalog: Catalog) -> dict[object, object]:
    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {frozen(message.id): frozen(message.string) for message in catalog if message.id}


def test_a_language_without_catalog_is_reported() -> None:
    assert not catalog_path("de").exists()
    assert missing_translations("de") == {msgid for msgid, _ in source_messages()}


def rendered_bodies(
    settings: Settings, releases: Mapping[str, Release], pages: Mapping[str, str],
    language: str,
) -> Iterator[tuple[str, str]]:
    """(what, body) for every page and message kind rendered in `language`."""
    for what, body in in_language(pages, language):
        if "/search/" in what and what != f"{language}/search/shards.json":
            # A search shard's index holds the release's own words, folded (a French
            # "problème" is "probleme"); what a reader sees of it is its docs.
            body = json.dumps(json.loads(body)["docs"], ensure_ascii=False)
        yield what, body
    yield from emails(settings, releases, language)
    for what, html in web_pages(settings, language):
        # A form's values are machine words ("daily"), not text a reader sees.
        yield what, re.sub(r'\svalue="[^"]*"', "", html)


def english_fragments(language: str) -> set[str]:
    """The words of each English source message that its translation does not share."""
    catalog = read_catalog(catalog_path(language))
    fragments = set()
    for msgid, plural in source_messages():
        entry = catalog.get(msgid)
        assert entry is not None
        translated = " ".join(entry.string) if isinstance(entry.string, tuple) else entry.string
        for source in filter(None, (msgid, plural)):
            for piece in re.split(r"%\(\w+\)[sd]", source):
                piece = " ".join(piece.split()).strip(" .:")
                if len(piece) >= 5 and piece not in translated:
                    fragments.add(piece)
    return fragments


@pytest.mark.parametrize("language", LANGUAGES)
def test_rendering_leaves_no_english_source_words(
    settings: Settings, releases: Mapping[str, Release], example_settings: Settings,
    language: str,
) -> None:
    fragments = english_fragments(language)
    assert "Press contacts" in fragments
    pages = site_pages(example_settings)
    for what, body in rendered_bodies(settings, releases, pages, language):
        leaked = {fragment for fragment in fragments if fragment in body}
        assert leaked == set(), f"{what} in {language}: untranslated {leaked}"

