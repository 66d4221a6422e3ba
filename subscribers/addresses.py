"""Email addresses: validation, normalisation, the matching key, and the erase hash."""

from __future__ import annotations

import hashlib
import hmac

from email_validator import EmailNotValidError, validate_email

from subscribers.errors import InvalidEmail


def normalise_email(text: str) -> str:
    """Return the address in canonical form (domain lower-cased), or raise InvalidEmail."""
    candidate = text.strip()
    if not candidate:
        raise InvalidEmail(text, "empty")
    try:
        # No DNS: a press office imports thousands of rows and must work offline.
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(text, str(error)) from None
    local, _, domain = result.normalized.rpartition("@")
    return f"{local}@{domain.lower()}"


def address_key(email: str) -> str:
    """Return the key two addresses share when they differ only in letter case.

    Local parts are case-sensitive in theory (RFC 5321) and in no real mailbox: two
    such addresses are one person, so they are one subscriber, and an erased address
    stays blocked in every case variant.
    """
    return email.casefold()


def email_hash(secret: bytes, email: str) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) of an address's key (see address_key)."""
    return hmac.new(secret, address_key(email).encode("utf-8"), hashlib.sha256).hexdigest()
