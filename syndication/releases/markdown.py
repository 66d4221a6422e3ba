"""Release Markdown to safe HTML: GitHub-flavoured Markdown (cmark-gfm), then an allow-list
sanitiser.

Sanitising happens here, once, so that no feed, page or email ever sees raw author HTML:
no script or style, no event handlers, no `javascript:` URLs, no iframes (nh3/ammonia's
allow-list drops everything it does not know). cmark-gfm is the C reference
implementation: about 20 times faster than a pure-Python parser, which is what makes a
cold build of a 10,000-release site fit in seconds.
"""

from __future__ import annotations

import html
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from syndication.tomlfields import XML_INVALID

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Raw HTML is let through cmark ("unsafe") only because nh3 cleans the result right after;
# GFM's "tagfilter" is left out for the same reason (it would show `<script>` as text).
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_VALIDATE_UTF8
_EXTENSIONS = ["table", "strikethrough", "autolink"]
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML."""
    rendered = cmarkgfm.markdown_to_html_with_extensions(
        text, options=_OPTIONS, extensions=_EXTENSIONS
    )
    # A numeric reference such as `&#1;` decodes to a character XML cannot carry.
    return XML_INVALID.sub("\ufffd", sanitise_html(rendered))


def sanitise_html(fragment: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        fragment, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer", strip_comments=True,
    ).strip()


def first_paragraph_text(body_html: str) -> str:
    """The plain text of the first paragraph of rendered HTML (a default summary)."""
    match = _FIRST_PARAGRAPH.search(body_html)
    if match is None:
        return ""
    text = html.unescape(nh3.clean(match.group(1), tags=set()))
    return " ".join(text.split())
