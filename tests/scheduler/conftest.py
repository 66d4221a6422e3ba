"""Fixtures of the service tests: a site of our own releases, lists and subscribers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scheduler.sites import ADMIN_TOKEN, SECRET, Site, make_site, open_site


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The site secret and the admin token in the environment."""
    monkeypatch.setenv("SYNDICATION_SECRET", SECRET)
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", ADMIN_TOKEN)


@pytest.fixture
def site(tmp_path: Path, secrets_env: None) -> Iterator[Site]:
    """A private SQLite site with no release and no subscriber yet."""
    opened = open_site(make_site(tmp_path / "site"))
    yield opened
    opened.engine.dispose()

