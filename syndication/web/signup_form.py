"""The sign-up form as a page: shown empty, or again with what was typed and what is wrong.

On an error the form comes back with the person's values (address, name, organisation,
ticked boxes) and the message next to the field it is about, tied to it by
`aria-describedby` (and `aria-invalid`), so a screen reader reads both together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.responses import Response

from subscribers import Frequency
from syndication.localdates import language_name
from syndication.site.paths import SUBSCRIBE, root_path_prefix, signup_query
from syndication.translations import N_
from syndication.web.context import WebContext
from syndication.web.forms import Fields, single, values
from syndication.web.pages import render_page
from syndication.web.responses import form_choices

# What a field's error says: fixed words, in the catalogs (the detail stays in the JSON API).
FIELD_ERRORS = {
    "email": N_("Enter a valid email address, like name@example.org."),
    "name": N_("Keep this field under 200 characters, on one line."),
    "organisation": N_("Keep this field under 200 characters, on one line."),
    "choices": N_("Choose at least one language and one list among those offered."),
}


def signup_page(
    web: WebContext, language: str, open_lists: Sequence[str], *,
    fields: Fields | None = None, error_field: str | None = None, status_code: int = 200,
) -> Response:
    """The sign-up page in `language`: empty, or with `fields` as posted and one error."""
    given = fields or {}
    chosen = {
        "languages": values(given, "languages") or (language,),
        "lists": values(given, "lists") if fields is not None else tuple(open_lists),
        "themes": values(given, "themes"),
        "frequency": single(given, "frequency") or Frequency.IMMEDIATE.value,
    }
    typed = {key: single(given, key) for key in ("email", "name", "organisation")}
    errors: Mapping[str, str] = (
        {error_field: FIELD_ERRORS[error_field]} if error_field is not None else {}
    )
    form = root_path_prefix(web.settings.base_url) + SUBSCRIBE
    switch = [
        (other, language_name(other), form + signup_query(other))
        for other in web.settings.languages if other != language
    ]
    return render_page(
        web.settings, "subscribe", language, status_code=status_code,
        **form_choices(web, language, open_lists), chosen=chosen, typed=typed, errors=errors,
        language_switch=switch,
    )
