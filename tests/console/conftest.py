"""Fixtures of the console tests: a private site (with the example releases), the real CLI,
admins of both roles, and clients signed in as them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from harness.sites import Site
from syndication.console.accounts import Role, add_admin
from tests.cli.conftest import run

__all__ = ["run", "site"]
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def site(built_site: Site) -> Site:
    """A private SQLite site with the example releases (built), lists, no subscriber."""
    return built_site


@pytest.fixture
def accounts(site: Site) -> None:
    """An admin `claire` (claire@press.example) and an editor `eddy`."""
    add_admin(site.engine, "claire", role=Role.ADMIN, password=PASSWORD,
              email="claire@press.example")
    add_admin(site.engine, "eddy", role=Role.EDITOR, password=PASSWORD,
              email="eddy@press.example")


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, name: str, password: str = PASSWORD
                  ) -> httpx.Response:
    """Sign in through the form, as a browser does."""
    form = await client.get("/admin/login")
    return await client.post("/admin/login", data={
        "csrf": csrf_of(form.text), "username": name, "password": password, "next": ""})


async def _client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    app.state.console.slow_down = 0.0
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
    # https: the site's base_url is, so the session cookie is Secure.
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        yield client


@pytest.fixture
async def admin_client(app: Starlette, accounts: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as the admin `claire`."""
    async for client in _client(app):
        assert (await sign_in(client, "claire")).status_code == 303
        yield client


@pytest.fixture
async def editor_client(app: Starlette, accounts: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as the editor `eddy`."""
    async for client in _client(app):
        assert (await sign_in(client, "eddy")).status_code == 303
        yield client


@pytest.fixture
async def anonymous(app: Starlette, accounts: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client not signed in (sign-in failures do not wait)."""
    async for client in _client(app):
        yield client
