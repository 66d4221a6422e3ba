"""Forged, tampered, wrong-purpose, expired and malformed tokens on every token route.

Each gets a 4xx answer (never a 5xx, never a traceback) and changes nothing; the same
routes with good tokens work, and unsubscribe and preferences links keep working when
old (RFC 8058 one-click links live in old emails), while confirmation links expire.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from harness.sites import Site
from subscribers.directory import find_subscriber
from subscribers.model import Status
from subscribers.tokens import TokenPurpose, make_token
from tests.security.conftest import GOOD, Tally, good_data

SECRET = b"security-test-secret"
ROUTES = [
    ("GET", "/confirm/{}", TokenPurpose.CONFIRM),
    ("GET", "/unsubscribe/{}", TokenPurpose.UNSUBSCRIBE),
    ("POST", "/unsubscribe/{}", TokenPurpose.UNSUBSCRIBE),
    ("GET", "/preferences/{}", TokenPurpose.PREFERENCES),
    ("POST", "/preferences/{}", TokenPurpose.PREFERENCES),
]
GARBAGE = [
    "x", "null", "0", "-1", "a" * 4000, "é", "%00", "%2e%2e", "MQ", "MQ.aGVsbG8",
    "eyJhbGciOiJub25lIn0.eyJpZCI6MX0.", "MQ.Zz.Zz", "..MQ", "MQ..", "MQ.ZzZzZz.ZzZz%0d%0a",
]
BODY: dict[str, Any] = {
    "content": "List-Unsubscribe=One-Click",
    "headers": {"Content-Type": "application/x-www-form-urlencoded"},
}


def aged(purpose: TokenPurpose, public_id: str, days: float,
         monkeypatch: pytest.MonkeyPatch) -> str:
    """A good token issued `days` ago."""
    then = int(time.time() - days * 86400)
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: then)
        return make_token(SECRET, purpose, public_id)


def signed(purpose: TokenPurpose, value: object) -> str:
    """A token correctly signed for `purpose` whose payload is not a subscriber id."""
    return str(URLSafeTimedSerializer(SECRET, salt=f"subscribers.{purpose.value}").dumps(value))


def bad_tokens(
    purpose: TokenPurpose, subscriber_id: str, other_id: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Every bad token for one purpose, by kind."""
    good = make_token(SECRET, purpose, subscriber_id)
    payload, stamp, signature = good.split(".")
    other_payload = make_token(SECRET, purpose, other_id).split(".")[0]

    def changed(text: str) -> str:
        # The first character: the last one of a base64 run carries padding bits, so some
        # changes to it decode to the same bytes (and the token is rightly still valid).
        return ("A" if text[0] != "A" else "B") + text[1:]

    tokens = {
        "forged: another secret": make_token(b"not-the-secret", purpose, subscriber_id),
        "tampered: other subscriber": f"{other_payload}.{stamp}.{signature}",
        "tampered: signature": f"{payload}.{stamp}.{changed(signature)}",
        "tampered: timestamp": f"{payload}.{changed(stamp)}.{signature}",
        "tampered: truncated": good[:-4],
        "tampered: extended": good + "AA",
        "signed: not an id (empty)": signed(purpose, ""),
        "signed: not an id (bool)": signed(purpose, True),
        "signed: not an id (zero)": signed(purpose, 0),
        "signed: not an id (list)": signed(purpose, [subscriber_id]),
        "signed: not an id (dict)": signed(purpose, {"id": subscriber_id}),
    }
    for other in TokenPurpose:
        if other is not purpose:
            tokens[f"wrong purpose: {other.value}"] = make_token(SECRET, other, subscriber_id)
    if purpose is TokenPurpose.CONFIRM:
        tokens["expired: 8 days"] = aged(purpose, subscriber_id, 8, monkeypatch)
    for number, text in enumerate(GARBAGE):
        tokens[f"garbage #{number}"] = text
    return tokens


async def test_every_bad_token_on_every_route_gets_4xx_and_changes_nothing(
    client: httpx.AsyncClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscriber = find_subscriber(site.engine, GOOD[0])
    other = find_subscriber(site.engine, GOOD[1])
    before = good_data(site.engine)
    tally = Tally("bad tokens × token routes")

    for method, template, purpose in ROUTES:
        for kind, token in bad_tokens(
            purpose, subscriber.public_id, other.public_id, monkeypatch
        ).items():
            for accept in ("text/html", "application/json"):
                response = await client.request(
                    method, template.format(token), headers={"Accept": accept, **BODY["headers"]},
                    content=BODY["content"] if method == "POST" else None,
                )
                assert 400 <= response.status_code < 500, (method, template, kind, response)
                assert "Traceback" not in response.text
                tally.add(kind.split(":")[0].split(" #")[0], str(response.status_code))

    tally.print()
    assert tally.total() == 282  # 5 routes × 28 or 29 bad tokens × 2 kinds of client
    assert good_data(site.engine) == before


async def test_good_tokens_work_and_only_confirmation_links_expire(
    client: httpx.AsyncClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscriber = find_subscriber(site.engine, GOOD[0])
    old_preferences = aged(TokenPurpose.PREFERENCES, subscriber.public_id, 400, monkeypatch)
    old_unsubscribe = aged(TokenPurpose.UNSUBSCRIBE, subscriber.public_id, 400, monkeypatch)
    week_old_confirm = aged(TokenPurpose.CONFIRM, subscriber.public_id, 6.9, monkeypatch)
    expired_confirm = aged(TokenPurpose.CONFIRM, subscriber.public_id, 7.1, monkeypatch)

    assert (await client.get(f"/confirm/{expired_confirm}")).status_code == 400
    assert (await client.get(f"/confirm/{week_old_confirm}")).status_code == 200
    assert (await client.get(f"/preferences/{old_preferences}")).status_code == 200
    assert (await client.get(f"/unsubscribe/{old_unsubscribe}")).status_code == 200
    assert find_subscriber(site.engine, GOOD[0]).status is Status.ACTIVE  # GET changes nothing
    done = await client.post(
        f"/unsubscribe/{old_unsubscribe}", content=BODY["content"], headers=BODY["headers"]
    )
    assert done.status_code == 200
    assert find_subscriber(site.engine, GOOD[0]).status is Status.UNSUBSCRIBED


async def test_a_good_token_of_a_subscriber_who_does_not_exist(
    client: httpx.AsyncClient, site: Site
) -> None:
    # Unsubscribing someone erased is done already (200); the other routes name a bad
    # link (404), except a preferences POST, refused first for its missing CSRF token.
    expected = {"/confirm/": 404, "/unsubscribe/": 200, "/preferences/": 404}
    before = good_data(site.engine)
    for method, template, purpose in ROUTES:
        token = make_token(SECRET, purpose, "nobody-has-this-public-id")
        response = await client.request(
            method, template.format(token), content=BODY["content"], headers=BODY["headers"]
        )
        wanted = 403 if (method, purpose) == ("POST", TokenPurpose.PREFERENCES) else (
            expected[template.removesuffix("{}")]
        )
        assert response.status_code == wanted, (method, template, response.status_code)
    assert good_data(site.engine) == before
