"""The suppression table: keyed hashes of erased addresses, which are never mailed again.

An erasure is kept under the current secret and the current address key; it is found
under every secret of the keyring and under the legacy key too (`addresses.email_hashes`),
so rotating the secret or changing the key never lets an erased person back in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, exists, insert, select

from storage import reading
from subscribers.addresses import address_key, email_hash, email_hashes, normalise_email
from subscribers.errors import MissingSecret
from subscribers.keyring import Secret
from subscribers.model import Status
from subscribers.schema import subscribers, suppressions

ERASED = "erased"


def require_secret(conn: Connection, secret: Secret | None) -> Secret | None:
    """Return the secret, or raise MissingSecret if erased addresses exist to check against."""
    if secret is None and conn.scalar(select(exists().select_from(suppressions))):
        raise MissingSecret("the site secret is needed to check addresses against erased ones")
    return secret


def erased_among(conn: Connection, emails: Iterable[str], secret: Secret | None) -> set[str]:
    """Return which of these normalised addresses were erased (none when no secret)."""
    if secret is None:
        return set()
    by_hash = {digest: email for email in emails for digest in email_hashes(secret, email)}
    if not by_hash:
        return set()
    found: set[str] = set()
    hashes = list(by_hash)
    for start in range(0, len(hashes), 500):  # bound the IN list (an import is thousands)
        chunk = hashes[start:start + 500]
        found.update(conn.scalars(
            select(suppressions.c.email_hash).where(suppressions.c.email_hash.in_(chunk))
        ))
    return {by_hash[digest] for digest in found}


def record_suppression(
    conn: Connection, email: str, secret: Secret, *, reason: str, now: datetime
) -> bool:
    """Keep the address's keyed hash so it is never mailed again; False if already kept."""
    kept = suppressions.c.email_hash.in_(email_hashes(secret, email))
    if conn.scalar(select(suppressions.c.id).where(kept)):
        return False
    digest = email_hash(secret, email)
    conn.execute(insert(suppressions).values(email_hash=digest, reason=reason, created_at=now))
    return True


def lift_suppression(conn: Connection, email: str, secret: Secret) -> None:
    """Forget every keyed hash of an address that comes back on request."""
    conn.execute(
        delete(suppressions).where(suppressions.c.email_hash.in_(email_hashes(secret, email)))
    )


def is_suppressed(target: Connection | Engine, email: str, secret: Secret) -> bool:
    """Tell whether an address must never be mailed: erased, or suppressed after bounces."""
    email = normalise_email(email)
    with reading(target) as conn:
        if erased_among(conn, [email], secret):
            return True
        status = conn.scalar(
            select(subscribers.c.status).where(subscribers.c.email_key == address_key(email))
        )
    return status == Status.SUPPRESSED.value
