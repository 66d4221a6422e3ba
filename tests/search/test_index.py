"""The search index the build writes, queried with lunr's Python API as lunr.js queries it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from lunr.index import Index
from lxml import html

from syndication.config import Settings
from syndication.search.index import render_shard
from tests.site.building import FUTURE_ID, FUTURE_PUBLISHED, NOW, build, load

CHINA = "2016-08-31-belincosoc-china"
SENEGAL = "2026-02-10-belincosoc-senegal"


def shards(settings: Settings, language: str) -> list[tuple[Index, dict[str, list[str]]]]:
    """Every shard of a language, as the browser loads them (through shards.json)."""
    folder = settings.output_dir / language / "search"
    listing = json.loads((folder / "shards.json").read_bytes())["shards"]
    loaded = []
    for name in listing:
        shard = json.loads((folder / name).read_bytes())
        loaded.append((Index.load(shard["index"]), shard["docs"]))
    return loaded


def search(settings: Settings, language: str, query: str) -> list[str]:
    """The refs of every hit, best first."""
    hits = [(hit["score"], hit["ref"]) for index, _docs in shards(settings, language)
            for hit in index.search(query)]
    return [ref for _score, ref in sorted(hits, reverse=True)]


def test_every_public_release_is_found_in_its_languages(example_settings: Settings) -> None:
    build(example_settings)
    public = [release for release in load(example_settings) if release.is_public(NOW)]
    for language in example_settings.languages:
        docs = {ref: doc for _index, part in shards(example_settings, language)
                for ref, doc in part.items()}
        assert set(docs) == {r.id for r in public if language in r.versions}
        for release in public:
            if language in release.versions:
                title = release.versions[language].title
                assert docs[release.id][0] == title
                assert docs[release.id][1] == f"{release.id}.html"  # beside search.html
    assert FUTURE_ID not in json.dumps([docs for _i, docs in shards(example_settings, "fr")])


def test_words_are_found_with_or_without_accents_and_elisions(example_settings: Settings) -> None:
    build(example_settings)
    assert search(example_settings, "fr", "chinois")[0] == CHINA
    assert search(example_settings, "fr", "Sénégal") == [SENEGAL]
    assert search(example_settings, "fr", "senegal") == [SENEGAL]  # typed without accents
    assert search(example_settings, "fr", "economie") == [SENEGAL]  # "l'économie informelle"
    assert search(example_settings, "nl", "werkgelegenheid") == [CHINA]
    assert search(example_settings, "nl", "chinois") == []  # each language its own index
    assert search(example_settings, "fr", "+senegal +chinois") == []


def test_shards_are_months_newest_first(example_settings: Settings) -> None:
    build(example_settings)
    listing = json.loads((example_settings.output_dir / "fr/search/shards.json").read_bytes())
    assert listing["shards"][0] == "2026-02.json"
    assert listing["shards"] == sorted(listing["shards"], reverse=True)
    assert "2016-08.json" in listing["shards"]


def test_a_new_release_rewrites_its_month_only(example_settings: Settings) -> None:
    build(example_settings, FUTURE_PUBLISHED - timedelta(seconds=1))
    report = build(example_settings, FUTURE_PUBLISHED)
    search_files = sorted(
        path.relative_to(example_settings.output_dir).as_posix() for path in report.written
        if "/search/" in path.as_posix() and not path.name.endswith(".gz")
    )
    assert search_files == [
        "fr/search/2027-03.json", "fr/search/shards.json",
        "nl/search/2027-03.json", "nl/search/shards.json",
    ]
    assert search(example_settings, "fr", "adequation")[0] == FUTURE_ID


def test_a_shard_is_the_same_bytes_in_another_process(example_settings: Settings) -> None:
    # lunr builds from dicts: the bytes must not depend on hash seeds or set order.
    import subprocess
    import sys

    build(example_settings)
    written = (example_settings.output_dir / "fr/search/2016-08.json").read_bytes()
    script = (
        "import sys; from syndication.config import load_settings;"
        "from syndication.releases import load_releases;"
        "from syndication.search.index import render_shard;"
        f"s = load_settings(__import__('pathlib').Path({str(example_settings.config_path)!r}));"
        f"r = [x for x in load_releases(s).releases if x.id == {CHINA!r}];"
        "sys.stdout.buffer.write(render_shard(s, 'fr', r))"
    )
    for seed in ("1", "2"):
        root = str(Path(__file__).resolve().parents[2])
        done = subprocess.run([sys.executable, "-c", script], capture_output=True,
                              env={"PYTHONHASHSEED": seed, "PYTHONPATH": root}, cwd=root)
        assert done.returncode == 0, done.stderr
        assert done.stdout == written
    release = next(r for r in load(example_settings) if r.id == CHINA)
    assert render_shard(example_settings, "fr", [release]) == written


def test_the_search_page_works_without_script_and_every_page_links_it(
    example_settings: Settings,
) -> None:
    build(example_settings)
    for language, archives in (("fr", "archives"), ("nl", "archief")):
        page = html.fromstring((example_settings.output_dir / f"{language}/search.html").read_bytes())
        form = page.get_element_by_id("search-form")
        assert form.get("hidden") is not None  # shown by the script only
        assert form.get("data-shards") == "search/"
        fallback = page.get_element_by_id("search-without-script")
        assert "JavaScript" in fallback.text_content()
        assert archives in fallback.text_content()
        assert fallback.xpath(".//a/@href") == ["index.html"]
        assert page.xpath("//script/@src") == ["../assets/lunr.min.js", "../assets/search.js"]
        assert page.xpath("//link[@hreflang]/@href") == [
            "https://press.example.be/fr/search.html", "https://press.example.be/nl/search.html",
        ]
        home = html.fromstring((example_settings.output_dir / f"{language}/index.html").read_bytes())
        assert "search.html" in home.xpath("//header//a/@href")
        release = html.fromstring(
            (example_settings.output_dir / f"{language}/{CHINA}.html").read_bytes()
        )
        assert "search.html" in release.xpath("//header//a/@href")
    assert (example_settings.output_dir / "assets/lunr.min.js").read_bytes().startswith(b"/**\n * lunr")
