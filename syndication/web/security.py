"""Who may do what on the web: the admin bearer token and CSRF tokens on our forms.

The admin API compares the bearer token in constant time (`hmac.compare_digest`). Forms
carry a CSRF token that is an HMAC, keyed with the site secret, of the subscriber's link
token, the form's name, a random nonce and an issue time: a page from another site cannot
forge it, and it stops working after `CSRF_MAX_AGE`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

CSRF_MAX_AGE = 2 * 3600  # seconds a form stays valid


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if that is what it is."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def admin_allowed(expected: str | None, authorization: str | None) -> bool:
    """Whether the header carries the admin token (never, if none is configured)."""
    given = bearer_token(authorization)
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def make_csrf(
    secret: bytes, *, form: str, token: str, clock: Callable[[], float] = time.time
) -> str:
    """A CSRF token for one form of one link token."""
    nonce = secrets.token_urlsafe(12)
    issued = str(int(clock()))
    return f"{nonce}.{issued}.{_mac(secret, form, token, nonce, issued)}"


def check_csrf(
    secret: bytes, value: str | None, *, form: str, token: str,
    clock: Callable[[], float] = time.time,
) -> bool:
    """Whether `value` is a CSRF token we made for this form and link token, still fresh."""
    if not value:
        return False
    nonce, _, rest = value.partition(".")
    issued, _, mac = rest.partition(".")
    if not (nonce and issued.isdigit() and mac):
        return False
    if not 0 <= clock() - int(issued) <= CSRF_MAX_AGE:
        return False
    return hmac.compare_digest(mac, _mac(secret, form, token, nonce, issued))


def _mac(secret: bytes, form: str, token: str, nonce: str, issued: str) -> str:
    message = "\x1f".join(("csrf", form, token, nonce, issued)).encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
