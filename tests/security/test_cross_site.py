"""Cross-site requests: another site's page cannot sign anyone up or change their choices.

Issue 11, item 18: a `text/plain` POST from `Origin: https://evil.example` created a pending
subscriber. Now every state-changing request naming a site outside `[web] allowed_origins`
(default: the origin of `base_url`) is a 403 that changes nothing, whatever its content
type; requests naming no site (scripts) pass; and RFC 8058 one-click unsubscription works
from any mail provider.
"""

from __future__ import annotations

import json
from dataclasses import replace

import httpx
import pytest
from starlette.applications import Starlette

from harness.sites import Site
from subscribers import Status, UnknownSubscriber
from subscribers.directory import find_subscriber, get_subscriber
from subscribers.tokens import TokenPurpose, make_token
from syndication.web.app import create_app
from syndication.web.security import make_csrf
from tests.security.conftest import GOOD, good_data

EVIL = "https://evil.example"
HOME = "https://press.example.be"  # the example config's base_url
NEWCOMER = "newcomer@example.org"


def bodies(email: str, csrf: str = "") -> list[tuple[str, str, str]]:
    """(kind, content type, body) of the same request in each form a page can send."""
    form = f"email={email}&lists=press&frequency=daily&csrf={csrf}"
    return [
        ("form", "application/x-www-form-urlencoded", form),
        ("text/plain", "text/plain", form),
        ("json", "application/json", json.dumps(
            {"email": email, "lists": ["press"], "frequency": "daily", "csrf": csrf})),
    ]


def claims(site: str) -> list[dict[str, str]]:
    """The headers by which a browser says a request comes from `site`."""
    return [{"Origin": site}, {"Referer": f"{site}/page.html"}, {"Origin": "null"}]


def known(site: Site, email: str) -> bool:
    """Whether the database holds any record of `email`."""
    try:
        find_subscriber(site.engine, email)
    except UnknownSubscriber:
        return False
    return True


async def test_cross_site_sign_ups_are_refused_and_create_nothing(
    client: httpx.AsyncClient, site: Site
) -> None:
    for kind, content_type, body in bodies(NEWCOMER):
        for claim in claims(EVIL):
            answer = await client.post(
                "/subscribe", content=body, headers={"Content-Type": content_type, **claim}
            )
            assert answer.status_code == 403, (kind, claim, answer.status_code)
    assert not known(site, NEWCOMER)


async def test_sign_ups_from_the_site_itself_or_no_site_pass(
    client: httpx.AsyncClient, site: Site
) -> None:
    for number, claim in enumerate([{"Origin": HOME}, {"Referer": f"{HOME}/fr/"}, {}]):
        email = f"reader{number}@example.org"
        answer = await client.post(
            "/subscribe", content=f"email={email}",
            headers={"Content-Type": "application/x-www-form-urlencoded", **claim},
        )
        assert answer.status_code == 200, (claim, answer.text[:200])
        assert find_subscriber(site.engine, email).status is Status.PENDING


async def test_cross_site_preference_changes_are_refused(
    client: httpx.AsyncClient, site: Site
) -> None:
    before = good_data(site.engine)
    subscriber = find_subscriber(site.engine, GOOD[0])
    token = make_token(b"security-test-secret", TokenPurpose.PREFERENCES, subscriber.id)
    csrf = make_csrf(b"security-test-secret", form="preferences", token=token)
    for kind, content_type, body in bodies(GOOD[0], csrf):
        for claim in claims(EVIL):
            answer = await client.post(
                f"/preferences/{token}", content=body,
                headers={"Content-Type": content_type, **claim},
            )
            assert answer.status_code == 403, (kind, claim, answer.status_code)
    assert good_data(site.engine) == before
    answer = await client.post(  # the same change from the site's own page is made
        f"/preferences/{token}", content=bodies(GOOD[0], csrf)[0][2],
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": HOME},
    )
    assert answer.status_code == 200
    assert good_data(site.engine) != before


async def test_cross_site_admin_api_writes_are_refused(client: httpx.AsyncClient) -> None:
    answer = await client.delete(f"/api/subscribers/{GOOD[0]}", headers={
        "Authorization": "Bearer security-test-admin-token", "Origin": EVIL,
    })
    assert answer.status_code == 403


@pytest.mark.parametrize("provider", ["https://mail.google.com", "null", None])
async def test_one_click_unsubscribe_works_from_any_mail_provider(
    client: httpx.AsyncClient, site: Site, provider: str | None
) -> None:
    subscriber = find_subscriber(site.engine, GOOD[0])
    token = make_token(b"security-test-secret", TokenPurpose.UNSUBSCRIBE, subscriber.id)
    answer = await client.post(
        f"/unsubscribe/{token}", content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 **({"Origin": provider} if provider else {})},
    )
    assert answer.status_code == 200
    assert get_subscriber(site.engine, subscriber.id).status is Status.UNSUBSCRIBED


async def test_configured_origins_replace_the_default(site: Site) -> None:
    web = replace(site.settings.web, allowed_origins=("https://www.example.org",))
    app: Starlette = create_app(replace(site.settings, web=web), site.engine)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.11", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        statuses = [
            (await client.post("/subscribe", content=f"email=o{n}@example.org", headers={
                "Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
            })).status_code
            for n, origin in enumerate(["https://www.example.org", HOME])
        ]
    assert statuses == [200, 403]
