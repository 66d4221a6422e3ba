"""The admin API: bearer token, subscribers, lists, releases, deliveries, audiences."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from harness.sites import ADMIN_TOKEN, Site
from subscribers.model import Frequency
from syndication.scheduler.tick import publish_tick

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ROUTES = [
    ("GET", "/api/subscribers"), ("POST", "/api/subscribers"),
    ("GET", "/api/subscribers/a@example.org"), ("DELETE", "/api/subscribers/a@example.org"),
    ("POST", "/api/subscribers/a@example.org/remove"), ("GET", "/api/lists"),
    ("POST", "/api/lists"), ("DELETE", "/api/lists/press"), ("GET", "/api/releases"),
    ("GET", "/api/releases/x/audience"), ("GET", "/api/deliveries"), ("GET", "/api/nothing"),
]


async def test_without_the_token_every_route_answers_401(
    client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("a@example.org")
    for authorization in (None, "Bearer wrong-token", f"Basic {ADMIN_TOKEN}", "Bearer",
                          f"Bearer {ADMIN_TOKEN}x", ADMIN_TOKEN):
        headers = {"Authorization": authorization} if authorization else {}
        for method, path in ROUTES:
            response = await client.request(method, path, headers=headers, json={})
            assert response.status_code == 401, (authorization, method, path)
            assert response.headers["www-authenticate"].startswith("Bearer")
    # Nothing was changed on the way.
    page = (await client.get("/api/subscribers", headers=AUTH)).json()
    assert [item["email"] for item in page["items"]] == ["a@example.org"]
    assert len((await client.get("/api/lists", headers=AUTH)).json()) == 3


async def test_no_configured_token_turns_the_api_off(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNDICATION_ADMIN_TOKEN")
    response = await client.get("/api/subscribers", headers={"Authorization": "Bearer "})
    assert response.status_code == 503
    assert (await client.get("/api/lists", headers=AUTH)).status_code == 503


async def test_subscribers_lifecycle(client: httpx.AsyncClient, site: Site) -> None:
    added = await client.post("/api/subscribers", headers=AUTH, json={
        "email": "admin-added@example.org", "languages": ["nl", "fr"], "lists": "press;public",
        "frequency": "weekly", "name": "Ann",
    })
    assert added.status_code == 201
    assert added.json()["status"] == "active"
    assert (await client.post("/api/subscribers", headers=AUTH, json={
        "email": "admin-added@example.org"})).status_code == 409
    assert (await client.post("/api/subscribers", headers=AUTH, json={
        "email": "x@example.org", "lists": "nope"})).status_code == 404
    assert (await client.post("/api/subscribers", headers=AUTH, json={
        "email": "bad"})).status_code == 422
    for index in range(5):
        site.add_subscriber(f"paged{index}@example.org")
    page = (await client.get("/api/subscribers?offset=2&limit=3", headers=AUTH)).json()
    assert page["total"] == 6
    assert [item["email"] for item in page["items"]] == [
        "paged1@example.org", "paged2@example.org", "paged3@example.org",
    ]
    assert (await client.get("/api/subscribers?limit=0", headers=AUTH)).status_code == 422
    shown = (await client.get("/api/subscribers/admin-added@example.org", headers=AUTH)).json()
    assert shown["languages"] == ["nl", "fr"]
    assert sorted(item["list"] for item in shown["subscriptions"]) == ["press", "public"]
    assert shown["consents"][0]["source"] == "admin"
    removed = await client.post("/api/subscribers/admin-added@example.org/remove?list=public",
                                headers=AUTH)
    assert removed.json()["status"] == "active"
    removed = await client.post("/api/subscribers/admin-added@example.org/remove", headers=AUTH)
    assert removed.json()["status"] == "unsubscribed"
    erased = await client.delete("/api/subscribers/admin-added@example.org", headers=AUTH)
    # The API's own audit entries (add, two removes) quoted the address: the erase scrubbed them.
    assert erased.json() == {"erased": "admin-added@example.org", "held": True,
                             "removed": ["3 audit log entries scrubbed"]}
    assert (await client.get("/api/subscribers/admin-added@example.org",
                             headers=AUTH)).status_code == 404
    assert (await client.post("/api/subscribers", headers=AUTH, json={
        "email": "admin-added@example.org"})).status_code == 409  # erased: never again


async def test_lists(client: httpx.AsyncClient, site: Site) -> None:
    site.add_subscriber("member@example.org", lists=("press",))
    created = await client.post("/api/lists", headers=AUTH, json={"name": "ministers",
                                                                  "label": "Cabinets"})
    assert created.status_code == 201
    assert (await client.post("/api/lists", headers=AUTH, json={"name": "ministers"})
            ).status_code == 409
    every = (await client.get("/api/lists", headers=AUTH)).json()
    assert {item["name"]: item["members"] for item in every} == {
        "accredited": 0, "ministers": 0, "press": 1, "public": 0,
    }
    assert (await client.delete("/api/lists/ministers", headers=AUTH)).json() == {
        "deleted": "ministers", "subscriptions": 0,
    }
    assert (await client.delete("/api/lists/ministers", headers=AUTH)).status_code == 404


async def test_releases_deliveries_and_audience(client: httpx.AsyncClient, site: Site) -> None:
    site.add_subscriber("fr@example.org", languages=("fr",), lists=("press",))
    site.add_subscriber("nl@example.org", languages=("nl", "fr"), lists=("press", "public"))
    site.add_subscriber("digest@example.org", languages=("nl",), frequency=Frequency.DAILY)
    site.add_subscriber("embargo@example.org", lists=("accredited",))
    # The 2026 release (FR only, list press) goes public at this tick.
    publish_tick(site.engine, site.settings, at=datetime(2026, 2, 10, 16, 0, tzinfo=UTC))
    releases = (await client.get("/api/releases", headers=AUTH)).json()
    assert [item["status"] for item in releases] == ["public"] * 6 + ["scheduled"]
    scheduled = (await client.get("/api/releases?status=scheduled", headers=AUTH)).json()
    assert [item["id"] for item in scheduled] == ["2027-03-15-pension-adequacy-study"]
    senegal = next(item for item in releases if item["id"] == "2026-02-10-belincosoc-senegal")
    assert senegal["deliveries"] == {"planned": 2}
    counts = (await client.get("/api/deliveries", headers=AUTH)).json()
    assert [(m["key"], m["counts"]["planned"], m["total"]) for m in counts["mailings"]] == [
        ("alert:2026-02-10-belincosoc-senegal", 2, 2),
    ]
    assert counts["failures"] == []
    assert counts["retries"] == []
    reach = (await client.get("/api/releases/2027-03-15-pension-adequacy-study/audience",
                              headers=AUTH)).json()
    assert reach["alert"] == {"fr": 1, "nl": 1}
    assert reach["digest"] == {"daily": {"fr": 0, "nl": 1}, "weekly": {"fr": 0, "nl": 0}}
    assert reach["embargo"] == {"fr": 1, "nl": 0}
    assert (await client.get("/api/releases/nope/audience", headers=AUTH)).status_code == 404


async def test_openapi_document_describes_every_route(client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    described = {
        (method.upper(), path.replace("{email}", "a@example.org").replace("{name}", "press")
         .replace("{id}", "x"))
        for path, operations in document["paths"].items() for method in operations
    }
    assert described == set(ROUTES[:-1])
