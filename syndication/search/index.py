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
tokenizer and trimmer do, token by token, at a tenth of the cost), so the index pipeline
is empty; the query side folds with a pipeline function registered under the same name
(`foldAccents`) here and in `search.js`, so a query is folded exactly as the index was.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Sequence

import nh3
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.token import Token

from syndication.config import Settings
from syndication.pages.listing import listed_releases
from syndication.releases import Release
from syndication.site.paths import search_page_path

FOLD = "foldAccents"
# The combining diacritics, as search.js removes them after NFD (the same range, so a query
# and the index fold alike).
MARKS = re.compile("[\u0300-\u036f]")
# lunr.js splits on white space and hyphens; search.js adds elisions (l'organisation, d’un).
SEPARATORS = re.compile(r"[\s\-'’‘`]+")
EDGES = re.compile(r"^\W+|\W+$")  # lunr's trimmer
FIELDS = (("title", 10), ("summary", 3), ("body", 1))


def fold(text: str) -> str:
    """`text` without its accents: é → e, ï → i."""
    return MARKS.sub("", unicodedata.normalize("NFD", text))


def fold_accents(token: Token, index: int | None = None, tokens: object = None) -> Token:
    """lunr pipeline function: the token folded (queries in Python, as search.js does)."""
    return token.update(lambda text, metadata=None: fold(text))


Pipeline.register_function(fold_accents, FOLD)


def words(text: str) -> list[str]:
    """The index terms of a text: split, trimmed, lower-cased, folded."""
    terms = (EDGES.sub("", word) for word in SEPARATORS.split(fold(text).lower()))
    return [term for term in terms if term]


def plain_text(markup: str) -> str:
    """The text of sanitised release HTML, without tags or entities."""
    return html.unescape(nh3.clean(markup, tags=set()))


def render_shard(settings: Settings, language: str, releases: Sequence[Release]) -> bytes:
    """The index of `releases` (one month of one language) and what a hit shows."""
    builder = Builder()  # its index pipeline stays empty: `words` did that work
    builder.search_pipeline.add(fold_accents)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for release in releases:
        version = release.versions[language]
        builder.add({
            "ref": release.id,
            "title": words(version.title),
            "summary": words(version.summary),
            "body": words(plain_text(version.body_html)),
        })
    listed = listed_releases(settings, language, search_page_path(language), releases)
    docs = {
        release.id: [item.title, item.href, item.date_text, item.date_iso, item.summary]
        for release, item in zip(releases, listed, strict=True)
    }
    shard = {"index": builder.build().serialize(), "docs": docs}
    text = json.dumps(shard, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").encode()  # inert even if served as HTML by mistake


def render_shard_list(months: Sequence[str]) -> bytes:
    """`shards.json`: the months that have a shard, newest first (file names, no folder)."""
    names = [f"{month}.json" for month in sorted(months, reverse=True)]
    return json.dumps({"shards": names}, separators=(",", ":")).encode()
