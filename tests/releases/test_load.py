"""Release loading: the example site is valid; every kind of bad input is named, all at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import syndication.releases.load as load_module
from syndication.config import Settings, load_settings
from syndication.releases import load_releases

GOOD = """
published = 2026-03-02T10:00:00+01:00
themes = ["pensions"]
[fr]
title = "Titre"
body = "Premier paragraphe.\\n\\nSecond."
[nl]
title = "Titel"
body = "Eerste alinea."
[[contacts]]
ref = "press-service"
"""


def add_release(settings: Settings, name: str, text: str) -> Path:
    path = settings.releases_dir / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_site_loads_without_problems(example_settings: Settings) -> None:
    loaded = load_releases(example_settings, use_cache=False)
    assert loaded.problems == ()
    ids = [release.id for release in loaded.releases]
    assert "2016-08-31-belincosoc-china" in ids
    assert ids == sorted(ids)  # oldest first; the ids start with the date here
    seed = next(r for r in loaded.releases if r.id == "2016-08-31-belincosoc-china")
    assert seed.languages == ("fr", "nl")
    assert seed.published.utcoffset() == timedelta(hours=2)
    assert "+32473636124" in [contact.phone for contact in seed.contacts]
    assert seed.versions["fr"].title.startswith("Le SPF Sécurité sociale partage")


def test_defaults_id_from_file_and_summary_from_first_paragraph(example_settings: Settings) -> None:
    add_release(example_settings, "2026-03-02-simple", GOOD)
    loaded = load_releases(example_settings, use_cache=False)
    release = next(r for r in loaded.releases if r.id == "2026-03-02-simple")
    assert release.versions["fr"].summary == "Premier paragraphe."
    assert release.lists == ()
    assert release.contacts[0].email == "press@minsoc.fed.be"


def test_every_problem_of_every_file_is_reported_in_one_run(example_settings: Settings) -> None:
    naive = add_release(example_settings, "naive", GOOD.replace("+01:00", ""))
    unknown = add_release(example_settings, "unknown", GOOD.replace(
        'themes = ["pensions"]',
        'themes = ["pensions", "astrology"]\nlists = ["nobody"]\ncolour = "red"',
    ).replace('ref = "press-service"', 'ref = "ghost"'))
    contact = add_release(example_settings, "contact", GOOD + """
[[contacts]]
name = "A. Person"
phone = "not a number"
email = "person@@example"
""")
    control = add_release(example_settings, "control", GOOD.replace('"Titre"', '"Ti\\u0007tre"'))
    embargo = add_release(example_settings, "embargo", GOOD + """
[embargo]
lists = ["accredited"]
notify_at = 2026-03-02T11:00:00+01:00
""")
    syntax = add_release(example_settings, "syntax", "published = \n")
    no_language = add_release(example_settings, "nolang", 'published = 2026-03-02T10:00:00Z\n')
    bad_id = add_release(example_settings, "Bad_Name", GOOD)

    loaded = load_releases(example_settings, use_cache=False)
    problems = {(problem.source, problem.field): problem.reason for problem in loaded.problems}

    assert "no UTC offset" in problems[(str(naive), "published")]
    assert "unknown theme 'astrology'" in problems[(str(unknown), "themes")]
    assert "unknown list 'nobody'" in problems[(str(unknown), "lists")]
    assert "is not a known field" in problems[(str(unknown), "colour")]
    assert "unknown contact 'ghost'" in problems[(str(unknown), "contacts[0].ref")]
    assert "not a phone number" in problems[(str(contact), "contacts[1].phone")]
    assert "not a valid email address" in problems[(str(contact), "contacts[1].email")]
    assert "U+0007" in problems[(str(control), "fr.title")]
    assert "must be before published" in problems[(str(embargo), "embargo.notify_at")]
    assert "is not valid TOML" in problems[(str(syntax), "")]
    assert "has no language version" in problems[(str(no_language), "")]
    assert "a-z, 0-9" in problems[(str(bad_id), "id")]
    assert len(loaded.problems) == 12
    # the good releases are still there
    assert len(loaded.releases) == len(list(example_settings.releases_dir.glob("*.toml"))) - 8


def test_duplicate_ids_name_both_files(example_settings: Settings) -> None:
    first = add_release(example_settings, "one", 'id = "same"\n' + GOOD)
    second = add_release(example_settings, "two", 'id = "same"\n' + GOOD)
    loaded = load_releases(example_settings, use_cache=False)
    duplicates = [p for p in loaded.problems if p.field == "id"]
    assert {p.source for p in duplicates} == {str(first), str(second)}
    assert all("'same' is also the id of" in p.reason for p in duplicates)
    assert "same" not in [release.id for release in loaded.releases]


def test_markdown_is_rendered_and_sanitised(example_settings: Settings) -> None:
    add_release(example_settings, "hostile", GOOD.replace(
        '"Premier paragraphe.\\n\\nSecond."',
        '"Hi <script>alert(1)</script> [x](javascript:alert(2)) '
        '<img src=x onerror=alert(3)> <iframe src=https://evil.example></iframe> **bold** '
        '<a href=\\"JaVaScRiPt:alert(4)\\">y</a> <a href=\\"https://ok.example\\">ok</a>"',
    ))
    release = next(r for r in load_releases(example_settings, use_cache=False).releases
                   if r.id == "hostile")
    html = release.versions["fr"].body_html
    assert "<strong>bold</strong>" in html
    assert 'href="https://ok.example"' in html
    for forbidden in ("<script", "href=\"javascript", "JaVaScRiPt", "onerror", "<iframe", "alert(1)"):
        assert forbidden not in html


def test_cache_serves_unchanged_files_and_rereads_changed_ones(example_settings: Settings) -> None:
    path = add_release(example_settings, "2026-03-02-cached", GOOD)
    first = load_releases(example_settings)
    assert any((example_settings.data_dir / "cache" / "releases").glob("*.pickle"))
    assert load_releases(example_settings) == first
    path.write_text(GOOD.replace('"Titre"', '"Titre corrigé, plus long"'), encoding="utf-8")
    changed = next(r for r in load_releases(example_settings).releases if r.id == path.stem)
    assert changed.versions["fr"].title == "Titre corrigé, plus long"
    # a config change (a theme removed) invalidates the cache
    config = example_settings.config_path
    config.write_text(config.read_text().replace("[themes.pensions]", "[themes.retired]"))
    reloaded = load_releases(load_settings(config))
    assert any("unknown theme 'pensions'" in p.reason for p in reloaded.problems)


def test_many_files_are_parsed_in_worker_processes_with_the_same_result(
    example_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sequential = load_releases(example_settings, use_cache=False)
    monkeypatch.setattr(load_module, "_FILES_PER_WORKER", 2)
    parallel = load_releases(example_settings, use_cache=False)
    assert parallel == sequential
    assert all(release.digest for release in parallel.releases)


def test_digest_changes_with_the_file_and_only_then(example_settings: Settings) -> None:
    path = add_release(example_settings, "2026-03-02-digest", GOOD)
    first = {r.id: r.digest for r in load_releases(example_settings).releases}
    path.write_text(GOOD + "# a comment\n", encoding="utf-8")
    second = {r.id: r.digest for r in load_releases(example_settings).releases}
    changed = {release_id for release_id in first if first[release_id] != second[release_id]}
    assert changed == {"2026-03-02-digest"}


@pytest.mark.parametrize(("written", "why"), [
    ("2026-12-32T10:00:00+01:00", "day is out of range for month"),
    ("2026-02-30T10:00:00+01:00", "day is out of range for month"),
    ("2026-12-31T25:00:00+01:00", "hour must be in 0..23"),
])
def test_an_impossible_date_is_named_with_its_line_and_key(
    example_settings: Settings, written: str, why: str
) -> None:
    path = add_release(example_settings, "bad-date", GOOD.replace(
        "2026-03-02T10:00:00+01:00", written))

    problems = [p for p in load_releases(example_settings, use_cache=False).problems
                if p.source == str(path)]

    assert len(problems) == 1
    reason = str(problems[0])
    assert f"line 2: published: {written} is not a valid date ({why})" in reason
    assert "Expected newline" not in reason
