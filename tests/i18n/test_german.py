"""Adding German is a catalog and a config line: no code.

A throw-away `de` catalog (every message "DE:" + the English one) in a folder of its own,
named by `$SYNDICATION_LOCALES`; German added to the example site's config and to two
releases; then every page and message kind rendered in German uses the German words and
no French or Dutch one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from harness.sites import copy_example_site
from syndication.config import load_settings
from syndication.resources import LOCALES_DIR
from syndication.translations import LOCALES_ENV, translator
from tests.i18n.marker_catalogs import add_language, make_marker_catalog
from tests.i18n.rendering import (
    MULTILINGUAL,
    emails,
    in_language,
    record_words,
    site_pages,
    web_pages,
)
from tests.mail.conftest import CORRECTED, EMBARGOED, SEED
from tests.site.building import load

MARKER = "DE:"
# Kinds with no interface word of their own: an alert's subject is the release's title (and
# a vCard holds only the contact's own words).
WORDLESS = {"alert subject"}


def foreign_words() -> set[str]:
    """The pieces of every French and Dutch translation that are not the English message."""
    pieces = set()
    for language in ("fr", "nl"):
        with open(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as file:
            catalog = read_po(file)
        for message in catalog:
            if not message.id:
                continue
            english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for translated in strings:
                for piece in re.split(r"%\(\w+\)[sd]", translated):
                    piece = " ".join(piece.split()).strip(" .:;?")
                    if len(piece) >= 5 and piece not in english:
                        pieces.add(piece)
    return pieces


def test_german_needs_a_catalog_and_a_config_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LOCALES_ENV, str(make_marker_catalog(tmp_path / "locales", "de", MARKER)))
    config = copy_example_site(tmp_path / "site")
    add_language(config, "de", releases=(SEED, EMBARGOED, CORRECTED))
    settings = load_settings(config)
    assert settings.languages == ("de", "fr", "nl")
    releases = {release.id: release for release in load(settings)}
    asked = record_words(monkeypatch)

    pages = site_pages(settings)
    german = dict(in_language(pages, "de"))
    kinds = {"index": "de/index.html", "release": f"de/{SEED}.html",
             "theme": "de/themes/international/index.html", "archive": "de/archive/2016-08.html",
             "feed": "de/atom.xml", "theme feed": "de/themes/international/rss.xml"}
    assert set(kinds.values()) <= set(german), sorted(german)
    assert "de/feed.json" in german
    rendered = [*german.items(), *emails(settings, releases, "de"), *web_pages(settings, "de")]

    foreign = foreign_words()
    assert {"Contacts presse", "Perscontacten"} <= foreign
    for what, body in rendered:
        # The search index shards are data (release text, dates): no interface words.
        assert (what in WORDLESS or what.endswith(".vcf") or what.startswith("de/search/")
                or MARKER in body), what
        leaked = {piece for piece in foreign if piece in body}
        assert leaked == set(), f"{what}: {leaked}"
    assert f"{MARKER}Press contacts" in german[kinds["release"]]
    assert f"{MARKER}Latest press releases" in german[kinds["index"]]
    for name in MULTILINGUAL:  # every language on one page: German first, in German
        assert "Wert" in pages[name]
    assert '<html lang="de">' in pages["index.html"]
    assert "Deutsch" in pages["index.html"]
    # Every word asked in German came from the German catalog.
    words = set(asked["de"])
    assert words
    _ = translator("de").gettext
    assert sorted(word for word in words if not _(word).startswith(MARKER)) == []
