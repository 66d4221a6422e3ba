"""Issue 11, item 1: an erased subscriber's links must never act on the next person.

SQLite gives an erased subscriber's row id to the next one (no AUTOINCREMENT), and a
PostgreSQL sequence can be reset (a restore): the reproduction signs up a person, keeps
their confirmation, preferences and unsubscribe links (in the new form and in the old,
row-id form already mailed), erases them, lets a newcomer sign up under the same row id,
and checks that none of the kept links confirms, shows, changes or unsubscribes the
newcomer. Old-form links keep working for the person they were made for.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import text

from harness.sites import Site, make_site, open_site
from subscribers import (
    Status,
    TokenPurpose,
    erase_person,
    find_subscriber,
    make_token,
    show_person,
)
from syndication.web.app import create_app
from tests.web.conftest import maildir_messages
from tests.web.test_subscription import text_of

SECRET = b"security-test-secret"  # tests/security/conftest.py's secrets_env
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ONE_CLICK = "List-Unsubscribe=One-Click"


def legacy_token(purpose: TokenPurpose, subscriber_id: int, *, signed_at: int) -> str:
    """A link as the first release mailed it: the row id, signed at `signed_at`."""
    serializer = URLSafeTimedSerializer(SECRET, salt=f"subscribers.{purpose.value}")
    signer = serializer.make_signer()
    assert isinstance(signer, TimestampSigner)
    signer.get_timestamp = lambda: signed_at  # type: ignore[method-assign]
    payload = serializer.dump_payload(subscriber_id)
    return signer.sign(payload).decode()


@pytest.fixture
def backend_site(backend: str, tmp_path: Path, secrets_env: None,
                 request: pytest.FixtureRequest) -> Iterator[Site]:
    """A private site on SQLite or on a PostgreSQL database of its own."""
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    opened = open_site(make_site(tmp_path / "site", database_url=url))
    yield opened
    opened.engine.dispose()


@pytest.fixture
async def web(backend_site: Site) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(backend_site.settings, backend_site.engine),
                                    client=("192.0.2.20", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def confirm_link(site: Site, address: str) -> str:
    """The path of the last confirmation link mailed to `address`."""
    found = []
    for message in maildir_messages(site):
        if message["To"] == address:
            found += re.findall(r"https://press\.example\.be(/confirm/[A-Za-z0-9_.\-]+)",
                                text_of(message))
    assert found, f"no confirmation mailed to {address}"
    return str(found[-1])


async def sign_up(web: httpx.AsyncClient, address: str) -> None:
    answer = await web.post("/subscribe", content=f"email={address}&lists=press", headers=FORM)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
async def test_links_of_an_erased_person_never_act_on_the_newcomer(
    backend_site: Site, web: httpx.AsyncClient
) -> None:
    site, secret = backend_site, SECRET
    await sign_up(web, "first@example.org")
    first = find_subscriber(site.engine, "first@example.org")
    kept_confirm = confirm_link(site, "first@example.org")
    payload = kept_confirm.split("/")[-1].split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert decoded == f'"{first.public_id}"'.encode()  # no row id, no subscriber count
    signed_at = int(time.time())  # when the old-form links were mailed
    kept = {
        "confirm": kept_confirm,
        "legacy confirm": f"/confirm/{legacy_token(TokenPurpose.CONFIRM, first.id, signed_at=signed_at)}",
    }
    for purpose in (TokenPurpose.PREFERENCES, TokenPurpose.UNSUBSCRIBE):
        kept[purpose.value] = f"/{purpose.value}/{make_token(secret, purpose, first.public_id)}"
        kept[f"legacy {purpose.value}"] = (
            f"/{purpose.value}/{legacy_token(purpose, first.id, signed_at=signed_at)}"
        )
    erase_person(site.engine, "first@example.org", secret)
    if site.engine.dialect.name == "postgresql":  # a restored sequence hands the id out again
        with site.engine.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('subscribers', 'id'), "
                              ":id, false)"), {"id": first.id})
    while int(time.time()) <= signed_at:  # the newcomer comes later than the links
        time.sleep(0.05)
    await sign_up(web, "newcomer@example.org")
    newcomer = find_subscriber(site.engine, "newcomer@example.org")
    assert newcomer.id == first.id  # the row id was reused: the attack's precondition
    assert newcomer.public_id != first.public_id
    before = show_person(site.engine, "newcomer@example.org")

    for name in ("confirm", "legacy confirm"):
        answer = await web.get(kept[name])
        assert answer.status_code == 404, (name, answer.status_code)
    for name in ("preferences", "legacy preferences"):
        answer = await web.get(kept[name])
        assert answer.status_code == 404, (name, answer.status_code)
        assert "newcomer" not in answer.text
    for name in ("unsubscribe", "legacy unsubscribe"):
        page = await web.get(kept[name])
        assert "newcomer" not in page.text
        done = await web.post(kept[name], content=ONE_CLICK, headers=FORM)
        assert done.status_code == 200  # "you are unsubscribed": there is nobody to tell apart
    assert show_person(site.engine, "newcomer@example.org") == before
    assert before.subscriber.status is Status.PENDING  # double opt-in not bypassed

    answer = await web.get(confirm_link(site, "newcomer@example.org"))
    assert answer.status_code == 200
    assert find_subscriber(site.engine, "newcomer@example.org").status is Status.ACTIVE


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
async def test_old_form_links_still_work_for_their_own_person(
    backend_site: Site, web: httpx.AsyncClient
) -> None:
    subscriber_id = backend_site.add_subscriber("reader@example.org")  # subscribed long ago
    signed_at = int(time.time()) - 86_400  # mailed yesterday, before public ids
    preferences = legacy_token(TokenPurpose.PREFERENCES, subscriber_id, signed_at=signed_at)
    page = await web.get(f"/preferences/{preferences}")
    assert page.status_code == 200
    assert "reader@example.org" in page.text
    unsubscribe = legacy_token(TokenPurpose.UNSUBSCRIBE, subscriber_id, signed_at=signed_at)
    done = await web.post(f"/unsubscribe/{unsubscribe}", content=ONE_CLICK, headers=FORM)
    assert done.status_code == 200
    assert find_subscriber(backend_site.engine, "reader@example.org").status is (
        Status.UNSUBSCRIBED)
