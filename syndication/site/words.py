"""Interface words of the static site (pages and feed texts), per language.

Templates and feed definitions ask for an English message (`_("More information")`) and get
it in the page's language. Adding a language means adding its table here (or, once the
newsletter's gettext catalogs cover these messages, loading them instead): no template and
no code tests the language. A language without a table reads the English messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

Translate = Callable[[str], str]

MESSAGES: Final = (
    "More information",
    "Press contacts",
    "Attachments",
    "Published on %(date)s",
    "Updated on %(date)s",
    "Also available in:",
    "Themes",
    "Subscribe:",
    "Latest press releases",
    "Older press releases",
    "Archives",
    "Archives: %(month)s",
    "No press releases yet.",
    "Press releases of %(organisation)s",
    "Press releases",
)

WORDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType({
    "fr": MappingProxyType({
        "More information": "Plus d'information",
        "Press contacts": "Contacts presse",
        "Attachments": "Documents joints",
        "Published on %(date)s": "Publié le %(date)s",
        "Updated on %(date)s": "Mis à jour le %(date)s",
        "Also available in:": "Également disponible en :",
        "Themes": "Thèmes",
        "Subscribe:": "S'abonner :",
        "Latest press releases": "Derniers communiqués de presse",
        "Older press releases": "Communiqués plus anciens",
        "Archives": "Archives",
        "Archives: %(month)s": "Archives : %(month)s",
        "No press releases yet.": "Aucun communiqué de presse pour l'instant.",
        "Press releases of %(organisation)s": "Communiqués de presse : %(organisation)s",
        "Press releases": "Communiqués de presse",
    }),
    "nl": MappingProxyType({
        "More information": "Meer informatie",
        "Press contacts": "Perscontacten",
        "Attachments": "Bijlagen",
        "Published on %(date)s": "Gepubliceerd op %(date)s",
        "Updated on %(date)s": "Bijgewerkt op %(date)s",
        "Also available in:": "Ook beschikbaar in:",
        "Themes": "Thema's",
        "Subscribe:": "Abonneren:",
        "Latest press releases": "Laatste persberichten",
        "Older press releases": "Oudere persberichten",
        "Archives": "Archief",
        "Archives: %(month)s": "Archief: %(month)s",
        "No press releases yet.": "Nog geen persberichten.",
        "Press releases of %(organisation)s": "Persberichten: %(organisation)s",
        "Press releases": "Persberichten",
    }),
})


def translate(language: str, message: str) -> str:
    """`message` in `language`, or the English message when there is no translation."""
    return WORDS.get(language, {}).get(message, message)


def site_gettext(language: str) -> Translate:
    """A gettext-like `_` bound to `language`, for templates and feed definitions."""
    table = WORDS.get(language, {})
    return lambda message: table.get(message, message)
