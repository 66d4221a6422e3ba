"""Data flows one way: feeds/, pages/ and mail/ use the site's lower modules; only the build
uses feeds/ and pages/."""

from __future__ import annotations

import pytest

from syndication.code_fingerprint import SOURCE_DIR, import_closure

LOWER = ("paths", "templates", "release_views")
UPPER = ("site/build.py", "site/writer.py", "site/manifest.py", "site/fingerprints.py")


def _modules(folder: str) -> list[str]:
    return sorted(f"syndication.{folder}.{path.stem}" for path in (SOURCE_DIR / folder).glob("*.py")
                  if path.stem != "__init__")


@pytest.mark.parametrize("module", [f"syndication.site.{name}" for name in LOWER])
def test_the_sites_lower_modules_import_no_feed_page_mail_or_build(module: str) -> None:
    closure = import_closure(module)
    assert not [path for path in closure if path.startswith(("feeds/", "pages/", "mail/"))]
    assert not set(UPPER) & set(closure)


@pytest.mark.parametrize("module", _modules("feeds"))
def test_feeds_import_no_page_and_no_build(module: str) -> None:
    closure = import_closure(module)
    assert not [path for path in closure if path.startswith("pages/")]
    assert not set(UPPER) & set(closure)


@pytest.mark.parametrize("module", _modules("pages"))
def test_pages_import_no_feed_and_no_build(module: str) -> None:
    closure = import_closure(module)
    assert not [path for path in closure if path.startswith("feeds/")]
    assert not set(UPPER) & set(closure)


@pytest.mark.parametrize("module", _modules("releases"))
def test_releases_import_nothing_of_the_site(module: str) -> None:
    assert not [path for path in import_closure(module) if path.startswith("site/")]
