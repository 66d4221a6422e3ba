"""Release Markdown to safe HTML: CommonMark (with tables), then an allow-list sanitiser.

Sanitising happens here, once, so that no feed, page or email ever sees raw author HTML:
no script or style, no event handlers, no `javascript:` URLs, no iframes (nh3/ammonia's
allow-list drops everything it does not know).
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML."""
    return sanitise_html(_MARKDOWN.render(text))


def sanitise_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer", strip_comments=True,
    ).strip()


def first_paragraph_text(text: str) -> str:
    """The plain text of the first paragraph of some Markdown (a default summary)."""
    tokens = _MARKDOWN.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            inline = tokens[index + 1]
            parts = []
            for child in inline.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            return " ".join("".join(parts).split())
    return ""
