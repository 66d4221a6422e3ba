"""The search page of a language (`/{lang}/search.html`): a form that lunr.js answers.

The page is static like the others: `assets/search.js` loads the language's index shards
(`syndication.search.index`) and shows the hits. Without JavaScript the form stays hidden
and the page says so, linking the archives (the language's home lists every month).
"""

from __future__ import annotations

from dataclasses import dataclass

from syndication.config import Settings
from syndication.pages.frame import page_frame, site_title
from syndication.site.paths import (
    asset_path,
    index_path,
    language_folder,
    relative_url,
    search_page_path,
    search_shards_path,
)
from syndication.site.templates import render_site_template
from syndication.translations import translator

LUNR = "lunr.min.js"
SCRIPT = "search.js"


@dataclass(frozen=True, slots=True)
class SearchView:
    """The search page's content: its links and the words its script shows."""

    heading: str
    shards_href: str  # the folder of the shards, ending in "/"
    archives_href: str
    lunr_href: str
    script_href: str
    one: str  # "%(count)s press release found", the singular form of this language
    other: str


def render_search_page(settings: Settings, language: str) -> bytes:
    """The search page in `language`."""
    path = search_page_path(language)
    words = translator(language)
    shards = relative_url(path, search_shards_path(language))
    view = SearchView(
        heading=words.gettext("Search the press releases"),
        shards_href=shards.rsplit("/", 1)[0] + "/",
        archives_href=relative_url(path, index_path(language)),
        lunr_href=relative_url(path, asset_path(LUNR)),
        script_href=relative_url(path, asset_path(SCRIPT)),
        one=words.ngettext("%(count)s press release contains these words",
                           "%(count)s press releases contain these words", 1),
        other=words.ngettext("%(count)s press release contains these words",
                             "%(count)s press releases contain these words", 2),
    )
    frame = page_frame(
        settings, language=language, path=path,
        paths_by_language={other: search_page_path(other) for other in settings.languages},
        feed_folder=language_folder(language), feed_title=site_title(settings, language),
    )
    html = render_site_template("search.html", language, {"page": frame, "search": view})
    return html.encode("utf-8")
