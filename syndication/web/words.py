"""Interface words of the subscription pages, per language.

Templates ask for an English message (`_("Unsubscribe")`) and get it in the page's
language: from the gettext catalogs in `syndication/locales/` when they translate it, else
from the table below, else in English. Adding a language means a catalog (or a table
here): no template and no code tests the language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from syndication.mail.i18n import load_translations

Translate = Callable[[str], str]

WORDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType({
    "fr": MappingProxyType({
        "Subscribe": "S'abonner",
        "Subscribe to our press releases": "Abonnez-vous à nos communiqués de presse",
        "Email address": "Adresse e-mail",
        "Languages": "Langues",
        "Lists": "Listes",
        "Themes": "Thèmes",
        "All themes when none is ticked.": "Tous les thèmes si aucun n'est coché.",
        "How often": "Fréquence",
        "immediate": "dès la publication",
        "daily": "un résumé par jour",
        "weekly": "un résumé par semaine",
        "Check your inbox": "Vérifiez votre boîte de réception",
        "If this address can subscribe, we have sent it a message with a link to confirm. "
        "The link works for 7 days.":
            "Si cette adresse peut s'abonner, nous lui avons envoyé un message contenant un "
            "lien de confirmation. Ce lien est valable 7 jours.",
        "Subscription confirmed": "Abonnement confirmé",
        "You will receive our press releases at %(email)s.":
            "Vous recevrez nos communiqués de presse à l'adresse %(email)s.",
        "Change your preferences": "Modifier vos préférences",
        "Unsubscribe": "Se désabonner",
        "Stop receiving our press releases at %(email)s?":
            "Ne plus recevoir nos communiqués de presse à l'adresse %(email)s ?",
        "Unsubscribed": "Désabonnement effectué",
        "You will no longer receive our press releases.":
            "Vous ne recevrez plus nos communiqués de presse.",
        "Your preferences": "Vos préférences",
        "Save": "Enregistrer",
        "Preferences saved": "Préférences enregistrées",
        "Ticking no list unsubscribes you.": "Ne cocher aucune liste vous désabonne.",
        "This link is not valid": "Ce lien n'est pas valable",
        "It may have expired or been copied incompletely.":
            "Il a peut-être expiré ou a été copié de manière incomplète.",
        "Something is missing": "Il manque quelque chose",
        "Please try again later.": "Veuillez réessayer plus tard.",
        "Too many requests": "Trop de demandes",
        "Busy for a moment": "Occupé un instant",
        "Nothing was changed. Please try again in a few seconds.":
            "Rien n'a été modifié. Veuillez réessayer dans quelques secondes.",
        "The form has expired; please reload the page.":
            "Le formulaire a expiré ; veuillez recharger la page.",
        "Nothing to confirm": "Rien à confirmer",
        "This address is no longer subscribed.": "Cette adresse n'est plus abonnée.",
    }),
    "nl": MappingProxyType({
        "Subscribe": "Abonneren",
        "Subscribe to our press releases": "Abonneer u op onze persberichten",
        "Email address": "E-mailadres",
        "Languages": "Talen",
        "Lists": "Lijsten",
        "Themes": "Thema's",
        "All themes when none is ticked.": "Alle thema's als er geen aangevinkt is.",
        "How often": "Hoe vaak",
        "immediate": "bij publicatie",
        "daily": "een dagelijks overzicht",
        "weekly": "een wekelijks overzicht",
        "Check your inbox": "Controleer uw inbox",
        "If this address can subscribe, we have sent it a message with a link to confirm. "
        "The link works for 7 days.":
            "Als dit adres zich kan abonneren, hebben we er een bericht met een "
            "bevestigingslink naartoe gestuurd. De link is 7 dagen geldig.",
        "Subscription confirmed": "Abonnement bevestigd",
        "You will receive our press releases at %(email)s.":
            "U ontvangt onze persberichten op %(email)s.",
        "Change your preferences": "Uw voorkeuren wijzigen",
        "Unsubscribe": "Uitschrijven",
        "Stop receiving our press releases at %(email)s?":
            "Geen persberichten meer ontvangen op %(email)s?",
        "Unsubscribed": "Uitgeschreven",
        "You will no longer receive our press releases.":
            "U ontvangt onze persberichten niet meer.",
        "Your preferences": "Uw voorkeuren",
        "Save": "Opslaan",
        "Preferences saved": "Voorkeuren opgeslagen",
        "Ticking no list unsubscribes you.": "Als u geen lijst aanvinkt, wordt u uitgeschreven.",
        "This link is not valid": "Deze link is niet geldig",
        "It may have expired or been copied incompletely.":
            "Hij is misschien verlopen of onvolledig gekopieerd.",
        "Something is missing": "Er ontbreekt iets",
        "Please try again later.": "Probeer het later opnieuw.",
        "Too many requests": "Te veel aanvragen",
        "Busy for a moment": "Even bezet",
        "Nothing was changed. Please try again in a few seconds.":
            "Er is niets gewijzigd. Probeer het over enkele seconden opnieuw.",
        "The form has expired; please reload the page.":
            "Het formulier is verlopen; laad de pagina opnieuw.",
        "Nothing to confirm": "Niets te bevestigen",
        "This address is no longer subscribed.": "Dit adres is niet langer geabonneerd.",
    }),
})


def page_gettext(language: str) -> Translate:
    """A gettext-like `_` bound to `language`: catalog, else the table above, else English."""
    catalog = load_translations(language)
    table = WORDS.get(language, {})

    def translate(message: str) -> str:
        translated: str = catalog.gettext(message)
        if translated != message:
            return translated
        return table.get(message, message)

    return translate
