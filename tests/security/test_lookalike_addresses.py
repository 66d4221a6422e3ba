"""Lookalike addresses never reach another person (issue 11, item 8).

`casefold()` made `ſam@` (long s) erase `sam@`, and `straße@` find `strasse@`. The key is
now the local part exact but for ASCII letter case, the domain as its IDNA A-label: what
one mailbox receives, and nothing more. Erasures kept under the old key still hold.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import insert

from harness.sites import Site
from subscribers import (
    ErasedAddress,
    UnknownSubscriber,
    add_subscriber,
    address_key,
    find_subscriber,
    is_suppressed,
)
from subscribers.schema import suppressions
from syndication.web.context import mailbox_key

AUTH = {"Authorization": "Bearer security-test-admin-token"}
SECRET = b"security-test-secret"


@pytest.mark.parametrize(("kept", "lookalike"), [
    ("sam@example.org", "ſam@example.org"),
    ("strasse@example.org", "straße@example.org"),
])
async def test_a_lookalike_neither_finds_nor_erases_the_other(
    site: Site, client: httpx.AsyncClient, kept: str, lookalike: str
) -> None:
    site.add_subscriber(kept)
    with pytest.raises(UnknownSubscriber):
        find_subscriber(site.engine, lookalike)
    erased = await client.delete(f"/api/subscribers/{quote(lookalike, safe='@')}",
                                 headers=AUTH)
    assert erased.json() == {"erased": lookalike, "held": False}  # nobody of that address
    assert find_subscriber(site.engine, kept).email == kept
    assert not is_suppressed(site.engine, kept, SECRET)
    with pytest.raises(ErasedAddress):  # the erase request is honoured for its own address
        add_subscriber(site.engine, lookalike, languages=("fr",), secret=SECRET)
    # And the other way round: erasing the plain address leaves the lookalike alone.
    add_subscriber(site.engine, lookalike, languages=("fr",), secret=SECRET, resubscribe=True)
    assert (await client.delete(f"/api/subscribers/{kept}", headers=AUTH)).json()["held"]
    assert find_subscriber(site.engine, lookalike).email == lookalike
    assert not is_suppressed(site.engine, lookalike, SECRET)


def test_the_same_mailbox_in_every_spelling_is_one_person(site: Site) -> None:
    site.add_subscriber("Reader@Bücher.de")
    for spelling in ("reader@bücher.de", "READER@BÜCHER.DE", "reader@xn--bcher-kva.de",
                     "Reader@XN--BCHER-KVA.DE"):
        assert find_subscriber(site.engine, spelling).email == "Reader@bücher.de"
    assert address_key("Reader@bücher.de") == "reader@xn--bcher-kva.de"
    # The sign-up limiter counts the same mailbox (less its +tag) by the same key.
    assert mailbox_key("Reader+news@BÜCHER.de") == "reader@xn--bcher-kva.de"
    assert mailbox_key("ſam+x@example.org") != mailbox_key("sam@example.org")


def test_an_erasure_kept_under_the_old_key_still_holds(site: Site) -> None:
    # The first release hashed casefold(): "Straße@Example.org" was kept as "strasse@...".
    with site.engine.begin() as conn:
        conn.execute(insert(suppressions).values(
            email_hash=hmac.new(SECRET, b"strasse@example.org", hashlib.sha256).hexdigest(),
            reason="erased", created_at=datetime(2025, 1, 1, tzinfo=UTC)))
    for again in ("Straße@example.org", "STRASSE@example.org"):
        with pytest.raises(ErasedAddress):
            add_subscriber(site.engine, again, languages=("fr",), secret=SECRET)
