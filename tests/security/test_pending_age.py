"""A re-sent confirmation does not keep a third party's address pending (issue 11, item 17).

Anyone may type anyone's address into the sign-up form, again and again: each post mails a
fresh 7-day link, but the pending record's age still counts from the first sign-up, so the
purge forgets it 7 days after that, whatever was re-sent since.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from harness.sites import Site
from subscribers import UnknownSubscriber, find_subscriber
from subscribers.purge import purge_pending
from syndication.web.app import create_app
from tests.web.conftest import maildir_messages

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
FIRST = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_re_sent_confirmations_do_not_refresh_the_pending_age(site: Site) -> None:
    now = [FIRST]
    app = create_app(site.settings, site.engine, clock=lambda: now[0])
    transport = httpx.ASGITransport(app=app, client=("192.0.2.60", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
        for day in (0, 3, 6):  # within the 3-an-hour limit: one a few days apart
            now[0] = FIRST + timedelta(days=day)
            answer = await web.post("/subscribe", content="email=victim@example.org",
                                    headers=FORM)
            assert answer.status_code == 200
    assert len([m for m in maildir_messages(site) if m["To"] == "victim@example.org"]) == 3
    assert purge_pending(site.engine, now=FIRST + timedelta(days=6, hours=23)) == 0
    assert purge_pending(site.engine, now=FIRST + timedelta(days=7, hours=1)) == 1
    with pytest.raises(UnknownSubscriber):
        find_subscriber(site.engine, "victim@example.org")
