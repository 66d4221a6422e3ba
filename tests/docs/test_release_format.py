"""docs/release-format.md documents every field the release loader reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.reference import CHECKOUT
from harness.sites import copy_example_site
from syndication.config import load_settings
from syndication.releases import load_releases
from tests.docs.fields_read import record_fields_read

PAGE = (CHECKOUT / "docs" / "release-format.md").read_text(encoding="utf-8")


def test_every_field_the_loader_reads_is_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(copy_example_site(tmp_path / "site"))
    read = record_fields_read(monkeypatch)
    loaded = load_releases(settings, use_cache=False)
    assert loaded.problems == ()
    languages = "|".join(settings.languages)

    def documented(name: str) -> bool:
        name = re.sub(r"\[\d+\]", "", name)  # contacts[2].name: any contact's name
        name = re.sub(rf"\.({languages})$", "", name)  # role.fr: a value per language
        name = re.sub(rf"^({languages})(\.|$)", r"<lang>\2", name)  # fr.title: any version's
        return any(f"| `{form}` |" in PAGE for form in (name, f"[{name}]", f"[[{name}]]"))

    assert len(read) > 20
    assert sorted(name for name in read if not documented(name)) == []
