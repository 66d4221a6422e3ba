"""docs/release-format.md documents every field the release loader reads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from harness.reference import CHECKOUT
from harness.sites import copy_example_site
from syndication.config import load_settings
from syndication.releases import load_releases
from syndication.tomlfields import Fields

PAGE = (CHECKOUT / "docs" / "release-format.md").read_text(encoding="utf-8")


def test_every_field_the_loader_reads_is_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(copy_example_site(tmp_path / "site"))
    read: set[str] = set()
    get, has = Fields._get, Fields.has

    def recording_get(self: Fields, key: str, required: bool) -> Any:
        read.add(self.name(key))
        return get(self, key, required)

    def recording_has(self: Fields, key: str) -> bool:
        read.add(self.name(key))
        return has(self, key)

    monkeypatch.setattr(Fields, "_get", recording_get)
    monkeypatch.setattr(Fields, "has", recording_has)
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
