"""The subscription pages: Jinja2 templates in `templates/pages/`, one per page, any language.

Each page is rendered in one language (the subscriber's first, else the one asked for,
else the browser's, else the site's first) with its interface words from the catalogs
(`syndication.translations`).
Autoescape is on for `.html`: an address or a label can never inject markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse

from syndication.config import Settings
from syndication.resources import TEMPLATES_DIR
from syndication.site.paths import (
    STYLESHEET,
    SUBSCRIBE,
    contacts_path,
    index_path,
    root_path_prefix,
    signup_query,
)
from syndication.template_environment import template_environment, template_loader
from syndication.translations import translator

PAGES_DIR = TEMPLATES_DIR / "pages"
# The pages hold personal links (tokens): keep them out of caches and referrers.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    # same-origin, not no-referrer: under no-referrer a browser posts the page's own forms
    # with `Origin: null`, which the cross-site guard (origins.py) must refuse. The token in
    # the URL still never leaves the site.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # The site's stylesheet and logo come from the output folder, served by the same host.
    "Content-Security-Policy": "default-src 'none'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'",
}


@cache
def _environment(overrides: tuple[Path, ...]) -> Environment:
    return template_environment(template_loader("pages", overrides=overrides))


def page_language(
    settings: Settings, request: Request, preferred: Sequence[str] = ()
) -> str:
    """The language to answer in: the preferred ones, ?lang=, Accept-Language, the site's."""
    for language in (*preferred, request.query_params.get("lang", "")):
        if language in settings.languages:
            return language
    for language in _accepted(request.headers.get("accept-language", "")):
        if language in settings.languages:
            return language
    return settings.languages[0]


def render_page(
    settings: Settings,
    name: str,
    language: str,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render `templates/pages/<name>.html` in `language` as an HTML response."""
    branding = settings.branding
    template = _environment(branding.template_roots).get_template(f"{name}.html")
    root = root_path_prefix(settings.base_url)
    html = template.render(
        _=translator(language).gettext,
        lang=language,
        site_title=settings.title.get(language, ""),
        organisation=settings.organisation_name.get(language, ""),
        base_url=settings.base_url,
        brand={
            "stylesheet_href": root + STYLESHEET,
            "logo_href": root + branding.logo_name if branding.logo_name else None,
            "home_href": root + index_path(language),
            "subscribe_href": root + SUBSCRIBE + signup_query(language),
            "contacts_href": root + contacts_path(language),
        },
        **{"language_switch": (), **context},
    )
    return HTMLResponse(
        html, status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})}
    )


def _accepted(header: str) -> list[str]:
    ranked = []
    for index, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, index, tag.split("-")[0].lower()))
    return [tag for _, _, tag in sorted(ranked)]
