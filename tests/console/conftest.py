"""Fixtures of the console tests: a private site (with the example releases), the real CLI."""

from __future__ import annotations

import pytest

from harness.sites import Site
from tests.cli.conftest import run

__all__ = ["run", "site"]


@pytest.fixture
def site(built_site: Site) -> Site:
    """A private SQLite site with the example releases (built), lists, no subscriber."""
    return built_site
