"""The admin API's changes land in the audit log; its reads and refusals do not."""

from __future__ import annotations

import httpx
import pytest

from harness.sites import ADMIN_TOKEN, Site
from syndication.console.audit import read_audit

pytestmark = pytest.mark.integration
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def test_api_changes_are_recorded_with_the_client_address(
    client: httpx.AsyncClient, site: Site
) -> None:
    added = await client.post("/api/subscribers", headers=AUTH,
                              json={"email": "bob@example.org", "lists": ["press"]})
    assert added.status_code == 201
    await client.get("/api/subscribers", headers=AUTH)
    await client.post("/api/lists", json={"name": "x"})  # no token: refused, not recorded
    created = await client.post("/api/lists", headers=AUTH, json={"name": "agenda"})
    assert created.status_code == 201
    entries = read_audit(site.engine)
    assert [(e.action, e.target, e.actor, e.channel, e.origin) for e in entries] == [
        ("POST /api/lists", "agenda", "api token", "api", "192.0.2.10"),
        ("POST /api/subscribers", "bob@example.org", "api token", "api", "192.0.2.10"),
    ]
    await client.delete("/api/subscribers/bob@example.org", headers=AUTH)
    erase, _lists, add = read_audit(site.engine)
    assert (erase.action, erase.target) == ("DELETE /api/subscribers/{email}", "<erased address>")
    assert add.target == "<erased address>"  # the erase scrubbed the earlier entry too
