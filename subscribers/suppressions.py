"""The suppression table: keyed hashes of erased addresses, which are never mailed again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, exists, insert, select

from storage import reading
from subscribers.addresses import address_key, email_hash, normalise_email
from subscribers.errors import MissingSecret
from subscribers.model import Status
from subscribers.schema import subscribers, suppressions

ERASED = "erased"


def require_secret(conn: Connection, secret: bytes | None) -> bytes | None:
    """Return the secret, or raise MissingSecret if erased addresses exist to check against."""
    if secret is None and conn.scalar(select(exists().select_from(suppressions))):
        raise MissingSecret("the site secret is needed to check addresses against erased ones")
    return secret


def erased_among(conn: Connection, emails: Iterable[str], secret: bytes | None) -> set[str]:
    """Return which of these normalised addresses were erased (none when no secret)."""
    if secret is None:
        return set()
    by_hash = {email_hash(secret, email): email for email in emails}
    if not by_hash:
        return set()
    found = conn.scalars(
        select(suppressions.c.email_hash).where(suppressions.c.email_hash.in_(list(by_hash)))
    )
    return {by_hash[digest] for digest in found}


def record_suppression(
    conn: Connection, email: str, secret: bytes, *, reason: str, now: datetime
) -> bool:
    """Keep the address's keyed hash so it is never mailed again; False if already kept."""
    digest = email_hash(secret, email)
    if conn.scalar(select(suppressions.c.id).where(suppressions.c.email_hash == digest)):
        return False
    conn.execute(insert(suppressions).values(email_hash=digest, reason=reason, created_at=now))
    return True


def lift_suppression(conn: Connection, email: str, secret: bytes) -> None:
    """Forget the keyed hash of an address that comes back on request."""
    conn.execute(delete(suppressions).where(suppressions.c.email_hash == email_hash(secret, email)))


def is_suppressed(target: Connection | Engine, email: str, secret: bytes) -> bool:
    """Tell whether an address must never be mailed: erased, or suppressed after bounces."""
    email = normalise_email(email)
    with reading(target) as conn:
        if erased_among(conn, [email], secret):
            return True
        status = conn.scalar(
            select(subscribers.c.status).where(subscribers.c.email_key == address_key(email))
        )
    return status == Status.SUPPRESSED.value
