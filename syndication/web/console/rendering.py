"""Rendering the console's pages: `templates/console/`, in the admin's language.

The language is `?lang=` (remembered in a cookie), else the cookie, else the browser's,
else the site's first; every word comes from the catalogs, like the public pages.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse

from syndication.config import Settings
from syndication.localdates import format_datetime_local, language_name
from syndication.template_environment import (
    install_translations,
    template_environment,
    template_loader,
)
from syndication.web.console.words import KIND_WORDS, REPORT_WORDS
from syndication.web.pages import page_language

LANGUAGE_COOKIE = "console_lang"


@cache
def _environment(language: str) -> Environment:
    environment = template_environment(template_loader("console"))
    install_translations(environment, language)
    return environment


def console_language(settings: Settings, request: Request) -> str:
    """The language of the page: ?lang=, the remembered one, the browser's, the site's."""
    asked = request.query_params.get("lang", "")
    if asked in settings.languages:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    return page_language(settings, request, (remembered,) if remembered else ())


def render(
    request: Request, settings: Settings, template: str, language: str, *,
    status_code: int = 200, **context: Any,
) -> HTMLResponse:
    """Render `templates/console/<template>.html` as an HTML answer."""

    def when(moment: datetime | None) -> str:
        return "" if moment is None else format_datetime_local(
            moment, language, settings.timezone)

    html = _environment(language).get_template(f"{template}.html").render(
        lang=language, languages=settings.languages, language_name=language_name,
        site_title=settings.title.get(language, ""), path=request.url.path, when=when,
        kind_words=KIND_WORDS, report_words=REPORT_WORDS,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang", "") in settings.languages:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, path="/admin",
                            httponly=True, samesite="lax",
                            secure=not settings.base_url.startswith("http://"))
    return response
