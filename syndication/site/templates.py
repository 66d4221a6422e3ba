"""The Jinja2 environment of the static site: the templates in `templates/site/`.

Autoescaping is on for every template (they are all `.html`), so release text can never
become markup; release HTML reaches a template already sanitised by the loader and is the
only value marked safe. Templates get their words through `_`, bound to the page's language
(`syndication.translations`): one environment serves every language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, TemplateError

from syndication.errors import ConfigError, Problem
from syndication.resources import TEMPLATES_DIR
from syndication.template_environment import (
    template_environment,
    template_loader,
    template_search_path,
)
from syndication.translations import translator

SITE_TEMPLATES_DIR = TEMPLATES_DIR / "site"


@lru_cache(maxsize=8)
def site_environment(overrides: tuple[Path, ...] = ()) -> Environment:
    """The shared environment of these override roots (templates compiled once per process)."""
    return template_environment(template_loader("site", overrides=overrides))


def render_site_template(
    name: str, language: str, context: Mapping[str, object], *,
    overrides: Sequence[Path] = (),
) -> str:
    """Render one template of `templates/site/` (or an override's) in `language`."""
    template = site_environment(tuple(overrides)).get_template(name)
    try:
        return template.render(context, _=translator(language).gettext)
    except TemplateError as error:
        # An override may name a value the page does not have: say which file, not a traceback.
        raise ConfigError([Problem(_failing_line(error, template.filename or name), "",
                                   f"cannot be rendered: {error}")]) from None


def _failing_line(error: BaseException, fallback: str) -> str:
    """"file, line N" of the innermost template frame (Jinja puts templates in tracebacks)."""
    found = fallback
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".css")):
            found = f"{filename}, line {trace.tb_lineno}"
        trace = trace.tb_next
    return found


def templates_fingerprint(overrides: Sequence[Path] = ()) -> str:
    """A hash of every site template, override roots first, so an edit re-renders the pages.

    The rank of each root is hashed with its files: a file moved from the override folder
    to the packaged one (or the reverse) changes which one wins.
    """
    digest = hashlib.sha256()
    for rank, top in enumerate(template_search_path(overrides)):
        root = top / "site"
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(f"{rank}/{path.relative_to(root).as_posix()}".encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()
