"""Every answer of `run` carries the security headers (issue 11, item 19).

Static pages lacked X-Frame-Options, CSP, nosniff and Referrer-Policy; API answers with
personal data lacked `Cache-Control: no-store`.
"""

from __future__ import annotations

import httpx

from harness.sites import Site
from subscribers import TokenPurpose, find_subscriber, make_token
from tests.security.conftest import GOOD

AUTH = {"Authorization": "Bearer security-test-admin-token"}
SECRET = b"security-test-secret"


def assert_protected(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    # No script but the site's own: `script-src 'self'`, or none at all (`default-src 'none'`).
    assert "script-src 'self'" in policy or (
        "default-src 'none'" in policy and "script-src" not in policy)


async def test_static_pages_and_feeds(client: httpx.AsyncClient) -> None:
    for path in ("/fr/index.html", "/nl/atom.xml", "/", "/fr/nothing-here.html"):
        response = await client.get(path)
        assert_protected(response)
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    page = await client.get("/fr/index.html")
    assert page.headers["cache-control"] != "no-store"  # public: caches may keep it


async def test_api_answers_are_never_stored(client: httpx.AsyncClient) -> None:
    for path in ("/api/subscribers", f"/api/subscribers/{GOOD[0]}", "/api/deliveries"):
        response = await client.get(path, headers=AUTH)
        assert response.status_code == 200
        assert_protected(response)
        assert response.headers["cache-control"] == "no-store"
    refused = await client.get("/api/subscribers")
    assert refused.status_code == 401
    assert refused.headers["cache-control"] == "no-store"


async def test_token_pages_leak_no_referrer_and_are_never_stored(
    site: Site, client: httpx.AsyncClient
) -> None:
    person = find_subscriber(site.engine, GOOD[0])
    for purpose, route in ((TokenPurpose.UNSUBSCRIBE, "unsubscribe"),
                           (TokenPurpose.PREFERENCES, "preferences")):
        token = make_token(SECRET, purpose, person.id)
        response = await client.get(f"/{route}/{token}")
        assert response.status_code == 200
        assert_protected(response)
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["cache-control"] == "no-store"
