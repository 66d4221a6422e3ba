"""JSON Feed 1.1 writing (https://jsonfeed.org/version/1.1), by hand: it is just JSON.

Keys are written in a fixed order and dates in the site's zone (RFC 3339), so the bytes are
the same on every rebuild of the same document.
"""

from __future__ import annotations

import json

from syndication.feeds.model import FeedDocument, FeedEntry, FeedLink, FeedPerson
from syndication.site.paths import FeedFormat

VERSION = "https://jsonfeed.org/version/1.1"

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def render_json_feed(document: FeedDocument) -> bytes:
    """The document as a JSON Feed 1.1 (UTF-8 bytes)."""
    author = _author(document.author)
    feed: dict[str, JsonValue] = {
        "version": VERSION,
        "title": document.title,
        "home_page_url": document.home_url,
        "feed_url": document.url(FeedFormat.JSON),
        "description": document.description,
        "language": document.language,
        "authors": [author],
        **_hubs(document),
        "items": [_item(entry, document.language, author) for entry in document.entries],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _hubs(document: FeedDocument) -> dict[str, JsonValue]:
    """JSON Feed 1.1 `hubs`: the WebSub hubs (absent when none are configured)."""
    if not document.hubs:
        return {}
    return {"hubs": [{"type": "WebSub", "url": hub} for hub in document.hubs]}


def _item(entry: FeedEntry, language: str, author: dict[str, JsonValue]) -> JsonValue:
    item: dict[str, JsonValue] = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "content_html": entry.content_html,
        "summary": entry.summary,
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
        "tags": [category.label for category in entry.categories],
        "authors": [author],
        "language": language,
    }
    attachments: list[JsonValue] = [_attachment(link) for link in entry.links
                                    if link.rel == "enclosure"]
    if attachments:
        item["attachments"] = attachments
    return item


def _attachment(link: FeedLink) -> JsonValue:
    attachment: dict[str, JsonValue] = {
        "url": link.href, "mime_type": link.media_type or "application/octet-stream",
        "title": link.title or link.href,
    }
    if link.length is not None:
        attachment["size_in_bytes"] = link.length
    return attachment


def _author(person: FeedPerson) -> dict[str, JsonValue]:
    author: dict[str, JsonValue] = {"name": person.name}
    if person.uri:
        author["url"] = person.uri
    return author
