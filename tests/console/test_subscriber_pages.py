"""The subscriber pages: search, filters, keyset pages, show, edit, remove, erase, roles."""

from __future__ import annotations

import httpx
import pytest

from harness.sites import Site
from subscribers import Frequency, SubscriberFilter, find_subscriber, search_subscribers
from syndication.console.audit import read_audit
from tests.console.conftest import csrf_of

pytestmark = pytest.mark.integration


def test_keyset_pages_walk_every_match_once(site: Site) -> None:
    for n in range(7):
        site.add_subscriber(f"p{n}@example.org", languages=("nl",) if n % 2 else ("fr",))
    seen: list[str] = []
    page = search_subscribers(site.engine, SubscriberFilter(), limit=3)
    assert not page.has_before
    assert page.has_after
    while True:
        seen += [subscriber.email for subscriber, _ in page.rows]
        if not page.has_after:
            break
        page = search_subscribers(site.engine, SubscriberFilter(), after=page.last_id, limit=3)
    assert seen == [f"p{n}@example.org" for n in range(7)]
    back = search_subscribers(site.engine, SubscriberFilter(), before=page.first_id, limit=3)
    assert [s.email for s, _ in back.rows] == ["p3@example.org", "p4@example.org",
                                               "p5@example.org"]
    assert back.has_before
    assert back.has_after
    dutch = search_subscribers(site.engine, SubscriberFilter(language="nl"))
    assert [s.email for s, _ in dutch.rows] == ["p1@example.org", "p3@example.org",
                                                "p5@example.org"]


async def test_search_and_filters(admin_client: httpx.AsyncClient, site: Site) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    site.add_subscriber("bert@standaard.example", lists=("public",),
                        frequency=Frequency.WEEKLY)
    found = await admin_client.get("/admin/subscribers", params={"q": "SOIR"})
    assert "anne@lesoir.example" in found.text
    assert "bert@" not in found.text
    weekly = await admin_client.get("/admin/subscribers", params={"frequency": "weekly"})
    assert "bert@standaard.example" in weekly.text
    assert "anne@" not in weekly.text
    on_press = await admin_client.get("/admin/subscribers", params={"list": "press"})
    assert "anne@lesoir.example" in on_press.text
    assert "bert@" not in on_press.text


async def test_edit_a_preference_and_the_audit_log_says_who(
    admin_client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    page = await admin_client.get("/admin/subscribers/anne@lesoir.example")
    assert (page.status_code == 200 and "Consent" in page.text) or "Consentement" in page.text
    saved = await admin_client.post("/admin/subscribers/anne@lesoir.example/edit", data={
        "csrf": csrf_of(page.text), "languages": ["nl", "fr"], "lists": ["press", "public"],
        "frequency": "daily"})
    assert saved.status_code == 303
    subscriber = find_subscriber(site.engine, "anne@lesoir.example")
    assert subscriber.languages == ("nl", "fr")
    entry = read_audit(site.engine)[0]
    assert (entry.actor, entry.channel, entry.action, entry.target) == (
        "claire", "console", "subscriber edit", "anne@lesoir.example")
    assert "frequency=daily" in entry.detail


async def test_an_editor_sees_but_cannot_change(
    editor_client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    page = await editor_client.get("/admin/subscribers/anne@lesoir.example")
    assert page.status_code == 200
    assert "/edit" not in page.text
    token = csrf_of(page.text)
    for action, data in (("edit", {"languages": "nl", "lists": "public"}), ("remove", {}),
                         ("erase", {"confirm": "anne@lesoir.example"})):
        refused = await editor_client.post(
            f"/admin/subscribers/anne@lesoir.example/{action}", data={"csrf": token, **data})
        assert refused.status_code == 403, action
    subscriber = find_subscriber(site.engine, "anne@lesoir.example")
    assert subscriber.languages == ("fr",)
    assert subscriber.status.value == "active"
    assert read_audit(site.engine) == []


async def test_a_post_without_csrf_changes_nothing(
    admin_client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    refused = await admin_client.post("/admin/subscribers/anne@lesoir.example/remove", data={})
    assert refused.status_code == 403
    forged = await admin_client.post("/admin/subscribers/anne@lesoir.example/remove",
                                     data={"csrf": "x.1.y"})
    assert forged.status_code == 403
    assert find_subscriber(site.engine, "anne@lesoir.example").status.value == "active"


async def test_erase_asks_for_the_address_then_forgets(
    admin_client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("anne@lesoir.example", lists=("press",))
    form = await admin_client.get("/admin/subscribers/anne@lesoir.example/erase")
    wrong = await admin_client.post("/admin/subscribers/anne@lesoir.example/erase",
                                    data={"csrf": csrf_of(form.text), "confirm": "anne@"})
    assert wrong.status_code == 422
    assert find_subscriber(site.engine, "anne@lesoir.example")
    erased = await admin_client.post("/admin/subscribers/anne@lesoir.example/erase", data={
        "csrf": csrf_of(form.text), "confirm": "Anne@lesoir.example"})
    assert erased.status_code == 200
    gone = await admin_client.get("/admin/subscribers/anne@lesoir.example")
    assert gone.status_code == 404
    entry = read_audit(site.engine)[0]
    assert entry.action == "subscriber erase"
    assert entry.target == "<erased address>"


def test_search_matches_any_case_and_takes_wildcards_literally(site: Site) -> None:
    site.add_subscriber("Anne.Dupont@LeSoir.example")
    site.add_subscriber("bert@standaard.example")
    site.add_subscriber("c_d@example.org")

    def found(text: str) -> list[str]:
        page = search_subscribers(site.engine, SubscriberFilter(text=text))
        return [subscriber.email for subscriber, _ in page.rows]

    assert found("lesoir") == ["Anne.Dupont@lesoir.example"]
    assert found("DUPONT@") == ["Anne.Dupont@lesoir.example"]
    assert found("_d@") == ["c_d@example.org"]
    assert found("%") == []
