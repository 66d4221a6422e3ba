"""The console's session cookie and the CSRF tokens of its forms.

The session is a cookie signed with the site secret (itsdangerous, its own salt): the
admin's name, the account's session epoch and a random session id. It is HttpOnly,
SameSite=Lax, Secure unless `base_url` is plain http, and lasts `SESSION_SECONDS` from
sign-in; signing out bumps the account's epoch, which ends every session of that account
at once (a copied cookie included). Every form carries a CSRF token bound to the session
id (`syndication.web.security.make_csrf`); the sign-in form, before any session, binds it
to a random value in a short-lived cookie of its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from syndication.web.security import check_csrf, make_csrf

SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"
SESSION_SECONDS = 8 * 3600
LOGIN_SECONDS = 3600
CSRF_FORM = "console"
CSRF_FIELD = "csrf"
PATH = "/admin"


@dataclass(frozen=True, slots=True)
class Session:
    """What the session cookie says: who, of which epoch, under which session id."""

    name: str
    epoch: int
    sid: str


def _serializer(secret: bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="syndication-console-session")


def new_session(name: str, epoch: int) -> Session:
    """A session for an admin who just signed in."""
    return Session(name=name, epoch=epoch, sid=secrets.token_urlsafe(18))


def dump_session(secret: bytes, session: Session) -> str:
    """The cookie value of a session."""
    return _serializer(secret).dumps([session.name, session.epoch, session.sid])


def load_session(secret: bytes, value: str | None) -> Session | None:
    """The session a cookie holds, if it is ours, unaltered and not expired."""
    if not value:
        return None
    try:
        name, epoch, sid = _serializer(secret).loads(value, max_age=SESSION_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(name, str) and isinstance(epoch, int) and isinstance(sid, str)):
        return None
    return Session(name=name, epoch=epoch, sid=sid)


def form_token(secret: bytes, binding: str) -> str:
    """A CSRF token for the console's forms, bound to a session id (or login nonce)."""
    return make_csrf(secret, form=CSRF_FORM, token=binding)


def form_token_valid(secret: bytes, binding: str, value: str | None) -> bool:
    """Whether a posted CSRF token is one of ours for this binding, still fresh."""
    return bool(binding) and check_csrf(secret, value, form=CSRF_FORM, token=binding)


def set_cookie(response: Response, name: str, value: str, *, base_url: str,
               max_age: int | None = None) -> None:
    """Set one of the console's cookies: HttpOnly, SameSite=Lax, Secure unless plain http."""
    response.set_cookie(name, value, max_age=max_age, path=PATH, httponly=True,
                        samesite="lax", secure=not base_url.startswith("http://"))


def delete_cookie(response: Response, name: str) -> None:
    """Remove one of the console's cookies."""
    response.delete_cookie(name, path=PATH)
