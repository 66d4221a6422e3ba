"""schema.org `NewsArticle` metadata for a release page, as JSON safe inside `<script>`.

JSON in an HTML `<script>` element ends at the first `</script`, whatever the JSON quoting,
so `<`, `>` and `&` (and the JavaScript line terminators U+2028/U+2029) are written as
`\\u003c`-style escapes: still the same JSON value, never markup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime

_SCRIPT_SAFE = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)

JsonData = Mapping[str, object]


def script_safe_json(data: JsonData) -> str:
    """`data` as JSON that cannot close or open markup inside a `<script>` element."""
    # No indent: only then does `json` use its C encoder (20,000 pages in a full build).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escape in _SCRIPT_SAFE:
        text = text.replace(character, escape)
    return text


def news_article(
    *, url: str, headline: str, description: str, language: str, published: datetime,
    modified: datetime, publisher: str, publisher_url: str | None, keywords: Sequence[str],
    translations: Sequence[tuple[str, str]],
) -> dict[str, object]:
    """The `NewsArticle` of one language version (dates already in the site's zone)."""
    organisation: dict[str, object] = {"@type": "Organization", "name": publisher}
    if publisher_url:
        organisation["url"] = publisher_url
    article: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": headline,
        "description": description,
        "inLanguage": language,
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "author": organisation,
        "publisher": organisation,
    }
    if keywords:
        article["keywords"] = list(keywords)
    if translations:
        article["workTranslation"] = [
            {"@type": "NewsArticle", "@id": other_url, "inLanguage": other_language}
            for other_language, other_url in translations
        ]
    return article
