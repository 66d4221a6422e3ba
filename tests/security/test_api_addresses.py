"""Every address `subscribers add` accepts is reachable through the API (issue 11, item 15).

`a/b@example.org` is a valid address (RFC 5321 allows `/` in a local part) that the API's
`{email}` routes could not match, so a person could be added but not shown or erased.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from harness.sites import Site

AUTH = {"Authorization": "Bearer security-test-admin-token"}


@pytest.mark.parametrize("address", ["a/b@example.org", "x/remove@example.org", "/@example.org"])
async def test_an_address_with_a_slash_can_be_shown_removed_and_erased(
    site: Site, client: httpx.AsyncClient, address: str
) -> None:
    site.add_subscriber(address)
    for path in (address, quote(address, safe="@")):
        shown = await client.get(f"/api/subscribers/{path}", headers=AUTH)
        assert shown.status_code == 200, path
        assert shown.json()["email"] == address
    removed = await client.post(f"/api/subscribers/{quote(address, safe='@')}/remove",
                                headers=AUTH)
    assert removed.json()["status"] == "unsubscribed"
    erased = await client.delete(f"/api/subscribers/{address}", headers=AUTH)
    # The audit entry of the removal quoted the address: the erase scrubbed it.
    assert erased.json() == {"erased": address, "held": True,
                             "removed": ["1 audit log entries scrubbed"]}
    assert (await client.get(f"/api/subscribers/{address}", headers=AUTH)).status_code == 404
