"""OPML 2.0 (http://opml.org/spec2.opml): the list of every feed, to subscribe in one go.

One folder outline per language holding its feeds, then one folder per theme. No
`dateCreated`/`dateModified`: the file changes only when the list of feeds does. Folder
outlines carry only `text`, and `version` is given only where OPML knows the value ("RSS2"):
the W3C validator warns about anything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree

from syndication.feeds.model import FeedDocument
from syndication.site.paths import FeedFormat

_VERSIONS = {FeedFormat.RSS: "RSS2"}


def render_opml(title: str, documents: Sequence[FeedDocument]) -> bytes:
    """An OPML 2.0 subscription list of every format of every document, grouped by language."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    folders: dict[str, ElementTree.Element] = {}
    for document in documents:
        folder = folders.get(document.language)
        if folder is None:
            folder = folders[document.language] = ElementTree.SubElement(
                body, "outline", text=document.title
            )
        parent = folder
        if document.folder != document.language:
            parent = ElementTree.SubElement(folder, "outline", text=document.title)
        for feed_format in FeedFormat:
            outline = ElementTree.SubElement(
                parent, "outline", type="rss", text=f"{document.title} ({feed_format.label})",
                title=document.title, language=document.language,
                xmlUrl=document.url(feed_format), htmlUrl=document.home_url,
            )
            if feed_format in _VERSIONS:
                outline.set("version", _VERSIONS[feed_format])
    ElementTree.indent(root)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"
