"""JSON Feed 1.1 and the OPML list of every feed."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from syndication.config import Settings
from tests.site.building import build, feed_paths

BASE = "https://press.example.be"
TELEWORK = "2021-06-08-telework-well-being-survey"


def test_json_feed_structure(example_settings: Settings) -> None:
    build(example_settings)
    feed = json.loads((example_settings.output_dir / "fr/feed.json").read_text("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["language"] == "fr"
    assert feed["feed_url"] == f"{BASE}/fr/feed.json"
    assert feed["home_page_url"] == f"{BASE}/fr/index.html"
    assert feed["authors"] == [
        {"name": "SPF Sécurité sociale", "url": "https://www.socialsecurity.belgium.be"}
    ]
    items = {item["id"]: item for item in feed["items"]}
    item = items[f"tag:press.example.be,2021-06-08:/fr/{TELEWORK}"]
    assert item["url"] == f"{BASE}/fr/{TELEWORK}.html"
    assert item["title"].startswith("Télétravail : un travailleur sur trois")
    assert item["date_published"] == "2021-06-08T14:00:00+02:00"
    assert item["date_modified"] == "2021-06-09T11:30:00+02:00"
    assert item["tags"] == ["Bien-être au travail", "Indépendants"]
    assert item["summary"].startswith("Une enquête du SPF")
    assert "<p>" in item["content_html"]
    assert "mailto:nathalie.verbeke@minsoc.fed.be" in (
        item["content_html"]
    )
    assert item["authors"][0]["name"] == "SPF Sécurité sociale"
    report = items["tag:press.example.be,2020-11-17:/fr/2020-11-17-social-situation-report-2020"]
    assert report["attachments"][0] == {
        "url": "https://press.example.be/files/2020-social-situation-report.pdf",
        "mime_type": "application/pdf", "title": "Rapport complet 2020 (PDF)",
        "size_in_bytes": 2483712,
    }
    for path in feed_paths(example_settings, "feed.json"):
        parsed = json.loads(path.read_text("utf-8"))
        assert parsed["version"] == "https://jsonfeed.org/version/1.1"
        assert all({"id", "url", "title", "content_html", "date_published", "date_modified"}
                   <= item.keys() for item in parsed["items"])


def test_opml_lists_every_feed(example_settings: Settings) -> None:
    build(example_settings)
    root = ElementTree.parse(example_settings.output_dir / "feeds.opml").getroot()
    assert root.get("version") == "2.0"
    listed = {outline.get("xmlUrl") for outline in root.iter("outline") if outline.get("xmlUrl")}
    on_disk = {
        f"{BASE}/{path.relative_to(example_settings.output_dir).as_posix()}"
        for name in ("atom.xml", "rss.xml", "feed.json")
        for path in feed_paths(example_settings, name)
    }
    assert listed == on_disk
    assert len(listed) == 2 * (1 + len(example_settings.themes)) * 3
    languages = [folder[0].get("language") for folder in root.find("body")]
    assert languages == ["fr", "nl"]
    versions = {outline.get("version") for outline in root.iter("outline")}
    assert versions == {None, "RSS2"}  # the only outline version OPML defines that we use
