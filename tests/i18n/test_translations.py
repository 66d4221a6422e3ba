"""The one translation module: where catalogs are found, what an empty message gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syndication.code_fingerprint import import_closure
from syndication.config import Settings
from syndication.resources import LOCALES_DIR
from syndication.site.fingerprints import site_fingerprint
from syndication.translations import LOCALES_ENV, N_, catalog_search_path, translator
from tests.i18n.marker_catalogs import make_marker_catalog


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_empty_message_is_never_the_catalogs_header(language: str) -> None:
    words = translator(language)
    assert words.gettext("") == ""
    assert words.ngettext("", "", 2) == ""
    assert "Project-Id-Version" not in words.gettext("Press contacts")


def test_a_language_without_catalog_reads_english() -> None:
    assert translator("de").gettext("Press contacts") == "Press contacts"
    assert translator("fr").gettext("Press contacts") == "Contacts presse"


def test_a_marked_word_is_itself_until_shown() -> None:
    assert N_("Unsubscribed") == "Unsubscribed"


def test_the_packaged_catalogs_come_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert catalog_search_path() == (LOCALES_DIR,)
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv(LOCALES_ENV, os.pathsep.join((str(first), str(second))))
    assert catalog_search_path() == (first, second, LOCALES_DIR)


def test_a_site_catalog_wins_and_the_others_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LOCALES_ENV, str(make_marker_catalog(tmp_path, "fr", "FR:")))
    assert translator("fr").gettext("Press contacts") == "FR:Press contacts"
    assert translator("nl").gettext("Press contacts") == "Perscontacten"
    monkeypatch.delenv(LOCALES_ENV)
    assert translator("fr").gettext("Press contacts") == "Contacts presse"


def test_the_site_fingerprint_covers_the_catalogs_it_reads(
    example_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = site_fingerprint(example_settings)
    monkeypatch.setenv(LOCALES_ENV, str(make_marker_catalog(tmp_path, "fr", "FR:")))
    assert site_fingerprint(example_settings) != before


def test_translations_import_no_part_that_uses_them() -> None:
    closure = import_closure("syndication.translations")
    assert not [path for path in closure
                if path.startswith(("mail/", "site/", "feeds/", "pages/", "web/"))]
