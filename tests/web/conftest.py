"""Fixtures of the web tests: a site with the example releases, and its app over ASGI."""

from __future__ import annotations

import mailbox
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from syndication.web.app import create_app
from tests.scheduler.sites import ADMIN_TOKEN, SECRET, Site, open_built_example


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The site secret and the admin token in the environment."""
    monkeypatch.setenv("SYNDICATION_SECRET", SECRET)
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", ADMIN_TOKEN)


@pytest.fixture
def site(tmp_path: Path, secrets_env: None) -> Iterator[Site]:
    """A private SQLite site with the example releases (built), lists, no subscriber."""
    opened = open_built_example(tmp_path / "site")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def app(site: Site) -> Starlette:
    """The web app of the site (confirmations go to the site's Maildir)."""
    return create_app(site.settings, site.engine)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in process."""
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def maildir_messages(site: Site) -> list[Message]:
    """Every message written to the site's Maildir."""
    folder = site.settings.mail.maildir
    if not folder.exists():
        return []
    box = mailbox.Maildir(folder, factory=None, create=False)
    try:
        return [message_from_bytes(box.get_bytes(key)) for key in sorted(box.keys())]
    finally:
        box.close()
