"""Interface words of the whole product: the gettext catalogs, found and read in one place.

Emails, the static site (pages and feeds) and the subscription pages all ask for an English
message and get it in one language from `<folder>/<lang>/LC_MESSAGES/messages.mo`.
The folders are searched in order: those of `$SYNDICATION_LOCALES` (separated like `PATH`),
then the packaged `syndication/locales/`; the first that has a language's catalog gives all
its words, so a site can add German (or its own French) without touching the package. A
language with no catalog reads the English source words, which the catalog tests catch for
every configured language. `syndication/locales/README.md` says how to extract, update and
compile the catalogs.

The empty message id is never translated: gettext keeps the catalog's header under it
("Project-Id-Version: …"), which a page once showed for a sentence left empty.
"""

from __future__ import annotations

import gettext as gnu_gettext
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from syndication.resources import LOCALES_DIR

DOMAIN = "messages"
LOCALES_ENV = "SYNDICATION_LOCALES"


# `N_` is gettext's conventional name for a marker, one of the keywords Babel extracts.
def N_(message: str) -> str:
    """Mark `message` for extraction where it is defined; it is translated where it is shown."""
    return message


def catalog_search_path() -> tuple[Path, ...]:
    """The catalog folders in search order: `$SYNDICATION_LOCALES`, then the packaged ones."""
    return _search_path(os.environ.get(LOCALES_ENV, ""))


def load_translations(language: str) -> NullTranslations:
    """The compiled catalog of `language` (cached); English source words if it has none."""
    return _load(language, os.environ.get(LOCALES_ENV, ""))


@dataclass(frozen=True, slots=True)
class Translator:
    """The words of one language: `gettext`/`ngettext` as templates and code call them."""

    language: str
    catalog: NullTranslations

    def gettext(self, message: str) -> str:
        """`message` in this language ("" stays "": its catalog entry is the header)."""
        if not message:
            return ""
        translated: str = self.catalog.gettext(message)
        return translated

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of `singular`/`plural` for `n`, in this language."""
        if not singular:
            return ""
        translated: str = self.catalog.ngettext(singular, plural, n)
        return translated


def translator(language: str) -> Translator:
    """The words of `language`, from the catalog the search path finds now."""
    return Translator(language, load_translations(language))


@cache
def _search_path(variable: str) -> tuple[Path, ...]:
    extra = tuple(Path(folder) for folder in variable.split(os.pathsep) if folder)
    return (*extra, LOCALES_DIR)


@cache  # keyed on the variable's text: one dictionary read per word, however many folders
def _load(language: str, variable: str) -> NullTranslations:
    for folder in _search_path(variable):
        found = gnu_gettext.find(DOMAIN, str(folder), [language])
        if found is not None:
            with open(found, "rb") as compiled:
                return Translations(compiled, domain=DOMAIN)
    return NullTranslations()
