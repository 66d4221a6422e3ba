"""Double opt-in, one-click unsubscribe and preferences, through the app in process."""

from __future__ import annotations

import re
import time
from email.header import decode_header, make_header
from email.message import Message

import httpx
import pytest
from itsdangerous import TimestampSigner

from harness.sites import SECRET, Site
from subscribers.directory import find_subscriber
from subscribers.model import Frequency, Status
from subscribers.privacy import show_person
from subscribers.tokens import TokenPurpose, make_token
from tests.web.conftest import maildir_messages

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def text_of(message: Message) -> str:
    """The decoded text parts of a message, joined."""
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            parts.append(payload.decode(part.get_content_charset() or "utf-8"))
    return "\n".join(parts)


def confirm_path(message: Message) -> str:
    found = re.search(r"https://press\.example\.be(/confirm/[A-Za-z0-9_.\-]+)", text_of(message))
    assert found is not None, text_of(message)
    return found.group(1)


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


async def test_subscribe_confirm_activates(client: httpx.AsyncClient, site: Site) -> None:
    response = await client.post(
        "/subscribe",
        content="email=New.Reader%40Example.ORG&languages=nl&languages=fr&lists=press"
        "&themes=pensions&frequency=daily&name=%3Cb%3EEVIL%3C%2Fb%3E",
        headers=FORM,
    )
    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    pending = find_subscriber(site.engine, "New.Reader@example.org")
    assert pending.status is Status.PENDING
    assert pending.languages == ("nl", "fr")
    [message] = maildir_messages(site)
    assert message["To"] == "New.Reader@example.org"
    assert message["Content-Language"] == "nl"
    assert "EVIL" not in message.as_string()
    assert "pensions" not in text_of(message)
    path = confirm_path(message)
    probe = await client.head(path)  # a link checker's probe confirms nobody
    assert probe.status_code == 200
    assert find_subscriber(site.engine, "New.Reader@example.org").status is Status.PENDING
    page = await client.get(path)
    assert page.status_code == 200
    assert 'lang="nl"' in page.text
    assert "/preferences/" in page.text
    person = show_person(site.engine, "New.Reader@example.org")
    assert person.subscriber.status is Status.ACTIVE
    assert [(s.list_name, s.themes, s.frequency) for s in person.subscriptions] == [
        ("press", ("pensions",), Frequency.DAILY)
    ]
    assert person.consents[0].confirmed_at is not None
    assert (await client.get(path)).status_code == 200  # confirming twice changes nothing


async def test_json_and_joined_values(client: httpx.AsyncClient, site: Site) -> None:
    response = await client.post("/subscribe", json={
        "email": "json@example.org", "languages": "fr;nl", "lists": "press;public",
    })
    assert response.status_code == 200
    assert response.json() == {"status": "check your inbox"}
    person = show_person(site.engine, "json@example.org")
    assert sorted(s.list_name for s in person.subscriptions) == ["press", "public"]
    assert person.subscriber.languages == ("fr", "nl")
    [message] = maildir_messages(site)
    assert message["Content-Language"] == "fr"  # the first language chosen
    assert subject(message).startswith("Confirmez")


async def test_bad_input_is_refused_without_mail(client: httpx.AsyncClient, site: Site) -> None:
    for body in ({"email": "not an address"}, {"email": "a@example.org", "lists": "nope"},
                 {"email": "a@example.org", "languages": "de"},
                 {"email": "a@example.org", "themes": "nope"},
                 {"email": "a@example.org", "frequency": "hourly"},
                 # Embargo copies are for accredited journalists: not joinable on the web.
                 {"email": "a@example.org", "lists": "accredited"}):
        response = await client.post("/subscribe", json=body)
        assert response.status_code == 422, body
        assert "error" in response.json()
    assert (await client.post("/subscribe", content=b"{", headers={
        "Content-Type": "application/json"})).status_code == 400
    assert maildir_messages(site) == []


async def test_an_active_address_learns_nothing_and_changes_nothing(
    client: httpx.AsyncClient, site: Site
) -> None:
    site.add_subscriber("member@example.org", languages=("nl",), lists=("press",))
    new = await client.post("/subscribe", content="email=stranger%40example.org", headers=FORM)
    known = await client.post(
        "/subscribe", content="email=member%40example.org&lists=public&frequency=weekly",
        headers=FORM,
    )
    assert known.status_code == new.status_code == 200
    assert known.text == new.text
    person = show_person(site.engine, "member@example.org")
    assert person.subscriber.status is Status.ACTIVE
    assert [(s.list_name, s.frequency) for s in person.subscriptions] == [
        ("press", Frequency.IMMEDIATE)
    ]
    # The member gets a confirmation whose link changes nothing, in their own language.
    member_mail = [m for m in maildir_messages(site) if m["To"] == "member@example.org"]
    assert len(member_mail) == 1
    assert (await client.get(confirm_path(member_mail[0]))).status_code == 200
    person = show_person(site.engine, "member@example.org")
    assert [(s.list_name, s.frequency) for s in person.subscriptions] == [
        ("press", Frequency.IMMEDIATE)
    ]


async def test_rate_limits_per_address_and_per_client(
    client: httpx.AsyncClient, site: Site
) -> None:
    for _ in range(3):
        ok = await client.post("/subscribe", json={"email": "target@example.org"})
        assert ok.status_code == 200
    bombed = await client.post("/subscribe", json={"email": "TARGET@example.org"})
    assert bombed.status_code == 429
    assert int(bombed.headers["retry-after"]) > 0
    assert len(maildir_messages(site)) == 3
    statuses = [
        (await client.post("/subscribe", json={"email": f"p{n}@example.org"})).status_code
        for n in range(10)
    ]
    assert statuses[:6] == [200] * 6  # 4 used above, 10 per minute per client address
    assert statuses[6:] == [429] * 4


async def test_unsubscribe_needs_a_post_and_one_click_works(
    client: httpx.AsyncClient, site: Site
) -> None:
    subscriber_id = site.add_subscriber("leaving@example.org", languages=("nl",))
    token = make_token(SECRET.encode(), TokenPurpose.UNSUBSCRIBE, subscriber_id)
    page = await client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200
    assert 'method="post"' in page.text
    assert "leaving@example.org" in page.text
    assert find_subscriber(site.engine, "leaving@example.org").status is Status.ACTIVE
    # RFC 8058: the mail client POSTs this body, with no cookie and no CSRF token.
    done = await client.post(f"/unsubscribe/{token}", content="List-Unsubscribe=One-Click",
                             headers=FORM)
    assert done.status_code == 200
    assert find_subscriber(site.engine, "leaving@example.org").status is Status.UNSUBSCRIBED
    again = await client.post(f"/unsubscribe/{token}",
                              files={"List-Unsubscribe": (None, "One-Click")})
    assert again.status_code == 200  # multipart, as RFC 8058 also allows; and idempotent


def _expired_confirm_token(subscriber_id: int, monkeypatch: pytest.MonkeyPatch) -> str:
    eight_days_ago = int(time.time()) - 8 * 86400
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_ago)
        return make_token(SECRET.encode(), TokenPurpose.CONFIRM, subscriber_id)


async def test_bad_tokens_get_4xx(
    client: httpx.AsyncClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscriber_id = site.add_subscriber("someone@example.org")
    secret = SECRET.encode()
    confirm = make_token(secret, TokenPurpose.CONFIRM, subscriber_id)
    unsubscribe = make_token(secret, TokenPurpose.UNSUBSCRIBE, subscriber_id)
    preferences = make_token(secret, TokenPurpose.PREFERENCES, subscriber_id)
    tampered = unsubscribe[:-3] + ("AAA" if not unsubscribe.endswith("AAA") else "BBB")
    forged = make_token(b"another secret", TokenPurpose.UNSUBSCRIBE, subscriber_id)
    cases = [
        ("GET", "/confirm/forged-token"),
        ("GET", f"/confirm/{unsubscribe}"),  # wrong purpose
        ("GET", f"/confirm/{_expired_confirm_token(subscriber_id, monkeypatch)}"),
        ("GET", f"/unsubscribe/{tampered}"),
        ("POST", f"/unsubscribe/{tampered}"),
        ("POST", f"/unsubscribe/{forged}"),
        ("POST", f"/unsubscribe/{confirm}"),
        ("POST", f"/unsubscribe/{preferences}"),
        ("GET", f"/preferences/{unsubscribe}"),
        ("GET", "/preferences/x"),
    ]
    for method, path in cases:
        response = await client.request(method, path)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
    assert find_subscriber(site.engine, "someone@example.org").status is Status.ACTIVE
    unknown = make_token(secret, TokenPurpose.PREFERENCES, 999_999)
    assert (await client.get(f"/preferences/{unknown}")).status_code == 404


async def test_preferences_need_the_csrf_token(client: httpx.AsyncClient, site: Site) -> None:
    subscriber_id = site.add_subscriber("prefs@example.org", languages=("nl", "fr"))
    token = make_token(SECRET.encode(), TokenPurpose.PREFERENCES, subscriber_id)
    page = await client.get(f"/preferences/{token}")
    assert page.status_code == 200
    assert 'lang="nl"' in page.text
    assert 'value="accredited"' not in page.text  # not theirs: not offered
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    body = "languages=fr&languages=nl&lists=public&themes=pensions&frequency=weekly"
    refused = await client.post(f"/preferences/{token}", content=body, headers=FORM)
    assert refused.status_code == 403
    forged = await client.post(f"/preferences/{token}", content=body + "&csrf=1.2.3",
                               headers=FORM)
    assert forged.status_code == 403
    other = make_token(SECRET.encode(), TokenPurpose.PREFERENCES, site.add_subscriber(
        "other@example.org"))
    stolen = await client.post(f"/preferences/{other}", content=body + f"&csrf={csrf.group(1)}",
                               headers=FORM)
    assert stolen.status_code == 403  # a CSRF token is bound to its link
    saved = await client.post(f"/preferences/{token}", content=body + f"&csrf={csrf.group(1)}",
                              headers=FORM)
    assert saved.status_code == 200
    person = show_person(site.engine, "prefs@example.org")
    assert person.subscriber.languages == ("nl", "fr")  # their order, kept
    assert [(s.list_name, s.themes, s.frequency) for s in person.subscriptions] == [
        ("public", ("pensions",), Frequency.WEEKLY)
    ]
    csrf = re.search(r'name="csrf" value="([^"]+)"', saved.text)
    assert csrf is not None
    gone = await client.post(f"/preferences/{token}", content=f"languages=nl&csrf={csrf.group(1)}",
                             headers=FORM)
    assert gone.status_code == 200  # no list ticked: unsubscribed
    assert find_subscriber(site.engine, "prefs@example.org").status is Status.UNSUBSCRIBED


async def test_subscribe_form_page(client: httpx.AsyncClient) -> None:
    page = await client.get("/subscribe", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert page.status_code == 200
    assert 'lang="nl"' in page.text
    assert 'name="email"' in page.text
    assert 'value="accredited"' not in page.text
