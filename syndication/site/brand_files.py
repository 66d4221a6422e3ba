"""The files of the site's brand and of its pages outside the releases, for the build plan.

The stylesheet (the accent written in), the logo (copied), the 404 page, and per language
the press contacts page and one vCard per config contact. None of them shows a release, so
their fingerprint is their path: the site fingerprint already covers the accent, the logo's
bytes, the contacts and the templates, and a change to any of those renders them again.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from syndication.config import Settings
from syndication.pages.brand_pages import (
    render_contact_vcard,
    render_contacts_page,
    render_not_found,
)
from syndication.site.paths import NOT_FOUND, STYLESHEET, contacts_path, vcard_path
from syndication.site.templates import render_site_template
from syndication.site.writer import PlannedFile


def plan_brand_files(settings: Settings) -> list[PlannedFile]:
    """Every brand file and non-release page of the site."""
    planned = [
        PlannedFile(STYLESHEET, STYLESHEET, partial(render_stylesheet, settings)),
        PlannedFile(NOT_FOUND, NOT_FOUND, partial(render_not_found, settings)),
    ]
    logo, logo_name = settings.branding.logo, settings.branding.logo_name
    if logo is not None and logo_name is not None:
        planned.append(PlannedFile(logo_name, logo_name, partial(_copy, logo)))
    for language in settings.languages:
        path = contacts_path(language)
        planned.append(PlannedFile(path, path, partial(render_contacts_page, settings, language)))
        for key in settings.contacts:
            path = vcard_path(language, key)
            planned.append(PlannedFile(
                path, path, partial(render_contact_vcard, settings, language, key)
            ))
    return planned


def render_stylesheet(settings: Settings) -> bytes:
    """The site's one stylesheet, in the brand's colours."""
    first = settings.languages[0]
    css = render_site_template("style.css", first, {"brand": settings.branding},
                               overrides=settings.branding.template_roots)
    return css.encode("utf-8")


def _copy(source: Path) -> bytes:
    return source.read_bytes()
