"""The Jinja2 environment of one language: email templates, its catalog, locale-aware filters.

One environment per (language, time zone) is built once and cached. Templates are shared by
all languages: interface words come from the catalog through `_()` / `{% trans %}`
(new-style gettext, so `%(name)s` values are escaped), dates through the filters below,
in the language's words and the site's time zone. The rest (autoescape on for `.html`, off
for `.txt`, the phone and link filters) is the product's one policy, in
`syndication.template_environment`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path

from jinja2 import Environment

from syndication.localdates import (
    format_datetime_local,
    format_long_date,
    format_time_local,
    language_name,
)
from syndication.template_environment import (
    install_translations,
    template_environment,
    template_loader,
)

TEXT_WIDTH = 72


@cache
def environment_for(
    language: str, timezone: tzinfo, overrides: tuple[Path, ...] = ()
) -> Environment:
    """The cached environment that renders email templates in `language`, dates in `timezone`.

    `overrides` are the site's template roots (`[paths] templates`), searched first.
    """
    # Rooted at the templates' root: the email templates name their folder (`email/...`).
    environment = template_environment(template_loader(overrides=overrides))
    install_translations(environment, language)
    environment.globals.update(language=language, language_name=language_name(language))
    environment.filters.update(
        date=_bind(format_long_date, language, timezone),
        time=_bind(format_time_local, language, timezone),
        datetime=_bind(format_datetime_local, language, timezone),
        fill=fill_text,
    )
    return environment


def _bind(
    format_moment: Callable[[datetime, str, tzinfo], str], language: str, timezone: tzinfo
) -> Callable[[datetime], str]:
    def format_local(moment: datetime) -> str:
        return format_moment(moment, language, timezone)

    return format_local


def fill_text(
    text: str, width: int = TEXT_WIDTH, indent: str = "", first: str | None = None
) -> str:
    """Wrap a paragraph for the text part (`first` prefixes line one, `indent` the others)."""
    return textwrap.fill(  # URLs and long words are never broken
        " ".join(text.split()), width=width,
        initial_indent=indent if first is None else first, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )
