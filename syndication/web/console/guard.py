"""Who may see a console page or post its forms: session, role, CSRF token.

`console_page(role=...)` wraps a route: no valid session sends a GET to the sign-in page
(and refuses a POST, 403); a role too low is refused (403) before anything is read or
changed; a POST without this session's CSRF token is refused (403). The route gets a
`Visit`: the admin, their language, the posted fields, the uploaded file if any, and a way
to record what it changed in the audit log.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from syndication.config import Settings
from syndication.console.accounts import Admin, Role, get_admin
from syndication.console.audit import Actor, Channel, record_change
from syndication.errors import BadBody, UnknownAdmin
from syndication.web.console.rendering import console_language, render
from syndication.web.console.sessions import (
    CSRF_FIELD,
    SESSION_COOKIE,
    Session,
    form_token,
    form_token_valid,
    load_session,
)
from syndication.web.context import WebContext, client_address, context
from syndication.web.forms import Fields, read_fields, single

MAX_UPLOAD = 20 * 1024 * 1024  # bytes of one CSV upload
SAFE = frozenset({"GET", "HEAD"})


@dataclass
class Visit:
    """One signed-in request to the console."""

    request: Request
    web: WebContext
    admin: Admin
    session: Session
    secret: bytes
    language: str
    fields: Fields = field(default_factory=dict)
    upload: bytes | None = None
    upload_name: str = ""

    @property
    def settings(self) -> Settings:
        """The site's settings."""
        return self.web.settings

    def csrf(self) -> str:
        """A fresh CSRF token for a form of this page."""
        return form_token(self.secret, self.session.sid)

    def field(self, name: str) -> str:
        """A posted field's first value, trimmed."""
        return single(self.fields, name)

    def page(self, template: str, *, status_code: int = 200, **context: Any) -> Response:
        """Render a console page for this admin."""
        return render(self.request, self.settings, template, self.language,
                      status_code=status_code, admin=self.admin, csrf=self.csrf(), **context)

    def actor(self) -> Actor:
        """This admin, through the console, from this client's address."""
        return Actor(name=self.admin.name, channel=Channel.CONSOLE,
                     origin=client_address(self.request))

    async def record(self, action: str, *, subject: str = "", detail: str = "",
                     erased: str | None = None) -> None:
        """Record a change this visit made in the audit log."""
        await run_in_threadpool(lambda: record_change(
            self.web.engine, self.actor(), action, subject=subject, detail=detail,
            erased=erased))


Route = Callable[[Visit], Awaitable[Response]]


def console_page(*, role: Role = Role.EDITOR) -> Callable[[Route], Callable[[Request],
                                                                         Awaitable[Response]]]:
    """Guard a console route (see the module docstring)."""

    def decorate(route: Route) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(route)
        async def guarded(request: Request) -> Response:
            web = context(request)
            secret = web.secret()
            if secret is None:
                return PlainTextResponse("The console needs the site secret "
                                         f"(${web.settings.web.secret_env}).", status_code=503)
            language = console_language(web.settings, request)
            session = load_session(secret, request.cookies.get(SESSION_COOKIE))
            admin = None if session is None else await run_in_threadpool(
                lambda: _current_admin(web, session))
            if admin is None or session is None:
                if request.method in SAFE:
                    target = quote(request.url.path + (f"?{request.url.query}"
                                                        if request.url.query else ""))
                    return RedirectResponse(f"/admin/login?next={target}", status_code=303)
                return refused(request, web.settings, language, 403)
            visit = Visit(request=request, web=web, admin=admin, session=session,
                          secret=secret, language=language)
            if role is Role.ADMIN and not admin.is_admin:
                return visit.page("refused", status_code=403, reason="role")
            if request.method not in SAFE:
                try:
                    await _read_body(visit)
                except BadBody as error:
                    return PlainTextResponse(str(error) or "the body is too large",
                                             status_code=400)
                if not form_token_valid(secret, session.sid, visit.field(CSRF_FIELD)):
                    return visit.page("refused", status_code=403, reason="csrf")
            return await route(visit)

        return guarded

    return decorate


def refused(request: Request, settings: Settings, language: str, status: int) -> Response:
    """The page refusing a request with no session."""
    return render(request, settings, "refused", language, status_code=status, admin=None,
                  csrf="", reason="session")


def _current_admin(web: WebContext, session: Session) -> Admin | None:
    try:
        admin = get_admin(web.engine, session.name)
    except UnknownAdmin:
        return None  # the account was removed: its sessions die with it
    return admin if admin.session_epoch == session.epoch else None


async def _read_body(visit: Visit) -> None:
    request = visit.request
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        visit.fields = await read_fields(request)
        return
    try:
        form = await request.form(max_files=1, max_fields=50, max_part_size=MAX_UPLOAD)
    except Exception as error:  # python-multipart's errors have no common base we can name
        raise BadBody(f"the upload could not be read: {error}") from None
    fields: dict[str, tuple[str, ...]] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read(MAX_UPLOAD + 1)
                if len(data) > MAX_UPLOAD:
                    raise BadBody(f"the file is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
                visit.upload, visit.upload_name = data, value.filename or "upload.csv"
            else:
                fields[key] = (*fields.get(key, ()), value)
    finally:
        await form.close()  # the spooled temporary files of the upload
    visit.fields = fields
