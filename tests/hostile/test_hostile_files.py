"""Hostile release and config files: a clear error naming where and why, or safe output.

Never a traceback, never an effect on the good releases beside the hostile one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from syndication.config import Settings, load_settings
from syndication.errors import ConfigError
from syndication.releases import load_releases
from tests.hostile.corpus import (
    CRLF_TITLES,
    FORBIDDEN_TAGS,
    SAFE_URL_SCHEMES,
    VALID_RELEASE,
    _replace_field,
    config_error_cases,
    error_cases,
    markdown_cases,
)

ERROR_CASES = list(error_cases())
MARKDOWN_CASES = list(markdown_cases())
CONFIG_CASES = list(config_error_cases())


def test_corpus_is_large_enough() -> None:
    total = len(ERROR_CASES) + len(MARKDOWN_CASES) + len(CONFIG_CASES) + len(CRLF_TITLES)
    assert total >= 200, total


@pytest.fixture(scope="module")
def good_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    from syndication.resources import EXAMPLE_SITE_DIR

    site = tmp_path_factory.mktemp("reference")
    shutil.copyfile(EXAMPLE_SITE_DIR / "config.toml", site / "config.toml")
    shutil.copytree(EXAMPLE_SITE_DIR / "releases", site / "releases")
    loaded = load_releases(load_settings(site / "config.toml"), use_cache=False)
    assert loaded.problems == ()
    return {release.id for release in loaded.releases}


def names_field(reported: str, expected: str) -> bool:
    """Whether a reported field is the expected one or a part of it (`themes[1]`)."""
    return reported == expected or reported.startswith((expected + ".", expected + "["))


def write_case(settings: Settings, text: str) -> Path:
    path = settings.releases_dir / "2026-03-02-hostile.toml"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


def test_valid_base_release_loads(example_settings: Settings) -> None:
    write_case(example_settings, VALID_RELEASE)
    loaded = load_releases(example_settings, use_cache=False)
    assert loaded.problems == ()
    assert "2026-03-02-hostile" in {release.id for release in loaded.releases}


@pytest.mark.parametrize(("name", "text", "field"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_hostile_release_is_rejected_naming_file_and_field(
    example_settings: Settings, good_ids: set[str], name: str, text: str, field: str
) -> None:
    path = write_case(example_settings, text)
    loaded = load_releases(example_settings, use_cache=False)
    mine = [problem for problem in loaded.problems if problem.source == str(path)]
    assert mine, f"{name}: no problem reported"
    assert all(problem.reason for problem in mine)
    assert any(names_field(problem.field, field) for problem in mine), (name, [str(p) for p in mine])
    assert [p for p in loaded.problems if p.source != str(path)] == []
    assert {release.id for release in loaded.releases} >= good_ids
    assert "2026-03-02-hostile" not in {release.id for release in loaded.releases}


@pytest.mark.parametrize(("name", "text"), MARKDOWN_CASES, ids=[c[0] for c in MARKDOWN_CASES])
def test_hostile_markdown_is_sanitised(example_settings: Settings, name: str, text: str) -> None:
    write_case(example_settings, text)
    loaded = load_releases(example_settings, use_cache=False)
    assert loaded.problems == ()
    release = next(r for r in loaded.releases if r.id == "2026-03-02-hostile")
    for html in (release.versions["fr"].body_html, release.versions["fr"].more_info_html or ""):
        assert_safe_html(html, name)


def assert_safe_html(html: str, name: str) -> None:
    """No dangerous element, no event handler, no URL but relative, http(s), mailto, tel."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        assert element.tag not in FORBIDDEN_TAGS, (name, html)
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (name, html)
            assert attribute != "style", (name, html)
            if attribute in ("href", "src", "action"):
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in SAFE_URL_SCHEMES, (name, html)


@pytest.mark.parametrize("title", CRLF_TITLES)
def test_line_breaks_in_titles_are_folded_to_spaces(example_settings: Settings, title: str) -> None:
    write_case(example_settings, _replace_field("fr.title", title))
    loaded = load_releases(example_settings, use_cache=False)
    release = next(r for r in loaded.releases if r.id == "2026-03-02-hostile")
    assert "\r" not in release.versions["fr"].title
    assert "\n" not in release.versions["fr"].title


@pytest.mark.parametrize(("name", "text", "field"), CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_hostile_config_is_rejected_naming_the_key(
    tmp_path: Path, name: str, text: str, field: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    fields = [problem.field for problem in raised.value.problems]
    assert any(names_field(f, field) for f in fields), (name, fields)
    assert all(problem.source == str(path) for problem in raised.value.problems)


def test_a_symbolic_link_in_the_releases_folder_is_refused(
    example_settings: Settings, good_ids: set[str], tmp_path: Path
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text(VALID_RELEASE, encoding="utf-8")
    link = example_settings.releases_dir / "2026-03-02-linked.toml"
    link.symlink_to(outside)
    loaded = load_releases(example_settings, use_cache=False)
    mine = [problem for problem in loaded.problems if problem.source == str(link)]
    assert [problem.reason for problem in mine] == [
        "is a symbolic link: release files must be regular files in the releases folder"
    ]
    assert {release.id for release in loaded.releases} == good_ids
    assert "2026-03-02-linked" not in {release.id for release in loaded.releases}


def test_a_file_is_measured_before_it_is_read(
    example_settings: Settings, good_ids: set[str]
) -> None:
    # A sparse file: 3 GB long, no disk used. Reading it whole would take 3 GB of memory.
    path = example_settings.releases_dir / "2026-03-02-huge.toml"
    with path.open("wb") as handle:
        handle.truncate(3_000_000_000)
    loaded = load_releases(example_settings, use_cache=False)
    mine = [problem for problem in loaded.problems if problem.source == str(path)]
    assert [problem.reason for problem in mine] == [
        "is 3000000000 bytes; the limit is 2000000"
    ]
    assert {release.id for release in loaded.releases} == good_ids


@pytest.mark.parametrize("depth", [500, 2000])
def test_deep_nesting_is_one_named_problem(example_settings: Settings, depth: int) -> None:
    path = write_case(example_settings, f"themes = {'[' * depth}{']' * depth}\n" + VALID_RELEASE)
    loaded = load_releases(example_settings, use_cache=False)
    assert [str(p) for p in loaded.problems] == [
        f"{path}: nests arrays or tables more than 16 levels deep"
    ]
