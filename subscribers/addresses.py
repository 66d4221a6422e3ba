"""Email addresses: validation, normalisation, the matching key, and the erase hash.

An address is stored as email_validator normalises it: the domain in Unicode (NFC, lower
case, `xn--` spellings decoded), so `user@xn--bcher-kva.de` and `user@Bücher.de` are one
stored form. Its *key* (`address_key`) is what one person's addresses share: the local part
exact except ASCII letter case, the domain as its IDNA (punycode) A-label in lower case.
`casefold()` was the key before: it made `ſam@` (long s) and `straße@` the same person as
`sam@` and `strasse@`; hashes of erased addresses made with it are still checked
(`legacy_address_key`) so that nobody erased under the old key comes back. New hashes are
made over a tagged key (`KEY_TAG`), so an old-key lookup never matches one: erasing
`strasse@` today does not block `straße@`.
"""

from __future__ import annotations

import hashlib
import hmac
from string import ascii_lowercase, ascii_uppercase

import idna
from email_validator import EmailNotValidError, validate_email

from subscribers.errors import InvalidEmail
from subscribers.keyring import Secret, as_keyring

_ASCII_LOWER = str.maketrans(ascii_uppercase, ascii_lowercase)
KEY_TAG = "key2:"  # which key a hash was made over: untagged is the legacy casefold key


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


def ascii_domain(domain: str) -> str:
    """The domain as SMTP without SMTPUTF8 and DNS know it: its IDNA A-label, lower case."""
    if domain.isascii():
        return domain.lower()
    try:
        return idna.encode(domain, uts46=True).decode("ascii").lower()
    except idna.IDNAError:
        return domain.lower()  # not a valid IDN: normalise_email refuses it anyway


def ascii_domain_address(email: str) -> str:
    """The address with its domain as an IDNA A-label (`user@xn--bcher-kva.de`): what SMTP
    and headers carry when the server lacks SMTPUTF8. ASCII once the local part is."""
    local, _, domain = email.rpartition("@")
    return f"{local}@{ascii_domain(domain)}" if domain else email


def address_key(email: str) -> str:
    """Return the key two addresses share when they reach the same mailbox.

    Local parts are case-sensitive in theory (RFC 5321) and in no real mailbox: only
    ASCII letter case is folded there (`Sam` is `sam`; `ſam` and `straße` stay
    themselves). The domain is compared as its IDNA A-label, in lower case.
    """
    local, _, domain = email.rpartition("@")
    return f"{local.translate(_ASCII_LOWER)}@{ascii_domain(domain)}"


def legacy_address_key(email: str) -> str:
    """The key of the first release (`casefold()`): still checked against erasure hashes."""
    return email.casefold()


def email_hash(secret: Secret, email: str) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) of an address's key, with the current secret."""
    return _digest(as_keyring(secret).current, KEY_TAG + address_key(email))


def email_hashes(secret: Secret, email: str) -> set[str]:
    """Every hash an erasure of this address may have been kept under: each secret of the
    keyring (current and previous) with the current and the legacy key."""
    keys = {KEY_TAG + address_key(email), legacy_address_key(email)}
    return {_digest(one, key) for one in as_keyring(secret).all() for key in keys}


def _digest(secret: bytes, key: str) -> str:
    return hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()
