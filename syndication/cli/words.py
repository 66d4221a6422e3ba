"""The command line's words: counted sentences in the user's language, plurals right.

The CLI speaks the language of the user's locale, found as gettext finds it (`LANGUAGE`,
`LC_ALL`, `LC_MESSAGES`, `LANG`: `fr_BE.UTF-8` is French), through the product's catalogs;
a language without a catalog (`C`, English) reads the English source words. Every
sentence with a count goes through `ngettext` here ("1 problem", "2 problems"; French says
"0 problème"), never through an `s` glued on.
"""

from __future__ import annotations

import os

from syndication.translations import Translator, translator

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
SOURCE_LANGUAGE = "en"


def cli_language() -> str:
    """The language of the user's locale ("en" for C, POSIX or none), as gettext reads it."""
    for variable in LOCALE_VARIABLES:
        value = os.environ.get(variable, "")
        first = value.split(":")[0].split(".")[0].split("@")[0]
        if first:
            language = first.split("_")[0].lower()
            return SOURCE_LANGUAGE if language in ("c", "posix") else language
    return SOURCE_LANGUAGE


def cli_words() -> Translator:
    """The catalog of the CLI's language (English source words when it has none)."""
    return translator(cli_language())


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """The form for `n` in the CLI's language, `%(num)d` and the other `values` filled in."""
    return cli_words().ngettext(singular, plural, n) % {"num": n, **values}
