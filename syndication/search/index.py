"""The search index: one lunr index per language and archive month, built at `build` time.

lunr.js (vendored in `templates/site/assets/`) loads the serialised indexes in the browser,
so search works from any static host. Sharding by month keeps a rebuild cheap: a new or
corrected release changes its month's shard, never the 10,000-release whole; the browser
reads `/{lang}/search/shards.json` (the months, newest first) and then each shard. A shard
is `{"index": <lunr index>, "docs": {ref: [title, href, date text, date iso, summary]}}`
with hrefs relative to the search page.

Words are matched as written, without a stemmer (lunr's stemmer is English; French and
Dutch ones would need lunr-languages in the browser): lower-cased, accents folded
(`securite` finds "sécurité"), elisions split ("l'organisation" is "l" and
"organisation"). The text is cut into words here, once per field (`words`: what lunr's
tokenizer and trimmer do, token by token), and `lunr_format` writes the index lunr's
`Builder` would; the index names one query pipeline function, `foldAccents`, which
`search.js` registers (and tests/search, querying with lunr's Python API), so a query is
folded exactly as the index was.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Sequence

import nh3

from syndication.config import Settings
from syndication.pages.listing import listed_releases
from syndication.releases import Release
from syndication.search.lunr_format import serialised_index
from syndication.site.paths import search_page_path

FOLD = "foldAccents"
# The combining diacritics, as search.js removes them after NFD (the same range, so a query
# and the index fold alike).
MARKS = re.compile("[\u0300-\u036f]")
# A word: lunr.js splits on white space and hyphens, search.js on elisions too
# (l'organisation, d’un), and lunr's trimmer cuts what is not a word character from either
# end; so a word runs from a word character to the last one before a separator.
WORD = re.compile(r"\w(?:[^\s\-'’‘`]*\w)?")
FIELDS = (("title", 10), ("summary", 3), ("body", 1))


def fold(text: str) -> str:
    """`text` without its accents: é → e, ï → i."""
    return MARKS.sub("", unicodedata.normalize("NFD", text))


def words(text: str) -> list[str]:
    """The index terms of a text: split, trimmed, lower-cased, folded."""
    return WORD.findall(fold(text).lower())


def plain_text(markup: str) -> str:
    """The text of sanitised release HTML, without tags or entities."""
    return html.unescape(nh3.clean(markup, tags=set()))


def render_shard(settings: Settings, language: str, releases: Sequence[Release]) -> bytes:
    """The index of `releases` (one month of one language) and what a hit shows."""
    documents = []
    for release in releases:
        version = release.versions[language]
        documents.append((release.id, {
            "title": words(version.title),
            "summary": words(version.summary),
            "body": words(plain_text(version.body_html)),
        }))
    listed = listed_releases(settings, language, search_page_path(language), releases)
    docs = {
        release.id: [item.title, item.href, item.date_text, item.date_iso, item.summary]
        for release, item in zip(releases, listed, strict=True)
    }
    index = serialised_index(FIELDS, documents, search_pipeline=[FOLD])
    shard = {"index": index, "docs": docs}
    text = json.dumps(shard, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").encode()  # inert even if served as HTML by mistake


def render_shard_list(months: Sequence[str]) -> bytes:
    """`shards.json`: the months that have a shard, newest first (file names, no folder)."""
    names = [f"{month}.json" for month in sorted(months, reverse=True)]
    return json.dumps({"shards": names}, separators=(",", ":")).encode()
