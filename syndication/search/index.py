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
"organisation"). The folding is a pipeline function registered under the same name
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
from lunr.trimmer import trimmer

from syndication.config import Settings
from syndication.pages.listing import listed_releases
from syndication.releases import Release
from syndication.site.paths import search_page_path

FOLD = "foldAccents"
ELISIONS = re.compile(r"['’‘`]")  # l'organisation, d’un: two words, as lunr.js splits them
FIELDS = (("title", 10), ("summary", 3), ("body", 1))


def fold_accents(token: Token, index: int | None = None, tokens: object = None) -> Token:
    """The token without its accents: é → e, ï → i (NFD, combining marks dropped)."""
    return token.update(lambda text, metadata=None: "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    ))


Pipeline.register_function(fold_accents, FOLD)


def plain_text(markup: str) -> str:
    """The words of sanitised release HTML, without tags or entities, elisions split."""
    return ELISIONS.sub(" ", html.unescape(nh3.clean(markup, tags=set())))


def render_shard(settings: Settings, language: str, releases: Sequence[Release]) -> bytes:
    """The index of `releases` (one month of one language) and what a hit shows."""
    builder = Builder()
    builder.pipeline.add(trimmer, fold_accents)
    builder.search_pipeline.add(fold_accents)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for release in releases:
        version = release.versions[language]
        builder.add({
            "ref": release.id,
            "title": ELISIONS.sub(" ", version.title),
            "summary": ELISIONS.sub(" ", version.summary),
            "body": plain_text(version.body_html),
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
