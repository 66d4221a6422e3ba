"""Signing in and out of the console: `GET/POST /admin/login`, `POST /admin/logout`.

A sign-in is refused (429) when its client address made too many attempts lately (one
window for every `run` process: `rate_events`), and when the account is locked after
failures in a row (`accounts.sign_in`); each failure in a row also waits a little longer
before its answer. Whether a name exists is never said.
"""

from __future__ import annotations

import asyncio
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from syndication.console.accounts import SignIn, end_sessions, failures_of, get_admin, sign_in
from syndication.errors import BadBody
from syndication.web.console.context import console
from syndication.web.console.guard import Visit, console_page
from syndication.web.console.rendering import console_language, render
from syndication.web.console.sessions import (
    LOGIN_COOKIE,
    LOGIN_SECONDS,
    SESSION_COOKIE,
    delete_cookie,
    dump_session,
    form_token,
    form_token_valid,
    new_session,
    set_cookie,
)
from syndication.web.context import client_address, context
from syndication.web.forms import read_fields, single

HOME = "/admin/"


async def login_form(request: Request) -> Response:
    """GET /admin/login: the sign-in form."""
    return await _form(request, problem="", status_code=200)


async def _form(request: Request, *, problem: str, status_code: int) -> Response:
    web = context(request)
    secret = web.secret()
    if secret is None:
        return PlainTextResponse("The console needs the site secret.", status_code=503)
    nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(18)
    response = render(
        request, web.settings, "login", console_language(web.settings, request),
        status_code=status_code, admin=None, csrf=form_token(secret, nonce),
        next=_safe_next(request.query_params.get("next", "")), problem=problem,
    )
    set_cookie(response, LOGIN_COOKIE, nonce, base_url=web.settings.base_url,
               max_age=LOGIN_SECONDS)
    return response


async def login(request: Request) -> Response:
    """POST /admin/login: check the name and password; open a session."""
    web = context(request)
    secret = web.secret()
    if secret is None:
        return PlainTextResponse("The console needs the site secret.", status_code=503)
    try:
        fields = await read_fields(request)
    except BadBody as error:
        return PlainTextResponse(str(error) or "the body is too large", status_code=400)
    if not form_token_valid(secret, request.cookies.get(LOGIN_COOKIE, ""),
                            single(fields, "csrf")):
        return await _form(request, problem="expired", status_code=403)
    wait = await run_in_threadpool(
        lambda: console(request).login_limit.retry_after(client_address(request)))
    if wait:
        response = await _form(request, problem="throttled", status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    name, password = single(fields, "username"), fields.get("password", ("",))[0]
    failures = await run_in_threadpool(lambda: failures_of(web.engine, name))
    outcome = await run_in_threadpool(lambda: sign_in(web.engine, name, password))
    if outcome is SignIn.LOCKED:
        return await _form(request, problem="locked", status_code=429)
    if outcome is SignIn.REFUSED:
        await asyncio.sleep(console(request).slow_down * (failures + 1))
        return await _form(request, problem="refused", status_code=401)
    admin = await run_in_threadpool(lambda: get_admin(web.engine, name))
    response = RedirectResponse(_safe_next(single(fields, "next")) or HOME, status_code=303)
    session = new_session(name, admin.session_epoch)
    set_cookie(response, SESSION_COOKIE, dump_session(secret, session),
               base_url=web.settings.base_url)
    delete_cookie(response, LOGIN_COOKIE)
    return response


@console_page()
async def logout(visit: Visit) -> Response:
    """POST /admin/logout: end every session of this account; back to the sign-in form."""
    await run_in_threadpool(lambda: end_sessions(visit.web.engine, visit.admin.name))
    response = RedirectResponse("/admin/login", status_code=303)
    delete_cookie(response, SESSION_COOKIE)
    return response


def _safe_next(target: str) -> str:
    """A console path to go back to, never another site (`//evil.example`, `https:`)."""
    if target.startswith("/admin/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""
