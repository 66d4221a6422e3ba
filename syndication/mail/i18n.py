"""Interface words: the gettext catalogs in `syndication/locales/<lang>/LC_MESSAGES`.

Catalogs are compiled (`.mo`) and committed; `syndication/locales/README.md` says how to
extract, update and compile them. A language without a catalog falls back to the English
source words, which the catalog tests catch for every configured language.
"""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations, Translations

from syndication.resources import LOCALES_DIR

DOMAIN = "messages"


@cache
def load_translations(language: str) -> NullTranslations:
    """The compiled catalog of `language` (cached); English source words if it has none."""
    return Translations.load(str(LOCALES_DIR), [language], domain=DOMAIN)

