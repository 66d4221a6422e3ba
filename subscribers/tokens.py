"""Signed tokens for the links in emails: confirm a sign-up, unsubscribe, change preferences.

Tokens are itsdangerous URL-safe timed signatures of the subscriber's *public id* (a random
string given once and never reused, see `schema.new_public_id`), salted with the purpose so
a token made for one purpose is refused for another. They neither carry the internal row
id nor tell how many subscribers there are. Confirmation tokens expire after
``CONFIRM_MAX_AGE``; unsubscribe and preferences tokens never do (RFC 8058 one-click
unsubscribe links must keep working in old emails).

Links mailed before public ids signed the row id (an int). They are still read, as a
`LegacySubject` carrying the time they were signed: `directory.subscriber_for_token`
accepts one only for a record at least as old as the token, so a link made for an erased
person never acts on a newcomer who got the same row id. Tokens are made with the current
secret and read with every secret of the keyring (rotation, see `keyring.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from subscribers.errors import InvalidToken
from subscribers.keyring import Secret, as_keyring

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


@dataclass(frozen=True, slots=True)
class LegacySubject:
    """An old-form token: the row id it signed and when it was signed."""

    subscriber_id: int
    signed_at: datetime


TokenSubject = str | LegacySubject  # a public id, or an old-form token's row id


# A mailing signs two tokens per recipient: building the serializer (and its key
# derivation) once per secret and purpose rather than per call halves that cost.
@lru_cache(maxsize=16)
def _serializer(secret: bytes, purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"subscribers.{purpose.value}")


def make_token(secret: Secret, purpose: TokenPurpose, public_id: str) -> str:
    """Sign, with the current secret, a token letting its bearer act for the subscriber
    whose public id is `public_id`, for `purpose`."""
    return str(_serializer(as_keyring(secret).current, purpose).dumps(public_id))


def read_token(
    secret: Secret, token: str, purpose: TokenPurpose, *, max_age: timedelta | None
) -> TokenSubject:
    """Return whom a valid token names, or raise InvalidToken saying why."""
    seconds = None if max_age is None else int(max_age.total_seconds())
    keys = as_keyring(secret).all()
    for key in keys:
        try:
            value, signed = _serializer(key, purpose).loads(
                token, max_age=seconds, return_timestamp=True
            )
        except SignatureExpired:
            raise InvalidToken("expired") from None
        except BadSignature:
            continue
        return _subject(value, signed)
    for other in TokenPurpose:
        if other is not purpose and any(_signed_for(key, token, other) for key in keys):
            raise InvalidToken(f"made for {other.value}, not {purpose.value}")
    raise InvalidToken("forged or tampered with")


def _subject(value: object, signed: datetime) -> TokenSubject:
    if type(value) is str and value:
        return value
    if type(value) is int and value > 0:
        return LegacySubject(value, signed.astimezone(UTC))
    raise InvalidToken("does not name a subscriber")


def _signed_for(secret: bytes, token: str, purpose: TokenPurpose) -> bool:
    try:
        _serializer(secret, purpose).loads(token)
    except BadSignature:
        return False
    return True
