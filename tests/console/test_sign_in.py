"""Signing in and out of the console: the form, the cookie, throttling, lockout, expiry."""

from __future__ import annotations

import httpx
import pytest

from harness.sites import Site
from syndication.console.accounts import remove_admin
from tests.console.conftest import PASSWORD, csrf_of, sign_in

pytestmark = pytest.mark.integration


async def test_pages_send_a_stranger_to_the_sign_in_form(anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/admin/subscribers?list=press")
    assert page.status_code == 303
    assert page.headers["location"] == "/admin/login?next=/admin/subscribers%3Flist%3Dpress"
    form = await anonymous.get("/admin/login")
    assert form.status_code == 200
    for name in ('name="username"', 'name="password"', 'name="csrf"'):
        assert name in form.text
    assert (await anonymous.post("/admin/logout", data={})).status_code == 403


async def test_a_good_password_opens_a_session_in_a_safe_cookie(
    anonymous: httpx.AsyncClient,
) -> None:
    answer = await sign_in(anonymous, "claire")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/"
    cookie = next(value for value in answer.headers.get_list("set-cookie")
                  if value.startswith("console_session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "secure"} <= attributes  # the site's base_url is https
    assert "samesite=lax" in cookie.lower()
    home = await anonymous.get("/admin/")
    assert home.status_code == 200
    assert "claire" in home.text
    assert home.headers["cache-control"] == "no-store"


async def test_next_never_leads_to_another_site(anonymous: httpx.AsyncClient) -> None:
    form = await anonymous.get("/admin/login?next=//evil.example/")
    answer = await anonymous.post("/admin/login", data={
        "csrf": csrf_of(form.text), "username": "claire", "password": PASSWORD,
        "next": "//evil.example/"})
    assert answer.headers["location"] == "/admin/"


async def test_wrong_passwords_lock_the_account(anonymous: httpx.AsyncClient) -> None:
    for _ in range(4):
        assert (await sign_in(anonymous, "claire", "not the password")).status_code == 401
    locked = await sign_in(anonymous, "claire", "not the password")
    assert locked.status_code == 429
    assert (await sign_in(anonymous, "claire")).status_code == 429  # even the right one
    unknown = await sign_in(anonymous, "nobody", "not the password")
    assert unknown.status_code == 401
    assert "Wrong name or password" in unknown.text or "mot de passe" in unknown.text


async def test_one_address_is_throttled_across_accounts(anonymous: httpx.AsyncClient) -> None:
    statuses = [(await sign_in(anonymous, f"user{n}", "guess guess guess")).status_code
                for n in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429


async def test_a_post_without_the_form_token_is_refused(anonymous: httpx.AsyncClient) -> None:
    await anonymous.get("/admin/login")
    answer = await anonymous.post("/admin/login", data={
        "username": "claire", "password": PASSWORD})
    assert answer.status_code == 403
    assert "console_session" not in answer.headers.get("set-cookie", "")


async def test_sign_out_ends_the_session_even_for_a_copied_cookie(
    admin_client: httpx.AsyncClient,
) -> None:
    copied = admin_client.cookies.get("console_session")
    home = await admin_client.get("/admin/")
    out = await admin_client.post("/admin/logout", data={"csrf": csrf_of(home.text)})
    assert out.status_code == 303
    admin_client.cookies.set("console_session", copied or "", path="/admin")
    assert (await admin_client.get("/admin/")).status_code == 303


async def test_a_removed_account_loses_its_session(
    admin_client: httpx.AsyncClient, site: Site
) -> None:
    assert (await admin_client.get("/admin/")).status_code == 200
    remove_admin(site.engine, "claire")
    assert (await admin_client.get("/admin/")).status_code == 303


async def test_a_forged_cookie_is_no_session(anonymous: httpx.AsyncClient) -> None:
    anonymous.cookies.set("console_session", '["claire",0,"x"].forged', path="/admin")
    assert (await anonymous.get("/admin/")).status_code == 303
