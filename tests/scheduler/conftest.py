"""Fixtures of the service tests: a site of our own releases, lists and subscribers."""

from __future__ import annotations

import pytest

from harness.sites import Site


@pytest.fixture
def site(empty_site: Site) -> Site:
    """A private SQLite site with no release and no subscriber yet."""
    return empty_site
