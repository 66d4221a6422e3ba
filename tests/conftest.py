"""Fixtures shared by every test folder: a fresh copy of the example site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from syndication.config import Settings, load_settings
from syndication.resources import EXAMPLE_SITE_DIR


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A private copy of examples/ (config and releases); returns its config path."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copyfile(EXAMPLE_SITE_DIR / "config.toml", site / "config.toml")
    shutil.copytree(EXAMPLE_SITE_DIR / "releases", site / "releases")
    return site / "config.toml"


@pytest.fixture
def example_settings(example_site: Path) -> Settings:
    """The settings of a private copy of the example site."""
    return load_settings(example_site)
