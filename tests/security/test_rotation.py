"""Rotating the site secret end to end (SPEC: SYNDICATION_SECRET_PREVIOUS; issue 11).

Under secret A a person gets links and another is erased (the erasure hash made with A,
one of them still with the first release's casefold key). Rotated to B with
PREVIOUS=A: A's links work, the erased cannot be added, imported or signed up again, and
every new token is B's. Without PREVIOUS, A's links are refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert

from harness.sites import Site, make_site, open_site
from subscribers import (
    ErasedAddress,
    InvalidToken,
    TokenPurpose,
    add_subscriber,
    erase_person,
    find_subscriber,
    import_csv,
    make_token,
    read_token,
)
from subscribers.schema import suppressions
from syndication.web.app import create_app
from tests.web.conftest import maildir_messages
from tests.web.test_subscription import text_of

A = "rotation-secret-A-Vq3hK8xZr2Lm9PfW4tYc7NbJ"
B = "rotation-secret-B-Hs6Dk2Qw9Xe4Rn8Uj3TaLp5M"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def client_of(site: Site) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(site.settings, site.engine),
                                    client=("192.0.2.30", 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_rotation_keeps_links_and_erasures_then_drops_the_old_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNDICATION_SECRET", A)
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", "rotation-admin-token-Jd4Wy7Qs2Fk9Rm5Tx3EpUa")
    monkeypatch.delenv("SYNDICATION_SECRET_PREVIOUS", raising=False)
    site = open_site(make_site(tmp_path / "site"))
    try:
        site.add_subscriber("reader@example.org")
        reader = find_subscriber(site.engine, "reader@example.org")
        old_preferences = make_token(A.encode(), TokenPurpose.PREFERENCES, reader.public_id)
        old_unsubscribe = make_token(A.encode(), TokenPurpose.UNSUBSCRIBE, reader.public_id)
        site.add_subscriber("gone@example.org")
        erase_person(site.engine, "gone@example.org", A.encode())
        # Erased by the first release: secret A and the casefold key ("ſam" was "sam").
        with site.engine.begin() as conn:
            conn.execute(insert(suppressions).values(
                email_hash=hmac.new(A.encode(), b"old@example.org", hashlib.sha256).hexdigest(),
                reason="erased", created_at=datetime(2025, 1, 1, tzinfo=UTC)))

        monkeypatch.setenv("SYNDICATION_SECRET", B)
        monkeypatch.setenv("SYNDICATION_SECRET_PREVIOUS", A)
        keyring = site.settings.keyring()
        assert keyring is not None
        assert keyring.current == B.encode()
        async with client_of(site) as web:
            page = await web.get(f"/preferences/{old_preferences}")
            assert page.status_code == 200
            assert "reader@example.org" in page.text
            # The page's own links are new tokens: B's alone verifies them.
            fresh = re.findall(r"/unsubscribe/([A-Za-z0-9_.\-]+)", page.text) or [
                make_token(keyring, TokenPurpose.UNSUBSCRIBE, reader.public_id)]
            assert read_token(B.encode(), fresh[0], TokenPurpose.UNSUBSCRIBE,
                              max_age=None) == reader.public_id
            for gone in ("gone@example.org", "GONE@example.org", "Old@Example.org"):
                with pytest.raises(ErasedAddress):
                    add_subscriber(site.engine, gone, languages=("fr",), secret=keyring)
                answer = await web.post("/subscribe", content=f"email={gone}&lists=press",
                                        headers=FORM)
                assert answer.status_code == 200  # the same answer as for anyone
            people = tmp_path / "people.csv"
            people.write_text("email,languages\ngone@example.org,fr\nold@example.org,nl\n"
                              "new@example.org,fr\n", encoding="utf-8")
            report = import_csv(site.engine, people, languages=("fr", "nl"), themes=(),
                                secret=keyring)
            assert report.imported == 1
            assert [error.line for error in report.errors] == [2, 3]
            assert [m["To"] for m in maildir_messages(site)] == []
            # A sign-up now gets a confirmation signed with B only.
            await web.post("/subscribe", content="email=later@example.org&lists=press",
                           headers=FORM)
            [mailed] = [m for m in maildir_messages(site) if m["To"] == "later@example.org"]
            confirm = re.search(r"/confirm/([A-Za-z0-9_.\-]+)", text_of(mailed))
            assert confirm is not None
            read_token(B.encode(), confirm.group(1), TokenPurpose.CONFIRM, max_age=None)
            with pytest.raises(InvalidToken):
                read_token(A.encode(), confirm.group(1), TokenPurpose.CONFIRM, max_age=None)

        monkeypatch.delenv("SYNDICATION_SECRET_PREVIOUS")
        async with client_of(site) as web:
            assert (await web.get(f"/preferences/{old_preferences}")).status_code == 400
            refused = await web.post(f"/unsubscribe/{old_unsubscribe}",
                                     content="List-Unsubscribe=One-Click", headers=FORM)
            assert refused.status_code == 400
        assert find_subscriber(site.engine, "reader@example.org").status.value == "active"
    finally:
        site.engine.dispose()
