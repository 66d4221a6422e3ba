"""Signed tokens for the links in emails: confirm a sign-up, unsubscribe, change preferences.

Tokens are itsdangerous URL-safe timed signatures of the subscriber id, salted with the
purpose so a token made for one purpose is refused for another. Confirmation tokens
expire after ``CONFIRM_MAX_AGE``; unsubscribe and preferences tokens never do (RFC 8058
one-click unsubscribe links must keep working in old emails).
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from functools import lru_cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from subscribers.errors import InvalidToken, MissingSecret

CONFIRM_MAX_AGE = timedelta(days=7)


class TokenPurpose(StrEnum):
    """What a token lets its bearer do."""

    CONFIRM = "confirm"
    UNSUBSCRIBE = "unsubscribe"
    PREFERENCES = "preferences"


MAX_AGE: dict[TokenPurpose, timedelta | None] = {
    TokenPurpose.CONFIRM: CONFIRM_MAX_AGE,
    TokenPurpose.UNSUBSCRIBE: None,
    TokenPurpose.PREFERENCES: None,
}


def _serializer(secret: bytes, purpose: TokenPurpose) -> URLSafeTimedSerializer:
    if not secret:
        raise MissingSecret("the site secret is needed to sign and read tokens")
    return _cached_serializer(secret, purpose)


# A mailing signs two tokens per recipient: building the serializer (and its key
# derivation) once per secret and purpose rather than per call halves that cost.
@lru_cache(maxsize=16)
def _cached_serializer(secret: bytes, purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"subscribers.{purpose.value}")


def make_token(secret: bytes, purpose: TokenPurpose, subscriber_id: int) -> str:
    """Sign a token letting its bearer act for ``subscriber_id`` for ``purpose``."""
    return str(_serializer(secret, purpose).dumps(subscriber_id))


def read_token(
    secret: bytes, token: str, purpose: TokenPurpose, *, max_age: timedelta | None
) -> int:
    """Return the subscriber id in a valid token, or raise InvalidToken saying why."""
    seconds = None if max_age is None else int(max_age.total_seconds())
    try:
        value = _serializer(secret, purpose).loads(token, max_age=seconds)
    except SignatureExpired:
        raise InvalidToken("expired") from None
    except BadSignature:
        for other in TokenPurpose:
            if other is not purpose and _signed_for(secret, token, other):
                raise InvalidToken(f"made for {other.value}, not {purpose.value}") from None
        raise InvalidToken("forged or tampered with") from None
    if type(value) is not int or value <= 0:
        raise InvalidToken("does not name a subscriber")
    return value


def _signed_for(secret: bytes, token: str, purpose: TokenPurpose) -> bool:
    try:
        _serializer(secret, purpose).loads(token)
    except BadSignature:
        return False
    return True
