"""Fixtures of the translation tests: the newsletter tests' example site, and a web site."""

from __future__ import annotations

import pytest

from harness.sites import Site
from tests.mail.conftest import releases, settings

__all__ = ["releases", "settings"]  # the read-only example site, shared with tests/mail


@pytest.fixture
def site(built_site: Site) -> Site:
    """A private SQLite site with the example releases (built), lists, no subscriber."""
    return built_site
