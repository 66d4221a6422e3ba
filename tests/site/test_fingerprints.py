"""Fingerprints that cannot go stale: derived from the code, not from a list of files.

A copy of the package tree with one output-shaping line edited stands for a code change:
the site fingerprint (every page re-rendered) and the release cache key (every file parsed
again) both change, and an unchanged copy gives the values of the real tree.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from syndication import code_fingerprint
from syndication.config import Settings
from syndication.releases.cache import cache_key
from syndication.site.fingerprints import site_fingerprint


def copy_package(folder: Path) -> Path:
    """A copy of the `syndication` sources (no bytecode) in `folder`."""
    copy = folder / "syndication"
    shutil.copytree(code_fingerprint.SOURCE_DIR, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def fingerprints(
    settings: Settings, source: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """The site fingerprint and the release cache key, computed from the code in `source`."""
    monkeypatch.setattr(code_fingerprint, "SOURCE_DIR", source)
    return site_fingerprint(settings), cache_key(settings, settings.lists)


def test_an_unchanged_tree_gives_the_same_values(
    example_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fingerprints(example_settings, code_fingerprint.SOURCE_DIR, monkeypatch)
    assert fingerprints(example_settings, code_fingerprint.SOURCE_DIR, monkeypatch) == real
    # Another copy, another folder: the values hash the code, not where it lies.
    first = fingerprints(example_settings, copy_package(tmp_path / "a"), monkeypatch)
    second = fingerprints(example_settings, copy_package(tmp_path / "b"), monkeypatch)
    assert first == second == real


@pytest.mark.parametrize(
    ("module", "before", "after"),
    [
        # The Markdown allow-list: no more <abbr>.
        ("releases/markdown.py", '"a", "abbr", ', '"a", '),
        # The phone format shown to readers.
        ("contacts.py", "PhoneNumberFormat.INTERNATIONAL", "PhoneNumberFormat.NATIONAL"),
    ],
)
def test_editing_code_that_shapes_output_changes_both(
    example_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    module: str, before: str, after: str,
) -> None:
    unchanged = fingerprints(example_settings, copy_package(tmp_path / "same"), monkeypatch)
    edited = copy_package(tmp_path / "edited")
    source = (edited / module).read_text("utf-8")
    assert before in source
    (edited / module).write_text(source.replace(before, after, 1), "utf-8")
    site, key = fingerprints(example_settings, edited, monkeypatch)
    assert site != unchanged[0]
    assert key != unchanged[1]
