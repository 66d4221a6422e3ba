"""Every admin API route, found in the app itself, answers 401 without the right token.

The routes are read from the running app's route table (so a route added later is
covered without editing this test); each is called with no Authorization header and with
a dozen wrong ones, over ASGI and, for a sample, over real HTTP. Nothing changes.
"""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from tests.scheduler.sites import Site
from tests.security.conftest import Tally, good_data
from tests.security.served import serving

TOKEN = "security-test-admin-token"
PUBLIC = {"/api/openapi.json"}  # the API's description: no token needed, by design
SAMPLE = {"email": "good@example.org", "name": "press", "id": "2016-08-31-belincosoc-china",
          "rest": "no/such/route"}
WRONG: list[str | bytes | None] = [
    None, "", "Bearer", "Bearer ", f"Basic {TOKEN}", TOKEN, f"Token {TOKEN}",
    "Bearer wrong-token", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN.upper()}",
    f"Bearer x{TOKEN}", f"Bearer {TOKEN[:8]}", "Bearer " + "A" * 10_000, "Bearer é".encode(), b"Bearer \xff",
    f"Bearer {TOKEN} {TOKEN}", f"Bearer\t{TOKEN}x", "Bearer null", "Bearer undefined",
]


def admin_routes(app: Starlette) -> list[tuple[str, str]]:
    """(method, path with sample parameters) of every protected route of the app."""
    found = []
    for route in app.routes:
        if not (isinstance(route, Route) and route.path.startswith("/api/")):
            continue
        if route.path in PUBLIC:
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: SAMPLE[m.group(1)], route.path)
        found += [(method, path) for method in sorted(route.methods or ()) if method != "HEAD"]
    return found


async def test_every_admin_route_refuses_every_wrong_token(
    app: Starlette, client: httpx.AsyncClient, site: Site
) -> None:
    routes = admin_routes(app)
    assert len(routes) >= 12  # the 11 API routes and the catch-all, in every method
    before = good_data(site.engine)
    tally = Tally("admin API without the right token")
    for method, path in routes:
        for authorization in WRONG:
            headers = {} if authorization is None else {"Authorization": authorization}
            response = await client.request(method, path, headers=headers, json={
                "email": "intruder@example.org", "name": "intruders"})
            assert response.status_code == 401, (method, path, authorization)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.json() == {"error": "a valid bearer token is required"}
            tally.add(f"{method} {path.split('/')[2]}", "401")
    tally.print()
    assert good_data(site.engine) == before
    lists = await client.get("/api/lists", headers={"Authorization": f"Bearer {TOKEN}"})
    assert lists.status_code == 200
    assert len(lists.json()) == 3
    assert (await client.get("/api/openapi.json")).status_code == 200


async def test_over_real_http_too(app: Starlette, site: Site) -> None:
    before = good_data(site.engine)
    async with serving(app) as port, httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}"
    ) as client:
        for method, path in admin_routes(app):
            for authorization in (None, "Bearer wrong-token", f"Bearer {TOKEN}x"):
                headers = {} if authorization is None else {"Authorization": authorization}
                response = await client.request(method, path, headers=headers)
                assert response.status_code == 401, (method, path, authorization)
        good = await client.get("/api/subscribers", headers={"Authorization": f"Bearer {TOKEN}"})
        assert good.status_code == 200
    assert good_data(site.engine) == before
