"""Fixtures of the web tests: a site with the example releases (its `app` and `client` are
the shared ones), and what the site's Maildir holds."""

from __future__ import annotations

import mailbox
from email import message_from_bytes
from email.message import Message

import pytest

from harness.sites import Site


@pytest.fixture
def site(built_site: Site) -> Site:
    """A private SQLite site with the example releases (built), lists, no subscriber."""
    return built_site


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
