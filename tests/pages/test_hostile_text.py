"""Hostile release text: script never reaches a page or a feed, markup in titles is text."""

from __future__ import annotations

import json

import feedparser
from lxml import html

from syndication.config import Settings
from tests.site.building import build, output_files, release_toml

TITLE = 'Budget <b>&"2027"</b> </script><script>alert("t")</script>'
BODY = """Intro paragraph.

<script>alert("xss")</script>

<img src=x onerror="alert('img')">

<a href="javascript:alert('js')" onclick="alert('click')">click</a>

<iframe src="https://evil.example"></iframe>

[link](javascript:alert('md'))
"""


def test_script_never_reaches_an_output_file_and_titles_stay_text(
    example_settings: Settings,
) -> None:
    (example_settings.releases_dir / "2020-01-15-hostile.toml").write_text(
        release_toml(title=TITLE, body=BODY), encoding="utf-8"
    )
    build(example_settings)
    files = output_files(example_settings)
    for path, content in files.items():
        text = content.decode("utf-8")
        for payload in ('alert("xss")', "onerror", "onclick", "evil.example", "<img"):
            assert payload not in text, (path, payload)
        if path.endswith(".html"):
            # The title's markup is text: escaped in HTML and \u003c-escaped in JSON-LD.
            assert "<b>" not in text
            assert '<script>alert("t")' not in text
            document = html.fromstring(content)
            scripts = document.xpath("//script")
            # JSON-LD data, or the site's own search scripts (no inline code).
            assert all(
                script.get("type") == "application/ld+json"
                or (script.get("src", "").startswith("../assets/") and not script.text)
                for script in scripts
            )
            assert document.xpath("//iframe | //img | //object | //embed") == []
            for element in document.iter():
                for name, value in element.attrib.items():
                    assert not name.startswith("on"), (path, name)
                    assert not value.strip().lower().startswith("javascript:"), (path, value)

    page = html.fromstring(files["fr/2020-01-15-hostile.html"])
    assert page.findtext(".//h1") == TITLE
    assert page.findtext(".//title").startswith(TITLE)
    (script,) = page.xpath("//script[@type='application/ld+json']")
    assert json.loads(script.text)["headline"] == TITLE
    assert "Intro paragraph." in page.text_content()

    atom = feedparser.parse(files["fr/atom.xml"])
    assert atom.bozo == 0
    entry = next(e for e in atom.entries if e.id.endswith("2020-01-15-hostile"))
    assert entry.title == TITLE
    feed = json.loads(files["nl/feed.json"])
    assert any(item["title"] == TITLE for item in feed["items"])


ESCAPED_TAGS = '&lt;img src="x" /&gt; &lt;a href="#evil" onclick="x"&gt;here&lt;/a&gt;'


def test_escaped_tags_in_body_text_stay_text_in_every_feed(example_settings: Settings) -> None:
    # The author wrote tags as text (Markdown entities): every format must show them as
    # text. RSS's <description> is HTML, so an unescaped summary turned them live (issue 11).
    (example_settings.releases_dir / "2020-01-16-escaped.toml").write_text(
        release_toml(title="Tags <b>as</b> text & more", body=ESCAPED_TAGS), encoding="utf-8"
    )
    build(example_settings)
    files = output_files(example_settings)
    shown = '<img src="x" /> <a href="#evil" onclick="x">here</a>'
    rss = feedparser.parse(files["fr/rss.xml"])
    assert rss.bozo == 0
    entry = next(e for e in rss.entries if e.link.endswith("2020-01-16-escaped.html"))
    for text in (entry.summary, entry.title):
        rendered = html.fragment_fromstring(text, create_parent="div")
        assert rendered.xpath("//img | //a | //b") == [], text
    assert html.fragment_fromstring(entry.summary, create_parent="div").text_content() == shown
    assert html.fragment_fromstring(entry.title, create_parent="div").text_content() == (
        "Tags <b>as</b> text & more")
    atom = feedparser.parse(files["fr/atom.xml"])
    entry = next(e for e in atom.entries if e.id.endswith("2020-01-16-escaped"))
    assert (entry.summary, entry.summary_detail.type) == (shown, "text/plain")
    item = next(i for i in json.loads(files["fr/feed.json"])["items"]
                if i["id"].endswith("2020-01-16-escaped"))
    assert item["summary"] == shown
