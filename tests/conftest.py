"""Fixtures every test folder shares: the example site, private sites, the web app, PostgreSQL.

A folder's conftest picks from these (and may override one by name, as the security tests
do with their own secrets); it keeps only what is its own. `tests.integration_marker`
marks the tests that need a server, a database or SMTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from starlette.applications import Starlette

from harness.postgres import Databases
from harness.sites import (
    ADMIN_TOKEN,
    SECRET,
    Site,
    copy_example_site,
    make_site,
    open_built_example,
    open_site,
)
from syndication.config import Settings, load_settings
from syndication.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytest_plugins = ["tests.integration_marker"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, one per test module (pages get their own context:
    `harness.browser.open_page`). Imported here, not at the top: most tests need no browser.

    Module, not session: Playwright's sync API keeps an event loop running in the main
    thread while it is started, and `asyncio.run` (the CLI's, in later modules) refuses to
    run inside it; the loop goes when the module's last test is done. For the same reason
    a module with browser tests holds no asyncio test."""
    from harness.browser import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A private copy of examples/ (config and releases); returns its config path."""
    return copy_example_site(tmp_path / "site")


@pytest.fixture
def example_settings(example_site: Path) -> Settings:
    """The settings of a private copy of the example site."""
    return load_settings(example_site)


@pytest.fixture(autouse=True)
def _no_database_url_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNDICATION_DATABASE_URL wins over every config: one set in the shell must not point
    the tests (and the `run` processes they start) at a real database."""
    monkeypatch.delenv("SYNDICATION_DATABASE_URL", raising=False)


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The site secret and the admin token in the environment."""
    monkeypatch.setenv("SYNDICATION_SECRET", SECRET)
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", ADMIN_TOKEN)


@pytest.fixture
def empty_site(tmp_path: Path, secrets_env: None) -> Iterator[Site]:
    """A private SQLite site with its lists, no release and no subscriber yet."""
    opened = open_site(make_site(tmp_path / "site"))
    yield opened
    opened.engine.dispose()


@pytest.fixture
def built_site(tmp_path: Path, secrets_env: None) -> Iterator[Site]:
    """A private SQLite site with the example releases (built), its lists, no subscriber."""
    opened = open_built_example(tmp_path / "site")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def app(site: Site) -> Starlette:
    """The web app of the folder's `site` (confirmations go to the site's Maildir)."""
    return create_app(site.settings, site.engine)


@pytest.fixture
def raise_app_exceptions() -> bool:
    """Whether `client` raises the app's exceptions (True) or answers them with a 500."""
    return True


@pytest.fixture
async def client(app: Starlette, raise_app_exceptions: bool) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in process."""
    transport = httpx.ASGITransport(
        app=app, client=("192.0.2.10", 40000), raise_app_exceptions=raise_app_exceptions
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run a test on both database backends."""
    return str(request.param)


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[Databases]:
    """Creates throw-away PostgreSQL databases; drops them all at the end of the session."""
    databases = Databases()
    yield databases
    databases.drop_all()


@pytest.fixture
def pg_url(pg_databases: Databases) -> str:
    """An empty PostgreSQL database of this test's own."""
    return pg_databases.create("syndication_test")
