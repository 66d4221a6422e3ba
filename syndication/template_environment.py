"""Every Jinja2 environment of the product, made by one factory under one policy.

Emails (`mail/templating.py`), the static site (`site_templates.py`) and the subscription
pages (`web/pages.py`) all take their environment from `template_environment`, so they
escape alike (on for `.html` and `.xml`, off for `.txt`, on for any other name, so that a
`.html.j2` can never turn it off), fail alike on an undefined name, lay blocks out alike
and share the same language-neutral filters (`phone`, `tel`, `mailto`: the formatters of
`syndication.contacts`, which the view models use too). Callers add what depends on a
language (date filters) to the environment they get.

Interface words come from one place, `syndication.translations`, in one of two ways. An
environment of one language (the emails') has them installed by `install_translations`:
`_()`, `ngettext()` and `{% trans %}`, new-style (the translated text is markup, the
`%(name)s` values are escaped). The site's and the subscription pages' environment serves
every language: each render passes `_`, a `Translator`'s `gettext`, whose plain text is
escaped like any other value (so their apostrophes read `&#39;`, as they always have).

Templates are found through `template_loader`: one folder of the packaged templates,
searched after any override roots the caller names. That is where a site's own templates
go in front of the packaged ones; each root mirrors the packaged layout (`email/`, `site/`,
`pages/`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

from syndication.contacts import display_phone, mailto_uri, tel_uri
from syndication.resources import TEMPLATES_DIR
from syndication.translations import translator

ESCAPED_SUFFIXES = ("html", "htm", "xml")
PLAIN_SUFFIXES = ("txt",)


def template_search_path(overrides: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The template roots in search order: each override first, the packaged templates last."""
    return (*overrides, TEMPLATES_DIR)


def template_loader(folder: str = "", *, overrides: Sequence[Path] = ()) -> BaseLoader:
    """The loader of one folder of the templates (`site`, `pages`; "" for the root)."""
    return FileSystemLoader([root / folder for root in template_search_path(overrides)])


def template_environment(loader: BaseLoader) -> Environment:
    """A new environment under the product's one policy, reading templates through `loader`."""
    environment = Environment(
        loader=loader,
        autoescape=select_autoescape(
            enabled_extensions=ESCAPED_SUFFIXES,
            disabled_extensions=PLAIN_SUFFIXES,
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    # The bytecode cache is keyed on a template's file and source, not on the environment
    # that compiled it: sharing it is safe only because every environment compiles alike,
    # new-style gettext (`%(name)s` values escaped) included, whether or not it has a catalog.
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    environment.filters.update(phone=display_phone, tel=tel_uri, mailto=mailto_uri)
    return environment


def install_translations(environment: Environment, language: str) -> None:
    """Give the templates of `environment` the words of `language` (`_`, `{% trans %}`)."""
    # Looked up at each word, not once: a cached environment then follows the catalog
    # search path like everything else (an email has a few dozen words).
    def gettext(message: str) -> str:
        return translator(language).gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return translator(language).ngettext(singular, plural, n)

    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=gettext, ngettext=ngettext, newstyle=True
    )


@cache
def _bytecode_cache() -> FileSystemBytecodeCache:
    # Jinja's private per-user folder in the temp dir: it spares every process (a `build`,
    # a sending worker) compiling the templates again.
    return FileSystemBytecodeCache()
