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
- each entry has exactly one `alternate` link, its page in the feed's language
  (feedparser, newsboat and rss2email take the last alternate as the entry's link);
  attachments are `enclosure` links (Atom) and the first one the RSS `<enclosure>`
  (RSS 2.0 allows one per item);
- WebSub hubs (`rel="hub"`) and RFC 5005 history links (`prev-archive`, `next-archive`,
  `current`, and `fh:archive` in an archive document) are feed-level links; in RSS the
  hubs are `atom:link`s of the channel, written by `_ChannelLinks`;
- the generator element names this project, not feedgen's version, so upgrading feedgen
  does not rewrite every feed;
- text stays text: RSS 2.0 has no type attribute, its `<description>` is HTML and readers
  (feedparser among them) take a `<title>` that looks like markup as HTML too, so the RSS
  summary is always HTML-escaped and a title with `<` or `&` is; Atom says `type="text"`.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any

from feedgen.entry import FeedEntry as _GeneratorEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from syndication.feeds.model import FeedDocument, FeedEntry, FeedLink, FeedPerson
from syndication.site.paths import FeedFormat

GENERATOR = "syndication"


def render_atom(document: FeedDocument, *, entries: dict[str, bytes] | None = None) -> bytes:
    """The document as an Atom 1.0 feed (UTF-8 bytes).

    With `entries` (a cache shared by the documents of one build, by entry id), each entry
    is serialised once however many documents hold it (its language feed, its themes',
    their archive pages) and spliced in: the same bytes, at a third of the cost.
    """
    if entries is None:
        generator = _generator(document, FeedFormat.ATOM)
        return bytes(generator.atom_str(pretty=True, encoding="UTF-8"))
    empty = dataclasses.replace(document, entries=())
    head = bytes(_generator(empty, FeedFormat.ATOM).atom_str(pretty=True, encoding="UTF-8"))
    assert head.endswith(_ATOM_END)
    parts = [head[:-len(_ATOM_END)]]
    for entry in document.entries:
        made = entries.get(entry.id)
        if made is None:
            made = entries[entry.id] = _atom_entry(entry, document.language)
        parts.append(made)
    parts.append(_ATOM_END)
    return b"".join(parts)


_ATOM_END = b"</feed>\n"


def _atom_entry(entry: FeedEntry, language: str) -> bytes:
    """One entry as feedgen writes it inside a feed (pretty-printed at depth 1)."""
    item = _GeneratorEntry()
    _add_entry(item, entry, language, FeedFormat.ATOM)
    element = item.atom_entry()
    etree.indent(element, space="  ", level=1)
    serialised: bytes = etree.tostring(element, encoding="UTF-8")
    return b"  " + serialised + b"\n"


def render_rss(document: FeedDocument) -> bytes:
    """The document as an RSS 2.0 feed (UTF-8 bytes), with content:encoded full text."""
    generator = _generator(document, FeedFormat.RSS)
    return bytes(generator.rss_str(pretty=True, encoding="UTF-8"))


HISTORY_NAMESPACE = "http://purl.org/syndication/history/1.0"  # RFC 5005 §6
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"


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
    if feed_format is FeedFormat.ATOM:
        for hub in document.hubs:
            generator.link(href=hub, rel="hub")
        for link in document.history:
            generator.link(href=link.href, rel=link.rel, type=link.media_type)
    for entry in document.entries:
        _add_entry(generator.add_entry(order="append"), entry, document.language, feed_format)
    generator.register_extension("syndication_channel", _ChannelLinks, None, atom=True,
                                 rss=True)
    generator.syndication_channel.hubs = document.hubs
    generator.syndication_channel.archive = document.archive_page is not None
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


class _ChannelLinks(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """`fh:archive` in an archive document (Atom); the hubs as channel `atom:link`s (RSS)."""

    def __init__(self) -> None:
        self.hubs: tuple[str, ...] = ()
        self.archive = False

    def extend_ns(self) -> dict[str, str]:
        """The history namespace, only where it is used."""
        return {"fh": HISTORY_NAMESPACE} if self.archive else {}

    def extend_atom(self, feed: Any) -> Any:
        """RFC 5005 §4: an archive document says so with `fh:archive`."""
        if self.archive:
            xml_elem(f"{{{HISTORY_NAMESPACE}}}archive", feed)
        return feed

    def extend_rss(self, feed: Any) -> Any:
        """WebSub §4: RSS announces its hubs with Atom links in the channel."""
        channel = feed.find("channel")
        for hub in self.hubs:
            xml_elem(f"{{{ATOM_NAMESPACE}}}link", channel, href=hub, rel="hub")
        return feed


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
            if link.length is not None:
                element.attrib["length"] = str(link.length)
        return entry

    def extend_rss(self, item: Any) -> Any:
        """RSS: one <link>, the entry's own page; the first attachment as <enclosure>."""
        xml_elem("link", item).text = self.links[0].href
        enclosure = next((link for link in self.links if link.rel == "enclosure"), None)
        if enclosure is not None:
            # RSS 2.0 requires a length; the RSS Advisory Board's profile says 0 when the
            # size is unknown.
            xml_elem("enclosure", item, url=enclosure.href,
                     length=str(enclosure.length or 0),
                     type=enclosure.media_type or "application/octet-stream")
        return item


def _person(person: FeedPerson) -> dict[str, str]:
    fields = {"name": person.name}
    if person.email:
        fields["email"] = person.email
    if person.uri:
        fields["uri"] = person.uri
    return fields
