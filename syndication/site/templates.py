"""The Jinja2 environment of the static site: the templates in `templates/site/`.

Autoescaping is on for every template (they are all `.html`), so release text can never
become markup; release HTML reaches a template already sanitised by the loader and is the
only value marked safe. Templates get their words through `_`, bound to the page's language
(`syndication.translations`): one environment serves every language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache

from jinja2 import Environment

from syndication.resources import TEMPLATES_DIR
from syndication.template_environment import template_environment, template_loader
from syndication.translations import translator

SITE_TEMPLATES_DIR = TEMPLATES_DIR / "site"


@lru_cache(maxsize=1)
def site_environment() -> Environment:
    """The shared environment (templates are compiled once per process)."""
    return template_environment(template_loader("site"))


def render_site_template(name: str, language: str, context: Mapping[str, object]) -> str:
    """Render one template of `templates/site/` with `context`, its words in `language`."""
    template = site_environment().get_template(name)
    return template.render(context, _=translator(language).gettext)


def templates_fingerprint() -> str:
    """A hash of every site template, so an edited template re-renders the pages."""
    digest = hashlib.sha256()
    for path in sorted(SITE_TEMPLATES_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(SITE_TEMPLATES_DIR).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
