"""The Jinja2 environment of one language: email templates, its catalog, locale-aware filters.

One environment per (language, time zone) is built once and cached. Templates are shared by
all languages: interface words come from the catalog through `_()` / `{% trans %}`
(new-style gettext, so `%(name)s` values are escaped), dates and phone numbers through the
filters below. Autoescape is on for `.html` and off for `.txt`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import cache
from urllib.parse import quote

import phonenumbers
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from syndication.localdates import (
    format_datetime_local,
    format_long_date,
    format_time_local,
    language_name,
)
from syndication.mail.i18n import load_translations
from syndication.resources import TEMPLATES_DIR

TEXT_WIDTH = 72


@cache
def environment_for(language: str, timezone: tzinfo) -> Environment:
    """The cached environment that renders email templates in `language`, dates in `timezone`."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        load_translations(language), newstyle=True
    )
    environment.globals.update(language=language, language_name=language_name(language))
    environment.filters.update(
        date=_bind(format_long_date, language, timezone),
        time=_bind(format_time_local, language, timezone),
        datetime=_bind(format_datetime_local, language, timezone),
        phone=display_phone,
        tel=tel_uri,
        mailto=mailto_uri,
        fill=fill_text,
    )
    return environment


def _bind(
    format_moment: Callable[[datetime, str, tzinfo], str], language: str, timezone: tzinfo
) -> Callable[[datetime], str]:
    def format_local(moment: datetime) -> str:
        return format_moment(moment, language, timezone)

    return format_local


def display_phone(e164: str) -> str:
    """An E.164 number spaced for reading: `+32 473 63 61 24`."""
    number = phonenumbers.parse(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_uri(e164: str) -> str:
    """The RFC 3966 link of an E.164 number: `tel:+32473636124`."""
    return "tel:" + "".join(char for char in e164 if char == "+" or char.isdigit())


def mailto_uri(address: str) -> str:
    """The RFC 6068 link of an address."""
    return "mailto:" + quote(address, safe="@!$'*+=^_`{|}~.-")


def fill_text(
    text: str, width: int = TEXT_WIDTH, indent: str = "", first: str | None = None
) -> str:
    """Wrap a paragraph for the text part (`first` prefixes line one, `indent` the others)."""
    return textwrap.fill(  # URLs and long words are never broken
        " ".join(text.split()), width=width,
        initial_indent=indent if first is None else first, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )
