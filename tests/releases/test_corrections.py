"""`[correction]` in a release file: validated, shown on the page and in every feed entry."""

from __future__ import annotations

import json

import feedparser
from lxml import etree, html

from syndication.config import Settings
from syndication.releases import load_releases
from tests.site.building import build, release_toml

TELEWORK = "2021-06-08-telework-well-being-survey"
ATOM = "{http://www.w3.org/2005/Atom}"
NOTE_FR = "Le nombre de répondants a été corrigé (4 812, et non 4 218)."
NOTE_NL = "Het aantal respondenten is gecorrigeerd (4 812, niet 4 218)."


def write(settings: Settings, name: str, text: str) -> None:
    (settings.releases_dir / f"{name}.toml").write_text(text, "utf-8")


def problems_of(settings: Settings, name: str) -> list[tuple[str, str]]:
    loaded = load_releases(settings, use_cache=False)
    assert name not in {release.id for release in loaded.releases}
    return [(problem.field, problem.reason) for problem in loaded.problems
            if problem.source.endswith(f"{name}.toml")]


def test_a_correction_needs_updated_and_a_note_per_language(example_settings: Settings) -> None:
    base = release_toml(title="Titre", body="Corps.")
    write(example_settings, "no-updated", base + '[correction]\nnote = "Corrigé."\n')
    assert problems_of(example_settings, "no-updated") == [
        ("correction", "needs `updated`: a correction note says what the correction made at "
                       "that time changed"),
    ]
    corrected = release_toml(title="Titre", body="Corps.", updated="2020-01-16T10:00:00+01:00")
    write(example_settings, "one-language",
          corrected + '[correction]\nnote = { fr = "Corrigé." }\nnotify = "yes"\n')
    found = problems_of(example_settings, "one-language")
    assert ("correction.note", "has no note in nl (the release has that version: say what "
            "changed in it)") in found
    assert [field for field, _ in found] == ["correction.notify", "correction.note"]
    write(example_settings, "no-note", corrected + "[correction]\nnotify = true\n")
    assert [field for field, _ in problems_of(example_settings, "no-note")] == [
        "correction.note"
    ]
    write(example_settings, "fine", corrected + '[correction]\nnote = "Corrigé."\nnotify = true\n')
    loaded = load_releases(example_settings, use_cache=False)
    (fine,) = [release for release in loaded.releases if release.id == "fine"]
    assert fine.correction is not None
    assert dict(fine.correction.note) == {"fr": "Corrigé.", "nl": "Corrigé."}
    assert fine.correction.notify


def test_the_note_is_on_the_page_and_in_every_feeds_entry(example_settings: Settings) -> None:
    build(example_settings)
    output = example_settings.output_dir
    page = html.fromstring((output / f"fr/{TELEWORK}.html").read_bytes())
    (note,) = page.find_class("correction")
    assert note.text_content() == f"Correctif (9 juin 2021, 11:30) : {NOTE_FR}"
    nl_page = html.fromstring((output / f"nl/{TELEWORK}.html").read_bytes())
    assert NOTE_NL in nl_page.find_class("correction")[0].text_content()
    for language, note_text in (("fr", NOTE_FR), ("nl", NOTE_NL)):
        for folder in (language, f"{language}/themes/well-being-at-work"):
            atom = feedparser.parse(str(output / folder / "atom.xml"))
            (entry,) = [entry for entry in atom.entries if TELEWORK in entry.id]
            assert note_text in entry.content[0].value
            assert entry.updated == "2021-06-09T11:30:00+02:00"
            assert entry.published == "2021-06-08T14:00:00+02:00"
            rss = etree.parse(str(output / folder / "rss.xml")).getroot()
            (item,) = [item for item in rss.iter("item") if TELEWORK in item.findtext("guid")]
            encoded = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
            assert note_text in encoded
            feed = json.loads((output / folder / "feed.json").read_text("utf-8"))
            (json_item,) = [item for item in feed["items"] if TELEWORK in item["id"]]
            assert note_text in json_item["content_html"]
            assert json_item["date_modified"] == "2021-06-09T11:30:00+02:00"
    # A release without a correction note shows none.
    plain = html.fromstring((output / "fr/2020-11-17-social-situation-report-2020.html")
                            .read_bytes())
    assert not plain.find_class("correction")
