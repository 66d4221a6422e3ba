"""Hostile input to POST /subscribe and POST /preferences/{token}: a 4xx naming why, never a 5xx.

Huge fields and bodies, control characters, CR/LF, wrong JSON types, malformed JSON,
unknown or closed lists, languages, themes and frequencies, wrong content types, too many
fields; then hypothesis-made JSON objects and raw bodies. Every answer is 2xx or a 4xx
whose message says what is wrong (JSON `error`, or the page), user text is escaped in
pages, no answer is a 5xx, and the good subscribers never change. The per-client and
per-address rate limits are widened here so that every case reaches validation (the
limits have their own burst test).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from subscribers.directory import find_subscriber
from subscribers.tokens import TokenPurpose, make_token
from syndication.web.ratelimit import Limit, RateLimiter
from tests.scheduler.sites import Site
from tests.security.conftest import GOOD, Tally, good_data

FORM = "application/x-www-form-urlencoded"
SCRIPT = "<script>alert(1)</script>"
Case = tuple[str, bytes, str, int]  # (name, body, content type, expected status)


def json_case(name: str, data: Any, status: int) -> Case:
    """A JSON body."""
    return (name, json.dumps(data).encode(), "application/json", status)


def form_case(name: str, text: str, status: int, content_type: str = FORM) -> Case:
    """A form body (or any text under another content type)."""
    return (name, text.encode(), content_type, status)


def hostile_cases(email: str) -> list[Case]:
    """Every hand-written hostile body; `email` is a valid address to sign up or keep."""
    return [
        form_case("huge email (60 KB)", "email=" + "a" * 60_000 + "%40example.org", 422),
        form_case("huge body (70 KB)", "email=x%40example.org&name=" + "n" * 70_000, 413),
        form_case("huge body (5 MB)", "x=" + "y" * 5_000_000, 413),
        json_case("NUL in email", {"email": "a\x00b@example.org"}, 422),
        json_case("ESC in email", {"email": "a\x1b[31m@example.org"}, 422),
        json_case("CRLF in email", {"email": f"{email}\r\nBcc: evil@example.org"}, 422),
        form_case("CRLF in email (form)", f"email={email}%0d%0aBcc:%20evil@example.org", 422),
        json_case("CRLF in lists", {"email": email, "lists": "press\r\nBcc: x"}, 422),
        json_case("CRLF in frequency", {"email": email, "frequency": "daily\r\nX: y"}, 422),
        json_case("script in lists", {"email": email, "lists": SCRIPT}, 422),
        form_case("script in lists (form)", f"email={email}&lists={SCRIPT}", 422),
        form_case("script in languages (form)", f"email={email}&languages={SCRIPT}", 422),
        json_case("email as number", {"email": 5}, 400),
        json_case("email as null", {"email": None}, 400),
        json_case("email as bool", {"email": True}, 400),
        json_case("email as object", {"email": {"$ne": ""}}, 400),
        json_case("lists as numbers", {"email": email, "lists": [1, 2]}, 400),
        json_case("lists as nested list", {"email": email, "lists": [["press"]]}, 400),
        json_case("languages as object", {"email": email, "languages": {"fr": 1}}, 400),
        json_case("body is a list", [email], 400),
        json_case("body is a string", email, 400),
        json_case("body is null", None, 400),
        json_case("unknown list", {"email": email, "lists": "nope"}, 422),
        json_case("closed list", {"email": email, "lists": "accredited"}, 422),
        json_case("unknown language", {"email": email, "languages": ["de"]}, 422),
        json_case("language code case", {"email": email, "languages": "FR"}, 422),
        json_case("unknown theme", {"email": email, "themes": "nope"}, 422),
        json_case("unknown frequency", {"email": email, "frequency": "hourly"}, 422),
        json_case("no email", {"lists": "press"}, 422),
        json_case("email without domain", {"email": "someone@"}, 422),
        json_case("two addresses", {"email": f"{email}, evil@example.org"}, 422),
        json_case("display-name address", {"email": f"Evil <{email}>"}, 422),
        ("malformed JSON", b'{"email": ', "application/json", 400),
        ("JSON with NaN", b'{"email": NaN}', "application/json", 400),
        ("JSON not UTF-8", b'{"email": "\xff"}', "application/json", 400),
        ("JSON nested 30,000 deep", b"[" * 30_000 + b"]" * 30_000, "application/json", 400),
        ("JSON huge integer", b'{"email": ' + b"9" * 5000 + b"}", "application/json", 400),
        form_case("form with 1,000 fields", "&".join(f"f{n}=1" for n in range(1000)), 400),
        ("form not UTF-8", b"email=\xff\xfe%40example.org", FORM, 400),
        form_case("bad percent-encoding", "lists=%zz%ff", 400),
        form_case("percent-encoded NUL in email", "email=a%00b%40example.org", 422),
        form_case("multipart", "--x\r\n\r\n--x--", 400, "multipart/form-data; boundary=x"),
        form_case("XML body", f"<email>{email}</email>", 422, "application/xml"),
        form_case("empty body", "", 422),
    ]


PREFERENCES_STATUS = {"XML body": 403}


@pytest.fixture
def unlimited(app: Starlette) -> Starlette:
    """The app with rate limits no test here reaches."""
    web = app.state.web
    web.ip_limit = RateLimiter(Limit(count=10**9, seconds=60))
    web.address_limit = RateLimiter(Limit(count=10**9, seconds=60))
    return app


def post_all(app: Starlette, path: Callable[[], str], cases: list[Case]) -> list[httpx.Response]:
    """POST every case (JSON answers asked for the even ones, pages for the odd)."""
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return [
                await client.post(path(), content=body, headers={
                    "Content-Type": content_type,
                    "Accept": "application/json" if number % 2 == 0 else "text/html",
                })
                for number, (_name, body, content_type, _status) in enumerate(cases)
            ]

    return asyncio.run(run())


def check_answers(cases: list[Case], answers: list[httpx.Response], tally: Tally) -> None:
    """Each answer has its expected status, says why, and escapes what the user sent."""
    for number, ((name, _body, content_type, status), answer) in enumerate(
        zip(cases, answers, strict=True)
    ):
        assert answer.status_code == status, (name, answer.status_code, answer.text[:300])
        assert "Traceback" not in answer.text
        if answer.headers.get("content-type", "").startswith("text/html"):
            assert SCRIPT not in answer.text, name  # reflected in a page, but escaped
        if status >= 400 and (number % 2 == 0 or content_type == "application/json"):
            error = answer.json()["error"]
            assert isinstance(error, str), (name, error)
            assert len(error) > 10, (name, error)
        tally.add(name if status >= 400 else "accepted", str(answer.status_code))


def test_hostile_subscribe_bodies(unlimited: Starlette, site: Site) -> None:
    before = good_data(site.engine)
    tally = Tally("hostile POST /subscribe bodies")
    cases = hostile_cases("newcomer@example.org")
    cases.append(form_case("good sign-up", "email=newcomer%40example.org&lists=press", 200))

    check_answers(cases, post_all(unlimited, lambda: "/subscribe", cases), tally)

    tally.print()
    assert good_data(site.engine) == before
    assert find_subscriber(site.engine, "newcomer@example.org").status.value == "pending"


def test_hostile_preferences_bodies(unlimited: Starlette, site: Site) -> None:
    subscriber = find_subscriber(site.engine, GOOD[0])
    token = make_token(b"security-test-secret", TokenPurpose.PREFERENCES, subscriber.id)
    csrf = _csrf(unlimited, token)
    before = good_data(site.engine)
    tally = Tally("hostile POST /preferences/{token} bodies")
    # The form has no email field; an empty body (no list ticked) validly unsubscribes;
    # a body the CSRF token cannot be added to is refused for want of it.
    cases = [(name, _with_csrf(body, content_type, csrf), content_type,
              PREFERENCES_STATUS.get(name, status))
             for name, body, content_type, status in hostile_cases(GOOD[0])
             if "email" not in name and "address" not in name and name != "empty body"]
    cases.append(form_case("no CSRF token", "languages=fr&lists=press", 403))
    cases.append(form_case("forged CSRF token", "lists=press&csrf=1.2.3", 403))

    check_answers(cases, post_all(unlimited, lambda: f"/preferences/{token}", cases), tally)

    tally.print()
    assert good_data(site.engine) == before


def _csrf(app: Starlette, token: str) -> str:
    async def fetch() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return (await client.get(f"/preferences/{token}")).text

    found = re.search(r'name="csrf" value="([^"]+)"', asyncio.run(fetch()))
    assert found is not None
    return found.group(1)


def _with_csrf(body: bytes, content_type: str, csrf: str) -> bytes:
    """The body with the form's CSRF token added, where the body can carry one."""
    if content_type == "application/json":
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return body
        if isinstance(data, dict):
            return json.dumps({**data, "csrf": csrf}).encode()
        return body
    if content_type == FORM and body and len(body) < 60_000:
        return body + b"&csrf=" + csrf.encode()
    return body


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8,
)
FIELD = st.sampled_from(["email", "languages", "language", "lists", "themes", "frequency",
                         "csrf", "name"]) | st.text(max_size=10)
CONTENT_TYPES = [FORM, "application/json", "text/plain", "application/xml", "",
                 "multipart/form-data; boundary=x", "application/json; charset=latin-1"]


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(FIELD, JSON_VALUE, max_size=6), raw=st.binary(max_size=300),
       content_type=st.sampled_from(CONTENT_TYPES))
def test_generated_bodies_never_get_a_5xx(
    unlimited: Starlette, site: Site, fuzzed: tuple[str, str],
    data: dict[str, Any], raw: bytes, content_type: str,
) -> None:
    token, csrf = fuzzed
    before = good_data(site.engine)
    cases: list[Case] = [
        ("generated JSON", json.dumps(data).encode(), "application/json", 0),
        ("generated bytes", raw, content_type, 0),
    ]
    with_csrf = [(name, _with_csrf(body, kind, csrf), kind, status)
                 for name, body, kind, status in cases]
    answers = post_all(unlimited, lambda: "/subscribe", cases)
    answers += post_all(unlimited, lambda: f"/preferences/{token}", with_csrf)
    for answer in answers:
        assert answer.status_code in (200, 400, 403, 413, 422), answer.text[:300]
        assert "Traceback" not in answer.text
    assert good_data(site.engine) == before


@pytest.fixture
def fuzzed(unlimited: Starlette, site: Site) -> tuple[str, str]:
    """A subscriber whose preferences the generated bodies may change: token, CSRF token."""
    subscriber_id = site.add_subscriber("fuzzed@example.org", languages=("fr", "nl"))
    token = make_token(b"security-test-secret", TokenPurpose.PREFERENCES, subscriber_id)
    return token, _csrf(unlimited, token)
