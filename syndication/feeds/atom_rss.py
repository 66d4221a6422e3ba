"""Atom (RFC 4287) and RSS 2.0 writing: the only module that imports feedgen.

feedgen is a solid serialiser with defaults that would make output churn, so this module
pins them down:
- `updated` / `lastBuildDate` default to *now*: we always set the document's own time;
- `add_entry` prepends: entries are added with `order="append"` in the document's order;
- in RSS the channel `<link>` comes from the *last* `link()` call: `self` goes first;
- each format gets its own generator, so its `self` link names its own file;
- feedgen 1.0 drops the `rel`, `type`, `hreflang` and `title` of entry links (it reads
  them back from the element it just created), which would turn every entry link into a
  duplicate plain alternate: entry links are written by `_EntryLinks`, a feedgen entry
  extension, instead;
- the generator element names this project, not feedgen's version, so upgrading feedgen
  does not rewrite every feed;
- text stays text: RSS 2.0 has no type attribute, its `<description>` is HTML and readers
  (feedparser among them) take a `<title>` that looks like markup as HTML too, so the RSS
  summary is always HTML-escaped and a title with `<` or `&` is; Atom says `type="text"`.
"""

from __future__ import annotations

import html
from typing import Any

from feedgen.entry import FeedEntry as _GeneratorEntry
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from syndication.feeds.model import FeedDocument, FeedEntry, FeedLink, FeedPerson
from syndication.site.paths import FeedFormat

GENERATOR = "syndication"


def render_atom(document: FeedDocument) -> bytes:
    """The document as an Atom 1.0 feed (UTF-8 bytes)."""
    generator = _generator(document, FeedFormat.ATOM)
    return bytes(generator.atom_str(pretty=True, encoding="UTF-8"))


def render_rss(document: FeedDocument) -> bytes:
    """The document as an RSS 2.0 feed (UTF-8 bytes), with content:encoded full text."""
    generator = _generator(document, FeedFormat.RSS)
    return bytes(generator.rss_str(pretty=True, encoding="UTF-8"))


def _generator(document: FeedDocument, feed_format: FeedFormat) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(document.id)
    generator.title(_title_text(document.title, feed_format))
    generator.subtitle(document.description)
    generator.description(_title_text(document.description, feed_format))
    generator.language(document.language)
    generator.author(_person(document.author))
    generator.generator(GENERATOR)
    generator.updated(document.updated)
    # `self` before `alternate`: feedgen's RSS channel <link> is the last link added.
    generator.link(href=document.url(feed_format), rel="self", type=feed_format.media_type)
    generator.link(href=document.home_url, rel="alternate", type="text/html",
                   hreflang=document.language)
    for entry in document.entries:
        _add_entry(generator.add_entry(order="append"), entry, document.language, feed_format)
    return generator


def _title_text(text: str, feed_format: FeedFormat) -> str:
    """A text as the format reads it: RSS readers take `<` and `&` in a title as HTML."""
    if feed_format is FeedFormat.RSS and ("<" in text or "&" in text):
        return html.escape(text, quote=False)
    return text


def _add_entry(
    item: _GeneratorEntry, entry: FeedEntry, language: str, feed_format: FeedFormat
) -> None:
    item.id(entry.id)
    item.title(_title_text(entry.title, feed_format))
    item.published(entry.published)
    item.updated(entry.updated)
    item.content(entry.content_html, type="html")
    # Atom <summary> and RSS <description> carry the summary; Atom <content> and RSS
    # content:encoded the full text.
    summary = html.escape(entry.summary, quote=False) if feed_format is FeedFormat.RSS else (
        entry.summary)
    item.description(summary, isSummary=True)
    item.register_extension("syndication_links", _EntryLinks, atom=True, rss=True)
    own = FeedLink(href=entry.url, rel="alternate", media_type="text/html", hreflang=language)
    item.syndication_links.links = (own, *entry.links)
    for category in entry.categories:
        item.category(term=category.term, label=category.label, scheme=category.scheme)
    for contributor in entry.contributors:
        item.contributor(_person(contributor))


class _EntryLinks(BaseEntryExtension):  # type: ignore[misc]  # feedgen is untyped
    """Writes an entry's links with all their attributes (feedgen 1.0 loses them)."""

    def __init__(self) -> None:
        self.links: tuple[FeedLink, ...] = ()

    def extend_atom(self, entry: Any) -> Any:
        """Atom: every link (RFC 4287 §4.2.7), the entry's own page first."""
        for link in self.links:
            element = xml_elem("link", entry, href=link.href, rel=link.rel)
            for name, value in (("type", link.media_type), ("hreflang", link.hreflang),
                                ("title", link.title)):
                if value:
                    element.attrib[name] = value
        return entry

    def extend_rss(self, item: Any) -> Any:
        """RSS: one <link>, the entry's own page."""
        xml_elem("link", item).text = self.links[0].href
        return item


def _person(person: FeedPerson) -> dict[str, str]:
    fields = {"name": person.name}
    if person.email:
        fields["email"] = person.email
    if person.uri:
        fields["uri"] = person.uri
    return fields
